// Package render draws a graph (queries.Graph) as a picture, coloured like the Neo4j
// Browser style: nodes in their kind's colour (schema/vocabulary.yaml), captioned by
// name; influence relationships green for cooperation and red for conflict, as thick as
// they are strong, each labelled with its type and signed strength (+0.7, -1).
//
// The picture is written in Graphviz's DOT language; Graphviz (the `dot` program, from
// Debian's graphviz package) lays it out and writes SVG or PNG. Graphviz was chosen over
// a layout of our own because its force-directed layout (neato) with overlap removal
// keeps captions and labels readable on a dense network, and it writes both formats.
package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"math"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

// Formats are the output formats, by file extension.
var Formats = []string{"svg", "png", "dot"}

// ErrNoGraphviz is returned when a picture is asked for and Graphviz is not installed.
var ErrNoGraphviz = errors.New("graphviz's dot program is not installed (Debian: apt-get install graphviz); --format dot writes the graph without it")

// DOT writes g in Graphviz's language, titled title, with a legend of the kinds drawn
// and of the relationship colours, as one graph (PathsDOT draws a path query's answer
// path by path): the relationships between two nodes with one sign and
// direction are one line, labelled one line per type, ×N when N share a type (two
// sources, two periods). A line's label is a node of the layout, placed on the line, so
// that overlap removal keeps every label clear of the others and of the actors (an
// edge label is placed after the layout, where it may fall on another). Nodes, labels
// and lines carry ids (node-ID, label-ID, rel-ID) and lines a class (positive, negative,
// neutral) in the SVG.
func DOT(g *queries.Graph, v *schema.Vocabulary, title string) []byte {
	var b bytes.Buffer
	b.WriteString("digraph backchannel {\n")
	b.WriteString("  graph [layout=neato, mode=major, overlap=prism, overlap_scaling=-3, sep=\"+14\", esep=\"+6\", splines=true, outputorder=edgesfirst, bgcolor=\"#FFFFFF\", pad=0.4, fontname=\"DejaVu Sans\", labelloc=t];\n")
	b.WriteString("  node [shape=ellipse, style=filled, penwidth=2, fontname=\"DejaVu Sans\", fontsize=14, fontcolor=\"#FFFFFF\", margin=\"0.14,0.07\"];\n")
	b.WriteString("  edge [fontname=\"DejaVu Sans\", fontsize=11, arrowsize=0.9];\n")
	kinds := writeNodes(&b, g.Nodes, v, "", "")
	lines := edges(g)
	degree := map[string]int{} // lines per node
	for _, e := range lines {
		degree[e.from]++
		degree[e.to]++
	}
	for _, e := range lines {
		width := 1
		if e.hasStrength {
			width = schema.ShaftWidth(e.strength)
		}
		color := schema.SignColor(e.sign)
		// Lines between two busy nodes are longer, so that their labels find room.
		length := 1.6 + 0.12*float64(min(degree[e.from], degree[e.to])) + 0.25*float64(len(e.labels))
		label := quote("label " + e.ids[0])
		fmt.Fprintf(&b, "  %s [shape=box, style=\"filled,rounded\", fillcolor=\"#FFFFFF\", color=\"#FFFFFF\", penwidth=0, margin=\"0.03,0.01\", fontsize=11, fontcolor=%q, label=%s, tooltip=%s, id=%s, class=%q];\n",
			label, darker(color), quote(strings.Join(e.labels, "\n")), quote(strings.Join(e.ids, ", ")), quote("label-"+e.ids[0]), "label "+signClass(e.sign))
		dir := "forward"
		if e.symmetric {
			dir = "none"
		}
		common := fmt.Sprintf("color=%q, penwidth=%d, len=%.2f, tooltip=%s, class=%q", color, width, length/2, quote(strings.Join(e.ids, ", ")), signClass(e.sign))
		fmt.Fprintf(&b, "  %s -> %s [%s, dir=none, id=%s];\n", quote(e.from), label, common, quote("rel-"+e.ids[0]+"-from"))
		fmt.Fprintf(&b, "  %s -> %s [%s, dir=%s, id=%s];\n", label, quote(e.to), common, dir, quote("rel-"+e.ids[0]))
	}
	fmt.Fprintf(&b, "  label=<%s>;\n", legend(title, kinds, "labels: type and signed strength, \u00d7N parallel relationships"))
	b.WriteString("}\n")
	return b.Bytes()
}

