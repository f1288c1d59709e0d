// Package answers says which stored answers a load changes: every stored query at its
// defaults, and the queries with parameters a dataset watches (its `watch:` list), read
// on the graph before a load's writes and after them, in the load's own transaction
// (loader.Watcher), with for each answer that changes the rows that changed and the
// changed records that appear in it, its cause.
//
// A plan applies the load in one transaction and rolls it back, so "after" is never
// committed; a load reads it before its commit and records the names of the answers
// that changed on its run node.
package answers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

// Answer is one answer to compare: a stored query at parameters.
type Answer struct {
	// Name is the query's name, followed by the watched parameters (sorted), e.g.
	// "influence-paths from=hamas to=usa"; the query's name alone for its defaults.
	Name   string
	Query  *queries.Query
	Params map[string]string // as given; empty: the defaults
	bound  map[string]any
	// Watch is the watch-list entry that asked for it; nil for a query's defaults.
	Watch *schema.Watch
}

// Set lists the answers to compare: every query of lib whose parameters all have
// defaults, at its defaults, then each entry of watch (from schema.DeclaredWatches),
// once each. A watch entry naming an unknown query, or parameters its query refuses,
// is an error (Check's findings, one a line).
func Set(lib *queries.Library, watch []schema.Watch) ([]Answer, error) {
	set, findings := check(lib, watch)
	if len(findings) > 0 {
		lines := make([]string, len(findings))
		for i, f := range findings {
			lines[i] = f.String()
		}
		return nil, errors.New(strings.Join(lines, "\n"))
	}
	return set, nil
}

// Check checks a watch list against the queries of lib: each entry names a stored
// query and parameters it takes, else a finding (rule watch-query) at the entry, or at
// the parameter's value.
func Check(lib *queries.Library, watch []schema.Watch) []schema.Finding {
	_, findings := check(lib, watch)
	return findings
}

func check(lib *queries.Library, watch []schema.Watch) ([]Answer, []schema.Finding) {
	var out []Answer
	seen := map[string]bool{}
	for _, q := range lib.List() {
		bound, err := q.Bind(map[string]string{})
		if err != nil {
			continue // a parameter without a default: only a watch entry can ask for it
		}
		out = append(out, Answer{Name: q.Name, Query: q, Params: map[string]string{}, bound: bound})
		seen[q.Name] = true
	}
	var findings []schema.Finding
	fail := func(pos schema.Pos, err error) {
		findings = append(findings, schema.Finding{Pos: pos, Severity: schema.SeverityError, Rule: schema.RuleWatchQuery,
			Message: strings.ToValidUTF8(schema.WatchKey+": "+err.Error(), "\uFFFD")})
	}
	for i := range watch {
		w := &watch[i]
		q, err := lib.Get(w.Query)
		if err != nil {
			fail(w.Pos, err)
			continue
		}
		bound, err := q.Bind(w.Params)
		if err != nil {
			for _, e := range unjoin(err) {
				pos := w.Pos
				var pe *queries.ParamError
				if errors.As(e, &pe) {
					if p, ok := w.ParamPos[pe.Param]; ok {
						pos = p
					}
				}
				fail(pos, e)
			}
			continue
		}
		name := nameOf(q.Name, w.Params)
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, Answer{Name: name, Query: q, Params: w.Params, bound: bound, Watch: w})
	}
	return out, findings
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// nameOf names an answer: the query, then its given parameters, sorted.
func nameOf(query string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := []string{query}
	for _, k := range keys {
		parts = append(parts, k+"="+params[k])
	}
	return strings.Join(parts, " ")
}

// outcome is one answer as read: its result, or the error a query reports about its
// parameters (an actor or relationship that no longer exists is an answer too).
type outcome struct {
	res *queries.Result
	err string
}

// Watch is a loader.Watcher that reads the answers of a set on both sides of a load and
// compares them. Its Report is ready once the load or plan returns.
type Watch struct {
	set    []Answer
	mode   string
	before []outcome
	began  time.Time
	report *Report
}

// The modes of a report: where "after" was read.
const (
	ModeRolledBack = "rolled back"
	ModeCommitted  = "committed"
)

// NewWatch returns a watcher of the set; mode says what becomes of the load
// (ModeRolledBack for a plan, ModeCommitted for a load).
func NewWatch(set []Answer, mode string) *Watch { return &Watch{set: set, mode: mode} }

