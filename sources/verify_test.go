package sources

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/backchannel/backchannel/schema"
)

// seedFile writes a seed file with one source per url and one node per quote, and
// returns its path. quotes[i] = {sourceID, quote}.
func seedFile(t *testing.T, srcs map[string]string, quotes [][2]string) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("sources:\n")
	ids := sortedKeys(srcs)
	for _, id := range ids {
		fmt.Fprintf(&b, "  - id: %s\n    publisher: P\n    title: T\n    url: %q\n    published: \"2025-01-01\"\n    reliability: reputable\n", id, srcs[id])
	}
	b.WriteString("nodes:\n")
	for i, q := range quotes {
		fmt.Fprintf(&b, "  - id: n%d\n    kind: actor\n    name: N\n    evidence:\n      - source: %s\n        quote: %q\n", i, q[0], q[1])
	}
	p := filepath.Join(t.TempDir(), "seeds.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

// quoteLine is the line of the i-th node's quote in seedFile's output.
func quoteLine(nSources, i int) int { return 1 + nSources*6 + 1 + i*6 + 6 }

func fastFetcher() *Fetcher {
	return &Fetcher{UserAgent: "backchannel/test", Timeout: 300 * time.Millisecond, MaxBytes: 4096, Backoff: 10 * time.Millisecond, MaxWait: 2 * time.Second, Retries: 2}
}

func run(t *testing.T, file string, f *Fetcher) Report {
	t.Helper()
	rep, err := Verify(context.Background(), schema.PathInputs([]string{file}), Options{Fetcher: f})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func findingsOf(rep Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.String())
	}
	return out
}

func TestVerifyEveryCase(t *testing.T) {
	var mu sync.Mutex
	var tries429 int
	var uas []string
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uas = append(uas, r.UserAgent())
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><head><title>Title words</title><script>var hidden = "script text";</script></head><body>
<nav>Menu item</nav><header>Site header</header>
<p>Hamas said it &ldquo;agreed&rdquo; to the US&#8217;s proposal&nbsp;&mdash; a <em>major</em>
 step.</p><p>Second   paragraph &amp; more.</p><footer>Footer text</footer></body></html>`)
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusMovedPermanently) })
	mux.HandleFunc("/temp", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusFound) })
	mux.HandleFunc("/gone", http.NotFound)
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tries429++
		n := tries429
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, "<p>After the wait, the text.</p>")
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
		fmt.Fprint(w, "<p>too late</p>")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<p>"+strings.Repeat("big ", 5000)+"</p>")
	})
	mux.HandleFunc("/pdf", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		fmt.Fprint(w, "%PDF-1.4 quoted words")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	srcs := map[string]string{
		"s-big": srv.URL + "/big", "s-busy": srv.URL + "/busy", "s-gone": srv.URL + "/gone", "s-ok": srv.URL + "/ok",
		"s-old": srv.URL + "/old", "s-pdf": srv.URL + "/pdf", "s-slow": srv.URL + "/slow", "s-temp": srv.URL + "/temp",
	}
	quotes := [][2]string{
		{"s-ok", `Hamas said it "agreed" to the US's proposal - a major step.`}, // entities, curly quotes, nbsp, dash, <em>, line break
		{"s-ok", "Second paragraph & more."},
		{"s-ok", "Hamas said it rejected the proposal"}, // wrong on purpose
		{"s-ok", "Menu item"},                           // navigation is dropped
		{"s-old", "Second paragraph"},
		{"s-temp", "a major step"},
		{"s-gone", "anything"},
		{"s-busy", "After the wait, the text."},
		{"s-slow", "too late"},
		{"s-big", "big big"},
		{"s-pdf", "quoted words"},
	}
	file := seedFile(t, srcs, quotes)
	start := time.Now()
	rep := run(t, file, fastFetcher())
	if el := time.Since(start); el < time.Second {
		t.Errorf("took %v: the 429's Retry-After of 1s was not honoured", el)
	}
	got := strings.Join(findingsOf(rep), "\n")
	srcLine := func(id string) int { // the url line of a source
		for i, k := range sortedKeys(srcs) {
			if k == id {
				return 2 + i*6 + 3
			}
		}
		return 0
	}
	want := []string{
		fmt.Sprintf("%s:%d:16: error: quote not on %s/ok (closest passage: %q) [quote-not-found]", file, quoteLine(len(srcs), 2), srv.URL, "Hamas said it \"agreed\" to the"),
		fmt.Sprintf("%s:%d:16: error: quote not on %s/ok (no passage shares a word with it) [quote-not-found]", file, quoteLine(len(srcs), 3), srv.URL),
		fmt.Sprintf("%s:%d:10: warning: %s/old moved permanently (301) to %s/ok: update the source's url [source-moved]", file, srcLine("s-old"), srv.URL, srv.URL),
		fmt.Sprintf("%s:%d:10: error: source s-gone unreachable: %s/gone: HTTP 404 Not Found (1 quote not checked; the Internet Archive may hold it: https://web.archive.org/web/%s/gone) [source-unreachable]", file, srcLine("s-gone"), srv.URL, srv.URL),
		fmt.Sprintf("%s:%d:10: error: source s-slow unreachable: %s/slow: timed out", file, srcLine("s-slow"), srv.URL),
		fmt.Sprintf("%s:%d:10: error: source s-big unreachable: %s/big: page larger than the 4096-byte cap", file, srcLine("s-big"), srv.URL),
		fmt.Sprintf("%s:%d:10: warning: source s-pdf not checkable: its content type is application/pdf, not HTML or text (1 quote not checked) [source-not-checkable]", file, srcLine("s-pdf")),
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing finding\n  %s\nin\n%s", w, got)
		}
	}
	if len(rep.Findings) != len(want) {
		t.Errorf("%d findings, want %d:\n%s", len(rep.Findings), len(want), got)
	}
	if strings.Contains(got, "temp") {
		t.Errorf("a temporary redirect reported:\n%s", got)
	}
	if rep.Verified != 5 || rep.NotFound != 2 || rep.Unreachable != 3 || rep.Fetched != 5 {
		t.Errorf("verified %d, not found %d, unreachable %d, fetched %d; want 5, 2, 3, 5", rep.Verified, rep.NotFound, rep.Unreachable, rep.Fetched)
	}
	for _, ua := range uas {
		if ua != "backchannel/test" {
			t.Errorf("User-Agent %q", ua)
		}
	}
}

