package queries

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/backchannel/backchannel/schema"
)

// TestPartsAreCurrent fails when a stored query's generated lines differ from its parts
// (queries/parts) rendered with the vocabulary's influence model: someone edited a part
// or the vocabulary without running go generate, or edited generated lines by hand.
func TestPartsAreCurrent(t *testing.T) {
	parts, err := ParseParts(os.DirFS("parts"), ModelOf(schema.Default().InfluenceModel))
	if err != nil {
		t.Fatal(err)
	}
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("no stored queries")
	}
	used := 0
	for _, q := range list {
		got, err := parts.Expand(q.File, q.Cypher)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if got != q.Cypher {
			t.Errorf("queries/%s is stale: its generated parts differ from queries/parts; run go generate ./queries", q.File)
		}
		used += strings.Count(q.Cypher, "// part: ")
	}
	// the path queries, ties and the resolution of every actor parameter use parts
	if used < 10 {
		t.Errorf("only %d parts in the stored queries", used)
	}
}

func TestExpandParts(t *testing.T) {
	dir := fstest.MapFS{
		"greet.cypher": {Data: []byte("{{- /* a comment */ -}}\nRETURN {{.Args.who}} AS x,\n  {{part \"inner\" \"v\" .Args.who}} AS y\n")},
		"inner.cypher": {Data: []byte("{{.Args.v}} + 1\n")},
		"conf.cypher":  {Data: []byte("{{.Model.Confidence}}\n")},
	}
	model := ModelOf(schema.InfluenceModel{Confidence: map[string]float64{"high": 1, "low": 0.4}, ConfidencePresets: map[string]map[string]float64{"flat": {"high": 1, "low": 1}}})
	parts, err := ParseParts(dir, model)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, in, want string }{
		{"rendered and indented like its marker", "A\n  // part: greet who=$a\n  old\n  // end part: greet\nB\n",
			"A\n  // part: greet who=$a\n  RETURN $a AS x,\n    $a + 1 AS y\n  // end part: greet\nB\n"},
		{"idempotent", "  // part: greet who=$a\n  RETURN $a AS x,\n    $a + 1 AS y\n  // end part: greet\n",
			"  // part: greet who=$a\n  RETURN $a AS x,\n    $a + 1 AS y\n  // end part: greet\n"},
		{"the model as a Cypher map", "// part: conf\n// end part: conf\n",
			"// part: conf\n{flat: {high: 1.0, low: 1.0}, graded: {high: 1.0, low: 0.4}}\n// end part: conf\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := parts.Expand("q.cypher", c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
	for _, c := range []struct{ name, in, want string }{
		{"no end", "// part: greet who=1\nx\n", "q.cypher:1: part greet has no '// end part: greet' line"},
		{"end of another", "// part: greet who=1\n// end part: conf\n", "q.cypher:2: end part: conf closes part greet (line 1)"},
		{"end alone", "x\n// end part: conf\n", "q.cypher:2: end part: conf without its start"},
		{"unknown part", "// part: nope\n// end part: nope\n", "q.cypher:1: part nope: no part nope in queries/parts"},
		{"missing argument", "// part: greet\n// end part: greet\n", `q.cypher:1: part greet: template: greet:2:14: executing "greet" at <.Args.who>: map has no entry for key "who"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := parts.Expand("q.cypher", c.in)
			if err == nil || err.Error() != c.want {
				t.Errorf("got %v, want %s", err, c.want)
			}
		})
	}
}
