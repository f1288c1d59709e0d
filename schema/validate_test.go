package schema

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
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

// TestEveryRuleIsExercised: every rule shows in some golden want.txt, except those
// that need files no golden folder can hold (tested by name below).
func TestEveryRuleIsExercised(t *testing.T) {
	elsewhere := map[string]string{
		RuleIO:         "TestReadProblems",
		RuleFileSize:   "TestReadProblems",
		RuleTooMany:    "TestFindingsCap",
		RuleWatchQuery: "answers.TestSet, cli.TestAnswersRefuseABadWatchList",
	}
	var all strings.Builder
	wants, _ := filepath.Glob("testdata/validate/*/want.txt")
	for _, w := range wants {
		b, err := os.ReadFile(w)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for _, r := range Rules {
		if elsewhere[r] != "" {
			continue
		}
		if !strings.Contains(all.String(), "["+r+"]") {
			t.Errorf("no golden case exercises rule %s", r)
		}
	}
}

// TestRulesListsEveryRule: Rules holds every Rule constant of finding.go, in order.
func TestRulesListsEveryRule(t *testing.T) {
	f, err := goparser.ParseFile(token.NewFileSet(), "finding.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			for _, n := range spec.(*ast.ValueSpec).Names {
				if strings.HasPrefix(n.Name, "Rule") {
					names = append(names, n.Name)
				}
			}
		}
	}
	if len(names) != len(Rules) {
		t.Fatalf("finding.go declares %d rules (%v), Rules lists %d", len(names), names, len(Rules))
	}
	for i, n := range names {
		obj := f.Scope.Lookup(n)
		lit := obj.Decl.(*ast.ValueSpec).Values[0].(*ast.BasicLit).Value
		if strconv.Quote(Rules[i]) != lit {
			t.Errorf("Rules[%d] = %q, want %s (%s)", i, Rules[i], lit, n)
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
	if err := f.Truncate(3 * MaxFileSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
	inputs := []Input{
		{Name: "a-folder.yaml", Open: func() (io.ReadCloser, error) { return os.Open(dir) }},
		{Name: "locked.yaml", Open: func() (io.ReadCloser, error) {
			return nil, &fs.PathError{Op: "open", Path: "locked.yaml", Err: fs.ErrPermission}
		}},
		PathInputs([]string{big})[0],
	}
	inputs[2].Name = "big.yaml"
	got := findingsText(Validate(inputs, Default()))
	want := "a-folder.yaml:1:1: error: is a folder, not a seed file [io]\n" +
		"big.yaml:1:1: error: file is 192 MiB, over the 64 MiB limit: split it into several files [file-size]\n" +
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

// TestNodeFieldSetKnowsEveryField checks that nodeFieldSet reads each optional node
// field a kind may list: set on a node that has them all, unset on one that has none.
func TestNodeFieldSetKnowsEveryField(t *testing.T) {
	full := &Node{Wikidata: "Q1", Cameo: "USA", Title: "t", Date: Date{Text: "2025"}, End: Date{Text: "2025"}, EventCode: "046"}
	for _, f := range nodeFields {
		if !nodeFieldSet(full, f) {
			t.Errorf("nodeFieldSet(%s) is false on a node that sets it", f)
		}
		if nodeFieldSet(&Node{}, f) {
			t.Errorf("nodeFieldSet(%s) is true on an empty node", f)
		}
	}
}
