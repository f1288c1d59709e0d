package loader

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/schema"
)

// graphNode is a node as found in the graph.
type graphNode struct {
	eid    string
	labels []string
	props  map[string]any
}

func (n graphNode) owner() string {
	s, _ := n.props[DatasetProperty].(string)
	return s
}

// lookupNodes finds the graph's nodes for the ids of a job's segments, whatever their
// label (a node whose kind changed, or one that is not the dataset's): in one statement
// through the id index over every label, or, without it (a graph the schema step has
// not upgraded, a plan) and after a lost CREATE race, under each segment's own label,
// then each other label the graph held before the run. A failure of one segment's
// lookup names its batch.
func (e *engine) lookupNodes(ctx context.Context, tx neo4j.ManagedTransaction, segs []segment[schema.GraphNode]) (map[string][]graphNode, error) {
	read := func(r *neo4j.Record) (string, graphNode, error) {
		id, err1 := value[string](r, "id")
		eid, err2 := value[string](r, "eid")
		labels, err3 := value[[]any](r, "labels")
		props, err4 := value[map[string]any](r, "props")
		n := graphNode{eid: eid, props: props}
		for _, l := range labels {
			s, _ := l.(string)
			n.labels = append(n.labels, s)
		}
		return id, n, errors.Join(err1, err2, err3, err4)
	}
	idsOf := func(sg segment[schema.GraphNode]) []string {
		ids := make([]string, len(sg.rows))
		for i, g := range sg.rows {
			ids[i] = g.ID
		}
		return ids
	}
	if e.idIndexes && !e.lookupAll.Load() {
		var ids []string
		for _, sg := range segs {
			ids = append(ids, idsOf(sg)...)
		}
		return lookupOnce(ctx, e, tx, e.statements.allLabels, ids, nodeLookupAny, read)
	}
	found := map[string][]graphNode{}
	for _, sg := range segs {
		f, err := lookup(ctx, e, tx, sg.group, e.statements.allLabels, idsOf(sg), e.statements.nodeLookup, read)
		if err != nil {
			return nil, segmentError(segs, sg, err)
		}
		maps.Copy(found, f) // the input's ids are unique: no two segments share one
	}
	return found, nil
}

// segmentError says that the segment sg of a job's segs failed with err, so that the
// error names its batch (see pass); a job of one segment is named as it is.
func segmentError[T any](segs []segment[T], sg segment[T], err error) error {
	if len(segs) == 1 {
		return err
	}
	return &partError{b: sg.b, err: err}
}

// partError is a failure in one segment of a job: pass unwraps it for the driver and
// do names the segment's batch.
type partError struct {
	b   Batch
	err error
}

func (e *partError) Error() string { return e.b.String() + ": " + e.err.Error() }
func (e *partError) Unwrap() error { return e.err }

// nodeBatch compares a job's nodes with the graph and writes those that differ: the
// nodes to create, of every segment, in one statement (nodeCreate), the updates one
// statement a segment. tail says nothing: one create statement serves every batch.
func (e *engine) nodeBatch(ctx context.Context, tx neo4j.ManagedTransaction, segs []segment[schema.GraphNode], _ bool) (batchOut, error) {
	var out batchOut
	found, err := e.lookupNodes(ctx, tx, segs)
	if err != nil {
		return out, err
	}
	var creates []map[string]any
	for _, sg := range segs {
		c, err := e.nodeSegment(ctx, tx, sg, found, &out)
		if err != nil {
			return out, segmentError(segs, sg, err)
		}
		creates = append(creates, c...)
	}
	if len(creates) > 0 && e.apply {
		_, sum, err := query(ctx, tx, nodeCreate, map[string]any{"rows": creates})
		if err != nil {
			return out, err
		}
		out.counters.add(sum)
	}
	return out, nil
}

// nodeSegment compares one segment's nodes with what the lookup found, notes the
// changes in out, writes the updates, and returns the rows to create.
func (e *engine) nodeSegment(ctx context.Context, tx neo4j.ManagedTransaction, sg segment[schema.GraphNode], found map[string][]graphNode, out *batchOut) ([]map[string]any, error) {
	group := sg.group
	wantLabels := e.statements.groupLabels[group]
	var creates, updates []map[string]any
	for _, g := range sg.rows {
		want := e.props(g.Props)
		ch := Change{Record: RecordNode, ID: g.ID, Label: group}
		switch fs := found[g.ID]; len(fs) {
		case 0:
			ch.Action = ActionCreate
			creates = append(creates, map[string]any{"labels": wantLabels, "props": want})
		case 1:
			f := fs[0]
			if f.owner() != e.opts.Dataset {
				return nil, &OwnershipError{Record: RecordNode, ID: g.ID, Labels: strings.Join(f.labels, ":"), Owner: f.owner(), Dataset: e.opts.Dataset}
			}
			ch.Action = ActionUpdate
			ch.Fields = diffProps(f.props, want)
			setProps := len(ch.Fields) > 0
			if have := e.managedLabels(f.labels); !slices.Equal(have, wantLabels) {
				ch.Fields = append([]FieldChange{{Key: "labels", Old: strings.Join(have, ":"), New: strings.Join(wantLabels, ":")}}, ch.Fields...)
			}
			if len(ch.Fields) == 0 {
				continue
			}
			updates = append(updates, map[string]any{"eid": f.eid, "props": want, "setProps": setProps})
		default:
			var where []string
			for _, f := range fs {
				where = append(where, strings.Join(f.labels, ":"))
			}
			return nil, fmt.Errorf("node %q: %d nodes in the graph carry this id (%s): delete all but one", g.ID, len(fs), strings.Join(where, ", "))
		}
		out.changes = append(out.changes, ch)
	}
	if !e.apply || len(updates) == 0 {
		return creates, nil
	}
	params := map[string]any{"dataset": e.opts.Dataset, "rows": updates}
	n, err := count(ctx, tx, e.statements.nodeUpdate(group), params, &out.counters)
	if err != nil {
		return nil, err
	}
	if n != len(updates) {
		return nil, fmt.Errorf("nodes %s: %d of %d to update were not found: %w", group, len(updates)-n, len(updates), ErrGraphChanged)
	}
	return creates, nil
}

