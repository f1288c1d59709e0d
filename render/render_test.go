package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/queries/querytest"
	"github.com/backchannel/backchannel/schema"
)

func TestMain(m *testing.M) { neo4jtest.Main(m) }

// svgElement is an element of an SVG document, as far as the tests look.
type svgElement struct {
	Name     string
	ID       string
	Class    string
	Stroke   string
	Text     string
	Children []*svgElement
}

// parseSVG decodes an SVG document into a tree, failing on anything not well-formed.
func parseSVG(t *testing.T, data []byte) *svgElement {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	root := &svgElement{}
	stack := []*svgElement{root}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		top := stack[len(stack)-1]
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &svgElement{Name: tok.Name.Local}
			for _, a := range tok.Attr {
				switch a.Name.Local {
				case "id":
					e.ID = a.Value
				case "class":
					e.Class = a.Value
				case "stroke":
					e.Stroke = a.Value
				}
			}
			top.Children = append(top.Children, e)
			stack = append(stack, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.Text += string(tok)
		}
	}
	if len(stack) != 1 || len(root.Children) != 1 || root.Children[0].Name != "svg" {
		t.Fatalf("the document is not one <svg> element")
	}
	return root.Children[0]
}

func (e *svgElement) walk(fn func(*svgElement)) {
	fn(e)
	for _, c := range e.Children {
		c.walk(fn)
	}
}

// needGraphviz skips a test without Graphviz, or fails it under CI=true, where .ci/run
// installs it.
func needGraphviz(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("dot"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and Graphviz's dot is not installed: %v", err)
		}
		t.Skipf("Graphviz's dot is not installed (apt-get install graphviz): %v", err)
	}
}

func TestCuratedNetworkSVG(t *testing.T) {
	needGraphviz(t)
	db := neo4jtest.Open(t)
	querytest.LoadSeeds(t, db)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	g, err := queries.RunGraph(ctx, db, queries.Network, map[string]any{"date": nil})
	if err != nil {
		t.Fatal(err)
	}
	data, err := Graphviz(ctx, DOT(g, schema.Default(), "The curated network"), "svg")
	if err != nil {
		t.Fatal(err)
	}
	svg := parseSVG(t, data)

	t.Run("every main actor is drawn with its name, in its kind's colour", func(t *testing.T) {
		v := schema.Default()
		for _, a := range []struct{ id, name, kind string }{
			{"usa", "United States", "State"}, {"israel", "Israel", "State"}, {"hamas", "Hamas", "NonStateArmedGroup"},
			{"egypt", "Egypt", "State"}, {"qatar", "Qatar", "State"}, {"iran", "Iran", "State"},
			{"houthis", "Houthis", "NonStateArmedGroup"},
		} {
			var node *svgElement
			svg.walk(func(e *svgElement) {
				if e.ID == "node-"+a.id {
					node = e
				}
			})
			if node == nil {
				t.Errorf("no node %s", a.id)
				continue
			}
			var caption, fill string
			node.walk(func(e *svgElement) {
				if e.Name == "text" {
					caption += e.Text
				}
			})
			if caption != a.name {
				t.Errorf("node %s is captioned %q, want %q", a.id, caption, a.name)
			}
			fill = fillOf(data, a.id)
			if want := strings.ToLower(v.Kind(a.kind).Color); fill != want {
				t.Errorf("node %s is filled %q, want %s's %s", a.id, fill, a.kind, want)
			}
		}
	})

	t.Run("edges are coloured by the sign of their influence", func(t *testing.T) {
		want := map[string]string{"positive": strings.ToLower(schema.SignColor(1)), "negative": strings.ToLower(schema.SignColor(-1))}
		count := map[string]int{}
		svg.walk(func(e *svgElement) {
			if !strings.HasPrefix(e.Class, "edge ") {
				return
			}
			sign := strings.TrimPrefix(e.Class, "edge ")
			count[sign]++
			e.walk(func(p *svgElement) {
				if p.Name == "path" && p.Stroke != want[sign] {
					t.Errorf("edge %s (%s) is stroked %q, want %q", e.ID, sign, p.Stroke, want[sign])
				}
			})
		})
		if count["positive"] == 0 || count["negative"] == 0 || count["neutral"] != 0 {
			t.Errorf("edges by sign: %v; want both positive and negative ones and no neutral one", count)
		}
		for id, sign := range map[string]string{"rel-usa-attacks-houthis-2025": "negative", "rel-egypt-mediates-for-hamas-2025-01": "positive"} {
			found := false
			svg.walk(func(e *svgElement) { found = found || (e.ID == id && e.Class == "edge "+sign) })
			if !found {
				t.Errorf("no %s edge %s", sign, id)
			}
		}
	})

	t.Run("labels give type and signed strength", func(t *testing.T) {
		var texts []string
		svg.walk(func(e *svgElement) {
			if e.Name == "text" {
				texts = append(texts, e.Text)
			}
		})
		all := strings.Join(texts, "\n")
		for _, label := range []string{"ATTACKS \u22121", "NEGOTIATES_WITH +0.7"} {
			if !strings.Contains(all, label) {
				t.Errorf("no label %q in the picture", label)
			}
		}
	})
}

