// Package neo4jtest gives integration tests a live, empty Neo4j database.
//
// With NEO4J_URI set (and NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE as needed) it
// uses that server. Otherwise, only when asked with BACKCHANNEL_TEST_NEO4J=start (as
// scripts/test does), it starts a throwaway server from the jars cached by scripts/neo4j,
// on free ports in a temporary folder, once per test binary, and stops it when the tests
// end: a plain `go test ./...` never installs or starts a JVM. Tests that need a server
// with a configuration of their own (StartServer) start one only when asked, too. A
// package using it calls Main from its TestMain.
//
// Tests that share a server are serialised across test binaries by a file lock, and each
// Open empties the database first. To protect real data, it refuses to empty a database
// that holds nodes unless the database carries the harness's marker index (created on the
// first Open of an empty database).
//
// Under CI=true a test that cannot get a database fails; elsewhere it is skipped with a
// message saying how to get one. `go test -short` skips them (but under CI=true).
package neo4jtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// MarkerIndex names the index that marks a database as the harness's to empty.
const MarkerIndex = "backchannel_test_marker"

var (
	mainCalled bool
	once       sync.Once
	settings   neo4jconn.Settings
	httpURL    string
	setupErr   error
	server     *throwaway
)

// Main runs the tests, then the cleanup functions, and stops a throwaway server
// afterwards. Call it from TestMain.
func Main(m *testing.M, cleanup ...func()) {
	mainCalled = true
	code := m.Run()
	for _, f := range cleanup {
		f()
	}
	if server != nil {
		if err := server.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "neo4jtest:", err)
		}
	}
	if err := stopFaultServer(); err != nil {
		fmt.Fprintln(os.Stderr, "neo4jtest:", err)
	}
	os.Exit(code)
}

// Settings returns connection settings for a live server, starting one if needed. It
// does not empty the database or take the lock: use Open for that.
func Settings(t testing.TB) neo4jconn.Settings {
	t.Helper()
	if !mainCalled {
		t.Fatal("neo4jtest: call neo4jtest.Main(m) from this package's TestMain")
	}
	if testing.Short() {
		unavailable(t, errors.New("-short skips integration tests"))
	}
	once.Do(func() { settings, httpURL, setupErr = setup() })
	if setupErr != nil {
		unavailable(t, setupErr)
	}
	return settings
}

// Open returns a connection to an empty database that this test has to itself until it
// ends. Constraints and indexes are dropped too, but the default vocabulary's (Reset).
func Open(t testing.TB) *neo4jconn.DB {
	t.Helper()
	s := Settings(t)
	unlock, err := lock(s)
	if err != nil {
		t.Fatalf("neo4jtest: %v", err)
	}
	t.Cleanup(unlock)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	db, err := neo4jconn.Open(ctx, s)
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() { _ = db.Close(context.Background()) })
	if err := Reset(ctx, db); err != nil {
		t.Fatalf("neo4jtest: emptying the database: %v", err)
	}
	return db
}

func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("neo4jtest: no Neo4j for this integration test (CI=true, so this fails): %v", err)
	}
	t.Skipf("neo4jtest: no Neo4j (%v); scripts/test runs everything, or set NEO4J_URI and NEO4J_PASSWORD to a test server, or BACKCHANNEL_TEST_NEO4J=start to let the tests start their own", err)
}

