package loader_test

import (
	"strings"
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// A neo4j:// URI (routing, as for Aura and clusters) loads and plans like bolt://: the
// driver asks the server for its routing table and sends writes to the writer. A
// single server answers with itself in every role.
func TestLoadOverRouting(t *testing.T) {
	db := neo4jtest.Open(t) // an empty database, to this test alone
	s := db.Settings
	if !strings.HasPrefix(s.URI, "bolt://") {
		t.Fatalf("test server URI %q: want bolt://", s.URI)
	}
	s.URI = "neo4j://" + strings.TrimPrefix(s.URI, "bolt://")
	routed, err := neo4jconn.Open(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	defer routed.Close(ctx)
	in := basic(t).inputs(t)
	res, err := loader.Load(ctx, routed, in, schema.Default(), loader.Options{Dataset: "routed"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created == 0 || res.Created != res.Records {
		t.Errorf("created %d of %d records over neo4j://", res.Created, res.Records)
	}
	plan, err := loader.Plan(ctx, routed, in, schema.Default(), loader.Options{Dataset: "routed"})
	if err != nil {
		t.Fatal(err)
	}
	if plan.HasChanges() {
		t.Errorf("plan over neo4j:// after the load: %d changes, want none", len(plan.Changes))
	}
	if got := countOf(t, db, "MATCH (n {dataset: 'routed'}) RETURN count(n)"); got == 0 {
		t.Error("the routed load is not visible over bolt://")
	}
}
