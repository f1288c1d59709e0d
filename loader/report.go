package loader

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/schema"
)

// PlanResult is the difference between the input and the graph: what Load would do.
type PlanResult struct {
	Dataset string `json:"dataset"`
	Records int    `json:"records"`
	// Schema lists the constraints and indexes that Load would create.
	Schema []SchemaChange `json:"schema"`
	// Changes lists the records to create, update and delete, nodes first.
	Changes []Change `json:"changes"`
	// Fingerprint says the graph was proved unchanged since the last run of the same
	// input, without comparing records.
	Fingerprint bool `json:"fingerprint"`
	// FilesRead and FilesReused are as in Result.
	FilesRead   int `json:"filesRead"`
	FilesReused int `json:"filesReused"`
	Create      int `json:"create"`
	Update      int `json:"update"`
	Delete      int `json:"delete"`
	// Steps is where the time went.
	Steps    []Step           `json:"steps,omitempty"`
	Warnings []schema.Finding `json:"warnings,omitempty"`
	// WatchSkipped says why Options.Watch was not run, though there are changes (the
	// load is too large for one transaction, or the schema is incomplete).
	WatchSkipped string `json:"-"`
}

// HasChanges reports whether Load would write anything (the run node aside).
func (p *PlanResult) HasChanges() bool { return len(p.Schema) > 0 || len(p.Changes) > 0 }

var actionSign = map[Action]string{ActionCreate: "+", ActionUpdate: "~", ActionDelete: "-"}