// PathsDOT writes g's paths in Graphviz's language, each in a box of its own, left to
// right from the path's first actor to its last, captioned with its place in the answer
// (1., 2., ...) and its row's kind, rank and strength; the boxes follow the answer's
// order, top to bottom (written last to first: with rankdir=LR, Graphviz stacks them
// bottom up). An actor on several paths is drawn in each. Every hop is
// labelled with its relationship's type and signed strength; an arrow points the way the
// relationship is directed (against the path when it was followed backwards), and a
// symmetric one has none. Nodes and lines carry ids pN-node-ID and pN-rel-ID.
func PathsDOT(g *queries.Graph, v *schema.Vocabulary, title string) []byte {
	var b bytes.Buffer
	b.WriteString("digraph backchannel {\n")
	b.WriteString("  graph [layout=dot, rankdir=LR, newrank=true, nodesep=0.3, ranksep=0.9, bgcolor=\"#FFFFFF\", pad=0.4, fontname=\"DejaVu Sans\", labelloc=t];\n")
	b.WriteString("  node [shape=ellipse, style=filled, penwidth=2, fontname=\"DejaVu Sans\", fontsize=14, fontcolor=\"#FFFFFF\", margin=\"0.14,0.07\"];\n")
	b.WriteString("  edge [fontname=\"DejaVu Sans\", fontsize=11, arrowsize=0.9];\n")
	nodes := map[string]schema.GraphNode{}
	for _, n := range g.Nodes {
		nodes[n.ID] = n
	}
	rels := map[string]schema.GraphRel{}
	for _, r := range g.Rels {
		rels[r.ID] = r
	}
	var kinds []*schema.NodeKind
	for i := len(g.Paths) - 1; i >= 0; i-- {
		p := g.Paths[i]
		prefix := fmt.Sprintf("p%d", i+1)
		caption := fmt.Sprintf("%d.", i+1)
		if p.Caption != "" {
			caption += " " + p.Caption
		}
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s; labeljust=l; fontsize=13; style=rounded; color=\"#BDBDBD\"; id=%s;\n",
			quote("cluster_"+prefix), quote(caption), quote(prefix))
		var on []schema.GraphNode
		for _, id := range p.Nodes {
			n, ok := nodes[id]
			if !ok {
				n = schema.GraphNode{ID: id}
			}
			on = append(on, n)
		}
		for _, k := range writeNodes(&b, on, v, prefix+" ", prefix+"-") {
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
		for j, id := range p.Rels {
			if j+1 >= len(p.Nodes) {
				break
			}
			r, ok := rels[id]
			if !ok {
				continue
			}
			sign := toInt(r.Props["sign"])
			strength, has := toFloat(r.Props["strength"])
			sym, _ := r.Props["symmetric"].(bool)
			dir := "forward"
			switch {
			case sym:
				dir = "none"
			case r.From != p.Nodes[j]:
				dir = "back"
			}
			width := 1
			label := r.Type
			if has {
				width = schema.ShaftWidth(strength)
				label += " " + signed(sign, strength)
			}
			color := schema.SignColor(sign)
			fmt.Fprintf(&b, "    %s -> %s [color=%q, fontcolor=%q, penwidth=%d, dir=%s, label=%s, tooltip=%s, id=%s, class=%q];\n",
				quote(prefix+" "+p.Nodes[j]), quote(prefix+" "+p.Nodes[j+1]), color, darker(color), width, dir, quote(label),
				quote(r.ID), quote(prefix+"-rel-"+r.ID), signClass(sign))
		}
		b.WriteString("  }\n")
	}
	fmt.Fprintf(&b, "  label=<%s>;\n", legend(title, kinds, "one box a path, in the answer's order; labels: type and signed strength; arrows: the relationship's direction"))
	b.WriteString("}\n")
	return b.Bytes()
}

