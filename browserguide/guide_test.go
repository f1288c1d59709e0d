package browserguide

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

func curatedGuide(t *testing.T) (*Guide, string) {
	t.Helper()
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	lib, err := queries.Default()
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(in, schema.Default(), lib)
	if err != nil {
		t.Fatal(err)
	}
	page, err := g.HTML()
	if err != nil {
		t.Fatal(err)
	}
	return g, string(page)
}

// Browser keeps a slide's inner HTML only, so the ids are on its first element.
var slideRe = regexp.MustCompile(`(?s)<slide class="row-fluid">\s*<div class="col-sm-12" id="bc-([a-z-]+)">(.*?)</slide>`)
var runnableRe = regexp.MustCompile(`(?s)<pre class="runnable[^"]*"[^>]*>(.*?)</pre>`)

// slides maps each slide's id to the text of its runnable blocks, unescaped as Browser's
// textContent reads them.
func slides(page string) map[string][]string {
	out := map[string][]string{}
	for _, m := range slideRe.FindAllStringSubmatch(page, -1) {
		blocks := []string{}
		for _, r := range runnableRe.FindAllStringSubmatch(m[2], -1) {
			blocks = append(blocks, html.UnescapeString(r[1]))
		}
		out[m[1]] = blocks
	}
	return out
}

func TestGuideHasASlidePerStoredQueryWithItsOwnText(t *testing.T) {
	g, page := curatedGuide(t)
	got := slides(page)
	if len(got) != len(g.Queries)+1 {
		t.Fatalf("got %d slides, want %d (a first slide and one per query)", len(got), len(g.Queries)+1)
	}
	for _, q := range g.Queries {
		blocks, ok := got[q.Name]
		if !ok {
			t.Errorf("no slide for query %s", q.Name)
			continue
		}
		var want []string
		if g.ParamLines(q) != "" {
			want = append(want, g.ParamLines(q))
		}
		if slices.Contains(q.Columns, "path") {
			// Browser would draw every relationship between the paths' actors
			want = append(want, ":config autoComplete: false")
		}
		want = append(want, Statement(q))
		if strings.Join(blocks, "\n---\n") != strings.Join(want, "\n---\n") {
			t.Errorf("slide %s runs\n%s\nwant\n%s", q.Name, strings.Join(blocks, "\n---\n"), strings.Join(want, "\n---\n"))
		}
		if !strings.Contains(q.Cypher, Statement(q)) || strings.HasPrefix(Statement(q), "//") {
			t.Errorf("Statement(%s) is not the query's statement: %q", q.Name, Statement(q)[:40])
		}
		if !strings.Contains(page, html.EscapeString(q.Description)) {
			t.Errorf("slide %s lacks the query's description", q.Name)
		}
	}
}

func TestGuideSlidesPutTheMainQuestionFirst(t *testing.T) {
	g, page := curatedGuide(t)
	var order []string
	for _, m := range slideRe.FindAllStringSubmatch(page, -1) {
		order = append(order, m[1])
	}
	want := []string{"start", "influence-paths", "shortest-path", "net-influence", "ties", "imbalances", "mediators"}
	if len(order) != len(g.Queries)+1 || !slices.Equal(order[:len(want)], want) {
		t.Errorf("slides in the order %v, want %v first and one per query", order, want)
	}
	for _, name := range SlideOrder {
		if !slices.Contains(order, name) {
			t.Errorf("SlideOrder names %s, which is no stored query", name)
		}
	}
	if !strings.Contains(page, `<pre class="runnable" id="bc-connect">:config autoComplete: false</pre>`) {
		t.Errorf("the first slide does not offer to turn off Connect result nodes")
	}
}

func TestGuideParamsNameActorsAndKeepOtherDefaults(t *testing.T) {
	g, _ := curatedGuide(t)
	q, err := queries.Get("influence-paths")
	if err != nil {
		t.Fatal(err)
	}
	want := ":param from => 'United States';\n:param to => 'Hamas';\n:param asOf => date('2025-06-02');\n:param kind => 'both';\n:param maxHops => 4;\n:param limit => 5;\n:param attenuation => 0.8;\n" +
		":param confidence => 'graded';\n:param aggregation => 'noisy-or';\n:param reading => 'dyad';\n:param scaleType => 'none';\n:param scale => 1.0;"
	if got := g.ParamLines(q); got != want {
		t.Errorf("influence-paths params:\n%s\nwant\n%s", got, want)
	}
}