// Reset empties the database: nodes, relationships, constraints and indexes, but the
// built-in token lookup indexes, the marker and the constraints and indexes of the
// default vocabulary (schema.Default), which the loader would create again. It refuses
// a database with data but no marker index.
func Reset(ctx context.Context, db *neo4jconn.DB) (err error) {
	session := db.Session(ctx, neo4j.AccessModeWrite)
	defer func() { err = errors.Join(err, session.Close(ctx)) }()

	indexes, err := collect(ctx, session, "SHOW INDEXES YIELD name, type, owningConstraint RETURN name, type, owningConstraint")
	if err != nil {
		return err
	}
	marked := false
	for _, ix := range indexes {
		if ix["name"] == MarkerIndex {
			marked = true
		}
	}
	if !marked {
		res, err := session.Run(ctx, "MATCH (n) RETURN count(n) AS n", nil)
		if err != nil {
			return err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return err
		}
		n, _, err := neo4j.GetRecordValue[int64](rec, "n")
		if err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("refusing to empty database %q at %s: it holds %d nodes and no %s index, so it is not a test database; point NEO4J_URI at a server for tests, or unset it to let the tests start their own", db.Settings.Database, db.Settings.DisplayURI(), n, MarkerIndex)
		}
	}
	// Relationships first, in batches: DETACH DELETE of densely connected nodes would
	// hold every relationship of a batch's nodes in one transaction.
	for _, q := range []string{
		"MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS",
		"MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
	} {
		if _, err := run(ctx, session, q); err != nil {
			return err
		}
	}
	// The default vocabulary's constraints and indexes stay: every loading test would
	// otherwise recreate all of them (about 50 schema operations, seconds each time).
	keep := map[string]bool{MarkerIndex: true}
	for _, st := range schema.Default().Constraints() {
		keep[st.Name] = true
	}
	constraints, err := collect(ctx, session, "SHOW CONSTRAINTS YIELD name RETURN name")
	if err != nil {
		return err
	}
	for _, c := range constraints {
		name, ok := c["name"].(string)
		if !ok {
			return fmt.Errorf("SHOW CONSTRAINTS: name %v is not a string", c["name"])
		}
		if keep[name] {
			continue
		}
		if _, err := run(ctx, session, "DROP CONSTRAINT "+schema.Quote(name)+" IF EXISTS"); err != nil {
			return err
		}
	}
	for _, ix := range indexes {
		name, ok := ix["name"].(string)
		if !ok {
			return fmt.Errorf("SHOW INDEXES: name %v is not a string", ix["name"])
		}
		if ix["type"] == "LOOKUP" || keep[name] || ix["owningConstraint"] != nil {
			continue
		}
		if _, err := run(ctx, session, "DROP INDEX "+schema.Quote(name)+" IF EXISTS"); err != nil {
			return err
		}
	}
	if !marked {
		if _, err := run(ctx, session, "CREATE INDEX "+MarkerIndex+" IF NOT EXISTS FOR (n:BackchannelTestMarker) ON (n.id)"); err != nil {
			return err
		}
	}
	return nil
}

func run(ctx context.Context, s neo4j.SessionWithContext, cypher string) (neo4j.ResultSummary, error) {
	res, err := s.Run(ctx, cypher, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cypher, err)
	}
	return res.Consume(ctx)
}

func collect(ctx context.Context, s neo4j.SessionWithContext, cypher string) ([]map[string]any, error) {
	res, err := s.Run(ctx, cypher, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cypher, err)
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cypher, err)
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = r.AsMap()
	}
	return out, nil
}

