package loader_test

// Fault tests: a real server killed (SIGKILL) and restarted mid-load, a server-side
// transaction timeout, and two loads forced into a deadlock. docs/reliability.md lists
// the promises they prove. The kills go to a throwaway server of their own
// (neo4jtest.Fault), never to the server the other tests share.

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// places returns basic's files plus a file of n Place nodes, p001 first, or last when
// reversed.
func places(t testing.TB, n int, reversed bool) files {
	t.Helper()
	out := files{}
	for k, v := range basic(t) {
		out[k] = v
	}
	var b strings.Builder
	b.WriteString("nodes:\n")
	for i := range n {
		k := i + 1
		if reversed {
			k = n - i
		}
		fmt.Fprintf(&b, "  - id: p%03d\n    kind: Place\n    name: Place %d\n    wikidata: none\n    evidence:\n      - source: src-talks\n        quote: \"in Doha\"\n", k, k)
	}
	out["places.yaml"] = b.String()
	return out
}

// faultDB connects to the fault server. With a retry time of a second, a dead server
// fails a load at once; 0 leaves the driver's default (30 seconds), as the CLI does,
// which lets a load ride out a restart.
func faultDB(t testing.TB, s *neo4jtest.FaultServer, retry time.Duration) *neo4jconn.DB {
	t.Helper()
	set := s.Settings
	set.MaxRetryTime = retry
	db, err := neo4jconn.Open(ctx, set)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	return db
}

// killAfter returns a Progress function that runs fn once, after the batch-th batch.
func killAfter(batch int, fn func()) func(loader.Progress) {
	n := 0
	return func(loader.Progress) {
		if n++; n == batch {
			fn()
		}
	}
}

// oneClearLine checks that err is one line that says what happened and what state
// the graph is in.
func oneClearLine(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("the load succeeded, want an error")
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q:\n%s", w, msg)
		}
	}
}

func TestServerKilledMidLoad(t *testing.T) {
	t.Parallel() // on the fault server: it overlaps the tests of the shared one
	t.Run("one transaction: the graph stays as before, a rerun converges", func(t *testing.T) {
		srv := neo4jtest.Fault(t)
		db := faultDB(t, srv, time.Second)
		load(t, db, basic(t), opts("basic"))
		before := dump(t, db)

		f := places(t, 60, false)
		o := opts("basic")
		o.BatchSize = 10
		o.Progress = killAfter(3, func() { srv.Kill(t) }) // places written, not committed
		_, err := loader.Load(ctx, db, f.inputs(t), schema.Default(), o)
		oneClearLine(t, err, `load "basic": nodes Place batch `, "cannot reach Neo4j at "+srv.Settings.URI, "nothing was written (the load is one transaction)")
		if !errors.Is(err, neo4jconn.ErrUnreachable) {
			t.Errorf("err is not ErrUnreachable (exit code 3): %v", err)
		}

		srv.Start(t)
		sameGraph(t, dump(t, db), before)
		res := load(t, db, f, opts("basic"))
		if res.Created != 60 {
			t.Errorf("the rerun created %d records, want the 60 places", res.Created)
		}
		sameGraph(t, dump(t, db), expected(t, f, "basic"))
	})

	t.Run("batched: the committed batches stay, a rerun converges", func(t *testing.T) {
		srv := neo4jtest.Fault(t)
		db := faultDB(t, srv, time.Second)
		f := places(t, 60, false)
		o := loader.Options{Dataset: "basic", BatchSize: 10, SingleTxLimit: -1, Workers: 1} // one batch at a time: the kill falls between two
		// The first six batches are 60 of the 61 places (the fixture has one), full, each
		// its own transaction; the other kinds' few records are merged into jobs after
		// them. The kill falls after the third.
		o.Progress = killAfter(3, func() { srv.Kill(t) })
		_, err := loader.Load(ctx, db, f.inputs(t), schema.Default(), o)
		oneClearLine(t, err, `load "basic": nodes Place batch 4/7 (records 31-40)`, "cannot reach Neo4j at "+srv.Settings.URI, "the 3 batches before it are committed: fix the cause and run the load again to converge")
		if !errors.Is(err, neo4jconn.ErrUnreachable) {
			t.Errorf("err is not ErrUnreachable (exit code 3): %v", err)
		}

		srv.Start(t)
		partial := dump(t, db)
		if n := len(partial.Nodes); n != 30 {
			t.Errorf("%d nodes after the kill, want the 30 places of the 3 committed batches", n)
		}
		want := expected(t, f, "basic")
		for id, n := range partial.Nodes {
			if w, ok := want.Nodes[id]; !ok || !reflect.DeepEqual(w, n) {
				t.Errorf("committed node %q is not as the input has it: %v", id, n)
			}
		}
		o.Progress = nil
		load(t, db, f, o)
		sameGraph(t, dump(t, db), want)
	})
}

