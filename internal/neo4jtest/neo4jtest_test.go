package neo4jtest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/schema"
)

func TestMain(m *testing.M) { Main(m) }

func count(t *testing.T, s neo4j.SessionWithContext, cypher string) int64 {
	t.Helper()
	rows, err := collect(context.Background(), s, cypher)
	if err != nil {
		t.Fatal(err)
	}
	return rows[0]["n"].(int64)
}

func TestOpenGivesAnEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	db := Open(t)
	s := db.Session(ctx, neo4j.AccessModeWrite)
	defer s.Close(ctx)
	for _, q := range []string{
		"CREATE (:Thing {id: 'a'})-[:REL]->(:Thing {id: 'b'})",
		"CREATE CONSTRAINT thing_id IF NOT EXISTS FOR (n:Thing) REQUIRE n.id IS UNIQUE",
		"CREATE INDEX thing_name IF NOT EXISTS FOR (n:Thing) ON (n.name)",
		schema.Default().Constraints()[0].Cypher,
	} {
		if _, err := run(ctx, s, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := Reset(ctx, db); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, "MATCH (n) RETURN count(n) AS n"); n != 0 {
		t.Errorf("nodes after reset: got %d, want 0", n)
	}
	if n := count(t, s, "SHOW CONSTRAINTS YIELD name WHERE name = 'thing_id' RETURN count(*) AS n"); n != 0 {
		t.Errorf("constraint thing_id after reset: got %d, want 0", n)
	}
	if n := count(t, s, "SHOW INDEXES YIELD name WHERE name = 'thing_name' RETURN count(*) AS n"); n != 0 {
		t.Errorf("index thing_name after reset: got %d, want 0", n)
	}
	// The default vocabulary's schema stays (the loader would create it again), and
	// only that: every name left is one of its statements'.
	kept := schema.Default().Constraints()[0].Name
	if n := count(t, s, "SHOW CONSTRAINTS YIELD name WHERE name = '"+kept+"' RETURN count(*) AS n"); n != 1 {
		t.Errorf("the vocabulary's constraint %s after reset: got %d, want 1", kept, n)
	}
	vocabulary := map[string]bool{}
	for _, st := range schema.Default().Constraints() {
		vocabulary[st.Name] = true
	}
	for _, q := range []string{
		"SHOW CONSTRAINTS YIELD name RETURN name",
		"SHOW INDEXES YIELD name, type, owningConstraint WHERE type <> 'LOOKUP' AND owningConstraint IS NULL AND name <> '" + MarkerIndex + "' RETURN name",
	} {
		rows, err := collect(ctx, s, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if name := r["name"].(string); !vocabulary[name] {
				t.Errorf("%s after reset: %s is not the vocabulary's", q, name)
			}
		}
	}
	if n := count(t, s, "SHOW INDEXES YIELD name WHERE name = '"+MarkerIndex+"' RETURN count(*) AS n"); n != 1 {
		t.Errorf("marker index after reset: got %d, want 1", n)
	}
}

func TestResetRefusesADatabaseWithoutTheMarker(t *testing.T) {
	ctx := context.Background()
	db := Open(t)
	s := db.Session(ctx, neo4j.AccessModeWrite)
	defer s.Close(ctx)
	if _, err := run(ctx, s, "DROP INDEX "+MarkerIndex); err != nil {
		t.Fatal(err)
	}
	if _, err := run(ctx, s, "CREATE (:Precious {id: 'keep'})"); err != nil {
		t.Fatal(err)
	}
	err := Reset(ctx, db)
	if err == nil || !strings.Contains(err.Error(), "refusing to empty database") {
		t.Fatalf("Reset: got %v, want a refusal", err)
	}
	if n := count(t, s, "MATCH (n:Precious) RETURN count(n) AS n"); n != 1 {
		t.Errorf("the refused reset deleted data: %d Precious nodes left, want 1", n)
	}
	// Leave the database as the harness expects it.
	if _, err := run(ctx, s, "MATCH (n) DETACH DELETE n"); err != nil {
		t.Fatal(err)
	}
	if err := Reset(ctx, db); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserIsServed: the server started from the Maven jars serves Neo4j Browser.
func TestBrowserIsServed(t *testing.T) {
	base := HTTPURL(t)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("NEO4J_HTTP_PORT is not set, so the Browser can't be checked")
		}
		t.Skip("set NEO4J_HTTP_PORT to check the Browser of the server named by NEO4J_URI")
	}
	resp, err := http.Get(base + "/browser/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Neo4j Browser") {
		t.Errorf("GET /browser/: %s\n%.300s", resp.Status, body)
	}
}