// Before reads every answer.
func (w *Watch) Before(ctx context.Context, tx neo4j.ManagedTransaction) error {
	w.began, w.report = time.Now(), nil
	var err error
	w.before, err = read(ctx, tx, w.set)
	return err
}

// After reads every answer again, unless nothing changed, compares them with Before's
// and returns the names of those that changed.
func (w *Watch) After(ctx context.Context, tx neo4j.ManagedTransaction, changes []loader.Change) ([]string, error) {
	after := w.before
	if len(changes) > 0 {
		var err error
		if after, err = read(ctx, tx, w.set); err != nil {
			return nil, err
		}
	}
	w.report = compare(w.set, w.before, after, changes, w.mode)
	w.report.Seconds = time.Since(w.began).Seconds()
	names := []string{}
	for _, c := range w.report.Changed {
		names = append(names, c.Name)
	}
	return names, nil
}

// Report returns the comparison, or nil when After was never called (the load changed
// nothing, or was not watched).
func (w *Watch) Report() *Report { return w.report }

// read runs every answer of set in tx.
func read(ctx context.Context, tx neo4j.ManagedTransaction, set []Answer) ([]outcome, error) {
	out := make([]outcome, len(set))
	for i, a := range set {
		res, err := queries.RunTx(ctx, tx, a.Query, a.bound)
		var ae *queries.ActorError
		var re *queries.RelationshipError
		switch {
		case err == nil:
			out[i].res = res
		case errors.As(err, &ae) || errors.As(err, &re) || errors.Is(err, queries.ErrSameActor):
			out[i].err = err.Error()
		default:
			return nil, fmt.Errorf("answer %s: %w", a.Name, err)
		}
	}
	return out, nil
}

// Report is what a load does to the answers.
type Report struct {
	// Computed says the answers were compared; else Skipped says why not (the load is
	// too large for one transaction, the schema is incomplete) or that the load
	// changes no record, so that no answer can change (NoRecordChanges).
	Computed bool   `json:"computed"`
	Skipped  string `json:"skipped,omitempty"`
	// Mode is where "after" was read: on the load applied then rolled back (a plan),
	// or committed (a load).
	Mode string `json:"mode"`
	// Compared lists the answers compared, by name.
	Compared []string `json:"compared"`
	// Changed lists the answers that differ, in the order of Compared.
	Changed []Changed `json:"changed"`
	// Seconds is the time of reading and comparing them.
	Seconds float64 `json:"seconds"`
}

// Changed is one answer that a load changes.
type Changed struct {
	Name   string            `json:"name"`
	Query  string            `json:"query"`
	Params map[string]string `json:"params"`
	// Key are the columns that identify a row across the two answers.
	Key        []string `json:"key"`
	RowsBefore int      `json:"rowsBefore"`
	RowsAfter  int      `json:"rowsAfter"`
	// ErrorBefore and ErrorAfter are the query's complaint about its parameters on
	// either side (an actor or relationship that the load creates or deletes).
	ErrorBefore string      `json:"errorBefore,omitempty"`
	ErrorAfter  string      `json:"errorAfter,omitempty"`
	Rows        []RowChange `json:"rows"`
	// Causes are the changed records that appear in the answer, before or after: by
	// ID in a row (an evidence line, a hop's relationships) or in its parameters, a
	// relationship also as a hop of its type between its ends in a route, or as a tie
	// between two actors the answer names. Empty when none does.
	Causes []Cause          `json:"causes"`
	Before []map[string]any `json:"before"`
	After  []map[string]any `json:"after"`
}

// Cause is a changed record of the load that appears in the answer, and how (ViaID,
// ViaRoute, ViaEnds).
type Cause struct {
	loader.Change
	Via string `json:"via"`
}

// Row changes.
const (
	RowGone    = "gone"    // in the answer before, not after
	RowNew     = "new"     // after, not before
	RowMoved   = "moved"   // in both, at another rank
	RowChanged = "changed" // in both at its rank, with other values
)

// RowChange is one row that differs.
type RowChange struct {
	Change string         `json:"change"`
	Key    map[string]any `json:"key"`
	// RankBefore and RankAfter are the row's rank (its rank column, else its place),
	// nil on the side it is absent from.
	RankBefore *int `json:"rankBefore"`
	RankAfter  *int `json:"rankAfter"`
	// Columns are the columns whose values differ, for a moved or changed row.
	Columns []string `json:"columns,omitempty"`
	label   string
	diff    string
}

