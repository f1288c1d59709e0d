package output

import (
	"bytes"
	"fmt"
	"testing"
)

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n          int
		noun, want string
	}{
		{0, "file", "0 files"},
		{1, "file", "1 file"},
		{2, "index", "2 indexes"},
		{1, "index", "1 index"},
		{3, "batch", "3 batches"},
		{2, "warning", "2 warnings"},
	} {
		if got := Plural(tc.n, tc.noun); got != tc.want {
			t.Errorf("Plural(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	if f, err := Parse("json", Text, JSON); err != nil || f != JSON {
		t.Errorf("Parse(json) = %q, %v", f, err)
	}
	_, err := Parse("xml", Text, JSON)
	if err == nil || err.Error() != `--format "xml": want one of text, json` {
		t.Errorf("Parse(xml) error = %v", err)
	}
}

func TestWriteJSONAndTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "{\n  \"a\": 1\n}\n"; got != want {
		t.Errorf("WriteJSON = %q, want %q", got, want)
	}
	b.Reset()
	tw := TableWriter(&b)
	fmt.Fprint(tw, "a\tbb\tc\nccc\td\te\n")
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "a    bb  c\nccc  d   e\n"; got != want {
		t.Errorf("table = %q, want %q", got, want)
	}
}

func TestFitLines(t *testing.T) {
	in := "short line\n" +
		"    prose that runs on past the width goes on at its own indent, as a paragraph\n" +
		"   --name value   a meaning that runs on far past the width given here\n" +
		"   --a-flag-whose-name-alone-is-wider-than-most  its long meaning"
	// the meaning goes on under itself; a column starting past width-30 goes on
	// indented four spaces past the line's own indent
	want := "short line\n" +
		"    prose that runs on past the width goes on at its own\n" +
		"    indent, as a paragraph\n" +
		"   --name value   a meaning that runs on far past the width\n" +
		"                  given here\n" +
		"   --a-flag-whose-name-alone-is-wider-than-most  its long\n" +
		"       meaning"
	if got := FitLines(in, 60); got != want {
		t.Errorf("FitLines:\n%s\nwant:\n%s", got, want)
	}
	if got := FitLines(in, 100); got != in {
		t.Errorf("lines that fit were changed:\n%s", got)
	}
}
