package cli

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

func gcPercent() uint64 {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// waitPercent collects until ok(the GC target) (the floor is kept after a collection,
// by a cleanup that runs soon after it), or until wait has passed.
func waitPercent(t *testing.T, wait time.Duration, ok func(uint64) bool) uint64 {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		if p := gcPercent(); ok(p) || time.Now().After(deadline) {
			return p
		}
	}
}

// TestKeepHeapFloor: under a floor far over what is live, the GC target rises after a
// collection to its cap, 400; under a floor of 64 MiB and a live heap of about 24 MiB,
// to about 64/24; under a floor of one byte it stays
// Go's 100; stop puts it back; with GOGC set, nothing changes.
func TestKeepHeapFloor(t *testing.T) {
	before := gcPercent()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "GOGC" {
				return v
			}
			return ""
		}
	}

	stop := keepHeapFloor(4<<30, env(""))
	got := waitPercent(t, 5*time.Second, func(p uint64) bool { return p == 400 })
	stop()
	if got != 400 {
		t.Errorf("with a floor of 4 GiB, the GC target is %d; want 400, the most it sets", got)
	}
	if p := gcPercent(); p != before {
		t.Errorf("after stop, the GC target is %d; want %d as before", p, before)
	}
	runtime.GC() // a cleanup armed before stop does nothing
	time.Sleep(50 * time.Millisecond)
	if p := gcPercent(); p != before {
		t.Errorf("a collection after stop set the GC target to %d; want %d", p, before)
	}

	ballast := make([]*[1 << 20]byte, 24) // 24 MiB, live
	for i := range ballast {
		ballast[i] = new([1 << 20]byte)
	}
	stop = keepHeapFloor(64<<20, env(""))
	got = waitPercent(t, 5*time.Second, func(p uint64) bool { return p > 100 })
	stop()
	if got < 200 || got > 280 {
		t.Errorf("with a floor of 64 MiB and 24 MiB live, the GC target is %d; want 200 to 280", got)
	}
	runtime.KeepAlive(ballast)

	stop = keepHeapFloor(1, env(""))
	got = waitPercent(t, time.Second, func(p uint64) bool { return p != 100 })
	stop()
	if got != 100 {
		t.Errorf("with a floor of 1 byte, the GC target is %d; want 100", got)
	}

	stop = keepHeapFloor(4<<30, env("50"))
	got = waitPercent(t, time.Second, func(p uint64) bool { return p != before })
	stop()
	if got != before {
		t.Errorf("with GOGC set, the GC target changed to %d; want %d", got, before)
	}
}
