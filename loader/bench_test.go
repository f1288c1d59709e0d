package loader_test

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/backchannel/backchannel/gen"
	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/schema"
)

// peakHeap samples the live heap until stopped and returns the largest sample.
func peakHeap() (stop func() uint64) {
	var mu sync.Mutex
	var peak uint64
	done := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// BenchmarkLoad loads a generated dataset of 50k relationships (56k records, so one
// transaction per batch) into an empty database; then reloads it unchanged (all reads,
// no writes), and plans it. Run it with
//
//	go test -run '^$' -bench Load -benchtime 1x ./loader/
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	st, err := gen.Write(dir, gen.Options{Relationships: 50_000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	in := schema.PathInputs([]string{dir})
	records := float64(st.Records())
	db := neo4jtest.Open(b)
	o := loader.Options{Dataset: "bench"}
	// measure times run over b.N iterations (after prepare, untimed) and reports
	// records/s and the peak heap.
	measure := func(b *testing.B, prepare func(), run func() error) {
		var elapsed time.Duration
		var peak uint64
		for range b.N {
			b.StopTimer()
			prepare()
			runtime.GC()
			stop := peakHeap()
			b.StartTimer()
			start := time.Now()
			if err := run(); err != nil {
				b.Fatal(err)
			}
			elapsed += time.Since(start)
			peak = max(peak, stop())
		}
		b.ReportMetric(records*float64(b.N)/elapsed.Seconds(), "records/s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	}
	b.Run("first load", func(b *testing.B) {
		measure(b, func() {
			if err := neo4jtest.Reset(ctx, db); err != nil {
				b.Fatal(err)
			}
		}, func() error {
			res, err := loader.Load(ctx, db, in, schema.Default(), o)
			if err == nil && res.Created != int(records) {
				err = fmt.Errorf("created %d records, want %d", res.Created, int(records))
			}
			return err
		})
	})
	b.Run("reload unchanged", func(b *testing.B) {
		measure(b, func() {}, func() error {
			res, err := loader.Load(ctx, db, in, schema.Default(), o)
			if err == nil && res.Counters.Writes() != 0 {
				err = fmt.Errorf("reload wrote %+v", res.Counters)
			}
			return err
		})
	})
	b.Run("plan unchanged", func(b *testing.B) {
		measure(b, func() {}, func() error {
			p, err := loader.Plan(ctx, db, in, schema.Default(), o)
			if err == nil && p.HasChanges() {
				err = fmt.Errorf("plan has %d changes", len(p.Changes))
			}
			return err
		})
	})
}
