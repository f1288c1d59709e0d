package loader

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/backchannel/backchannel/schema"
)

// statements renders the Cypher the loader runs. Labels and relationship types come
// only from the vocabulary (checked by schema.ParseVocabulary to be plain identifiers,
// and quoted here all the same); every value is a parameter.
type statements struct {
	vocab *schema.Vocabulary
	// allLabels are the labels the loader manages: the vocabulary's and Source.
	allLabels []string
	// groupLabels are the labels of each group: a node kind's labels, or Source.
	groupLabels map[string][]string
	// endLabel[type][0|1] is a label that every kind allowed at the type's from (to)
	// end carries, or "" when there is none.
	endLabel map[string][2]string
	// endLabels are the labels relCreateAny finds relationships' ends by, sorted: of
	// each kind that an end allows, the label the most kinds carry (Actor, not State).
	endLabels []string

	mu    sync.Mutex
	cache map[string]string
}

func newStatements(v *schema.Vocabulary) *statements {
	s := &statements{
		vocab:       v,
		allLabels:   append(v.Labels(), schema.SourceLabel),
		groupLabels: map[string][]string{schema.SourceLabel: {schema.SourceLabel}},
		endLabel:    map[string][2]string{},
		cache:       map[string]string{},
	}
	slices.Sort(s.allLabels)
	for _, k := range v.NodeKinds {
		s.groupLabels[k.Kind] = slices.Sorted(slices.Values(k.Labels))
	}
	kinds := map[string]int{} // kinds per label
	for _, k := range v.NodeKinds {
		for _, l := range k.Labels {
			kinds[l]++
		}
	}
	for _, t := range v.RelationshipTypes {
		s.endLabel[t.Type] = [2]string{s.commonLabel(t.FromKinds()), s.commonLabel(t.ToKinds())}
		for _, k := range slices.Concat(t.FromKinds(), t.ToKinds()) {
			var base string
			for _, l := range s.groupLabels[k] { // sorted: the first of the most shared
				if base == "" || kinds[l] > kinds[base] {
					base = l
				}
			}
			if !slices.Contains(s.endLabels, base) {
				s.endLabels = append(s.endLabels, base)
			}
		}
	}
	slices.Sort(s.endLabels)
	return s
}

// commonLabel returns a label all the kinds carry, or "".
func (s *statements) commonLabel(kinds []string) string {
	var common []string
	for i, k := range kinds {
		labels := s.groupLabels[k]
		if i == 0 {
			common = slices.Clone(labels)
			continue
		}
		common = slices.DeleteFunc(common, func(l string) bool { return !slices.Contains(labels, l) })
	}
	if len(common) == 0 {
		return ""
	}
	return common[0]
}

// labelFor returns the label to find a node of kind at a type's end (0 from, 1 to) by:
// a label shared by all the kinds the end allows, so that one statement serves them
// all, else the kind's own label. Every label has a uniqueness constraint on id.
func (s *statements) labelFor(typ string, end int, kind string) string {
	if l := s.endLabel[typ][end]; l != "" {
		return l
	}
	return kind
}

func (s *statements) cached(key string, render func() string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[key]; ok {
		return c
	}
	c := render()
	s.cache[key] = c
	return c
}

func labelExpr(labels []string) string {
	var b strings.Builder
	for _, l := range labels {
		b.WriteString(":" + schema.Quote(l))
	}
	return b.String()
}

// nodeLookup finds nodes by id under a label.
func (s *statements) nodeLookup(label string) string {
	return s.cached("nodeLookup "+label, func() string {
		return fmt.Sprintf("UNWIND $ids AS id MATCH (n:%s {id: id}) RETURN id, elementId(n) AS eid, labels(n) AS labels, properties(n) AS props", schema.Quote(label))
	})
}

// nodeLookupAny finds nodes by id whatever their label, through the id index over every
// label (schema.NodeIDIndex): one index query a chunk of ids, its terms the ids quoted
// (schema.LuceneTerm) and joined by OR. The keyword analyser makes a term match an id
// exactly; the caller reads the ids it asked for only.
var nodeLookupAny = `UNWIND $queries AS q
CALL db.index.fulltext.queryNodes('` + schema.NodeIDIndex + `', q) YIELD node AS n
RETURN n.id AS id, elementId(n) AS eid, labels(n) AS labels, properties(n) AS props`

// nodeCreate creates nodes, each with its row's labels, for ids the batch's lookup did
// not find. CREATE, not MERGE: nothing to match, so the server only writes; a load
// racing this one that created the same id first fails the uniqueness constraint, and
// the batch is run again with its lookups (see createRace). One text for every kind (a
// dynamic label, Neo4j 5.26), the labels a row's own: the server plans it once per
// run, not once per kind, and the last partial batches of every kind are one
// statement.
const nodeCreate = `UNWIND $rows AS row
CREATE (n:$(row.labels))
SET n = row.props`

