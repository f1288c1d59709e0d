package loader

import (
	"context"
	"errors"
	"sync"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/schema"
)

// job is one transaction's work: a batch, or the last partial batches of several
// groups (parts).
type job struct {
	parts []part
	fn    func(tx neo4j.ManagedTransaction) (batchOut, error)
	// failedAt, when set, names the part that fn's last failure happened in (nil: the
	// job as a whole).
	failedAt func() *Batch
}

// pipeline runs the batches that produce emits on up to workers writers at once, each
// with a session of its own, while produce reads on: reading and parsing the next
// batches overlaps writing this one. The writers start at one and grow while the
// server has room for them (ramp). In the run's one transaction there is one writer.
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
	started := 0
	startWriter := func() {
		w := started
		started++
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
				if err := e.do(ctx, session, j); err != nil {
					fail(err)
				}
			}
		}()
	}
	for n := e.ramp.start(workers); started < n; {
		startWriter()
	}
	err := produce(func(j job) error {
		if started < workers && e.ramp.grow(ctx, e, workers) {
			startWriter()
		}
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

// segment is one group's rows of a job, and the batch they are.
type segment[T any] struct {
	group string
	rows  []T
	b     Batch
}

// pass reads one part of the spool, groups its rows by label or type into batches of
// BatchSize, and runs them through the pipeline: order lists the groups, for the last
// partial batches; rowOf maps a spooled record to its group and row (ok false to skip
// it); write compares a job's segments with the graph and writes them. A full batch is
// a job of one segment. The partial batches left at the end (of every group, in
// order) are packed into as few jobs of up to BatchSize rows as they fit, each written
// with tail set: one statement for many labels or types, so that a small load sends
// and the server plans one create statement a pass, not one a group (a server just
// started takes hundreds of milliseconds for each new statement).
func pass[T any](ctx context.Context, e *engine, spoolPart, workers int, order []string,
	step func(group string) string,
	rowOf func(spooled) (group string, row T, ok bool),
	write func(ctx context.Context, tx neo4j.ManagedTransaction, segs []segment[T], tail bool) (batchOut, error),
) error {
	return e.pipeline(ctx, workers, func(emit func(job) error) error {
		bufs := map[string][]T{}
		seen := map[string]int{}
		take := func(group string) segment[T] {
			rows := bufs[group]
			bufs[group] = nil
			return segment[T]{group: group, rows: rows, b: e.batchOf(step(group), e.scan.groups[group], seen[group], len(rows))}
		}
		send := func(segs []segment[T], tail bool) error {
			parts := make([]part, len(segs))
			for i, sg := range segs {
				parts[i] = part{b: sg.b, records: len(sg.rows)}
			}
			// A segment's failure is returned to the driver as it is, so that it retries
			// what it would retry, and the segment is kept aside to name the batch.
			var at *Batch
			return emit(job{parts: parts, failedAt: func() *Batch { return at },
				fn: func(tx neo4j.ManagedTransaction) (batchOut, error) {
					at = nil
					out, err := write(ctx, tx, segs, tail)
					var pe *partError
					if errors.As(err, &pe) {
						at, err = &pe.b, pe.err
					}
					return out, err
				}})
		}
		err := e.scan.spool.read(spoolPart, func(r spooled) error {
			group, row, ok := rowOf(r)
			if !ok {
				return nil
			}
			bufs[group] = append(bufs[group], row)
			seen[group]++
			if len(bufs[group]) >= e.opts.BatchSize {
				return send([]segment[T]{take(group)}, false)
			}
			return nil
		})
		if err != nil {
			return err
		}
		var tail []segment[T]
		size := 0
		for _, group := range order {
			if len(bufs[group]) == 0 {
				continue
			}
			sg := take(group)
			if size+len(sg.rows) > e.opts.BatchSize && len(tail) > 0 {
				if err := send(tail, true); err != nil {
					return err
				}
				tail, size = nil, 0
			}
			tail = append(tail, sg)
			size += len(sg.rows)
		}
		if len(tail) > 0 {
			return send(tail, true)
		}
		return nil
	})
}

// nodesPass writes (or plans) Source nodes and nodes, batched by kind, with up to
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

// relationshipsPass writes (or plans) relationships, batched by type, with up to
// Options.Workers writers, as many as the nodes' pass reached to start with (ramp).
// Two batches can share nodes, but Neo4j 5 does not lock a dense node (a hub)
// exclusively to add a relationship to it, and locks the two ends of one in the order
// of their ids; a deadlock that happens all the same is a transient error, and the
// driver runs the batch again. Loading 1M generated relationships (heavy-tailed) with
// two writers took 51 s instead of 73 s, and no batch was retried; with the ramp, on a
// server just started, 67.9 s against 70.5 s with two writers from the start and 84.4
// s with one (2026-12-06, two cores shared by client and server).
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
