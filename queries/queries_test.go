package queries

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/schema"
)

func TestLibrary(t *testing.T) {
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, q := range list {
		names = append(names, q.Name)
	}
	want := []string{"as-of", "balance", "brokers", "conflicting-demands", "evidence", "influence-paths", "mediators", "net-influence", "proxies", "shortest-path", "ties", "timeline"}
	for _, w := range want {
		if !slices.Contains(names, w) {
			t.Errorf("the library lacks %s (it has %v)", w, names)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("List is not sorted by name: %v", names)
	}

	for _, q := range list {
		t.Run(q.Name, func(t *testing.T) {
			// Every parameter has a default, so that the file runs in Neo4j Browser after
			// its :param lines (and EXPLAIN can run it with the defaults).
			for _, p := range q.Params {
				if !p.HasDefault {
					t.Errorf("parameter %s has no default: the query can't run in Browser as pasted", p.Name)
				}
			}
			if _, err := q.Bind(nil); err != nil {
				t.Errorf("the defaults don't bind: %v", err)
			}
			if strings.Contains(q.Description, "\n") || len(q.Description) > 200 {
				t.Errorf("description is not one short line: %q", q.Description)
			}
			// Values are parameters: no quoted literal in the statement but the rule
			// codes and the formatting of the output.
			// (the resolution part's messages and patterns are its own, pinned by TestOneActorRule)
			text := regexp.MustCompile(`(?s)// part: resolve-actor .*?// end part: resolve-actor`).ReplaceAllString(q.Cypher, "")
			body := text[strings.Index(text, "\n"+firstStatementWord(text)):]
			for _, lit := range regexp.MustCompile(`'[^']*'`).FindAllString(stripComments(body), -1) {
				if !allowedLiteral(lit) && !enumerated(q, lit) {
					t.Errorf("literal %s in the statement: values belong in parameters", lit)
				}
			}
		})
	}

	t.Run("Get suggests a near name", func(t *testing.T) {
		_, err := Get("influence-path")
		if !errors.Is(err, ErrUnknownQuery) || !strings.Contains(err.Error(), `did you mean "influence-paths"?`) {
			t.Errorf("got %v", err)
		}
	})
}

func firstStatementWord(cypher string) string {
	for _, line := range strings.Split(cypher, "\n") {
		if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "//") {
			return line
		}
	}
	return ""
}

func stripComments(s string) string {
	return regexp.MustCompile(`(?m)^\s*//.*$`).ReplaceAllString(s, "")
}

// enumerated: a value of one of q's own enumerated parameters (in a,b,c), which the
// statement compares the parameter with.
func enumerated(q *Query, lit string) bool {
	for _, p := range q.Params {
		if slices.Contains(p.Values, strings.Trim(lit, "'")) {
			return true
		}
	}
	return false
}

// allowedLiteral: CAMEO root codes of the property rules (07 aid; 043 host, 045
// mediate, 046 negotiate), the full-text indexes actor names and relationship IDs are resolved through and the
// escaping of a Lucene phrase, the kinds of influence path, and the strings that format
// routes, evidence and signs.
func allowedLiteral(lit string) bool {
	switch lit {
	case "'07'", "'043'", "'045'", "'046'", "'actor_lookup'", "'any_relationship_id'", `'\\'`, `'\\\\'`, `'\\"'`, "'cooperative'", "'coercive'", "'both'",
		"'forward'", "'backward'", "', forward'", "', backward'", "', '", "', in force with chance '":
		return true
	}
	inner := strings.Trim(lit, "'")
	return regexp.MustCompile(`^[\s\-\[\]<>().:;?+0"]*$|^ (since|until) $`).MatchString(inner)
}

