package render

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/queries/querytest"
	"github.com/backchannel/backchannel/schema"
)

// box is a rectangle of a laid-out picture, in points, and what it belongs to.
type box struct {
	owner, text    string
	x0, y0, x1, y1 float64
}

func (a box) overlaps(b box) bool {
	const slack = 0.5 // points: touching is not overlapping
	return a.x0+slack < b.x1 && b.x0+slack < a.x1 && a.y0+slack < b.y1 && b.y0+slack < a.y1
}

// xdotOp is one drawing operation of Graphviz's JSON output.
type xdotOp struct {
	Op    string    `json:"op"`
	Pt    []float64 `json:"pt"`
	Align string    `json:"align"`
	Width float64   `json:"width"`
	Text  string    `json:"text"`
	Size  float64   `json:"size"`
}

// layout is what the tests read of Graphviz's JSON output.
type layout struct {
	Objects []struct {
		Name   string   `json:"name"`
		Label  string   `json:"label"`
		Pos    string   `json:"pos"`
		Width  string   `json:"width"`
		Height string   `json:"height"`
		Shape  string   `json:"shape"`
		Nodes  []int    `json:"nodes"`
		LDraw  []xdotOp `json:"_ldraw_"`
	} `json:"objects"`
	Edges []struct {
		LDraw  []xdotOp `json:"_ldraw_"`
		HLDraw []xdotOp `json:"_hldraw_"`
		TLDraw []xdotOp `json:"_tldraw_"`
	} `json:"edges"`
}

// texts are the boxes of the text drawn by ops, owned by owner: x from the text's
// alignment and width (Graphviz's own measure), y from its baseline and font size.
func texts(owner string, ops []xdotOp) []box {
	var out []box
	size := 14.0
	for _, op := range ops {
		switch op.Op {
		case "F":
			size = op.Size
		case "T":
			x, y := op.Pt[0], op.Pt[1]
			x0 := x - op.Width/2
			switch op.Align {
			case "l":
				x0 = x
			case "r":
				x0 = x - op.Width
			}
			out = append(out, box{owner: owner, text: op.Text, x0: x0, x1: x0 + op.Width, y0: y - 0.2*size, y1: y + 0.8*size})
		}
	}
	return out
}

// laidOut lays dot out with Graphviz and returns every text drawn (node captions, line
// labels, path captions) and, for each actor node, the rectangle inside its ellipse.
func laidOut(t *testing.T, dot []byte) (text, actors []box, l layout) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	data, err := Graphviz(ctx, dot, "json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &l); err != nil {
		t.Fatalf("graphviz's JSON: %v", err)
	}
	for i, o := range l.Objects {
		owner := fmt.Sprintf("object %d %s", i, o.Name)
		if len(o.Nodes) > 0 || strings.HasPrefix(o.Name, "cluster_") {
			owner = "cluster " + o.Name
		}
		text = append(text, texts(owner, o.LDraw)...)
		if o.Shape == "ellipse" && o.Pos != "" {
			var x, y float64
			if _, err := fmt.Sscanf(o.Pos, "%g,%g", &x, &y); err != nil {
				t.Fatalf("node %s: pos %q: %v", o.Name, o.Pos, err)
			}
			w, _ := strconv.ParseFloat(o.Width, 64)
			h, _ := strconv.ParseFloat(o.Height, 64)
			// the rectangle inscribed in the ellipse, in points
			hw, hh := w*72/2/math.Sqrt2, h*72/2/math.Sqrt2
			actors = append(actors, box{owner: owner, text: o.Label, x0: x - hw, x1: x + hw, y0: y - hh, y1: y + hh})
		}
	}
	for i, e := range l.Edges {
		owner := fmt.Sprintf("edge %d", i)
		text = append(text, texts(owner, e.LDraw)...)
		text = append(text, texts(owner+" head", e.HLDraw)...)
		text = append(text, texts(owner+" tail", e.TLDraw)...)
	}
	return text, actors, l
}

