package loader

import (
	"context"
	"errors"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// ramp decides how many writers the passes run: one at first, one more each time the
// server's machine had idle CPU over the last rampEvery, up to Options.Workers. A
// server just started spends a core or more compiling (its JIT: half the server's CPU
// in a 100k-relationship first load on two cores), and a second writer then only
// competes with the compiler and the first: measured on two cores, client and server
// together, 100k generated relationships loaded in 21.7 s with one writer and 24.6 s
// with two, and 1M in 107 s with one and 94 s with two, the machine 97 to 99% busy
// with one writer until the nodes were written and 62 to 74% after. So the load grows
// to a second writer when there is room for it, on a small machine once the compiler
// is done, on a big one at once.
//
// The load is the server's own report (java.lang:type=OperatingSystem's CpuLoad,
// through dbms.queryJmx, where the monitoring tool Halin reads its CPU figures: the
// machine's CPU use since it was last asked, 0 to 1), asked on a session of its own
// every rampEvery while writers can still be added; the first answer only starts the
// measure. A server that does not answer it (a procedure not allowed or not there, or
// no such attribute) runs every writer from the start, as a load that never asks. A
// load shorter than rampEvery asks nothing.
//
// Only the goroutine that runs the passes uses it (pipeline, and its producer), one
// pass after the other.
type ramp struct {
	writers int       // writers the passes may run now; 0 until the first pass
	off     bool      // the server does not tell its load: every writer
	asked   time.Time // when the load was last asked (zero: not yet)
	began   time.Time // when the first pass began
}

const (
	// rampEvery is the least time between two questions, and the window each load
	// answer covers.
	rampEvery = 2 * time.Second
	// rampIdle is the load under which one more writer is started.
	rampIdle = 0.85
	// cpuLoadQuery asks the server's JVM for the machine's CPU use since the last time.
	cpuLoadQuery = "CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes RETURN attributes.CpuLoad.value AS load"
)

// start returns the writers a pass starts with: those the ramp reached in an earlier
// pass, else one.
func (r *ramp) start(workers int) int {
	if r.writers == 0 {
		r.writers, r.began = 1, time.Now()
	}
	if r.off {
		return workers
	}
	return min(r.writers, workers)
}

// grow reports whether one more writer should start now, fewer than workers running:
// every rampEvery it asks the server's load (see ramp).
func (r *ramp) grow(ctx context.Context, e *engine, workers int) bool {
	if r.off {
		return true
	}
	now := time.Now()
	if r.writers >= workers || now.Sub(r.began) < rampEvery || (!r.asked.IsZero() && now.Sub(r.asked) < rampEvery) {
		return false
	}
	first := r.asked.IsZero()
	r.asked = now
	load, err := e.serverLoad(ctx)
	return r.answer(first, load, err, ctx.Err() != nil)
}

// answer takes the server's answer to the load question (the first one only starts the
// measure) and reports whether to start a writer: when the load is under rampIdle, or
// when the server will not tell (then every writer starts). A question cut off by the
// run's end, timed out (a server that busy has no room) or failed on a transient error
// starts none.
func (r *ramp) answer(first bool, load float64, err error, cancelled bool) bool {
	switch {
	case err != nil && !cancelled && !errors.Is(err, context.DeadlineExceeded) && !neo4j.IsRetryable(err):
		r.off = true
		return true
	case err != nil, first, load >= rampIdle:
		return false
	}
	r.writers++
	return true
}

var errNoLoad = errors.New("the server does not report its CPU load")

// serverLoad asks the server for its machine's CPU use since it was last asked, 0 to
// 1; errNoLoad when it has no such measure (no attribute, or a negative value: the
// JVM could not read it).
func (e *engine) serverLoad(ctx context.Context) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, rampEvery)
	defer cancel()
	s := e.db.Session(ctx, e.mode())
	defer s.Close(context.WithoutCancel(ctx))
	res, err := s.Run(ctx, cpuLoadQuery, nil)
	if err != nil {
		return 0, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, err
	}
	v, _ := rec.Get("load")
	if load, ok := v.(float64); ok && load >= 0 {
		return load, nil
	}
	return 0, errNoLoad
}
