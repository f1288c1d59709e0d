package queries

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// The model parameters a robustness run varies (model.md §5: every path-scoring query
// declares them under these names).
const (
	ParamAttenuation = "attenuation"
	ParamConfidence  = "confidence"
	ParamAggregation = "aggregation"
	ParamScaleType   = "scaleType"
	ParamScale       = "scale"
)

// Setting is one run of a robustness grid: its name, and the parameters it sets, as
// text, over the base run's.
type Setting struct {
	Name   string            `json:"setting"`
	Params map[string]string `json:"params"`
}

// Robust is a robustness run: the answer at the given parameters (the base), the
// settings it was run again under, and for each row of the base how its rank fared.
type Robust struct {
	Query string `json:"query"`
	// Key are the columns that identify a row across runs (the header's key:).
	Key      []string    `json:"key"`
	Base     *Result     `json:"-"`
	Settings []Setting   `json:"settings"`
	Rows     []RobustRow `json:"rows"`
	// Seconds is the time of all the runs, the base's included.
	Seconds float64 `json:"seconds"`
}

// RobustRow is one row of the base answer: its key, its rank, in how many of the runs
// the row has that same rank, and its rank in each run (nil: absent), in the order of
// Robust.Settings.
type RobustRow struct {
	Key   map[string]any `json:"key"`
	Rank  int            `json:"rank"`
	Holds int            `json:"holds"`
	Runs  int            `json:"runs"`
	Ranks []RunRank      `json:"ranks"`
}

// RunRank is a row's rank in one run; Rank is nil when the row is absent from it.
type RunRank struct {
	Setting string `json:"setting"`
	Rank    *int   `json:"rank"`
}

// HoldsText renders how often the row's rank holds, "n/N".
func (r RobustRow) HoldsText() string { return fmt.Sprintf("%d/%d", r.Holds, r.Runs) }

// KeyColumns returns the columns that identify a row of q across runs: the header's
// `// key:` line. A query without one has none.
func KeyColumns(q *Query) []string {
	for _, raw := range strings.Split(q.Cypher, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "//") {
			break
		}
		if m := keyLineRe.FindStringSubmatch(line); m != nil {
			var out []string
			for _, c := range strings.Split(m[1], ",") {
				if c = strings.TrimSpace(c); c != "" {
					out = append(out, c)
				}
			}
			return out
		}
	}
	return nil
}

var keyLineRe = regexp.MustCompile(`^//\s*key:\s*(.*)$`)

// ErrNoKey is returned by Robustness for a query whose header names no key columns.
var ErrNoKey = errors.New("declares no // key: columns, which say what identifies a row across runs")

// ErrNoModelParams is returned by Robustness for a query that has none of the model's
// parameters: there is nothing to vary.
var ErrNoModelParams = errors.New("has none of the model's parameters (attenuation, confidence, aggregation, scaleType and scale): its answer does not depend on them")

// Grid lists the settings of a robustness run of q around base (bound parameters, as
// Bind returns them): every combination of grid's attenuation, confidence and
// aggregation values, each axis only where q declares the parameter, then, where q
// declares scaleType and scale, each of types (those allowed by scaleType) with each of
// grid's scale factors, one type at a time, the other parameters at base. A grid value
// q does not accept is an error.
func Grid(q *Query, base map[string]any, grid schema.Robustness, types []string) ([]Setting, error) {
	type axis struct {
		name   string
		values []string
	}
	floats := func(fs []float64) []string {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = strconv.FormatFloat(f, 'f', -1, 64)
		}
		return out
	}
	var axes []axis
	var errs []error
	check := func(name string, values []string) {
		p := q.Param(name)
		for _, v := range values {
			x, err := p.Type.Parse(v)
			if err == nil {
				err = p.inRange(x)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("query %s: the robustness grid's %s %s: %v (schema/vocabulary.yaml influenceModel.robustness)", q.Name, name, v, err))
			}
		}
	}
	for _, a := range []axis{
		{ParamAttenuation, floats(grid.Attenuation)},
		{ParamConfidence, grid.Confidence},
		{ParamAggregation, grid.Aggregation},
	} {
		if q.Param(a.name) == nil || len(a.values) == 0 {
			continue
		}
		check(a.name, a.values)
		axes = append(axes, a)
	}
	scaled := q.Param(ParamScaleType) != nil && q.Param(ParamScale) != nil && len(grid.Scale) > 0
	if scaled {
		check(ParamScale, floats(grid.Scale))
	}
	if len(axes) == 0 && !scaled {
		return nil, fmt.Errorf("query %s %w", q.Name, ErrNoModelParams)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	settings := []Setting{{Params: map[string]string{}}}
	for _, a := range axes {
		var next []Setting
		for _, s := range settings {
			for _, v := range a.values {
				p := make(map[string]string, len(s.Params)+1)
				for k, x := range s.Params {
					p[k] = x
				}
				p[a.name] = v
				next = append(next, Setting{Params: p})
			}
		}
		settings = next
	}
	for i := range settings {
		var parts []string
		for _, a := range axes {
			parts = append(parts, a.name+"="+settings[i].Params[a.name])
		}
		settings[i].Name = strings.Join(parts, " ")
	}
	if scaled {
		allowed := q.Param(ParamScaleType).Values
		for _, t := range types {
			if len(allowed) > 0 && !slices.Contains(allowed, t) {
				continue
			}
			for _, f := range floats(grid.Scale) {
				settings = append(settings, Setting{
					Name:   fmt.Sprintf("%s x%s", t, f),
					Params: map[string]string{ParamScaleType: t, ParamScale: f},
				})
			}
		}
	}
	return settings, nil
}

