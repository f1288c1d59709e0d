package loader_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/schema"
)

// split is the basic dataset in four files, with a third source that only b.yaml
// cites, so that edits of one file reach across to the others.
func split(t testing.TB) files {
	t.Helper()
	b := basic(t)
	lines := strings.SplitAfter(b["graph.yaml"], "\n")
	at := func(prefix string) int {
		for i, l := range lines {
			if strings.HasPrefix(l, prefix) {
				return i
			}
		}
		t.Fatalf("graph.yaml has no line %q", prefix)
		return 0
	}
	doha, rels := at("  - id: doha"), at("relationships:")
	f := files{
		"sources.yaml": b["sources.yaml"] + "  - id: src-extra\n    publisher: Example Wire\n    title: Doha\n    url: https://example.org/doha\n    published: 2025-05-10\n    reliability: reputable\n",
		"a.yaml":       strings.Join(lines[:doha], ""),
		"b.yaml":       "nodes:\n" + strings.Join(lines[doha:rels], ""),
		"r.yaml":       strings.Join(lines[rels:], ""),
	}
	return f.with(t, "b.yaml", "      - source: src-talks\n        quote: \"in Doha\"", "      - source: src-extra\n        note: a wire report")
}

// counted gives the files' inputs, counting each file's opens.
func counted(t testing.TB, f files, opens map[string]int, mu *sync.Mutex) []schema.Input {
	in := f.inputs(t)
	for i := range in {
		name, open := in[i].Name, in[i].Open
		in[i].Open = func() (io.ReadCloser, error) {
			mu.Lock()
			opens[name]++
			mu.Unlock()
			return open()
		}
	}
	return in
}

// outcome is what a plan and then a load of an edit give: findings, changes, counters
// and the graph.
type outcome struct {
	Findings    []schema.Finding
	Plan        []loader.Change
	PlanCounts  [3]int
	Tallies     []loader.Tally
	Counters    loader.Counters
	Graph       graph
	PlanReused  int
	LoadReused  int
	Opens       map[string]int
	ResultFiles [2]int
}

// An edit of one file, planned then loaded with the files unchanged since the last load
// taken from the cache, gives what reading every file gives: the same findings (file,
// line, column, message), the same plan and the same changes, against the same graph.
func TestIncrementalEqualsFull(t *testing.T) {
	db := neo4jtest.Open(t)
	base := split(t)
	type edit struct {
		name, file, old, new string
		prune                bool
		invalid              bool
	}
	edits := []edit{
		{name: "one record changed", file: "r.yaml", old: "confidence: low", new: "confidence: medium"},
		{name: "one record added", file: "b.yaml", old: "nodes:\n", new: "nodes:\n  - id: gaza\n    kind: Place\n    name: Gaza\n    wikidata: Q39760\n    evidence:\n      - source: src-talks\n        note: named\n"},
		{name: "one record deleted, pruned", file: "r.yaml", old: "  - id: proposal-includes-withdrawal\n    type: INCLUDES\n    from: proposal\n    to: withdrawal\n    confidence: medium\n    evidence:\n      - source: src-statement\n        quote: \"full withdrawal\"\n", new: "", prune: true},
		{name: "a node renamed, so an unchanged file's references dangle", file: "b.yaml", old: "id: doha\n", new: "id: doha-city\n", invalid: true},
		{name: "an id of an unchanged file defined again", file: "b.yaml", old: "nodes:\n", new: "nodes:\n  - id: usa\n    kind: State\n    name: Again\n    wikidata: Q30\n    evidence:\n      - source: src-talks\n        note: again\n", invalid: true},
		{name: "a source of an unchanged file no longer cited", file: "b.yaml", old: "source: src-extra\n", new: "source: src-talks\n"},
	}
	for _, ed := range edits {
		t.Run(ed.name, func(t *testing.T) {
			edited := base.with(t, ed.file, ed.old, ed.new)
			try := func(cacheDir string) outcome {
				t.Helper()
				if err := neo4jtest.Reset(ctx, db); err != nil {
					t.Fatal(err)
				}
				o := opts("split")
				o.CacheDir = cacheDir
				load(t, db, base, o)
				o.Prune = ed.prune
				var out outcome
				var mu sync.Mutex
				out.Opens = map[string]int{}
				p, err := loader.Plan(ctx, db, counted(t, edited, out.Opens, &mu), schema.Default(), o)
				var ve *loader.ValidationError
				switch {
				case ed.invalid && errors.As(err, &ve):
					out.Findings = ve.Findings
					if _, err := loader.Load(ctx, db, edited.inputs(t), schema.Default(), o); !errors.As(err, &ve) || !reflect.DeepEqual(ve.Findings, out.Findings) {
						t.Errorf("load: %v, want the plan's findings", err)
					}
					out.Graph = dump(t, db)
					return out
				case err != nil:
					t.Fatalf("plan: %v", err)
				}
				out.Findings, out.Plan, out.PlanCounts, out.PlanReused = p.Warnings, p.Changes, [3]int{p.Create, p.Update, p.Delete}, p.FilesReused
				res := load(t, db, edited, o)
				if !reflect.DeepEqual(res.Warnings, p.Warnings) {
					t.Errorf("load's warnings %v, plan's %v", res.Warnings, p.Warnings)
				}
				out.Tallies, out.Counters, out.LoadReused, out.Graph = res.Changes, res.Counters, res.FilesReused, dump(t, db)
				out.ResultFiles = [2]int{res.FilesRead, res.FilesReused}
				return out
			}
			full := try("")
			inc := try(t.TempDir())
			if !ed.invalid {
				if len(full.Plan) == 0 {
					t.Fatal("the edit changes nothing: the test would prove nothing")
				}
				if full.PlanReused != 0 || inc.PlanReused != 3 || inc.LoadReused != 3 || inc.ResultFiles != [2]int{1, 3} {
					t.Errorf("files taken from the last run: full %d/%d, incremental plan %d, load %v; want 0, 3 and 1 read, 3 taken", full.PlanReused, full.LoadReused, inc.PlanReused, inc.ResultFiles)
				}
			} else if len(full.Findings) == 0 {
				t.Fatal("no findings: the test would prove nothing")
			}
			// The unchanged files are opened once, to be hashed, and not read again.
			for name, n := range inc.Opens {
				want := 1
				if name == "testdata/"+ed.file {
					want = 2
				}
				if n != want {
					t.Errorf("incremental plan opened %s %d times, want %d", name, n, want)
				}
			}
			if !reflect.DeepEqual(inc.Findings, full.Findings) {
				t.Errorf("findings:\nincremental %v\n       full %v", inc.Findings, full.Findings)
			}
			if !reflect.DeepEqual(inc.Plan, full.Plan) || inc.PlanCounts != full.PlanCounts {
				t.Errorf("plan:\nincremental %v %v\n       full %v %v", inc.PlanCounts, inc.Plan, full.PlanCounts, full.Plan)
			}
			if !reflect.DeepEqual(inc.Tallies, full.Tallies) || inc.Counters != full.Counters {
				t.Errorf("load:\nincremental %v %v\n       full %v %v", inc.Tallies, inc.Counters, full.Tallies, full.Counters)
			}
			sameGraph(t, inc.Graph, full.Graph)
		})
	}
}

