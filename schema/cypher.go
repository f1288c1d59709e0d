package schema

import (
	"fmt"
	"strings"
)

// SourceLabel is the label of Source nodes, which every evidence entry points at.
const SourceLabel = "Source"

// Quote quotes a label, relationship type or schema name as a Cypher identifier, its
// backticks doubled: the one way every package writes a name into a statement.
func Quote(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

// Statement is one schema statement the loader runs: a constraint or an index.
type Statement struct {
	Name   string
	Cypher string
	// Spans lists, for an index over every label or every type (NodeIDIndex,
	// RelationshipIDIndex), the labels or types it covers: one the vocabulary has
	// outgrown is replaced.
	Spans []string
}

// NodeIDIndex and RelationshipIDIndex are full-text indexes, keyword-analysed, on the id
// of every node label and of every relationship type the vocabulary has: one lookup
// finds a record by its id whatever its kind (the loader's lookups, a query's
// relationship parameter, the evidence query). No range index spans several labels or
// types; the per-label and per-type uniqueness constraints stay.
const (
	NodeIDIndex         = "any_node_id"
	RelationshipIDIndex = "any_relationship_id"
)

// Constraints returns the constraints and indexes the graph needs, derived from the
// vocabulary, as idempotent Cypher (IF NOT EXISTS). Community edition has uniqueness
// constraints and indexes but no existence or type constraints; the validator enforces
// those before anything is written.
//
// Names are the schema's own identifiers, never input text.
func (v *Vocabulary) Constraints() []Statement {
	var out []Statement
	for _, label := range append(v.Labels(), SourceLabel) {
		name := snake(label) + "_id"
		out = append(out, Statement{name, fmt.Sprintf("CREATE CONSTRAINT %s IF NOT EXISTS FOR (n:%s) REQUIRE n.id IS UNIQUE", name, label), nil})
	}
	for _, t := range v.RelationshipTypes {
		name := strings.ToLower(t.Type) + "_id"
		out = append(out, Statement{name, fmt.Sprintf("CREATE CONSTRAINT %s IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE", name, t.Type), nil})
	}
	out = append(out,
		Statement{"actor_name", "CREATE INDEX actor_name IF NOT EXISTS FOR (n:Actor) ON (n.name)", nil},
		Statement{"actor_lookup", "CREATE FULLTEXT INDEX actor_lookup IF NOT EXISTS FOR (n:Actor) ON EACH [n.name, n.aliasText] OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}", nil},
		Statement{"event_date", "CREATE INDEX event_date IF NOT EXISTS FOR (n:Event) ON (n.dateStart)", nil},
	)
	labels := append(v.Labels(), SourceLabel)
	out = append(out,
		Statement{NodeIDIndex, fmt.Sprintf("CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR (n:%s) ON EACH [n.id] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}", NodeIDIndex, strings.Join(labels, "|")), labels},
		Statement{RelationshipIDIndex, fmt.Sprintf("CREATE FULLTEXT INDEX %s IF NOT EXISTS FOR ()-[r:%s]-() ON EACH [r.id] OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}", RelationshipIDIndex, strings.Join(v.TypeNames(), "|")), v.TypeNames()},
	)
	return out
}

// LuceneTerm quotes an id as a Lucene phrase for the keyword-analysed id indexes, where
// it is one term: backslashes and double quotes escaped, so that no id is query syntax.
func LuceneTerm(id string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(id) + `"`
}

// snake turns CamelCase into snake_case for constraint names.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
