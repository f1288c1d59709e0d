package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	valid := "schema/testdata/validate/valid"
	broken := "schema/testdata/validate/enum"
	warnOnly := t.TempDir()
	// A clean file but for one warning: a place without a QID.
	data, err := os.ReadFile(filepath.Join(valid, "seed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "    wikidata: Q30\n", "", 1))
	if err := os.WriteFile(filepath.Join(warnOnly, "seed.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // on stdout, then on stderr
		wantErr  string
	}{
		{"clean files", []string{"validate", valid}, exitOK, "0 errors, 0 warnings in 1 file\n", ""},
		{"errors", []string{"validate", broken}, exitFailure, "4 errors, 0 warnings in 1 file\n", "schema/testdata/validate/enum/seed.yaml:24:11: error: unknown relationship type \"NEGOTIATE_WITH\"; did you mean \"NEGOTIATES_WITH\"? [enum]\n"},
		{"warnings pass", []string{"validate", warnOnly}, exitOK, "0 errors, 1 warning in 1 file\n", "warning: State \"usa\" has no wikidata QID"},
		{"warnings fail with --strict", []string{"validate", "--strict", warnOnly}, exitFailure, "0 errors, 1 warning in 1 file\n", "warning: State \"usa\" has no wikidata QID"},
		{"missing path is an I/O error", []string{"validate", "no/such/dir"}, exitUsage, "1 error, 0 warnings in 1 file\n", "no/such/dir:1:1: error: cannot read: no such file or directory [io]\n"},
		{"bad format", []string{"validate", "--format", "xml", valid}, exitUsage, "", "backchannel: --format \"xml\": want one of text, json\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.args...)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; stdout %q stderr %q", code, tc.wantCode, out, errOut)
			}
			if !strings.Contains(out, tc.wantOut) || (tc.wantOut == "" && out != "") {
				t.Errorf("stdout lacks %q:\n%s", tc.wantOut, out)
			}
			if !strings.Contains(errOut, tc.wantErr) || (tc.wantErr == "" && errOut != "") {
				t.Errorf("stderr lacks %q:\n%s", tc.wantErr, errOut)
			}
		})
	}

	t.Run("an unreadable file exits 2 and still reports the rest", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "folder.yaml"), 0o755); err != nil {
			t.Fatal(err)
		}
		code, _, out := runCLI(t, "validate", filepath.Join(dir, "folder.yaml"), broken)
		if code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
		if !strings.Contains(out, "folder.yaml:1:1: error: cannot read: a folder with no .yaml or .yml files [io]\n") || !strings.Contains(out, "[enum]") {
			t.Errorf("output: %s", out)
		}
	})

	t.Run("json", func(t *testing.T) {
		code, out, _ := runCLI(t, "validate", "--format", "json", broken)
		if code != exitFailure {
			t.Errorf("exit %d", code)
		}
		var got struct {
			Files, Errors, Warnings int
			Findings                []struct {
				File           string
				Line, Col      int
				Severity, Rule string
			}
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		if got.Files != 1 || got.Errors != 4 || len(got.Findings) != 4 || got.Findings[0].Line != 7 || got.Findings[0].Col != 18 || got.Findings[0].Rule != "enum" {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("the embedded seeds are valid with --strict", func(t *testing.T) {
		code, out, errOut := runCLI(t, "validate", "--strict")
		if code != exitOK {
			t.Errorf("exit %d:\n%s%s", code, out, errOut)
		}
	})
}

func TestSchemaCommand(t *testing.T) {
	code, out, _ := runCLI(t, "schema", "cypher")
	if code != exitOK || !strings.Contains(out, "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE;\n") {
		t.Errorf("schema cypher: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "schema", "json-schema")
	want, err := os.ReadFile("schema/seed.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if code != exitOK || out != string(want) {
		t.Errorf("schema json-schema: exit %d, output differs from schema/seed.schema.json", code)
	}
}