// checkNoOverlap fails for every text that overlaps another's, or an actor it does not
// caption.
func checkNoOverlap(t *testing.T, text, actors []box) {
	t.Helper()
	for i, a := range text {
		for _, b := range text[i+1:] {
			if a.owner != b.owner && a.overlaps(b) {
				t.Errorf("label %q (%s) overlaps label %q (%s)", a.text, a.owner, b.text, b.owner)
			}
		}
		for _, n := range actors {
			if a.owner != n.owner && a.overlaps(n) {
				t.Errorf("label %q (%s) lies on the actor %q", a.text, a.owner, n.text)
			}
		}
	}
}

// keep writes a picture to RENDER_ARTIFACTS/name, when that is set, to be looked at.
func keep(t *testing.T, dot []byte, name string) {
	t.Helper()
	dir := os.Getenv("RENDER_ARTIFACTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	png, err := Graphviz(ctx, dot, "png")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCuratedPicturesLabelsNeverOverlap(t *testing.T) {
	needGraphviz(t)
	db := neo4jtest.Open(t)
	querytest.LoadSeeds(t, db)
	v := schema.Default()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	date, err := queries.TypeDate.Parse("2025-06-02")
	if err != nil {
		t.Fatal(err)
	}
	paths, err := queries.Get("influence-paths")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		q      *queries.Query
		params map[string]any
	}{
		{"network-all-dates", queries.Network, map[string]any{"date": nil}},
		{"network-2025-06-02", queries.Network, map[string]any{"date": date}},
		{"influence-paths-iran-israel", paths, map[string]any{"from": "Iran", "to": "Israel"}},
		{"influence-paths-usa-hamas", paths, map[string]any{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			params := c.params
			if c.q != queries.Network {
				raw := map[string]string{}
				for k, v := range c.params {
					raw[k] = v.(string)
				}
				if params, err = c.q.Bind(raw); err != nil {
					t.Fatal(err)
				}
			}
			g, err := queries.RunGraph(ctx, db, c.q, params)
			if err != nil {
				t.Fatal(err)
			}
			if len(g.Rels) < 5 {
				t.Fatalf("%d relationships: want a picture worth checking", len(g.Rels))
			}
			dot := DOT(g, v, c.name)
			if c.q != queries.Network {
				dot = PathsDOT(g, v, c.name)
			}
			keep(t, dot, c.name+".png")
			text, actors, _ := laidOut(t, dot)
			if len(text) < len(g.Nodes)+5 {
				t.Fatalf("%d texts drawn for %d nodes: the layout was not read", len(text), len(g.Nodes))
			}
			checkNoOverlap(t, text, actors)
			if c.q != queries.Network {
				checkPathBoxes(t, g, text)
			}
		})
	}
}

// checkPathBoxes fails unless every path of g is drawn in a box of its own, captioned
// with its place in the answer, the boxes top to bottom in the answer's order.
func checkPathBoxes(t *testing.T, g *queries.Graph, text []box) {
	t.Helper()
	if len(g.Paths) < 2 {
		t.Fatalf("%d paths: want several to tell apart", len(g.Paths))
	}
	top := math.Inf(1)
	for i, p := range g.Paths {
		want := fmt.Sprintf("%d. %s", i+1, p.Caption)
		var found *box
		for j := range text {
			if text[j].text == want && strings.HasPrefix(text[j].owner, "cluster ") {
				found = &text[j]
			}
		}
		if found == nil {
			t.Errorf("no box captioned %q", want)
			continue
		}
		if found.y0 >= top { // Graphviz's y grows upwards
			t.Errorf("box %q is not below the box before it", want)
		}
		top = found.y0
	}
	if !strings.HasPrefix(g.Paths[0].Caption, "cooperative #1, strength ") {
		t.Errorf("the first path is captioned %q, want its kind, rank and strength", g.Paths[0].Caption)
	}
}
