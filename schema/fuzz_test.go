package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseValidate feeds arbitrary bytes through parsing and validation: no input may
// panic, and every finding must be located in the file, with a rule and a message.
// The corpus under testdata/fuzz/FuzzParseValidate is replayed by every go test run.
func FuzzParseValidate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/validate/*/*.yaml")
	more, _ := filepath.Glob("../seeds/*.yaml")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("nodes: [" + strings.Repeat("[", 200) + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x := NewValidator(Default())
		fs, err := ParseFile("fuzz.yaml", data, func(r Record) error { x.Record(r); return nil })
		if err != nil {
			t.Fatalf("ParseFile returned an error for content problems: %v", err)
		}
		x.Add(fs...)
		// YAML breaks lines at \n, \r\n and a lone \r: count every break character as an upper bound.
		lines := 1 + strings.Count(string(data), "\n") + strings.Count(string(data), "\r")
		for _, f := range x.Finish() {
			if f.File != "fuzz.yaml" || f.Line < 1 || f.Col < 1 || f.Rule == "" || f.Message == "" {
				t.Fatalf("badly located finding: %+v", f)
			}
			if f.Line > lines+1 {
				t.Fatalf("finding past the end of the input (%d lines): %s", lines, f)
			}
			if !utf8.ValidString(f.Message) {
				t.Fatalf("finding message is not UTF-8: %q", f.Message)
			}
		}
	})
}

// TestHostileInputs: inputs built to exhaust a parser get a finding, not a hang or panic.
func TestHostileInputs(t *testing.T) {
	laughs := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]\n"
		prev = n
	}
	cases := map[string]struct {
		data string
		want string
	}{
		"billion laughs":      {laughs + "nodes: *i\n", "[yaml]"},
		"deep flow nesting":   {"nodes: " + strings.Repeat("[", 100_000) + "\n", "[yaml]"},
		"deep block nesting":  {"nodes:\n" + strings.Repeat("- ", 20_000) + "x\n", "[yaml]"},
		"a long line":         {"nodes:\n  - id: " + strings.Repeat("a", 1<<20) + "\n", "[id-format]"},
		"many duplicate keys": {"nodes:\n  - id: a\n" + strings.Repeat("    id: a\n", 1000), "[duplicate-key]"},
		"unterminated quote":  {"nodes:\n  - id: \"a\n", "[yaml]"},
		"byte order mark":     {"\ufeffnodes: 5\n", "[type]"},
		"control characters":  {"nodes:\n  - id: \x07\n", "[yaml]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			x := NewValidator(Default())
			fs, err := ParseFile("h.yaml", []byte(tc.data), func(r Record) error { x.Record(r); return nil })
			if err != nil {
				t.Fatal(err)
			}
			x.Add(fs...)
			got := findingsText(x.Finish())
			if !strings.Contains(got, tc.want) {
				t.Errorf("want a %s finding, got:\n%.500s", tc.want, got)
			}
		})
	}
}
