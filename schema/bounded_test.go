package schema

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestNotRegularFiles: a FIFO, named or found in a folder, is an io finding at once;
// opening it would block until a writer came. The other files are still checked.
func TestNotRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "x.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "y.yaml"), []byte("nodes: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	go func() {
		done <- findingsText(Validate(PathInputs([]string{fifo, dir}), Default()))
	}()
	select {
	case got := <-done:
		want := fifo + ":1:1: error: cannot read: is a named pipe (FIFO), not a regular file: only regular files are read [io]\n" +
			filepath.Join(dir, "y.yaml") + ":1:9: error: nodes[0]: want a mapping of fields, got the string \"x\" [type]\n"
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("validating a FIFO blocked")
	}
	// A FIFO put where a regular file was listed is refused by the open, not read.
	in := Input{Name: "swapped.yaml", Open: func() (io.ReadCloser, error) { return openRegular(fifo) }}
	if got := findingsText(Validate([]Input{in}, Default())); !strings.Contains(got, "not a regular file") {
		t.Errorf("got %s", got)
	}
}

// TestUnreadableSubfolder: a subfolder that can't be read is one io finding, under its
// own name, and the walk goes on with the rest. Root reads anything, so as root the
// check runs in a child process of this test binary with the uid of nobody.
func TestUnreadableSubfolder(t *testing.T) {
	if dir := os.Getenv("BACKCHANNEL_TEST_UNREADABLE_DIR"); dir != "" {
		fmt.Print(findingsText(Validate(PathInputs([]string{dir}), Default())))
		return
	}
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} { // for nobody, below
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	seeds := filepath.Join(dir, "seeds")
	for _, d := range []string{seeds, filepath.Join(seeds, "b-locked")} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{"a.yaml": "nodes: []\n", "b-locked/in.yaml": "nodes: []\n", "c.yaml": "nodes: [x]\n"}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(seeds, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(seeds, "b-locked"), 0); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(seeds, "b-locked") + ":1:1: error: cannot read: permission denied [io]\n" +
		filepath.Join(seeds, "c.yaml") + ":1:9: error: nodes[0]: want a mapping of fields, got the string \"x\" [type]\n"
	var got string
	if os.Geteuid() != 0 {
		got = findingsText(Validate(PathInputs([]string{seeds}), Default()))
	} else {
		self, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		bin := filepath.Join(dir, "schema.test")
		copyFile(t, self, bin)
		cmd := exec.Command(bin, "-test.run=^TestUnreadableSubfolder$")
		cmd.Env = append(os.Environ(), "BACKCHANNEL_TEST_UNREADABLE_DIR="+seeds)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("the child as nobody: %v\n%s", err, out)
		}
		got = strings.TrimSuffix(string(out), "PASS\n")
	}
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestFindingsCap: a file stops being read at the cap, with a finding that says so;
// the run keeps the first findings in order and counts all of them.
func TestFindingsCap(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("nodes:\n"+strings.Repeat("  - x\n", n)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", 100_000)
	write("b.yaml", 30)
	write("c.yaml", 30)
	res, err := ValidateWith(context.Background(), PathInputs([]string{dir}), Default(), Options{MaxFindings: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 50 || res.Errors != 50+60 || res.Omitted != 60 || res.Warnings != 0 {
		t.Fatalf("got %d findings, %d errors, %d omitted, %d warnings; want 50, 110, 60, 0", len(res.Findings), res.Errors, res.Omitted, res.Warnings)
	}
	last := res.Findings[49]
	if last.Rule != RuleTooMany || last.Line != 51 || !strings.Contains(last.Message, "after 49 problems") {
		t.Errorf("the 50th finding: %s", last)
	}
	for i, f := range res.Findings[:49] {
		if f.Line != i+2 || f.Rule != RuleType {
			t.Fatalf("finding %d: %s", i, f)
		}
	}
	// Top-level keys count too: 100 duplicate keys stop at the 50th.
	keys := filepath.Join(t.TempDir(), "keys.yaml")
	if err := os.WriteFile(keys, []byte(strings.Repeat("a: 1\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = ValidateWith(context.Background(), PathInputs([]string{keys}), Default(), Options{MaxFindings: 50})
	if err != nil || len(res.Findings) != 50 || res.Findings[49].String() != keys+":50:1: error: stopped reading this file here, after 49 problems: fix those and run again [too-many]" {
		t.Errorf("keys: %v, %d findings, last %v", err, len(res.Findings), res.Findings[len(res.Findings)-1])
	}
	all, err := ValidateWith(context.Background(), PathInputs([]string{dir}), Default(), Options{MaxFindings: -1})
	if err != nil || len(all.Findings) != 100_060 || all.Omitted != 0 {
		t.Errorf("no cap: %d findings, %d omitted, %v", len(all.Findings), all.Omitted, err)
	}
}

// TestLongValuesAreCut: a value quoted in a message is cut, with its length.
func TestLongValuesAreCut(t *testing.T) {
	long := strings.Repeat("A", 1<<20)
	data := "nodes:\n  - id: " + long + "\n    " + long + ": 1\n    kind: " + long + "\n"
	fs, _ := ParseFile("l.yaml", []byte(data), func(r Record) error {
		x := NewValidator(Default())
		x.Record(r)
		for _, f := range x.Finish() {
			if len(f.Message) > 400 {
				t.Errorf("a %d-byte message: %.200s", len(f.Message), f.Message)
			}
		}
		return nil
	})
	for _, f := range fs {
		if len(f.Message) > 400 {
			t.Errorf("a %d-byte message: %.200s", len(f.Message), f.Message)
		}
	}
	if got := quoted(strings.Repeat("é", 100)); got != strings.Repeat("é", 80)+"… (200 bytes)" {
		t.Errorf("quoted: %s", got)
	}
}

// TestValidateStopsWhenCancelled: a cancelled context stops the run between records
// and is returned; OnRecord sees every record of a file in order, and its error stops
// the run too.
func TestValidateStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	writeSyntheticSeeds(t, dir, 4, 1)
	in := PathInputs([]string{dir})
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	seen := 0
	_, err := ValidateWith(ctx, in, Default(), Options{OnRecord: func(int, Record) error {
		mu.Lock()
		defer mu.Unlock()
		if seen++; seen == 100 {
			cancel()
		}
		return nil
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if seen > 100+2*summaryBuffer {
		t.Errorf("%d records read after the cancel", seen-100)
	}
	stop := errors.New("enough")
	lines := map[int]int{}
	_, err = ValidateWith(context.Background(), in, Default(), Options{OnRecord: func(i int, r Record) error {
		mu.Lock()
		defer mu.Unlock()
		if line := r.Pos.At("").Line; line <= lines[i] {
			return fmt.Errorf("input %d: record at line %d after line %d", i, line, lines[i])
		}
		lines[i] = r.Pos.At("").Line
		if len(lines) == len(in) {
			return stop
		}
		return nil
	}})
	if !errors.Is(err, stop) {
		t.Fatalf("want OnRecord's error, got %v", err)
	}
}

// TestLargeFileMemory: a large valid file is parsed a piece at a time: the heap in use
// stays within a small multiple of its size (its IDs are kept). (BenchmarkValidate reports the peak RSS of whole runs.)
func TestLargeFileMemory(t *testing.T) {
	dir := t.TempDir()
	size := writeSyntheticSeeds(t, dir, 24, 24)
	heap := peakHeapDuring(func() {
		if fs := Validate(PathInputs([]string{dir}), Default()); len(fs) != 0 {
			t.Fatalf("findings: %s", fs[0])
		}
	})
	if heap > 2*size { // the whole file's node tree was 30 times its size

		t.Errorf("heap in use reached %d MiB for a %d MiB file", heap>>20, size>>20)
	}
	t.Logf("peak heap in use %d MiB for a %d MiB file", heap>>20, size>>20)
}

// TestBigPiecesDoNotDeadlock: files waiting for their turn hold big pieces while their
// checked records wait in a full buffer; the file whose turn it is must still get on.
func TestBigPiecesDoNotDeadlock(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	dir := t.TempDir()
	big := "  - id: big\n    description: \"" + strings.Repeat("x", MaxChunk-1000) + "\"\n"
	small := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "  - id: n%d\n", i)
		}
		return b.String()
	}
	files := map[string]string{
		"a.yaml": "nodes:\n" + small(5000) + big,
		"b.yaml": "nodes:\n" + small(summaryBuffer+10) + big + small(10),
		"c.yaml": "nodes:\n" + small(summaryBuffer+10) + big + small(10),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan Result)
	go func() {
		res, _ := ValidateWith(context.Background(), PathInputs([]string{dir}), Default(), Options{MaxFindings: -1})
		done <- res
	}()
	select {
	case res := <-done:
		if res.Errors == 0 {
			t.Error("no findings: the test checks nothing")
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("validation deadlocked")
	}
}

// TestLargeFileWithBOM: a byte order mark does not stop a large file from being split.
func TestLargeFileWithBOM(t *testing.T) {
	dir := t.TempDir()
	writeSyntheticSeeds(t, dir, 3, 3)
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(files[0], append([]byte("\ufeff"), b...), 0o644); err != nil {
		t.Fatal(err)
	}
	if len(b) <= MaxChunk {
		t.Fatalf("the file is %d bytes, not over MaxChunk", len(b))
	}
	records := 0
	res, err := ValidateWith(context.Background(), PathInputs(files[:1]), Default(), Options{OnRecord: func(int, Record) error { records++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Rule == RuleFileSize || f.Rule == RuleYAML {
			t.Errorf("%s", f)
		}
	}
	if records < 5000 {
		t.Errorf("only %d records read", records)
	}
}
