package cli

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/schema"
)

// TestSourcesVerify runs sources verify over a copy of the seeds whose urls point at a
// local server that serves, for each source, a page holding its quotes (never the
// internet). Two quotes are made wrong on purpose and one page is gone: each is
// reported at its exact position, and every other quote is verified.
func TestSourcesVerify(t *testing.T) {
	pages := map[string][]string{}
	total := 0
	if _, err := schema.Walk(schema.PathInputs([]string{"seeds"}), func(r schema.Record) error {
		var ev []schema.Evidence
		switch {
		case r.Node != nil:
			ev = r.Node.Evidence
		case r.Relationship != nil:
			ev = r.Relationship.Evidence
		}
		for _, e := range ev {
			if e.Quote != "" {
				pages[e.Source] = append(pages[e.Source], e.Quote)
				total++
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	const gone = "src-lbc-qatar-hamas-office"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/")
		if id == gone {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body><nav>Home</nav><article>")
		for _, q := range pages[id] {
			fmt.Fprintf(w, "<p>%s</p>\n", html.EscapeString(q))
		}
		fmt.Fprint(w, "</article></body></html>")
	}))
	defer srv.Close()

	dir := t.TempDir()
	copyDir(t, "seeds", dir)
	// Point every url at the server.
	lastID := regexp.MustCompile(`^\s*- id: (\S+)`)
	urlLine := regexp.MustCompile(`^(\s+)url: .*$`)
	srcFile := filepath.Join(dir, "sources.yaml")
	lines := strings.Split(readFile(t, srcFile), "\n")
	id := ""
	for i, l := range lines {
		if m := lastID.FindStringSubmatch(l); m != nil {
			id = m[1]
		}
		if m := urlLine.FindStringSubmatch(l); m != nil {
			lines[i] = fmt.Sprintf("%surl: %q", m[1], srv.URL+"/"+id)
		}
	}
	writeFile(t, srcFile, strings.Join(lines, "\n"))
	// Make the first double-quoted quote of two files wrong, remembering where it is.
	var want []string
	for _, name := range []string{"relationships-background.yaml", "events.yaml"} {
		p := filepath.Join(dir, name)
		lines := strings.Split(readFile(t, p), "\n")
		src := ""
		for i, l := range lines {
			if s, ok := strings.CutPrefix(strings.TrimSpace(l), "- source: "); ok {
				src = s
			}
			if j := strings.Index(l, `quote: "`); j >= 0 && src != gone && src != "src-article" {
				col := j + len("quote: ") + 1
				lines[i] = l[:col] + "Not " + l[col:]
				want = append(want, fmt.Sprintf("%s:%d:%d: error: quote not on %s/%s (closest passage: ", p, i+1, col, srv.URL, src))
				break
			}
		}
		writeFile(t, p, strings.Join(lines, "\n"))
	}
	if len(want) != 2 {
		t.Fatalf("made %d quotes wrong, want 2", len(want))
	}

	archive := t.TempDir()
	code, out, errOut := runCLI(t, "sources", "verify", "--archive", archive, dir)
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	for _, w := range want {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	goneFinding := fmt.Sprintf("error: source %s unreachable: %s/%s: HTTP 404 Not Found (1 quote not checked; the Internet Archive may hold it: https://web.archive.org/web/%s/%s) [source-unreachable]", gone, srv.URL, gone, srv.URL, gone)
	if !strings.Contains(errOut, goneFinding) {
		t.Errorf("stderr lacks %q:\n%s", goneFinding, errOut)
	}
	if n := strings.Count(errOut, "\n"); n != 3 {
		t.Errorf("%d findings, want 3:\n%s", n, errOut)
	}
	nGone := len(pages[gone])
	summary := fmt.Sprintf("%d sources fetched, %d quotes verified, 2 not found, 1 unreachable\n", len(pages)-2, total-2-nGone)
	if out != summary {
		t.Errorf("stdout %q, want %q", out, summary)
	}

	// Offline, from what was archived: the same findings, nothing fetched.
	srv.Close()
	code, out, errOff := runCLI(t, "sources", "verify", "--offline", "--archive", archive, dir)
	if code != exitFailure || !strings.HasPrefix(out, "0 sources fetched, "+fmt.Sprint(total-2-nGone)+" quotes verified, 2 not found, 1 unreachable") || !strings.Contains(errOff, want[0]) {
		t.Errorf("offline: exit %d, %s%s", code, out, errOff)
	}
	code, out, _ = runCLI(t, "sources", "show", "--archive", archive, "src-thenational-al-udeid")
	if q := pages["src-thenational-al-udeid"][0]; code != exitOK || !strings.Contains(out, fmt.Sprintf("%q", q)) || !strings.Contains(out, "  in: ") {
		t.Errorf("show: exit %d:\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "sources", "show", "--archive", archive, "src-nope"); code != exitUsage || !strings.Contains(errOut, "not in the archive") {
		t.Errorf("show of an unknown source: exit %d %s", code, errOut)
	}

	code, out, _ = runCLI(t, "sources", "verify", "--offline", "--archive", archive, "--format", "json", "--source", gone, dir)
	var doc struct {
		Unreachable int              `json:"sourcesUnreachable"`
		Verified    int              `json:"quotesVerified"`
		Findings    []schema.Finding `json:"findings"`
	}
	if code != exitFailure || json.Unmarshal([]byte(out), &doc) != nil || doc.Unreachable != 1 || doc.Verified != 0 || len(doc.Findings) != 1 || doc.Findings[0].Rule != "source-unreachable" {
		t.Errorf("json: exit %d, %s", code, out)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if !strings.HasSuffix(p, ".yaml") && !strings.HasSuffix(p, ".txt") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