// managedLabels returns the labels among ls that the loader manages, sorted.
func (e *engine) managedLabels(ls []string) []string {
	var out []string
	for _, l := range ls {
		if _, ok := slices.BinarySearch(e.statements.allLabels, l); ok {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return out
}

// props returns the properties to write for the record's (see Properties), converted
// in place: p is the record's own map, made for this batch (schema's NodeOf, RelOf), and
// a copy of a million of them cost the client seconds. Converting twice (a transaction
// run again) changes nothing.
func (e *engine) props(p map[string]any) map[string]any {
	for k, v := range p {
		if t, ok := v.(time.Time); ok {
			p[k] = neo4j.DateOf(t)
		}
	}
	p[DatasetProperty] = e.opts.Dataset
	return p
}

// Properties returns the properties load writes for a record's graph properties: dates
// as Neo4j dates, and the dataset's mark.
func Properties(p map[string]any, dataset string) map[string]any {
	out := make(map[string]any, len(p)+1)
	for k, v := range p {
		out[k] = toNeo4j(v)
	}
	out[DatasetProperty] = dataset
	return out
}

// lookup finds the graph's records for ids: under the own label or type first, then, for
// ids not found, under each other of names that the graph held before the run. A label
// or type the graph did not hold holds none of the ids (the input's ids are unique, so
// this run has not written them either). Each lookup is one small statement through
// the name's index, of a text the server plans once; read decodes a result record.
func lookup[T any](ctx context.Context, e *engine, tx neo4j.ManagedTransaction, own string, names, ids []string,
	statement func(string) string, read func(*neo4j.Record) (string, T, error),
) (map[string][]T, error) {
	found := map[string][]T{}
	missing := ids
	for i, name := range append([]string{own}, names...) {
		if len(missing) == 0 {
			break
		}
		if (!e.present[name] && !e.lookupAll.Load()) || (i > 0 && name == own) {
			continue
		}
		recs, _, err := query(ctx, tx, statement(name), map[string]any{"ids": missing})
		if err != nil {
			return nil, err
		}
		seen := map[string]bool{}
		for _, r := range recs {
			id, v, err := read(r)
			if err != nil {
				return nil, err
			}
			found[id] = append(found[id], v)
			seen[id] = true
		}
		if len(seen) > 0 {
			missing = slices.DeleteFunc(slices.Clone(missing), func(id string) bool { return seen[id] })
		}
	}
	return found, nil
}

// lookupOnce finds the graph's records for ids in one statement through an id index
// over every label or type (nodeLookupAny, relLookupAny), unless the graph held none of
// names before the run: then none of the ids is there (the input's ids are unique, so
// this run has not written them either) and nothing is sent. The ids go as a few index
// queries of up to lookupTerms terms each ("a" OR "b" ...), not one a row: a full-text
// query costs the same for one term as for hundreds.
func lookupOnce[T any](ctx context.Context, e *engine, tx neo4j.ManagedTransaction, names, ids []string,
	statement string, read func(*neo4j.Record) (string, T, error),
) (map[string][]T, error) {
	found := map[string][]T{}
	if len(ids) == 0 || !slices.ContainsFunc(names, func(n string) bool { return e.present[n] }) {
		return found, nil
	}
	var queries []string
	for part := range slices.Chunk(ids, lookupTerms) {
		terms := make([]string, len(part))
		for i, id := range part {
			terms[i] = schema.LuceneTerm(id)
		}
		queries = append(queries, strings.Join(terms, " OR "))
	}
	recs, _, err := query(ctx, tx, statement, map[string]any{"queries": queries})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id, v, err := read(r)
		if err != nil {
			return nil, err
		}
		found[id] = append(found[id], v)
	}
	return found, nil
}

// lookupTerms is the most ids one index query asks for: below Lucene's default limit
// of 1024 clauses to a query.
const lookupTerms = 500

// value reads a record's value by its key, checked (F8): a missing key or a value of
// another type (a RETURN clause that changed) is an error; a null is T's zero value.
func value[T neo4j.RecordValue](r *neo4j.Record, key string) (T, error) {
	v, isNil, err := neo4j.GetRecordValue[T](r, key)
	if isNil {
		var zero T
		return zero, nil
	}
	if err != nil {
		return v, fmt.Errorf("read %s from the graph: %w", key, err)
	}
	return v, nil
}