func TestParseErrors(t *testing.T) {
	header := "// name: q\n// description: d\n// columns: a\n"
	cases := []struct {
		name string
		file string
		text string
		want []string
	}{
		{"name missing", "q.cypher", "// description: d\n// columns: a\nRETURN 1 AS a", []string{"q.cypher:1: missing // name: q"}},
		{"name differs from file", "q.cypher", "// name: other\n// description: d\n// columns: a\nRETURN 1 AS a", []string{`q.cypher:1: name "other" must match the file name "q"`}},
		{"description missing", "q.cypher", "// name: q\n// columns: a\nRETURN 1 AS a", []string{"q.cypher:1: missing // description:"}},
		{"columns missing", "q.cypher", "// name: q\n// description: d\nRETURN 1 AS a", []string{"q.cypher:1: missing // columns:"}},
		{"no statement", "q.cypher", header, []string{"q.cypher:4: no Cypher statement after the header"}},
		{"unknown type", "q.cypher", header + "// param: x number - a number\nRETURN $x AS a", []string{`q.cypher:4: param x: unknown type "number"`}},
		{"a parameter in a block comment is no use", "q.cypher", header + "// param: x int default 1 - x\n// :param x => 1;\nRETURN /* $x */ 1 AS a", []string{`q.cypher:4: parameter x is declared but the statement never uses $x`}},
		{"a block comment hides no undeclared use", "q.cypher", header + "RETURN /* a\n$y */ $z AS a", []string{`q.cypher:4: the statement uses $z, which no // param: line declares`}},
		{"in on an int", "q.cypher", header + "// param: x int default 1 in 1,2 - x\nRETURN $x AS a", []string{`q.cypher:4: param x: in applies to string, not int`}},
		{"default not among the values", "q.cypher", header + "// param: x string default c in a,b - x\n// :param x => 'c';\nRETURN $x AS a", []string{`q.cypher:4: param x: default is not one of a, b`}},
		{"view names no column", "q.cypher", header + "// view: a, b\nRETURN 1 AS a", []string{`q.cypher:4: view: b is not one of the columns`}},
		{"no meaning", "q.cypher", header + "// param: x int default 1\nRETURN $x AS a", []string{`q.cypher:4: param "x int default 1": want NAME TYPE [default VALUE] [min X] [max Y] [in A,B,C] - meaning`}},
		{"bad default", "q.cypher", header + "// param: x int default four - a number\n// :param x => 4;\nRETURN $x AS a", []string{`q.cypher:4: param x: default "four": "four" is not a whole number`}},
		{"default out of range", "q.cypher", header + "// param: x int default 9 max 5 - a number\n// :param x => 9;\nRETURN $x AS a", []string{"q.cypher:4: param x: default is out of range: the most is 5"}},
		{"min on a string", "q.cypher", header + "// param: x string default a min b - text\n// :param x => 'a';\nRETURN $x AS a", []string{"q.cypher:4: param x: min and max apply to int, float and date, not string"}},
		{"declared twice", "q.cypher", header + "// param: x int default 1 - a\n// param: x int default 1 - b\n// :param x => 1;\nRETURN $x AS a", []string{"q.cypher:5: parameter x is declared twice"}},
		{"used, not declared", "q.cypher", header + "RETURN $y AS a", []string{"q.cypher:4: the statement uses $y, which no // param: line declares"}},
		{"declared, not used", "q.cypher", header + "// param: x int default 1 - a\n// :param x => 1;\nRETURN 1 AS a", []string{"q.cypher:4: parameter x is declared but the statement never uses $x"}},
		{"Browser line missing", "q.cypher", header + "// param: x date default 2025-06-02 - a day\nRETURN $x AS a", []string{"q.cypher:4: parameter x has a default but no Browser line; add: // :param x => date('2025-06-02');"}},
		{"Browser line disagrees", "q.cypher", header + "// param: x int default 4 - a\n// :param x => 5;\nRETURN $x AS a", []string{"q.cypher:5: :param x => 5 does not match the default: want 4"}},
		{"Browser line for nothing", "q.cypher", header + "// :param z => 5;\nRETURN 1 AS a", []string{"q.cypher:4: :param z names no declared parameter"}},
		{"every problem at once", "q.cypher", "// name: q\n// param: x int default 1 - a\nRETURN $y AS a", []string{
			"q.cypher:1: missing // description:", "q.cypher:1: missing // columns:", "q.cypher:3: the statement uses $y",
			"q.cypher:2: parameter x is declared but the statement never uses $x", "q.cypher:2: parameter x has a default but no Browser line",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.file, tc.text)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}

	t.Run("a $ in a comment or a string is not a parameter", func(t *testing.T) {
		if _, err := Parse("q.cypher", header+"RETURN '$x' + \"$y\" AS a // $z\n"); err != nil {
			t.Error(err)
		}
	})

	t.Run("Load reports every file's problems and duplicate names", func(t *testing.T) {
		fsys := fstest.MapFS{
			"a.cypher": {Data: []byte("// name: a\n// columns: x\nRETURN 1 AS x")},
			"b.cypher": {Data: []byte("// name: b\n// description: d\nRETURN 1 AS x")},
			"c.cypher": {Data: []byte("// name: c\n// description: d\n// columns: x\nRETURN 1 AS x")},
		}
		_, err := Load(fsys)
		for _, w := range []string{"a.cypher:1: missing // description:", "b.cypher:1: missing // columns:"} {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("error %v lacks %q", err, w)
			}
		}
		lib, err := Load(fstest.MapFS{"c.cypher": fsys["c.cypher"]})
		if err != nil || len(lib.List()) != 1 {
			t.Errorf("a good file: %v", err)
		}
	})
}

