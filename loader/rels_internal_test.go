package loader

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/schema"
)

// The create statements return nothing: a batch is checked by the summary's count, and
// only a short count looks the rows up by type and id, to name a relationship whose
// end is missing (in a full batch and in a tail job). A full count looks nothing up.
// The look-up is relLookup's own, not lookupRels': that skips the types the graph did
// not hold before the run, which on a first load is every type.
func TestCreateRelsNamesAMissingEnd(t *testing.T) {
	ctx := context.Background()
	e := schemaEngine(t, "createrels")
	vocab := e.vocab
	typ := vocab.Type(vocab.TypeNames()[0])
	fromKind, toKind := typ.FromKinds()[0], typ.ToKinds()[0]
	from := e.statements.labelFor(typ.Type, 0, fromKind)
	to := e.statements.labelFor(typ.Type, 1, toKind)
	nodes := "CREATE (:" + schema.Quote(from) + ":" + schema.Quote(fromKind) + " {id: 'cr-a'}), (:" + schema.Quote(to) + ":" + schema.Quote(toKind) + " {id: 'cr-b'})"
	run := func(ends [][2]string, tail bool) (int64, error) {
		seg := segment[schema.GraphRel]{group: typ.Type, b: Batch{Step: "relationships " + typ.Type, N: 1, Of: 1, First: 1, Last: len(ends)}}
		var cs []relCreateRow
		var rows []map[string]any
		for i, end := range ends {
			id := "cr-" + string(rune('1'+i))
			c := relCreateRow{typ: typ.Type, from: from, to: to, row: map[string]any{"id": id, "from": end[0], "to": end[1], "props": map[string]any{"id": id, DatasetProperty: "createrels"}}}
			cs, rows = append(cs, c), append(rows, c.row)
		}
		statement, params := e.statements.relCreate(from, to), map[string]any{"type": typ.Type, "rows": rows}
		if tail {
			for _, c := range cs {
				c.row["type"], c.row["fromLabel"], c.row["toLabel"] = c.typ, c.from, c.to
			}
			statement, params = e.statements.relCreateAny(), map[string]any{"rows": rows}
		}
		before := statementsSent.Load()
		_, err := neo4j.ExecuteWrite(ctx, e.session, func(tx neo4j.ManagedTransaction) (any, error) {
			if _, _, err := query(ctx, tx, nodes, nil); err != nil {
				return nil, err
			}
			var out batchOut
			err := e.createRels(ctx, tx, []segment[schema.GraphRel]{seg}, cs, statement, params, &out)
			if err == nil && out.counters.RelationshipsCreated != len(cs) {
				t.Errorf("created %d, want %d", out.counters.RelationshipsCreated, len(cs))
			}
			return nil, errors.Join(err, errRollBack) // leave the graph as it was
		})
		return statementsSent.Load() - before, err
	}
	for _, tail := range []bool{false, true} {
		sent, err := run([][2]string{{"cr-a", "cr-b"}, {"cr-a", "cr-b"}}, tail)
		if !errors.Is(err, errRollBack) || errors.Is(err, ErrGraphChanged) || sent != 2 {
			t.Errorf("tail %v, every end there: %v, %d statements; want no error and 2 statements (the nodes, the create)", tail, err, sent)
		}
		sent, err = run([][2]string{{"cr-a", "cr-b"}, {"cr-a", "cr-gone"}}, tail)
		if !errors.Is(err, ErrGraphChanged) || !strings.Contains(err.Error(), `relationship "cr-2": node "cr-a" or "cr-gone" is not in the graph`) || sent != 3 {
			t.Errorf("tail %v, an end missing: %v, %d statements; want cr-2 named and 3 statements (the lookup)", tail, err, sent)
		}
	}
	res, err := neo4j.ExecuteQuery(ctx, e.db.Driver, "MATCH (n) WHERE n.id STARTS WITH 'cr-' RETURN count(n) AS n", nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(e.db.Settings.Database))
	if err != nil || res.Records[0].Values[0].(int64) != 0 {
		t.Fatalf("the test's transactions left nodes: %v %v", res, err)
	}
}

var errRollBack = errors.New("roll back")
