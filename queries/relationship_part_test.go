package queries

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries/querytest"
	"github.com/backchannel/backchannel/schema"
)

// evidenceLookup is the scan of every relationship the evidence query did before it
// carried part relationship-by-id.
const evidenceLookup = "MATCH (a)-[r]->(b)\nWHERE r.id = $relationship\n"

// TestRelationshipPartServesEvidence runs the evidence query, which finds its
// relationship through the any_relationship_id index (part relationship-by-id), against
// the same query with the scan it replaced: the same rows for a known ID and for an
// unknown one, and a plan that reads the id index, not every relationship.
func TestRelationshipPartServesEvidence(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadFixture(t, db)
	q, err := Get("evidence")
	if err != nil {
		t.Fatal(err)
	}
	part := regexp.MustCompile(`(?s)// part: relationship-by-id [^\n]*\n.*// end part: relationship-by-id\n`)
	if !part.MatchString(q.Cypher) {
		t.Fatal("evidence.cypher does not carry part relationship-by-id")
	}
	indexed := q.Cypher
	scanned := part.ReplaceAllLiteralString(q.Cypher, evidenceLookup)
	ctx := context.Background()
	session := db.Session(ctx, neo4j.AccessModeRead)
	defer session.Close(ctx)
	rows := func(cypher, id string) [][]any {
		t.Helper()
		res, err := session.Run(ctx, cypher, map[string]any{"relationship": id})
		if err != nil {
			t.Fatal(err)
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out [][]any
		for _, r := range recs {
			out = append(out, r.Values)
		}
		return out
	}
	for _, id := range []string{"usa-negotiates-with-hamas-2025-03", "qatar-hosts-hamas", "no-such-relationship", `a" OR "*`} {
		want, got := rows(scanned, id), rows(indexed, id)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: through the index\n%v\nwant, as the scan gives\n%v", id, got, want)
		}
		if strings.HasPrefix(id, "usa") && len(want) == 0 {
			t.Errorf("%s: no rows: the comparison proves nothing", id)
		}
	}
	res, err := session.Run(ctx, "EXPLAIN\n"+indexed, map[string]any{"relationship": "x"})
	if err != nil {
		t.Fatal(err)
	}
	summary, err := res.Consume(ctx)
	if err != nil {
		t.Fatal(err)
	}
	plan, _ := summary.Plan().Arguments()["string-representation"].(string)
	if strings.Contains(plan, "AllRelationshipsScan") || !strings.Contains(plan, "ProcedureCall") {
		t.Errorf("the plan does not go through the index:\n%s", plan)
	}
}

// A graph loaded before the relationship id index existed is still answered: the
// relationship parameter is checked by a scan, with the same suggestion.
func TestRelationshipParameterWithoutTheIndex(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadFixture(t, db)
	ctx := context.Background()
	exec := func(cypher string) {
		t.Helper()
		session := db.Session(ctx, neo4j.AccessModeWrite)
		defer session.Close(ctx)
		res, err := session.Run(ctx, cypher, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
	}
	var create string
	for _, st := range schema.Default().Constraints() {
		if st.Name == schema.RelationshipIDIndex {
			create = st.Cypher
		}
	}
	exec("DROP INDEX " + schema.RelationshipIDIndex)
	t.Cleanup(func() { exec(create); exec("CALL db.awaitIndexes(60)") })
	ev, _ := Get("evidence")
	_, err := Resolve(ctx, db, ev, map[string]any{"relationship": "usa-negotiates-with-hamas-2025-3"})
	if want := "did you mean usa-negotiates-with-hamas-2025-03?"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("got %v, want %s", err, want)
	}
	if got, err := Resolve(ctx, db, ev, map[string]any{"relationship": "qatar-hosts-hamas"}); err != nil || got["relationship"] != "qatar-hosts-hamas" {
		t.Errorf("a known ID: got %v, %v", got, err)
	}
}
