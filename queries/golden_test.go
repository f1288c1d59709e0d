package queries

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries/querytest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the results")

// goldenCase is one query run against the curated seeds, with its expected result in
// testdata/<golden>.golden and the reason, from the seed facts, why that answer is right.
type goldenCase struct {
	golden string
	query  string
	params map[string]string
	why    string
}

var goldenCases = []goldenCase{
	{
		golden: "influence-paths",
		query:  "influence-paths",
		why: "With the defaults (US to Hamas, up to 4 hops, 10 paths) the strongest paths are chains of " +
			"hostility, because an attack scores -10 on the Goldstein scale (strength 1): the US struck the " +
			"Houthis (usa-attacks-houthis-2025), who fired at Israel on 4 May (houthis-attacks-israel-2025-05-04), " +
			"which attacks Hamas in Gaza: 1 x 1 x 1, sign (-)(-)(-) = -. The same chain through the US-Houthi " +
			"truce of 6 May (0.9) is positive. Then the US arms Israel, which attacks Hamas (0.83, -), and the " +
			"direct talks of March and May 2025 (two NEGOTIATES_WITH, 0.7 each, +); the tenth is the US " +
			"negotiating with Iran, which arms Hamas (0.7 x 0.83 = 0.581).",
	},
	{
		golden: "influence-paths.usa-hamas-2-hops",
		query:  "influence-paths",
		params: map[string]string{"from": "United States", "to": "hamas", "maxHops": "2", "limit": "20"},
		why: "Within two hops (the US named by its name) there are 17 paths: directly, the talks of March and " +
			"May 2025 (0.7 each) and the US mediating for Hamas as a guarantor of the January ceasefire (0.5); " +
			"through Israel, which the US arms (0.83) and mediates for (0.5) and which attacks (1), makes " +
			"demands of (0.5) and negotiates with (0.7) Hamas; through Iran (nuclear talks 0.7 x arms for Hamas " +
			"0.83 = 0.581); through Trump, who leads the US (1) and demanded that Hamas disarm (-0.5); and, " +
			"weakest, through its co-mediators, which the US consults since January 2025 (0.1): Qatar, which " +
			"mediates for Hamas (January and May, 0.05 each) and hosts its political office (0.028), and Egypt, " +
			"which mediates for Hamas (0.05 each) and consults it (0.01).",
	},
	{
		golden: "influence-paths.usa-qatar",
		query:  "influence-paths",
		params: map[string]string{"from": "usa", "to": "Qatar", "maxHops": "3"},
		why: "The US reaches Qatar most strongly through Trump: he leads the US (LEADS, symmetric, 1) and " +
			"consulted Qatar on his Gulf visit of 13-16 May 2025 (CONSULTS, overridden to Goldstein 1.9 as a " +
			"state visit: 0.19). Second is the one hop of the US consulting Qatar as its co-mediator of the " +
			"January 2025 ceasefire (0.1). The other routes are weaker because they go through Hamas's offer " +
			"and appeal to Trump (0.4, 0.3) or through Egypt's consultations with Qatar: 0.1 x 0.1 = 0.01 when " +
			"the US consults Egypt itself, 0.0083 (the tenth) when it arms Israel, which consults Egypt.",
	},
	{
		golden: "influence-paths.hamas-usa",
		query:  "influence-paths",
		params: map[string]string{"from": "hamas", "to": "usa", "maxHops": "2"},
		why: "Hamas acts on the US directly through both rounds of talks (NEGOTIATES_WITH is symmetric) and by " +
			"releasing Edan Alexander to it on 12 May (RELEASES_CAPTIVES_TO, 0.7); through Trump, who leads " +
			"the US, by offering to cooperate (0.4) and appealing to him (0.3) on 15 May; and through Egypt, " +
			"which it consults (0.1) and which mediates for the US (0.5): 0.05, or consults it as a co-mediator " +
			"(0.1): 0.01.",
	},
	{
		golden: "shortest-path",
		query:  "shortest-path",
		why: "The US and Hamas are one hop apart by three relationships: the direct talks of March 2025 " +
			"(usa-negotiates-with-hamas-2025-03) and of May 2025 (hamas-negotiates-with-usa-2025-05, stored " +
			"from Hamas but symmetric), 0.7 each, and the US mediating for Hamas under the January 2025 " +
			"ceasefire (0.5). Hamas's release of Edan Alexander runs from Hamas to the US and is not followed.",
	},
	{
		golden: "shortest-path.houthis-qatar",
		query:  "shortest-path",
		params: map[string]string{"from": "Ansar Allah", "to": "qatar"},
		why: "The Houthis (named by their alias) are two hops from Qatar, by one path: their ties run only to " +
			"the US (truce, symmetric) and to Israel (attack, threat); the US consults Qatar as its co-mediator " +
			"of the January 2025 ceasefire (0.1), while nothing runs from Israel to Qatar in one hop. So 0.9 x " +
			"0.1 = 0.09; the stronger route through Trump's visit (0.171) takes three hops and is not shortest.",
	},
	{
		golden: "mediators",
		query:  "mediators",
		why: "Between the US and Hamas, Egypt and Qatar mediate for both sides (MEDIATES_FOR to the US in May " +
			"2025, to Hamas since the January ceasefire and again in May; Qatar also hosts Hamas's political " +
			"office), so they rank first (0.5 x 0.5 = 0.25; their consultations with the US as co-mediators " +
			"since January, 0.1, are listed but weaker). Iran (talks with the US, arms for Hamas) and Israel " +
			"(armed by the US, which mediates for it; in talks with Hamas in Doha) have positive ties to both " +
			"but mediate for neither, so they follow despite their stronger ties (0.7 x 0.83 = 0.581).",
	},
	{
		golden: "mediators.israel-hamas",
		query:  "mediators",
		params: map[string]string{"a": "israel", "b": "hamas"},
		why: "The three mediators and guarantors of the January 2025 ceasefire, the US, Egypt and Qatar, " +
			"mediate for both Israel and Hamas; the US ranks first by the strength of its ties (it arms Israel, " +
			"0.83, and negotiates with Hamas, 0.7). The European nations only appeal to both (0.3 x 0.3).",
	},
	{
		golden: "brokers",
		query:  "brokers",
		why: "Of the 30 ordered pairs among the six others, each pair's strongest path passes through the US " +
			"9 times, because the US (or Trump, who leads it) is the way to Qatar (Trump's visit, 0.19) and to " +
			"Iran (the nuclear talks); through the Houthis 8 times, because the US strike campaign on them and " +
			"their attack on Israel chain at full strength (usa -> israel: 1 x 1 beats the US military aid, " +
			"0.83); through Israel 6 times (it attacks Hamas, and the Houthis attacked it); and through Hamas " +
			"once (iran -> egypt: Iran arms Hamas, which consults Egypt). usa -> egypt has no broker: the US " +
			"consults Egypt directly (0.1), which ties the chain through the Houthis and Israel (1 x 1 x 0.1) " +
			"and wins by fewer hops. Egypt, Iran and Qatar lie on no pair's strongest path: what runs into " +
			"Egypt and Qatar is consultation (0.1-0.19), and the paths through Iran (0.7 x 0.83) lose to the " +
			"hostilities and to the US.",
	},
	{
		golden: "proxies",
		query:  "proxies",
		why: "Iran arms Hamas and the Houthis (SUPPORTS_MILITARILY, CAMEO 072 in root 07, 0.83). The Houthis " +
			"fired at Israel on 4 May 2025 (ATTACKS, 1) and threaten it since the US truce of 6 May; the " +
			"seeds hold no negative relationship from Hamas itself, so its target is empty.",
	},
	{
		golden: "proxies.usa",
		query:  "proxies",
		params: map[string]string{"actor": "US"},
		why: "The US (named by its alias) arms Israel, a state, not an armed group, and supports no armed " +
			"group: no rows.",
	},
	{
		golden: "balance",
		query:  "balance",
		why: "On 2 June 2025 the US and Israel are tied positively (+1.33: military aid 0.83, mediation 0.5). " +
			"Two triads are unbalanced: with Hamas, which the US talks to and mediates for (+1.9) while Israel " +
			"attacks it and makes demands of it (-1.5), and with the Houthis, with whom the US has a truce " +
			"(+0.9, less its sanctions 0.4) while they threaten Israel (-0.7): the friend of a friend is an " +
			"enemy. The US strikes on the Houthis ended on 6 May and do not count. The triads with Netanyahu, " +
			"Egypt, Qatar (each +0.6 with the US: mediation for it, 0.5, and consultation as co-mediators, " +
			"0.1) and Witkoff are positive all round.",
	},
	{
		golden: "balance.usa-hamas",
		query:  "balance",
		params: map[string]string{"a": "usa", "b": "hamas"},
		why: "The US and Hamas are tied positively on 2 June 2025 (+1.9: two rounds of talks, 0.7 each, and " +
			"mediation, 0.5), and so is each with Egypt and Qatar (+0.6 with the US: mediation for it, 0.5, and " +
			"consultation as co-mediators, 0.1), Iran and Trump (Hamas's offer and appeal to him, 0.7, outweigh " +
			"his demand, 0.5): balanced. Israel, friend of the US (+1.33) and enemy of " +
			"Hamas (-1.5), makes the one unbalanced triad.",
	},
	{
		golden: "conflicting-demands",
		query:  "conflicting-demands",
		why: "Hamas's demand for an end of the war contradicts three demands: that it disarm (held by Israel " +
			"and by Trump), that it release all hostages and that its leadership be removed (Israel's " +
			"preconditions); and its demand for a prisoner exchange contradicts Israel's demand that it release " +
			"all hostages first.",
	},
	{
		golden: "timeline",
		query:  "timeline",
		why: "Hamas took part in the release of Edan Alexander in Gaza on 12 May 2025, with the US, and " +
			"through Bassem Naim, a member of its political bureau (MEMBER_OF, an affiliation), in his " +
			"interview of 15 May on the direct talks.",
	},
	{
		golden: "timeline.usa",
		query:  "timeline",
		params: map[string]string{"actor": "usa"},
		why: "The US took part in Edan Alexander's release (12 May 2025) itself, in the Doha ceasefire talks " +
			"of 13-22 May through its envoy Steve Witkoff (SPEAKS_FOR), and in the Gulf visit of 13-16 May " +
			"through Trump (LEADS); the two events of 13 May sort by ID.",
	},
	{
		golden: "as-of",
		query:  "as-of",
		why: "On 2 June 2025, 47 influence relationships are in force: among them the US consultations with " +
			"Qatar and Egypt (since 15 January), the US-Houthi truce and the Houthi threat to Israel (since 6 " +
			"May), but not the US strikes on the Houthis (until 6 May), the one-day events (the Houthi missile " +
			"of 4 May, Alexander's release on 12 May) or the Doha talks and Trump's visit (which ended on 22 " +
			"and 16 May).",
	},
	{
		golden: "as-of.2025-05-01",
		query:  "as-of",
		params: map[string]string{"date": "2025-05-01"},
		why: "On 1 May 2025, 43 are in force: the US strikes on the Houthis (March to 6 May) and the US " +
			"consultations with Qatar and Egypt (since 15 January) are; the truce, the Houthi threat, Hamas's " +
			"offer and appeal to Trump (15 May) and Spain's criticism (25 May) are not yet; relationships " +
			"dated to the month (since 2025-05) count from its first day.",
	},
	{
		golden: "evidence",
		query:  "evidence",
		why: "The March 2025 US-Hamas talks rest on two quotes from the Business Recorder's copy of Reuters " +
			"(7 March 2025): Witkoff saying the direct discussions were recent, and Boehler having met Hamas " +
			"in Doha.",
	},
}