func TestBind(t *testing.T) {
	q, err := Parse("t.cypher", `// name: t
// description: every type
// param: who actor default usa - an actor
// param: many actors default usa,hamas - actors
// param: text string default hello - text
// param: n int default 4 min 1 max 5 - a count
// param: x float default 0.5 min 0 max 1 - a share
// param: day date default 2025-06-02 min 2000-01-01 - a day
// param: rel relationship default r-1 - a relationship
// param: need int min 0 - no default
// columns: a
// :param who => 'usa';
// :param many => ['usa', 'hamas'];
// :param text => 'hello';
// :param n => 4;
// :param x => 0.5;
// :param day => date('2025-06-02');
// :param rel => 'r-1';
RETURN [$who, $many, $text, $n, $x, $day, $rel, $need] AS a`)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) neo4j.Date { v, _ := TypeDate.Parse(s); return v.(neo4j.Date) }
	cases := []struct {
		name    string
		raw     map[string]string
		want    map[string]any
		wantErr []string
	}{
		{
			name: "defaults fill what is not given",
			raw:  map[string]string{"need": "0"},
			want: map[string]any{"who": "usa", "many": []any{"usa", "hamas"}, "text": "hello", "n": int64(4), "x": 0.5, "day": day("2025-06-02"), "rel": "r-1", "need": int64(0)},
		},
		{
			name: "values are typed",
			raw:  map[string]string{"who": " Hamas ", "many": "usa, Qatar ,iran", "text": "a b", "n": "5", "x": "1", "day": "2000-01-01", "rel": "x", "need": "-0"},
			want: map[string]any{"who": "Hamas", "many": []any{"usa", "Qatar", "iran"}, "text": "a b", "n": int64(5), "x": 1.0, "day": day("2000-01-01"), "rel": "x", "need": int64(0)},
		},
		{name: "unknown", raw: map[string]string{"need": "1", "nn": "1"}, wantErr: []string{"query t: parameter nn is unknown: did you mean n? it takes who, many, text, n, x, day, rel, need"}},
		{name: "missing", raw: nil, wantErr: []string{"query t: parameter need is missing: give --param need=INT (no default)"}},
		{name: "not an int", raw: map[string]string{"need": "1", "n": "four"}, wantErr: []string{`query t: parameter n (int): "four" is not a whole number`}},
		{name: "a float for an int", raw: map[string]string{"need": "1", "n": "2.5"}, wantErr: []string{`parameter n (int): "2.5" is not a whole number`}},
		{name: "not a float", raw: map[string]string{"need": "1", "x": "NaN"}, wantErr: []string{`parameter x (float): "NaN" is not a number`}},
		{name: "not a date", raw: map[string]string{"need": "1", "day": "2025-02-30"}, wantErr: []string{`parameter day (date): "2025-02-30" is not a date: no such day`}},
		{name: "not a date at all", raw: map[string]string{"need": "1", "day": "02/03/2025"}, wantErr: []string{`parameter day (date): "02/03/2025" is not a date: want YYYY-MM-DD`}},
		{name: "a partial date", raw: map[string]string{"need": "1", "day": "2025-06"}, wantErr: []string{`parameter day (date): "2025-06" is not a date`}},
		{name: "empty actor", raw: map[string]string{"need": "1", "who": " "}, wantErr: []string{"parameter who (actor): is empty"}},
		{name: "empty item in a list", raw: map[string]string{"need": "1", "many": "usa,,hamas"}, wantErr: []string{`parameter many (actors): "usa,,hamas": want actors separated by commas, none empty`}},
		{name: "over the max", raw: map[string]string{"need": "1", "n": "6"}, wantErr: []string{"query t: parameter n = 6 is out of range: the most is 5"}},
		{name: "under the min", raw: map[string]string{"need": "1", "n": "0"}, wantErr: []string{"parameter n = 0 is out of range: the least is 1"}},
		{name: "float over the max", raw: map[string]string{"need": "1", "x": "1.01"}, wantErr: []string{"parameter x = 1.01 is out of range: the most is 1"}},
		{name: "date before the min", raw: map[string]string{"need": "1", "day": "1999-12-31"}, wantErr: []string{"parameter day = 1999-12-31 is out of range: the least is 2000-01-01"}},
		{
			name:    "every problem at once",
			raw:     map[string]string{"n": "9", "x": "y", "bogus": "1"},
			wantErr: []string{"parameter bogus is unknown", "parameter n = 9 is out of range", `parameter x (float): "y" is not a number`, "parameter need is missing"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := q.Bind(tc.raw)
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("no error; got %v", got)
				}
				for _, w := range tc.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, err)
					}
				}
				var pe *ParamError
				if !errors.As(err, &pe) {
					t.Errorf("error is not a *ParamError: %T", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for k, w := range tc.want {
				if g := got[k]; !equalValue(g, w) {
					t.Errorf("%s: got %#v, want %#v", k, g, w)
				}
			}
		})
	}

	t.Run("assignments", func(t *testing.T) {
		got, err := ParseAssignments([]string{"from=usa", "actors=usa,hamas", "text=a=b"})
		if err != nil || got["from"] != "usa" || got["actors"] != "usa,hamas" || got["text"] != "a=b" {
			t.Errorf("got %v, %v", got, err)
		}
		for _, bad := range [][]string{{"from"}, {"=usa"}, {"a=1", "a=2"}} {
			if _, err := ParseAssignments(bad); err == nil {
				t.Errorf("%q: no error", bad)
			}
		}
	})
}

