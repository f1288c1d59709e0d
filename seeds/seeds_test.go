package seeds_test

import (
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// The seven actors whose influence on each other the dataset exists to trace.
var seven = []string{"usa", "israel", "hamas", "egypt", "qatar", "iran", "houthis"}

func records(t *testing.T) []schema.Record {
	t.Helper()
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	var out []schema.Record
	fs, err := schema.Walk(in, func(r schema.Record) error { out = append(out, r); return nil })
	if err != nil || len(fs) > 0 {
		t.Fatalf("parsing the seeds: %v %v", err, fs)
	}
	return out
}

func TestSeedsAreStrictlyValid(t *testing.T) {
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range schema.Validate(in, schema.Default()) {
		t.Error(f)
	}
}

// TestInfluencePathsBetweenTheSeven: every ordered pair of the seven actors is joined by
// an influence path of at most 4 hops over the parsed data, following the same rules
// as the path queries: influence types between actors, directed ones from->to only,
// symmetric ones both ways.
func TestInfluencePathsBetweenTheSeven(t *testing.T) {
	v := schema.Default()
	next := map[string][]string{}
	for _, r := range records(t) {
		rel := r.Relationship
		if rel == nil {
			continue
		}
		typ := v.Type(rel.Type)
		if typ == nil || !typ.ActorInfluence(v) {
			continue
		}
		next[rel.From] = append(next[rel.From], rel.To)
		if typ.Symmetric {
			next[rel.To] = append(next[rel.To], rel.From)
		}
	}
	hops := func(from, to string) int {
		dist := map[string]int{from: 0}
		queue := []string{from}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, m := range next[n] {
				if _, seen := dist[m]; !seen {
					dist[m] = dist[n] + 1
					if m == to {
						return dist[m]
					}
					queue = append(queue, m)
				}
			}
		}
		return -1
	}
	for _, a := range seven {
		for _, b := range seven {
			if a == b {
				continue
			}
			if h := hops(a, b); h < 1 || h > 4 {
				t.Errorf("%s -> %s: shortest influence path has %d hops, want 1..4 (-1: none)", a, b, h)
			}
		}
	}
}

var lineCellRe = regexp.MustCompile(`^\| ([0-9][0-9,–\- ]*) \|`)

// TestTraceabilityCoversTheArticle: seeds/README.md's table names, for every non-empty
// line of the article, the records that carry it (or why none do).
func TestTraceabilityCoversTheArticle(t *testing.T) {
	article, err := fs.ReadFile(seeds.FS, "sources/2025-06-02-hamas-us-direct-ceasefire-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := fs.ReadFile(seeds.FS, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[int]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		m := lineCellRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, part := range strings.Split(m[1], ",") {
			part = strings.TrimSpace(part)
			lo, hi, isRange := strings.Cut(strings.ReplaceAll(part, "–", "-"), "-")
			a, err1 := strconv.Atoi(strings.TrimSpace(lo))
			b := a
			var err2 error
			if isRange {
				b, err2 = strconv.Atoi(strings.TrimSpace(hi))
			}
			if err1 != nil || err2 != nil {
				t.Fatalf("README table: bad line cell %q", m[1])
			}
			for i := a; i <= b; i++ {
				covered[i] = true
			}
		}
	}
	for i, line := range strings.Split(string(article), "\n") {
		if strings.TrimSpace(line) != "" && !covered[i+1] {
			t.Errorf("article line %d is not in the traceability table: %.60q", i+1, line)
		}
	}
}

// TestREADMEExampleIsValid: the example file in seeds/README.md validates on its own.
func TestREADMEExampleIsValid(t *testing.T) {
	readme, err := fs.ReadFile(seeds.FS, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```yaml\n")
	example, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("seeds/README.md has no ```yaml example")
	}
	in := []schema.Input{{Name: "README.md example", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(example)), nil
	}}}
	for _, f := range schema.Validate(in, schema.Default()) {
		if f.Severity == schema.SeverityError {
			t.Error(f)
		}
	}
	if !strings.Contains(example, "relationships:") || !strings.Contains(example, "nodes:") || !strings.Contains(example, "sources:") {
		t.Error("the example should show a source, nodes and a relationship")
	}
}

