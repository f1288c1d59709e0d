package loader

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/schema"
)

// The create statements return nothing: a batch is checked by the summary's count, and
// only a short count looks the rows up, to name a relationship whose end is missing (in
// a full batch and in a tail job, whose segment it names). A full count looks nothing
// up.
func TestCreateRelsNamesAMissingEnd(t *testing.T) {
	ctx := context.Background()
	db := neo4jtest.Open(t)
	vocab := schema.Default()
	e := &engine{db: db, vocab: vocab, opts: Options{Dataset: "createrels"}, statements: newStatements(vocab), apply: true}
	e.session = db.Session(ctx, neo4j.AccessModeWrite)
	defer e.session.Close(ctx)
	if _, err := e.createSchema(ctx); err != nil {
		t.Fatal(err)
	}
	typ := vocab.TypeNames()[0]
	from := e.statements.labelFor(typ, 0, vocab.Type(typ).FromKinds()[0])
	to := e.statements.labelFor(typ, 1, vocab.Type(typ).ToKinds()[0])
	row := func(id, a, b string) relCreateRow {
		return relCreateRow{typ: typ, from: from, to: to, row: map[string]any{"id": id, "from": a, "to": b, "props": map[string]any{"id": id, DatasetProperty: "createrels"}}}
	}
	segs := []segment[schema.GraphRel]{{group: typ, b: Batch{Step: "relationships " + typ, N: 1, Of: 1, First: 1, Last: 2}}}
	run := func(cs []relCreateRow, tail bool) (int64, error) {
		rows := make([]map[string]any, len(cs))
		for i, c := range cs {
			rows[i] = c.row
		}
		statement, params := e.statements.relCreate(from, to), map[string]any{"type": typ, "rows": rows}
		if tail {
			for _, c := range cs {
				c.row["type"], c.row["fromLabel"], c.row["toLabel"] = c.typ, c.from, c.to
			}
			statement, params = e.statements.relCreateAny(), map[string]any{"rows": rows}
		}
		before := statementsSent.Load()
		_, err := neo4j.ExecuteWrite(ctx, e.session, func(tx neo4j.ManagedTransaction) (any, error) {
			if _, _, err := query(ctx, tx, "CREATE (:"+schema.Quote(from)+":"+schema.Quote(vocab.Type(typ).FromKinds()[0])+" {id: 'cr-a'}), (:"+schema.Quote(to)+":"+schema.Quote(vocab.Type(typ).ToKinds()[0])+" {id: 'cr-b'})", nil); err != nil {
				return nil, err
			}
			var out batchOut
			err := e.createRels(ctx, tx, segs, cs, statement, params, &out)
			if err == nil && out.counters.RelationshipsCreated != len(cs) {
				t.Errorf("created %d, want %d", out.counters.RelationshipsCreated, len(cs))
			}
			return nil, errors.Join(err, errRollBack) // leave the graph as it was
		}, neo4j.WithTxTimeout(0))
		return statementsSent.Load() - before, err
	}
	for _, tail := range []bool{false, true} {
		sent, err := run([]relCreateRow{row("cr-1", "cr-a", "cr-b"), row("cr-2", "cr-a", "cr-b")}, tail)
		if !errors.Is(err, errRollBack) || errors.Is(err, ErrGraphChanged) || sent != 2 {
			t.Errorf("tail %v, every end there: %v, %d statements; want no error and 2 statements (the nodes, the create)", tail, err, sent)
		}
		sent, err = run([]relCreateRow{row("cr-1", "cr-a", "cr-b"), row("cr-2", "cr-a", "cr-gone")}, tail)
		if !errors.Is(err, ErrGraphChanged) || !strings.Contains(err.Error(), `relationship "cr-2": node "cr-a" or "cr-gone" is not in the graph`) || sent != 3 {
			t.Errorf("tail %v, an end missing: %v, %d statements; want cr-2 named and 3 statements (the lookup)", tail, err, sent)
		}
	}
	res, err := neo4j.ExecuteQuery(ctx, db.Driver, "MATCH (n) WHERE n.id STARTS WITH 'cr-' RETURN count(n) AS n", nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db.Settings.Database))
	if err != nil || res.Records[0].Values[0].(int64) != 0 {
		t.Fatalf("the test's transactions left nodes: %v %v", res, err)
	}
}

var errRollBack = errors.New("roll back")
