package loader_test

import (
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
)

// An unchanged reload compares no record when nothing has committed since the last
// load of the same files; any other commit (a hand edit) sends it back to comparing
// every record, which repairs the edit.
func TestNoopReloadIsProvedByTheGraph(t *testing.T) {
	db := neo4jtest.Open(t)
	o := loader.Options{Dataset: "basic"}
	if res := load(t, db, basic(t), o); res.Fingerprint || res.Created == 0 {
		t.Fatalf("first load: fingerprint %v, created %d", res.Fingerprint, res.Created)
	}
	res := load(t, db, basic(t), o)
	if !res.Fingerprint || res.Counters.Writes() != 0 {
		t.Errorf("unchanged reload: fingerprint %v, writes %v; want the shortcut and no writes", res.Fingerprint, res.Counters)
	}
	if p := plan(t, db, basic(t), o); !p.Fingerprint || p.HasChanges() {
		t.Errorf("plan after it: fingerprint %v, %d changes", p.Fingerprint, len(p.Changes))
	}

	run(t, db, "MATCH (n {id: 'usa'}) SET n.name = 'edited by hand'", nil)
	if p := plan(t, db, basic(t), o); p.Fingerprint || p.Update != 1 {
		t.Errorf("plan after a hand edit: fingerprint %v, %d updates; want every record compared, 1 update", p.Fingerprint, p.Update)
	}
	res = load(t, db, basic(t), o)
	if res.Fingerprint || res.Updated != 1 {
		t.Errorf("reload after a hand edit: fingerprint %v, %d updated; want the edit repaired", res.Fingerprint, res.Updated)
	}
	if res := load(t, db, basic(t), o); !res.Fingerprint {
		t.Error("the reload after the repair compared the records again")
	}

	// Other files: compared, not trusted.
	changed := basic(t).with(t, "graph.yaml", "quote: \"Qatari mediators\"", "quote: \"Qatari mediators, again\"")
	if res := load(t, db, changed, o); res.Fingerprint || res.Updated == 0 {
		t.Errorf("changed files: fingerprint %v, %d updated", res.Fingerprint, res.Updated)
	}
	// Prune after loads that did not prune: compared.
	if res := load(t, db, changed, loader.Options{Dataset: "basic", Prune: true}); res.Fingerprint {
		t.Error("the first pruning load took the shortcut of loads that did not prune")
	}
}
