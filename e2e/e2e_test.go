// Package e2e holds the end-to-end test of exploring in Neo4j Browser: a real Browser
// (the one the Neo4j server serves), in headless Chromium, driven by browser.mjs with
// playwright-core, plays the guide `backchannel browser guide` serves.
//
// It needs Node.js, Debian's chromium and `npm ci` run in this folder; .ci/run
// installs all three. Without them it is skipped, except under CI=true, where it fails.
package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/queries/querytest"
	"github.com/backchannel/backchannel/schema"
)

func TestMain(m *testing.M) { neo4jtest.Main(m) }

// need finds a program the test cannot run without.
func need(t *testing.T, what, hint string, find func() (string, error)) string {
	t.Helper()
	p, err := find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s is missing (%s): %v", what, hint, err)
		}
		t.Skipf("%s is missing (%s): %v", what, hint, err)
	}
	return p
}

func TestBrowserPlaysTheGuideAndDrawsInfluencePathsByName(t *testing.T) {
	node := need(t, "Node.js", "apt-get install nodejs npm", func() (string, error) { return exec.LookPath("node") })
	chromium := need(t, "chromium", "apt-get install chromium", func() (string, error) { return exec.LookPath("chromium") })
	need(t, "playwright-core", "npm ci in e2e/", func() (string, error) {
		return "", statErr(filepath.Join("node_modules", "playwright-core", "package.json"))
	})

	db := neo4jtest.Open(t)
	httpURL := neo4jtest.HTTPURL(t)
	if httpURL == "" {
		t.Fatal("the Neo4j server's HTTP port is unknown: set NEO4J_HTTP_PORT with NEO4J_URI (scripts/test does)")
	}
	s := neo4jtest.Settings(t)
	start := time.Now()
	querytest.LoadSeeds(t, db)
	t.Logf("seeds loaded in %s", time.Since(start).Round(time.Millisecond))

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "backchannel")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	play := serveGuide(ctx, t, bin)

	// The relationships the influence-paths slide should draw: those of its paths (its
	// defaults, United States to Hamas), each once.
	q, err := queries.Get("influence-paths")
	if err != nil {
		t.Fatal(err)
	}
	params, err := q.Bind(map[string]string{})
	if err != nil {
		t.Fatal(err)
	}
	g, err := queries.RunGraph(ctx, db, q, params)
	if err != nil {
		t.Fatal(err)
	}
	pathRels := map[string]bool{}
	for _, p := range g.Paths {
		for _, r := range p.Rels {
			pathRels[r] = true
		}
	}
	t.Logf("influence-paths: %d paths, %d relationships on them, %d in all its columns", len(g.Paths), len(pathRels), len(g.Rels))
	if len(g.Paths) < 2 || len(pathRels) < 3 {
		t.Fatalf("influence-paths by default has %d paths over %d relationships: want several to draw", len(g.Paths), len(pathRels))
	}

	v := schema.Default()
	expect, _ := json.Marshal(map[string]any{
		"pathRels": len(pathRels),
		"captions": map[string]string{
			"United States": v.Kind("State").Color,
			"Hamas":         v.Kind("NonStateArmedGroup").Color,
		},
		"paramNames": []string{"United States", "Hamas"},
		"relColors":  []string{schema.SignColor(1), schema.SignColor(-1)},
	})
	browserURL := localhost(t, httpURL) + "/browser/"
	boltURL := localhost(t, s.URI)
	artifacts, _ := filepath.Abs("artifacts")

	cmd := exec.CommandContext(ctx, node, "browser.mjs")
	cmd.Env = append(os.Environ(),
		"E2E_BROWSER_URL="+browserURL, "E2E_BOLT_URL="+boltURL,
		"E2E_USERNAME="+s.Username, "E2E_PASSWORD="+s.Password,
		"E2E_PLAY="+play, "E2E_EXPECT="+string(expect),
		"E2E_ARTIFACTS="+artifacts, "E2E_CHROMIUM="+chromium)
	start = time.Now()
	out, err := cmd.CombinedOutput()
	t.Logf("browser.mjs, %s:\n%s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("the Browser run failed: %v", err)
	}
}

var playRe = regexp.MustCompile(`:play (http://localhost:\d+/\S+)`)

// serveGuide starts `backchannel browser guide` on a free port until the test ends and
// returns the :play line it printed.
func serveGuide(ctx context.Context, t *testing.T, bin string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, "browser", "guide", "--port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := playRe.FindStringSubmatch(sc.Text()); m != nil {
				lines <- ":play " + m[1]
			}
		}
	}()
	select {
	case l := <-lines:
		return l
	case <-time.After(30 * time.Second):
		t.Fatal("backchannel browser guide printed no :play line in 30s")
	}
	return ""
}

// localhost is u with 127.0.0.1 written localhost, as a user types it.
func localhost(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	if p.Hostname() == "127.0.0.1" {
		p.Host = "localhost:" + p.Port()
	}
	return p.String()
}

func statErr(path string) error {
	_, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
