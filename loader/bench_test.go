package loader_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/schema"
)

// generate writes a dataset of nodes actors, events and places, and rels relationships,
// into dir, in files of at most 10000 records.
func generate(tb testing.TB, dir string, nodes, rels int) {
	tb.Helper()
	var f *os.File
	var w *bufio.Writer
	file := 0
	open := func(section string) {
		if f != nil {
			if err := w.Flush(); err != nil {
				tb.Fatal(err)
			}
			f.Close()
		}
		var err error
		f, err = os.Create(filepath.Join(dir, fmt.Sprintf("%03d.yaml", file)))
		if err != nil {
			tb.Fatal(err)
		}
		file++
		w = bufio.NewWriter(f)
		fmt.Fprintf(w, "%s:\n", section)
	}
	open("sources")
	for i := range 10 {
		fmt.Fprintf(w, "  - {id: src-%d, publisher: Publisher %d, title: Title %d, url: \"https://example.org/%d\", published: 2025-05-%02d, reliability: reputable}\n", i, i, i, i, i+1)
	}
	kinds := []string{"State", "Person", "GovernmentBody", "NonStateArmedGroup", "IntergovernmentalOrganization"}
	actors := nodes * 8 / 10
	events := (nodes - actors) / 2
	places := nodes - actors - events
	for i := range nodes {
		if i%10000 == 0 {
			open("nodes")
		}
		switch {
		case i < actors:
			fmt.Fprintf(w, "  - {id: a-%d, kind: %s, name: \"Actor %d\", aliases: [\"A%d\", \"Alias %d\"], wikidata: Q%d, description: \"Generated actor number %d.\", evidence: [{source: src-%d, quote: \"actor %d\"}]}\n",
				i, kinds[i%len(kinds)], i, i, i, i+1, i, i%10, i)
		case i < actors+events:
			fmt.Fprintf(w, "  - {id: e-%d, kind: Event, name: \"Event %d\", date: 2025-%02d-%02d, eventCode: \"046\", evidence: [{source: src-%d, quote: \"event %d\"}]}\n",
				i, i, i%12+1, i%28+1, i%10, i)
		default:
			fmt.Fprintf(w, "  - {id: p-%d, kind: Place, name: \"Place %d\", wikidata: none, evidence: [{source: src-%d, note: generated}]}\n", i, i, i%10)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	actorTypes := []string{"NEGOTIATES_WITH", "MEDIATES_FOR", "CONSULTS", "HOSTS", "APPEALS_TO", "CRITICIZES", "DEMANDS_OF", "THREATENS"}
	confidence := []string{"high", "medium", "low"}
	for i := range rels {
		if i%10000 == 0 {
			open("relationships")
		}
		switch i % 10 {
		case 8: // actor -> event
			fmt.Fprintf(w, "  - {id: r-%d, type: PARTICIPATED_IN, from: a-%d, to: e-%d, role: party, confidence: %s, evidence: [{source: src-%d, quote: \"took part %d\"}]}\n",
				i, r.IntN(actors), actors+r.IntN(events), confidence[i%3], i%10, i)
		case 9: // event -> place
			fmt.Fprintf(w, "  - {id: r-%d, type: OCCURRED_IN, from: e-%d, to: p-%d, confidence: %s, evidence: [{source: src-%d, quote: \"held in %d\"}]}\n",
				i, actors+r.IntN(events), actors+events+r.IntN(places), confidence[i%3], i%10, i)
		default:
			from := r.IntN(actors)
			to := (from + 1 + r.IntN(actors-1)) % actors
			fmt.Fprintf(w, "  - {id: r-%d, type: %s, from: a-%d, to: a-%d, since: 2025-%02d, confidence: %s, evidence: [{source: src-%d, quote: \"relation %d\"}]}\n",
				i, actorTypes[i%len(actorTypes)], from, to, i%12+1, confidence[i%3], i%10, i)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

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

// BenchmarkLoad loads a generated dataset of 10k nodes and 50k relationships (60k
// records, so one transaction per batch) into an empty database; then reloads it
// unchanged (all reads, no writes), and plans it. Run it with
//
//	go test -run '^$' -bench Load -benchtime 1x ./loader/
func BenchmarkLoad(b *testing.B) {
	const nodes, rels = 10_000, 50_000
	dir := b.TempDir()
	generate(b, dir, nodes, rels)
	in := schema.PathInputs([]string{dir})
	records := float64(nodes + rels + 10)
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
