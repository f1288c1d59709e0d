package gen_test

import (
	"bytes"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/backchannel/backchannel/gen"
	"github.com/backchannel/backchannel/schema"
)

// generate returns the files of a dataset, in memory.
func generate(t *testing.T, o gen.Options) (fstest.MapFS, gen.Stats) {
	t.Helper()
	files := fstest.MapFS{}
	st, err := gen.Generate(o, func(name string) (io.WriteCloser, error) {
		return &memFile{name: name, files: files}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, st
}

type memFile struct {
	bytes.Buffer
	name  string
	files fstest.MapFS
}

func (f *memFile) Close() error {
	f.files[f.name] = &fstest.MapFile{Data: f.Bytes()}
	return nil
}

func TestGenerateValidates(t *testing.T) {
	for _, rels := range []int{0, 1, 5000} {
		files, st := generate(t, gen.Options{Relationships: rels, Seed: 7, FileRecords: 1000})
		in, err := schema.FSInputs(files, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(in) != st.Files {
			t.Errorf("%d rels: %d files written, stats say %d", rels, len(in), st.Files)
		}
		findings := schema.Validate(in, schema.Default())
		if errs, warnings := schema.Summary(findings); errs+warnings > 0 {
			t.Fatalf("%d rels: %d errors, %d warnings, first: %v", rels, errs, warnings, findings[0])
		}
		records := 0
		if _, err := schema.Walk(in, func(schema.Record) error { records++; return nil }); err != nil {
			t.Fatal(err)
		}
		if records != st.Records() || st.Relationships != rels {
			t.Errorf("%d rels: read %d records, stats say %d (%d relationships)", rels, records, st.Records(), st.Relationships)
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, _ := generate(t, gen.Options{Relationships: 3000, Seed: 1})
	b, _ := generate(t, gen.Options{Relationships: 3000, Seed: 1})
	c, _ := generate(t, gen.Options{Relationships: 3000, Seed: 2})
	if !maps.EqualFunc(a, b, func(x, y *fstest.MapFile) bool { return bytes.Equal(x.Data, y.Data) }) {
		t.Error("the same seed gave different files")
	}
	if maps.EqualFunc(a, c, func(x, y *fstest.MapFile) bool { return bytes.Equal(x.Data, y.Data) }) {
		t.Error("seeds 1 and 2 gave the same files")
	}
}

// The busiest actor takes many times the mean degree: the degrees are heavy-tailed.
func TestGenerateHasHubs(t *testing.T) {
	files, st := generate(t, gen.Options{Relationships: 20000, Seed: 3})
	deg := map[string]int{}
	ends := regexp.MustCompile(`from: (a-\d+), to: (a-\d+)`)
	for _, f := range files {
		for _, m := range ends.FindAllSubmatch(f.Data, -1) {
			deg[string(m[1])]++
			deg[string(m[2])]++
		}
	}
	total := 0
	for _, d := range deg {
		total += d
	}
	mean := float64(total) / float64(st.Relationships/10)
	top := slices.Max(slices.Collect(maps.Values(deg)))
	if float64(top) < 20*mean {
		t.Errorf("busiest actor has degree %d, mean %.1f: want a hub of 20x the mean or more", top, mean)
	}
}

// With an ID prefix, every ID and every reference starts with it, the data validates,
// and it shares no ID with the same data unprefixed: two such datasets can sit in one
// graph.
func TestIDPrefix(t *testing.T) {
	plain, _ := generate(t, gen.Options{Relationships: 2000, Seed: 2, FileRecords: 700})
	files, st := generate(t, gen.Options{Relationships: 2000, Seed: 2, FileRecords: 700, IDPrefix: "o-"})
	in, err := schema.FSInputs(files, "")
	if err != nil {
		t.Fatal(err)
	}
	if findings := schema.Validate(in, schema.Default()); len(findings) > 0 {
		t.Fatalf("%d findings, first: %v", len(findings), findings[0])
	}
	ids := func(fs fstest.MapFS) map[string]bool {
		out := map[string]bool{}
		for _, f := range fs {
			for _, m := range regexp.MustCompile(`(?:id|from|to|source): ([a-z0-9-]+)`).FindAllSubmatch(f.Data, -1) {
				out[string(m[1])] = true
			}
		}
		return out
	}
	prefixed, unprefixed := ids(files), ids(plain)
	if len(prefixed) < st.Records() {
		t.Fatalf("%d IDs found, want at least the %d records'", len(prefixed), st.Records())
	}
	for id := range prefixed {
		if !strings.HasPrefix(id, "o-") {
			t.Errorf("%s: no prefix", id)
		}
		if unprefixed[id] {
			t.Errorf("%s: in both datasets", id)
		}
	}
	for _, bad := range []string{"O-", "o--", "-o", "o_"} {
		if _, err := gen.Generate(gen.Options{Relationships: 10, IDPrefix: bad}, func(string) (io.WriteCloser, error) { return &memFile{files: fstest.MapFS{}}, nil }); err == nil {
			t.Errorf("prefix %q: no error", bad)
		}
	}
}
