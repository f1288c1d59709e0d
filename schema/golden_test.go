package schema

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing")

// golden compares got with the golden file; with -update it rewrites the file. On a
// mismatch it writes got beside the golden as NAME.FAIL for diffing.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it, then read it)", err)
	}
	if got != string(want) {
		_ = os.WriteFile(path+".FAIL", []byte(got), 0o644)
		t.Errorf("output differs from %s (got written to %s.FAIL):\n--- got\n%s--- want\n%s", path, path, got, want)
		return
	}
	_ = os.Remove(path + ".FAIL")
}
