package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected stdout, stderr and exit of internal/cli/testdata/cli cases")

// TestCLICases runs the command-level cases in internal/cli/testdata/cli, one folder
// each, in the style of sqlc's end-to-end tests (from the repository's root, TestMain):
//
//	internal/cli/testdata/cli/<case>/
//	    args     the arguments, one a line ($CASE is the case's folder)
//	    stdout   what the command prints on stdout, exactly (absent: nothing)
//	    stderr   the same for stderr
//	    exit     the exit code
//	    *.yaml   any input files the args name as $CASE/...
//
// No case talks to Neo4j: NEO4J_URI points at a closed port, so a case that tries to
// connect fails with exit 3 instead of writing anywhere. `go test -run TestCLICases
// -update` rewrites stdout, stderr and exit; read the diff before committing it.
func TestCLICases(t *testing.T) {
	t.Setenv("NEO4J_URI", "bolt://127.0.0.1:1") // nothing listens on port 1
	for _, env := range []string{"NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_PASSWORD_FILE", "NEO4J_DATABASE", "NEO4J_TLS_CA_FILE"} {
		t.Setenv(env, "")
		os.Unsetenv(env)
	}
	dirs, err := filepath.Glob(filepath.Join("internal", "cli", "testdata", "cli", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases in internal/cli/testdata/cli (%v)", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatal(err)
			}
			var args []string
			if text := strings.TrimSuffix(string(raw), "\n"); text != "" {
				args = strings.Split(strings.ReplaceAll(text, "$CASE", dir), "\n")
			}
			code, stdout, stderr := runCLI(t, args...)
			got := map[string]string{
				"stdout": strings.ReplaceAll(stdout, dir, "$CASE"),
				"stderr": strings.ReplaceAll(stderr, dir, "$CASE"),
				"exit":   strconv.Itoa(code) + "\n",
			}
			for _, name := range []string{"exit", "stdout", "stderr"} {
				path := filepath.Join(dir, name)
				if *update {
					if got[name] == "" {
						os.Remove(path)
					} else if err := os.WriteFile(path, []byte(got[name]), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				if got[name] != string(want) {
					t.Errorf("%s differs (backchannel %s)\n--- got\n%s--- want\n%s", name, strings.Join(args, " "), got[name], want)
				}
			}
		})
	}
}
