package schema

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// fastPathCorpus is what the fast-path fuzz targets start from: the curated seeds, the
// validate cases, a small gen dataset (testdata/gen), and lines near the fast path's
// edges.
func fastPathCorpus(t testing.TB) [][]byte {
	var out [][]byte
	paths, _ := filepath.Glob("testdata/validate/*/*.yaml")
	more, _ := filepath.Glob("../seeds/*.yaml")
	gen, _ := filepath.Glob("testdata/gen/*.yaml") // backchannel gen -n 60 --seed 3 --file-records 40
	for _, p := range append(append(paths, more...), gen...) {
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	for _, s := range []string{
		"nodes:\n  - {id: a, kind: State, name: \"Ä “x”\", aliases: [\"A\", b c], wikidata: Q1, evidence: [{source: s, quote: \"q\"}]}\n",
		"relationships:\n- {id: r, since: 2025-02-30, until: 2025-02-28, act: true, confidence: low}\n",
		"nodes:\n  - {id: 0, kind: 1.5, name: null, aliases: {}, evidence: []}\n  # a comment\n\n  - {id: yes, name: no}\n",
		"sources:\n  - {id: s, published: 2025, accessed: 2025-01, note: a  b , title: \"#x: y\"}\n",
		"nodes:\n  - {id: a, id: a}\n  - {id: b}   \n   - {id: c}\n",
		"nodes:\n  - {id: a}\n  - id: b\n    name: c\n",
		"nodes:\n  - {id: \"a\\\"b\", name: 'c'}\n",
		"nodes:\n  - {id: a, name: b c # d}\n",
		"nodes:\n  - {id: a, evidence: [[[[[x]]]]]}\n",
	} {
		out = append(out, []byte(s))
	}
	return out
}

// FuzzFlowItemsAgree: whatever flowItems accepts, yaml.v3 parses into the same tree
// (kinds, tags, values, styles, lines and columns); the input is a piece of list items
// as the splitter cuts them, or any bytes.
//
//	go test ./schema -run '^$' -fuzz '^FuzzFlowItemsAgree$' -fuzztime 3m
func FuzzFlowItemsAgree(f *testing.F) {
	for _, b := range fastPathCorpus(f) {
		_ = split(bytes.NewReader(b), func(pc piece) error {
			if pc.items {
				f.Add(pc.data)
			}
			return nil
		})
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, items []byte) {
		data := append([]byte(itemsKey), items...)
		fast, ok := flowItems(data)
		if !ok {
			return
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("the fast path read what yaml.v3 refuses (%v):\n%q", err, data)
		}
		root := documentRoot(&doc)
		if root == nil || root.Kind != yaml.MappingNode || len(root.Content) != 2 {
			t.Fatalf("yaml.v3 read no list of items from %q", data)
		}
		if diff := nodeDiff(root.Content[1], fast, ""); diff != "" {
			t.Fatalf("the fast path and yaml.v3 differ at %s on\n%q", diff, data)
		}
	})
}