func equalValue(a, b any) bool {
	switch a := a.(type) {
	case []any:
		b, ok := b.([]any)
		return ok && slices.EqualFunc(a, b, equalValue)
	case neo4j.Date:
		b, ok := b.(neo4j.Date)
		return ok && a.Time().Equal(b.Time())
	}
	return a == b
}

func TestWrite(t *testing.T) {
	r := &Result{
		Columns: []string{"n", "name", "items", "note"},
		Rows: [][]any{
			{int64(1), "Qatar", []any{"a -> b", "c"}, nil},
			{0.25, "Hamas, \"the movement\"", []any{}, map[string]any{"k": true, "a": int64(2)}},
		},
	}
	cases := map[string]string{
		"table": "n     name                   items   note\n" +
			"----  ---------------------  ------  -------\n" +
			"1     Qatar                  a -> b\n" +
			"                             c\n" +
			"\n" +
			"0.25  Hamas, \"the movement\"          a: 2\n" +
			"                                     k: true\n",
		"json": `[
  {
    "n": 1,
    "name": "Qatar",
    "items": [
      "a -> b",
      "c"
    ],
    "note": null
  },
  {
    "n": 0.25,
    "name": "Hamas, \"the movement\"",
    "items": [],
    "note": {
      "a": 2,
      "k": true
    }
  }
]
`,
		"csv": "n,name,items,note\n1,Qatar,\"[\"\"a -> b\"\",\"\"c\"\"]\",\n0.25,\"Hamas, \"\"the movement\"\"\",[],\"{\"\"a\"\":2,\"\"k\"\":true}\"\n",
	}
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := r.Write(&b, format); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != cases[format] {
				t.Errorf("got\n%s\nwant\n%s", got, cases[format])
			}
		})
	}
	t.Run("a compact view fits 100 columns, evidence on request", func(t *testing.T) {
		route := "usa -[SUPPORTS_MILITARILY]-> egypt -[CONSULTS]- qatar -[MEDIATES_FOR]-> hamas -[NEGOTIATES_WITH]- usa"
		r := &Result{
			Columns:  []string{"kind", "rank", "route", "evidence", "hops"},
			View:     []string{"kind", "rank", "route"},
			Evidence: []string{"evidence"},
			Rows: [][]any{
				{"cooperative", int64(1), route, []any{"1. a: \"quote\""}, []any{map[string]any{"n": int64(1)}}},
				{"coercive", int64(1), "usa -[SANCTIONS]-> iran", []any{"1. b: (note)"}, []any{}},
			},
		}
		var b bytes.Buffer
		if err := r.Write(&b, "table"); err != nil {
			t.Fatal(err)
		}
		want := "kind         rank  route\n" +
			"-----------  ----  " + strings.Repeat("-", 77) + "\n" +
			"cooperative  1     usa -[SUPPORTS_MILITARILY]-> egypt -[CONSULTS]- qatar -[MEDIATES_FOR]-> hamas\n" +
			"                     -[NEGOTIATES_WITH]- usa\n" +
			"\n" +
			"coercive     1     usa -[SANCTIONS]-> iran\n"
		if got := b.String(); got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
		checkFits(t, b.String())
		b.Reset()
		r.ShowEvidence = true
		if err := r.Write(&b, "table"); err != nil {
			t.Fatal(err)
		}
		want = "kind         rank  route\n" +
			"-----------  ----  " + strings.Repeat("-", 77) + "\n" +
			"cooperative  1     usa -[SUPPORTS_MILITARILY]-> egypt -[CONSULTS]- qatar -[MEDIATES_FOR]-> hamas\n" +
			"                     -[NEGOTIATES_WITH]- usa\n" +
			"    1. a: \"quote\"\n" +
			"\n" +
			"coercive     1     usa -[SANCTIONS]-> iran\n" +
			"    1. b: (note)\n"
		if got := b.String(); got != want {
			t.Errorf("with evidence, got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("several evidence columns are labelled by name", func(t *testing.T) {
		r := &Result{
			Columns:  []string{"date", "name", "event", "precision", "places", "others", "note"},
			View:     []string{"date", "name"},
			Evidence: []string{"event", "precision", "places", "others", "note"},
			Rows: [][]any{
				{"2025-05-12", "Release", "edan-alexander-release", "day", []any{"gaza", "doha"}, []any{}, nil},
			},
			ShowEvidence: true,
		}
		var b bytes.Buffer
		if err := r.Write(&b, "table"); err != nil {
			t.Fatal(err)
		}
		want := "date        name\n" +
			"----------  -------\n" +
			"2025-05-12  Release\n" +
			"    event: edan-alexander-release\n" +
			"    precision: day\n" +
			"    places: gaza, doha\n"
		if got := b.String(); got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("long text wraps at words", func(t *testing.T) {
		long := strings.Repeat("word ", 30)
		lines := tableLines(long, wrapWidth)
		if len(lines) < 2 {
			t.Fatalf("not wrapped: %q", lines)
		}
		for i, l := range lines {
			if len([]rune(l)) > wrapWidth {
				t.Errorf("line %d is %d long", i, len(l))
			}
			if i > 0 && !strings.HasPrefix(l, "  word") {
				t.Errorf("continuation line %q is not indented", l)
			}
		}
	})
	t.Run("unknown format", func(t *testing.T) {
		if err := r.Write(&bytes.Buffer{}, "xml"); err == nil {
			t.Error("no error")
		}
	})
}

// The header of every file agrees with the README's list of queries.
func TestREADMEListsEveryQuery(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Skip("no README.md")
	}
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range list {
		if !strings.Contains(string(readme), "`"+q.Name+"`") {
			t.Errorf("README.md does not list the query %s", q.Name)
		}
	}
}

func TestBindOneOf(t *testing.T) {
	q, err := Get("influence-paths")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := q.Bind(map[string]string{"kind": "coercive"}); err != nil || got["kind"] != "coercive" {
		t.Errorf("got %v, %v", got, err)
	}
	_, err = q.Bind(map[string]string{"kind": "hostile"})
	if want := "query influence-paths: parameter kind = hostile is not one of cooperative, coercive, both"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// TestDefaultsFollowTheInfluenceModel: the reference date and the attenuation are
// stated once, in schema/vocabulary.yaml; every query's default repeats them (a Browser
// :param line can't read the vocabulary), and this keeps them in step.
func TestDefaultsFollowTheInfluenceModel(t *testing.T) {
	m := schema.Default().InfluenceModel
	list, err := List()
	if err != nil {
		t.Fatal(err)
	}
	dated := 0
	for _, q := range list {
		for _, p := range q.Params {
			switch {
			case p.Type == TypeDate:
				dated++
				if p.Default != m.ReferenceDate {
					t.Errorf("%s: %s defaults to %s; the vocabulary's referenceDate is %s", q.Name, p.Name, p.Default, m.ReferenceDate)
				}
			case p.Name == "attenuation":
				if v, _ := p.Type.Parse(p.Default); v != m.Attenuation {
					t.Errorf("%s: attenuation defaults to %s; the vocabulary says %v", q.Name, p.Default, m.Attenuation)
				}
			}
		}
	}
	if dated < 8 {
		t.Errorf("only %d queries take a date", dated)
	}
}

// checkFits fails the test for each line of a table wider than tableWidth (100 columns,
// the terminal the table is read on).
func checkFits(t *testing.T, table string) {
	t.Helper()
	for i, l := range strings.Split(table, "\n") {
		if w := utf8.RuneCountInString(l); w > tableWidth {
			t.Errorf("table line %d is %d columns wide, over %d: %q", i+1, w, tableWidth, l)
		}
	}
}