// WriteText writes the plan for people, like a terraform plan: one line per record
// ("+ node hamas (NonStateArmedGroup)", "~ relationship x (NEGOTIATES_WITH a -> b)",
// "- node y (Place)"), an update's changed fields indented under it
// (`confidence: "medium" -> "high"`), then "Plan: 1 to create, 1 to update, 1 to delete."
func (p *PlanResult) WriteText(w io.Writer) error {
	b := &strings.Builder{}
	if !p.HasChanges() {
		fmt.Fprintf(b, "No changes: the graph matches the seed files (dataset %q, %s).\n", p.Dataset, output.Plural(p.Records, "record"))
		if line := filesLine(p.FilesRead, p.FilesReused); line != "" {
			b.WriteString(line + "\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	if n := len(p.Schema); n > 0 {
		constraints := 0
		for _, s := range p.Schema {
			if s.Kind == "constraint" {
				constraints++
			}
		}
		fmt.Fprintf(b, "+ schema: %s and %s to create", output.Plural(constraints, "constraint"), output.Plural(n-constraints, "index"))
		if n <= maxSchemaNames {
			names := make([]string, n)
			for i, s := range p.Schema {
				names[i] = s.Name
				if s.Replace {
					names[i] += " (replacing the one the vocabulary has outgrown)"
				}
			}
			fmt.Fprintf(b, ": %s", strings.Join(names, ", "))
		}
		b.WriteString("\n")
	}
	for _, c := range p.Changes {
		fmt.Fprintf(b, "%s %s %s (%s", actionSign[c.Action], c.Record, c.ID, c.Label)
		if c.From != "" && c.Action != ActionDelete {
			fmt.Fprintf(b, " %s -> %s", c.From, c.To)
		}
		b.WriteString(")\n")
		for _, f := range c.Fields {
			was, is := formatPair(f.Old, f.New)
			fmt.Fprintf(b, "    %s: %s -> %s\n", f.Key, was, is)
		}
	}
	fmt.Fprintf(b, "\nPlan: %d to create, %d to update, %d to delete", p.Create, p.Update, p.Delete)
	if len(p.Schema) > 0 {
		fmt.Fprintf(b, " (and %d constraints and indexes)", len(p.Schema))
	}
	b.WriteString(".\n")
	if line := filesLine(p.FilesRead, p.FilesReused); line != "" {
		b.WriteString(line + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// maxSchemaNames is the most schema changes a plan's text names (a first load has
// about fifty, which it only counts).
const maxSchemaNames = 5

// WriteText writes the load's summary: what was created, updated and deleted per label
// and type, Neo4j's counters, the run node and the time taken.
func (r *Result) WriteText(w io.Writer) error {
	elapsed := r.Elapsed.Round(10 * time.Millisecond)
	txs := output.Plural(r.Transactions, "transaction")
	switch {
	case r.Fingerprint:
		if err := output.WriteWrapped(w, fmt.Sprintf("Dataset %q is up to date in database %q: %s from %s, nothing to write; nothing has committed since the last load of these files, so no record needed comparing (%s).",
			r.Dataset, r.Database, output.Plural(r.Records, "record"), output.Plural(r.Files, "file"), elapsed), textWidth); err != nil {
			return err
		}
	case r.Created+r.Updated+r.Deleted == 0:
		if err := output.WriteWrapped(w, fmt.Sprintf("Dataset %q is up to date in database %q: %s from %s, nothing to write (%s, %s).",
			r.Dataset, r.Database, output.Plural(r.Records, "record"), output.Plural(r.Files, "file"), txs, elapsed), textWidth); err != nil {
			return err
		}
	default:
		if err := output.WriteWrapped(w, fmt.Sprintf("Loaded dataset %q into database %q: %s from %s in %s, %s.",
			r.Dataset, r.Database, output.Plural(r.Records, "record"), output.Plural(r.Files, "file"), txs, elapsed), textWidth); err != nil {
			return err
		}
		width := len("total")
		for _, t := range r.Changes {
			width = max(width, len(t.Record)+1+len(t.Label))
		}
		var b strings.Builder
		fmt.Fprintf(&b, "  %-*s  %7s  %7s  %7s\n", width, "", "created", "updated", "deleted")
		for _, t := range r.Changes {
			fmt.Fprintf(&b, "  %-*s  %7d  %7d  %7d\n", width, t.Record+" "+t.Label, t.Created, t.Updated, t.Deleted)
		}
		fmt.Fprintf(&b, "  %-*s  %7d  %7d  %7d\n", width, "total", r.Created, r.Updated, r.Deleted)
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	for _, line := range []string{
		fmt.Sprintf("Neo4j counters: %s.", r.Counters),
		runLine(r),
		filesLine(r.FilesRead, r.FilesReused),
		stepsText(r.Steps),
	} {
		if line == "" {
			continue
		}
		if err := output.WriteWrapped(w, line, textWidth); err != nil {
			return err
		}
	}
	return nil
}

// runLine says which run node records the load: a new one, or, for a load that found
// the graph as the last run of these files left it, that one.
func runLine(r *Result) string {
	if r.Fingerprint {
		return fmt.Sprintf("No run recorded: the last (:%s {dataset: %q, contentHash: %q}) stands for this one.", RunLabel, r.Dataset, r.ContentHash)
	}
	return fmt.Sprintf("Run recorded as (:%s {dataset: %q, contentHash: %q}).", RunLabel, r.Dataset, r.ContentHash)
}

// filesLine says how many files were read and how many taken from the last run, when
// any were; else "".
func filesLine(read, reused int) string {
	if reused == 0 {
		return ""
	}
	return fmt.Sprintf("Files: %d read, %d taken from the last run (unchanged, and nothing committed since).", read, reused)
}

// textWidth is the width the load's summary is wrapped at.
const textWidth = 100

// stepsText lists the steps and their times, those under 5 ms left out.
func stepsText(steps []Step) string {
	var parts []string
	for _, s := range steps {
		if s.Seconds >= 0.005 {
			parts = append(parts, fmt.Sprintf("%s %s", s.Step, time.Duration(s.Seconds*float64(time.Second)).Round(10*time.Millisecond)))
		}
	}
	if len(parts) == 0 {
		return "Time: under 5 ms a step."
	}
	return "Time: " + strings.Join(parts, ", ") + "."
}

// String lists the non-zero counters, or says there were no writes.
func (c Counters) String() string {
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(c.NodesCreated, "nodes created")
	add(c.NodesDeleted, "nodes deleted")
	add(c.RelationshipsCreated, "relationships created")
	add(c.RelationshipsDeleted, "relationships deleted")
	add(c.PropertiesSet, "properties set")
	add(c.LabelsAdded, "labels added")
	add(c.LabelsRemoved, "labels removed")
	add(c.ConstraintsAdded, "constraints added")
	add(c.IndexesAdded, "indexes added")
	if len(parts) == 0 {
		return "0 writes"
	}
	return strings.Join(parts, ", ")
}

// maxShown bounds a value as the plan shows it.
const maxShown = 60

// formatPair formats an old and a new value compactly. Long strings that share a
// beginning are shown from a little before where they differ.
func formatPair(was, is any) (string, string) {
	if wf, ok := was.(float64); ok {
		if nf, ok := is.(float64); ok && shortFloat(wf) == shortFloat(nf) {
			return strconv.FormatFloat(wf, 'g', -1, 64), strconv.FormatFloat(nf, 'g', -1, 64)
		}
	}
	ws, wOK := was.(string)
	is_, iOK := is.(string)
	if !wOK || !iOK || (utf8.RuneCountInString(ws) <= maxShown && utf8.RuneCountInString(is_) <= maxShown) {
		return format(was), format(is)
	}
	o, n := []rune(ws), []rune(is_)
	p := 0
	for p < len(o) && p < len(n) && o[p] == n[p] {
		p++
	}
	if p > 20 {
		cut := p - 10
		return "..." + format(string(o[cut:])), "..." + format(string(n[cut:]))
	}
	return format(was), format(is)
}

// format shows a value: strings quoted (escapes visible) and cut at maxShown runes,
// dates plain, lists in brackets.
func format(v any) string {
	switch x := v.(type) {
	case nil:
		return "(none)"
	case string:
		r := []rune(x)
		if len(r) > maxShown {
			return strconv.Quote(string(r[:maxShown-3])) + "..."
		}
		return strconv.Quote(x)
	case Date:
		return string(x)
	case float64:
		return shortFloat(x)
	case []any:
		var b strings.Builder
		b.WriteString("[")
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			if b.Len() > maxShown {
				fmt.Fprintf(&b, "... %d more", len(x)-i)
				break
			}
			b.WriteString(format(e))
		}
		b.WriteString("]")
		return b.String()
	}
	return fmt.Sprint(v)
}

// shortFloat shows a float to 12 significant digits: 0.28, not 0.27999999999999997.
func shortFloat(f float64) string { return strconv.FormatFloat(f, 'g', 12, 64) }
