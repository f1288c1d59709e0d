package loader_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
)

// counter is a loader.Watcher that counts the graph's NEGOTIATES_WITH relationships on
// both sides of the writes, in the load's transaction, and keeps the changes it is given.
type counter struct {
	before, after int
	changes       []loader.Change
	calls         int
}

func (c *counter) count(tx neo4j.ManagedTransaction) (int, error) {
	res, err := tx.Run(ctx, "MATCH ()-[r:NEGOTIATES_WITH]->() RETURN count(r) AS n", nil)
	if err != nil {
		return 0, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, err
	}
	return int(rec.Values[0].(int64)), nil
}

func (c *counter) Before(_ context.Context, tx neo4j.ManagedTransaction) (err error) {
	c.calls++
	c.before, err = c.count(tx)
	return err
}

func (c *counter) After(_ context.Context, tx neo4j.ManagedTransaction, changes []loader.Change) ([]string, error) {
	var err error
	c.after, err = c.count(tx)
	c.changes = changes
	if c.after != c.before {
		return []string{"negotiations"}, err
	}
	return nil, err
}

func TestWatch(t *testing.T) {
	db := neo4jtest.Open(t)
	f := basic(t)
	load(t, db, f, opts("basic"))
	gone := f.with(t, "graph.yaml", "  - id: usa-negotiates-with-hamas-2\n", "  - id: usa-negotiates-with-hamas-3\n")

	t.Run("a plan applies the load, reads both sides and rolls it back", func(t *testing.T) {
		before := dump(t, db)
		c := &counter{}
		o := opts("basic")
		o.Prune, o.Watch = true, c
		p := plan(t, db, gone, o)
		if c.before != 2 || c.after != 2 {
			t.Errorf("NEGOTIATES_WITH before %d, after %d; want 2 and 2 (one deleted, one created)", c.before, c.after)
		}
		var got []string
		for _, ch := range c.changes {
			got = append(got, string(ch.Action)+" "+ch.ID+" "+ch.From+">"+ch.To)
		}
		want := []string{"delete usa-negotiates-with-hamas-2 usa>hamas", "create usa-negotiates-with-hamas-3 usa>hamas"} // by id, as the plan shows them
		if !slices.Equal(got, want) {
			t.Errorf("changes given to After: %q, want %q", got, want)
		}
		if !reflect.DeepEqual(p.Changes, c.changes) {
			t.Errorf("plan's changes %v differ from the watched transaction's %v", p.Changes, c.changes)
		}
		if p.WatchSkipped != "" {
			t.Errorf("skipped: %s", p.WatchSkipped)
		}
		if after := dump(t, db); !reflect.DeepEqual(before, after) {
			t.Errorf("the graph changed under a plan:\nbefore %v\nafter  %v", before, after)
		}
	})

	t.Run("a plan with no change does not call the watcher", func(t *testing.T) {
		c := &counter{}
		o := opts("basic")
		o.Watch = c
		if p := plan(t, db, f, o); p.HasChanges() || c.calls != 0 || p.WatchSkipped != "" {
			t.Errorf("changes %v, watcher called %d times, skipped %q", p.Changes, c.calls, p.WatchSkipped)
		}
	})

	t.Run("a plan above the one-transaction limit says why it can't", func(t *testing.T) {
		c := &counter{}
		o := opts("basic")
		o.Prune, o.Watch, o.SingleTxLimit = true, c, 5
		p := plan(t, db, gone, o)
		if c.calls != 0 || !strings.Contains(p.WatchSkipped, loader.ErrWatchTooLarge.Error()) || len(p.Changes) != 2 {
			t.Errorf("watcher called %d times, skipped %q, %d changes", c.calls, p.WatchSkipped, len(p.Changes))
		}
	})

	for _, limit := range []int{0, -1} {
		name := map[int]string{0: "a load in one transaction", -1: "a batched load"}[limit]
		t.Run(name+" records the answers that changed on its run node", func(t *testing.T) {
			load(t, db, f, opts("basic"))
			c := &counter{}
			o := opts("basic")
			o.Prune, o.Watch, o.SingleTxLimit = true, c, limit
			moved := f.with(t, "graph.yaml", "  - id: usa-negotiates-with-hamas-2\n", "  - id: usa-negotiates-with-hamas-9\n")
			if limit < 0 {
				// one relationship fewer: the count changes
				moved = f.with(t, "graph.yaml", "  - id: usa-negotiates-with-hamas-2\n    type: NEGOTIATES_WITH", "  - id: usa-negotiates-with-hamas-2\n    type: CONSULTS")
			}
			load(t, db, moved, o)
			recs := run(t, db, "MATCH (r:"+loader.RunLabel+") RETURN r."+loader.RunAnswersProperty+" AS a ORDER BY r.finishedAt DESC LIMIT 1", nil)
			got, _ := recs[0].Get("a")
			want := []any{}
			if c.after != c.before {
				want = []any{"negotiations"}
			}
			if !reflect.DeepEqual(got, want) || c.calls != 1 || len(c.changes) == 0 {
				t.Errorf("run node's %s = %v, want %v (before %d, after %d, %d calls, changes %v)", loader.RunAnswersProperty, got, want, c.before, c.after, c.calls, c.changes)
			}
		})
	}
}
