package loader

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/schema"
)

// The snapshot decides which labels and types a batch's ids are looked up under. A
// label or type with a constraint but no node or relationship is not present: the
// server's token lists name it all the same, and trusting them made a first load look
// every batch up under every label and type.
func TestSnapshotListsOnlyWhatTheGraphHolds(t *testing.T) {
	ctx := context.Background()
	e := schemaEngine(t, "snapshot")
	if err := e.snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.present) != 0 {
		t.Errorf("an empty graph with the schema's constraints holds %v; want nothing", slices.Sorted(maps.Keys(e.present)))
	}
	if _, err := neo4j.ExecuteWrite(ctx, e.session, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		_, _, err := query(ctx, tx, "CREATE (:State {id: 'a'})-[:ATTACKS {id: 'r'}]->(:Place {id: 'b'})", nil)
		return struct{}{}, err
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(e.present)), []string{"ATTACKS", "Place", "State"}; !slices.Equal(got, want) {
		t.Errorf("present = %v, want %v", got, want)
	}
}

// schemaEngine returns an engine of dataset on the test database with a write session
// (closed when the test ends) and the schema's constraints and indexes created, for the
// tests that drive the engine's parts directly.
func schemaEngine(t *testing.T, dataset string) *engine {
	t.Helper()
	ctx := context.Background()
	db := neo4jtest.Open(t)
	vocab := schema.Default()
	e := &engine{db: db, vocab: vocab, opts: Options{Dataset: dataset}, statements: newStatements(vocab), apply: true}
	e.session = db.Session(ctx, neo4j.AccessModeWrite)
	t.Cleanup(func() { e.session.Close(ctx) })
	if _, err := e.createSchema(ctx); err != nil {
		t.Fatal(err)
	}
	return e
}
