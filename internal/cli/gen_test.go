package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gen writes files that validate and says what it wrote; export writes the CSV files
// and import.args of those files; both refuse a missing folder as a usage error.
func TestGenThenExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "gen")
	code, out, errOut := runCLI(t, "gen", "--relationships", "300", "--file-records", "100", dir)
	if code != exitOK || !strings.HasPrefix(out, "Wrote 341 records (3 sources, 38 nodes, 300 relationships) in 4 files") {
		t.Fatalf("gen: exit %d, %q %q", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, "validate", dir); code != exitOK || !strings.Contains(out, "0 errors, 0 warnings in 4 files") {
		t.Errorf("validate the generated files: exit %d, %q %q", code, out, errOut)
	}
	exp := filepath.Join(t.TempDir(), "export")
	code, out, errOut = runCLI(t, "export", "--dataset", "generated", exp, dir)
	if code != exitOK || !strings.HasPrefix(out, `Exported 341 records of dataset "generated" to `) {
		t.Fatalf("export: exit %d, %q %q", code, out, errOut)
	}
	args, err := os.ReadFile(filepath.Join(exp, "import.args"))
	if err != nil || !strings.Contains(string(args), "--nodes=./nodes-State.csv\n") || !strings.Contains(string(args), "--relationships=PARTICIPATED_IN=./relationships-PARTICIPATED_IN.csv\n") {
		t.Errorf("import.args: %v\n%s", err, args)
	}
	for _, args := range [][]string{{"gen"}, {"export"}} {
		if code, _, _ := runCLI(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}
