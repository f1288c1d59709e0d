package queries

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// FuzzBind feeds arbitrary --param assignments (one a line) through ParseAssignments
// and every stored query's Bind: no input may panic; a bound value has its type's Go
// type, parses again to itself, and renders as a literal; every problem is a
// *ParamError naming the query.
//
//	go test ./queries -run '^$' -fuzz '^FuzzBind$' -fuzztime 5m
func FuzzBind(f *testing.F) {
	lib, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	// Malformed assignments, then, for every parameter the queries declare (so that the
	// seeds reach Bind's checks whatever the queries are renamed to), its default,
	// nothing, and hostile values of its type; and each query's parameters all at once.
	seeds := []string{"a=1\na=2", "=x", "x", "x=", " x = 1 ", "x=1=2"}
	hostile := map[Type][]string{
		TypeInt:          {"3", "-1", "0x10", "99999999999999999999", "1.5"},
		TypeFloat:        {"0.5", "NaN", "-Inf", "1e309", "0,5"},
		TypeDate:         {"2025-05-15", "2025-02-30", "2025-5-1", "-0001-01-01"},
		TypeActor:        {"hamas", "Trump", " 'x' \\u0000", "a,b", "`"},
		TypeActors:       {"hamas, ,israel", "a,b", ",", "usa,usa"},
		TypeString:       {"both", "BOTH", "x"},
		TypeRelationship: {"usa-mediates-for-israel", "x", "' OR 1=1 //"},
	}
	for _, q := range lib.List() {
		var all []string
		for _, p := range q.Params {
			if hostile[p.Type] == nil {
				f.Fatalf("%s: parameter %s has type %s, which FuzzBind has no seeds for", q.Name, p.Name, p.Type)
			}
			seeds = append(seeds, p.Name+"="+p.Default, p.Name+"=")
			for _, v := range hostile[p.Type] {
				seeds = append(seeds, p.Name+"="+v)
			}
			all = append(all, p.Name+"="+p.Default)
		}
		seeds = append(seeds, strings.Join(all, "\n"))
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		raw, err := ParseAssignments(strings.Split(text, "\n"))
		if err != nil {
			return
		}
		for name := range raw {
			if name == "" || strings.TrimSpace(name) != name {
				t.Fatalf("ParseAssignments kept the name %q", name)
			}
		}
		for _, q := range lib.List() {
			out, err := q.Bind(raw)
			if err != nil {
				for _, e := range unjoin(err) {
					var pe *ParamError
					if !errors.As(e, &pe) || pe.Query != q.Name {
						t.Fatalf("%s: %v is not a *ParamError of this query", q.Name, e)
					}
				}
				continue
			}
			for _, p := range q.Params {
				v, ok := out[p.Name]
				if !ok {
					t.Fatalf("%s: bound without %s", q.Name, p.Name)
				}
				checkValue(t, p, v)
			}
		}
	})
}

// checkValue checks one bound value against its parameter's type.
func checkValue(t *testing.T, p Param, v any) {
	t.Helper()
	want := map[Type]reflect.Type{
		TypeInt: reflect.TypeOf(int64(0)), TypeFloat: reflect.TypeOf(0.0), TypeDate: reflect.TypeOf(neo4j.Date{}),
		TypeString: reflect.TypeOf(""), TypeActor: reflect.TypeOf(""), TypeRelationship: reflect.TypeOf(""),
		TypeActors: reflect.TypeOf([]any{}),
	}[p.Type]
	if reflect.TypeOf(v) != want {
		t.Fatalf("%s (%s) bound to a %T", p.Name, p.Type, v)
	}
	if s, ok := v.(string); ok {
		again, err := p.Type.Parse(s)
		if err != nil || again != v {
			t.Fatalf("%s: %q does not parse to itself: %v, %v", p.Name, s, again, err)
		}
	}
	if err := p.inRange(v); err != nil {
		t.Fatalf("%s: bound out of range: %v", p.Name, err)
	}
}

// unjoin splits an errors.Join error into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
