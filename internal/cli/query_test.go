package cli

import (
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/queries/querytest"
)

func TestQueryList(t *testing.T) {
	list, err := queries.List()
	if err != nil {
		t.Fatal(err)
	}
	t.Run("table", func(t *testing.T) {
		code, out, errOut := runCLI(t, "query", "list")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, q := range list {
			// descriptions are wrapped at 100 columns, going on at their indent
			first := strings.Fields(q.Description)[0]
			if !strings.Contains(out, q.Name+"\n    "+first+" ") || !strings.Contains(strings.Join(strings.Fields(out), " "), q.Name+" "+strings.Join(strings.Fields(q.Description), " ")+" ") {
				t.Errorf("list lacks %s and its description:\n%s", q.Name, out)
			}
		}
		if !regexp.MustCompile(`(?m)^    --param maxHops=INT +default 4, 1\.\.5 +the longest path,\s+in relationships$`).MatchString(out) {
			t.Errorf("list does not show parameters with defaults and ranges:\n%s", out)
		}
	})
	t.Run("json", func(t *testing.T) {
		code, out, _ := runCLI(t, "query", "list", "--format", "json")
		var got []struct {
			Name    string `json:"name"`
			Params  []struct{ Name, Type, Default string }
			Columns []string `json:"columns"`
		}
		if code != exitOK || json.Unmarshal([]byte(out), &got) != nil || len(got) != len(list) {
			t.Fatalf("exit %d, output %s", code, out)
		}
		if got[0].Name != list[0].Name || len(got[0].Columns) == 0 {
			t.Errorf("got %+v", got[0])
		}
		for i, q := range list {
			if len(got[i].Params) != len(q.Params) {
				t.Errorf("%s: %d params in JSON, want %d", q.Name, len(got[i].Params), len(q.Params))
				continue
			}
			for j, p := range q.Params {
				if g := got[i].Params[j]; g.Name != p.Name || g.Type != string(p.Type) || g.Default != p.Default {
					t.Errorf("%s param %d: got %+v, want %s %s %q", q.Name, j, g, p.Name, p.Type, p.Default)
				}
			}
		}
	})
	t.Run("bad format", func(t *testing.T) {
		if code, _, _ := runCLI(t, "query", "list", "--format", "csv"); code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
	})
}

func TestQueryShow(t *testing.T) {
	q, err := queries.Get("influence-paths")
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "query", "show", "influence-paths")
	if code != exitOK || out != q.Cypher {
		t.Errorf("exit %d; output is not the file:\n%s", code, out)
	}
	if !strings.Contains(out, ":param from => 'usa';") {
		t.Errorf("the Browser lines are missing:\n%s", out)
	}
	code, out, _ = runCLI(t, "query", "show", "--browser", "influence-paths")
	if want := ":param from => 'usa';\n:param to => 'hamas';\n:param asOf => date('2025-06-02');\n:param kind => 'both';\n:param maxHops => 4;\n:param limit => 5;\n:param attenuation => 0.8;\n" +
		":param confidence => 'graded';\n:param aggregation => 'noisy-or';\n:param reading => 'dyad';\n:param scaleType => 'none';\n:param scale => 1.0;\n" + q.Cypher; code != exitOK || out != want {
		t.Errorf("--browser: exit %d, output\n%s", code, out)
	}
	code, _, errOut := runCLI(t, "query", "show", "influence-path")
	if code != exitUsage || errOut != "backchannel: unknown query \"influence-path\": did you mean \"influence-paths\"? backchannel query list shows them all\n" {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "query", "show"); code != exitUsage {
		t.Errorf("no name: exit %d", code)
	}
}

