package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// FuzzFieldProof: the proof (fieldproof.go) never passes a record that validator/v10
// fails, and passes every node, and every relationship without influence overrides,
// that validator/v10 passes. The input is a record kind and its fields, written as
// fillRecord reads them; the seeds are the records of the fast path's corpus.
//
//	go test ./schema -run '^$' -fuzz '^FuzzFieldProof$' -fuzztime 3m
func FuzzFieldProof(f *testing.F) {
	for _, data := range fastPathCorpus(f) {
		_, _ = ParseFile("f.yaml", data, func(r Record) error {
			var b bytes.Buffer
			unfill(reflect.ValueOf(r.value()).Elem(), &b)
			f.Add(kindIndex(r), b.Bytes())
			return nil
		})
	}
	val := newFieldValidator()
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		rec := fillRecord(kind, data)
		pass := fieldsPass(rec)
		err := val.Struct(rec.value())
		if pass && err != nil {
			t.Fatalf("the proof passes a record of %s that validator/v10 fails (%v): %+v", rec.Kind, err, rec.value())
		}
		complete := rec.Node != nil || rec.Relationship != nil && rec.Relationship.Influence == nil && rec.Relationship.ReverseInfluence == nil
		if complete && !pass && err == nil {
			t.Fatalf("the proof fails a record of %s that validator/v10 passes: %+v", rec.Kind, rec.value())
		}
	})
}

// TestFieldProofPassesGen: the proof passes every node and relationship of the gen
// dataset (else validation would not save validator/v10's walk) and knows the tags of
// nodes and relationships.
func TestFieldProofPassesGen(t *testing.T) {
	if !nodeProof.known || !relationshipProof.known {
		t.Fatalf("the proof does not know every tag: nodes %v, relationships %v", nodeProof.known, relationshipProof.known)
	}
	paths, _ := filepath.Glob("testdata/gen/*.yaml")
	if len(paths) == 0 {
		t.Fatal("no testdata/gen")
	}
	records, passed := 0, 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseFile(p, data, func(r Record) error {
			if r.Source == nil {
				records++
				if fieldsPass(r) {
					passed++
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if records == 0 || passed != records {
		t.Errorf("the proof passes %d of %d nodes and relationships", passed, records)
	}
}

func kindIndex(r Record) uint8 {
	switch {
	case r.Source != nil:
		return 0
	case r.Node != nil:
		return 1
	}
	return 2
}

// proofValues are values near the field rules' edges, written in fuzz input as @ and
// a byte (its index, modulo their number).
var proofValues = []string{
	"", " ", "\t", "a", "A", "a-b", "a--b", "-a", "us-nsc", "Q30", "Q0", "none", "unverified",
	"USA", "USAB", "PSEREBHMS", "046", "04", "04a", "12345", "high", "medium", "low", "primary",
	"reputable", "secondary", "x y", "é",
	strings.Repeat("a", 100), strings.Repeat("a", 101), strings.Repeat("USA", 10), strings.Repeat("USA", 11),
	strings.Repeat("x", 200), strings.Repeat("x", 201), strings.Repeat("é", 300), strings.Repeat("é", 301),
	strings.Repeat("x", 300), strings.Repeat("x", 301), strings.Repeat("x", 2000), strings.Repeat("x", 2001),
	strings.Repeat("é", 5000), strings.Repeat("x", 5001),
}

// fillRecord makes a record of kind (modulo 3: source, node, relationship) from data.
func fillRecord(kind uint8, data []byte) Record {
	r := &tokens{data: data}
	switch kind % 3 {
	case 0:
		rec := Record{Kind: RecordSource, Source: &Source{}}
		fill(reflect.ValueOf(rec.Source).Elem(), r)
		return rec
	case 1:
		rec := Record{Kind: RecordNode, Node: &Node{}}
		fill(reflect.ValueOf(rec.Node).Elem(), r)
		return rec
	}
	rec := Record{Kind: RecordRelationship, Relationship: &Relationship{}}
	fill(reflect.ValueOf(rec.Relationship).Elem(), r)
	return rec
}

// tokens reads fuzz input as values separated by |.
type tokens struct{ data []byte }

func (r *tokens) next() string {
	tok, rest, _ := bytes.Cut(r.data, []byte("|"))
	r.data = rest
	if len(tok) == 2 && tok[0] == '@' {
		return proofValues[int(tok[1])%len(proofValues)]
	}
	return string(tok)
}

// fill sets v's fields from r: a string is a token; a list a token (empty: nil; else
// its first byte modulo 4 is the length, and #0 and #1 make 100 and 101) and its
// elements; a pointer a token (empty: nil) and its value; a bool a token (empty:
// false); a number a token's length minus 12.
func fill(v reflect.Value, r *tokens) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(r.next())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), r)
		}
	case reflect.Pointer:
		if r.next() == "" {
			return
		}
		e := reflect.New(v.Type().Elem())
		fill(e.Elem(), r)
		v.Set(e)
	case reflect.Slice:
		tok := r.next()
		if tok == "" {
			return
		}
		n := int(tok[0]) % 4
		switch tok {
		case "#0":
			n = 100
		case "#1":
			n = 101
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			fill(s.Index(i), r)
		}
		v.Set(s)
	case reflect.Bool:
		v.SetBool(r.next() != "")
	case reflect.Float64:
		v.SetFloat(float64(len(r.next()) - 12))
	default:
		panic("fill: no filler for " + v.Type().String())
	}
}

// unfill writes v as fill reads it (strings with a | in them are cut there).
func unfill(v reflect.Value, b *bytes.Buffer) {
	switch v.Kind() {
	case reflect.String:
		b.WriteString(strings.ReplaceAll(v.String(), "|", "/") + "|")
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			unfill(v.Field(i), b)
		}
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("|")
			return
		}
		b.WriteString("p|")
		unfill(v.Elem(), b)
	case reflect.Slice:
		switch n := v.Len(); {
		case v.IsNil():
			b.WriteString("|")
		case n < 4:
			b.WriteString(string(rune('0'+n)) + "|")
		default:
			b.WriteString("3|") // the first three
			for i := 0; i < 3; i++ {
				unfill(v.Index(i), b)
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			unfill(v.Index(i), b)
		}
	case reflect.Bool:
		if v.Bool() {
			b.WriteString("t")
		}
		b.WriteString("|")
	case reflect.Float64:
		b.WriteString(strings.Repeat("x", max(0, int(v.Float())+12)) + "|")
	}
}

// FuzzLineBreaks: lineBreaks, which counts with a vectorized search when a piece has
// no line break but \n, counts as lineBreaksEach does a byte at a time.
//
//	go test ./schema -run '^$' -fuzz '^FuzzLineBreaks$' -fuzztime 1m
func FuzzLineBreaks(f *testing.F) {
	for _, s := range []string{"", "a\nb\n", "a\r\nb\rc", "\u0085x\u2028y\u2029", "\xc2\n\xe2\x80\n", "é“x”\n"} {
		f.Add([]byte(s))
	}
	for _, b := range fastPathCorpus(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := lineBreaks(b), lineBreaksEach(b); got != want {
			t.Fatalf("lineBreaks(%q) = %d, want %d", b, got, want)
		}
	})
}
