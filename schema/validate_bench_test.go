package schema_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backchannel/backchannel/gen"
	"github.com/backchannel/backchannel/schema"
)

// BenchmarkValidate validates a dataset made by gen (issue 9's validate targets: at
// least 50 MB/s; peak RSS at most 3 times the largest file, and not multiplied by the
// number of files), laid out two ways with the same records: files of gen's default
// 10,000 records, and one file; and the files once more with the fast path off
// (yaml.v3 parses every piece, as before it: files/yaml.v3-only), for the ratio in one
// run. It reports MB/s of wall time and of CPU time (on a
// shared machine the second is the steadier), and the peak RSS of the process during
// the run, in MB and as a multiple of the largest file. It runs with Go's GC target
// (100, as the CLI does) unless GOGC is set: 200 validated 1M relationships 6% faster
// but with 440 MB of RSS instead of 290.
//
//	go test ./schema -run '^$' -bench '^BenchmarkValidate$' -benchtime 2x
//	BACKCHANNEL_BENCH_RELATIONSHIPS=500000 go test ./schema -run '^$' -bench '^BenchmarkValidate$' -benchtime 1x
func BenchmarkValidate(b *testing.B) {
	rels := 250_000
	if n, err := strconv.Atoi(os.Getenv("BACKCHANNEL_BENCH_RELATIONSHIPS")); err == nil && n > 0 {
		rels = n
	}
	for _, c := range []struct {
		name    string
		records int
		full    bool
	}{
		{"files", gen.DefaultFileRecords, false}, {"one-file", 1 << 30, false},
		{"files/yaml.v3-only", gen.DefaultFileRecords, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			defer schema.SetFullParser(c.full)()
			dir := b.TempDir()
			st, err := gen.Write(dir, gen.Options{Relationships: rels, Seed: 1, FileRecords: c.records})
			if err != nil {
				b.Fatal(err)
			}
			in := schema.PathInputs([]string{dir})
			largest := largestFile(b, dir)
			runtime.GC()
			resetPeakRSS()
			cpu := cpuTime()
			b.SetBytes(st.Bytes)
			b.ResetTimer()
			for b.Loop() {
				res, err := schema.ValidateWith(context.Background(), in, schema.Default(), schema.Options{})
				if err != nil || res.Errors > 0 {
					b.Fatalf("the generated data has %d errors (%v), e.g. %v", res.Errors, err, res.Findings)
				}
			}
			b.StopTimer()
			peak := peakRSS()
			cpuSeconds := (cpuTime() - cpu).Seconds() / float64(b.N)
			b.ReportMetric(float64(st.Bytes)/1e6/cpuSeconds, "MB/cpu-s")
			b.ReportMetric(float64(peak)/(1<<20), "peakRSS-MB")
			b.ReportMetric(float64(peak)/float64(largest), "peakRSS/largest")
			b.ReportMetric(float64(st.Files), "files")
			b.ReportMetric(float64(largest)/(1<<20), "largest-MB")
		})
	}
}

func largestFile(b *testing.B, dir string) int64 {
	var largest int64
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		info, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		largest = max(largest, info.Size())
	}
	return largest
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS returns the process's peak resident set size (VmHWM) in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS resets VmHWM to the current RSS (Linux: writing 5 to clear_refs).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// BenchmarkValidateReused validates a dataset made by gen with every file but the last
// taken from its kept summaries (Options.Reuse, as a load after a one-file edit does),
// against reading every file, and reports the kept summaries' size against the YAML's.
//
//	go test ./schema -run '^$' -bench '^BenchmarkValidateReused$' -benchtime 2x
func BenchmarkValidateReused(b *testing.B) {
	rels := 100_000
	if n, err := strconv.Atoi(os.Getenv("BACKCHANNEL_BENCH_RELATIONSHIPS")); err == nil && n > 0 {
		rels = n
	}
	dir := b.TempDir()
	st, err := gen.Write(dir, gen.Options{Relationships: rels, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	in := schema.PathInputs([]string{dir})
	kept := make([][]byte, len(in))
	if _, err := schema.ValidateWith(context.Background(), in, schema.Default(), schema.Options{Keep: func(i int, k []byte) { kept[i] = k }}); err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, k := range kept {
		size += len(k)
	}
	for _, c := range []struct {
		name  string
		reuse func(int) []byte
	}{
		{"read-all", nil},
		{"reuse-all-but-one", func(i int) []byte {
			if i == len(in)-1 {
				return nil
			}
			return kept[i]
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(st.Bytes)
			for b.Loop() {
				res, err := schema.ValidateWith(context.Background(), in, schema.Default(), schema.Options{Reuse: c.reuse})
				if err != nil || res.Errors > 0 {
					b.Fatalf("%d errors (%v)", res.Errors, err)
				}
			}
			b.ReportMetric(float64(size)/float64(st.Bytes), "kept/yaml")
		})
	}
}
