package schema

import (
	"bytes"
	"io"
	"reflect"
	"testing"
)

func bufferInput(name, text string) Input {
	return Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader([]byte(text))), nil }}
}

func TestDeclaredWatches(t *testing.T) {
	a := bufferInput("a.yaml", "# a comment\ndataset: d\nwatch:\n  # the reverse\n  - query: influence-paths\n    params: {from: hamas, to: usa}\n\n  - query: bogus name\nnodes: []\n")
	b := bufferInput("b.yaml", "dataset: d\nsources: []\nwatch:\n- query: mediators\n  params:\n    a: israel\n    b: hamas\n  note: who carries messages\n")
	none := bufferInput("c.yaml", "dataset: d\nnodes:\n  - id: watch\n")
	got := DeclaredWatches([]Input{a, none, b})
	want := []Watch{
		{Query: "influence-paths", Params: map[string]string{"from": "hamas", "to": "usa"}, Pos: Pos{File: "a.yaml", Line: 5, Col: 5},
			ParamPos: map[string]Pos{"from": {File: "a.yaml", Line: 6, Col: 20}, "to": {File: "a.yaml", Line: 6, Col: 31}}},
		{Query: "mediators", Params: map[string]string{"a": "israel", "b": "hamas"}, Note: "who carries messages", Pos: Pos{File: "b.yaml", Line: 4, Col: 3},
			ParamPos: map[string]Pos{"a": {File: "b.yaml", Line: 6, Col: 8}, "b": {File: "b.yaml", Line: 7, Col: 8}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestWatchListValidates(t *testing.T) {
	in := bufferInput("a.yaml", "dataset: d\nwatch:\n  - query: influence-paths\n    params: {from: hamas, to: usa}\n")
	if fs := Validate([]Input{in}, Default()); len(fs) != 0 {
		t.Errorf("a valid watch list has findings: %v", fs)
	}
}
