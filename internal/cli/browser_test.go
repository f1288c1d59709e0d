package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/browserguide"
	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries/querytest"
)

func TestBrowserGuideOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "guide")
	code, out, errOut := runCLI(t, "browser", "guide", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	page, err := os.ReadFile(filepath.Join(dir, browserguide.File))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<title>backchannel", `id="bc-influence-paths"`, ":param from =&gt; &#39;United States&#39;;"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the guide lacks %q", want)
		}
	}
	if !strings.Contains(out, ":play http://localhost:PORT/"+browserguide.File) {
		t.Errorf("output does not say how to play it:\n%s", out)
	}
}

func TestRender(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadSeeds(t, db)
	conn := connFlags(t)
	render := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, append(append(append([]string{}, conn...), "render", "--format", "dot"), args...)...)
	}
	t.Run("the network", func(t *testing.T) {
		code, out, errOut := render()
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{`"usa" [label="United States", fillcolor="#4C8EDA"`, `"label usa-attacks-houthis-2025" -> "houthis" [color="#E53935"`, `label=<<table`} {
			if !strings.Contains(out, want) {
				t.Errorf("the DOT lacks %q", want)
			}
		}
	})
	t.Run("influence paths by actor names, to a file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "paths.dot")
		code, out, errOut := render("--query", "influence-paths", "--param", "from=Iran", "--param", "to=Israel", "--param", "maxHops=2", "--out", file)
		if code != exitOK || out != "" {
			t.Fatalf("exit %d, stdout %q: %s", code, out, errOut)
		}
		if !regexp.MustCompile(`^Wrote ` + regexp.QuoteMeta(file) + `: \d+ paths, one box each\.\n$`).MatchString(errOut) {
			t.Errorf("stderr %q, want what was written", errOut)
		}
		dot, _ := os.ReadFile(file)
		for _, want := range []string{`"p1 iran" [label="Iran"`, `"p1 israel" [label="Israel"`, `label="1. cooperative #1, strength `, `label=<<table border="0" cellspacing="4" cellpadding="2"><tr><td><font point-size="24">influence-paths from=Iran to=Israel maxHops=2</font>`} {
			if !strings.Contains(string(dot), want) {
				t.Errorf("the DOT lacks %q:\n%s", want, dot)
			}
		}
		if strings.Contains(string(dot), `"oman"`) {
			t.Errorf("the paths from Iran to Israel pass through Oman:\n%s", dot)
		}
	})
	t.Run("a query that returns a table says so, and which queries draw", func(t *testing.T) {
		code, out, errOut := render("--query", "mediators", "--param", "a=Israel", "--param", "b=Hamas")
		want := "backchannel: render: mediators returns a table, not a graph (backchannel query run mediators shows it); render draws the paths of influence-paths and shortest-path\n"
		if code != exitFailure || out != "" || errOut != want {
			t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, out, errOut, want)
		}
	})
	t.Run("an unknown actor is a usage error", func(t *testing.T) {
		if code, _, errOut := render("--query", "influence-paths", "--param", "from=Nobody"); code != exitUsage || !strings.Contains(errOut, `"Nobody"`) {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
}
