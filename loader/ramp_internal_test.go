package loader

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
)

// The ramp starts one writer more only on a load under rampIdle, never on the first
// answer (it only starts the measure), and every writer when the server will not tell;
// a busy server (a timed-out question), a transient error or the run's end start none
// and leave the ramp on.
func TestRampAnswer(t *testing.T) {
	refused := &neo4j.Neo4jError{Code: "Neo.ClientError.Procedure.ProcedureNotFound", Msg: "There is no procedure with the name `dbms.queryJmx` registered"}
	transient := &neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable", Msg: "unavailable"}
	cases := []struct {
		name      string
		first     bool
		load      float64
		err       error
		cancelled bool
		grow, off bool
	}{
		{name: "first answer", first: true, load: 0.1},
		{name: "idle", load: 0.62, grow: true},
		{name: "just under", load: rampIdle - 0.01, grow: true},
		{name: "busy", load: rampIdle},
		{name: "saturated", load: 0.99},
		{name: "timed out", err: fmt.Errorf("ask: %w", context.DeadlineExceeded)},
		{name: "transient", err: transient},
		{name: "cancelled", err: context.Canceled, cancelled: true},
		{name: "no procedure", err: refused, grow: true, off: true},
		{name: "no measure", err: errNoLoad, grow: true, off: true},
		{name: "no measure, first", first: true, err: errNoLoad, grow: true, off: true},
	}
	for _, c := range cases {
		r := ramp{writers: 1}
		grow := r.answer(c.first, c.load, c.err, c.cancelled)
		want := 1
		if c.grow && !c.off {
			want = 2
		}
		if grow != c.grow || r.off != c.off || r.writers != want {
			t.Errorf("%s: grow %v, off %v, writers %d; want %v, %v, %d", c.name, grow, r.off, r.writers, c.grow, c.off, want)
		}
	}
	r := ramp{writers: 1, off: true}
	if r.start(4) != 4 || !r.grow(context.Background(), nil, 4) {
		t.Error("a ramp that is off starts every writer at once")
	}
}

// The server answers the load question, 0 to 1, on both release lines; the ramp asks
// it at most every rampEvery, not before the first pass has run that long, and never
// grows past the workers.
func TestRampAsksTheServer(t *testing.T) {
	ctx := context.Background()
	db := neo4jtest.Open(t)
	e := &engine{db: db, apply: true}
	load, err := e.serverLoad(ctx)
	if err != nil || load < 0 || load > 1 {
		t.Fatalf("serverLoad: %v, %v; want a load from 0 to 1", load, err)
	}
	r := &e.ramp
	if n := r.start(2); n != 1 {
		t.Fatalf("the first pass starts %d writers, want 1", n)
	}
	if r.grow(ctx, e, 2) || !r.asked.IsZero() {
		t.Fatal("the ramp asked before the pass had run rampEvery")
	}
	r.began = time.Now().Add(-2 * rampEvery)
	if r.grow(ctx, e, 2) || r.asked.IsZero() || r.off {
		t.Fatalf("the first question: grow, asked %v, off %v; want no writer, asked, on", r.asked, r.off)
	}
	asked := r.asked
	if r.grow(ctx, e, 2) || r.asked != asked {
		t.Fatal("the ramp asked again within rampEvery")
	}
	r.writers = 2
	r.asked = time.Now().Add(-2 * rampEvery)
	asked = r.asked
	if r.grow(ctx, e, 2) || r.asked != asked {
		t.Fatal("the ramp asked with every writer running")
	}
	if n := r.start(2); n != 2 {
		t.Errorf("the next pass starts %d writers, want the 2 the last reached", n)
	}
}