// typeRe finds a relationship type in a route: -[TYPE]->, -[TYPE?]-, <-[TYPE+2]-.
var typeRe = regexp.MustCompile(`\[([A-Z][A-Z0-9_]*)[?+\]]`)

// AnswerTypes lists, sorted, the relationship types an answer's rows name: in routes
// (-[TYPE]->), and as the type of a hop, channel or relationship (keys type and _type).
func AnswerTypes(res *Result) []string {
	seen := map[string]bool{}
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch v := v.(type) {
		case string:
			if key == "type" || key == "_type" {
				seen[v] = true
			}
			for _, m := range typeRe.FindAllStringSubmatch(v, -1) {
				seen[m[1]] = true
			}
		case []any:
			for _, x := range v {
				walk(x, key)
			}
		case map[string]any:
			for k, x := range v {
				walk(x, k)
			}
		}
	}
	for _, row := range res.Rows {
		for _, v := range row {
			walk(v, "")
		}
	}
	return sortedKeys(seen)
}

// Ranks gives each row of res its rank, by its key columns (as keyOf renders them):
// its place in output order among the rows with the same value in the first key column
// when res has a rank column, else its place among all rows. A key seen twice keeps
// its first rank.
func Ranks(res *Result, key []string) (map[string]int, error) {
	idx := make([]int, len(key))
	for i, k := range key {
		if idx[i] = slices.Index(res.Columns, k); idx[i] < 0 {
			return nil, fmt.Errorf("key column %s is not among the result's columns %s", k, strings.Join(res.Columns, ", "))
		}
	}
	grouped := slices.Contains(res.Columns, "rank")
	out := map[string]int{}
	counts := map[string]int{}
	for _, row := range res.Rows {
		group := ""
		if grouped {
			group = scalar(row[idx[0]])
		}
		counts[group]++
		k := keyOf(row, idx)
		if _, dup := out[k]; !dup {
			out[k] = counts[group]
		}
	}
	return out, nil
}

// keyOf renders a row's key columns as one string.
func keyOf(row []any, idx []int) string {
	parts := make([]string, len(idx))
	for i, j := range idx {
		parts[i] = scalar(row[j])
	}
	b, _ := marshal(parts)
	return string(b)
}

// Robustness runs q at params (from Bind: the base answer), then again under every
// setting of grid (see Grid) whose relationship types are those of the base answer,
// all in one read transaction, and says for each row of the base answer in how many of
// the runs it keeps its rank. The base's own setting, when the grid has it, counts as
// one of the runs.
func Robustness(ctx context.Context, db *neo4jconn.DB, q *Query, params map[string]any, grid schema.Robustness) (_ *Robust, err error) {
	key := KeyColumns(q)
	if len(key) == 0 {
		return nil, fmt.Errorf("query %s %w", q.Name, ErrNoKey)
	}
	began := time.Now()
	session := db.Session(ctx, neo4j.AccessModeRead)
	defer func() { err = errors.Join(err, session.Close(ctx)) }()
	var config []func(*neo4j.TransactionConfig)
	if deadline, ok := ctx.Deadline(); ok {
		if d := time.Until(deadline); d > 0 {
			config = append(config, neo4j.WithTxTimeout(d))
		}
	}
	out, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (*Robust, error) {
		return robustnessIn(ctx, tx, q, key, params, grid)
	}, config...)
	if err != nil {
		var ge gridError
		if errors.As(err, &ge) {
			return nil, ge.err
		}
		return nil, queryError(db, q, err)
	}
	out.Seconds = time.Since(began).Seconds()
	return out, nil
}

// gridError carries an error of the grid out of the transaction unclassified.
type gridError struct{ err error }

func (e gridError) Error() string { return e.err.Error() }