// fillOf is the fill colour of the ellipse of node id in a Graphviz SVG.
func fillOf(svg []byte, id string) string {
	s := string(svg)
	i := strings.Index(s, `id="node&#45;`+strings.ReplaceAll(id, "-", "&#45;")+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], `<ellipse fill="`)
	if j < 0 {
		return ""
	}
	rest := s[i+j+len(`<ellipse fill="`):]
	return rest[:strings.IndexByte(rest, '"')]
}

func TestDOTGroupsParallelRelationshipsAndQuotes(t *testing.T) {
	g := &queries.Graph{
		Nodes: []schema.GraphNode{
			{ID: "a", Labels: []string{"Actor", "State"}, Props: map[string]any{"name": `The "A" state`}},
			{ID: "b", Labels: []string{"Actor", "NonStateArmedGroup"}, Props: map[string]any{"name": "B"}},
		},
		Rels: []schema.GraphRel{
			{ID: "r1", Type: "MEDIATES_FOR", From: "a", To: "b", Props: map[string]any{"sign": int64(1), "strength": 0.5}},
			{ID: "r2", Type: "MEDIATES_FOR", From: "a", To: "b", Props: map[string]any{"sign": int64(1), "strength": 0.5}},
			{ID: "r3", Type: "CONSULTS", From: "a", To: "b", Props: map[string]any{"sign": int64(1), "strength": 0.1}},
			{ID: "r4", Type: "ATTACKS", From: "b", To: "a", Props: map[string]any{"sign": int64(-1), "strength": 1.0}},
			{ID: "r5", Type: "NEGOTIATES_WITH", From: "b", To: "a", Props: map[string]any{"sign": int64(1), "strength": 0.7, "symmetric": true}},
		},
	}
	dot := string(DOT(g, schema.Default(), "t"))
	for _, want := range []string{
		`"a" [label="The \"A\" state", fillcolor="#4C8EDA"`,
		// one line per sign and direction, its label a node on it, listing the types
		`"label r1" [shape=box, style="filled,rounded", fillcolor="#FFFFFF", color="#FFFFFF", penwidth=0, margin="0.03,0.01", fontsize=11, fontcolor="#357A38", label="MEDIATES_FOR +0.5 ×2\nCONSULTS +0.1", tooltip="r1, r2, r3"`,
		`"a" -> "label r1" [color="#4CAF50", penwidth=3, len=1.23, tooltip="r1, r2, r3", class="positive", dir=none, id="rel-r1-from"];`,
		`"label r1" -> "b" [color="#4CAF50", penwidth=3, len=1.23, tooltip="r1, r2, r3", class="positive", dir=forward, id="rel-r1"];`,
		`"label r4" -> "a" [color="#E53935", penwidth=5, len=1.10, tooltip="r4", class="negative", dir=forward, id="rel-r4"];`,
		`label="ATTACKS −1"`,
		`"label r5" -> "b" [color="#4CAF50", penwidth=4, len=1.10, tooltip="r5", class="positive", dir=none, id="rel-r5"];`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks\n%s\nin\n%s", want, dot)
		}
	}
}