// lock serialises tests that share one database, across test binaries.
func lock(s neo4jconn.Settings) (func(), error) {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s", s.URI, s.Database)
	path := filepath.Join(os.TempDir(), fmt.Sprintf("backchannel-neo4jtest-%x.lock", h.Sum64()))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// HTTPURL returns the base URL of the server's HTTP endpoint (Neo4j Browser is at
// /browser/), or "" when it is not known: for a server named by NEO4J_URI, set
// NEO4J_HTTP_PORT (scripts/test does).
func HTTPURL(t testing.TB) string {
	t.Helper()
	Settings(t)
	return httpURL
}

func setup() (neo4jconn.Settings, string, error) {
	if uri := os.Getenv("NEO4J_URI"); uri != "" {
		user := os.Getenv("NEO4J_USERNAME")
		if user == "" {
			user = "neo4j"
		}
		var http string
		if port := os.Getenv("NEO4J_HTTP_PORT"); port != "" {
			http = "http://127.0.0.1:" + port
		}
		return neo4jconn.Settings{URI: uri, Username: user, Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE"), UserAgent: "backchannel-tests"}, http, nil
	}
	if err := startAllowed(); err != nil {
		return neo4jconn.Settings{}, "", err
	}
	srv, err := startThrowaway()
	if err != nil {
		return neo4jconn.Settings{}, "", err
	}
	server = srv
	return srv.settings(), "http://127.0.0.1:" + strconv.Itoa(srv.httpPort), nil
}

// throwaway is a server started by scripts/neo4j in a temporary home.
type throwaway struct {
	script, home string
	boltPort     int
	httpPort     int
	password     string
	env          []string
}

// RepoRoot finds the module root (the folder holding go.mod) above the working directory.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// StartServer starts a server of the test's own, with extra neo4j.conf lines if any, and
// stops it when the test ends: for tests that stop, kill or restart it. Starting a JVM
// takes ten seconds to minutes on a busy machine: such tests call t.Parallel, so that
// their servers start together, and everything else uses Open.
func StartServer(t testing.TB, conf ...string) neo4jconn.Settings {
	t.Helper()
	return startServer(t, nil, conf...)
}

// StartImported starts a server of the test's own whose database neo4j is first filled
// by neo4j-admin database import full from the export in dir (its import.args), and
// stops it when the test ends.
func StartImported(t testing.TB, dir string) neo4jconn.Settings {
	t.Helper()
	return startServer(t, func(srv *throwaway) {
		cmd := exec.Command(srv.script, "admin", "database", "import", "full", "neo4j", "@import.args")
		cmd.Env, cmd.Dir = srv.env, dir
		if out, err := cmd.CombinedOutput(); err != nil {
			_ = os.RemoveAll(srv.home)
			t.Fatalf("neo4j-admin database import: %v\n%s", err, out)
		}
	})
}

func startServer(t testing.TB, before func(*throwaway), conf ...string) neo4jconn.Settings {
	t.Helper()
	srv, err := startConfigured(before, conf)
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() {
		if err := srv.stop(); err != nil {
			t.Error(err)
		}
	})
	return srv.settings()
}

// startConfigured starts a throwaway server, when allowed, calling before (if any) ahead
// of its first start, with extra neo4j.conf lines.
func startConfigured(before func(*throwaway), conf []string) (*throwaway, error) {
	if testing.Short() {
		return nil, errors.New("-short skips integration tests")
	}
	if err := startAllowed(); err != nil {
		return nil, err
	}
	// Settings about databases (server.databases.read_only=neo4j) keep the databases from
	// being created on a first start: start plainly, then restart with them.
	if !slices.ContainsFunc(conf, func(line string) bool { return strings.HasPrefix(line, "server.databases.") }) {
		return newThrowaway(before, conf...)
	}
	srv, err := newThrowaway(before)
	if err != nil {
		return nil, err
	}
	if out, err := srv.runScript("stop"); err != nil {
		return nil, fmt.Errorf("scripts/neo4j stop: %w\n%s", err, out)
	}
	srv.env = append(srv.env, "NEO4J_EXTRA_CONF="+strings.Join(conf, "\n"))
	if out, err := srv.runScript("start"); err != nil {
		_ = os.RemoveAll(srv.home)
		return nil, fmt.Errorf("scripts/neo4j start with %q: %w\n%s", conf, err, out)
	}
	return srv, nil
}

func (s *throwaway) settings() neo4jconn.Settings {
	return neo4jconn.Settings{URI: "bolt://127.0.0.1:" + strconv.Itoa(s.boltPort), Username: "neo4j", Password: s.password, UserAgent: "backchannel-tests"}
}

// StartEnv is the variable that allows the harness to start servers of its own.
const StartEnv = "BACKCHANNEL_TEST_NEO4J"

// startAllowed says whether this run may start a server: only with StartEnv=start.
func startAllowed() error {
	if os.Getenv(StartEnv) != "start" {
		return fmt.Errorf("NEO4J_URI is not set and %s=start is not either, so no server is started", StartEnv)
	}
	return nil
}

func startThrowaway() (*throwaway, error) { return newThrowaway(nil) }

func newThrowaway(before func(*throwaway), conf ...string) (*throwaway, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	bolt, err := freePort()
	if err != nil {
		return nil, err
	}
	http, err := freePort()
	if err != nil {
		return nil, err
	}
	home, err := os.MkdirTemp("", "backchannel-neo4j-")
	if err != nil {
		return nil, err
	}
	pw := make([]byte, 12)
	_, _ = rand.Read(pw)
	srv := &throwaway{script: filepath.Join(root, "scripts", "neo4j"), home: home, boltPort: bolt, httpPort: http, password: hex.EncodeToString(pw)}
	srv.env = append(os.Environ(),
		"BACKCHANNEL_NEO4J_HOME="+home,
		"NEO4J_BOLT_PORT="+strconv.Itoa(bolt),
		"NEO4J_HTTP_PORT="+strconv.Itoa(http),
		"NEO4J_PASSWORD="+srv.password,
		"NEO4J_EXTRA_CONF="+strings.Join(conf, "\n"),
		// A throwaway runs a few statements: C1 alone compiles them well enough, and a
		// start then costs about half the CPU (8 s instead of 16 s measured on these two
		// cores), which a busy test run feels eight times over. The shared test server
		// keeps C2: the stored queries' tests took twice as long without it.
		"NEO4J_JAVA_OPTS="+strings.TrimSpace(os.Getenv("NEO4J_JAVA_OPTS")+" "+throwawayJIT),
	)
	if before != nil {
		before(srv)
	}
	fmt.Fprintf(os.Stderr, "neo4jtest: starting a throwaway Neo4j on 127.0.0.1:%d (home %s)\n", bolt, home)
	if out, err := srv.runScript("start"); err != nil {
		_ = os.RemoveAll(home)
		return nil, fmt.Errorf("scripts/neo4j start: %w\n%s", err, out)
	}
	return srv, nil
}

// throwawayJIT is the JVM flag throwaway servers start with.
const throwawayJIT = "-XX:TieredStopAtLevel=1"

func (s *throwaway) runScript(arg string) ([]byte, error) {
	cmd := exec.Command(s.script, arg)
	cmd.Env = s.env
	return cmd.CombinedOutput()
}

func (s *throwaway) stop() error {
	out, err := s.runScript("stop")
	if err != nil {
		return fmt.Errorf("scripts/neo4j stop: %w\n%s", err, out)
	}
	return os.RemoveAll(s.home)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