func robustnessIn(ctx context.Context, tx neo4j.ManagedTransaction, q *Query, key []string, params map[string]any, grid schema.Robustness) (*Robust, error) {
	resolved, err := resolveIn(ctx, tx, q, params)
	if err != nil {
		return nil, err
	}
	base, err := runResolved(ctx, tx, q, resolved)
	if err != nil {
		return nil, err
	}
	baseRanks, err := Ranks(base, key)
	if err != nil {
		return nil, gridError{fmt.Errorf("query %s: %w", q.Name, err)}
	}
	settings, err := Grid(q, params, grid, AnswerTypes(base))
	if err != nil {
		return nil, gridError{err}
	}
	r := &Robust{Query: q.Name, Key: key, Base: base, Settings: settings}
	idx := make([]int, len(key))
	for i, k := range key {
		idx[i] = slices.Index(base.Columns, k)
	}
	rows := make([]RobustRow, len(base.Rows))
	keys := make([]string, len(base.Rows))
	for i, row := range base.Rows {
		keys[i] = keyOf(row, idx)
		rows[i] = RobustRow{Key: map[string]any{}, Rank: baseRanks[keys[i]], Runs: len(settings)}
		for j, k := range key {
			rows[i].Key[k] = row[idx[j]]
		}
	}
	for _, s := range settings {
		run := make(map[string]any, len(resolved))
		for k, v := range resolved {
			run[k] = v
		}
		for name, text := range s.Params {
			v, err := q.Param(name).Type.Parse(text)
			if err != nil {
				return nil, gridError{err}
			}
			run[name] = v
		}
		res, err := runResolved(ctx, tx, q, run)
		if err != nil {
			return nil, err
		}
		ranks, err := Ranks(res, key)
		if err != nil {
			return nil, gridError{fmt.Errorf("query %s: %w", q.Name, err)}
		}
		for i := range rows {
			rr := RunRank{Setting: s.Name}
			if n, ok := ranks[keys[i]]; ok {
				rr.Rank = &n
				if n == rows[i].Rank {
					rows[i].Holds++
				}
			}
			rows[i].Ranks = append(rows[i].Ranks, rr)
		}
	}
	r.Rows = rows
	return r, nil
}

// HoldsColumn is the column a robustness table adds: in how many runs the row's rank
// holds.
const HoldsColumn = "holds"

// Table returns the base answer with the column holds added, for Write: in the view
// after rank (or after the last key column the view shows, or last), and last among
// the columns.
func (r *Robust) Table() *Result {
	out := *r.Base
	out.Columns = append(slices.Clone(r.Base.Columns), HoldsColumn)
	out.Rows = make([][]any, len(r.Base.Rows))
	for i, row := range r.Base.Rows {
		out.Rows[i] = append(slices.Clone(row), r.Rows[i].HoldsText())
	}
	view := r.Base.View
	if len(view) == 0 {
		view = r.Base.Columns
	}
	at := -1
	if i := slices.Index(view, "rank"); i >= 0 {
		at = i + 1
	} else {
		for _, k := range r.Key {
			at = max(at, slices.Index(view, k)+1)
		}
	}
	if at <= 0 {
		at = len(view)
	}
	out.View = slices.Insert(slices.Clone(view), at, HoldsColumn)
	return &out
}

// Legend says in one sentence what the holds column counts.
func (r *Robust) Legend() string {
	return fmt.Sprintf("holds: in how many of %d runs the row keeps its rank (key: %s); the runs vary %s. "+
		"--format json lists each run's rank. %d runs in %.1f s.",
		len(r.Settings), strings.Join(r.Key, ", "), r.varied(), len(r.Settings), r.Seconds)
}

// varied names the grid's axes, as its settings show them.
func (r *Robust) varied() string {
	vals := map[string][]string{}
	var order []string
	scaled := map[string]bool{}
	var factors []string
	for _, s := range r.Settings {
		if t, ok := s.Params[ParamScaleType]; ok {
			scaled[t] = true
			if f := s.Params[ParamScale]; !slices.Contains(factors, f) {
				factors = append(factors, f)
			}
			continue
		}
		for _, name := range []string{ParamAttenuation, ParamConfidence, ParamAggregation} {
			v, ok := s.Params[name]
			if !ok {
				continue
			}
			if _, seen := vals[name]; !seen {
				order = append(order, name)
			}
			if !slices.Contains(vals[name], v) {
				vals[name] = append(vals[name], v)
			}
		}
	}
	var parts []string
	for _, name := range order {
		parts = append(parts, name+" "+strings.Join(vals[name], "/"))
	}
	if len(scaled) > 0 {
		parts = append(parts, fmt.Sprintf("each of the answer's %d relationship types' influence x%s, one at a time", len(scaled), strings.Join(factors, "/x")))
	}
	return strings.Join(parts, ", ")
}
