package answers

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

func paths(rows ...[]any) *queries.Result {
	return &queries.Result{Columns: []string{"kind", "rank", "strength", "route"}, Rows: rows}
}

var pathsQuery = &queries.Query{Name: "influence-paths", View: []string{"kind", "rank", "strength", "route"},
	Params: []queries.Param{{Name: "from", Type: queries.TypeActor}, {Name: "to", Type: queries.TypeActor}}}

var deleted = loader.Change{Action: loader.ActionDelete, Record: loader.RecordRelationship, ID: "usa-negotiates-with-hamas", Label: "NEGOTIATES_WITH", From: "usa", To: "hamas"}

func TestCompare(t *testing.T) {
	before := paths(
		[]any{"cooperative", int64(1), 0.7, "usa -[NEGOTIATES_WITH]- hamas"},
		[]any{"cooperative", int64(2), 0.5, "usa -[MEDIATES_FOR]-> hamas"},
		[]any{"cooperative", int64(3), 0.3, "usa -[SUPPORTS_MILITARILY]-> israel -[NEGOTIATES_WITH]- hamas"},
		[]any{"coercive", int64(1), 0.4, "usa -[SUPPORTS_MILITARILY]-> israel -[ATTACKS]-> hamas"},
	)
	after := paths(
		[]any{"cooperative", int64(1), 0.5, "usa -[MEDIATES_FOR]-> hamas"},
		[]any{"cooperative", int64(2), 0.3, "usa -[SUPPORTS_MILITARILY]-> israel -[NEGOTIATES_WITH]- hamas"},
		[]any{"coercive", int64(1), 0.35, "usa -[SUPPORTS_MILITARILY]-> israel -[ATTACKS]-> hamas"},
	)
	unrelated := loader.Change{Action: loader.ActionUpdate, Record: loader.RecordNode, ID: "gaza", Label: "Place"}
	set := []Answer{{Name: "influence-paths", Query: pathsQuery, bound: map[string]any{"from": "usa", "to": "hamas"}}}
	r := compare(set, []outcome{{res: before}}, []outcome{{res: after}}, []loader.Change{deleted, unrelated}, ModeRolledBack)
	if len(r.Changed) != 1 {
		t.Fatalf("changed: %+v", r.Changed)
	}
	c := r.Changed[0]
	if !slices.Equal(c.Key, []string{"kind", "route"}) {
		t.Errorf("key %v, want kind, route (the text columns that tell rows apart)", c.Key)
	}
	var got []string
	for _, rc := range c.Rows {
		got = append(got, rc.Change+" "+rc.label+": "+rc.diff)
	}
	want := []string{
		"gone rank 1 cooperative usa -[NEGOTIATES_WITH]- hamas: gone",
		"changed rank 1 coercive usa -[SUPPORTS_MILITARILY]-> israel -[ATTACKS]-> hamas: strength 0.4 -> 0.35",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows:\n%s\nwant (a row that steps up into a gone row's place did not move):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(c.Causes) != 1 || c.Causes[0].ID != deleted.ID || c.Causes[0].Via != ViaRoute {
		t.Errorf("causes %v, want the deleted relationship alone (found on the route)", c.Causes)
	}

	t.Run("an answer that does not change is not listed", func(t *testing.T) {
		r := compare(set, []outcome{{res: before}}, []outcome{{res: paths(before.Rows...)}}, []loader.Change{deleted}, ModeRolledBack)
		if len(r.Changed) != 0 || !slices.Equal(r.Compared, []string{"influence-paths"}) {
			t.Errorf("changed %v, compared %v", r.Changed, r.Compared)
		}
	})
	t.Run("a swap is a move", func(t *testing.T) {
		swapped := paths(
			[]any{"cooperative", int64(1), 0.5, "usa -[MEDIATES_FOR]-> hamas"},
			[]any{"cooperative", int64(2), 0.5, "usa -[NEGOTIATES_WITH]- hamas"},
		)
		r := compare(set, []outcome{{res: paths(before.Rows[:2]...)}}, []outcome{{res: swapped}}, nil, ModeRolledBack)
		var got []string
		for _, rc := range r.Changed[0].Rows {
			got = append(got, rc.label+": "+rc.diff)
		}
		want := []string{"cooperative usa -[NEGOTIATES_WITH]- hamas: rank 1 -> 2, strength 0.7 -> 0.5", "cooperative usa -[MEDIATES_FOR]-> hamas: rank 2 -> 1"}
		if !slices.Equal(got, want) {
			t.Errorf("rows %q, want %q", got, want)
		}
		if len(r.Changed[0].Causes) != 0 {
			t.Errorf("causes %v with no change given", r.Changed[0].Causes)
		}
	})
	t.Run("an error on one side is a change, and a parameter names its cause", func(t *testing.T) {
		q := &queries.Query{Name: "evidence", Params: []queries.Param{{Name: "relationship", Type: queries.TypeRelationship}}}
		set := []Answer{{Name: "evidence", Query: q, bound: map[string]any{"relationship": deleted.ID}}}
		res := &queries.Result{Columns: []string{"n", "quote"}, Rows: [][]any{{int64(1), "in direct contact"}}}
		r := compare(set, []outcome{{res: res}}, []outcome{{err: "no relationship has the ID"}}, []loader.Change{deleted}, ModeRolledBack)
		c := r.Changed[0]
		if c.ErrorAfter == "" || c.RowsAfter != 0 || len(c.Causes) != 1 {
			t.Errorf("%+v", c)
		}
	})
	t.Run("a tie between two actors the answer names is a cause", func(t *testing.T) {
		q := &queries.Query{Name: "balance", Params: []queries.Param{{Name: "a", Type: queries.TypeActor}, {Name: "b", Type: queries.TypeActor}}}
		set := []Answer{{Name: "balance a=usa b=hamas", Query: q, bound: map[string]any{"a": "usa", "b": "hamas"}}}
		mk := func(signs string) *queries.Result {
			return &queries.Result{Columns: []string{"third", "signs"}, Rows: [][]any{{"qatar", signs}}}
		}
		r := compare(set, []outcome{{res: mk("+++")}}, []outcome{{res: mk("-++")}}, []loader.Change{deleted}, ModeRolledBack)
		if c := r.Changed[0]; len(c.Causes) != 1 || c.Causes[0].Via != ViaEnds || !slices.Equal(c.Key, []string{"third"}) {
			t.Errorf("causes %v, key %v", c.Causes, c.Key)
		}
		// the other end in a row: the US and Israel's triad through Hamas
		set = []Answer{{Name: "balance", Query: q, bound: map[string]any{"a": "usa", "b": "israel"}}}
		mk = func(signs string) *queries.Result {
			return &queries.Result{Columns: []string{"third", "signs"}, Rows: [][]any{{"hamas", signs}}}
		}
		elsewhere := loader.Change{Action: loader.ActionDelete, Record: loader.RecordRelationship, ID: "iran-supports-houthis", Label: "SUPPORTS_MILITARILY", From: "iran", To: "houthis"}
		r = compare(set, []outcome{{res: mk("++-")}}, []outcome{{res: mk("+--")}}, []loader.Change{deleted, elsewhere}, ModeRolledBack)
		if c := r.Changed[0]; len(c.Causes) != 1 || c.Causes[0].ID != deleted.ID {
			t.Errorf("causes %v, want the US-Hamas tie alone", c.Causes)
		}
	})

	t.Run("the text fits 100 columns and says the cause", func(t *testing.T) {
		long := paths([]any{"cooperative", int64(1), 0.1, "iran -[SUPPORTS_MILITARILY]-> hamas -[NEGOTIATES_WITH]- usa -[SUPPORTS_MILITARILY]-> israel -[NEGOTIATES_WITH]- qatar"})
		r := compare(set, []outcome{{res: long}}, []outcome{{res: paths()}}, []loader.Change{deleted}, ModeRolledBack)
		var b bytes.Buffer
		if err := r.WriteText(&b); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
			if utf8.RuneCountInString(l) > Width {
				t.Errorf("over %d columns: %q", Width, l)
			}
		}
		for _, s := range []string{"~ influence-paths: 1 row -> 0 rows", "- rank 1 cooperative iran -[..]-> hamas -[..]- usa", "cause: - relationship usa-negotiates-with-hamas (NEGOTIATES_WITH usa -> hamas)"} {
			if !strings.Contains(b.String(), s) {
				t.Errorf("no %q in\n%s", s, b.String())
			}
		}
	})
}

