package loader

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Watcher reads the graph on both sides of a load's writes, in the load's own
// transaction: Before before the writes, After after them (with the changes written),
// so that a plan can see what a load would leave without committing it. The answers
// package uses it to compare the stored queries' answers.
//
// In a Plan the writes are made in one write transaction that is then rolled back; in
// a Load they commit, and After's names are recorded on the run node (property
// RunAnswersProperty). A batched Load calls Before in a read transaction before its
// first batch and After in the transaction that records the run. Either may be called
// again when the driver retries a transaction: each call starts afresh.
type Watcher interface {
	Before(ctx context.Context, tx neo4j.ManagedTransaction) error
	After(ctx context.Context, tx neo4j.ManagedTransaction, changes []Change) (names []string, err error)
}

// RunAnswersProperty is the run node's property that lists the answers a load changed,
// when it was watched (Options.Watch): an empty list when none changed.
const RunAnswersProperty = "answersChanged"

// Why a plan's watcher was not run (PlanResult.WatchSkipped).
var (
	// ErrWatchTooLarge: above the one-transaction limit a load is batched, and the
	// graph it would leave exists only once its batches commit.
	ErrWatchTooLarge = errors.New("the load is above the one-transaction limit")
	// ErrWatchSchema: the graph lacks constraints or indexes, which the load creates
	// first in a transaction of its own.
	ErrWatchSchema = errors.New("the graph lacks constraints and indexes that load creates first")
)

// errRollback ends the transaction a plan applies its load in: returned by the work
// function, it makes the driver roll the transaction back (it is not retryable).
var errRollback = errors.New("rolled back: a plan writes nothing")

// watchPlan applies the plan's load in one write transaction, calls the watcher on both
// sides of the writes, and rolls it back. It returns the changes the transaction made.
func (e *engine) watchPlan(ctx context.Context) ([]Change, error) {
	if !e.single() {
		return nil, fmt.Errorf("%w (%d records, --single-tx-limit %d): a load that large is one transaction per batch, so the graph it leaves exists only once its batches commit, and there is no transaction to read it in and roll back; load it, or raise --single-tx-limit", ErrWatchTooLarge, e.scan.records, e.opts.SingleTxLimit)
	}
	session := e.db.Session(ctx, neo4j.AccessModeWrite)
	defer session.Close(context.WithoutCancel(ctx))
	t0 := time.Now()
	saved := e.acc // the plan's own, from its read: this pass is for the watcher alone
	defer func() { e.acc = saved }()
	var changes []Change
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		e.tx, e.acc, e.done, e.apply = tx, acc{}, 0, true
		defer func() { e.tx, e.apply = nil, false }()
		if err := e.opts.Watch.Before(ctx, tx); err != nil {
			return struct{}{}, err
		}
		if err := e.passes(ctx); err != nil {
			return struct{}{}, err
		}
		changes = slices.Clone(e.acc.changes)
		sortChanges(changes)
		if _, err := e.opts.Watch.After(ctx, tx, changes); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, errRollback
	}, e.txConfig())
	e.steps = append(e.steps, Step{StepWatch, time.Since(t0).Seconds()})
	if !errors.Is(err, errRollback) {
		return nil, err
	}
	return changes, nil
}

// StepWatch is the time a watched run (Options.Watch) spent applying the load and
// reading the graph on both sides of it (in a plan; in a load, the reading is part of
// the nodes' and the rest's time).
const StepWatch = "answers"
