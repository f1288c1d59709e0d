package schema

import (
	"math"
	"strings"
)

// GraphNode is a record as Neo4j stores it: labels and properties. Property values are
// strings, float64, int64, []string and time.Time (a calendar day, stored as a Neo4j
// DATE by the loader). Absent fields are absent properties, so that a field removed from
// the YAML is removed from the graph.
type GraphNode struct {
	ID     string
	Labels []string
	Props  map[string]any
}

// GraphRel is a relationship as Neo4j stores it.
type GraphRel struct {
	ID, Type, From, To string
	Props              map[string]any
}

type props map[string]any

func (p props) str(key, v string) {
	if v != "" {
		p[key] = v
	}
}

func (p props) list(key string, v []string) {
	if len(v) > 0 {
		p[key] = v
	}
}

// date stores a partial date as written, its precision, and its first or last day.
func (p props) date(key string, d Date, bound string) {
	if d.IsZero() {
		return
	}
	prec, first, last, err := d.Parse()
	if err != nil {
		return // validated before
	}
	p[key] = d.Text
	p[key+"Precision"] = prec
	switch bound {
	case "start":
		p[key+"Start"] = first
	case "end":
		p[key+"End"] = last
	default:
		p[key+"Start"], p[key+"End"] = first, last
	}
}

func (p props) evidence(ev []Evidence) {
	sources := make([]string, len(ev))
	quotes := make([]string, len(ev))
	notes := make([]string, len(ev))
	for i, e := range ev {
		sources[i], quotes[i], notes[i] = e.Source, e.Quote, e.Note
	}
	p["evidenceSources"], p["evidenceQuotes"], p["evidenceNotes"] = sources, quotes, notes
}

// NodeOf maps a node record to its labels and properties. Evidence is kept as three
// parallel lists: evidenceSources (Source ids), evidenceQuotes and evidenceNotes.
func (v *Vocabulary) NodeOf(n *Node) GraphNode {
	p := props{"id": n.ID, "kind": n.Kind, "name": n.Name}
	p.list("aliases", n.Aliases)
	if len(n.Aliases) > 0 {
		p["aliasText"] = strings.Join(n.Aliases, " | ")
	}
	p.str("description", n.Description)
	if !isQIDPlaceholder(n.Wikidata) {
		p.str("wikidata", n.Wikidata)
	}
	p.str("cameo", n.Cameo)
	p.str("title", n.Title)
	p.date("date", n.Date, "")
	p.date("end", n.End, "")
	p.str("eventCode", n.EventCode)
	p.str("note", n.Note)
	p.evidence(n.Evidence)
	var labels []string
	if k := v.Kind(n.Kind); k != nil {
		labels = k.Labels
	}
	return GraphNode{ID: n.ID, Labels: labels, Props: p}
}

// SourceNodeOf maps a source record to a Source node.
func SourceNodeOf(s *Source) GraphNode {
	p := props{"id": s.ID, "publisher": s.Publisher, "title": s.Title, "reliability": s.Reliability}
	p.str("url", s.URL)
	p.str("file", s.File)
	p.str("author", s.Author)
	p.date("published", s.Published, "")
	p.date("accessed", s.Accessed, "")
	p.str("language", s.Language)
	p.str("note", s.Note)
	return GraphNode{ID: s.ID, Labels: []string{SourceLabel}, Props: p}
}

// RelOf maps a relationship record to its properties, with its influence resolved (the
// README's "The influence model"; schema/vocabulary.yaml):
//   - the tie: cameo, goldstein, sign and strength (|goldstein| / 10), the type's or the
//     record's override, and influenceBasis;
//   - the flow: fwdInfluence (start node to end node) and revInfluence (back), the type's
//     flow, where a forward left to its default follows an overridden tie's strength, and
//     a reverse score on a symmetric relationship sets revInfluence to its strength;
//     flowBasis says why;
//   - confidence, kept apart from the flow: the queries weigh it by the weighting they
//     are asked for (InfluenceModel's presets);
//   - the day bounds of since and until: sinceStart/sinceEnd the earliest and latest day
//     the start may be, untilStart/untilEnd the earliest and latest day the end may be.
func (v *Vocabulary) RelOf(r *Relationship) GraphRel {
	p := props{"id": r.ID, "confidence": r.Confidence}
	p.date("since", r.Since, "")
	p.date("until", r.Until, "")
	p.str("role", r.Role)
	p.str("description", r.Description)
	p.str("note", r.Note)
	if t := v.Type(r.Type); t != nil && t.Influence != nil {
		in := t.Influence.overridden(r.Influence)
		p.str("cameo", in.Cameo)
		if in.Goldstein != nil {
			p["goldstein"] = *in.Goldstein
		}
		p["sign"] = int64(in.Sign)
		p["strength"] = round4(in.Strength)
		conf := v.InfluenceModel.Confidence[r.Confidence]
		p["weight"] = round4(in.Strength * conf) // the v1 queries' weight, until they move to the flow
		// symmetric relationships carry influence both ways; the queries read this.
		p["symmetric"] = t.Symmetric
		p.str("influenceBasis", in.Basis)
		fwd, rev := t.Forward(), t.Backward()
		explicit := func(x *float64) bool { return t.Flow != nil && x != nil }
		if r.Influence != nil && !explicit(flowField(t.Flow, true)) {
			fwd = in.Strength
			if t.Symmetric && !explicit(flowField(t.Flow, false)) {
				rev = in.Strength
			}
		}
		basis := t.FlowBasis()
		if t.Symmetric && r.ReverseInfluence != nil {
			back := t.Influence.overridden(r.ReverseInfluence)
			rev = back.Strength
			p["reverseSign"] = int64(back.Sign)
			p["reverseStrength"] = back.Strength
			p["reverseWeight"] = round4(back.Strength * conf)
			p.str("reverseBasis", back.Basis)
			basis += "; backward: " + back.Basis
		}
		p["fwdInfluence"] = round4(fwd)
		p["revInfluence"] = round4(rev)
		p.str("flowBasis", basis)
	}
	p.evidence(r.Evidence)
	return GraphRel{ID: r.ID, Type: r.Type, From: r.From, To: r.To, Props: p}
}

func flowField(f *Flow, forward bool) *float64 {
	switch {
	case f == nil:
		return nil
	case forward:
		return f.Forward
	}
	return f.Backward
}

// overridden returns the type's influence, or the override's where one is given.
func (in Influence) overridden(o *InfluenceOverride) Influence {
	if o == nil || o.Goldstein == nil {
		return in
	}
	g := *o.Goldstein
	in.Goldstein = &g
	in.Sign, in.Strength = GoldsteinInfluence(g)
	in.Basis = "override: " + o.Reason
	if o.Cameo != "" {
		in.Cameo, in.CameoName = o.Cameo, ""
	}
	return in
}

// round4 keeps weights readable in the graph (0.7 x 0.7 is 0.49, not 0.48999999999999994).
func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
