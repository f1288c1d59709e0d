package schema

import (
	"io"
	"strings"
	"testing"
)

func TestDatasetKey(t *testing.T) {
	cases := []struct {
		name, yaml, want string // want: the findings' rules and messages, "" for none
	}{
		{"a name", "dataset: seeds\nnodes:\n", ""},
		{"a quoted name with spaces", "dataset: \"my data\"\n", ""},
		{"a list", "dataset: [a, b]\n", "type: dataset: want the dataset's name, got a list"},
		{"empty", "dataset: \"\"\n", "format: dataset \"\": a dataset name is required"},
		{"a number", "dataset: 12\n", "type: dataset: want the dataset's name, got"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			findings, err := ParseFile("f.yaml", []byte(tc.yaml), func(Record) error { return nil })
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range findings {
				got = append(got, f.Rule+": "+f.Message)
			}
			if tc.want == "" && len(got) > 0 || tc.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tc.want)) {
				t.Errorf("findings %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDeclaredDatasets(t *testing.T) {
	input := func(name, text string) Input {
		return Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }}
	}
	got := DeclaredDatasets([]Input{
		input("a.yaml", "# yaml-language-server: $schema=../schema/seed.schema.json\ndataset: seeds\nnodes:\n"),
		input("b.yaml", "nodes:\n  - id: x\n    dataset: not-top-level\n"),
		input("c.yaml", "# "+strings.Repeat("long ", 30000)+"\ndataset: 'other one'\n"),
		{Name: "d.yaml", Open: func() (io.ReadCloser, error) { return nil, io.ErrUnexpectedEOF }},
	})
	want := []Declared{{Name: "seeds", File: "a.yaml", Line: 2}, {Name: "other one", File: "c.yaml", Line: 2}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
