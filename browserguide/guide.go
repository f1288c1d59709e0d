// Package browserguide builds a Neo4j Browser guide from the project's own parts: the
// Browser style (schema.Vocabulary.GraSS), the actors of a seed set and the stored
// queries (queries.Library). Nothing is copied: a query or an actor added or changed
// shows up in the next guide served.
//
// The page follows the guide format of Neo4j Browser 5 (`:play URL`): an HTML file whose
// <slide> elements become the guide's slides, whose <title> is its title, and whose
// <pre class="runnable"> blocks Browser turns into code that a click puts into the editor,
// and that the play icon Browser adds in front of each one runs at once. Browser only
// fetches guides from hosts on its allowlist (`browser.remote_content_hostname_allowlist`,
// by default guides.neo4j.com and localhost), from a server that allows cross-origin
// requests: Handler does both.
package browserguide

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

// File is the guide's file name, in the served URL and in the folder written by --out.
const File = "backchannel.html"

// Actor is one row of the first slide's table.
type Actor struct {
	ID, Name, Kind string
	Aliases        []string
	// Color is the Browser style's colour of the actor's kind.
	Color string
}

// Guide is what a guide is made of.
type Guide struct {
	// Grass is the Browser style sheet the first slide applies.
	Grass   string
	Actors  []Actor
	Queries []*queries.Query
	// Network is the query of the whole influence network, the first slide's last step.
	Network *queries.Query
	// Names maps actor IDs to names: a query's actor parameters are shown by name,
	// which the stored queries resolve (ID, name or alias) through the full-text index.
	Names map[string]string
	// Covers is the span the seed inputs declare they are curated for (covers:), the
	// first file's that does; nil when none does.
	Covers *Span
}

// Span is a dataset's span as the first slide shows it: its first and last day.
type Span struct {
	From, Until string // e.g. 15 January 2025
}

// SlideOrder is the order of the query slides: the main question first (how one actor
// reaches another), the net ties and the contested places, then who stands between actors, then the views of the graph on a
// day and the evidence behind a relationship. A query not named here follows, by name.
var SlideOrder = []string{
	"influence-paths", "shortest-path", "net-influence", "ties", "imbalances", "mediators", "brokers", "proxies",
	"balance", "conflicting-demands", "timeline", "as-of", "evidence",
}

// New gathers a guide: the actors of the seed inputs (sorted by kind as the vocabulary
// lists them, then by name) and every stored query of lib, in SlideOrder.
func New(in []schema.Input, v *schema.Vocabulary, lib *queries.Library) (*Guide, error) {
	g := &Guide{Grass: v.GraSS(), Queries: lib.List(), Network: queries.Network, Names: map[string]string{}}
	slices.SortStableFunc(g.Queries, func(a, b *queries.Query) int {
		i, j := slices.Index(SlideOrder, a.Name), slices.Index(SlideOrder, b.Name)
		if i < 0 {
			i = len(SlideOrder)
		}
		if j < 0 {
			j = len(SlideOrder)
		}
		if i != j {
			return i - j
		}
		return strings.Compare(a.Name, b.Name)
	})
	_, err := schema.WalkCovers(in, func(r schema.Record) error {
		n := r.Node
		if n == nil {
			return nil
		}
		k := v.Kind(n.Kind)
		if k == nil || !k.IsActor() {
			return nil
		}
		g.Actors = append(g.Actors, Actor{ID: n.ID, Name: n.Name, Kind: n.Kind, Aliases: n.Aliases, Color: k.Color})
		g.Names[n.ID] = n.Name
		return nil
	}, func(s schema.Span) {
		if g.Covers == nil {
			first, last := s.Days()
			g.Covers = &Span{From: first.Format(dayLayout), Until: last.Format(dayLayout)}
		}
	})
	if err != nil {
		return nil, err
	}
	kinds := v.KindNames()
	slices.SortStableFunc(g.Actors, func(a, b Actor) int {
		if d := slices.Index(kinds, a.Kind) - slices.Index(kinds, b.Kind); d != 0 {
			return d
		}
		return strings.Compare(a.Name, b.Name)
	})
	return g, nil
}

// dayLayout writes a day of the span as the first slide shows it.
const dayLayout = "2 January 2006"

//go:embed guide.html.tmpl
var pageText string

var page = template.Must(template.New("guide").Funcs(template.FuncMap{
	"statement": Statement,
}).Parse(pageText))

// HTML renders the guide page.
func (g *Guide) HTML() ([]byte, error) {
	type slide struct {
		*queries.Query
		Params string
		// Paths says the query returns paths, which Browser draws.
		Paths bool
	}
	data := struct {
		*Guide
		Slides []slide
	}{Guide: g}
	for _, q := range g.Queries {
		data.Slides = append(data.Slides, slide{q, g.ParamLines(q), slices.Contains(q.Columns, "path")})
	}
	var b bytes.Buffer
	if err := page.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ParamLines is the Browser `:param` block that sets a query's parameters to their
// defaults, actors by name. Parameters without a default are left out.
func (g *Guide) ParamLines(q *queries.Query) string {
	var b strings.Builder
	for _, p := range q.Params {
		if !p.HasDefault {
			continue
		}
		lit := p.Type.Literal(g.byName(p))
		b.WriteString(":param " + p.Name + " => " + lit + ";\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// byName is a parameter's default with actor IDs replaced by their names.
func (g *Guide) byName(p queries.Param) string {
	switch p.Type {
	case queries.TypeActor:
		if n, ok := g.Names[p.Default]; ok {
			return n
		}
	case queries.TypeActors:
		ids := strings.Split(p.Default, ",")
		for i, id := range ids {
			if n, ok := g.Names[strings.TrimSpace(id)]; ok && !strings.Contains(n, ",") {
				ids[i] = n
			}
		}
		return strings.Join(ids, ",")
	}
	return p.Default
}

// Statement is a query file without its header: the Cypher a guide slide runs.
func Statement(q *queries.Query) string {
	lines := strings.Split(strings.ReplaceAll(q.Cypher, "\r\n", "\n"), "\n")
	for i, l := range lines {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "//") {
			return strings.TrimSpace(strings.Join(lines[i:], "\n"))
		}
	}
	return strings.TrimSpace(q.Cypher)
}

// Handler serves the guide at /File, with the headers that let Neo4j Browser (another
// origin) fetch it: Browser asks with no-cache headers, so it sends a CORS preflight
// (OPTIONS) first.
func Handler(page []byte) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("OPTIONS /"+File, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Access-Control-Allow-Methods", "GET")
		w.Header().Set("Access-Control-Allow-Headers", r.Header.Get("Access-Control-Request-Headers"))
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /"+File, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(page)
	})
	return mux
}
