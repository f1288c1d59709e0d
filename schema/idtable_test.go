package schema

import (
	"context"
	"path/filepath"
	"testing"
)

// goldenCases are the inputs both tests below validate: each golden folder, all of them
// as one dataset (duplicates and references across folders), and the curated seeds.
func goldenCases(t *testing.T) map[string][]string {
	t.Helper()
	dirs, err := filepath.Glob("testdata/validate/*")
	if err != nil || len(dirs) < 10 {
		t.Fatalf("golden folders: %v, %v", dirs, err)
	}
	cases := map[string][]string{"all": dirs, "seeds": {"../seeds"}}
	for _, d := range dirs {
		cases[filepath.Base(d)] = []string{d}
	}
	return cases
}

// TestIDCollisionsChangeNothing validates every golden folder, all of them as one
// dataset (duplicates and references across folders), and the curated seeds, with an ID hash that sends every
// ID to the same slot of the validator's table and with one that sends them to two, and
// wants the findings of the default hash: same messages, same first-defined positions,
// same order. The table compares the IDs it finds byte for byte, so a collision costs a
// comparison and never a finding.
func TestIDCollisionsChangeNothing(t *testing.T) {
	cases := goldenCases(t)
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

// TestHashedPassIsExact: ValidateWith's first pass keeps the relationships' IDs as
// hashes. On every golden folder, all of them together and the curated seeds, its
// findings equal those of a pass that keeps every ID with its position; the first pass
// alone decides valid data (the seeds, the valid case), and hands the folders whose
// findings need a relationship's position to the second pass (the id-table case:
// references to relationships, duplicates of their IDs; duplicate-id: a relationship
// under a source's ID, which the first pass decides itself, and a node defined twice).
func TestHashedPassIsExact(t *testing.T) {
	cases := goldenCases(t)
	wantSuspect := map[string]bool{"seeds": false, "valid": false, "id-table": true, "all": true}
	for name, paths := range cases {
		t.Run(name, func(t *testing.T) {
			opt := Options{MaxFindings: -1}
			exact, _, err := validateWith(context.Background(), PathInputs(paths), Default(), opt, false)
			if err != nil {
				t.Fatal(err)
			}
			_, suspect, err := validateWith(context.Background(), PathInputs(paths), Default(), opt, true)
			if err != nil {
				t.Fatal(err)
			}
			if want, ok := wantSuspect[name]; ok && suspect != want {
				t.Errorf("first pass suspect = %v, want %v", suspect, want)
			}
			got, err := ValidateWith(context.Background(), PathInputs(paths), Default(), opt)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := findingsText(got.Findings), findingsText(exact.Findings); g != w || got.Errors != exact.Errors || got.Warnings != exact.Warnings {
				t.Errorf("ValidateWith (suspect %v):\n--- got\n%s--- want (every ID kept)\n%s", suspect, g, w)
			}
		})
	}
}

// TestSecondPassCallsNoRecord: when every relationship's ID shares one hash, a valid
// dataset's first pass is suspect and a second pass decides it (no findings); OnRecord
// saw each record once, in the first pass.
func TestSecondPassCallsNoRecord(t *testing.T) {
	count := func() (int, Result) {
		n := 0
		res, err := ValidateWith(context.Background(), PathInputs([]string{"../seeds"}), Default(), Options{OnRecord: func(int, Record) error { n++; return nil }})
		if err != nil {
			t.Fatal(err)
		}
		return n, res
	}
	want, _ := count()
	idHash = func(string) uint64 { return 3 }
	got, res := count()
	idHash = nil
	if got != want || want < 100 || res.Errors != 0 {
		t.Errorf("OnRecord called %d times with a colliding hash, %d without (want the same, over 100); %d errors", got, want, res.Errors)
	}
}
