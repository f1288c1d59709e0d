package loader

import (
	"cmp"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// Action is what a change does to a record.
type Action string

const (
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	ActionDelete Action = "delete"
)

// Record kinds in changes. Sources are nodes (labelled Source).
const (
	RecordNode         = "node"
	RecordRelationship = "relationship"
)

// Change is one record to create, update or delete.
type Change struct {
	Action Action `json:"action"`
	Record string `json:"record"` // RecordNode or RecordRelationship
	ID     string `json:"id"`
	// Label is the node's kind (or Source), or the relationship's type.
	Label string `json:"label"`
	// From and To are a relationship's endpoints' ids: as the input has them, or for a
	// deleted relationship as the graph had them.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Fields lists an update's changes: properties by name, and the pseudo-fields
	// "labels" (a node's kind labels), "type", "from" and "to" (a relationship moved).
	Fields []FieldChange `json:"fields,omitempty"`
}

// FieldChange is one property (or label set, type, endpoint) changing. A nil Old means
// the property is added, a nil New that it is removed.
type FieldChange struct {
	Key string `json:"key"`
	Old any    `json:"old"`
	New any    `json:"new"`
}

// Date is a calendar day as the plan shows it: YYYY-MM-DD.
type Date string

// toNeo4j converts a value for the driver: a day becomes a Neo4j DATE.
func toNeo4j(v any) any {
	if t, ok := v.(time.Time); ok {
		return neo4j.DateOf(t)
	}
	return v
}

// norm brings a value from the graph or the input to one form for comparing and
// showing: dates as Date, lists as []any, integers as int64.
func norm(v any) any {
	switch x := v.(type) {
	case time.Time:
		return Date(x.Format(time.DateOnly))
	case dbtype.Date:
		return Date(x.Time().Format(time.DateOnly))
	case int:
		return int64(x)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = norm(e)
		}
		return out
	}
	return v
}

// equal compares normalised values strictly: an integer is not equal to a float, so
// that a property stored with the wrong type is rewritten.
func equal(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		return ok && slices.EqualFunc(x, y, equal)
	case string, bool, int64, float64, Date:
		return a == b
	case nil:
		return b == nil
	}
	return false // any other type (a point, a datetime) is not what the loader writes
}

// diffProps lists the properties that differ between the graph's and the wanted ones,
// sorted by name.
func diffProps(have, want map[string]any) []FieldChange {
	var out []FieldChange
	for k, w := range want {
		w = norm(w)
		h, ok := have[k]
		if !ok {
			out = append(out, FieldChange{Key: k, New: w})
			continue
		}
		if h = norm(h); !equal(h, w) {
			out = append(out, FieldChange{Key: k, Old: h, New: w})
		}
	}
	for k, h := range have {
		if _, ok := want[k]; !ok {
			out = append(out, FieldChange{Key: k, Old: norm(h)})
		}
	}
	slices.SortFunc(out, func(a, b FieldChange) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// sortChanges orders changes for reading: nodes, then relationships; by label or type;
// then by id.
func sortChanges(cs []Change) {
	slices.SortStableFunc(cs, func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Record, b.Record), cmp.Compare(a.Label, b.Label), cmp.Compare(a.ID, b.ID))
	})
}