// The cache is used only while the graph is provably as the last run left it, and only
// as it was written: a commit since, a corrupt blob or the flag off cost the shortcut,
// never a wrong answer; a chain of incremental loads keeps it.
func TestCacheOnlyWhenProved(t *testing.T) {
	db := neo4jtest.Open(t)
	dir := t.TempDir()
	o := opts("split")
	o.CacheDir = dir
	base := split(t)
	load(t, db, base, o)
	edit1 := base.with(t, "r.yaml", "confidence: low", "confidence: medium")
	edit2 := edit1.with(t, "b.yaml", "name: Doha\n", "name: Doha city\n")

	if res := load(t, db, edit1, o); res.FilesReused != 3 || res.Updated != 1 {
		t.Errorf("first edit: %d files reused, %d updated; want 3 and 1", res.FilesReused, res.Updated)
	}
	// The load of an edit keeps the cache for the next: r.yaml is now taken from it.
	if res := load(t, db, edit2, o); res.FilesReused != 3 || res.Updated != 1 {
		t.Errorf("second edit: %d files reused, %d updated; want 3 and 1", res.FilesReused, res.Updated)
	}
	sameGraph(t, dump(t, db), expected(t, edit2, "split"))

	// A hand edit since: every file is read and compared, and the edit repaired.
	run(t, db, "MATCH (n {id: 'usa'}) SET n.name = 'edited by hand'", nil)
	if p := plan(t, db, edit1, o); p.FilesReused != 0 || p.Update != 2 {
		t.Errorf("plan after a hand edit: %d files reused, %d updates; want 0 and 2 (the edit and doha)", p.FilesReused, p.Update)
	}
	if res := load(t, db, edit1, o); res.FilesReused != 0 || res.Updated != 2 {
		t.Errorf("load after a hand edit: %d files reused, %d updated; want 0 and 2", res.FilesReused, res.Updated)
	}
	sameGraph(t, dump(t, db), expected(t, edit1, "split"))

	// A blob altered on disk is not used: that file is read.
	blobs, err := filepath.Glob(filepath.Join(dir, "*", strings.Repeat("[0-9a-f]", 64)))
	if err != nil || len(blobs) != 4 {
		t.Fatalf("cache blobs %v (%v), want 4", blobs, err)
	}
	for _, b := range blobs {
		if err := os.WriteFile(b, []byte("backchannel kept summaries 2\n\x01garbage"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if p := plan(t, db, edit2, o); p.FilesReused != 0 || p.Update != 1 {
		t.Errorf("plan with corrupt blobs: %d files reused, %d updates; want 0 and 1", p.FilesReused, p.Update)
	}

	// Off: nothing taken, nothing kept.
	off := opts("split")
	if res := load(t, db, edit2, off); res.FilesReused != 0 || res.FilesRead != 4 {
		t.Errorf("without a cache: %d read, %d reused", res.FilesRead, res.FilesReused)
	}
	if p := plan(t, db, edit1, o); p.FilesReused != 0 {
		t.Errorf("a cache older than the last run was used: %d files", p.FilesReused)
	}
}
