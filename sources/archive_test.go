package sources

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/schema"
)

func TestArchiveAndOffline(t *testing.T) {
	requests := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		fmt.Fprint(w, "<p>First sentence here. The envoy said the <em>talks</em> went well, aides added. Last one.</p>")
	}))
	defer srv.Close()
	file := seedFile(t, map[string]string{"s": srv.URL + "/a"}, [][2]string{{"s", "the talks went well"}, {"s", "not on it"}})
	dir := t.TempDir()
	in := schema.PathInputs([]string{file})
	rep, err := Verify(context.Background(), in, Options{Fetcher: fastFetcher(), Archive: dir})
	if err != nil || rep.Verified != 1 || rep.NotFound != 1 || rep.Fetched != 1 {
		t.Fatalf("online: %v %+v", err, rep)
	}
	e, err := ReadEntry(dir, "s")
	if err != nil {
		t.Fatal(err)
	}
	if e.URL != srv.URL+"/a" || e.SHA256 != hashText(e.Text) || e.Retrieved.IsZero() || len(e.Quotes) != 1 {
		t.Fatalf("entry %+v", e)
	}
	q := e.Quotes[0]
	if e.Text[q.Start:q.End] != "the talks went well" || q.Sentence != "The envoy said the talks went well, aides added." || q.Record != "n0" {
		t.Errorf("quote %+v", q)
	}

	srv.Close()
	before := requests
	rep, err = Verify(context.Background(), in, Options{Fetcher: fastFetcher(), Archive: dir, Offline: true})
	if err != nil || rep.Verified != 1 || rep.NotFound != 1 || rep.Fetched != 0 || requests != before {
		t.Fatalf("offline: %v %+v, %d requests", err, rep, requests-before)
	}
	rep, err = Verify(context.Background(), in, Options{Archive: t.TempDir(), Offline: true})
	if err != nil || rep.Unreachable != 1 || !strings.Contains(findingsOf(rep)[0], "is not in the archive") {
		t.Fatalf("empty archive: %v %v", err, findingsOf(rep))
	}
}

func TestSentence(t *testing.T) {
	text := "One. Two words here! Three"
	for _, c := range []struct {
		start, end int
		want       string
	}{{5, 8, "Two words here!"}, {0, 3, "One."}, {21, 26, "Three"}} {
		if got := Sentence(text, c.start, c.end); got != c.want {
			t.Errorf("Sentence(%d, %d) = %q, want %q", c.start, c.end, got, c.want)
		}
	}
}

func TestSourceChanged(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<p>The page as it reads now.</p>")
	}))
	defer srv.Close()
	now := hashText("The page as it reads now.")
	seed := func(sum string) string {
		return "sources:\n  - id: s\n    publisher: P\n    title: T\n    url: " + srv.URL + "\n    published: \"2025\"\n    reliability: low\n" +
			"    archived:\n      sha256: " + sum + "\n      retrieved: \"2025-06-01\"\n" +
			"nodes:\n  - id: n\n    kind: Person\n    name: N\n    evidence:\n      - source: s\n        quote: as it reads now\n"
	}
	old := strings.Repeat("ab", 32)
	for sum, want := range map[string]string{
		old: ":9:15: warning: source s changed since it was verified on 2025-06-01 (sha256 now " + now + "): check its quotes, then update archived [source-changed]",
		now: "",
	} {
		p := filepath.Join(t.TempDir(), "s.yaml")
		if err := os.WriteFile(p, []byte(seed(sum)), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, f := range schema.Validate(schema.PathInputs([]string{p}), schema.Default()) {
			if f.Severity == schema.SeverityError {
				t.Fatalf("the seed does not validate: %v", f)
			}
		}
		rep := run(t, p, fastFetcher())
		got := strings.Join(findingsOf(rep), "\n")
		if want == "" && got != "" || want != "" && got != p+want {
			t.Errorf("archived %s: findings\n%s\nwant\n%s", sum[:4], got, p+want)
		}
		if rep.Verified != 1 {
			t.Errorf("verified %d", rep.Verified)
		}
	}
}