func TestQueryRun(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadFixture(t, db)
	conn := connFlags(t)
	queryRun := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, append(append(append([]string{}, conn...), "query", "run"), args...)...)
	}

	t.Run("table, actors by name and alias, flags after the name", func(t *testing.T) {
		code, out, errOut := queryRun("influence-paths", "--param", "from=U.S.", "-p", "to=Islamic Resistance Movement", "--param", "maxHops=1")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(out, "\n")
		if lines[0] != "kind      rank  strength  sign  route" || !strings.HasPrefix(lines[1], "--------  ----  --------  ----  -----") {
			t.Errorf("no aligned header of the compact view:\n%s", out)
		}
		// over net ties the pair is one hop, hostile on balance (the demand outweighs the
		// talks); read relationship by relationship, each is a route of its own
		if !strings.Contains(out, "usa -[DEMANDS_OF]-> hamas") || strings.Contains(out, "NEGOTIATES_WITH") {
			t.Errorf("output is not the one net hop usa -[DEMANDS_OF]-> hamas:\n%s", out)
		}
		_, one, _ := queryRun("influence-paths", "--param", "from=U.S.", "-p", "to=Islamic Resistance Movement", "--param", "maxHops=1", "--param", "reading=relationship")
		for _, want := range []string{"usa -[NEGOTIATES_WITH]- hamas", "usa -[DEMANDS_OF]-> hamas"} {
			if !strings.Contains(one, want) {
				t.Errorf("reading=relationship: output lacks %q:\n%s", want, one)
			}
		}
		if strings.Contains(out, "engaged in direct dialogue") {
			t.Errorf("evidence shown without --evidence:\n%s", out)
		}
		_, out, _ = queryRun("influence-paths", "--param", "from=U.S.", "-p", "to=Islamic Resistance Movement", "--param", "maxHops=1", "--evidence")
		if want := "\n    1. usa-negotiates-with-hamas-2025-03: \"engaged in direct dialogue with the United States\""; !strings.Contains(out, want) {
			t.Errorf("--evidence: output lacks %q:\n%s", want, out)
		}
		if errOut != "1 row\n" {
			t.Errorf("stderr %q, want the row count", errOut)
		}
	})
	t.Run("json, flags before the name", func(t *testing.T) {
		code, out, errOut := queryRun("--format", "json", "--param", "limit=1", "shortest-path", "--param", "from=qatar")
		var rows []map[string]any
		if code != exitOK || json.Unmarshal([]byte(out), &rows) != nil {
			t.Fatalf("exit %d: %s %s", code, out, errOut)
		}
		if len(rows) != 1 || rows[0]["route"] != "qatar -[HOSTS+1]-> hamas" || len(rows[0]["hops"].([]any)) != 1 {
			t.Errorf("got %v", rows)
		}
		if errOut != "1 row\n" {
			t.Errorf("stderr %q, want the row count, as for a table (README)", errOut)
		}
	})
	t.Run("csv", func(t *testing.T) {
		code, out, _ := queryRun("proxies", "--format=csv", "--param", "actor=Tehran")
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if code != exitOK || err != nil {
			t.Fatalf("exit %d, %v: %s", code, err, out)
		}
		// two groups; the Houthis' attack on the US ended on 6 May, before the default asOf
		if strings.Join(recs[0], ",") != "group,support,chain,target,hostility,actions" || len(recs) != 3 {
			t.Errorf("got %q", recs)
		}
		if recs[1][0] != "hamas" || recs[1][3] != "israel" || !strings.HasPrefix(recs[1][5], `["ATTACKS hamas-holds-hostages"]`) {
			t.Errorf("first row %q", recs[1])
		}
	})
	t.Run("a query without parameters", func(t *testing.T) {
		code, out, _ := queryRun("conflicting-demands")
		if code != exitOK || !strings.Contains(out, "hamas-disarmament") {
			t.Errorf("exit %d:\n%s", code, out)
		}
	})
	t.Run("no rows is not an error", func(t *testing.T) {
		code, _, errOut := queryRun("proxies", "--param", "actor=qatar")
		if code != exitOK || errOut != "0 rows\n" {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})

	usage := []struct {
		name string
		args []string
		want string
	}{
		{"unknown query", []string{"influence"}, `backchannel: unknown query "influence"`},
		{"no query", nil, "backchannel: query run needs a query name"},
		{"two queries", []string{"timeline", "as-of"}, `backchannel: query run takes one query name, got ["timeline" "as-of"]`},
		{"unknown parameter", []string{"timeline", "--param", "actr=hamas"}, "backchannel: query timeline: parameter actr is unknown: did you mean actor? it takes actor\n"},
		{"not NAME=VALUE", []string{"timeline", "--param", "hamas"}, `backchannel: query timeline: --param "hamas": want NAME=VALUE`},
		{"ill-typed", []string{"influence-paths", "--param", "maxHops=four"}, `backchannel: query influence-paths: parameter maxHops (int): "four" is not a whole number` + "\n"},
		{"out of range", []string{"influence-paths", "--param", "maxHops=6"}, "backchannel: query influence-paths: parameter maxHops = 6 is out of range: the most is 5\n"},
		{"bad date", []string{"as-of", "--param", "date=June 2"}, `parameter date (date): "June 2" is not a date: want YYYY-MM-DD`},
		{"several problems, one line", []string{"influence-paths", "--param", "maxHops=0", "--param", "limit=x", "--param", "form=usa"},
			"backchannel: 3 problems: query influence-paths: parameter form is unknown: did you mean from? it takes from, to, asOf, kind, maxHops, limit, attenuation, confidence, aggregation, reading, scaleType, scale; query influence-paths: parameter maxHops = 0 is out of range: the least is 1; query influence-paths: parameter limit (int): \"x\" is not a whole number\n"},
		{"the same actor twice", []string{"mediators", "--param", "a=usa", "--param", "b=United States"}, "backchannel: query mediators: a and b are the same actor, usa: give two\n"},
		{"unknown actor", []string{"timeline", "--param", "actor=hamass"}, `backchannel: query timeline: parameter actor: no actor has the ID, name or alias "hamass": did you mean hamas (Hamas, NonStateArmedGroup)? (backchannel actors lists them)` + "\n"},
		{"ambiguous actor", []string{"timeline", "--param", "actor=Trump"}, `"Trump" is ambiguous: it names donald-trump (Donald Trump, Person), trump-jr (Donald Trump Jr., Person); give the ID`},
		{"bad format", []string{"timeline", "--format", "xml"}, `backchannel: --format "xml": want one of table, json, csv`},
		{"bad timeout", []string{"timeline", "--timeout", "0s"}, "backchannel: --timeout 0s: want a positive duration"},
	}
	for _, tc := range usage {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := queryRun(tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d (stderr %q)", code, exitUsage, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q lacks %q", errOut, tc.want)
			}
			if strings.Count(errOut, "\n") != 1 || out != "" {
				t.Errorf("want one line on stderr and nothing on stdout, got %q and %q", errOut, out)
			}
		})
	}

	t.Run("parameters are checked before connecting", func(t *testing.T) {
		closed := "bolt://127.0.0.1:" + strconv.Itoa(closedPort(t))
		code, _, errOut := runCLI(t, "--uri", closed, "query", "run", "influence-paths", "--param", "maxHops=9")
		if code != exitUsage || !strings.Contains(errOut, "maxHops = 9 is out of range") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		code, _, errOut = runCLI(t, "--uri", closed, "query", "run", "influence-paths")
		if code != exitUnreachable {
			t.Errorf("valid parameters, no server: exit %d, want %d (stderr %q)", code, exitUnreachable, errOut)
		}
	})
}
