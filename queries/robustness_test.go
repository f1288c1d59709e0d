package queries

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/schema"
)

// toyQuery scores three made-up routes from the model parameters alone, so that the
// rank of each in every run of the grid can be worked out by hand (see TestRobustness).
// It declares attenuation, confidence, scaleType and scale, but not aggregation.
const toyQuery = `// name: toy
// description: Three routes scored by the model parameters alone, for the robustness test.
// param: attenuation float default 0.8 min 0 max 1 - attenuation
// param: confidence string default graded in graded,flat,steep - confidence weighting
// param: scaleType string default none in none,HOSTS,MEDIATES_FOR,CONSULTS - a type to scale
// param: scale float default 1 min 0 max 2 - its factor
// columns: kind, rank, strength, route
// key: kind, route
// :param attenuation => 0.8;
// :param confidence => 'graded';
// :param scaleType => 'none';
// :param scale => 1.0;
WITH CASE WHEN $scaleType = 'HOSTS' THEN $scale ELSE 1.0 END AS hosts,
     CASE WHEN $scaleType = 'MEDIATES_FOR' THEN $scale ELSE 1.0 END AS mediates
UNWIND [
  {route: 'a -[HOSTS]-> b', strength: 0.6 * hosts},
  {route: 'a -[MEDIATES_FOR]-> b', strength: (0.4 + 0.2 * $attenuation) * mediates * CASE $confidence WHEN 'flat' THEN 1.2 ELSE 1.0 END},
  {route: 'c -[HOSTS]-> d', strength: CASE WHEN $confidence = 'steep' THEN null ELSE 0.1 * hosts END}
] AS r
WITH r WHERE r.strength IS NOT NULL
WITH r ORDER BY r.strength DESC
WITH collect(r) AS rs
UNWIND range(0, size(rs) - 1) AS i
RETURN 'cooperative' AS kind, i + 1 AS rank, rs[i].strength AS strength, rs[i].route AS route
`

// TestRobustness runs the toy query under the vocabulary's grid. It declares no
// aggregation, so the grid is attenuation (4) x confidence (3) = 12 runs, plus the two
// types in its answer (HOSTS, MEDIATES_FOR; not CONSULTS) x0.75 and x1.25: 16 runs.
// At the defaults HOSTS a->b (0.6) is first, MEDIATES_FOR (0.4 + 0.2 x 0.8 = 0.56)
// second, HOSTS c->d (0.1) third. Flat confidence multiplies MEDIATES_FOR by 1.2,
// putting it first at every attenuation (0.624 to 0.696 > 0.6): the first two swap in
// 4 of the 12 crossed runs; HOSTS x0.75 (0.45 < 0.56) and MEDIATES_FOR x1.25 (0.7 >
// 0.6) swap them too, HOSTS x1.25 and MEDIATES_FOR x0.75 do not: each holds in 8 + 2 =
// 10 of 16. Steep confidence drops c->d (4 runs, one per attenuation); elsewhere it is
// third: 12 of 16.
func TestRobustness(t *testing.T) {
	lib, err := Load(fstest.MapFS{"toy.cypher": {Data: []byte(toyQuery)}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := lib.Get("toy")
	if err != nil {
		t.Fatal(err)
	}
	params, err := q.Bind(nil)
	if err != nil {
		t.Fatal(err)
	}
	db := neo4jtest.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := Robustness(ctx, db, q, params, schema.Default().InfluenceModel.Robustness)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Settings) != 16 {
		var names []string
		for _, s := range r.Settings {
			names = append(names, s.Name)
		}
		t.Fatalf("got %d settings, want 16: %s", len(r.Settings), strings.Join(names, "; "))
	}
	want := []struct {
		route string
		rank  int
		holds string
	}{
		{"a -[HOSTS]-> b", 1, "10/16"},
		{"a -[MEDIATES_FOR]-> b", 2, "10/16"},
		{"c -[HOSTS]-> d", 3, "12/16"},
	}
	if len(r.Rows) != len(want) {
		t.Fatalf("got %d rows, want %d", len(r.Rows), len(want))
	}
	for i, w := range want {
		got := r.Rows[i]
		if got.Key["route"] != w.route || got.Rank != w.rank || got.HoldsText() != w.holds {
			t.Errorf("row %d: got %v rank %d holds %s; want %s rank %d holds %s", i, got.Key["route"], got.Rank, got.HoldsText(), w.route, w.rank, w.holds)
		}
	}
	t.Run("absent in the steep runs", func(t *testing.T) {
		for _, rr := range r.Rows[2].Ranks {
			steep := strings.Contains(rr.Setting, "confidence=steep")
			if (rr.Rank == nil) != steep {
				t.Errorf("%s: got rank %v, want absent only under steep confidence", rr.Setting, rr.Rank)
			}
		}
	})
	t.Run("the table shows holds after rank", func(t *testing.T) {
		tab := r.Table()
		var b strings.Builder
		if err := tab.Write(&b, "table"); err != nil {
			t.Fatal(err)
		}
		first := strings.Fields(strings.SplitN(b.String(), "\n", 2)[0])
		if strings.Join(first, " ") != "kind rank holds strength route" {
			t.Errorf("got header %q", first)
		}
	})
	t.Run("a query without a key is refused", func(t *testing.T) {
		noKey := strings.Replace(toyQuery, "// key: kind, route\n", "", 1)
		lib, err := Load(fstest.MapFS{"toy.cypher": {Data: []byte(noKey)}})
		if err != nil {
			t.Skipf("the parser requires a key line: %v", err)
		}
		q, _ := lib.Get("toy")
		if _, err := Robustness(ctx, db, q, params, schema.Default().InfluenceModel.Robustness); !errors.Is(err, ErrNoKey) {
			t.Errorf("got %v, want ErrNoKey", err)
		}
	})
}
