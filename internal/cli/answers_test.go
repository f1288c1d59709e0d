package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
)

// directTalks are the curated seeds' direct US-Hamas talks.
var directTalks = []string{"hamas-negotiates-with-usa-2025-05", "usa-negotiates-with-hamas-2025-03"}

// withoutRecords copies the curated seeds to a folder and deletes the records with ids
// from it (each "  - id: ID" item, up to the next item or top-level key).
func withoutRecords(t *testing.T, ids ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "seeds")
	copyDir(t, "seeds", dir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
	for _, id := range ids {
		found := false
		item := regexp.MustCompile(`(?m)^  - id: ` + regexp.QuoteMeta(id) + `\n(?:(?:    .*|\s*)\n)*`)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if loc := item.FindIndex(b); loc != nil {
				found = true
				if err := os.WriteFile(f, append(b[:loc[0]:loc[0]], b[loc[1]:]...), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !found {
			t.Fatalf("no record %s in the seeds", id)
		}
	}
	return dir
}

// graphDump is the graph's nodes and relationships, run nodes aside, as sorted lines.
func graphDump(t *testing.T, conn *neo4jconn.DB) string {
	t.Helper()
	var lines []string
	for _, q := range []string{
		"MATCH (n) WHERE NOT n:" + loader.RunLabel + " RETURN labels(n) AS a, properties(n) AS b",
		"MATCH (x)-[r]->(y) RETURN [type(r), x.id, y.id] AS a, properties(r) AS b",
	} {
		res, err := neo4j.ExecuteQuery(context.Background(), conn.Driver, q, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(conn.Settings.Database))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			lines = append(lines, fmt.Sprintf("%v %v", r.Values[0], r.Values[1]))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

type answersDoc struct {
	Changes []loader.Change `json:"changes"`
	Answers struct {
		Computed bool     `json:"computed"`
		Skipped  string   `json:"skipped"`
		Mode     string   `json:"mode"`
		Compared []string `json:"compared"`
		Changed  []struct {
			Name   string          `json:"name"`
			Causes []loader.Change `json:"causes"`
			Rows   []struct {
				Change string `json:"change"`
			} `json:"rows"`
		} `json:"changed"`
	} `json:"answers"`
}

// TestAnswers pins plan --answers and load --answers on the curated seeds without the
// direct US-Hamas talks. Scores are not pinned (the influence model changes under
// them): which answers change, and their cause, are.
func TestAnswers(t *testing.T) {
	db := neo4jtest.Open(t) // the lock and an empty database
	conn := connFlags(t)
	bc := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, append(conn, args...)...)
	}
	full := withoutRecords(t)
	noTalks := withoutRecords(t, directTalks...)
	if code, _, errOut := bc("load", full); code != exitOK {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	before := graphDump(t, db)

	t.Run("plan --answers names the answers the removed talks change, and the talks as their cause", func(t *testing.T) {
		code, out, errOut := bc("plan", "--prune", "--answers", "--format", "json", noTalks)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var doc answersDoc
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v:\n%s", err, out)
		}
		var deleted []string
		for _, c := range doc.Changes {
			deleted = append(deleted, c.ID)
		}
		if slices.Sort(deleted); !slices.Equal(deleted, directTalks) {
			t.Errorf("the plan deletes %v, want %v", deleted, directTalks)
		}
		a := doc.Answers
		if !a.Computed || a.Mode != "rolled back" || !slices.Contains(a.Compared, "influence-paths") {
			t.Fatalf("answers not computed: %+v", a)
		}
		changed := map[string]bool{}
		for _, c := range a.Changed {
			changed[c.Name] = true
			if c.Name != "influence-paths" && c.Name != "net-influence" {
				continue
			}
			if len(c.Rows) == 0 || len(c.Causes) == 0 {
				t.Errorf("%s: rows %v, causes %v: want the changed rows and the removed talks", c.Name, c.Rows, c.Causes)
			}
			for _, cause := range c.Causes {
				if cause.Action != loader.ActionDelete || !slices.Contains(directTalks, cause.ID) {
					t.Errorf("%s: cause %+v is not one of the removed talks", c.Name, cause)
				}
			}
		}
		for _, name := range []string{"influence-paths", "net-influence"} {
			if !changed[name] {
				t.Errorf("%s is not among the changed answers %v", name, changed)
			}
		}
	})

	t.Run("the plan's transaction is rolled back: the graph is unchanged", func(t *testing.T) {
		if after := graphDump(t, db); after != before {
			t.Errorf("the graph changed under plan --answers")
		}
	})

	t.Run("a plan with no change reports no changed answer", func(t *testing.T) {
		code, out, errOut := bc("plan", "--answers", full)
		if code != exitOK || !strings.Contains(out, "No changes") || !strings.Contains(out, "Answers: none changes") || strings.Contains(out, "\n~ ") {
			t.Errorf("exit %d:\n%s%s", code, out, errOut)
		}
	})

	t.Run("above the one-transaction limit the plan says why it can't and exits 1", func(t *testing.T) {
		code, out, _ := bc("plan", "--prune", "--answers", "--single-tx-limit", "10", noTalks)
		if code != exitFailure || !strings.Contains(out, "Answers: not compared: the load is above the one-transaction limit") || !strings.Contains(out, "- relationship "+directTalks[0]) {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})

	t.Run("load --answers prints them after the commit and records them on the run node", func(t *testing.T) {
		code, out, errOut := bc("load", "--prune", "--answers", noTalks)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		words := strings.Join(strings.Fields(out), " ") // the first line is wrapped
		for _, s := range []string{"before and after the load", " ~ influence-paths: ", " ~ net-influence: ", "cause: - relationship "} {
			if !strings.Contains(words, s) {
				t.Errorf("no %q in\n%s", s, out)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			if utf8.RuneCountInString(l) > 100 {
				t.Errorf("over 100 columns: %q", l)
			}
		}
		code, out, errOut = bc("cypher", "--format", "json", "MATCH (r:"+loader.RunLabel+") WHERE r."+loader.RunAnswersProperty+" IS NOT NULL RETURN r."+loader.RunAnswersProperty+" AS names")
		var rows []struct{ Names []string }
		if err := json.Unmarshal([]byte(out), &rows); code != exitOK || err != nil || len(rows) != 1 {
			t.Fatalf("exit %d, %v: %s%s", code, err, out, errOut)
		}
		for _, name := range []string{"influence-paths", "net-influence"} {
			if !slices.Contains(rows[0].Names, name) {
				t.Errorf("the run node's %s %v lacks %s", loader.RunAnswersProperty, rows[0].Names, name)
			}
		}
	})
}

func TestAnswersRefuseABadWatchList(t *testing.T) {
	dir := withoutRecords(t)
	f := filepath.Join(dir, "actors.yaml")
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), "  - query: mediators\n    params: {a: israel, b: hamas}", "  - query: mediator\n    params: {a: israel, b: hamas}", 1)
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	// a closed port: the list is checked before anything connects
	code, out, errOut := runCLI(t, "--uri", fmt.Sprintf("bolt://127.0.0.1:%d", closedPort(t)), "plan", "--answers", dir)
	if code != exitUsage || out != "" || !strings.Contains(errOut, `actors.yaml:`) || !strings.Contains(errOut, `: error: watch: unknown query "mediator": did you mean "mediators"?`) {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "validate", dir)
	if code != exitFailure || !strings.Contains(out, "1 error") || !strings.Contains(errOut, `watch: unknown query "mediator": did you mean "mediators"? backchannel query list shows them all [watch-query]`) {
		t.Errorf("validate: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}
