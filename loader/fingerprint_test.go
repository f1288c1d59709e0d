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
	if !res.Fingerprint || res.Counters.Writes() != 0 || res.RunCounters.Writes() != 0 {
		t.Errorf("unchanged reload: fingerprint %v, writes %v, run %v; want the shortcut and no writes", res.Fingerprint, res.Counters, res.RunCounters)
	}
	// A no-op adds no run node: the last run stands for it, and the next no-op is
	// proved as well.
	for range 2 {
		if again := load(t, db, basic(t), o); !again.Fingerprint || again.Database == "" {
			t.Errorf("another unchanged reload: fingerprint %v, database %q", again.Fingerprint, again.Database)
		}
	}
	if runs := countOf(t, db, "MATCH (r:"+loader.RunLabel+") RETURN count(r)"); runs != 1 {
		t.Errorf("%d run nodes after one load and three unchanged reloads, want 1", runs)
	}
	// The same bytes as the last run's: hashed, not parsed again.
	if len(res.Steps) == 0 || res.Steps[0].Step != loader.StepHashed || res.Records == 0 {
		t.Errorf("unchanged reload: steps %v, %d records; want the files only hashed, and the last run's record count", res.Steps, res.Records)
	}
	if p := plan(t, db, basic(t), o); !p.Fingerprint || p.HasChanges() || p.Steps[0].Step != loader.StepHashed {
		t.Errorf("plan after it: fingerprint %v, %d changes, steps %v", p.Fingerprint, len(p.Changes), p.Steps)
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
	// The same bytes, but an edit since: the files are read and validated again.
	run(t, db, "MATCH (n {id: 'usa'}) SET n.name = 'edited by hand'", nil)
	if res := load(t, db, basic(t), o); res.Fingerprint || res.Steps[0].Step != loader.StepRead {
		t.Errorf("reload after another edit: fingerprint %v, steps %v; want the files read", res.Fingerprint, res.Steps)
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
