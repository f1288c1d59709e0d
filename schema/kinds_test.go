package schema

import (
	"fmt"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

// fieldKindProblems walks a record type and returns, for each field whose kind the
// parser (decode) or the JSON Schema (fieldSchema) does not handle, what is wrong.
func fieldKindProblems(t reflect.Type) []string {
	var out []string
	samples := map[reflect.Kind]string{
		reflect.String: "x", reflect.Float64: "1.5", reflect.Int: "3", reflect.Int64: "3",
		reflect.Int32: "3", reflect.Bool: "true", reflect.Struct: "{}", reflect.Slice: "[]",
	}
	jsonTypes := map[reflect.Kind]string{
		reflect.String: "string", reflect.Float64: "number", reflect.Int: "integer", reflect.Int64: "integer",
		reflect.Int32: "integer", reflect.Bool: "boolean", reflect.Struct: "object", reflect.Slice: "array",
	}
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if yamlName(f) == "" {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			name := t.Name() + "." + f.Name
			sample, ok := samples[ft.Kind()]
			if ft == dateType {
				sample = "2025-05"
			} else if !ok {
				out = append(out, fmt.Sprintf("%s is a %s: add it to decode, fieldSchema and this test", name, ft.Kind()))
				continue
			}
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(sample), &n); err != nil {
				panic(err)
			}
			if msg := decodeProblem(n.Content[0], f.Type); msg != "" {
				out = append(out, name+": "+msg)
			}
			if msg := schemaProblem(f.Type, name, jsonTypes[ft.Kind()]); msg != "" {
				out = append(out, name+": "+msg)
			}
			switch ft.Kind() {
			case reflect.Struct:
				if ft != dateType {
					walk(ft)
				}
			case reflect.Slice:
				if e := ft.Elem(); e.Kind() == reflect.Struct {
					walk(e)
				}
			}
		}
	}
	walk(t)
	return out
}

func decodeProblem(n *yaml.Node, t reflect.Type) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("decode panics: %v", r)
		}
	}()
	p := &parser{file: "f.yaml", seen: map[string]Pos{}}
	p.decode(n, reflect.New(t).Elem(), recordStep, &Positions{})
	if len(p.findings) > 0 {
		return "decode rejects a sample value: " + p.findings[0].Message
	}
	return ""
}

func schemaProblem(t reflect.Type, field, wantType string) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("fieldSchema panics: %v", r)
		}
	}()
	s := fieldSchema(t, nil, Default(), field)
	if _, ref := s["$ref"]; ref {
		return ""
	}
	if got := s["type"]; got != wantType {
		return fmt.Sprintf("fieldSchema gives type %v, want %s", got, wantType)
	}
	return ""
}

// TestEveryFieldKind (F4): every field of the record types has a kind that the parser
// decodes and the JSON Schema types; a field of any other kind fails here, not at run
// time.
func TestEveryFieldKind(t *testing.T) {
	for _, rec := range []any{Source{}, Node{}, Relationship{}, Evidence{}} {
		for _, p := range fieldKindProblems(reflect.TypeOf(rec)) {
			t.Error(p)
		}
	}
	type later struct {
		Rank   int     `yaml:"rank"`
		Public bool    `yaml:"public"`
		Count  uint    `yaml:"count"`
		Scores []int64 `yaml:"scores"`
	}
	got := fieldKindProblems(reflect.TypeOf(later{}))
	if len(got) != 1 || got[0] != "later.Count is a uint: add it to decode, fieldSchema and this test" {
		t.Errorf("a record type with int, bool, uint and []int64 fields: want only the uint reported, got %q", got)
	}
}

// TestDecodeIntBool: whole numbers and booleans decode, and wrong values are findings.
func TestDecodeIntBool(t *testing.T) {
	var v struct {
		N int8 `yaml:"n"`
		B bool `yaml:"b"`
	}
	for _, c := range []struct{ text, want string }{
		{"n: 12\nb: true", ""},
		{"n: 0x10\nb: false", ""},
		{"n: 300", "1:4: n: want a whole number, got the integer 300"},
		{"n: 1.5", "1:4: n: want a whole number, got the number 1.5"},
		{"b: yes please", "1:4: b: want true or false, got the string \"yes please\""},
	} {
		text, want := c.text, c.want
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(text), &n); err != nil {
			t.Fatal(err)
		}
		p := &parser{file: "f.yaml", rec: &Record{typeErrors: map[string]bool{}}}
		p.decode(n.Content[0], reflect.ValueOf(&v).Elem(), recordStep, &Positions{})
		got := ""
		if len(p.findings) > 0 {
			f := p.findings[0]
			got = fmt.Sprintf("%d:%d: %s", f.Line, f.Col, f.Message)
		}
		if got != want {
			t.Errorf("%q: got %q, want %q", text, got, want)
		}
	}
	if v.N != 16 || v.B {
		t.Errorf("after the last good value (n: 0x10, b: false): n = %d, b = %v", v.N, v.B)
	}
}
