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
// and of the relationship colours. The relationships between two nodes with one sign
// and direction are drawn as one line, labelled one line per type, ×N when N share a
// type (two sources, two periods). Nodes and lines carry ids (node-ID, rel-ID) and lines
// a class (positive, negative, neutral) in the SVG.
func DOT(g *queries.Graph, v *schema.Vocabulary, title string) []byte {
	var b bytes.Buffer
	b.WriteString("digraph backchannel {\n")
	b.WriteString("  graph [layout=neato, mode=major, overlap=prism, overlap_scaling=-3, sep=\"+22\", esep=\"+8\", splines=true, outputorder=edgesfirst, bgcolor=\"#FFFFFF\", pad=0.4, fontname=\"DejaVu Sans\", labelloc=t];\n")
	b.WriteString("  node [shape=ellipse, style=filled, penwidth=2, fontname=\"DejaVu Sans\", fontsize=14, fontcolor=\"#FFFFFF\", margin=\"0.14,0.07\"];\n")
	b.WriteString("  edge [fontname=\"DejaVu Sans\", fontsize=11, arrowsize=0.9];\n")
	var kinds []*schema.NodeKind
	for _, n := range g.Nodes {
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
		fmt.Fprintf(&b, "  %s [label=%s, fillcolor=%q, color=%q, tooltip=%s, id=%s];\n",
			quote(n.ID), quote(wrap(name, 16)), color, darker(color), quote(n.ID), quote("node-"+n.ID))
	}
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
		dir := "forward"
		if e.symmetric {
			dir = "none"
		}
		color := schema.SignColor(e.sign)
		// Lines between two busy nodes are longer, so that their labels find room.
		length := 1.6 + 0.12*float64(min(degree[e.from], degree[e.to])) + 0.25*float64(len(e.labels))
		fmt.Fprintf(&b, "  %s -> %s [color=%q, fontcolor=%q, penwidth=%d, dir=%s, len=%.2f, label=%s, tooltip=%s, id=%s, class=%q];\n",
			quote(e.from), quote(e.to), color, darker(color), width, dir, length, quote(strings.Join(e.labels, "\n")),
			quote(strings.Join(e.ids, ", ")), quote("rel-"+e.ids[0]), signClass(e.sign))
	}
	fmt.Fprintf(&b, "  label=<%s>;\n", legend(title, kinds))
	b.WriteString("}\n")
	return b.Bytes()
}

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
func legend(title string, kinds []*schema.NodeKind) string {
	var b strings.Builder
	b.WriteString(`<table border="0" cellspacing="4" cellpadding="2">`)
	fmt.Fprintf(&b, `<tr><td><font point-size="24">%s</font></td></tr><tr><td align="center"><table border="0" cellspacing="6" cellpadding="3"><tr>`, html.EscapeString(title))
	for _, k := range kinds {
		fmt.Fprintf(&b, `<td bgcolor="%s" style="rounded"><font color="#FFFFFF" point-size="12"> %s </font></td>`, k.Color, html.EscapeString(k.Kind))
	}
	fmt.Fprintf(&b, `</tr></table></td></tr><tr><td><font point-size="12"><font color="%s">green: cooperation</font>, <font color="%s">red: conflict</font>, `+
		`thicker: stronger; labels: type and signed strength, `+"\u00d7"+`N parallel relationships</font></td></tr>`,
		darker(schema.SignColor(1)), darker(schema.SignColor(-1)))
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
