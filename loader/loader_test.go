package loader_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

func TestMain(m *testing.M) { neo4jtest.Main(m) }

var ctx = context.Background()

// files is a dataset as file name -> YAML text, so that tests can derive variants.
type files map[string]string

func readDir(t testing.TB, dir string) files {
	t.Helper()
	out := files{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

func basic(t testing.TB) files { return readDir(t, "testdata/basic") }

// with returns a copy with old replaced by new in one file, failing unless old occurs
// there exactly once.
func (f files) with(t testing.TB, name, old, new string) files {
	t.Helper()
	if n := strings.Count(f[name], old); n != 1 {
		t.Fatalf("%s: %q occurs %d times, want 1", name, old, n)
	}
	out := files{}
	for k, v := range f {
		out[k] = v
	}
	out[name] = strings.Replace(f[name], old, new, 1)
	return out
}

func (f files) inputs(t testing.TB) []schema.Input {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range f {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	in, err := schema.FSInputs(fsys, "testdata/")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func opts(dataset string) loader.Options { return loader.Options{Dataset: dataset, Version: "test"} }

func load(t testing.TB, db *neo4jconn.DB, f files, o loader.Options) *loader.Result {
	t.Helper()
	res, err := loader.Load(ctx, db, f.inputs(t), schema.Default(), o)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return res
}

func plan(t testing.TB, db *neo4jconn.DB, f files, o loader.Options) *loader.PlanResult {
	t.Helper()
	p, err := loader.Plan(ctx, db, f.inputs(t), schema.Default(), o)
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	return p
}

// graph is the database's content (run nodes aside), by id, with values normalised.
type graph struct {
	Nodes map[string]node
	Rels  map[string]rel
}

type node struct {
	Labels string
	Props  map[string]any
}

type rel struct {
	Type, From, To string
	Props          map[string]any
}

// normalise brings values from the driver or the schema to one form: dates as
// YYYY-MM-DD, lists as []any.
func normalise(v any) any {
	switch x := v.(type) {
	case time.Time:
		return "date " + x.Format(time.DateOnly)
	case dbtype.Date:
		return "date " + x.Time().Format(time.DateOnly)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return v
}

func normaliseAll(p map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range p {
		out[k] = normalise(v)
	}
	return out
}

func run(t testing.TB, db *neo4jconn.DB, cypher string, params map[string]any) []*neo4j.Record {
	t.Helper()
	res, err := neo4j.ExecuteQuery(ctx, db.Driver, cypher, params, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db.Settings.Database))
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	return res.Records
}

func dump(t testing.TB, db *neo4jconn.DB) graph {
	t.Helper()
	g := graph{Nodes: map[string]node{}, Rels: map[string]rel{}}
	for _, r := range run(t, db, "MATCH (n) WHERE NOT n:"+loader.RunLabel+" RETURN labels(n) AS labels, properties(n) AS props", nil) {
		var labels []string
		for _, l := range r.Values[0].([]any) {
			labels = append(labels, l.(string))
		}
		sort.Strings(labels)
		props := normaliseAll(r.Values[1].(map[string]any))
		id, _ := props["id"].(string)
		if _, dup := g.Nodes[id]; dup {
			t.Errorf("two nodes with id %q", id)
		}
		g.Nodes[id] = node{Labels: strings.Join(labels, ":"), Props: props}
	}
	for _, r := range run(t, db, "MATCH (a)-[r]->(b) RETURN type(r), a.id, b.id, properties(r)", nil) {
		props := normaliseAll(r.Values[3].(map[string]any))
		id, _ := props["id"].(string)
		if _, dup := g.Rels[id]; dup {
			t.Errorf("two relationships with id %q", id)
		}
		from, _ := r.Values[1].(string)
		to, _ := r.Values[2].(string)
		g.Rels[id] = rel{Type: r.Values[0].(string), From: from, To: to, Props: props}
	}
	return g
}

// expected is the graph the files should load to.
func expected(t testing.TB, f files, dataset string) graph {
	t.Helper()
	v := schema.Default()
	g := graph{Nodes: map[string]node{}, Rels: map[string]rel{}}
	addNode := func(n schema.GraphNode) {
		p := normaliseAll(n.Props)
		p["dataset"] = dataset
		labels := slices.Sorted(slices.Values(n.Labels))
		g.Nodes[n.ID] = node{Labels: strings.Join(labels, ":"), Props: p}
	}
	_, err := schema.Walk(f.inputs(t), func(r schema.Record) error {
		switch {
		case r.Source != nil:
			addNode(schema.SourceNodeOf(r.Source))
		case r.Node != nil:
			addNode(v.NodeOf(r.Node))
		default:
			gr := v.RelOf(r.Relationship)
			p := normaliseAll(gr.Props)
			p["dataset"] = dataset
			g.Rels[gr.ID] = rel{Type: gr.Type, From: gr.From, To: gr.To, Props: p}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// sameGraph reports every difference between got and want.
func sameGraph(t testing.TB, got, want graph) {
	t.Helper()
	for id, w := range want.Nodes {
		if g, ok := got.Nodes[id]; !ok {
			t.Errorf("node %q missing", id)
		} else if !reflect.DeepEqual(g, w) {
			t.Errorf("node %q:\n got %v\nwant %v", id, g, w)
		}
	}
	for id := range got.Nodes {
		if _, ok := want.Nodes[id]; !ok {
			t.Errorf("unexpected node %q: %v", id, got.Nodes[id])
		}
	}
	for id, w := range want.Rels {
		if g, ok := got.Rels[id]; !ok {
			t.Errorf("relationship %q missing", id)
		} else if !reflect.DeepEqual(g, w) {
			t.Errorf("relationship %q:\n got %v\nwant %v", id, g, w)
		}
	}
	for id := range got.Rels {
		if _, ok := want.Rels[id]; !ok {
			t.Errorf("unexpected relationship %q: %v", id, got.Rels[id])
		}
	}
}

func countOf(t testing.TB, db *neo4jconn.DB, cypher string) int64 {
	t.Helper()
	return run(t, db, cypher, nil)[0].Values[0].(int64)
}

func TestFirstLoad(t *testing.T) {
	db := neo4jtest.Open(t)
	f := basic(t)
	res := load(t, db, f, opts("basic"))

	t.Run("graph equals the YAML", func(t *testing.T) {
		sameGraph(t, dump(t, db), expected(t, f, "basic"))
	})
	t.Run("exact counts per label and type", func(t *testing.T) {
		want := map[string]int64{
			"MATCH (n:Source) RETURN count(n)":                                             2,
			"MATCH (n:Actor) RETURN count(n)":                                              4,
			"MATCH (n:State) RETURN count(n)":                                              2,
			"MATCH (n:NonStateArmedGroup) RETURN count(n)":                                 1,
			"MATCH (n:Person) RETURN count(n)":                                             1,
			"MATCH (n:Place) RETURN count(n)":                                              1,
			"MATCH (n:Event) RETURN count(n)":                                              1,
			"MATCH (n:Proposal) RETURN count(n)":                                           1,
			"MATCH (n:Demand) RETURN count(n)":                                             1,
			"MATCH (n) RETURN count(n)":                                                    11, // 10 records and the run
			"MATCH ()-[r:NEGOTIATES_WITH]->() RETURN count(r)":                             2,
			"MATCH ()-[r:CONCERNS]->() RETURN count(r)":                                    2,
			"MATCH ()-[r]->() RETURN count(r)":                                             10,
			"MATCH (n:BackchannelRun) RETURN count(n)":                                     1,
			"MATCH (n) WHERE n.dataset = 'basic' AND NOT n:BackchannelRun RETURN count(n)": 10,
		}
		for q, w := range want {
			if got := countOf(t, db, q); got != w {
				t.Errorf("%s = %d, want %d", q, got, w)
			}
		}
	})
	t.Run("result tallies each label and type", func(t *testing.T) {
		got := map[string]int{}
		for _, c := range res.Changes {
			if c.Updated != 0 || c.Deleted != 0 {
				t.Errorf("%v: want only creations", c)
			}
			got[c.Record+" "+c.Label] = c.Created
		}
		want := map[string]int{
			"node Source": 2, "node State": 2, "node NonStateArmedGroup": 1, "node Person": 1, "node Place": 1,
			"node Event": 1, "node Proposal": 1, "node Demand": 1,
			"relationship NEGOTIATES_WITH": 2, "relationship MEDIATES_FOR": 1, "relationship SPEAKS_FOR": 1,
			"relationship PARTICIPATED_IN": 1, "relationship OCCURRED_IN": 1, "relationship CONCERNS": 2,
			"relationship HOLDS_DEMAND": 1, "relationship INCLUDES": 1,
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("tallies %v\nwant %v", got, want)
		}
		if res.Created != 20 || res.Records != 20 || res.Transactions != 1 {
			t.Errorf("created %d of %d records in %d transactions, want 20 of 20 in 1", res.Created, res.Records, res.Transactions)
		}
		if res.Counters.NodesCreated != 10 || res.Counters.RelationshipsCreated != 10 || res.RunCounters.NodesCreated != 1 {
			t.Errorf("counters %+v, run %+v", res.Counters, res.RunCounters)
		}
	})
	t.Run("constraints and indexes exist", func(t *testing.T) {
		for _, st := range schema.Default().Constraints() {
			if n := len(run(t, db, "SHOW INDEXES YIELD name WHERE name = $name RETURN name", map[string]any{"name": st.Name})); n != 1 {
				t.Errorf("index or constraint %s: %d found", st.Name, n)
			}
		}
	})
	t.Run("the run is recorded", func(t *testing.T) {
		r := run(t, db, "MATCH (r:BackchannelRun) RETURN r.dataset, r.version, r.contentHash, r.created, r.records, r.startedAt <= r.finishedAt", nil)[0]
		if r.Values[0] != "basic" || r.Values[1] != "test" || r.Values[2] != res.ContentHash || r.Values[3] != int64(20) || r.Values[4] != int64(20) || r.Values[5] != true {
			t.Errorf("run node %v (content hash %s)", r.Values, res.ContentHash)
		}
		if !strings.HasPrefix(res.ContentHash, "sha256:") || len(res.ContentHash) != len("sha256:")+64 {
			t.Errorf("content hash %q", res.ContentHash)
		}
	})
}

func TestReloadWritesNothing(t *testing.T) {
	db := neo4jtest.Open(t)
	f := basic(t)
	first := load(t, db, f, opts("basic"))
	for _, o := range []loader.Options{opts("basic"), {Dataset: "basic", BatchSize: 3, SingleTxLimit: -1}} {
		t.Run(fmt.Sprintf("batch size %d, single-transaction limit %d", o.BatchSize, o.SingleTxLimit), func(t *testing.T) {
			again := load(t, db, f, o)
			if w := again.Counters.Writes(); w != 0 || again.Counters != (loader.Counters{}) {
				t.Errorf("reload wrote: %+v", again.Counters)
			}
			if again.Created+again.Updated+again.Deleted != 0 || len(again.Changes) != 0 {
				t.Errorf("reload changed records: %+v", again.Changes)
			}
			// A reload proved unchanged by the last run's hash writes no run node (the last
			// run stands for it); one that compared the graph records its run.
			if again.Fingerprint {
				if again.RunCounters.Writes() != 0 {
					t.Errorf("run counters %+v, want none for a reload proved unchanged", again.RunCounters)
				}
			} else if again.RunCounters.NodesCreated != 1 || again.RunCounters.LabelsAdded != 1 {
				t.Errorf("run counters %+v, want the run node", again.RunCounters)
			}
			if again.ContentHash != first.ContentHash {
				t.Errorf("content hash %s, first %s", again.ContentHash, first.ContentHash)
			}
			sameGraph(t, dump(t, db), expected(t, f, "basic"))
			if p := plan(t, db, f, o); p.HasChanges() {
				t.Errorf("plan after reload: %+v", p.Changes)
			}
		})
	}
}

func TestChange(t *testing.T) {
	f := basic(t)
	cases := []struct {
		name     string
		edit     func(files) files
		wantPlan string // the plan's text, changes only
	}{
		{
			name: "one fact changed",
			edit: func(f files) files {
				return f.with(t, "graph.yaml", "    since: 2025-05-16\n    confidence: medium", "    since: 2025-05-16\n    confidence: high")
			},
			wantPlan: `~ relationship usa-negotiates-with-hamas-2 (NEGOTIATES_WITH usa -> hamas)
    confidence: "medium" -> "high"
    weight: 0.49 -> 0.7

Plan: 0 to create, 1 to update, 0 to delete.
`,
		},
		{
			name: "a field removed from the YAML",
			edit: func(f files) files { return f.with(t, "graph.yaml", "    description: Host of the talks.\n", "") },
			wantPlan: `~ node qatar (State)
    description: "Host of the talks." -> (none)

Plan: 0 to create, 1 to update, 0 to delete.
`,
		},
		{
			name: "a date and a list changed",
			edit: func(f files) files {
				f = f.with(t, "graph.yaml", "    date: 2025-05-20\n", "    date: 2025-05-21\n")
				return f.with(t, "graph.yaml", "aliases: [USA, United States of America]", "aliases: [USA, US]")
			},
			wantPlan: `~ node proposal (Proposal)
    date: "2025-05-20" -> "2025-05-21"
    dateEnd: 2025-05-20 -> 2025-05-21
    dateStart: 2025-05-20 -> 2025-05-21
~ node usa (State)
    aliasText: "USA | United States of America" -> "USA | US"
    aliases: ["USA", "United States of America"] -> ["USA", "US"]

Plan: 0 to create, 2 to update, 0 to delete.
`,
		},
		{
			name: "a node's kind changed",
			edit: func(f files) files {
				return f.with(t, "graph.yaml", "    kind: NonStateArmedGroup\n", "    kind: ActorGroup\n")
			},
			wantPlan: `~ node hamas (ActorGroup)
    labels: "Actor:NonStateArmedGroup" -> "Actor:ActorGroup"
    kind: "NonStateArmedGroup" -> "ActorGroup"

Plan: 0 to create, 1 to update, 0 to delete.
`,
		},
		{
			name: "a relationship moved to another node and type",
			edit: func(f files) files {
				return f.with(t, "graph.yaml", "    type: MEDIATES_FOR\n    from: qatar\n", "    type: HOSTS\n    from: usa\n")
			},
			wantPlan: `~ relationship qatar-mediates (HOSTS usa -> hamas)
    type: "MEDIATES_FOR" -> "HOSTS"
    from: "qatar" -> "usa"
    cameo: "045" -> "043"
    flowBasis: "the mediator's leverage over the party it carries message"... -> "the host can expel, restrict or press the party it hosts "...
    fwdInfluence: 0.5 -> 0.7
    goldstein: 5 -> 2.8
    influenceBasis: "CAMEO 045 (Engage in mediation), Goldstein +5.0" -> "CAMEO 043 (Host a visit), Goldstein +2.8"
    revInfluence: 0.3 -> 0.2
    strength: 0.5 -> 0.28
    weight: 0.5 -> 0.28

Plan: 0 to create, 1 to update, 0 to delete.
`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := neo4jtest.Open(t)
			load(t, db, f, opts("basic"))
			changed := tc.edit(f)

			p := plan(t, db, changed, opts("basic"))
			var b strings.Builder
			if err := p.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.wantPlan {
				t.Errorf("plan:\n%s\nwant:\n%s", b.String(), tc.wantPlan)
			}
			if p.Update == 0 || p.Create != 0 || p.Delete != 0 {
				t.Errorf("plan counts %d/%d/%d", p.Create, p.Update, p.Delete)
			}

			res := load(t, db, changed, opts("basic"))
			if res.Updated != p.Update || res.Created != 0 || res.Deleted != 0 {
				t.Errorf("load: created %d, updated %d, deleted %d; plan said %d updates", res.Created, res.Updated, res.Deleted, p.Update)
			}
			sameGraph(t, dump(t, db), expected(t, changed, "basic"))
			if again := load(t, db, changed, opts("basic")); again.Counters.Writes() != 0 {
				t.Errorf("reload after the change wrote %+v", again.Counters)
			}
		})
	}
}

// removeRecord deletes the YAML record starting at the line "  - id: <id>".
func (f files) removeRecord(t testing.TB, name, id string) files {
	t.Helper()
	lines := strings.SplitAfter(f[name], "\n")
	var out []string
	skip := false
	found := false
	for _, l := range lines {
		switch {
		case l == "  - id: "+id+"\n":
			skip, found = true, true
			continue
		case skip && (strings.HasPrefix(l, "  - ") || !strings.HasPrefix(l, "  ")):
			skip = false
		}
		if !skip {
			out = append(out, l)
		}
	}
	if !found {
		t.Fatalf("%s: no record %q", name, id)
	}
	g := files{}
	for k, v := range f {
		g[k] = v
	}
	g[name] = strings.Join(out, "")
	return g
}

func TestPrune(t *testing.T) {
	f := basic(t)
	// qatar leaves the dataset, with its one relationship; so does a relationship
	// between nodes that stay.
	smaller := f.removeRecord(t, "graph.yaml", "qatar").removeRecord(t, "graph.yaml", "qatar-mediates").removeRecord(t, "graph.yaml", "usa-negotiates-with-hamas-2")

	setup := func(t *testing.T) *neo4jconn.DB {
		db := neo4jtest.Open(t)
		load(t, db, f, opts("basic"))
		// Data that is not the dataset's: a node of no dataset, one of another
		// dataset under a shared label, and a relationship between them.
		run(t, db, `CREATE (:Place {id: 'hand-made', name: 'made by hand'})-[:LOCATED_IN {id: 'hand-rel'}]->(:Actor:State {id: 'other-state', name: 'Other', dataset: 'other'})`, nil)
		return db
	}
	handMade := func(t *testing.T, db *neo4jconn.DB) {
		t.Helper()
		if n := countOf(t, db, "MATCH (:Place {id: 'hand-made', name: 'made by hand'})-[:LOCATED_IN {id: 'hand-rel'}]->(:Actor:State {id: 'other-state', dataset: 'other'}) RETURN count(*)"); n != 1 {
			t.Errorf("the data outside the dataset was touched")
		}
	}

	t.Run("without prune, removed records stay", func(t *testing.T) {
		db := setup(t)
		res := load(t, db, smaller, opts("basic"))
		if res.Counters.Writes() != 0 {
			t.Errorf("wrote %+v", res.Counters)
		}
		if n := countOf(t, db, "MATCH (n:State {id: 'qatar'}) RETURN count(n)"); n != 1 {
			t.Errorf("qatar gone without --prune")
		}
	})

	t.Run("prune deletes exactly the removed records", func(t *testing.T) {
		db := setup(t)
		o := opts("basic")
		o.Prune = true
		p := plan(t, db, smaller, o)
		var b strings.Builder
		_ = p.WriteText(&b)
		want := `- node qatar (State)
- relationship qatar-mediates (MEDIATES_FOR)
- relationship usa-negotiates-with-hamas-2 (NEGOTIATES_WITH)

Plan: 0 to create, 0 to update, 3 to delete.
`
		if b.String() != want {
			t.Errorf("plan:\n%s\nwant:\n%s", b.String(), want)
		}
		res := load(t, db, smaller, o)
		if res.Deleted != 3 || res.Counters.NodesDeleted != 1 || res.Counters.RelationshipsDeleted != 2 {
			t.Errorf("deleted %d records, counters %+v", res.Deleted, res.Counters)
		}
		got := dump(t, db)
		for _, id := range []string{"hand-made", "other-state"} {
			delete(got.Nodes, id)
		}
		delete(got.Rels, "hand-rel")
		sameGraph(t, got, expected(t, smaller, "basic"))
		handMade(t, db)
		if again := load(t, db, smaller, o); again.Counters.Writes() != 0 {
			t.Errorf("second prune wrote %+v", again.Counters)
		}
	})

	t.Run("prune leaves other datasets alone", func(t *testing.T) {
		db := setup(t)
		// Another dataset with its own records; pruning basic must not see them.
		other := files{"o.yaml": `sources:
  - id: src-other
    publisher: P
    title: T
    url: https://example.org/o
    published: 2025
    reliability: low
nodes:
  - id: gaza
    kind: Place
    name: Gaza
    wikidata: Q39760
    evidence: [{source: src-other, quote: "Gaza"}]
`}
		load(t, db, other, opts("other"))
		o := opts("basic")
		o.Prune = true
		load(t, db, smaller, o)
		if n := countOf(t, db, "MATCH (n) WHERE n.dataset = 'other' AND NOT n:BackchannelRun RETURN count(n)"); n != 3 {
			t.Errorf("dataset other has %d nodes, want 3", n)
		}
		handMade(t, db)
	})

	t.Run("a prune over fewer files is refused by plan and load alike, unless told", func(t *testing.T) {
		db := setup(t)
		// The same records in one file (and qatar gone): a prune would take it for two.
		one := files{"all.yaml": smaller["sources.yaml"] + smaller["graph.yaml"]}
		o := opts("basic")
		o.Prune = true
		before := dump(t, db)
		const want = `prune over fewer files than the last load: the last load of dataset "basic" read 2 files and this one reads 1, so --prune would delete the records of the files left out; load them all, or add --prune-fewer-files if they are gone for good`
		_, planErr := loader.Plan(ctx, db, one.inputs(t), schema.Default(), o)
		_, loadErr := loader.Load(ctx, db, one.inputs(t), schema.Default(), o)
		for what, err := range map[string]error{"plan": planErr, "load": loadErr} {
			if !errors.Is(err, loader.ErrFewerFiles) || err.Error() != want {
				t.Errorf("%s: err = %v, want %s", what, err, want)
			}
		}
		sameGraph(t, dump(t, db), before)
		// Without Prune the rule does not apply.
		if _, err := loader.Plan(ctx, db, one.inputs(t), schema.Default(), opts("basic")); err != nil {
			t.Errorf("plan of fewer files without prune: %v", err)
		}
		o.PruneFewerFiles = true
		if p := plan(t, db, one, o); p.Delete != 3 {
			t.Errorf("plan with PruneFewerFiles: %d to delete, want 3", p.Delete)
		}
		if res := load(t, db, one, o); res.Deleted != 3 {
			t.Errorf("load with PruneFewerFiles: deleted %d, want 3", res.Deleted)
		}
		// The last load read 1 file now: a prune over 1 file passes.
		o.PruneFewerFiles = false
		if _, err := loader.Plan(ctx, db, one.inputs(t), schema.Default(), o); err != nil {
			t.Errorf("prune over as many files as the last load: %v", err)
		}
	})

	t.Run("prune refuses to delete a node that other data attaches to", func(t *testing.T) {
		db := setup(t)
		run(t, db, "MATCH (q:State {id: 'qatar'}), (h:Place {id: 'hand-made'}) CREATE (h)-[:LOCATED_IN {id: 'hand-rel-2'}]->(q)", nil)
		o := opts("basic")
		o.Prune = true
		before := dump(t, db)
		_, err := loader.Load(ctx, db, smaller.inputs(t), schema.Default(), o)
		if !errors.Is(err, loader.ErrPruneBlocked) || !strings.Contains(err.Error(), `node "qatar" (State) is no longer in the seed files, but 1 relationships outside dataset "basic" attach to it (LOCATED_IN)`) {
			t.Fatalf("err = %v", err)
		}
		if !strings.Contains(err.Error(), "nothing was written") {
			t.Errorf("err = %v", err)
		}
		sameGraph(t, dump(t, db), before)
	})
}

func TestConcurrentLoads(t *testing.T) {
	db := neo4jtest.Open(t)
	f := basic(t)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := opts("basic")
			if i%2 == 1 {
				o.BatchSize, o.SingleTxLimit = 4, -1 // batched loads race too
			}
			_, errs[i] = loader.Load(ctx, db, f.inputs(t), schema.Default(), o)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("load %d: %v", i, err)
		}
	}
	sameGraph(t, dump(t, db), expected(t, f, "basic"))
	// each load that wrote records a run; one that found the graph as a finished one
	// left it (the fingerprint) records none
	if runs := countOf(t, db, "MATCH (r:BackchannelRun) RETURN count(r)"); runs < 1 || runs > n {
		t.Errorf("%d runs recorded, want 1 to %d", runs, n)
	}
	if again := load(t, db, f, opts("basic")); again.Counters.Writes() != 0 {
		t.Errorf("a load after the concurrent ones wrote %+v", again.Counters)
	}
}

func TestOwnership(t *testing.T) {
	f := basic(t)
	t.Run("a node of no dataset is not taken over", func(t *testing.T) {
		db := neo4jtest.Open(t)
		run(t, db, "CREATE (:Actor {id: 'hamas', name: 'by hand'})", nil)
		_, err := loader.Load(ctx, db, f.inputs(t), schema.Default(), opts("basic"))
		var oe *loader.OwnershipError
		if !errors.As(err, &oe) || !errors.Is(err, loader.ErrNotOwned) {
			t.Fatalf("err = %v, want an ownership error", err)
		}
		want := `load "basic": nodes NonStateArmedGroup batch 1/1 (records 1-1): node "hamas" (Actor) already exists in the graph and is not part of dataset "basic" (it has no dataset property)`
		if !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "; nothing was written (the load is one transaction)") {
			t.Errorf("err = %v\nwant prefix %s", err, want)
		}
		if n := countOf(t, db, "MATCH (n) RETURN count(n)"); n != 1 {
			t.Errorf("%d nodes after the failed load, want only the hand-made one", n)
		}
	})
	t.Run("a node of another dataset is not taken over", func(t *testing.T) {
		db := neo4jtest.Open(t)
		load(t, db, f, opts("first"))
		_, err := loader.Load(ctx, db, f.inputs(t), schema.Default(), opts("second"))
		if !errors.Is(err, loader.ErrNotOwned) || !strings.Contains(err.Error(), `is not part of dataset "second" (it belongs to dataset "first")`) {
			t.Fatalf("err = %v", err)
		}
		sameGraph(t, dump(t, db), expected(t, f, "first"))
	})
}

func TestAllOrNothing(t *testing.T) {
	f := basic(t)
	t.Run("one transaction: a constraint violation leaves the graph unchanged", func(t *testing.T) {
		db := neo4jtest.Open(t)
		load(t, db, f, opts("basic"))
		before := dump(t, db)
		// A constraint of the user's that the changed data violates, in the
		// relationships pass, after the nodes were written.
		run(t, db, "CREATE CONSTRAINT user_rel_conf IF NOT EXISTS FOR ()-[r:CONCERNS]-() REQUIRE r.confidence IS UNIQUE", nil)
		changed := f.with(t, "graph.yaml", "    name: Doha\n", "    name: Doha City\n").
			with(t, "graph.yaml", "    to: doha\n    confidence: low\n", "    to: doha\n    confidence: medium\n")
		_, err := loader.Load(ctx, db, changed.inputs(t), schema.Default(), opts("basic"))
		if err == nil || !strings.Contains(err.Error(), "relationships CONCERNS batch 1/1 (records 1-2): ") || !strings.Contains(err.Error(), "ConstraintValidationFailed") || !strings.HasSuffix(err.Error(), "nothing was written (the load is one transaction)") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
		sameGraph(t, dump(t, db), before)
		if n := countOf(t, db, "MATCH (r:BackchannelRun) RETURN count(r)"); n != 1 {
			t.Errorf("%d runs recorded, want only the first", n)
		}
	})

	t.Run("batched: the error names the batch, and a rerun converges", func(t *testing.T) {
		db := neo4jtest.Open(t)
		run(t, db, "CREATE (:Actor {id: 'envoy', name: 'in the way'})", nil)
		o := loader.Options{Dataset: "basic", BatchSize: 1, SingleTxLimit: 5}
		_, err := loader.Load(ctx, db, f.inputs(t), schema.Default(), o)
		want := `load "basic": nodes Person batch 1/1 (records 1-1): node "envoy" (Actor) already exists`
		if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "batches before it are committed: fix the cause and run the load again to converge") {
			t.Fatalf("err = %v\nwant prefix %s", err, want)
		}
		if n := countOf(t, db, "MATCH (n) WHERE n.dataset = 'basic' RETURN count(n)"); n == 0 || n == 10 {
			t.Errorf("%d of the dataset's nodes written, want some", n)
		}
		run(t, db, "MATCH (n:Actor {id: 'envoy'}) WHERE n.dataset IS NULL DELETE n", nil)
		res := load(t, db, f, o)
		if res.Transactions <= 1 {
			t.Errorf("%d transactions, want one per batch", res.Transactions)
		}
		sameGraph(t, dump(t, db), expected(t, f, "basic"))
	})
}

func TestHostileStrings(t *testing.T) {
	db := neo4jtest.Open(t)
	hostile := []string{
		`it's "quoted"`,
		"back`tick`",
		"}) DETACH DELETE n //",
		"'}) MATCH (m) DETACH DELETE m RETURN 1 //",
		"line one\nline two\r\nline three",
		"emoji 🕊\ufe0f and ZWJ 👩\u200d👩\u200d👧",
		"right-to-left: حماس \u200fوقطر\u200f and עברית",
		`$param {x} \u0041 \\ \n`,
		"tab\there",
	}
	var b strings.Builder
	b.WriteString("sources:\n  - id: s\n    publisher: P\n    title: T\n    url: https://example.org/s\n    published: 2025\n    reliability: low\n")
	for i, h := range hostile {
		q := fmt.Sprintf("%q", h)
		fmt.Fprintf(&b, "  - id: s%d\n    publisher: %s\n    title: %s\n    author: %s\n    note: %s\n    file: %s\n    published: 2025\n    reliability: low\n", i, q, q, q, q, q)
	}
	b.WriteString("nodes:\n")
	for i, h := range hostile {
		q := fmt.Sprintf("%q", h) // a YAML double-quoted string
		fmt.Fprintf(&b, "  - id: n%d\n    kind: Person\n    name: %s\n    aliases: [%s, plain]\n    description: %s\n    wikidata: none\n    evidence: [{source: s, quote: %s, note: %s}]\n", i, q, q, q, q, q)
	}
	b.WriteString("relationships:\n")
	for i, h := range hostile {
		q := fmt.Sprintf("%q", h)
		fmt.Fprintf(&b, "  - id: r%d\n    type: CONSULTS\n    from: n%d\n    to: n%d\n    confidence: low\n    description: %s\n    evidence: [{source: s, quote: %s}]\n", i, i, (i+1)%len(hostile), q, q)
	}
	f := files{"hostile.yaml": b.String()}
	dataset := "data`set'} //"
	load(t, db, f, opts(dataset))
	got, want := dump(t, db), expected(t, f, dataset)
	sameGraph(t, got, want)
	for i, h := range hostile {
		if n := got.Nodes[fmt.Sprint("n", i)]; n.Props["name"] != h {
			t.Errorf("name %q, want %q", n.Props["name"], h)
		}
		if s := got.Nodes[fmt.Sprint("s", i)]; s.Props["publisher"] != h || s.Props["file"] != h {
			t.Errorf("source %d: %v", i, s.Props)
		}
	}
	if len(got.Nodes) != 2*len(hostile)+1 || len(got.Rels) != len(hostile) {
		t.Errorf("%d nodes, %d relationships", len(got.Nodes), len(got.Rels))
	}
	if again := load(t, db, f, opts(dataset)); again.Counters.Writes() != 0 {
		t.Errorf("reload wrote %+v", again.Counters)
	}

	t.Run("the plan shows each changed value on one line, escaped", func(t *testing.T) {
		changed := f.with(t, "hostile.yaml", "  - id: n4\n    kind: Person\n    name: ", "  - id: n4\n    kind: Person\n    name: \"\\u202Eevil\\n\"\n    title: ")
		var b strings.Builder
		if err := plan(t, db, changed, opts(dataset)).WriteText(&b); err != nil {
			t.Fatal(err)
		}
		want := `~ node n4 (Person)
    name: "line one\nline two\r\nline three" -> "\u202eevil\n"
    title: (none) -> "line one\nline two\r\nline three"

Plan: 0 to create, 1 to update, 0 to delete.
`
		if b.String() != want {
			t.Errorf("plan:\n%s\nwant:\n%s", b.String(), want)
		}
	})
}

func TestInvalidInputWritesNothing(t *testing.T) {
	db := neo4jtest.Open(t)
	f := basic(t).with(t, "graph.yaml", "    from: envoy\n", "    from: nobody\n")
	_, err := loader.Load(ctx, db, f.inputs(t), schema.Default(), opts("basic"))
	var ve *loader.ValidationError
	if !errors.As(err, &ve) || ve.Errors != 1 || !strings.Contains(ve.Findings[0].String(), `from "nobody" names no node`) {
		t.Fatalf("err = %v", err)
	}
	if n := countOf(t, db, "MATCH (n) RETURN count(n)"); n != 0 {
		t.Errorf("%d nodes written", n)
	}
	if want := "1 error in the seed files: nothing was written (backchannel validate lists them)"; err.Error() != want {
		t.Errorf("load: %q, want %q", err, want)
	}
	// plan never writes: it says no plan was made
	_, err = loader.Plan(ctx, db, f.inputs(t), schema.Default(), opts("basic"))
	if want := "1 error in the seed files: no plan was made (backchannel validate lists them)"; err == nil || err.Error() != want {
		t.Errorf("plan: %v, want %q", err, want)
	}
}

// TestNoDatasetNeedsNoServer: a load or plan without a dataset name is refused before
// the database is touched (db is nil here: no server, no driver).
func TestNoDatasetNeedsNoServer(t *testing.T) {
	in := basic(t).inputs(t)
	if _, err := loader.Load(ctx, nil, in, schema.Default(), loader.Options{}); !errors.Is(err, loader.ErrDataset) {
		t.Errorf("load without a dataset: err = %v", err)
	}
	// none given: nothing is "invalid"
	if _, err := loader.DatasetOf("", false, in); !errors.Is(err, loader.ErrDataset) || !strings.HasPrefix(err.Error(), "no dataset name: name the dataset with --dataset NAME") {
		t.Errorf("no dataset anywhere: err = %v", err)
	}
	if _, err := loader.Plan(ctx, nil, in, schema.Default(), loader.Options{Dataset: "a\x01b"}); !errors.Is(err, loader.ErrDataset) {
		t.Errorf("plan with a bad dataset name: err = %v", err)
	}
}

func TestProgress(t *testing.T) {
	db := neo4jtest.Open(t)
	var got []string
	o := loader.Options{Dataset: "basic", BatchSize: 2, Progress: func(p loader.Progress) {
		got = append(got, fmt.Sprintf("%s %d/%d", p.Batch, p.Done, p.Total))
	}}
	load(t, db, basic(t), o)
	for _, want := range []string{
		"nodes State batch 1/1 (records 1-2) 2/20", // a full batch goes first
		"sources batch 1/1 (records 1-2) 4/20",
		"nodes Place batch 1/1 (records 1-1) 10/20",
		"relationships NEGOTIATES_WITH batch 1/1 (records 1-2) 12/20",
		"relationships INCLUDES batch 1/1 (records 1-1) 20/20",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("progress lacks %q: %q", want, got)
		}
	}
}
