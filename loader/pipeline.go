package loader

import (
	"context"
	"errors"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/schema"
)

// job is one batch to run.
type job struct {
	b       Batch
	records int
	fn      func(tx neo4j.ManagedTransaction) (batchOut, error)
}

// pipeline runs the batches that produce emits on up to workers writers at once, each
// with a session of its own, while produce reads on: reading and parsing the next
// batches overlaps writing this one. In the run's one transaction there is one writer.
// The first failure stops the producer, and the writers take no new batch; a batch
// already running finishes (its transaction commits or rolls back on its own, never
// cut off mid-way, which could leave it open on the server holding its locks). The
// first failure is returned.
func (e *engine) pipeline(ctx context.Context, workers int, produce func(emit func(job) error) error) error {
	if e.tx != nil || workers < 1 {
		workers = 1
	}
	stop := make(chan struct{})
	jobs := make(chan job, workers)
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	fail := func(err error) {
		once.Do(func() { first = err; close(stop) })
	}
	stopped := func() bool {
		select {
		case <-stop:
			return true
		default:
			return ctx.Err() != nil
		}
	}
	for w := range workers {
		session := e.session
		if w > 0 {
			session = e.db.Session(ctx, e.mode())
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if w > 0 {
				defer func() {
					if err := session.Close(context.WithoutCancel(ctx)); err != nil {
						fail(err)
					}
				}()
			}
			for j := range jobs {
				if stopped() {
					continue // drain: a writer failed, or the run was cancelled
				}
				if err := e.do(ctx, session, j.b, j.records, j.fn); err != nil {
					fail(err)
				}
			}
		}()
	}
	err := produce(func(j job) error {
		select {
		case jobs <- j:
			return nil
		case <-stop:
			return errStopped
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if first != nil {
		return first
	}
	return err
}

// errStopped stops a producer whose writers failed; the writer's error is returned.
var errStopped = errors.New("a writer failed")

// pass reads one part of the spool, groups its rows by label or type into batches of
// BatchSize, and runs them through the pipeline: order lists the groups, for the last
// partial batches; rowOf maps a spooled record to its group and row (ok false to skip
// it); write compares a batch with the graph and writes it.
func pass[T any](ctx context.Context, e *engine, part, workers int, order []string,
	step func(group string) string,
	rowOf func(spooled) (group string, row T, ok bool),
	write func(ctx context.Context, tx neo4j.ManagedTransaction, group string, rows []T) (batchOut, error),
) error {
	return e.pipeline(ctx, workers, func(emit func(job) error) error {
		bufs := map[string][]T{}
		seen := map[string]int{}
		flush := func(group string) error {
			rows := bufs[group]
			if len(rows) == 0 {
				return nil
			}
			bufs[group] = nil
			b := e.batchOf(step(group), e.scan.groups[group], seen[group], len(rows))
			return emit(job{b: b, records: len(rows), fn: func(tx neo4j.ManagedTransaction) (batchOut, error) {
				return write(ctx, tx, group, rows)
			}})
		}
		err := e.scan.spool.read(part, func(r spooled) error {
			group, row, ok := rowOf(r)
			if !ok {
				return nil
			}
			bufs[group] = append(bufs[group], row)
			seen[group]++
			if len(bufs[group]) >= e.opts.BatchSize {
				return flush(group)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, group := range order {
			if err := flush(group); err != nil {
				return err
			}
		}
		return nil
	})
}

// nodesPass writes (or plans) Source nodes and nodes, batched by kind, with
// Options.Workers writers: nodes share no locks but their ids' index entries.
func (e *engine) nodesPass(ctx context.Context) error {
	return pass(ctx, e, spoolNodes, e.opts.Workers, append([]string{schema.SourceLabel}, e.vocab.KindNames()...),
		func(group string) string {
			if group == schema.SourceLabel {
				return "sources"
			}
			return "nodes " + group
		},
		func(r spooled) (string, schema.GraphNode, bool) {
			switch {
			case r.Source != nil:
				return schema.SourceLabel, schema.SourceNodeOf(r.Source), true
			case r.Node != nil:
				return r.Node.Kind, e.vocab.NodeOf(r.Node), true
			}
			return "", schema.GraphNode{}, false
		},
		e.nodeBatch)
}

// relationshipsPass writes (or plans) relationships, batched by type, with
// Options.Workers writers. Two batches can share nodes, but Neo4j 5 does not lock a
// dense node (a hub) exclusively to add a relationship to it, and locks the two ends of
// one in the order of their ids; a deadlock that happens all the same is a transient
// error, and the driver runs the batch again. Loading 1M generated relationships
// (heavy-tailed) with two writers took 51 s instead of 73 s, and no batch was retried.
func (e *engine) relationshipsPass(ctx context.Context) error {
	return pass(ctx, e, spoolRels, e.opts.Workers, e.vocab.TypeNames(),
		func(typ string) string { return "relationships " + typ },
		func(r spooled) (string, schema.GraphRel, bool) {
			if r.Relationship == nil {
				return "", schema.GraphRel{}, false
			}
			return r.Relationship.Type, e.vocab.RelOf(r.Relationship), true
		},
		e.relBatch)
}
