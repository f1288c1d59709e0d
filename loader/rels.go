package loader

import (
	"context"
	"errors"
	"fmt"
	"maps"

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

// lookupRels finds the graph's relationships for the ids of a job's segments, whatever
// their type: in one statement through the id index over every type, or, without it
// and after a lost CREATE race, of each segment's type, then of each other type the
// graph held before the run.
func (e *engine) lookupRels(ctx context.Context, tx neo4j.ManagedTransaction, segs []segment[schema.GraphRel]) (map[string][]graphRel, error) {
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
	idsOf := func(sg segment[schema.GraphRel]) []string {
		ids := make([]string, len(sg.rows))
		for i, r := range sg.rows {
			ids[i] = r.ID
		}
		return ids
	}
	if e.idIndexes && !e.lookupAll.Load() {
		var ids []string
		for _, sg := range segs {
			ids = append(ids, idsOf(sg)...)
		}
		return lookupOnce(ctx, e, tx, e.vocab.TypeNames(), ids, relLookupAny, read)
	}
	found := map[string][]graphRel{}
	for _, sg := range segs {
		f, err := lookup(ctx, e, tx, sg.group, e.vocab.TypeNames(), idsOf(sg), e.statements.relLookup, read)
		if err != nil {
			return nil, segmentError(segs, sg, err)
		}
		maps.Copy(found, f) // the input's ids are unique: no two segments share one
	}
	return found, nil
}

// relCreateRow is a relationship to create and the segment it is of.
type relCreateRow struct {
	seg      int
	typ      string
	from, to string // the labels its ends are found by
	row      map[string]any
}

// relBatch compares a job's relationships with the graph and writes those that differ.
// A relationship whose type or endpoints changed is deleted and created again (Neo4j
// cannot change either); one whose properties changed has them replaced. A full batch
// (one type) creates with one statement per pair of end labels (relCreate); a tail
// job, the last partial batches of many types, with one statement for all
// (relCreateAny).
func (e *engine) relBatch(ctx context.Context, tx neo4j.ManagedTransaction, segs []segment[schema.GraphRel], tail bool) (batchOut, error) {
	var out batchOut
	found, err := e.lookupRels(ctx, tx, segs)
	if err != nil {
		return out, err
	}
	var creates []relCreateRow
	deletes := map[string][]string{} // by type
	updates := make([][]map[string]any, len(segs))
	for i, sg := range segs {
		if err := e.relSegment(sg, found, &out, func(r relCreateRow) { r.seg = i; creates = append(creates, r) }, deletes, &updates[i]); err != nil {
			return out, segmentError(segs, sg, err)
		}
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
	for i, sg := range segs {
		if len(updates[i]) == 0 {
			continue
		}
		params["rows"] = updates[i]
		n, err := count(ctx, tx, e.statements.relUpdate(sg.group), params, &out.counters)
		if err == nil && n != len(updates[i]) {
			err = fmt.Errorf("relationships %s: %d of %d to update were not found: %w", sg.group, len(updates[i])-n, len(updates[i]), ErrGraphChanged)
		}
		if err != nil {
			return out, segmentError(segs, sg, err)
		}
	}
	if len(creates) == 0 {
		return out, nil
	}
	if tail {
		// Only relCreateAny reads a row's type and end labels: relCreate has them in
		// its text and $type, and the server unpacks what is sent.
		rows := make([]map[string]any, len(creates))
		for i, c := range creates {
			c.row["type"], c.row["fromLabel"], c.row["toLabel"] = c.typ, c.from, c.to
			rows[i] = c.row
		}
		return out, e.createRels(ctx, tx, segs, creates, e.statements.relCreateAny(), map[string]any{"rows": rows}, &out)
	}
	type ends struct{ from, to string }
	byEnds := map[ends][]relCreateRow{}
	var order []ends
	for _, c := range creates {
		k := ends{c.from, c.to}
		if byEnds[k] == nil {
			order = append(order, k)
		}
		byEnds[k] = append(byEnds[k], c)
	}
	for _, k := range order {
		cs := byEnds[k]
		rows := make([]map[string]any, len(cs))
		for i, c := range cs {
			rows[i] = c.row
		}
		if err := e.createRels(ctx, tx, segs, cs, e.statements.relCreate(k.from, k.to), map[string]any{"type": segs[0].group, "rows": rows}, &out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// relSegment compares one segment's relationships with what the lookup found, notes
// the changes in out, and hands on the relationships to create, delete (by type) and
// update.
func (e *engine) relSegment(sg segment[schema.GraphRel], found map[string][]graphRel, out *batchOut, create func(relCreateRow), deletes map[string][]string, updates *[]map[string]any) error {
	typ := sg.group
	for _, r := range sg.rows {
		want := e.props(r.Props)
		ch := Change{Record: RecordRelationship, ID: r.ID, Label: typ, From: r.From, To: r.To}
		recreate := false
		switch fs := found[r.ID]; len(fs) {
		case 0:
			ch.Action = ActionCreate
			recreate = true
		case 1:
			f := fs[0]
			if f.owner() != e.opts.Dataset {
				return &OwnershipError{Record: RecordRelationship, ID: r.ID, Labels: fmt.Sprintf("%s from %q to %q", f.typ, f.from, f.to), Owner: f.owner(), Dataset: e.opts.Dataset}
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
				recreate = true
			default:
				*updates = append(*updates, map[string]any{"id": r.ID, "props": want})
			}
		default:
			return fmt.Errorf("relationship %q: %d relationships in the graph carry this id: delete all but one", r.ID, len(fs))
		}
		if recreate {
			from := e.statements.labelFor(typ, 0, e.vocab.NodeKinds[e.scan.nodeKind(r.From)].Kind)
			to := e.statements.labelFor(typ, 1, e.vocab.NodeKinds[e.scan.nodeKind(r.To)].Kind)
			create(relCreateRow{typ: typ, from: from, to: to, row: map[string]any{
				"id": r.ID, "from": r.From, "to": r.To, "props": want,
			}})
		}
		out.changes = append(out.changes, ch)
	}
	return nil
}

// createRels runs a create statement for the relationships cs and checks that each was
// created: a row whose end is missing creates nothing, and names its segment's batch.
// The statement returns nothing (1M ids sent back cost the server and the client
// seconds); only when the summary counts fewer relationships created than rows are the
// rows' ids looked up, in the same transaction, to name one that was not.
func (e *engine) createRels(ctx context.Context, tx neo4j.ManagedTransaction, segs []segment[schema.GraphRel], cs []relCreateRow, statement string, params map[string]any, out *batchOut) error {
	_, sum, err := query(ctx, tx, statement, params)
	if err != nil {
		return err
	}
	out.counters.add(sum)
	if sum.Counters().RelationshipsCreated() == len(cs) {
		return nil
	}
	byType := map[string][]string{}
	for _, c := range cs {
		byType[c.typ] = append(byType[c.typ], c.row["id"].(string))
	}
	done := map[string]bool{}
	for typ, ids := range byType {
		recs, _, err := query(ctx, tx, e.statements.relLookup(typ), map[string]any{"ids": ids})
		if err != nil {
			return err
		}
		for _, rec := range recs {
			id, err := value[string](rec, "id")
			if err != nil {
				return err
			}
			done[id] = true
		}
	}
	for _, c := range cs {
		if id := c.row["id"].(string); !done[id] {
			err := fmt.Errorf("relationship %q: node %q or %q is not in the graph: %w", id, c.row["from"], c.row["to"], ErrGraphChanged)
			return segmentError(segs, segs[c.seg], err)
		}
	}
	return fmt.Errorf("relationships: %d of %d created, yet each is in the graph: %w", sum.Counters().RelationshipsCreated(), len(cs), ErrGraphChanged)
}