func TestPathsDOTDrawsEachPathApartWithItsDirections(t *testing.T) {
	g := &queries.Graph{
		Nodes: []schema.GraphNode{
			{ID: "a", Labels: []string{"Actor", "State"}, Props: map[string]any{"name": "A"}},
			{ID: "b", Labels: []string{"Actor", "State"}, Props: map[string]any{"name": "B"}},
			{ID: "c", Labels: []string{"Actor", "NonStateArmedGroup"}, Props: map[string]any{"name": "C"}},
		},
		Rels: []schema.GraphRel{
			{ID: "ab", Type: "NEGOTIATES_WITH", From: "b", To: "a", Props: map[string]any{"sign": int64(1), "strength": 0.7, "symmetric": true}},
			{ID: "bc", Type: "ATTACKS", From: "b", To: "c", Props: map[string]any{"sign": int64(-1), "strength": 1.0}},
			{ID: "ca", Type: "SUPPORTS", From: "a", To: "c", Props: map[string]any{"sign": int64(1), "strength": 0.5}},
		},
		Paths: []queries.GraphPath{
			{Caption: "coercive #1, strength 0.7", Nodes: []string{"a", "b", "c"}, Rels: []string{"ab", "bc"}},
			{Caption: "cooperative #1, strength 0.5", Nodes: []string{"c", "a"}, Rels: []string{"ca"}},
		},
	}
	dot := string(PathsDOT(g, schema.Default(), "t"))
	for _, want := range []string{
		`subgraph "cluster_p1" {` + "\n" + `    label="1. coercive #1, strength 0.7";`,
		`subgraph "cluster_p2" {` + "\n" + `    label="2. cooperative #1, strength 0.5";`,
		`"p1 a" [label="A"`, `"p1 b" [label="B"`, `"p1 c" [label="C"`, `"p2 c" [label="C"`, `"p2 a" [label="A"`,
		`"p1 a" -> "p1 b" [color="#4CAF50", fontcolor="#357A38", penwidth=4, dir=none, label="NEGOTIATES_WITH +0.7"`,
		`"p1 b" -> "p1 c" [color="#E53935", fontcolor="#A02725", penwidth=5, dir=forward, label="ATTACKS −1"`,
		// followed from c to a, against the relationship a -> c: the arrow points back
		`"p2 c" -> "p2 a" [color="#4CAF50", fontcolor="#357A38", penwidth=3, dir=back, label="SUPPORTS +0.5"`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks\n%s\nin\n%s", want, dot)
		}
	}
	if i, j := strings.Index(dot, "cluster_p1"), strings.Index(dot, "cluster_p2"); i < j {
		t.Errorf("path 1 is written before path 2: with rankdir=LR Graphviz would draw it below")
	}
}

func TestNothingToDrawSaysWhy(t *testing.T) {
	draw := []string{"influence-paths", "shortest-path"}
	for _, c := range []struct {
		name string
		g    *queries.Graph
		want string
	}{
		{"mediators", &queries.Graph{Rows: 2}, "render: mediators returns a table, not a graph (backchannel query run mediators shows it); render draws the paths of influence-paths and shortest-path"},
		{"influence-paths", &queries.Graph{}, "render: influence-paths returned no rows for these parameters, so nothing to draw (backchannel query run influence-paths shows the same)"},
		{"network", &queries.Graph{}, "render: no influence relationships to draw (none in force on that day, or the graph is empty: backchannel load)"},
	} {
		if got := NothingToDraw(c.name, c.g, draw).Error(); got != c.want {
			t.Errorf("%s, %d rows:\n got %s\nwant %s", c.name, c.g.Rows, got, c.want)
		}
	}
}

func TestStoredQueriesThatDrawPaths(t *testing.T) {
	lib, err := queries.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range lib {
		if DrawsPaths(q) {
			got = append(got, q.Name)
		}
	}
	if want := []string{"influence-paths", "shortest-path"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("queries that draw paths: %v, want %v", got, want)
	}
}