func compare(set []Answer, before, after []outcome, changes []loader.Change, mode string) *Report {
	r := &Report{Computed: true, Mode: mode, Compared: []string{}, Changed: []Changed{}}
	for i, a := range set {
		r.Compared = append(r.Compared, a.Name)
		b, f := before[i], after[i]
		if same(b, f) {
			continue
		}
		c := Changed{Name: a.Name, Query: a.Query.Name, Params: a.Params, ErrorBefore: b.err, ErrorAfter: f.err,
			Before: rowsOf(b.res), After: rowsOf(f.res), Causes: []Cause{}}
		c.RowsBefore, c.RowsAfter = len(c.Before), len(c.After)
		c.Key = keyColumns(a.Query, b.res, f.res)
		c.Rows = rowChanges(c.Key, b.res, f.res, a.Query.View)
		seen := tokensOf(a.bound, b.res, f.res)
		for _, ch := range changes {
			if via := seen.via(ch); via != "" {
				c.Causes = append(c.Causes, Cause{Change: ch, Via: via})
			}
		}
		r.Changed = append(r.Changed, c)
	}
	return r
}

func same(a, b outcome) bool {
	if a.err != b.err || (a.res == nil) != (b.res == nil) {
		return false
	}
	if a.res == nil {
		return true
	}
	x, _ := json.Marshal([]any{a.res.Columns, a.res.Rows})
	y, _ := json.Marshal([]any{b.res.Columns, b.res.Rows})
	return string(x) == string(y)
}

// rowsOf is a result's rows as objects by column; nil for no result.
func rowsOf(res *queries.Result) []map[string]any {
	if res == nil {
		return []map[string]any{}
	}
	out := make([]map[string]any, len(res.Rows))
	for i, row := range res.Rows {
		out[i] = map[string]any{}
		for j, c := range res.Columns {
			out[i][c] = row[j]
		}
	}
	return out
}

// keyColumns are the columns that identify a row of q's answers: the header's
// `// key:` line where it has one whose columns the answers have. Else, among the
// columns whose values are text (or null) in every row of both answers, rank aside (the
// names, kinds and routes a row is about, not its scores): those of the view, when they
// tell each answer's rows apart; else the shortest run of them, in the columns' order,
// that does; else all of them; else the view.
func keyColumns(q *queries.Query, results ...*queries.Result) []string {
	var cols []string
	for _, r := range results {
		if r != nil {
			cols = r.Columns
			break
		}
	}
	if key := queries.KeyColumns(q); len(key) > 0 && subset(key, cols) {
		return key
	}
	var text, viewText []string
	for _, c := range cols {
		if c != "rank" && allText(c, results) {
			text = append(text, c)
			if slices.Contains(q.View, c) {
				viewText = append(viewText, c)
			}
		}
	}
	if len(viewText) > 0 && unique(viewText, results) {
		return viewText // what a reader of the table sees a row as
	}
	for n := 1; n <= len(text); n++ {
		if unique(text[:n], results) {
			return text[:n]
		}
	}
	if len(text) > 0 {
		return text
	}
	if len(q.View) > 0 && subset(q.View, cols) {
		return q.View
	}
	return cols
}

// allText reports whether column c holds text or null in every row of the results.
func allText(c string, results []*queries.Result) bool {
	for _, r := range results {
		if r == nil {
			continue
		}
		j := slices.Index(r.Columns, c)
		if j < 0 {
			return false
		}
		for _, row := range r.Rows {
			if _, ok := row[j].(string); !ok && row[j] != nil {
				return false
			}
		}
	}
	return true
}

// unique reports whether the columns tell the rows of each result apart.
func unique(key []string, results []*queries.Result) bool {
	for _, r := range results {
		seen := map[string]bool{}
		for _, k := range keyRows(key, r) {
			if seen[k.key] {
				return false
			}
			seen[k.key] = true
		}
	}
	return true
}

func subset(xs, of []string) bool {
	for _, x := range xs {
		if !slices.Contains(of, x) {
			return false
		}
	}
	return true
}

// keyed is one row of an answer, by its key.
type keyed struct {
	key    string
	vals   map[string]any // the key's columns
	row    map[string]any
	rank   int  // its rank column's value, else its place in the answer
	byRank bool // rank is the rank column's
}

