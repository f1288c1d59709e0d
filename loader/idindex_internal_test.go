package loader

import (
	"context"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/gen"
	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// loadCounted loads inputs and returns the result, the statements the load sent and its
// time.
func loadCounted(t *testing.T, db *neo4jconn.DB, in []schema.Input, dataset string) (*Result, int64, time.Duration) {
	t.Helper()
	res, n, _, d := loadBatches(t, db, in, dataset)
	return res, n, d
}

// loadBatches is loadCounted that also returns the number of batches.
func loadBatches(t *testing.T, db *neo4jconn.DB, in []schema.Input, dataset string) (*Result, int64, int, time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	before := statementsSent.Load()
	began := time.Now()
	batches := 0
	res, err := Load(ctx, db, in, schema.Default(), Options{Dataset: dataset, Progress: func(Progress) { batches++ }})
	if err != nil {
		t.Fatalf("load %s: %v", dataset, err)
	}
	return res, statementsSent.Load() - before, batches, time.Since(began)
}

func seedInputs(t *testing.T) []schema.Input {
	t.Helper()
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// A load beside another dataset looks each batch's ids up in one statement through the
// id indexes over every label and type: it sends the statements of the same load into
// an empty graph, which looks nothing up, plus one a batch (review F3: 830 more for
// 5,615 records beside the curated seeds, when an id not found under its own label was
// looked up under every other). The time is logged as a ratio, measured in this one
// run, never asserted.
func TestLoadBesideAnotherDatasetSendsNoMoreStatements(t *testing.T) {
	db := neo4jtest.Open(t)
	dir := t.TempDir()
	st, err := gen.Write(dir, gen.Options{Relationships: 5000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	in := schema.PathInputs([]string{dir})
	// Each way twice, the best time of each kept: the machine is shared.
	var alone, beside int64
	var batches int
	tAlone, tBeside := time.Duration(1<<62), time.Duration(1<<62)
	for range 2 {
		if err := neo4jtest.Reset(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		r0, n, d := loadCounted(t, db, in, "generated")
		alone, tAlone = n, min(tAlone, d)
		t.Logf("alone: %v", r0.Steps)
		if err := neo4jtest.Reset(context.Background(), db); err != nil {
			t.Fatal(err)
		}
		loadCounted(t, db, seedInputs(t), "seeds")
		res, n, b, d := loadBatches(t, db, in, "generated")
		if res.Created != st.Records() {
			t.Fatalf("beside the seeds, created %d of %d records", res.Created, st.Records())
		}
		beside, batches, tBeside = n, b, min(tBeside, d)
		t.Logf("beside: %v", res.Steps)
	}
	t.Logf("%d records in %d batches: %d statements alone, %d beside the seeds; time %.2fs alone, %.2fs beside (ratio %.2f)",
		st.Records(), batches, alone, beside, tAlone.Seconds(), tBeside.Seconds(), tBeside.Seconds()/tAlone.Seconds())
	if beside > alone+int64(batches) {
		t.Errorf("beside the seeds the load sent %d statements, alone %d: more than one lookup for each of its %d batches", beside, alone, batches)
	}
}

// A graph loaded before the id indexes existed upgrades cleanly: plan lists them as
// schema changes and finds the graph unchanged (looking ids up under each label and type
// without them), load creates them and writes nothing else, and the next plan has
// nothing to do. An id index that the vocabulary has outgrown (a type added since) is
// replaced.
func TestIDIndexesUpgradeAnExistingGraph(t *testing.T) {
	ctx := context.Background()
	db := neo4jtest.Open(t)
	in := seedInputs(t)
	loadCounted(t, db, in, "seeds")
	session := db.Session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	run := func(cypher string) {
		t.Helper()
		res, err := session.Run(ctx, cypher, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
	}
	spans := func(name string) []string {
		t.Helper()
		res, err := session.Run(ctx, "SHOW INDEXES YIELD name, labelsOrTypes WHERE name = $name RETURN labelsOrTypes", map[string]any{"name": name})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := res.Single(ctx)
		if err != nil {
			t.Fatalf("index %s: %v", name, err)
		}
		var out []string
		for _, v := range rec.Values[0].([]any) {
			out = append(out, v.(string))
		}
		slices.Sort(out)
		return out
	}
	plan := func() *PlanResult {
		t.Helper()
		p, err := Plan(ctx, db, in, schema.Default(), Options{Dataset: "seeds"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	names := func(p *PlanResult) (out []string) {
		for _, s := range p.Schema {
			name := s.Kind + " " + s.Name
			if s.Replace {
				name += " (replace)"
			}
			out = append(out, name)
		}
		return out
	}

	t.Run("a graph without the id indexes", func(t *testing.T) {
		run("DROP INDEX " + schema.NodeIDIndex + " IF EXISTS")
		run("DROP INDEX " + schema.RelationshipIDIndex + " IF EXISTS")
		// A changed record, so that plan compares the graph rather than trusting the
		// last run's hash.
		run("MATCH (n:Actor {id: 'qatar'}) SET n.description = 'changed by hand'")
		p := plan()
		want := []string{"index " + schema.NodeIDIndex, "index " + schema.RelationshipIDIndex}
		if got := names(p); !slices.Equal(got, want) {
			t.Errorf("plan's schema changes: %v, want %v", got, want)
		}
		if p.Update != 1 || p.Create != 0 || p.Delete != 0 {
			t.Errorf("plan without the indexes: %d to create, %d to update, %d to delete; want the one update", p.Create, p.Update, p.Delete)
		}
		var text strings.Builder
		if err := p.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text.String(), schema.NodeIDIndex) || !strings.Contains(text.String(), schema.RelationshipIDIndex) {
			t.Errorf("plan's text does not name the new indexes:\n%s", text.String())
		}
		res, _, _ := loadCounted(t, db, in, "seeds")
		if res.Created != 0 || res.Updated != 1 || res.Deleted != 0 {
			t.Errorf("the upgrading load: %d created, %d updated, %d deleted; want the one update", res.Created, res.Updated, res.Deleted)
		}
		if p := plan(); len(p.Schema) != 0 || p.HasChanges() {
			t.Errorf("after the upgrade, plan still has %v and %d changes", names(p), len(p.Changes))
		}
	})

	t.Run("an id index the vocabulary has outgrown", func(t *testing.T) {
		run("DROP INDEX " + schema.RelationshipIDIndex + " IF EXISTS")
		run("CREATE FULLTEXT INDEX " + schema.RelationshipIDIndex + " FOR ()-[r:ATTACKS|LEADS]-() ON EACH [r.id] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}")
		run("CALL db.awaitIndexes(60)")
		run("MATCH (n:Actor {id: 'qatar'}) SET n.description = 'changed by hand again'")
		if got, want := names(plan()), []string{"index " + schema.RelationshipIDIndex + " (replace)"}; !slices.Equal(got, want) {
			t.Errorf("plan's schema changes: %v, want %v", got, want)
		}
		res, _, _ := loadCounted(t, db, in, "seeds")
		if res.Created != 0 || res.Updated != 1 || res.Deleted != 0 {
			t.Errorf("the replacing load: %d created, %d updated, %d deleted; want the one update", res.Created, res.Updated, res.Deleted)
		}
		if got, want := spans(schema.RelationshipIDIndex), slices.Sorted(slices.Values(schema.Default().TypeNames())); !slices.Equal(got, want) {
			t.Errorf("after the load the index spans %v, want every type %v", got, want)
		}
	})
}

// A first load of the curated seeds writes each pass's last partial batches, of every
// kind and every type, in one statement: one node create and one relationship create,
// each text planned once (a server just started takes hundreds of milliseconds for
// each new statement text), and no wait for the id indexes on an empty graph.
func TestFirstLoadWritesTheTailsInOneStatementAPass(t *testing.T) {
	db := neo4jtest.Open(t)
	var mu sync.Mutex
	seen := map[string]int{}
	statementSeen = func(cypher string) {
		mu.Lock()
		defer mu.Unlock()
		seen[cypher]++
	}
	defer func() { statementSeen = nil }()
	res, _, batches, _ := loadBatches(t, db, seedInputs(t), "seeds")
	statementSeen = nil
	if res.Created != res.Records {
		t.Fatalf("created %d of %d records", res.Created, res.Records)
	}
	st := newStatements(schema.Default())
	creates := 0
	for text, n := range seen {
		switch {
		case text == nodeCreate:
			if n != 1 {
				t.Errorf("%d node create statements, want 1", n)
			}
		case text == st.relCreateAny():
			if n != 1 {
				t.Errorf("%d relationship create statements, want 1", n)
			}
		case strings.Contains(text, "CREATE (a)-["):
			t.Errorf("a relationship create of one pair of end labels, %d times: %q", n, text)
		case strings.Contains(text, "awaitIndex"):
			t.Errorf("an empty graph waited for the id indexes: %q", text)
		}
		if strings.Contains(text, "CREATE (") {
			creates++
		}
	}
	if creates != 3 { // nodes, relationships, the run node
		t.Errorf("%d create statement texts, want 3: %v", creates, slices.Collect(maps.Keys(seen)))
	}
	// Progress still names every kind's and type's batch.
	if want := len(res.Changes); batches != want {
		t.Errorf("progress reported %d batches, want one per kind and type (%d)", batches, want)
	}
	// The graph is the one the curated seeds make: a reload finds nothing to write.
	p, err := Plan(context.Background(), db, seedInputs(t), schema.Default(), Options{Dataset: "seeds"})
	if err != nil {
		t.Fatal(err)
	}
	if p.HasChanges() {
		t.Errorf("after the first load, plan has %d changes", len(p.Changes))
	}
}
