package schema

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func findingsText(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestValidateCases runs each folder of testdata/validate and compares every finding,
// exactly (file:line:col, severity, message, rule), with the folder's want.txt.
func TestValidateCases(t *testing.T) {
	dirs, err := filepath.Glob("testdata/validate/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 10 {
		t.Fatalf("only %d cases found", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			in := PathInputs([]string{dir})
			golden(t, filepath.Join(dir, "want.txt"), findingsText(Validate(in, Default())))
		})
	}
}

func TestValidCaseIsClean(t *testing.T) {
	in := PathInputs([]string{"testdata/validate/valid"})
	if fs := Validate(in, Default()); len(fs) != 0 {
		t.Errorf("want no findings, got:\n%s", findingsText(fs))
	}
}

func TestEveryRuleIsExercised(t *testing.T) {
	rules := []string{RuleYAML, RuleIO, RuleFileSize, RuleDuplicateKey, RuleUnknownField, RuleType, RuleRequired,
		RuleEnum, RuleIDFormat, RuleDuplicateID, RuleUnknownRef, RuleUnknownSource, RuleEndpoint, RuleSelf,
		RuleDate, RuleDateOrder, RuleEvidence, RuleEmptyQuote, RuleFieldForKind, RuleFormat, RuleWikidata, RuleUnusedSource}
	var all strings.Builder
	wants, _ := filepath.Glob("testdata/validate/*/want.txt")
	for _, w := range wants {
		b, err := os.ReadFile(w)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	// io and file-size are covered by TestReadProblems.
	for _, r := range rules {
		if r == RuleIO || r == RuleFileSize {
			continue
		}
		if !strings.Contains(all.String(), "["+r+"]") {
			t.Errorf("no golden case exercises rule %s", r)
		}
	}
}

// TestReadProblems covers files that can't be read: a folder where a file is expected,
// a file without permission, a file over the size limit.
func TestReadProblems(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxFileSize + 10); err != nil {
		t.Fatal(err)
	}
	f.Close()
	inputs := []Input{
		{Name: "a-folder.yaml", Open: func() (io.ReadCloser, error) { return os.Open(dir) }},
		{Name: "locked.yaml", Open: func() (io.ReadCloser, error) {
			return nil, &fs.PathError{Op: "open", Path: "locked.yaml", Err: fs.ErrPermission}
		}},
		{Name: "big.yaml", Open: func() (io.ReadCloser, error) { return os.Open(big) }},
	}
	got := findingsText(Validate(inputs, Default()))
	want := "a-folder.yaml:1:1: error: is a folder, not a seed file [io]\n" +
		"big.yaml:1:1: error: file is 64 MiB, over the 64 MiB limit: split it into several files [file-size]\n" +
		"locked.yaml:1:1: error: cannot read: permission denied [io]\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if !HasIOErrors(Validate(inputs, Default())) {
		t.Error("HasIOErrors: want true")
	}
}

func TestPathInputs(t *testing.T) {
	t.Run("a missing path and an empty folder are io findings", func(t *testing.T) {
		empty := t.TempDir()
		got := findingsText(Validate(PathInputs([]string{"testdata/no-such", empty}), Default()))
		want := empty + ":1:1: error: cannot read: a folder with no .yaml or .yml files [io]\n" +
			"testdata/no-such:1:1: error: cannot read: no such file or directory [io]\n"
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("folders expand sorted, files are taken once", func(t *testing.T) {
		in := PathInputs([]string{"testdata/validate/duplicate-id", "testdata/validate/duplicate-id/a.yaml"})
		var names []string
		for _, i := range in {
			names = append(names, i.Name)
		}
		if got := strings.Join(names, ","); got != "testdata/validate/duplicate-id/a.yaml,testdata/validate/duplicate-id/b.yaml" {
			t.Errorf("got %s", got)
		}
	})
}