func keyRows(key []string, res *queries.Result) []keyed {
	if res == nil {
		return nil
	}
	rankCol := slices.Index(res.Columns, "rank")
	var out []keyed
	for i, row := range res.Rows {
		k := keyed{vals: map[string]any{}, row: map[string]any{}, rank: i + 1}
		for j, c := range res.Columns {
			k.row[c] = row[j]
		}
		parts := make([]any, len(key))
		for j, c := range key {
			parts[j] = k.row[c]
			k.vals[c] = k.row[c]
		}
		b, _ := json.Marshal(parts)
		k.key = string(b)
		if rankCol >= 0 {
			if n, ok := row[rankCol].(int64); ok {
				k.rank, k.byRank = int(n), true
			}
		}
		out = append(out, k)
	}
	return out
}

// rowChanges lists the rows that differ: gone and moved or changed in the order of the
// answer before, then the new ones in the order of the answer after. A row moved when
// its order among the rows of both answers changed (its group's, the key's first
// column, where the answer has a rank column): a row that only steps up into a gone
// row's place, or down for a new one, did not move.
func rowChanges(key []string, before, after *queries.Result, view []string) []RowChange {
	b, a := keyRows(key, before), keyRows(key, after)
	first := func(ks []keyed) map[string]keyed {
		m := map[string]keyed{}
		for _, k := range ks {
			if _, dup := m[k.key]; !dup {
				m[k.key] = k
			}
		}
		return m
	}
	inBefore, inAfter := first(b), first(a)
	// each row's place among the rows of its group present on both sides
	common := func(ks []keyed, other map[string]keyed) map[string]int {
		place, counts := map[string]int{}, map[string]int{}
		for _, k := range ks {
			if _, ok := other[k.key]; !ok {
				continue
			}
			if _, dup := place[k.key]; dup {
				continue
			}
			group := ""
			if k.byRank && len(key) > 0 {
				group = fmt.Sprint(k.vals[key[0]])
			}
			counts[group]++
			place[k.key] = counts[group]
		}
		return place
	}
	placeBefore, placeAfter := common(b, inAfter), common(a, inBefore)
	done := map[string]bool{}
	out := []RowChange{}
	for _, k := range b {
		if done[k.key] {
			continue
		}
		done[k.key] = true
		rb := k.rank
		f, ok := inAfter[k.key]
		if !ok {
			out = append(out, RowChange{Change: RowGone, Key: k.vals, RankBefore: &rb, label: label(key, k, true), diff: "gone"})
			continue
		}
		ra := f.rank
		cols, diff := differing(k.row, f.row, view)
		switch {
		case placeBefore[k.key] != placeAfter[k.key]:
			d := fmt.Sprintf("%s %d -> %d", rankWord(k), rb, ra)
			if diff != "" {
				d += ", " + diff
			}
			out = append(out, RowChange{Change: RowMoved, Key: k.vals, RankBefore: &rb, RankAfter: &ra, Columns: cols, label: label(key, f, false), diff: d})
		case len(cols) > 0:
			out = append(out, RowChange{Change: RowChanged, Key: k.vals, RankBefore: &rb, RankAfter: &ra, Columns: cols, label: label(key, f, true), diff: diff})
		}
	}
	for _, k := range a {
		if done[k.key] {
			continue
		}
		done[k.key] = true
		ra := k.rank
		out = append(out, RowChange{Change: RowNew, Key: k.vals, RankAfter: &ra, label: label(key, k, true), diff: "new"})
	}
	return out
}

// rankWord is what a row's rank is: its rank, or its row (its place in the answer).
func rankWord(k keyed) string {
	if k.byRank {
		return "rank"
	}
	return "row"
}

// differing lists the columns whose values differ, and says how for the view's:
// "strength 0.7 -> 0.56, evidence" (a list's values are not shown).
func differing(x, y map[string]any, view []string) ([]string, string) {
	var cols []string
	for c := range x {
		if c == "rank" {
			continue // a row's rank is said apart
		}
		bx, _ := json.Marshal(x[c])
		by, _ := json.Marshal(y[c])
		if string(bx) != string(by) {
			cols = append(cols, c)
		}
	}
	sort.Strings(cols)
	var parts []string
	for _, c := range cols {
		if len(view) > 0 && !slices.Contains(view, c) {
			continue
		}
		if isScalar(x[c]) && isScalar(y[c]) {
			parts = append(parts, fmt.Sprintf("%s %v -> %v", c, show(x[c]), show(y[c])))
		} else {
			parts = append(parts, c)
		}
	}
	if len(parts) == 0 {
		parts = cols
	}
	return cols, strings.Join(parts, ", ")
}

