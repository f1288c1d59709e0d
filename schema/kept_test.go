package schema

import (
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// copySeeds copies the curated seeds, their kept sources included, into a folder.
func copySeeds(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir("../seeds", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("../seeds", p)
		if !IsSeedFile(p) && !strings.HasPrefix(rel, "sources"+string(filepath.Separator)) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// keptRun validates the files of dir, keeping each file's summary by its content's hash
// in kept, and reusing those there already when reuse is set; it returns the result and
// the inputs reused.
func keptRun(t *testing.T, dir string, kept map[[32]byte][]byte, reuse bool, maxFindings int) (Result, map[int]bool) {
	t.Helper()
	in := PathInputs([]string{dir})
	sums := make([][32]byte, len(in))
	for i, f := range in {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		sums[i] = sha256.Sum256(b)
	}
	var mu sync.Mutex
	reused := map[int]bool{}
	opt := Options{MaxFindings: maxFindings, Keep: func(i int, b []byte) {
		mu.Lock()
		defer mu.Unlock()
		kept[sums[i]] = b
	}}
	if reuse {
		opt.Reuse = func(i int) []byte {
			mu.Lock()
			defer mu.Unlock()
			return kept[sums[i]]
		}
		opt.OnReused = func(i int, _ KeptRecord) error {
			mu.Lock()
			defer mu.Unlock()
			reused[i] = true
			return nil
		}
	}
	res, err := ValidateWith(context.Background(), in, Default(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res, reused
}

// Validating with the unchanged files' kept summaries gives exactly what reading every
// file gives, whatever the edit of the others reaches across to: references, citations,
// duplicate ids, the curation rules that read sources, the covers: span.
func TestReuseGivesTheFindingsOfReading(t *testing.T) {
	edits := []struct {
		name, file, old, new string
		all                  bool // replace every old, not the first
	}{
		{"an actor renamed: other files' references dangle", "actors.yaml", "  - id: hamas\n", "  - id: hamas-movement\n", false},
		{"the sources made weak: high confidence elsewhere rests on them", "sources.yaml", "    reliability: secondary\n", "    reliability: low\n", true},
		{"the sources dated earlier: since-after-sources elsewhere", "sources.yaml", "    published: \"2025-", "    published: \"2019-", true},
		{"the kept copy no longer named: quotes elsewhere unchecked", "sources.yaml", "    file: sources/2025-06-02-hamas-us-direct-ceasefire-talks.txt\n", "", false},
		{"the copy's quotes broken: the quotes of other files are not verbatim", "sources/2025-06-02-hamas-us-direct-ceasefire-talks.txt", "a", "4", true},
		{"an id of another file defined again", "events.yaml", "\n  - id: ", "\n  - id: usa\n    kind: State\n    name: Again\n    wikidata: Q30\n    evidence:\n      - source: src-article\n        note: again\n  - id: ", false},
		{"another span declared", "events.yaml", "dataset: seeds\n", "dataset: seeds\ncovers: 2025-01-16/2025-06-02\n", false},
	}
	for _, ed := range edits {
		t.Run(ed.name, func(t *testing.T) {
			dir := copySeeds(t)
			kept := map[[32]byte][]byte{}
			keptRun(t, dir, kept, false, -1)
			p := filepath.Join(dir, ed.file)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), ed.old) {
				t.Fatalf("%s has no %q", ed.file, ed.old)
			}
			n := 1
			if ed.all {
				n = -1
			}
			if err := os.WriteFile(p, []byte(strings.Replace(string(b), ed.old, ed.new, n)), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, max := range []int{-1, DefaultMaxFindings, 5} {
				full, _ := keptRun(t, dir, map[[32]byte][]byte{}, false, max)
				inc, reused := keptRun(t, dir, kept, true, max)
				if len(reused) == 0 {
					t.Fatalf("max %d: no file reused", max)
				}
				if !reflect.DeepEqual(inc, full) {
					t.Errorf("max %d:\nreused %d files: %+v\n  read every file: %+v", max, len(reused), inc, full)
				}
				if max == -1 && len(full.Findings) == 0 {
					t.Errorf("the edit gives no finding: the test would prove nothing")
				}
			}
		})
	}
}

// A kept summary that holds more findings than a run lets a file have is not used:
// reading the file would have stopped early, with a finding that says so.
func TestReuseRefusesWhatTheCapWouldStop(t *testing.T) {
	dir := copySeeds(t)
	// Warnings of its own (no wikidata) in one file: three nodes without it.
	p := filepath.Join(dir, "actors.yaml")
	b, _ := os.ReadFile(p)
	extra := "\n  - id: x-one\n    kind: Person\n    name: X One\n    evidence:\n      - source: src-article\n        note: x\n  - id: x-two\n    kind: Person\n    name: X Two\n    evidence:\n      - source: src-article\n        note: x\n  - id: x-three\n    kind: Person\n    name: X Three\n    evidence:\n      - source: src-article\n        note: x\n"
	if err := os.WriteFile(p, append(b, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	kept := map[[32]byte][]byte{}
	keptRun(t, dir, kept, false, -1)
	full, _ := keptRun(t, dir, map[[32]byte][]byte{}, false, 3)
	inc, reused := keptRun(t, dir, kept, true, 3)
	if full.Errors == 0 {
		t.Fatalf("a cap of 3 stops no file: %+v", full)
	}
	if !reflect.DeepEqual(inc, full) {
		t.Errorf("cap 3:\n  reused %+v\n    read %+v", inc, full)
	}
	for i, in := range PathInputs([]string{dir}) {
		if reused[i] && strings.HasSuffix(in.Name, "actors.yaml") {
			t.Error("actors.yaml was reused though the cap stops its reading")
		}
	}
}

// decodeKept never panics, and a kept summary decodes only whole: as its reads consume
// exactly its bytes, no shorter start of it decodes (a truncated blob is refused).
func FuzzDecodeKept(f *testing.F) {
	for _, in := range PathInputs([]string{"../seeds"}) {
		var kept []byte
		_, err := ValidateWith(context.Background(), []Input{in}, Default(), Options{Keep: func(_ int, b []byte) { kept = b }})
		if err != nil || kept == nil {
			f.Fatal(in.Name, err)
		}
		if _, _, _, err := decodeKept(kept, in.Name); err != nil {
			f.Fatalf("%s: its own kept summary: %v", in.Name, err)
		}
		f.Add(kept)
	}
	f.Add([]byte(keptMagic + "\x00\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, _, _, err := decodeKept(b, "f.yaml"); err != nil || len(b) == 0 {
			return
		}
		if _, _, _, err := decodeKept(b[:len(b)-1], "f.yaml"); err == nil {
			t.Errorf("%q decodes, and so does it without its last byte", b)
		}
	})
}