func TestServerRestartBetweenBatches(t *testing.T) {
	t.Parallel() // on the fault server: it overlaps the tests of the shared one
	srv := neo4jtest.Fault(t)
	db := faultDB(t, srv, 0)
	f := places(t, 60, false)
	o := loader.Options{Dataset: "basic", BatchSize: 10, SingleTxLimit: -1, Workers: 1} // one batch at a time: the kill falls between two
	restarted := false
	o.Progress = killAfter(5, func() {
		srv.Kill(t)
		srv.Start(t)
		restarted = true
	})
	res := load(t, db, f, o) // the driver reconnects: the pooled connections died with the server
	if !restarted {
		t.Fatal("the server was not restarted: too few batches")
	}
	if res.Created != len(expected(t, f, "basic").Nodes)+len(expected(t, f, "basic").Rels) {
		t.Errorf("created %d records, want every one once", res.Created)
	}
	sameGraph(t, dump(t, db), expected(t, f, "basic"))
	if again := load(t, db, f, opts("basic")); again.Counters.Writes() != 0 {
		t.Errorf("a reload after the restart wrote %+v", again.Counters)
	}
}

func TestDeadlockIsRetried(t *testing.T) {
	db := neo4jtest.Open(t)
	// basic first, so that both loads find it unchanged and lock nothing for it.
	load(t, db, basic(t), opts("basic"))

	// Two loads of the same records, the places in opposite orders, one per batch.
	// Each waits, after its first place, until the other has written its own first
	// place: then each wants the place the other holds, and Neo4j detects the deadlock.
	inputs := [2]files{places(t, 2, false), places(t, 2, true)}
	var arrived sync.WaitGroup
	arrived.Add(2)
	var firsts [2]int
	var mu sync.Mutex
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := opts("basic")
			o.BatchSize = 1
			var once sync.Once
			o.Progress = func(p loader.Progress) {
				if p.Step != "nodes Place" || p.N != 1 {
					return
				}
				mu.Lock()
				firsts[i]++
				mu.Unlock()
				once.Do(func() { arrived.Done(); arrived.Wait() })
			}
			c, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			_, errs[i] = loader.Load(c, db, inputs[i].inputs(t), schema.Default(), o)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("load %d: %v", i, err)
		}
	}
	if firsts[0]+firsts[1] < 3 {
		t.Errorf("first place batches run %v times, want one load retried after the deadlock", firsts)
	}
	sameGraph(t, dump(t, db), expected(t, inputs[0], "basic"))
}

// TestServerTransactionTimeout restarts the fault server with a low timeout: it comes
// after the other tests that use the fault server, so that it restarts once.
func TestServerTransactionTimeout(t *testing.T) {
	t.Parallel() // on the fault server: it overlaps the tests of the shared one
	srv := neo4jtest.Fault(t, "db.transaction.timeout=5s", "db.transaction.monitor.check.interval=100ms")
	db := faultDB(t, srv, time.Second)
	// A cold server on a busy machine can take seconds to plan a statement the first
	// time: load basic until it fits the limit, so that the statements are planned.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(500 * time.Millisecond) {
		_, err := loader.Load(ctx, db, basic(t).inputs(t), schema.Default(), opts("basic"))
		if err == nil {
			break
		}
		if time.Now().After(deadline) || !errors.Is(err, loader.ErrTimedOut) {
			t.Fatalf("loading basic: %v", err)
		}
	}
	before := dump(t, db)
	f := places(t, 30, false)
	o := opts("basic")
	o.BatchSize = 10
	o.Progress = killAfter(2, func() { time.Sleep(5500 * time.Millisecond) }) // a slow batch
	_, err := loader.Load(ctx, db, f.inputs(t), schema.Default(), o)
	oneClearLine(t, err, `load "basic": nodes Place batch `, "the transaction ran past the server's time limit (db.transaction.timeout)", "nothing was written (the load is one transaction)")
	if !errors.Is(err, loader.ErrTimedOut) {
		t.Errorf("err is not loader.ErrTimedOut: %v", err)
	}
	sameGraph(t, dump(t, db), before)
}