// writeNodes writes nodes as DOT nodes named prefix+ID, with SVG ids idPrefix+"node-"+ID,
// and returns the kinds among them.
func writeNodes(b *bytes.Buffer, nodes []schema.GraphNode, v *schema.Vocabulary, prefix, idPrefix string) []*schema.NodeKind {
	var kinds []*schema.NodeKind
	for _, n := range nodes {
		color := schema.SignColor(0)
		if k := kindOf(n, v); k != nil {
			color = k.Color
			if !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
		name, _ := n.Props["name"].(string)
		if name == "" {
			name = n.ID
		}
		fmt.Fprintf(b, "  %s [label=%s, fillcolor=%q, color=%q, tooltip=%s, id=%s];\n",
			quote(prefix+n.ID), quote(wrap(name, 16)), color, darker(color), quote(n.ID), quote(idPrefix+"node-"+n.ID))
	}
	return kinds
}

// NothingToDraw is the error for a query whose answer has no nodes: rows without graph
// values (a table), or no rows at all. draw names the stored queries that return paths.
func NothingToDraw(name string, g *queries.Graph, draw []string) error {
	try := strings.Join(draw, " and ")
	switch {
	case name == queries.Network.Name && g.Rows == 0:
		return fmt.Errorf("render: no influence relationships to draw (none in force on that day, or the graph is empty: backchannel load)")
	case g.Rows == 0:
		return fmt.Errorf("render: %s returned no rows for these parameters, so nothing to draw (backchannel query run %s shows the same)", name, name)
	}
	return fmt.Errorf("render: %s returns a table, not a graph (backchannel query run %s shows it); render draws the paths of %s", name, name, try)
}

// DrawsPaths says whether a stored query returns paths to draw (a path column).
func DrawsPaths(q *queries.Query) bool { return slices.Contains(q.Columns, "path") }

// edge is one drawn line: the relationships between two nodes with one sign and
// direction, labelled one line per type and strength, the strongest giving the width.
type edge struct {
	from, to    string
	ids         []string
	labels      []string
	sign        int
	strength    float64
	hasStrength bool
	symmetric   bool
}

// edges groups g's relationships into lines, in g's order.
func edges(g *queries.Graph) []*edge {
	var out []*edge
	lines := map[string]*edge{}
	counts := map[string]int{} // relationships per line and label
	for _, r := range g.Rels {
		sign := toInt(r.Props["sign"])
		strength, has := toFloat(r.Props["strength"])
		sym, _ := r.Props["symmetric"].(bool)
		from, to := r.From, r.To
		if sym && from > to {
			from, to = to, from
		}
		key := fmt.Sprint(from, "\x00", to, "\x00", sign, "\x00", sym)
		e, ok := lines[key]
		if !ok {
			e = &edge{from: from, to: to, sign: sign, symmetric: sym}
			lines[key] = e
			out = append(out, e)
		}
		e.ids = append(e.ids, r.ID)
		if has && (!e.hasStrength || strength > e.strength) {
			e.strength, e.hasStrength = strength, true
		}
		label := r.Type
		if has {
			label += " " + signed(sign, strength)
		}
		counts[key+"\x00"+label]++
		if n := counts[key+"\x00"+label]; n == 1 {
			e.labels = append(e.labels, label)
		} else {
			for i, l := range e.labels {
				if strings.HasPrefix(l, label) && (l == label || strings.HasPrefix(l, label+" \u00d7")) {
					e.labels[i] = fmt.Sprintf("%s \u00d7%d", label, n)
				}
			}
		}
	}
	return out
}

// legend is the picture's label: the title, the kinds drawn in their colours, and what
// the relationship colours and labels mean (an HTML-like Graphviz label).
func legend(title string, kinds []*schema.NodeKind, labels string) string {
	var b strings.Builder
	b.WriteString(`<table border="0" cellspacing="4" cellpadding="2">`)
	fmt.Fprintf(&b, `<tr><td><font point-size="24">%s</font></td></tr><tr><td align="center"><table border="0" cellspacing="6" cellpadding="3"><tr>`, html.EscapeString(title))
	for _, k := range kinds {
		fmt.Fprintf(&b, `<td bgcolor="%s" style="rounded"><font color="#FFFFFF" point-size="12"> %s </font></td>`, k.Color, html.EscapeString(k.Kind))
	}
	fmt.Fprintf(&b, `</tr></table></td></tr><tr><td><font point-size="12"><font color="%s">green: cooperation</font>, <font color="%s">red: conflict</font>, `+
		`thicker: stronger; %s</font></td></tr>`,
		darker(schema.SignColor(1)), darker(schema.SignColor(-1)), html.EscapeString(labels))
	b.WriteString(`</table>`)
	return b.String()
}

// signClass is an edge's SVG class: positive, negative or neutral.
func signClass(sign int) string {
	switch {
	case sign > 0:
		return "positive"
	case sign < 0:
		return "negative"
	}
	return "neutral"
}

// Graphviz lays dot out and writes it as format (svg or png).
func Graphviz(ctx context.Context, dot []byte, format string) ([]byte, error) {
	bin, err := exec.LookPath("dot")
	if err != nil {
		return nil, ErrNoGraphviz
	}
	cmd := exec.CommandContext(ctx, bin, "-T"+format)
	cmd.Stdin = bytes.NewReader(dot)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("graphviz: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out.Bytes(), nil
}

// kindOf is the node's kind: the first of its labels that the vocabulary knows.
func kindOf(n schema.GraphNode, v *schema.Vocabulary) *schema.NodeKind {
	for _, l := range n.Labels {
		if k := v.Kind(l); k != nil {
			return k
		}
	}
	return nil
}

// signed is a strength with its sign: +0.7, -1, 0.
func signed(sign int, strength float64) string {
	s := strconv.FormatFloat(math.Round(strength*100)/100, 'f', -1, 64)
	switch {
	case sign > 0:
		return "+" + s
	case sign < 0:
		return "\u2212" + s // a minus sign, wider than a hyphen
	}
	return s
}

// wrap breaks a caption into lines of about width characters, at spaces.
func wrap(s string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}

// darker is a colour at 70% brightness, for borders and labels.
func darker(hex string) string {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		return hex
	}
	r, g, b := v>>16&0xff*7/10, v>>8&0xff*7/10, v&0xff*7/10
	return fmt.Sprintf("#%02X%02X%02X", r, g, b)
}

// quote is a DOT string literal.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func toInt(v any) int {
	switch v := v.(type) {
	case int64:
		return int(v)
	case float64:
		return int(v)
	}
	return 0
}

func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}