var (
	statementRowRe = regexp.MustCompile(`^\| (S[0-9]{2}) \| ([0-9]+) \| [^|]+ \| ([^|]+) \|`)
	backtickIDRe   = regexp.MustCompile("`([a-z0-9]+(?:-[a-z0-9]+)*)`")
)

// articleStatements is how many factual statements the article makes (the fidelity
// review's §3 counts 53; editorial sentences are not among them).
const articleStatements = 53

// TestStatementsAreTraced: seeds/README.md's statement table lists the article's 52
// statements once each, in order, and for each names records that exist, at least one of
// which quotes the article line the statement is on.
func TestStatementsAreTraced(t *testing.T) {
	article, err := fs.ReadFile(seeds.FS, "sources/2025-06-02-hamas-us-direct-ceasefire-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(article), "\n")
	readme, err := fs.ReadFile(seeds.FS, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]schema.Record{}
	for _, r := range records(t) {
		byID[r.ID()] = r
	}
	var got []string
	for _, row := range strings.Split(string(readme), "\n") {
		m := statementRowRe.FindStringSubmatch(row)
		if m == nil {
			continue
		}
		id, line := m[1], m[2]
		got = append(got, id)
		n, _ := strconv.Atoi(line)
		if n < 1 || n > len(lines) || strings.TrimSpace(lines[n-1]) == "" {
			t.Errorf("%s: line %s is not a line of the article with text", id, line)
			continue
		}
		ids := backtickIDRe.FindAllStringSubmatch(m[3], -1)
		if len(ids) == 0 {
			t.Errorf("%s: names no records", id)
		}
		quoted := false
		for _, x := range ids {
			r, ok := byID[x[1]]
			if !ok {
				t.Errorf("%s: names %q, which is no record in seeds/", id, x[1])
				continue
			}
			for _, e := range evidenceOf(r) {
				if e.Source == "src-article" && e.Quote != "" && strings.Contains(lines[n-1], e.Quote) {
					quoted = true
				}
			}
		}
		if !quoted {
			t.Errorf("%s: none of its records quotes article line %d", id, n)
		}
	}
	if len(got) != articleStatements {
		t.Errorf("the statement table has %d rows, want %d", len(got), articleStatements)
	}
	for i, id := range got {
		if want := fmt.Sprintf("S%02d", i+1); id != want {
			t.Errorf("row %d is %s, want %s (once each, in order)", i+1, id, want)
		}
	}
}

// TestREADMETablesNameExistingRecords: every record ID in backticks in a table row of
// seeds/README.md is a source, node or relationship of the dataset.
func TestREADMETablesNameExistingRecords(t *testing.T) {
	readme, err := fs.ReadFile(seeds.FS, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, r := range records(t) {
		known[r.ID()] = true
	}
	// Words of the format that look like IDs but name fields or values, not records.
	values := map[string]bool{"high": true, "medium": true, "low": true, "none": true, "unverified": true,
		"date": true, "since": true, "until": true}
	checked := 0
	for i, row := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(row, "|") {
			continue
		}
		for _, x := range backtickIDRe.FindAllStringSubmatch(row, -1) {
			if values[x[1]] {
				continue
			}
			checked++
			if !known[x[1]] {
				t.Errorf("seeds/README.md:%d names %q, which is no record in seeds/", i+1, x[1])
			}
		}
	}
	if checked < 200 {
		t.Errorf("only %d record IDs found in the README's tables; is the table format still `id`?", checked)
	}
}

func evidenceOf(r schema.Record) []schema.Evidence {
	switch {
	case r.Node != nil:
		return r.Node.Evidence
	case r.Relationship != nil:
		return r.Relationship.Evidence
	}
	return nil
}

// TestInForceOnTheArticlesDate: the time bounds say which relations held on 2 June 2025,
// the article's date, and on earlier days of the period the dataset covers (a case's day,
// when it names one), as the sources date them (a partial date covers its whole span).
func TestInForceOnTheArticlesDate(t *testing.T) {
	cases := []struct {
		id   string
		want bool
		why  string
		day  string // YYYY-MM-DD; empty: 2025-06-02
	}{
		{"usa-mediates-for-hamas-2025-01", false, "the January ceasefire collapsed on 18 March 2025", ""},
		{"qatar-mediates-for-israel-2025-01", false, "the January ceasefire collapsed on 18 March 2025", ""},
		{"usa-consults-egypt-2025-01", false, "the co-mediation of the January ceasefire ended with it", ""},
		{"usa-negotiates-with-hamas-2025-03", false, "the March channel began and ended in March", ""},
		{"usa-attacks-houthis-2025", false, "the US strikes stopped with the truce of 6 May", ""},
		{"donald-trump-consults-qatar-2025-05", false, "Trump left Doha on 15 May", ""},
		{"hamas-negotiates-with-usa-2025-05", true, "Naim still dealt with Witkoff on 31 May", ""},
		{"qatar-mediates-for-usa-2025-05", true, "Qatar and Egypt carried the Witkoff proposal and Hamas's reply", ""},
		{"egypt-mediates-for-hamas-2025-05", true, "Hamas handed its reply of 31 May to the Egyptian and Qatari mediators", ""},
		{"israel-attacks-houthis-2025-05", true, "Israel struck Sanaa airport on 28 May", ""},
		{"houthis-attacks-israel-2025-03-18", true, "the Houthis fired at Israel on 27 May", ""},
		{"israel-attacks-hamas-gaza", true, "Gideon's Chariots went on", ""},
		{"usa-sanctions-iran-2025", true, "maximum pressure was not lifted", ""},
		{"israel-threatens-iran-2025", true, "Israel prepared a strike (CNN, 20 May)", ""},
		{"iran-threatens-israel-2025", true, "Araghchi's warning of 22 May", ""},
		{"egypt-consults-qatar-2025-01", false, "the two mediators coordinated the January ceasefire, which ended on 18 March", ""},
		{"egypt-consults-qatar-2025-05", true, "Hamas handed its reply of 31 May to the Egyptian and Qatari mediators", ""},
		{"iran-threatens-usa-2025", true, "Araghchi's letter of 22 May held the US responsible for any Israeli strike", ""},
		{"israel-consults-usa-iran-talks-2025", true, "Dermer and Barnea met Witkoff in Rome on 23 May; the Iran talks went on", ""},
		{"usa-mediates-for-israel-2025-05", true, "Witkoff carried the 60-day text and answered Hamas's reply of 31 May", ""},
		{"usa-mediates-for-hamas-2025-05", true, "Witkoff carried the 60-day text and answered Hamas's reply of 31 May", ""},
		{"israel-negotiates-with-hamas-2025-05", false, "the Doha round ended when Israel withdrew its team on 22 May", ""},
		{"israel-negotiates-with-hamas-2025-05-29", true, "Israel accepted the US text on 29 May and Hamas answered on 31 May", ""},
		{"usa-endorses-ghf-aid-mechanism", true, "the US-backed GHF distributed aid in Gaza from 26 May", ""},
		{"israel-endorses-ghf-aid-mechanism", true, "Israel enabled the GHF's hubs, which replaced the UN-led system", ""},
		{"hamas-rejects-ghf-aid-mechanism", true, "Hamas told Gazans to stay away and asked for the old system on 31 May", ""},
		{"usa-proposes-us-nuclear-proposal", true, "Oman delivered the US proposal in Tehran on 31 May; Iran had not answered", ""},
		{"houthis-blockades-israel-2025-05-04", true, "the Houthi air and sea blockade declarations of 4 and 19 May stood", ""},
		{"hamas-holds-hostages-of-usa", true, "Hamas held the remains of four US citizens", ""},
		{"iran-consults-egypt-2025-06-02", true, "Araghchi met Sisi in Cairo on 2 June", ""},
		{"hamas-offers-cooperation-to-donald-trump", false, "Naim's offer was a statement of 15 May", ""},
		{"spain-criticizes-israel-2025-05-25", false, "Albares spoke at the Madrid meeting of 25 May", ""},
		{"israel-party-to-gaza-ceasefire-2025-01", false, "Israel ended the January ceasefire on 18 March", ""},
		{"oman-mediates-for-usa-houthi-ceasefire", false, "Oman's mediation concluded with the truce of 6 May", ""},
		// 15 April 2025: the war on Yemen's and Iran's fronts before the May events
		{"houthis-attacks-israel-2025-03-18", true, "the Houthis fired at Israel again from 18 March", "2025-04-15"},
		{"houthis-threatens-israel-2025-03-18", true, "the Houthis threatened Israel from 18 March until it ended the war", "2025-04-15"},
		{"usa-threatens-iran-2025-03-30", true, "Trump threatened bombing on 30 March if Iran made no deal", "2025-04-15"},
		{"usa-attacks-houthis-2025", true, "the US strikes ran from 15 March to 6 May", "2025-04-15"},
		{"israel-attacks-houthis-2025-05", false, "Israel left the Houthis to the US from 11 January to 5 May", "2025-04-15"},
		{"israel-attacks-houthis-2024-07", false, "Israel's last strike of that campaign was on 11 January", "2025-04-15"},
		{"usa-supports-egypt-military-aid", true, "US military aid to Egypt runs since 1979", "2025-04-15"},
		// 1 March 2025: the Gaza ceasefire's first phase had just ended; Yemen's front was quiet
		{"houthis-attacks-israel-2023-10", false, "the Houthis paused from the Gaza ceasefire of 19 January", "2025-03-01"},
		{"houthis-attacks-israel-2025-03-18", false, "the Houthis resumed only on 18 March", "2025-03-01"},
		{"usa-attacks-houthis-2025", false, "the US strikes began on 15 March", "2025-03-01"},
	}
	rels := map[string]*schema.Relationship{}
	for _, r := range records(t) {
		if r.Relationship != nil {
			rels[r.Relationship.ID] = r.Relationship
		}
	}
	for _, c := range cases {
		day := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
		if c.day != "" {
			var err error
			if day, err = time.Parse(time.DateOnly, c.day); err != nil {
				t.Fatal(err)
			}
		}
		r, ok := rels[c.id]
		if !ok {
			t.Errorf("%s: no such relationship", c.id)
			continue
		}
		got := true
		if !r.Since.IsZero() {
			_, first, _, err := r.Since.Parse()
			if err != nil {
				t.Fatalf("%s: since: %v", c.id, err)
			}
			got = got && !first.After(day)
		}
		if !r.Until.IsZero() {
			_, _, last, err := r.Until.Parse()
			if err != nil {
				t.Fatalf("%s: until: %v", c.id, err)
			}
			got = got && !last.Before(day)
		}
		if got != c.want {
			t.Errorf("%s in force on %s = %v, want %v: %s", c.id, day.Format(time.DateOnly), got, c.want, c.why)
		}
	}
}

// TestNoActOfMayInForceOnTheArticlesDate: a statement, an appeal, a visit, a praise, an
// offer, a release or a refused request is an act of its day (seeds/README.md, "End
// dates"), so none made in May 2025 is still in force on 2 June 2025.
func TestNoActOfMayInForceOnTheArticlesDate(t *testing.T) {
	acts := map[string]bool{"CRITICIZES": true, "APPEALS_TO": true, "PRAISES": true, "OFFERS_COOPERATION": true,
		"RELEASES_CAPTIVES_TO": true, "REJECTS_REQUEST_OF": true}
	day := time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	checked := 0
	for _, rec := range records(t) {
		r := rec.Relationship
		if r == nil || !acts[r.Type] || r.Since.IsZero() {
			continue
		}
		if r.Act != nil && !*r.Act {
			continue // an appeal repeated through a period (act: false) is no one-day act
		}
		_, first, _, err := r.Since.Parse()
		if err != nil {
			t.Fatalf("%s: since: %v", r.ID, err)
		}
		if first.Year() != 2025 || first.Month() != time.May {
			continue
		}
		checked++
		if r.Until.IsZero() {
			t.Errorf("%s (%s since %s) has no end: an act of May is not in force on 2 June", r.ID, r.Type, r.Since)
			continue
		}
		if _, _, last, err := r.Until.Parse(); err != nil || !last.Before(day) {
			t.Errorf("%s (%s) ends %s, not before 2 June (%v)", r.ID, r.Type, r.Until, err)
		}
	}
	if checked < 10 {
		t.Errorf("only %d acts of May 2025 found; the types or the seeds changed", checked)
	}
}
