package schema

import (
	"path/filepath"
	"testing"
)

// TestIDCollisionsChangeNothing validates every golden folder, all of them as one
// dataset (duplicates and references across folders), and the curated seeds, with an ID hash that sends every
// ID to the same slot of the validator's table and with one that sends them to two, and
// wants the findings of the default hash: same messages, same first-defined positions,
// same order. The table compares the IDs it finds byte for byte, so a collision costs a
// comparison and never a finding.
func TestIDCollisionsChangeNothing(t *testing.T) {
	dirs, err := filepath.Glob("testdata/validate/*")
	if err != nil || len(dirs) < 10 {
		t.Fatalf("golden folders: %v, %v", dirs, err)
	}
	cases := map[string][]string{"all": dirs, "seeds": {"../seeds"}}
	for _, d := range dirs {
		cases[filepath.Base(d)] = []string{d}
	}
	hashes := map[string]func(string) uint64{
		"one slot":  func(string) uint64 { return 7 },
		"two slots": func(s string) uint64 { return uint64(len(s) % 2) },
	}
	for name, paths := range cases {
		t.Run(name, func(t *testing.T) {
			want := findingsText(Validate(PathInputs(paths), Default()))
			if name == "id-table" && want == "" {
				t.Fatal("the id-table case found nothing")
			}
			for hname, h := range hashes {
				idHash = h
				got := findingsText(Validate(PathInputs(paths), Default()))
				idHash = nil
				if got != want {
					t.Errorf("with the hash %q:\n--- got\n%s--- want\n%s", hname, got, want)
				}
			}
		})
	}
}
