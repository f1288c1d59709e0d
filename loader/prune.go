package loader

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/schema"
)

// ErrPruneBlocked marks a node that prune would delete but that other data is attached to.
var ErrPruneBlocked = errors.New("prune blocked")

// prune deletes the dataset's relationships, then nodes, whose ids the input no longer
// defines. It finds them by scanning the dataset's labels and types (streaming ids, kept
// only when they are to go), and deletes them in batches. Nothing without the dataset's
// mark is touched: a node that relationships of other data attach to is not deleted.
func (e *engine) prune(ctx context.Context) error {
	for _, typ := range e.vocab.TypeNames() {
		if !e.present[typ] {
			continue // no relationship of this type predates the run
		}
		var ids []string
		ends := map[string][2]string{}
		err := e.read(ctx, e.statements.relScan(typ), func() { ids, ends = nil, map[string][2]string{} }, func(r scanRow) {
			if r.id != "" && !e.scan.isRelationship(r.id) {
				ids = append(ids, r.id)
				ends[r.id] = [2]string{r.from, r.to}
			}
		})
		if err != nil {
			return fmt.Errorf("prune relationships %s: %w", typ, err)
		}
		for i := 0; i < len(ids); i += e.opts.BatchSize {
			batch := ids[i:min(i+e.opts.BatchSize, len(ids))]
			b := e.batchOf("prune relationships "+typ, len(ids), i+len(batch), len(batch))
			err := e.do(ctx, e.session, job{parts: []part{{b, 0}}, fn: func(tx neo4j.ManagedTransaction) (batchOut, error) {
				var out batchOut
				for _, id := range batch {
					out.changes = append(out.changes, Change{Action: ActionDelete, Record: RecordRelationship, ID: id, Label: typ, From: ends[id][0], To: ends[id][1]})
				}
				if !e.apply {
					return out, nil
				}
				n, err := count(ctx, tx, e.statements.relDelete(typ), map[string]any{"ids": batch, "dataset": e.opts.Dataset}, &out.counters)
				if err == nil && n != len(batch) {
					err = fmt.Errorf("%d of %d relationships to delete were not found: %w", len(batch)-n, len(batch), ErrGraphChanged)
				}
				return out, err
			}})
			if err != nil {
				return err
			}
		}
	}
	seen := map[string]bool{}
	for _, label := range append([]string{schema.SourceLabel}, e.vocab.KindNames()...) {
		if !e.present[label] {
			continue
		}
		var found []map[string]any
		err := e.read(ctx, e.statements.nodeScan(label), func() { found = nil }, func(r scanRow) {
			if r.id != "" && !e.scan.isNode(r.id) {
				found = append(found, map[string]any{"id": r.id, "eid": r.eid})
			}
		})
		if err != nil {
			return fmt.Errorf("prune nodes %s: %w", label, err)
		}
		var rows []map[string]any // each node once, though it may carry two kinds' labels
		for _, r := range found {
			if eid := r["eid"].(string); !seen[eid] {
				seen[eid] = true
				rows = append(rows, r)
			}
		}
		for i := 0; i < len(rows); i += e.opts.BatchSize {
			batch := rows[i:min(i+e.opts.BatchSize, len(rows))]
			b := e.batchOf("prune nodes "+label, len(rows), i+len(batch), len(batch))
			err := e.do(ctx, e.session, job{parts: []part{{b, 0}}, fn: func(tx neo4j.ManagedTransaction) (batchOut, error) {
				return e.pruneNodes(ctx, tx, label, batch)
			}})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (e *engine) pruneNodes(ctx context.Context, tx neo4j.ManagedTransaction, label string, rows []map[string]any) (batchOut, error) {
	var out batchOut
	params := map[string]any{"rows": rows, "dataset": e.opts.Dataset}
	recs, _, err := query(ctx, tx, nodeBlockers, params)
	if err != nil {
		return out, err
	}
	if len(recs) > 0 {
		id, err1 := value[string](recs[0], "id")
		n, err2 := value[int64](recs[0], "n")
		list, err3 := value[[]any](recs[0], "types")
		if err := errors.Join(err1, err2, err3); err != nil {
			return out, err
		}
		var types []string
		for _, t := range list {
			s, _ := t.(string)
			types = append(types, s)
		}
		return out, fmt.Errorf("%w: node %q (%s) is no longer in the seed files, but %d relationships outside dataset %q attach to it (%s): delete them first, or keep the node", ErrPruneBlocked, id, label, n, e.opts.Dataset, strings.Join(types, ", "))
	}
	for _, r := range rows {
		out.changes = append(out.changes, Change{Action: ActionDelete, Record: RecordNode, ID: r["id"].(string), Label: label})
	}
	if !e.apply {
		return out, nil
	}
	n, err := count(ctx, tx, nodeDelete, params, &out.counters)
	if err == nil && n != len(rows) {
		err = fmt.Errorf("%d of %d nodes to delete were not found: %w", len(rows)-n, len(rows), ErrGraphChanged)
	}
	return out, err
}

// scanRow is one row of a scan: a record's id, and a node's element id or a
// relationship's endpoints' ids (empty where the scan has none).
type scanRow struct{ id, eid, from, to string }

// read streams a scan's rows to fn, in the run's transaction or in a read transaction
// of its own. reset is called before each attempt.
func (e *engine) read(ctx context.Context, cypher string, reset func(), fn func(scanRow)) error {
	scan := func(tx neo4j.ManagedTransaction) (struct{}, error) {
		reset()
		res, err := tx.Run(ctx, cypher, map[string]any{"dataset": e.opts.Dataset})
		if err != nil {
			return struct{}{}, err
		}
		for res.Next(ctx) {
			r := res.Record()
			var row scanRow
			var err error
			if row.id, err = value[string](r, "id"); err != nil {
				return struct{}{}, err
			}
			for key, into := range map[string]*string{"eid": &row.eid, "from": &row.from, "to": &row.to} {
				if _, ok := r.Get(key); ok {
					if *into, err = value[string](r, key); err != nil {
						return struct{}{}, err
					}
				}
			}
			fn(row)
		}
		return struct{}{}, res.Err()
	}
	if e.tx != nil {
		_, err := scan(e.tx)
		return err
	}
	_, err := neo4j.ExecuteRead(ctx, e.session, scan, e.txConfig())
	return err
}
