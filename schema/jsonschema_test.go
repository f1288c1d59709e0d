package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// TestJSONSchemaFileIsCurrent keeps the schema editors read in step with the code.
func TestJSONSchemaFileIsCurrent(t *testing.T) {
	got, err := Default().JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("seed.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("schema/seed.schema.json is stale: run go run . schema json-schema > schema/seed.schema.json")
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(mustJSONSchema(t)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("seed.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("seed.schema.json")
	if err != nil {
		t.Fatalf("the JSON Schema does not compile: %v", err)
	}
	return s
}

func mustJSONSchema(t *testing.T) []byte {
	b, err := Default().JSONSchema()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// yamlToJSONValue decodes YAML into the values a JSON Schema validator expects.
func yamlToJSONValue(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return jsonify(v)
}

func jsonify(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonify(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = jsonify(e)
		}
		return x
	case time.Time:
		return x.Format(time.DateOnly)
	case int:
		return float64(x)
	}
	return v
}

func TestJSONSchemaAcceptsTheSeeds(t *testing.T) {
	s := compileSchema(t)
	files, _ := filepath.Glob("../seeds/*.yaml")
	files = append(files, "testdata/validate/valid/seed.yaml")
	if len(files) < 2 {
		t.Fatal("no seed files found")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(yamlToJSONValue(t, data)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestJSONSchemaRejectsBrokenSamples(t *testing.T) {
	s := compileSchema(t)
	const ev = "\n    evidence: [{source: s, quote: q}]"
	cases := map[string]string{
		"unknown top-level key":          "node: []",
		"watch without a query":          "watch:\n  - params: {from: usa}",
		"watch of a bad query name":      "watch:\n  - query: Influence Paths",
		"watch with a list of params":    "watch:\n  - query: mediators\n    params: [a, b]",
		"watch with an unknown field":    "watch:\n  - query: mediators\n    colour: blue",
		"unknown field":                  "nodes:\n  - id: a\n    kind: State\n    name: A\n    nmae: x" + ev,
		"unknown kind":                   "nodes:\n  - id: a\n    kind: Stat\n    name: A" + ev,
		"bad id":                         "nodes:\n  - id: A_1\n    kind: State\n    name: A" + ev,
		"missing evidence":               "nodes:\n  - {id: a, kind: State, name: A}",
		"evidence without quote or note": "nodes:\n  - id: a\n    kind: State\n    name: A\n    evidence: [{source: s}]",
		"blank quote":                    "nodes:\n  - id: a\n    kind: State\n    name: A\n    evidence: [{source: s, quote: '  '}]",
		"event without date":             "nodes:\n  - id: a\n    kind: Event\n    name: A" + ev,
		"state with a date":              "nodes:\n  - id: a\n    kind: State\n    name: A\n    date: 2025" + ev,
		"bad date":                       "nodes:\n  - id: a\n    kind: Event\n    name: A\n    date: 2025/05/01" + ev,
		"unknown type":                   "relationships:\n  - id: r\n    type: LIKES\n    from: a\n    to: b\n    confidence: high" + ev,
		"bad confidence":                 "relationships:\n  - id: r\n    type: CONSULTS\n    from: a\n    to: b\n    confidence: sure" + ev,
		"goldstein out of range":         "relationships:\n  - id: r\n    type: CONSULTS\n    from: a\n    to: b\n    confidence: high\n    influence: {goldstein: 12, reason: x}" + ev,
		"source without url or file":     "sources:\n  - {id: s, publisher: P, title: T, published: 2025, reliability: primary}",
		"cameo code as a number":         "nodes:\n  - id: a\n    kind: Event\n    name: A\n    date: 2025\n    eventCode: 46" + ev,
		"covers not FROM/UNTIL":          "covers: 2025-01-15 to 2025-06-02",
		"covers as a mapping":            "covers: {from: 2025-01-15, until: 2025-06-02}",
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			if err := s.Validate(yamlToJSONValue(t, []byte(strings.TrimSpace(doc)))); err == nil {
				t.Errorf("the JSON Schema accepts:\n%s", doc)
			}
		})
	}
}

// TestBrowserStyleFileIsCurrent keeps schema/browser.grass in step with the vocabulary.
func TestBrowserStyleFileIsCurrent(t *testing.T) {
	want, err := os.ReadFile("browser.grass")
	if err != nil {
		t.Fatal(err)
	}
	got := Default().GraSS()
	if got != string(want) {
		t.Error("schema/browser.grass is stale: run go run . schema grass > schema/browser.grass")
	}
	for _, sel := range []string{"node.State {\n  color: #4C8EDA;", "relationship.ATTACKS {\n  color: #E53935;", "relationship.NEGOTIATES_WITH {\n  color: #4CAF50;", "node.Source {"} {
		if !strings.Contains(got, sel) {
			t.Errorf("style lacks %q", sel)
		}
	}
}