// TestGolden runs every case against the curated seeds, loaded by the loader into a
// real server, and compares the result (as `query run --format json` prints it) with
// its golden file. On a mismatch the result is written beside it as .FAIL; go test
// -run TestGolden -update rewrites the golden files (then read them: each must still
// match its case's why).
func TestGolden(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadSeeds(t, db)
	list, _ := List()
	covered := map[string]bool{}
	for _, tc := range goldenCases {
		covered[tc.query] = true
		t.Run(tc.golden, func(t *testing.T) {
			if tc.why == "" {
				t.Fatal("a golden case needs its why")
			}
			res := runQuery(t, db, tc.query, tc.params)
			var got bytes.Buffer
			if err := res.Write(&got, "json"); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tc.golden+".golden")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				_ = os.Remove(path + ".FAIL")
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGolden -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				_ = os.WriteFile(path+".FAIL", got.Bytes(), 0o644)
				t.Errorf("%s differs from the result, written to %s.FAIL; diff them, and if the new answer is right (%s), run go test -run TestGolden -update",
					path, path, tc.why)
				return
			}
			_ = os.Remove(path + ".FAIL")
		})
	}
	for _, q := range list {
		if !covered[q.Name] {
			t.Errorf("no golden case runs the query %s", q.Name)
		}
	}

	// The dataset's promise, checked in the graph: each of the seven actors can
	// influence each other one along a path of at most 4 hops (seeds/seeds_test.go
	// checks the same on the parsed YAML).
	t.Run("every ordered pair of the seven within 4 hops", func(t *testing.T) {
		seven := []string{"usa", "israel", "hamas", "egypt", "qatar", "iran", "houthis"}
		for _, from := range seven {
			for _, to := range seven {
				if from == to {
					continue
				}
				res := runQuery(t, db, "influence-paths", map[string]string{"from": from, "to": to, "maxHops": "4", "limit": "1"})
				if len(res.Rows) != 1 {
					t.Errorf("%s -> %s: no influence path of at most 4 hops", from, to)
				}
			}
		}
	})
}
