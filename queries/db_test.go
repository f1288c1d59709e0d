package queries

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/queries/querytest"
)

// runQuery binds raw, resolves and runs the named query.
func runQuery(t *testing.T, db *neo4jconn.DB, name string, raw map[string]string) *Result {
	t.Helper()
	q, err := Get(name)
	if err != nil {
		t.Fatal(err)
	}
	params, err := q.Bind(raw)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := Run(ctx, db, q, params)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Columns, q.Columns) {
		t.Errorf("%s returned columns %v; its header says %v", name, res.Columns, q.Columns)
	}
	return res
}

// column returns one column of the result.
func column(res *Result, name string) []any {
	i := slices.Index(res.Columns, name)
	out := make([]any, len(res.Rows))
	for j, row := range res.Rows {
		out[j] = row[i]
	}
	return out
}

// explanations are the queries allowed a scan of all relationships, and why.
var explanations = map[string]string{} // none since evidence reads the any_relationship_id index

// TestExplain runs every stored query through the server's EXPLAIN with its default
// parameters on the curated graph, and fails on a scan of all nodes, on a scan of all
// relationships not explained above, and on a lookup by actor that no index serves.
func TestExplain(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadSeeds(t, db)
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	session := db.Session(ctx, neo4j.AccessModeWrite)
	defer session.Close(ctx)
	// Plan as a server that has sampled its indexes would: right after a load the
	// samples are empty, every estimate is 0 rows, and the planner may scan an index
	// where it would seek.
	for _, stmt := range []string{"CALL db.resampleOutdatedIndexes()", "CALL db.awaitIndexes(60)", "CALL db.clearQueryCaches()"} {
		res, err := session.Run(ctx, stmt, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	for _, q := range list {
		t.Run(q.Name, func(t *testing.T) {
			params, err := q.Bind(nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := session.Run(ctx, "EXPLAIN\n"+q.Cypher, params)
			if err != nil {
				t.Fatalf("EXPLAIN: %v", err)
			}
			summary, err := res.Consume(ctx)
			if err != nil {
				t.Fatalf("EXPLAIN: %v", err)
			}
			// The plan's text, as Neo4j Browser shows it. (The driver's Plan.Children
			// returns the last child for every child in v5.28.4, so the tree is not walked.)
			plan, _ := summary.Plan().Arguments()["string-representation"].(string)
			if plan == "" {
				t.Fatal("the server returned no plan text")
			}
			if strings.Contains(plan, "AllNodesScan") {
				t.Errorf("the plan scans all nodes:\n%s", plan)
			}
			if strings.Contains(plan, "AllRelationshipsScan") && explanations[q.Name] == "" {
				t.Errorf("the plan scans all relationships:\n%s", plan)
			}
			for _, sub := range []string{"COLLECT {", "EXISTS {", "COUNT {"} {
				if strings.Contains(plan, sub) {
					t.Errorf("a subquery is planned as an expression, whose plan EXPLAIN does not show; rewrite it so that it plans as an Apply:\n%s", plan)
				}
			}
			for _, p := range q.Params {
				if (p.Type == TypeActor || p.Type == TypeActors) && !strings.Contains(plan, "NodeUniqueIndexSeek") {
					t.Errorf("actor parameter %s is not looked up through the Actor id constraint:\n%s", p.Name, plan)
				}
			}
		})
	}
}

func TestResolve(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadFixture(t, db)
	q, err := Get("influence-paths")
	if err != nil {
		t.Fatal(err)
	}
	ok := []struct{ in, want string }{
		{"usa", "usa"},
		{"USA", "usa"},                      // an ID, in any case
		{"united states", "usa"},            // a name, in any case
		{"United States of America", "usa"}, // an alias
		{"u.s.", "usa"},                     // an alias with punctuation
		{"Donald Trump", "donald-trump"},    // a name beats an alias
		{"WHITKOFF", "steve-witkoff"},       // the article's misspelling, kept as an alias
		{"ansar allah", "houthis"},          // a two-word alias
		{"Hamas political bureau", "hamas-political-bureau"},
	}
	for _, tc := range ok {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Resolve(context.Background(), db, q, map[string]any{"from": tc.in, "to": "hamas"})
			if err != nil {
				t.Fatal(err)
			}
			if got["from"] != tc.want || got["to"] != "hamas" {
				t.Errorf("got %v, want from=%s", got, tc.want)
			}
		})
	}
	fail := []struct {
		name, in string
		is       error
		want     string
	}{
		{"ambiguous alias lists the candidates", "trump", ErrAmbiguousActor,
			`query influence-paths: parameter from: "trump" is ambiguous: it names donald-trump (Donald Trump, Person), trump-jr (Donald Trump Jr., Person); give the ID`},
		{"a typo gets a suggestion", "hamass", ErrNoActor,
			`query influence-paths: parameter from: no actor has the ID, name or alias "hamass": did you mean hamas (Hamas, NonStateArmedGroup)?`},
		{"a typo in a name gets a suggestion", "Stev Witkof", ErrNoActor,
			`did you mean steve-witkoff (Steve Witkoff, Person)?`},
		{"nothing near", "zzyzx", ErrNoActor,
			`query influence-paths: parameter from: no actor has the ID, name or alias "zzyzx"`},
		{"Lucene syntax is text", `hamas" OR "*`, ErrNoActor, `no actor has the ID, name or alias "hamas\" OR \"*"`},
		{"punctuation only", "!!", ErrNoActor, `no actor has the ID, name or alias "!!"`},
		{"a non-actor ID is no actor", "doha", ErrNoActor, `no actor has the ID, name or alias "doha"`},
	}
	for _, tc := range fail {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Resolve(context.Background(), db, q, map[string]any{"from": tc.in, "to": "hamas"})
			if !errors.Is(err, tc.is) {
				t.Fatalf("got %v, want %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			if tc.name == "nothing near" && strings.Contains(err.Error(), "did you mean") {
				t.Errorf("a suggestion for nothing near: %v", err)
			}
		})
	}
	t.Run("a list of actors resolves each, reporting every failure", func(t *testing.T) {
		b, _ := Get("brokers")
		got, err := Resolve(context.Background(), db, b, map[string]any{"actors": []any{"US", "Hamas", "Tehran"}, "maxHops": int64(4)})
		if err != nil {
			t.Fatal(err)
		}
		if !equalValue(got["actors"], []any{"usa", "hamas", "iran"}) || got["maxHops"] != int64(4) {
			t.Errorf("got %v", got)
		}
		_, err = Resolve(context.Background(), db, b, map[string]any{"actors": []any{"qatr", "usa", "egyptt"}})
		if err == nil || !strings.Contains(err.Error(), `"qatr"`) || !strings.Contains(err.Error(), `"egyptt"`) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("an unknown relationship ID is an error with the nearest ID", func(t *testing.T) {
		ev, _ := Get("evidence")
		_, err := Resolve(context.Background(), db, ev, map[string]any{"relationship": "usa-negotiates-with-hamas-2025-3"})
		want := `query evidence: parameter relationship: no relationship has the ID "usa-negotiates-with-hamas-2025-3": did you mean usa-negotiates-with-hamas-2025-03?`
		if !errors.Is(err, ErrNoRelationship) || err.Error() != want {
			t.Errorf("got %v, want %s", err, want)
		}
		if got, err := Resolve(context.Background(), db, ev, map[string]any{"relationship": "qatar-hosts-hamas"}); err != nil || got["relationship"] != "qatar-hosts-hamas" {
			t.Errorf("a known ID: got %v, %v", got, err)
		}
	})
	t.Run("Run reports an unknown actor before running", func(t *testing.T) {
		_, err := Run(context.Background(), db, q, map[string]any{"from": "nobody", "to": "hamas", "maxHops": int64(2), "limit": int64(1)})
		var ae *ActorError
		if !errors.As(err, &ae) || ae.Param != "from" || ae.Input != "nobody" {
			t.Errorf("got %v", err)
		}
	})
}

// TestInfluenceRules pins the rules of the path queries on the fixture, whose every
// relationship the test knows (querytest/fixture.yaml).
func TestInfluenceRules(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadFixture(t, db)
	routes := func(res *Result) []string {
		var out []string
		for _, r := range column(res, "route") {
			out = append(out, r.(string))
		}
		return out
	}

	t.Run("a directed relationship carries its forward flow from its start, its backward flow back", func(t *testing.T) {
		// qatar -[HOSTS]-> hamas (0.7 forward, 0.2 back) and qatar -[MEDIATES_FOR]-> hamas
		// (0.5, 0.3): one net tie each way, noisy-or combined: Qatar's leverage over the
		// party it hosts, 1 - 0.3 x 0.5 = 0.85, and Hamas's hold on its host and mediator,
		// 1 - 0.8 x 0.7 = 0.44, the channel of the same type and direction counted once.
		for _, tc := range []struct {
			from, to, route string
			strength        float64
		}{
			{"qatar", "hamas", "qatar -[HOSTS+1]-> hamas", 0.85},
			{"hamas", "qatar", "hamas <-[MEDIATES_FOR+1]- qatar", 0.44},
		} {
			res := runQuery(t, db, "influence-paths", map[string]string{"from": tc.from, "to": tc.to, "maxHops": "1", "limit": "100"})
			if got := routes(res); !slices.Equal(got, []string{tc.route}) || column(res, "strength")[0] != tc.strength {
				t.Errorf("%s to %s: got %q %v, want %q %v", tc.from, tc.to, got, column(res, "strength"), tc.route, tc.strength)
			}
		}
	})
	t.Run("a symmetric relationship is followed both ways", func(t *testing.T) {
		// usa -[NEGOTIATES_WITH]- hamas is stored from usa; Hamas reaches the US through it.
		back := routes(runQuery(t, db, "influence-paths", map[string]string{"from": "hamas", "to": "usa", "maxHops": "1", "limit": "100"}))
		if !slices.Contains(back, "hamas -[NEGOTIATES_WITH+1]- usa") {
			t.Errorf("got %q", back)
		}
	})
	t.Run("strength is the product of the hops' net ties, attenuated; sign the product of signs", func(t *testing.T) {
		res := runQuery(t, db, "influence-paths", map[string]string{"from": "usa", "to": "hamas", "maxHops": "3", "limit": "100"})
		want := map[string][3]any{
			// the US arms Israel (0.8); Israel's tie to Hamas: attack 1 against talks 0.21
			// (0.3, overridden, x 0.7, medium) = -0.79; 0.8 x 0.79 x 0.8 (one hop after
			// the first) = 0.5056; + x - = -
			"usa -[SUPPORTS_MILITARILY]-> israel -[ATTACKS]-> hamas": {"coercive", 0.5056, int64(-1)},
			// the US's own tie to Hamas: its demand (0.5) outweighs the talks (0.3)
			"usa -[DEMANDS_OF]-> hamas": {"coercive", 0.2, int64(-1)},
			// the US's hold on Qatar as its mediator (0.3) x Qatar's on Hamas (0.85) x 0.8
			"usa <-[MEDIATES_FOR]- qatar -[HOSTS+1]-> hamas": {"cooperative", 0.204, int64(1)},
			// 0.3 (talks) x (0.8 x 0.7, medium confidence) x 0.8 = 0.1344
			"usa -[NEGOTIATES_WITH]- iran -[SUPPORTS_MILITARILY]-> hamas": {"cooperative", 0.1344, int64(1)},
		}
		kinds, strengths, signs, hops := column(res, "kind"), column(res, "strength"), column(res, "sign"), column(res, "hops")
		for i, route := range routes(res) {
			n := len(hops[i].([]any))
			if n > 3 || strings.Count(route, "-[") != n {
				t.Errorf("route %q has %d hops", route, n)
			}
			seen := map[string]bool{}
			for _, f := range strings.Fields(route) {
				if !strings.HasPrefix(f, "-") {
					if seen[f] {
						t.Errorf("route %q visits %s twice", route, f)
					}
					seen[f] = true
				}
			}
			if w, ok := want[route]; ok {
				if kinds[i] != w[0] || strengths[i] != w[1] || signs[i] != w[2] {
					t.Errorf("%s: %v %v %v, want %v %v %v", route, kinds[i], strengths[i], signs[i], w[0], w[1], w[2])
				}
				delete(want, route)
			}
			if i > 0 && kinds[i] == kinds[i-1] && strengths[i].(float64) > strengths[i-1].(float64) {
				t.Errorf("not ranked by strength: %v after %v", strengths[i], strengths[i-1])
			}
			if i > 0 && kinds[i] == "cooperative" && kinds[i-1] == "coercive" {
				t.Errorf("a cooperative path after a coercive one: the kinds are ranked apart, cooperative first")
			}
		}
		for route := range want {
			t.Errorf("missing path %s", route)
		}
		// Read relationship by relationship, as the model did before net ties, the talks
		// are a cooperative hop of their own, though the pair is hostile on balance.
		one := routes(runQuery(t, db, "influence-paths", map[string]string{"from": "usa", "to": "hamas", "maxHops": "3", "limit": "100", "reading": "relationship"}))
		for _, r := range []string{"usa -[NEGOTIATES_WITH]- hamas", "usa -[SUPPORTS_MILITARILY]-> israel -[NEGOTIATES_WITH]- hamas"} {
			if !slices.Contains(one, r) {
				t.Errorf("reading relationship: %q lacks %s", one, r)
			}
			if slices.Contains(routes(res), r) {
				t.Errorf("reading dyad: %s over a hostile pair", r)
			}
		}
	})
	t.Run("a chain of hostilities is not influence: only the last hop may be net negative", func(t *testing.T) {
		// usa -CEASEFIRE_WITH- houthis -ATTACKS-> israel -ATTACKS-> hamas is a path of
		// the graph, but an attack on an attacker does not carry the US's influence.
		for _, kind := range []string{"both", "cooperative", "coercive"} {
			res := runQuery(t, db, "influence-paths", map[string]string{"from": "usa", "to": "hamas", "maxHops": "4", "limit": "100", "kind": kind})
			for i, hs := range column(res, "hops") {
				list := hs.([]any)
				for _, h := range list[:len(list)-1] {
					if net := h.(map[string]any)["net"].(float64); net <= 0 {
						t.Errorf("kind %s: %s has a hop of net %v before the last", kind, routes(res)[i], net)
					}
				}
				if kind != "both" && column(res, "kind")[i] != kind {
					t.Errorf("kind %s returned a %v path", kind, column(res, "kind")[i])
				}
			}
		}
	})
	t.Run("only relationships in force on asOf count, a partial date by its chance", func(t *testing.T) {
		// usa-consults-qatar runs 2025-05-13 to 2025-05-16; israel-attacks-houthis starts
		// 2025-05: it may have begun on any day of May, so on 1 May it counts 1/31 of its
		// strength, on 20 May 20/31, and its hop is marked uncertain (?).
		rels := func(res *Result) []string {
			var ids []string
			for _, h := range column(res, "hops") {
				for _, r := range h.([]any)[0].(map[string]any)["relationships"].([]any) {
					ids = append(ids, r.(map[string]any)["id"].(string))
				}
			}
			return ids
		}
		for _, tc := range []struct {
			from, to, asOf, rel string
			in                  bool
		}{
			{"usa", "qatar", "2025-05-14", "usa-consults-qatar", true},
			{"usa", "qatar", "2025-06-02", "usa-consults-qatar", false},
			{"israel", "houthis", "2025-05-01", "israel-attacks-houthis", true},
			{"israel", "houthis", "2025-04-30", "israel-attacks-houthis", false},
		} {
			got := rels(runQuery(t, db, "influence-paths", map[string]string{"from": tc.from, "to": tc.to, "asOf": tc.asOf, "maxHops": "1"}))
			if slices.Contains(got, tc.rel) != tc.in {
				t.Errorf("as of %s: %s in %q is %v, want %v", tc.asOf, tc.rel, got, !tc.in, tc.in)
			}
		}
		for _, tc := range []struct {
			asOf     string
			strength float64
		}{{"2025-05-01", 0.0323}, {"2025-05-20", 0.6452}} {
			res := runQuery(t, db, "influence-paths", map[string]string{"from": "israel", "to": "houthis", "asOf": tc.asOf, "maxHops": "1"})
			hop := column(res, "hops")[0].([]any)[0].(map[string]any)
			if got := routes(res); !slices.Equal(got, []string{"israel -[ATTACKS?]-> houthis"}) || column(res, "strength")[0] != tc.strength || hop["uncertain"] != true {
				t.Errorf("as of %s: %q %v uncertain %v, want israel -[ATTACKS?]-> houthis %v uncertain", tc.asOf, got, column(res, "strength"), hop["uncertain"], tc.strength)
			}
		}
	})
	t.Run("a symmetric relationship follows its reverse score backwards", func(t *testing.T) {
		// israel-negotiates-hamas is scored 0 from Hamas to Israel (reverseInfluence); read
		// relationship by relationship, the talks are a hop from Israel only.
		one := map[string]string{"maxHops": "1", "reading": "relationship"}
		fwd := routes(runQuery(t, db, "influence-paths", merge(one, map[string]string{"from": "israel", "to": "hamas"})))
		back := routes(runQuery(t, db, "influence-paths", merge(one, map[string]string{"from": "hamas", "to": "israel"})))
		if !slices.Contains(fwd, "israel -[NEGOTIATES_WITH]- hamas") {
			t.Errorf("israel to hamas: %q lacks the talks", fwd)
		}
		if slices.Contains(back, "hamas -[NEGOTIATES_WITH]- israel") || !slices.Contains(back, "hamas -[ATTACKS]-> israel") {
			t.Errorf("hamas to israel: got %q, want the attack and not the talks", back)
		}
	})
	t.Run("relationships that are not influence are not followed", func(t *testing.T) {
		// Both took part in edan-release (PARTICIPATED_IN, no strength); the only
		// one-hop path is through influence relationships.
		got := routes(runQuery(t, db, "influence-paths", map[string]string{"from": "hamas", "to": "usa", "maxHops": "2", "limit": "100"}))
		for _, r := range got {
			if strings.Contains(r, "PARTICIPATED_IN") || strings.Contains(r, "edan-release") {
				t.Errorf("followed a context relationship: %s", r)
			}
		}
	})
	t.Run("limit counts the paths of each kind", func(t *testing.T) {
		res := runQuery(t, db, "influence-paths", map[string]string{"limit": "2"})
		count := map[any]int{}
		for _, k := range column(res, "kind") {
			count[k]++
		}
		if count["cooperative"] != 2 || count["coercive"] != 2 {
			t.Errorf("got %v, want 2 of each", count)
		}
	})
	t.Run("five hops are reached only when asked", func(t *testing.T) {
		// Naim reaches Netanyahu only in five hops: bassem-naim -MEMBER_OF-
		// hamas-political-bureau -MEMBER_OF- hamas -NEGOTIATES_WITH- usa
		// -SUPPORTS_MILITARILY-> israel -LEADS- benjamin-netanyahu (Hamas's talks with
		// Israel do not move Israel, and its attack on Israel can only be a last hop).
		// Read relationship by relationship: over net ties Hamas's talks with the US do not
		// carry it on, since the US's tie to Hamas is hostile (its demand).
		params := map[string]string{"from": "bassem-naim", "to": "benjamin-netanyahu", "limit": "100", "reading": "relationship"}
		params["maxHops"] = "4"
		if four := runQuery(t, db, "influence-paths", params); len(four.Rows) != 0 {
			t.Errorf("maxHops 4 found %q", routes(four))
		}
		params["maxHops"] = "5"
		five := routes(runQuery(t, db, "influence-paths", params))
		if want := "bassem-naim -[MEMBER_OF]- hamas-political-bureau -[MEMBER_OF]- hamas -[NEGOTIATES_WITH]- usa -[SUPPORTS_MILITARILY]-> israel -[LEADS]- benjamin-netanyahu"; !slices.Contains(five, want) {
			t.Errorf("maxHops 5: %q lacks %s", five, want)
		}
	})
	t.Run("shortest paths have the fewest hops", func(t *testing.T) {
		// Hamas holds its patron by its dependence on it: one hop back over Iran's arms.
		res := runQuery(t, db, "shortest-path", map[string]string{"from": "hamas", "to": "iran"})
		for _, r := range routes(res) {
			if strings.Count(r, "-[") != 1 {
				t.Errorf("%s: want 1 hop", r)
			}
		}
		if want := "hamas <-[SUPPORTS_MILITARILY]- iran"; len(res.Rows) == 0 || routes(res)[0] != want {
			t.Errorf("strongest shortest path %q, want %q", routes(res), want)
		}
		// over two hops: every route of the fewest hops, and only those
		two := routes(runQuery(t, db, "shortest-path", map[string]string{"from": "qatar", "to": "israel"}))
		for _, r := range two {
			if strings.Count(r, "-[") != strings.Count(two[0], "-[") {
				t.Errorf("%q: routes of different lengths", two)
			}
		}
	})
	t.Run("as-of bounds are inclusive and open when missing", func(t *testing.T) {
		ids := func(day string) []any {
			return column(runQuery(t, db, "as-of", map[string]string{"date": day}), "relationship")
		}
		// usa-consults-qatar runs from 2025-05-13 to 2025-05-16; houthis-attack-usa ends
		// 2025-05-06; israel-attacks-houthis starts 2025-05 (the 1st).
		for _, tc := range []struct {
			day  string
			in   []string
			gone []string
		}{
			{"2025-05-12", []string{"israel-attacks-houthis", "usa-aids-israel", "usa-ceasefire-houthis"}, []string{"usa-consults-qatar", "houthis-attack-usa"}},
			{"2025-05-13", []string{"usa-consults-qatar"}, nil},
			{"2025-05-16", []string{"usa-consults-qatar"}, nil},
			{"2025-05-17", nil, []string{"usa-consults-qatar"}},
			{"2025-04-30", []string{"houthis-attack-usa"}, []string{"israel-attacks-houthis", "usa-ceasefire-houthis"}},
			{"2025-05-06", []string{"houthis-attack-usa", "usa-ceasefire-houthis"}, nil},
		} {
			got := ids(tc.day)
			for _, id := range tc.in {
				if !slices.Contains(got, any(id)) {
					t.Errorf("%s: %s is missing", tc.day, id)
				}
			}
			for _, id := range tc.gone {
				if slices.Contains(got, any(id)) {
					t.Errorf("%s: %s is listed", tc.day, id)
				}
			}
		}
	})
}

// TestNamesResolveInCypher runs every query with actor parameters as Neo4j Browser
// would, the Cypher alone with names and aliases for the actors (no Go resolution), and
// checks that it answers as with the IDs.
func TestNamesResolveInCypher(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadFixture(t, db)
	names := map[string]string{"usa": "United States", "hamas": "Islamic Resistance Movement", "israel": "israel",
		"iran": "Tehran", "houthis": "Ansar Allah", "egypt": "EGYPT", "qatar": "Qatar"}
	raw := func(q *Query, params map[string]any) *Result {
		t.Helper()
		ctx := context.Background()
		session := db.Session(ctx, neo4j.AccessModeRead)
		defer session.Close(ctx)
		res, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (*Result, error) {
			cur, err := tx.Run(ctx, q.Cypher, params)
			if err != nil {
				return nil, err
			}
			out := &Result{}
			for cur.Next(ctx) {
				row := make([]any, len(cur.Record().Values))
				for i, v := range cur.Record().Values {
					row[i] = plain(v)
				}
				out.Rows = append(out.Rows, row)
			}
			return out, cur.Err()
		})
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		return res
	}
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	tested := 0
	for _, q := range list {
		byID, err := q.Bind(nil)
		if err != nil {
			t.Fatal(err)
		}
		byName := maps.Clone(byID)
		hasActor := false
		for _, p := range q.Params {
			switch p.Type {
			case TypeActor:
				hasActor = true
				if n, ok := names[byID[p.Name].(string)]; ok {
					byName[p.Name] = n
				}
			case TypeActors:
				hasActor = true
				var list []any
				for _, id := range byID[p.Name].([]any) {
					list = append(list, cmp.Or(names[id.(string)], id.(string)))
				}
				byName[p.Name] = list
			}
		}
		if !hasActor {
			continue
		}
		tested++
		t.Run(q.Name, func(t *testing.T) {
			want, got := raw(q, byID), raw(q, byName)
			if len(want.Rows) == 0 && q.Name != "timeline" {
				t.Fatalf("no rows with the default IDs %v: the comparison would prove nothing", byID)
			}
			if !reflect.DeepEqual(got.Rows, want.Rows) {
				t.Errorf("with names %v the answer differs from the IDs':\n%v\nwant\n%v", byName, got.Rows, want.Rows)
			}
		})
	}
	if tested < 7 {
		t.Errorf("only %d queries take actors", tested)
	}
}

// merge returns a copy of a with b's entries added.
func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
