package answers

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/loader"
)

// Width is the width of the text report.
const Width = 100

// MaxRowLines is how many changed rows, and how many causes, the text report shows per
// answer; --format json has them all.
const MaxRowLines = 5

// NoRecordChanges is the reason of a report of a load that changes no record.
const NoRecordChanges = "the load changes no record, so no answer can change"

// Skipped returns the report of answers not compared, and why.
func Skipped(set []Answer, mode, why string) *Report {
	r := &Report{Skipped: why, Mode: mode, Compared: []string{}, Changed: []Changed{}}
	for _, a := range set {
		r.Compared = append(r.Compared, a.Name)
	}
	return r
}

// ChangedNames lists the names of the answers that changed.
func (r *Report) ChangedNames() []string {
	out := []string{}
	for _, c := range r.Changed {
		out = append(out, c.Name)
	}
	return out
}

// WriteText writes the report for people, within Width columns: a line that says what
// was compared and how many answers change, then for each answer that changes its name
// and parameters, its rows before and after, the rows that changed (at most
// MaxRowLines), and the changed records behind the change.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	line := func(s string) { b.WriteString(fit(s)) }
	switch {
	case !r.Computed && r.Skipped == NoRecordChanges:
		line(fmt.Sprintf("Answers: none changes: %s (%s watched).", NoRecordChanges, output.Plural(len(r.Compared), "answer")))
	case !r.Computed:
		for _, l := range output.Wrap("Answers: not compared: "+r.Skipped+".", Width) {
			line(l)
		}
	default:
		where := "on the load applied in one transaction, then rolled back"
		if r.Mode == ModeCommitted {
			where = "before and after the load, in its transaction"
		}
		verdict := "none changes"
		if n := len(r.Changed); n == 1 {
			verdict = "1 changes"
		} else if n > 1 {
			verdict = fmt.Sprintf("%d change", n)
		}
		for _, l := range output.Wrap(fmt.Sprintf("Answers: %d compared (every stored query at its defaults and the dataset's watch list) %s, in %.1f s: %s.",
			len(r.Compared), where, r.Seconds, verdict), Width) {
			line(l)
		}
	}
	for _, c := range r.Changed {
		line(fmt.Sprintf("~ %s: %s -> %s", c.Name, side(c.RowsBefore, c.ErrorBefore), side(c.RowsAfter, c.ErrorAfter)))
		for _, e := range []struct{ when, err string }{{"before", c.ErrorBefore}, {"after", c.ErrorAfter}} {
			if e.err != "" {
				for _, l := range output.Wrap(e.when+": "+e.err, Width-4) {
					line("    " + l)
				}
			}
		}
		for i, rc := range c.Rows {
			if c.ErrorBefore != "" || c.ErrorAfter != "" {
				break // one side has no rows: --format json lists the other's
			}
			if i == MaxRowLines {
				line(fmt.Sprintf("    ... and %d more changed rows (--format json lists them)", len(c.Rows)-MaxRowLines))
				break
			}
			line(fmt.Sprintf("    %s %s: %s", rowSign[rc.Change], rc.label, rc.diff))
		}
		if len(c.Causes) == 0 {
			line("    no changed record appears in the answer")
		}
		for i, ch := range c.Causes {
			if i == MaxRowLines {
				line(fmt.Sprintf("    ... and %d more changed records in the answer (--format json lists them)", len(c.Causes)-MaxRowLines))
				break
			}
			l := "    cause: " + describe(ch.Change)
			if ch.Via == ViaEnds {
				l += ", between actors of the answer"
			}
			line(l)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

var rowSign = map[string]string{RowGone: "-", RowNew: "+", RowMoved: "~", RowChanged: "~"}

func side(rows int, err string) string {
	if err != "" {
		return "error"
	}
	return output.Plural(rows, "row")
}

// describe names a changed record as the plan does: "- relationship ID (TYPE a -> b)".
func describe(c loader.Change) string {
	sign := map[loader.Action]string{loader.ActionCreate: "+", loader.ActionUpdate: "~", loader.ActionDelete: "-"}[c.Action]
	s := fmt.Sprintf("%s %s %s (%s", sign, c.Record, c.ID, c.Label)
	if c.From != "" {
		s += fmt.Sprintf(" %s -> %s", c.From, c.To)
	}
	s += ")"
	if c.Action == loader.ActionUpdate && len(c.Fields) > 0 {
		keys := make([]string, len(c.Fields))
		for i, f := range c.Fields {
			keys[i] = f.Key
		}
		s += ": " + strings.Join(keys, ", ")
	}
	return s
}

// fit makes a line fit Width: a route's relationship types become .. first
// (usa -[..]- hamas), then the line is cut with an ellipsis.
func fit(s string) string {
	if utf8.RuneCountInString(s) > Width {
		s = edgeRe.ReplaceAllStringFunc(s, func(e string) string {
			open, close := strings.Index(e, "["), strings.LastIndex(e, "]")
			return e[:open+1] + ".." + e[close:]
		})
	}
	if utf8.RuneCountInString(s) > Width {
		s = string([]rune(s)[:Width-1]) + "…"
	}
	return s + "\n"
}