// nodeDiff describes the first difference between two trees, or returns "".
func nodeDiff(want, got *yaml.Node, path string) string {
	type node struct {
		Kind         yaml.Kind
		Style        yaml.Style
		Tag, Value   string
		Line, Column int
		Content      int
	}
	w := node{want.Kind, want.Style, want.Tag, want.Value, want.Line, want.Column, len(want.Content)}
	g := node{got.Kind, got.Style, got.Tag, got.Value, got.Line, got.Column, len(got.Content)}
	if w != g {
		return fmt.Sprintf("%s: yaml.v3 %+v, fast path %+v", path, w, g)
	}
	for i := range want.Content {
		if d := nodeDiff(want.Content[i], got.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// FuzzFastPathFindings: a whole file gives the same findings (messages, lines, columns)
// and the same records with the fast path as with yaml.v3 alone, and each record's
// positions answer as a map of its paths would.
//
//	go test ./schema -run '^$' -fuzz '^FuzzFastPathFindings$' -fuzztime 3m
func FuzzFastPathFindings(f *testing.F) {
	for _, b := range fastPathCorpus(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		run := func(mode parseMode) (string, []Record) {
			defer mode.set()()
			var recs []Record
			x := NewValidator(Default())
			fs, err := ParseFile("f.yaml", data, func(r Record) error {
				checkPositions(t, r)
				recs = append(recs, r)
				x.Record(r)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			x.Add(fs...)
			return findingsText(x.Finish()), recs
		}
		wantText, wantRecs := run(modeYAML)
		for _, mode := range []parseMode{modeTree, modeDirect} {
			gotText, gotRecs := run(mode)
			if gotText != wantText {
				t.Fatalf("findings differ on %q\nyaml.v3:\n%s\n%s:\n%s", data, wantText, mode, gotText)
			}
			if !reflect.DeepEqual(gotRecs, wantRecs) {
				t.Fatalf("records differ on %q (%s)", data, mode)
			}
		}
	})
}

// parseMode is how far the fast path goes, for the comparisons.
type parseMode int

const (
	modeYAML   parseMode = iota // yaml.v3 parses every piece
	modeTree                    // the fast path builds trees; no direct decode
	modeDirect                  // as in use: the direct decode, else a tree, else yaml.v3
)

func (m parseMode) String() string { return [...]string{"yaml.v3", "tree path", "direct decode"}[m] }

// set sets the mode and returns the function that restores the one before.
func (m parseMode) set() (restore func()) {
	full, tree := fullParser, treePath
	fullParser, treePath = m == modeYAML, m == modeTree
	return func() { fullParser, treePath = full, tree }
}

// FuzzFlowRecordsAgree: whatever the direct decode reads of a piece of list items, as
// any of the record kinds, yaml.v3 parses, and the tree path decodes into the same
// records and positions, with no finding.
//
//	go test ./schema -run '^$' -fuzz '^FuzzFlowRecordsAgree$' -fuzztime 3m -fuzzminimizetime 3s
func FuzzFlowRecordsAgree(f *testing.F) {
	for _, b := range fastPathCorpus(f) {
		_ = split(bytes.NewReader(b), func(pc piece) error {
			if pc.items {
				f.Add(pc.data, uint8(0))
			}
			return nil
		})
		f.Add(b, uint8(1))
	}
	f.Fuzz(func(t *testing.T, items []byte, kind uint8) {
		list := recordKinds[int(kind)%len(recordKinds)]
		data := append([]byte(itemsKey), items...)
		var fs flowScanner
		got, ok := fs.records(data, list, "f.yaml", 7)
		if !ok {
			return
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("the direct decode read what yaml.v3 refuses (%v):\n%q", err, data)
		}
		root := documentRoot(&doc)
		if root == nil || root.Kind != yaml.MappingNode || len(root.Content) != 2 {
			t.Fatalf("yaml.v3 read no list of items from %q", data)
		}
		p := &parser{file: "f.yaml", lines: 7, seen: map[string]Pos{}, list: list}
		var want []Record
		if err := p.items(root.Content[1], func(r Record) error { want = append(want, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(p.findings) > 0 {
			t.Fatalf("the direct decode read %s where the tree path finds %v:\n%q", list, p.findings, data)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("the direct decode and the tree path differ on %s:\n%q\ndirect: %s\ntree:   %s", list, data, recordsText(got), recordsText(want))
		}
	})
}

// recordsText writes records and their positions, for a failure's message.
func recordsText(recs []Record) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "%+v %+v %+v %v\n", r.Source, r.Node, r.Relationship, r.Pos)
	}
	return b.String()
}

// TestFlowFieldsMatchTags: each field the direct decode knows is the struct field of
// that YAML name, of the type it decodes, with a bit of its own; a name of no field of
// the type (one of another type's) decodes nowhere.
func TestFlowFieldsMatchTags(t *testing.T) {
	for _, r := range []flowRecord{&Source{}, &Node{}, &Relationship{}, &Evidence{}} {
		v := reflect.ValueOf(r).Elem()
		fields := yamlFields(v.Type())
		known, bits := 0, map[uint]string{}
		for _, name := range append(slices.Clone(steps.Load().names), "nosuchfield") {
			tg, bit := r.field([]byte(name))
			i, ok := fields[name]
			if tg.none() {
				continue
			}
			known++
			if !ok {
				t.Errorf("%s has no field %q, but it is decoded", v.Type(), name)
				continue
			}
			if other, dup := bits[bit]; dup || bit >= 64 {
				t.Errorf("%s: %q has bit %d, as %q has", v.Type(), name, bit, other)
			}
			bits[bit] = name
			if got := stepName(uint16(-1 - stepsOf(r)[bit])); got != name {
				t.Errorf("%s: the position of %q is named %q", v.Type(), name, got)
			}
			var p any
			switch {
			case tg.str != nil:
				p = tg.str
			case tg.date != nil:
				p = tg.date
			case tg.strs != nil:
				p = tg.strs
			default:
				p = tg.evidence
			}
			if f := v.Field(i); f.Addr().Interface() != p {
				t.Errorf("%s: %q decodes into another field than %s", v.Type(), name, v.Type().Field(i).Name)
			}
		}
		if known < 3 {
			t.Errorf("%s: only %d fields known", v.Type(), known)
		}
	}
}

// TestFastPathManyPieces: a file of many pieces (the fast path reuses its slabs from
// piece to piece), with findings in some records (pieces the direct decode leaves to the
// tree path) and a piece the fast path leaves to yaml.v3 in the middle, gives the same
// findings and records all three ways.
func TestFastPathManyPieces(t *testing.T) {
	gen0, err := os.ReadFile("testdata/gen/00001.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, line := range strings.Split(string(gen0), "\n") {
		if strings.HasPrefix(line, "  - {id: r-") {
			rels = append(rels, line)
		}
	}
	src, err := os.ReadFile("testdata/gen/00000.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	head, _, _ := strings.Cut(string(src), "relationships:\n") // its sources and nodes
	b.WriteString(head + "relationships:\n")
	for k := 0; b.Len() < 5*batchBytes; k++ {
		for i, line := range rels {
			line = strings.Replace(line, "id: r-", fmt.Sprintf("id: r%d-", k), 1)
			switch (k*len(rels) + i) % 97 {
			case 3:
				line = strings.Replace(line, "confidence: ", "confidence: 7, act: ", 1) // type errors
			case 5:
				line = strings.Replace(line, "type: ", "tpye: ", 1) // an unknown field
			case 7:
				line = strings.Replace(line, "from: ", "to: ", 1) // a duplicate key
			}
			b.WriteString(line + "\n")
		}
		if k == 2 {
			b.WriteString("  - id: block-style\n    type: CONSULTS\n") // left to yaml.v3
		}
	}
	data := []byte(b.String())
	if items, fast, direct, err := FastPathPieces(data); err != nil || fast < 4 || fast == items || direct >= fast || direct < 2 {
		t.Fatalf("want at least 4 pieces on the fast path and one not, and fewer but 2 at least decoded directly: %d and %d of %d (%v)", fast, direct, items, err)
	}
	run := func(mode parseMode) (string, []Record) {
		defer mode.set()()
		var recs []Record
		x := NewValidator(Default())
		fs, err := ParseFile("many.yaml", data, func(r Record) error { recs = append(recs, r); x.Record(r); return nil })
		if err != nil {
			t.Fatal(err)
		}
		x.Add(fs...)
		return findingsText(x.Finish()), recs
	}
	want, wantRecs := run(modeYAML)
	for _, mode := range []parseMode{modeTree, modeDirect} {
		got, gotRecs := run(mode)
		if got != want {
			t.Errorf("findings differ\nyaml.v3:\n%.3000s\n%s:\n%.3000s", want, mode, got)
		}
		if !reflect.DeepEqual(gotRecs, wantRecs) {
			t.Errorf("records differ (%s)", mode)
		}
	}
	if !strings.Contains(want, "[type]") || !strings.Contains(want, "[unknown-field]") || !strings.Contains(want, "[duplicate-key]") {
		t.Errorf("the file lacks the findings it was built to have:\n%.2000s", want)
	}
}

// checkPositions fails unless rec's positions answer as a map from each value's path
// to its position would (the last one set of a path; At falls back to the parents),
// for records of at most 100 values.
func checkPositions(t *testing.T, rec Record) {
	t.Helper()
	if len(rec.Pos.list) > 100 {
		return // the probes are quadratic in the values; records have a dozen
	}
	m := map[string]Pos{}
	var probes []string
	for i, e := range rec.Pos.list {
		path := rec.Pos.path(i)
		m[path] = Pos{File: rec.Pos.file, Line: int(e.line), Col: int(e.col)}
		probes = append(probes, path, path+".x", path+"[0]", path+"[10]", path+"x", "x"+path)
	}
	for _, path := range probes {
		want, ok := m[path]
		got, gotOK := rec.Pos.lookup(path)
		if got != want || gotOK != ok {
			t.Fatalf("positions of %q: got %v %v, want %v %v", path, got, gotOK, want, ok)
		}
		for q := path; ; {
			if _, ok := m[q]; ok {
				want = m[q]
				break
			}
			i := strings.LastIndexAny(q, ".[")
			if i < 0 {
				want = m[""]
				break
			}
			q = q[:i]
		}
		if got := rec.Pos.At(path); got != want {
			t.Fatalf("At(%q): got %v, want %v", path, got, want)
		}
	}
}