func TestGuideFirstSlideAppliesTheStyleAndListsTheActors(t *testing.T) {
	g, page := curatedGuide(t)
	first := slides(page)["start"]
	if len(first) == 0 || first[0] != ":style\n"+schema.Default().GraSS() {
		t.Errorf("the first runnable block is not :style followed by schema/browser.grass")
	}
	if n := len(first); n < 2 || first[n-2] != ":param date => null;" || first[n-1] != queries.Network.Cypher {
		t.Errorf("the first slide does not end with the network query and its :param line: %q", first)
	}
	for _, a := range []struct{ id, name string }{
		{"usa", "United States"}, {"israel", "Israel"}, {"hamas", "Hamas"}, {"egypt", "Egypt"},
		{"qatar", "Qatar"}, {"iran", "Iran"}, {"houthis", "Houthis"},
	} {
		row := "<td>" + a.name + "</td><td><code>" + a.id + "</code></td>"
		if !strings.Contains(page, row) {
			t.Errorf("the actors table lacks %s (%s)", a.name, a.id)
		}
	}
	// the span the seeds declare (covers: 2025-01-15/2025-06-02), before the first step
	const covers = `<p id="bc-covers"><strong>Curated for 15 January 2025 to 2 June 2025.</strong>`
	if i := strings.Index(page, covers); i < 0 || i > strings.Index(page, `id="bc-style"`) || i < strings.Index(page, `id="bc-start"`) {
		t.Errorf("the first slide does not show the span before its first step:\n%.1500s", page)
	}
	for _, a := range g.Actors {
		if a.Color == "" || !strings.HasPrefix(a.Color, "#") {
			t.Errorf("actor %s has no style colour: %q", a.ID, a.Color)
		}
	}
}

func TestHandlerServesTheGuideToAnotherOrigin(t *testing.T) {
	srv := httptest.NewServer(Handler([]byte("<title>x</title>")))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/" + File)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "<title>x</title>" {
		t.Errorf("GET /%s: %d %q", File, res.StatusCode, body)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
	}
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/"+File, nil)
	req.Header.Set("Origin", "http://localhost:7474")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "cache-control,pragma")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode/100 != 2 || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
		res.Header.Get("Access-Control-Allow-Headers") != "cache-control,pragma" {
		t.Errorf("preflight: %d, headers %v; want 2xx allowing any origin and the asked headers", res.StatusCode, res.Header)
	}
	res, err = http.Get(srv.URL + "/other.html")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("GET /other.html: %d, want 404", res.StatusCode)
	}
}

// Neo4j Browser 5 cleans a remote guide before showing it (cleanHtml in
// src/shared/services/remoteUtils.ts): it drops on* attributes, <script> elements and
// javascript: links with these patterns, which also match plain text such as Cypher.
var browserCleaners = []*regexp.Regexp{
	regexp.MustCompile(`(?i)(\s+(on[^\s=]+)[^\s=]*\s*=\s*("[^"]*"|'[^']*'|[\w\-.:]+\s*))`),
	regexp.MustCompile(`(?i)<script\b`), // where Browser's removal of a script element starts
	regexp.MustCompile(`href=".*javascript:[^"]*"`),
	regexp.MustCompile(`href='.*javascript:[^']*'`),
}

func TestGuideSurvivesBrowsersCleaning(t *testing.T) {
	_, page := curatedGuide(t)
	for _, re := range browserCleaners {
		if m := re.FindString(page); m != "" {
			t.Errorf("Browser would cut %q out of the guide", m)
		}
	}
}

func TestGuideWithoutASpanShowsNone(t *testing.T) {
	all, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	in := slices.DeleteFunc(all, func(i schema.Input) bool { return i.Name != "seeds/actors.yaml" }) // declares no covers:
	if len(in) != 1 {
		t.Fatalf("inputs %v", in)
	}
	lib, err := queries.Default()
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(in, schema.Default(), lib)
	if err != nil {
		t.Fatal(err)
	}
	page, err := g.HTML()
	if err != nil || g.Covers != nil || strings.Contains(string(page), "bc-covers") {
		t.Errorf("covers %+v, error %v; the page shows a span", g.Covers, err)
	}
}