// processesWith lists the pids whose command line contains s.
func processesWith(t *testing.T, s string) []string {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []string
	for _, e := range entries {
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err == nil && strings.Contains(string(cmdline), s) {
			pids = append(pids, e.Name())
		}
	}
	return pids
}

// TestScriptLifecycle drives scripts/neo4j itself: start waits for Bolt, a second start
// starts nothing, status tells running from stopped, and stop leaves no process behind.
func TestScriptLifecycle(t *testing.T) {
	t.Parallel() // a server of its own: it overlaps the tests of the shared one
	if testing.Short() {
		unavailable(t, errors.New("-short: it starts a server of its own"))
	}
	if err := startAllowed(); err != nil {
		unavailable(t, err)
	}
	srv, err := startThrowaway()
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() { _ = srv.stop() })
	home := "--home-dir=" + srv.home
	running := processesWith(t, home)
	if len(running) != 1 {
		t.Fatalf("after start: %d processes with %s, want 1", len(running), home)
	}
	if os.Getenv("NEO4J_CLASS_ARCHIVE") != "0" {
		// The start maps the class archive of its version and Java (trained by the first
		// start that lacked it), and no training server or home is left behind.
		maps, err := os.ReadFile("/proc/" + running[0] + "/maps")
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`/classes/[^/\s]+-java[0-9]+-[0-9a-f]{12}\.jsa\n`).Match(maps) {
			t.Errorf("the server maps no class archive (scripts/neo4j train_archive); its mappings:\n%s", firstLines(string(maps), 5))
		}
		if left := processesWith(t, "/classes/train-"); len(left) != 0 {
			t.Errorf("a training server is left running: %v", left)
		}
	}
	if out, err := srv.runScript("status"); err != nil {
		t.Errorf("status of a running server: %v\n%s", err, out)
	}
	out, err := srv.runScript("start")
	if err != nil || !strings.Contains(string(out), "already running") {
		t.Errorf("second start: %v\n%s", err, out)
	}
	if again := processesWith(t, home); len(again) != 1 || again[0] != running[0] {
		t.Errorf("second start changed the processes: %v, want %v", again, running)
	}
	if out, err := srv.runScript("stop"); err != nil {
		t.Fatalf("stop: %v\n%s", err, out)
	}
	if left := processesWith(t, home); len(left) != 0 {
		t.Errorf("stop left processes behind: %v", left)
	}
	if out, err := srv.runScript("status"); err == nil {
		t.Errorf("status of a stopped server exited 0:\n%s", out)
	}
}

// TestSetupStartsNothingUnlessAsked: without NEO4J_URI a plain `go test` does not install
// or start a server; only BACKCHANNEL_TEST_NEO4J=start allows it (review F13).
func TestSetupStartsNothingUnlessAsked(t *testing.T) {
	t.Setenv("NEO4J_URI", "")
	t.Setenv(StartEnv, "")
	before := len(processesWith(t, "backchannel-neo4j-"))
	_, _, err := setup()
	if err == nil || !strings.Contains(err.Error(), StartEnv+"=start") {
		t.Fatalf("setup() = %v, want a refusal naming %s=start", err, StartEnv)
	}
	if after := len(processesWith(t, "backchannel-neo4j-")); after != before {
		t.Errorf("setup started a process: %d -> %d", before, after)
	}
	t.Setenv(StartEnv, "yes")
	if err := startAllowed(); err == nil {
		t.Errorf("%s=yes allowed a start; only \"start\" does", StartEnv)
	}
}

// firstLines is the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}
