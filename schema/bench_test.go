package schema

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// writeSyntheticSeeds writes files of about fileMB each, up to totalMB, of valid records:
// each file a source, actors, events and relationships citing it. It returns the bytes
// written.
func writeSyntheticSeeds(tb testing.TB, dir string, totalMB, fileMB int) int64 {
	tb.Helper()
	var total int64
	kinds := []string{"State", "NonStateArmedGroup", "GovernmentBody", "IntergovernmentalOrganization"}
	types := []string{"NEGOTIATES_WITH", "MEDIATES_FOR", "SUPPORTS_MILITARILY", "THREATENS", "CONSULTS"}
	for f := 0; total < int64(totalMB)<<20; f++ {
		path := filepath.Join(dir, fmt.Sprintf("part-%04d.yaml", f))
		fh, err := os.Create(path)
		if err != nil {
			tb.Fatal(err)
		}
		w := bufio.NewWriter(fh)
		fmt.Fprintf(w, "sources:\n  - id: src-%d\n    publisher: Synthetic Wire\n    title: \"Report %d\"\n    url: https://example.org/report/%d\n    published: 2025-05-%02d\n    reliability: reputable\nnodes:\n", f, f, f, 1+f%28)
		var written int
		n := 0
		for ; written < fileMB<<20/2; n++ {
			k := kinds[n%len(kinds)]
			s := fmt.Sprintf("  - id: a-%d-%d\n    kind: %s\n    name: \"Actor %d of file %d\"\n    aliases: [\"A%d\", \"Alias %d\"]\n    wikidata: Q%d\n    description: \"A synthetic actor with a description long enough to look like a curated one, quoting nothing.\"\n    evidence:\n      - source: src-%d\n        quote: \"Actor %d said something quotable about the talks in Doha.\"\n",
				f, n, k, n, f, n, n, 1000+n, f, n)
			written += len(s)
			w.WriteString(s)
		}
		w.WriteString("relationships:\n")
		for r := 0; written < fileMB<<20; r++ {
			s := fmt.Sprintf("  - id: r-%d-%d\n    type: %s\n    from: a-%d-%d\n    to: a-%d-%d\n    since: 2025-0%d\n    until: 2025-06-30\n    confidence: medium\n    evidence:\n      - source: src-%d\n        quote: \"A verbatim sentence of the synthetic report, number %d, about these two actors.\"\n",
				f, r, types[r%len(types)], f, r%n, f, (r*7+1)%n, 1+r%5, f, r)
			written += len(s)
			w.WriteString(s)
		}
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		fh.Close()
		total += int64(written)
	}
	return total
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

// BenchmarkValidate50MB validates a generated 50 MB seed set (50 files of 1 MB) and
// reports throughput (MB/s, from SetBytes) and the peak RSS of the process during
// validation, absolute and as a multiple of the input size. Targets: at least 20 MB/s;
// peak RSS under 10x the input. It runs with the CLI's GC target (200) unless
// GOGC is set, so GOGC=100 shows the difference.
//
//	go test -run '^$' -bench Validate50MB -benchtime 3x ./schema
func BenchmarkValidate50MB(b *testing.B) {
	dir := b.TempDir()
	size := writeSyntheticSeeds(b, dir, benchMB, 1)
	in := PathInputs([]string{dir})
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(200)) // as the CLI runs (main.go's gcPercent)
	}
	runtime.GC()
	resetPeakRSS()
	before := peakRSS()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if fs := Validate(in, Default()); len(fs) != 0 {
			b.Fatalf("the synthetic seeds have findings, e.g. %s", fs[0])
		}
	}
	b.StopTimer()
	peak := peakRSS()
	b.ReportMetric(float64(peak)/(1<<20), "peakRSS-MB")
	b.ReportMetric(float64(peak)/float64(size), "peakRSS/input")
	b.ReportMetric(float64(before)/(1<<20), "baseRSS-MB")
}

// benchMB is the size of the generated seed set; -benchmb changes it for profiling.
var benchMB = 50 // see BenchmarkValidate50MB
