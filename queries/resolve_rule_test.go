package queries

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/queries/querytest"
)

// ruleActors is the graph of TestOneActorRule: actors whose names and aliases overlap in
// every way the rule has a step for.
const ruleActors = `sources:
  - {id: src-test, publisher: Example, title: Test, url: https://example.org/test, published: 2025-06-02, reliability: reputable}
nodes:
  - {id: usa, kind: State, name: United States, aliases: [U.S., US, United States of America], evidence: [{source: src-test, note: test}]}
  - {id: us-government, kind: GovernmentBody, name: US Government, aliases: [United States], evidence: [{source: src-test, note: an alias that is another actor's name}]}
  - {id: qatar, kind: State, name: Qatar, evidence: [{source: src-test, note: test}]}
  - {id: tamim, kind: Person, name: Tamim bin Hamad Al Thani, aliases: [Emir of Qatar], evidence: [{source: src-test, note: a word that is another actor's ID}]}
  - {id: hamas, kind: NonStateArmedGroup, name: Hamas, aliases: [Islamic Resistance Movement], evidence: [{source: src-test, note: test}]}
  - {id: hamas-political-bureau, kind: GovernmentBody, name: Hamas political bureau, evidence: [{source: src-test, note: test}]}
  - {id: houthis, kind: NonStateArmedGroup, name: Houthis, aliases: [Ansar Allah], evidence: [{source: src-test, note: test}]}
  - {id: donald-trump, kind: Person, name: Donald Trump, aliases: [Donald J. Trump], evidence: [{source: src-test, note: test}]}
  - {id: trump-jr, kind: Person, name: Donald Trump Jr., evidence: [{source: src-test, note: "a surname shared, ending in Jr."}]}
  - {id: benjamin-netanyahu, kind: Person, name: Benjamin Netanyahu, evidence: [{source: src-test, note: test}]}
  - {id: steve-witkoff, kind: Person, name: Steve Witkoff, aliases: [Whitkoff], evidence: [{source: src-test, note: test}]}
  - {id: bassem-naim, kind: Person, name: Bassem Naim, aliases: [Basem Naim], evidence: [{source: src-test, note: a surname in the name and an alias}]}
  - {id: doha, kind: Place, name: Doha, evidence: [{source: src-test, note: not an actor}]}
`

// TestOneActorRule runs the CLI's resolution (Resolve) and the Cypher block every stored
// query carries (ResolveActorPart, as Neo4j Browser runs it) over one table of inputs:
// both find the same actor, both find the same candidates of an ambiguous input, and
// both say when nothing matches.
func TestOneActorRule(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadYAML(t, db, "rule.yaml", []byte(ruleActors))
	q, err := Get("timeline")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in   string
		want []string // one ID: found; several: ambiguous, these candidates; none: no actor
		why  string
	}{
		{"usa", []string{"usa"}, "an ID"},
		{" USA ", []string{"usa"}, "an ID in any case, trimmed"},
		{"united states", []string{"usa"}, "a name beats another actor's alias"},
		{"United States of America", []string{"usa"}, "an alias"},
		{"u.s.", []string{"usa"}, "an alias with punctuation"},
		{"Qatar", []string{"qatar"}, "an ID beats a word of another actor's alias"},
		{"Hamas", []string{"hamas"}, "an ID beats a word of another actor's name"},
		{"Trump", []string{"donald-trump"}, "a surname: Donald Trump Jr.'s name ends in Jr."},
		{"trump jr.", []string{"trump-jr"}, "a surname of two words"},
		{"Netanyahu", []string{"benjamin-netanyahu"}, "a surname"},
		{"Witkoff", []string{"steve-witkoff"}, "a surname, whatever the alias"},
		{"Whitkoff", []string{"steve-witkoff"}, "an alias"},
		{"Naim", []string{"bassem-naim"}, "a surname of the name and of an alias: one actor"},
		{"Bassem", []string{"bassem-naim"}, "a word of the name"},
		{"Allah", []string{"houthis"}, "a word of an alias"},
		{"political bureau", []string{"hamas-political-bureau"}, "words of the name"},
		{"emir", []string{"tamim"}, "a word of an alias, in any case"},
		{"Donald", []string{"donald-trump", "trump-jr"}, "a word two actors share: ambiguous"},
		{"Hezbollah", nil, "not in the graph"},
		{"doha", nil, "a place, not an actor"},
		{"Trum", nil, "part of a word is no word"},
		{`hamas" OR "*`, nil, "Lucene syntax is text"},
		{"!!", nil, "punctuation only"},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.why, func(t *testing.T) {
			// The CLI.
			got, err := Resolve(ctx, db, q, map[string]any{"actor": tc.in})
			var ae *ActorError
			switch {
			case len(tc.want) == 1:
				if err != nil || got["actor"] != tc.want[0] {
					t.Errorf("CLI: %q gave %v, %v; want %s", tc.in, got["actor"], err, tc.want[0])
				}
			case len(tc.want) > 1:
				if !errors.Is(err, ErrAmbiguousActor) || !errors.As(err, &ae) {
					t.Fatalf("CLI: %q gave %v, %v; want ambiguous", tc.in, got["actor"], err)
				}
				var ids []string
				for _, c := range ae.Candidates {
					ids = append(ids, c.ID)
				}
				if !slices.Equal(ids, tc.want) {
					t.Errorf("CLI: %q is ambiguous between %v; want %v", tc.in, ids, tc.want)
				}
			default:
				if !errors.Is(err, ErrNoActor) {
					t.Errorf("CLI: %q gave %v, %v; want no actor", tc.in, got["actor"], err)
				}
			}
			// The Cypher, as Browser runs it.
			id, err := browserResolve(ctx, t, db, tc.in)
			switch {
			case len(tc.want) == 1:
				if err != nil || id != tc.want[0] {
					t.Errorf("Cypher: %q gave %q, %v; want %s", tc.in, id, err, tc.want[0])
				}
			case len(tc.want) > 1:
				if err == nil || !strings.Contains(err.Error(), "is ambiguous: it names") {
					t.Fatalf("Cypher: %q gave %q, %v; want an ambiguity error", tc.in, id, err)
				}
				for _, c := range tc.want {
					if !strings.Contains(err.Error(), c+" (") {
						t.Errorf("Cypher: the error %q does not name %s", err, c)
					}
				}
			default:
				if err == nil || !strings.Contains(err.Error(), "no actor has the ID, name or alias") {
					t.Errorf("Cypher: %q gave %q, %v; want a no-actor error", tc.in, id, err)
				}
			}
		})
	}
}

// browserResolve runs the resolution block alone with $from = in and returns the ID it
// binds, or the error the query fails with.
func browserResolve(ctx context.Context, t *testing.T, db *neo4jconn.DB, in string) (string, error) {
	t.Helper()
	session := db.Session(ctx, neo4j.AccessModeRead)
	defer session.Close(ctx)
	return neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (string, error) {
		res, err := tx.Run(ctx, ResolveActorPart+"\nRETURN a.id AS id", map[string]any{"from": in})
		if err != nil {
			return "", err
		}
		rec, err := res.Single(ctx)
		if err != nil {
			return "", err
		}
		id, _ := rec.Values[0].(string)
		return id, nil
	})
}