func TestPerHostLimit(t *testing.T) {
	var cur, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := cur.Add(1)
		defer cur.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		fmt.Fprintf(w, "<p>page %s</p>", r.URL.Path)
	}))
	defer srv.Close()
	srcs := map[string]string{}
	var quotes [][2]string
	for i := range 12 {
		id := fmt.Sprintf("s%02d", i)
		srcs[id] = fmt.Sprintf("%s/p%d", srv.URL, i)
		quotes = append(quotes, [2]string{id, fmt.Sprintf("page /p%d", i)})
	}
	f := fastFetcher()
	f.Concurrency = 8
	rep := run(t, seedFile(t, srcs, quotes), f)
	if len(rep.Findings) != 0 || rep.Verified != 12 {
		t.Fatalf("verified %d, findings %v", rep.Verified, findingsOf(rep))
	}
	if p := peak.Load(); p != 1 {
		t.Errorf("at most %d requests at once to one host, want 1", p)
	}
}

func TestFileSource(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "copy.txt"), []byte("The text\nof the\u00a0copy \u201cquoted\u201d."), 0o644)
	seed := "sources:\n  - id: s\n    publisher: P\n    title: T\n    file: copy.txt\n    published: \"2025\"\n    reliability: low\n" +
		"nodes:\n  - id: n\n    kind: actor\n    name: N\n    evidence:\n      - source: s\n        quote: 'of the copy \"quoted\".'\n      - source: s\n        quote: not there\n"
	p := filepath.Join(dir, "s.yaml")
	os.WriteFile(p, []byte(seed), 0o644)
	rep := run(t, p, &Fetcher{Transport: failingTransport{t}})
	want := p + `:16:16: error: quote not on file:copy.txt (no passage shares a word with it) [quote-not-found]`
	if got := findingsOf(rep); len(got) != 1 || got[0] != want {
		t.Errorf("findings %q, want %q", got, want)
	}
	if rep.Verified != 1 || rep.Fetched != 0 {
		t.Errorf("verified %d fetched %d", rep.Verified, rep.Fetched)
	}
}

type failingTransport struct{ t *testing.T }

func (f failingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	f.t.Errorf("a file source made a request to %s", r.URL)
	return nil, fmt.Errorf("no network")
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"  a\u00a0\u00a0b\n\tc ":   "a b c",
		"\u201cit\u2019s\u201d":    `"it's"`,
		"1\u20132 \u2014 x\u2212y": "1-2 - x-y",
		"so\u00adft\u200b word":    "soft word",
		"wait\u2026 ":              "wait...",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRetryAfterDate(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	d, ok := retryAfter(now.Add(3*time.Second).Format(http.TimeFormat), now)
	if !ok || d != 3*time.Second {
		t.Errorf("got %v %v", d, ok)
	}
	if _, ok := retryAfter("soon", now); ok {
		t.Error("a malformed Retry-After accepted")
	}
}

func FuzzExtract(f *testing.F) {
	f.Add("<p>a &ldquo;b&rdquo; <em>c</em></p><script>x</script>")
	f.Add("<nav><p>x</nav></p>\u00a0&#xD800;&bogus;")
	f.Fuzz(func(t *testing.T, s string) {
		text, err := Extract(strings.NewReader(s))
		if err != nil {
			return
		}
		if Normalize(text) != text {
			t.Errorf("Extract's text is not normalised: %q", text)
		}
		Closest(text, Normalize(s))
	})
}