// nodeUpdate rewrites the properties of existing nodes (found in the same transaction,
// by element id) when they differ, and sets the group's labels, removing the labels of
// other kinds: a node whose kind changed keeps no label of its old kind.
func (s *statements) nodeUpdate(group string) string {
	return s.cached("nodeUpdate "+group, func() string {
		want := s.groupLabels[group]
		var other []string
		for _, l := range s.allLabels {
			if !slices.Contains(want, l) {
				other = append(other, l)
			}
		}
		remove := ""
		if len(other) > 0 {
			remove = "REMOVE n" + labelExpr(other) + "\n"
		}
		return fmt.Sprintf(`UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.eid AND n.dataset = $dataset
FOREACH (_ IN CASE WHEN row.setProps THEN [1] ELSE [] END | SET n = row.props)
%sSET n%s
RETURN count(n) AS n`, remove, labelExpr(want))
	})
}

// relLookup finds relationships of a type by id, with their endpoints' ids.
func (s *statements) relLookup(typ string) string {
	return s.cached("relLookup "+typ, func() string {
		return fmt.Sprintf("UNWIND $ids AS id MATCH (a)-[r:%s {id: id}]->(b) RETURN id, type(r) AS type, a.id AS from, b.id AS to, properties(r) AS props", schema.Quote(typ))
	})
}

// relLookupAny finds relationships by id whatever their type, through the id index over
// every type (schema.RelationshipIDIndex), as nodeLookupAny, with their endpoints' ids.
var relLookupAny = `UNWIND $queries AS q
CALL db.index.fulltext.queryRelationships('` + schema.RelationshipIDIndex + `', q) YIELD relationship AS r
RETURN r.id AS id, type(r) AS type, startNode(r).id AS from, endNode(r).id AS to, properties(r) AS props`

// relCreate creates relationships of type $type between nodes found by the given
// labels, for ids the batch's lookup did not find (CREATE, as nodeCreate). It returns
// nothing: the summary counts what it created, and a row whose end is missing creates
// nothing (createRels). One text per pair of end labels (a dynamic type), not per type.
func (s *statements) relCreate(fromLabel, toLabel string) string {
	return s.cached("relCreate "+fromLabel+" "+toLabel, func() string {
		return fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:%s {id: row.from})
MATCH (b:%s {id: row.to})
CREATE (a)-[r:$($type)]->(b)
SET r = row.props`, schema.Quote(fromLabel), schema.Quote(toLabel))
	})
}

// relCreateAny creates relationships of the types of their rows, for the last partial
// batches of every type at once: one text for every type and pair of end labels. Each
// end is found through the id indexes of endLabels (a union of a few index seeks, the
// label disjunction), then kept only if it carries its row's label (labelFor's), so
// that it finds what relCreate would: the ends are the dataset's nodes, which carry
// every label of their kind.
func (s *statements) relCreateAny() string {
	return s.cached("relCreateAny", func() string {
		ends := strings.TrimPrefix(strings.ReplaceAll(labelExpr(s.endLabels), ":", "|"), "|")
		return fmt.Sprintf(`UNWIND $rows AS row
MATCH (a:%s {id: row.from}) WHERE row.fromLabel IN labels(a)
MATCH (b:%s {id: row.to}) WHERE row.toLabel IN labels(b)
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props`, ends, ends)
	})
}

// relUpdate replaces the properties of the dataset's relationships of a type.
func (s *statements) relUpdate(typ string) string {
	return s.cached("relUpdate "+typ, func() string {
		return fmt.Sprintf("UNWIND $rows AS row MATCH ()-[r:%s {id: row.id}]->() WHERE r.dataset = $dataset SET r = row.props RETURN count(r) AS n", schema.Quote(typ))
	})
}

// relDelete deletes the dataset's relationships of a type by id.
func (s *statements) relDelete(typ string) string {
	return s.cached("relDelete "+typ, func() string {
		return fmt.Sprintf("UNWIND $ids AS id MATCH ()-[r:%s {id: id}]->() WHERE r.dataset = $dataset DELETE r RETURN count(r) AS n", schema.Quote(typ))
	})
}

// relScan lists the ids of the dataset's relationships of a type, with their endpoints' ids.
func (s *statements) relScan(typ string) string {
	return s.cached("relScan "+typ, func() string {
		return fmt.Sprintf("MATCH (a)-[r:%s]->(b) WHERE r.dataset = $dataset RETURN r.id AS id, a.id AS from, b.id AS to", schema.Quote(typ))
	})
}

// nodeScan lists the ids and element ids of the dataset's nodes with a label.
func (s *statements) nodeScan(label string) string {
	return s.cached("nodeScan "+label, func() string {
		return fmt.Sprintf("MATCH (n:%s) WHERE n.dataset = $dataset RETURN n.id AS id, elementId(n) AS eid", schema.Quote(label))
	})
}

// nodeBlockers finds, among nodes to prune, those attached to relationships that are
// not the dataset's: deleting the node would delete them.
const nodeBlockers = `UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.eid AND n.id = row.id AND n.dataset = $dataset
MATCH (n)-[r]-() WHERE r.dataset IS NULL OR r.dataset <> $dataset
RETURN n.id AS id, count(r) AS n, collect(DISTINCT type(r))[..3] AS types`

// nodeDelete deletes the dataset's nodes with their (the dataset's) relationships.
const nodeDelete = `UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.eid AND n.id = row.id AND n.dataset = $dataset
DETACH DELETE n
RETURN count(*) AS n`
