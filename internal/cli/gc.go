package cli

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// heapFloor is the least the Go heap may grow by between two collections (see
// KeepHeapFloor). The ID tables are kept outside the Go heap (internal/idtable), so at
// 10M relationships what validation keeps live on the heap is about 12 MB, and with
// Go's default target (GOGC=100: the heap grows by what is live) a collection came every
// 12 MB allocated: about 5 times as many as with the tables on the heap, 10 to 20% more
// CPU for validate. The floor costs at most its size in RSS.
const heapFloor = 32 << 20

// KeepHeapFloor raises the GC target after each collection (up to 400) so that the
// heap may grow by about heapFloor before the next; once what is live is over the
// floor, the target is Go's default again. It does nothing when GOGC is set: the user's target
// stands (and a GOMEMLIMIT is kept by the runtime whatever the target). stop ends it
// and puts the target back.
func KeepHeapFloor() (stop func()) { return keepHeapFloor(heapFloor, os.Getenv) }

// gcSentinel is garbage at once: its cleanup runs after each collection. It holds a
// pointer so that it is not batched with other small objects, whose cleanups may not run.
type gcSentinel struct{ _ *int }

func keepHeapFloor(floor uint64, getenv func(string) string) (stop func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	var (
		stopped atomic.Bool
		mu      sync.Mutex // cleanups may run at the same time; stop waits for one running
		sample  = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	)
	initial := debug.SetGCPercent(100)
	debug.SetGCPercent(initial)
	var arm func()
	arm = func() {
		runtime.AddCleanup(&gcSentinel{}, func(struct{}) {
			mu.Lock()
			defer mu.Unlock()
			if stopped.Load() {
				return
			}
			metrics.Read(sample)
			// The target applies to what the next collection finds live, which may be
			// more: a small heap early in a run may grow several times over. Taking
			// what is live as at least a quarter of the floor keeps the target at most
			// 400, the next allowance at most four times what is then live.
			percent := 100
			if live := max(sample[0].Value.Uint64(), floor/4); live < floor {
				percent = int((100*floor + live - 1) / live)
			}
			debug.SetGCPercent(percent)
			arm()
		}, struct{}{})
	}
	arm()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped.Store(true)
		debug.SetGCPercent(initial)
	}
}
