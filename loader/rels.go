package loader

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/schema"
)

// graphRel is a relationship as found in the graph.
type graphRel struct {
	typ, from, to string
	props         map[string]any
}

func (r graphRel) owner() string {
	s, _ := r.props[DatasetProperty].(string)
	return s
}

// lookupRels finds the graph's relationships for the ids, whatever their type: in one
// statement through the id index over every type, or, without it and after a lost
// CREATE race, of the type, then of each other type the graph held before the run.
func (e *engine) lookupRels(ctx context.Context, tx neo4j.ManagedTransaction, typ string, ids []string) (map[string][]graphRel, error) {
	read := func(r *neo4j.Record) (string, graphRel, error) {
		id, err1 := value[string](r, "id")
		var g graphRel
		var err2, err3, err4, err5 error
		g.typ, err2 = value[string](r, "type")
		g.from, err3 = value[string](r, "from")
		g.to, err4 = value[string](r, "to")
		g.props, err5 = value[map[string]any](r, "props")
		return id, g, errors.Join(err1, err2, err3, err4, err5)
	}
	if e.idIndexes && !e.lookupAll.Load() {
		return lookupOnce(ctx, e, tx, e.vocab.TypeNames(), ids, relLookupAny, read)
	}
	return lookup(ctx, e, tx, typ, e.vocab.TypeNames(), ids, e.statements.relLookup, read)
}

// relBatch compares a batch of relationships with the graph and writes those that
// differ. A relationship whose type or endpoints changed is deleted and created again
// (Neo4j cannot change either); one whose properties changed has them replaced.
func (e *engine) relBatch(ctx context.Context, tx neo4j.ManagedTransaction, typ string, rows []schema.GraphRel) (batchOut, error) {
	var out batchOut
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	found, err := e.lookupRels(ctx, tx, typ, ids)
	if err != nil {
		return out, err
	}
	type ends struct{ from, to string }
	creates := map[ends][]map[string]any{}
	var createOrder []ends
	deletes := map[string][]string{} // by type
	var updates []map[string]any
	for _, r := range rows {
		want := e.props(r.Props)
		ch := Change{Record: RecordRelationship, ID: r.ID, Label: typ, From: r.From, To: r.To}
		create := false
		switch fs := found[r.ID]; len(fs) {
		case 0:
			ch.Action = ActionCreate
			create = true
		case 1:
			f := fs[0]
			if f.owner() != e.opts.Dataset {
				return out, &OwnershipError{Record: RecordRelationship, ID: r.ID, Labels: fmt.Sprintf("%s from %q to %q", f.typ, f.from, f.to), Owner: f.owner(), Dataset: e.opts.Dataset}
			}
			ch.Action = ActionUpdate
			var moved []FieldChange
			if f.typ != typ {
				moved = append(moved, FieldChange{Key: "type", Old: f.typ, New: typ})
			}
			if f.from != r.From {
				moved = append(moved, FieldChange{Key: "from", Old: f.from, New: r.From})
			}
			if f.to != r.To {
				moved = append(moved, FieldChange{Key: "to", Old: f.to, New: r.To})
			}
			ch.Fields = append(moved, diffProps(f.props, want)...)
			switch {
			case len(ch.Fields) == 0:
				continue
			case len(moved) > 0:
				deletes[f.typ] = append(deletes[f.typ], r.ID)
				create = true
			default:
				updates = append(updates, map[string]any{"id": r.ID, "props": want})
			}
		default:
			return out, fmt.Errorf("relationship %q: %d relationships in the graph carry this id: delete all but one", r.ID, len(fs))
		}
		if create {
			k := ends{
				e.statements.labelFor(typ, 0, e.vocab.NodeKinds[e.scan.ids[r.From]].Kind),
				e.statements.labelFor(typ, 1, e.vocab.NodeKinds[e.scan.ids[r.To]].Kind),
			}
			if creates[k] == nil {
				createOrder = append(createOrder, k)
			}
			creates[k] = append(creates[k], map[string]any{"id": r.ID, "from": r.From, "to": r.To, "props": want})
		}
		out.changes = append(out.changes, ch)
	}
	if !e.apply {
		return out, nil
	}
	params := map[string]any{"dataset": e.opts.Dataset}
	for _, t := range e.vocab.TypeNames() {
		ids := deletes[t]
		if len(ids) == 0 {
			continue
		}
		params["ids"] = ids
		n, err := count(ctx, tx, e.statements.relDelete(t), params, &out.counters)
		if err != nil {
			return out, err
		}
		if n != len(ids) {
			return out, fmt.Errorf("relationships %s: %d of %d to move were not found: %w", t, len(ids)-n, len(ids), ErrGraphChanged)
		}
	}
	delete(params, "ids")
	if len(updates) > 0 {
		params["rows"] = updates
		n, err := count(ctx, tx, e.statements.relUpdate(typ), params, &out.counters)
		if err != nil {
			return out, err
		}
		if n != len(updates) {
			return out, fmt.Errorf("relationships %s: %d of %d to update were not found: %w", typ, len(updates)-n, len(updates), ErrGraphChanged)
		}
	}
	for _, k := range createOrder {
		rows := creates[k]
		recs, sum, err := query(ctx, tx, e.statements.relCreate(k.from, k.to), map[string]any{"type": typ, "rows": rows})
		if err != nil {
			return out, err
		}
		out.counters.add(sum)
		done := make(map[string]bool, len(recs))
		for _, rec := range recs {
			id, err := value[string](rec, "id")
			if err != nil {
				return out, err
			}
			done[id] = true
		}
		for _, row := range rows {
			if id := row["id"].(string); !done[id] {
				return out, fmt.Errorf("relationship %q: node %q or %q is not in the graph: %w", id, row["from"], row["to"], ErrGraphChanged)
			}
		}
	}
	return out, nil
}