func TestSet(t *testing.T) {
	lib, err := queries.Default()
	if err != nil {
		t.Fatal(err)
	}
	pos := func(line, col int) schema.Pos { return schema.Pos{File: "seeds/a.yaml", Line: line, Col: col} }
	set, err := Set(lib, []schema.Watch{
		{Query: "influence-paths", Params: map[string]string{"to": "usa", "from": "hamas"}, Pos: pos(3, 5)},
		{Query: "influence-paths", Params: map[string]string{"from": "hamas", "to": "usa"}, Pos: pos(6, 5)},
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range set {
		names = append(names, a.Name)
	}
	for _, q := range lib.List() {
		if !slices.Contains(names, q.Name) {
			t.Errorf("%s is not compared at its defaults", q.Name)
		}
	}
	if n := strings.Count(strings.Join(names, "\n"), "influence-paths from=hamas to=usa"); n != 1 {
		t.Errorf("the watched answer appears %d times in %q, want once", n, names)
	}

	_, err = Set(lib, []schema.Watch{
		{Query: "influence-path", Pos: pos(3, 5)},
		{Query: "mediators", Params: map[string]string{"a": "usa", "asOf": "2025-02-30"}, Pos: pos(6, 5), ParamPos: map[string]schema.Pos{"asOf": pos(7, 22)}},
	})
	for _, want := range []string{`seeds/a.yaml:3:5: error: watch: unknown query "influence-path": did you mean "influence-paths"?`, "seeds/a.yaml:7:22: error: watch: query mediators: parameter asOf", "[watch-query]"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to say %q", err, want)
		}
	}
}
