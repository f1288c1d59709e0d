package queries

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// Graph is the nodes and relationships a query returned, as Neo4j Browser draws them:
// every node, relationship and path in any column, inside lists and maps too, each once.
// Property values are plain, as in Result; a relationship goes from one node ID to another.
type Graph struct {
	// Nodes are sorted by id, Rels by id then type.
	Nodes []schema.GraphNode
	Rels  []schema.GraphRel
	// Paths are the paths the query returned, one per path value, in the order of the
	// rows (a path query's ranking).
	Paths []GraphPath
	// Rows is how many rows the query returned, graph elements in them or not.
	Rows int
}

// GraphPath is one path a query returned: its nodes and relationships in the path's
// order (their ids, as in Graph.Nodes and Graph.Rels), and a caption from its row's
// kind, rank and strength columns when it has them ("cooperative #1, strength 0.7").
type GraphPath struct {
	Caption string
	Nodes   []string
	Rels    []string
}

// Network is the influence network: every relationship with a strength between two
// actors, in force on $date when it is given (since <= date <= until; a missing bound is
// open), as the as-of query has it.
var Network = &Query{
	Name:   "network",
	Params: []Param{{Name: "date", Type: TypeDate, Meaning: "the day the relationships are in force; null: all"}},
	Cypher: `MATCH p = (a:Actor)-[r]->(b:Actor)
WHERE r.strength IS NOT NULL
  AND ($date IS NULL OR ((r.sinceStart IS NULL OR r.sinceStart <= $date)
                         AND (r.untilEnd IS NULL OR $date <= r.untilEnd)))
RETURN p`,
}

// RunGraph runs q as Run does and returns the graph of what it returned.
func RunGraph(ctx context.Context, db *neo4jconn.DB, q *Query, params map[string]any) (*Graph, error) {
	var g graphBuilder
	_, err := read(ctx, db, q, params, func() func(*neo4j.Record) error {
		g = graphBuilder{nodes: map[string]schema.GraphNode{}, rels: map[string]schema.GraphRel{}}
		return func(rec *neo4j.Record) error {
			g.rows++
			for _, v := range rec.Values {
				g.add(v)
				if p, ok := v.(dbtype.Path); ok {
					g.paths = append(g.paths, pathOf(p, rec))
				}
			}
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	return g.graph(), nil
}

type graphBuilder struct {
	nodes map[string]schema.GraphNode // by element ID
	rels  map[string]schema.GraphRel  // by element ID
	// ends holds the relationships seen: they are matched to their nodes at the end,
	// since a relationship's nodes may come in another value or a later record.
	ends  []dbtype.Relationship
	paths []GraphPath
	rows  int
}

// pathOf is a path value of rec, captioned by rec's kind, rank and strength columns.
func pathOf(p dbtype.Path, rec *neo4j.Record) GraphPath {
	gp := GraphPath{}
	for _, n := range p.Nodes {
		gp.Nodes = append(gp.Nodes, idOf(n.Props, n.ElementId))
	}
	for _, r := range p.Relationships {
		gp.Rels = append(gp.Rels, idOf(r.Props, r.ElementId))
	}
	var parts []string
	if kind, ok := rec.Get("kind"); ok && kind != nil {
		parts = append(parts, fmt.Sprint(kind))
	}
	if rank, ok := rec.Get("rank"); ok && rank != nil {
		parts = append(parts, fmt.Sprintf("#%v", rank))
	}
	caption := strings.Join(parts, " ")
	if strength, ok := rec.Get("strength"); ok && strength != nil {
		if f, isFloat := strength.(float64); isFloat {
			strength = strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64)
		}
		caption = strings.TrimPrefix(caption+fmt.Sprintf(", strength %v", strength), ", ")
	}
	gp.Caption = caption
	return gp
}

func (g *graphBuilder) add(v any) {
	switch v := v.(type) {
	case dbtype.Node:
		if _, ok := g.nodes[v.ElementId]; !ok {
			g.nodes[v.ElementId] = schema.GraphNode{ID: idOf(v.Props, v.ElementId), Labels: toStrings(v.Labels), Props: plain(v.Props).(map[string]any)}
		}
	case dbtype.Relationship:
		g.ends = append(g.ends, v)
	case dbtype.Path:
		for _, n := range v.Nodes {
			g.add(n)
		}
		for _, r := range v.Relationships {
			g.add(r)
		}
	case []any:
		for _, x := range v {
			g.add(x)
		}
	case map[string]any:
		for _, x := range v {
			g.add(x)
		}
	}
}

func (g *graphBuilder) graph() *Graph {
	out := &Graph{Paths: g.paths, Rows: g.rows}
	for _, r := range g.ends {
		from, okf := g.nodes[r.StartElementId]
		to, okt := g.nodes[r.EndElementId]
		if !okf || !okt {
			continue // Browser too draws a relationship only with both its nodes
		}
		if _, dup := g.rels[r.ElementId]; dup {
			continue
		}
		g.rels[r.ElementId] = schema.GraphRel{ID: idOf(r.Props, r.ElementId), Type: r.Type, From: from.ID, To: to.ID, Props: plain(r.Props).(map[string]any)}
	}
	for _, n := range g.nodes {
		out.Nodes = append(out.Nodes, n)
	}
	for _, r := range g.rels {
		out.Rels = append(out.Rels, r)
	}
	slices.SortFunc(out.Nodes, func(a, b schema.GraphNode) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(out.Rels, func(a, b schema.GraphRel) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Type, b.Type), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return out
}

// idOf is an entity's id property, or its element ID when it has none.
func idOf(props map[string]any, elementID string) string {
	if id, ok := props["id"].(string); ok && id != "" {
		return id
	}
	return elementID
}

func toStrings(ss []string) []string { return slices.Sorted(slices.Values(ss)) }
