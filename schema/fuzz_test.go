package schema

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzParseValidate feeds arbitrary bytes through parsing and validation: no input may
// panic, and every finding must be located in the file, with a rule and a message.
// The corpus under testdata/fuzz/FuzzParseValidate is replayed by every go test run.
func FuzzParseValidate(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/validate/*/*.yaml")
	more, _ := filepath.Glob("../seeds/*.yaml")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("nodes: [" + strings.Repeat("[", 200) + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x := NewValidator(Default())
		fs, err := ParseFile("fuzz.yaml", data, func(r Record) error { x.Record(r); return nil })
		if err != nil {
			t.Fatalf("ParseFile returned an error for content problems: %v", err)
		}
		x.Add(fs...)
		// YAML breaks lines at \n, \r\n and a lone \r: count every break character as an upper bound.
		lines := 1 + strings.Count(string(data), "\n") + strings.Count(string(data), "\r")
		for _, f := range x.Finish() {
			if f.File != "fuzz.yaml" || f.Line < 1 || f.Col < 1 || f.Rule == "" || f.Message == "" {
				t.Fatalf("badly located finding: %+v", f)
			}
			if f.Line > lines+1 {
				t.Fatalf("finding past the end of the input (%d lines): %s", lines, f)
			}
			if !utf8.ValidString(f.Message) {
				t.Fatalf("finding message is not UTF-8: %q", f.Message)
			}
		}
	})
}

// TestHostileInputs: inputs built to exhaust a parser get a finding, not a hang or panic.
func TestHostileInputs(t *testing.T) {
	laughs := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]\n"
		prev = n
	}
	cases := map[string]struct {
		data string
		want string
	}{
		"billion laughs":      {laughs + "nodes: *i\n", "[yaml]"},
		"deep flow nesting":   {"nodes: " + strings.Repeat("[", 100_000) + "\n", "[yaml]"},
		"deep block nesting":  {"nodes:\n" + strings.Repeat("- ", 20_000) + "x\n", "[yaml]"},
		"a long line":         {"nodes:\n  - id: " + strings.Repeat("a", 1<<20) + "\n", "[id-format]"},
		"many duplicate keys": {"nodes:\n  - id: a\n" + strings.Repeat("    id: a\n", 1000), "[duplicate-key]"},
		"unterminated quote":  {"nodes:\n  - id: \"a\n", "[yaml]"},
		"byte order mark":     {"\ufeffnodes: 5\n", "[type]"},
		"control characters":  {"nodes:\n  - id: \x07\n", "[yaml]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			x := NewValidator(Default())
			fs, err := ParseFile("h.yaml", []byte(tc.data), func(r Record) error { x.Record(r); return nil })
			if err != nil {
				t.Fatal(err)
			}
			x.Add(fs...)
			got := findingsText(x.Finish())
			if !strings.Contains(got, tc.want) {
				t.Errorf("want a %s finding, got:\n%.500s", tc.want, got)
			}
		})
	}
}

// FuzzLargeInput builds a large file from a head and a unit repeated up to about
// largeInputSize bytes, and checks that validating it (with the CLI's default cap)
// takes bounded time and memory: under 5 s of CPU time, and a heap in use under 256 MiB
// whatever the input, as issue 11 asks of every hostile input. CPU time, not wall time:
// on a shared machine the wall clock measures the neighbours (and the fuzzing engine
// itself kills an input that runs 10 s of wall time: under a load of 24 on two cores a
// 1 MiB flow list of {} took that, for 0.75 s of CPU; hence inputs of 256 KiB).
//
//	go test ./schema -run '^$' -fuzz '^FuzzLargeInput$' -fuzztime 5m
func FuzzLargeInput(f *testing.F) {
	f.Add("nodes:\n", "- x\n")
	f.Add("nodes:\n", "  - {}\n")
	f.Add("", "a: 1\n")
	f.Add("nodes: [", "{}, ")
	f.Add("nodes:\n  - ", "k1: 1\n    ")
	f.Add("nodes:\n  - id: ", "a")
	f.Add("relationships:\n", "  - {id: r, from: zz, to: yy, type: ALLIED_WITH}\n")
	f.Add("sources:\n", "  - id: s\n    publisher: P\n    title: T\n    url: https://e.org\n    published: 2025\n    reliability: low\n")
	f.Add("", "#\n")
	f.Add("nodes:\n", "  - id: a\n    name: \"x\n")
	f.Fuzz(func(t *testing.T, head, unit string) {
		if len(unit) == 0 || len(head) > 1<<10 || len(unit) > 1<<10 {
			return
		}
		data := []byte(head + strings.Repeat(unit, largeInputSize/len(unit)))
		in := Input{Name: "large.yaml", Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(data)), nil
		}}
		start := cpuTime()
		var res Result
		var err error
		heap := peakHeapDuring(func() { res, err = ValidateWith(context.Background(), []Input{in}, Default(), Options{}) })
		if err != nil {
			t.Fatal(err)
		}
		if d := cpuTime() - start; d > 5*time.Second {
			t.Errorf("%d bytes took %s of CPU time", len(data), d)
		}
		if heap > 256<<20 {
			t.Errorf("%d bytes took a heap of %d MiB", len(data), heap>>20)
		}
		if len(res.Findings) > DefaultMaxFindings {
			t.Errorf("%d findings over the cap", len(res.Findings))
		}
	})
}

// largeInputSize is the size of FuzzLargeInput's inputs.
const largeInputSize = 256 << 10

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakHeapDuring runs fn and returns the most heap in use (live and not yet collected
// objects) seen while it ran, sampled every few milliseconds.
func peakHeapDuring(fn func()) int64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() int64 {
		metrics.Read(sample)
		return int64(sample[0].Value.Uint64())
	}
	runtime.GC()
	done := make(chan struct{})
	peak := make(chan int64)
	go func() {
		top := read()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				peak <- max(top, read())
				return
			case <-tick.C:
				top = max(top, read())
			}
		}
	}()
	fn()
	close(done)
	return <-peak
}
