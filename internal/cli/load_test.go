package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// copyDataset copies loader/testdata/basic into a folder named name, its files declaring
// dataset name, applying edits (old -> new in graph.yaml), and returns the folder.
func copyDataset(t *testing.T, name string, edits ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"sources.yaml", "graph.yaml"} {
		b, err := os.ReadFile(filepath.Join("loader", "testdata", "basic", f))
		if err != nil {
			t.Fatal(err)
		}
		text := "dataset: " + name + "\n" + string(b)
		for i := 0; f == "graph.yaml" && i+1 < len(edits); i += 2 {
			if !strings.Contains(text, edits[i]) {
				t.Fatalf("graph.yaml lacks %q", edits[i])
			}
			text = strings.Replace(text, edits[i], edits[i+1], 1)
		}
		if err := os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// hasRow reports whether a line of out has the words of row, however spaced.
func hasRow(out, row string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.Join(strings.Fields(l), " ") == row {
			return true
		}
	}
	return false
}

func TestLoadCommand(t *testing.T) {
	neo4jtest.Open(t) // the lock and an empty database
	conn := connFlags(t)
	s := neo4jtest.Settings(t)
	database := "(the server's default)"
	if s.Database != "" {
		database = s.Database
	}
	// cli runs backchannel against the test server; a load's first line on stderr, the
	// target it writes to (review F36), is checked and left out of the stderr returned.
	bc := func(args ...string) (int, string, string) {
		t.Helper()
		code, out, errOut := runCLI(t, append(conn, args...)...)
		if args[0] == "load" && !slices.Contains(args, "--dry-run") && code != exitUsage {
			target, rest, _ := strings.Cut(errOut, "\n")
			if !strings.HasPrefix(target, "loading dataset ") || !strings.HasSuffix(target, " into "+s.URI+", database "+database) {
				t.Errorf("%v: stderr does not start with the target: %q", args, errOut)
			}
			errOut = rest
		}
		return code, out, errOut
	}
	dir := copyDataset(t, "mydata")

	// The test database keeps the vocabulary's constraints between tests (neo4jtest.Reset),
	// so the plan may or may not list schema to create: only the records are checked.
	t.Run("plan of an empty graph lists every record", func(t *testing.T) {
		code, out, errOut := bc("plan", "--detailed-exitcode", dir)
		if code != exitChanges || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		for _, want := range []string{"+ node usa (State)\n", "+ relationship usa-negotiates-with-hamas (NEGOTIATES_WITH usa -> hamas)\n", "\nPlan: 20 to create, 0 to update, 0 to delete"} {
			if !strings.Contains(out, want) {
				t.Errorf("plan lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("first load: summary per label and type, dataset named by the files", func(t *testing.T) {
		code, out, errOut := bc("load", dir)
		if code != exitOK || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		for _, row := range []string{"node State 2 0 0", "node Source 2 0 0", "relationship NEGOTIATES_WITH 2 0 0", "relationship CONCERNS 2 0 0", "total 20 0 0"} {
			if !hasRow(out, row) {
				t.Errorf("output lacks the row %q:\n%s", row, out)
			}
		}
		for _, want := range []string{
			`Loaded dataset "mydata" into database "neo4j": 20 records from 2 files in 1 transaction, `,
			"Neo4j counters: 10 nodes created, 10 relationships created, ",
			`Run recorded as (:BackchannelRun {dataset: "mydata", contentHash:`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("reload writes nothing and exits 0", func(t *testing.T) {
		code, out, _ := bc("load", dir)
		if code != exitOK || !strings.HasPrefix(out, `Dataset "mydata" is up to date in database "neo4j": 20 records from 2 files, nothing to write`) || !strings.Contains(out, "Neo4j counters: 0 writes.\n") {
			t.Errorf("exit %d:\n%s", code, out)
		}
		for _, args := range [][]string{{"plan"}, {"plan", "--detailed-exitcode"}, {"load", "--dry-run", "--detailed-exitcode"}} {
			code, out, _ := bc(append(args, dir)...)
			if code != exitOK || out != "No changes: the graph matches the seed files (dataset \"mydata\", 20 records).\n" {
				t.Errorf("%v: exit %d, %q", args, code, out)
			}
		}
	})

	changed := copyDataset(t, "mydata", "    since: 2025-05-16\n    confidence: medium", "    since: 2025-05-16\n    confidence: high")
	t.Run("plan shows the one change; exit 0, or 2 with --detailed-exitcode", func(t *testing.T) {
		want := "~ relationship usa-negotiates-with-hamas-2 (NEGOTIATES_WITH usa -> hamas)\n    confidence: \"medium\" -> \"high\"\n    weight: 0.49 -> 0.7\n\nPlan: 0 to create, 1 to update, 0 to delete.\n" +
			"Files: 1 read, 1 taken from the last run (unchanged, and nothing committed since).\n"
		for _, tc := range []struct {
			args []string
			code int
		}{
			{[]string{"plan"}, exitOK},
			{[]string{"plan", "--detailed-exitcode"}, exitChanges},
			{[]string{"load", "--dry-run"}, exitOK},
			{[]string{"load", "--dry-run", "--detailed-exitcode"}, exitChanges},
		} {
			code, out, errOut := bc(append(tc.args, changed)...)
			if code != tc.code || out != want || errOut != "" {
				t.Errorf("%v: exit %d (want %d), stdout:\n%s\nstderr: %s", tc.args, code, tc.code, out, errOut)
			}
		}
		code, out, _ := bc("plan", "--format", "json", changed)
		var p loader.PlanResult
		if err := json.Unmarshal([]byte(out), &p); err != nil || code != exitOK {
			t.Fatalf("exit %d, %v:\n%s", code, err, out)
		}
		if p.Update != 1 || len(p.Changes) != 1 || p.Changes[0].Fields[0] != (loader.FieldChange{Key: "confidence", Old: "medium", New: "high"}) {
			t.Errorf("json plan %+v", p)
		}
	})

	t.Run("load applies it, as json", func(t *testing.T) {
		code, out, _ := bc("load", "--format", "json", changed)
		var res loader.Result
		if err := json.Unmarshal([]byte(out), &res); err != nil || code != exitOK {
			t.Fatalf("exit %d, %v:\n%s", code, err, out)
		}
		if res.Updated != 1 || res.Created != 0 || res.Counters.PropertiesSet == 0 || res.Counters.NodesCreated != 0 || res.Dataset != "mydata" {
			t.Errorf("result %+v", res)
		}
	})

	t.Run("progress: none on a non-terminal, one line per batch with --progress", func(t *testing.T) {
		code, _, errOut := bc("load", dir)
		if code != exitOK || errOut != "" {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		code, _, errOut = bc("load", "--progress", "--batch-size", "1", "--no-cache", changed) // a change, every file read: every batch is compared
		if code != exitOK || !strings.Contains(errOut, "nodes State batch 2/2 (records 2-2): ") || !strings.Contains(errOut, "20/20 records\n") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		if code, _, errOut := bc("load", dir); code != exitOK { // back to the original for the next subtests
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
	})

	t.Run("prune with the routing scheme and a named database", func(t *testing.T) {
		smaller := copyDataset(t, "mydata", `  - id: talks-concern-hamas
    type: CONCERNS
    from: talks
    to: hamas
    confidence: medium
    evidence:
      - source: src-talks
        quote: "direct dialogue"
`, "")
		s := neo4jtest.Settings(t)
		routing := []string{"--uri", strings.Replace(s.URI, "bolt://", "neo4j://", 1), "--username", s.Username, "--password", s.Password, "--database", "neo4j"}
		code, out, errOut := runCLI(t, append(routing, "load", "--prune", smaller)...)
		if code != exitOK || !hasRow(out, "relationship CONCERNS 0 0 1") || !hasRow(out, "total 0 0 1") {
			t.Errorf("exit %d, stderr %q:\n%s", code, errOut, out)
		}
	})

	t.Run("invalid data: the findings, one error line, exit 1", func(t *testing.T) {
		bad := copyDataset(t, "mydata", "    from: envoy\n", "    from: nobody\n")
		code, out, errOut := bc("load", bad)
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		if code != exitFailure || out != "" || len(lines) != 2 ||
			!strings.Contains(lines[0], `graph.yaml:96:11: error: from "nobody" names no node`) ||
			lines[1] != "backchannel: 1 error in the seed files: nothing was written (backchannel validate lists them)" {
			t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
		}
		for _, args := range [][]string{{"plan", "--detailed-exitcode", bad}, {"plan", "--detailed-exitcode", "no-such-folder"}, {"plan", "--detailed-exitcode", "--no-such-flag", dir}} {
			if code, _, errOut := bc(args...); code != exitFailure {
				t.Errorf("%v: exit %d, want 1: %s", args, code, errOut)
			}
		}
		if code, _, _ := bc("plan", "no-such-folder"); code != exitUsage {
			t.Errorf("plan of a missing folder: exit %d, want %d", code, exitUsage)
		}
	})

	t.Run("--dataset that differs from the files' dataset line: a usage error", func(t *testing.T) {
		code, out, errOut := bc("load", "--dataset", "other", dir)
		want := `backchannel: invalid dataset name: --dataset "other", but ` + filepath.Join(dir, "graph.yaml") + `:1 says dataset: "mydata"; drop --dataset, or change the file` + "\n"
		if code != exitUsage || out != "" || errOut != want {
			t.Errorf("exit %d, stdout %q, stderr %q, want %q", code, out, errOut, want)
		}
	})

	t.Run("a prune over fewer files than the last load is refused unless told", func(t *testing.T) {
		one := filepath.Join(t.TempDir(), "one.yaml")
		var all strings.Builder
		all.WriteString("dataset: mydata\n")
		for _, f := range []string{"sources.yaml", "graph.yaml"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			all.WriteString(strings.TrimPrefix(string(b), "dataset: mydata\n"))
		}
		if err := os.WriteFile(one, []byte(all.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := bc("load", "--prune", one)
		if code != exitUsage || out != "" || !strings.Contains(errOut, `the last load of dataset "mydata" read 2 files and this one reads 1`) {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		// plan --prune (and load --dry-run --prune) refuse it with the same line and exit.
		refusal := errOut[strings.LastIndex(strings.TrimSuffix(errOut, "\n"), "\n")+1:]
		for _, args := range [][]string{{"plan", "--prune", one}, {"load", "--dry-run", "--prune", one}} {
			code, out, errOut := bc(args...)
			if code != exitUsage || out != "" || errOut != refusal {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", args, code, out, errOut, exitUsage, refusal)
			}
		}
		if code, out, errOut := bc("plan", "--prune", "--prune-fewer-files", one); code != exitOK || errOut != "" || out == "" {
			t.Errorf("plan with --prune-fewer-files: exit %d, stderr %q:\n%s", code, errOut, out)
		}
		code, out, errOut = bc("load", "--prune", "--prune-fewer-files", one)
		if code != exitOK || !strings.Contains(out, "20 records from 1 file") {
			t.Errorf("with --prune-fewer-files: exit %d, stderr %q:\n%s", code, errOut, out)
		}
	})

	t.Run("data of another dataset: one line naming it, exit 1", func(t *testing.T) {
		code, out, errOut := bc("load", copyDataset(t, "other"))
		want := `backchannel: load "other": sources batch 1/1 (records 1-2): node "src-talks" (Source) already exists in the graph and is not part of dataset "other" (it belongs to dataset "mydata"): `
		if code != exitFailure || out != "" || !strings.HasPrefix(errOut, want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})

	t.Run("usage errors", func(t *testing.T) {
		for _, args := range [][]string{{"load", "--batch-size", "0", dir}, {"load", "--detailed-exitcode", dir}, {"load", "--dataset", "a\x01b", dir}, {"load", "loader/testdata/basic"}} {
			if code, _, errOut := bc(args...); code != exitUsage || strings.Count(errOut, "\n") != 1 {
				t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
			}
		}
	})
}

func TestLoadEmbeddedSeeds(t *testing.T) {
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	if errs, _ := schema.Summary(schema.Validate(in, schema.Default())); errs > 0 || len(in) == 0 {
		t.Skipf("the embedded seeds do not validate yet (%d errors in %d files)", errs, len(in))
	}
	neo4jtest.Open(t)
	code, out, errOut := runCLI(t, append(connFlags(t), "load")...)
	if code != exitOK || !strings.HasPrefix(out, `Loaded dataset "seeds" into database "neo4j": `) || !strings.Contains(out, " in 1 transaction, ") {
		t.Fatalf("exit %d, stderr %q:\n%s", code, errOut, out)
	}
	code, out, _ = runCLI(t, append(connFlags(t), "load")...)
	if code != exitOK || !strings.Contains(out, "Neo4j counters: 0 writes.") {
		t.Errorf("reload: exit %d:\n%s", code, out)
	}
}

// TestLoadIntoAReadOnlyDatabase starts a server whose database is read-only: load says
// so in one line and exits 7; plan, which only reads, still works.
func TestLoadIntoAReadOnlyDatabase(t *testing.T) {
	t.Parallel() // it waits for a server of its own
	s := neo4jtest.StartServer(t, "server.databases.read_only=neo4j")
	flags := []string{"--uri", s.URI, "--username", s.Username, "--password", s.Password}
	code, out, errOut := runCLI(t, append(flags, "load")...)
	want := `loading dataset "seeds" into ` + s.URI + ", database (the server's default)\n" +
		`backchannel: load "seeds": database "(default)" at ` + s.URI + " is read-only: load into a writable database\n"
	if code != exitForbidden || errOut != want {
		t.Errorf("load: exit %d, stdout %q, stderr %q (want exit %d and %q)", code, out, errOut, exitForbidden, want)
	}
	if code, _, errOut := runCLI(t, append(flags, "plan")...); code != exitOK {
		t.Errorf("plan on a read-only database: exit %d: %s", code, errOut)
	}
}

// After an edit of one file, plan and load read that file only and say so; --no-cache
// reads both.
func TestLoadReadsOnlyTheChangedFiles(t *testing.T) {
	neo4jtest.Open(t)
	conn := connFlags(t)
	dir := copyDataset(t, "cached")
	if code, _, errOut := runCLI(t, append(append([]string{}, conn...), "load", dir)...); code != exitOK {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	p := filepath.Join(dir, "graph.yaml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), "confidence: low", "confidence: medium", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args         []string
		read, reused int
	}{
		{[]string{"plan", "--format", "json", dir}, 1, 1},
		{[]string{"plan", "--no-cache", "--format", "json", dir}, 2, 0},
		{[]string{"load", "--format", "json", dir}, 1, 1},
	} {
		code, out, errOut := runCLI(t, append(append([]string{}, conn...), c.args...)...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		var got struct {
			FilesRead   int `json:"filesRead"`
			FilesReused int `json:"filesReused"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v: %s", c.args, err, out)
		}
		if got.FilesRead != c.read || got.FilesReused != c.reused {
			t.Errorf("%v: %d files read, %d taken from the last run; want %d and %d", c.args, got.FilesRead, got.FilesReused, c.read, c.reused)
		}
	}
}