func isScalar(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return false
	}
	return true
}

func show(v any) any {
	if v == nil {
		return "null"
	}
	return v
}

// label renders a row for a line: "rank 2 cooperative usa -[NEGOTIATES_WITH]- hamas".
func label(key []string, k keyed, rank bool) string {
	var parts []string
	if rank {
		parts = append(parts, fmt.Sprintf("%s %d", rankWord(k), k.rank))
	}
	for _, c := range key {
		if v := k.vals[c]; v != nil {
			parts = append(parts, fmt.Sprint(v))
		}
	}
	return strings.Join(parts, " ")
}

// tokens are what an answer names: ids (every word of its text that could be one) and
// the hops of its routes (type and the two ends, unordered).
type tokens struct {
	ids  map[string]bool
	hops map[[3]string]bool
}

var (
	wordSplit = regexp.MustCompile(`[^a-z0-9-]+`)
	// edgeRe finds a route's hop: -[TYPE]->, <-[TYPE]-, -[TYPE?]-, -[A|B]-.
	edgeRe = regexp.MustCompile(`<?-\[([^\]]*)\]->?`)
	typeIn = regexp.MustCompile(`[A-Z][A-Z0-9_]*`)
)

func tokensOf(params map[string]any, results ...*queries.Result) tokens {
	t := tokens{ids: map[string]bool{}, hops: map[[3]string]bool{}}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			t.text(v)
		case []any:
			for _, x := range v {
				walk(x)
			}
		case []string:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	for _, v := range params {
		walk(v)
	}
	for _, r := range results {
		if r == nil {
			continue
		}
		for _, row := range r.Rows {
			for _, v := range row {
				walk(v)
			}
		}
	}
	return t
}

func (t tokens) text(s string) {
	for _, w := range wordSplit.Split(s, -1) {
		if w = strings.Trim(w, "-"); w != "" {
			t.ids[w] = true
		}
	}
	edges := edgeRe.FindAllStringSubmatchIndex(s, -1)
	for i, m := range edges {
		prev, next := 0, len(s)
		if i > 0 {
			prev = edges[i-1][1]
		}
		if i+1 < len(edges) {
			next = edges[i+1][0]
		}
		left, right := strings.Fields(s[prev:m[0]]), strings.Fields(s[m[1]:next])
		if len(left) == 0 || len(right) == 0 {
			continue
		}
		a, b := left[len(left)-1], right[0]
		if a > b {
			a, b = b, a
		}
		for _, typ := range typeIn.FindAllString(s[m[2]:m[3]], -1) {
			t.hops[[3]string{typ, a, b}] = true
		}
	}
}

// How a changed record appears in an answer (Cause.Via).
const (
	ViaID    = "id"    // its ID is in a row (a hop's relationships, an evidence line) or a parameter
	ViaRoute = "route" // a route has a hop of its type between its ends
	ViaEnds  = "ends"  // a relationship between two actors the answer names (rows or parameters)
)

// via says how a changed record appears in the answer, "" when it does not.
func (t tokens) via(c loader.Change) string {
	switch {
	case t.ids[c.ID]:
		return ViaID
	case c.Record != loader.RecordRelationship:
		return ""
	case t.onRoute(c):
		return ViaRoute
	case c.From != "" && c.To != "" && t.ids[c.From] && t.ids[c.To]:
		return ViaEnds
	}
	return ""
}

// onRoute reports whether a route has a hop of the relationship's type between its
// ends (either way: symmetric relationships are read both ways).
func (t tokens) onRoute(c loader.Change) bool {
	ends := [][2]string{{c.From, c.To}}
	typ := c.Label
	for _, f := range c.Fields { // a relationship that moved: its old ends and type too
		switch f.Key {
		case "from":
			if s, ok := f.Old.(string); ok {
				ends = append(ends, [2]string{s, c.To})
			}
		case "to":
			if s, ok := f.Old.(string); ok {
				ends = append(ends, [2]string{c.From, s})
			}
		case "type":
			if s, ok := f.Old.(string); ok && t.hop(s, c.From, c.To) {
				return true
			}
		}
	}
	for _, e := range ends {
		if t.hop(typ, e[0], e[1]) {
			return true
		}
	}
	return false
}

func (t tokens) hop(typ, a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a > b {
		a, b = b, a
	}
	return t.hops[[3]string{typ, a, b}]
}
