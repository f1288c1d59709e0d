package queries

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/backchannel/backchannel/internal/output"
)

// Formats are the output formats of Write.
var Formats = []string{"table", "json", "csv"}

// Write renders the result in one of Formats:
//   - table: for reading at 100 columns. A query with a compact view (header view:)
//     shows those columns, and its evidence columns too when ShowEvidence is set; others
//     show every column. A list shows one item a line, a map one key: value a line; long
//     text wraps at word boundaries, the last column to fit the width; rows spanning
//     several lines are separated by a blank line.
//   - json: an array of objects, every column, keys in column order.
//   - csv: a header row, then one row per result, every column; lists and maps as JSON.
func (r *Result) Write(w io.Writer, format string) error {
	switch format {
	case "table":
		return r.writeTable(w)
	case "json":
		return r.writeJSON(w)
	case "csv":
		return r.writeCSV(w)
	}
	return fmt.Errorf("unknown format %q: want one of %s", format, strings.Join(Formats, ", "))
}

// wrapWidth is where the table wraps long text in a cell; tableWidth is the width a
// table's last column is wrapped to fit, when the others leave it room enough
// (minLastWidth).
const (
	wrapWidth    = 72
	tableWidth   = 100
	minLastWidth = 30
)

// indexes returns the positions of the named columns.
func (r *Result) indexes(names []string) []int {
	var out []int
	for _, c := range names {
		if i := slices.Index(r.Columns, c); i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

// writeTable aligns the cells with the one table writer (internal/output), a row of
// several lines being written as several lines with empty cells. With ShowEvidence, the
// evidence columns follow each row, indented, one item a line.
func (r *Result) writeTable(w io.Writer) error {
	cols := r.indexes(r.Columns)
	var evidence []int
	if len(r.View) > 0 {
		cols = r.indexes(r.View)
		if r.ShowEvidence {
			evidence = r.indexes(r.Evidence)
		}
	}
	n := len(cols)
	cells := make([][][]string, len(r.Rows)) // row, shown column, line
	widths := make([]int, n)
	width := 0 // of every column but the last, with gaps
	for j, c := range cols[:max(n-1, 0)] {
		colWidth := utf8.RuneCountInString(r.Columns[c])
		for i, row := range r.Rows {
			if cells[i] == nil {
				cells[i] = make([][]string, n)
			}
			cells[i][j] = tableLines(row[c], wrapWidth)
			for _, l := range cells[i][j] {
				colWidth = max(colWidth, utf8.RuneCountInString(l))
			}
		}
		widths[j] = colWidth
		width += colWidth + 2
	}
	last := wrapWidth
	if tableWidth-width >= minLastWidth {
		last = tableWidth - width
	}
	multi := false
	for i, row := range r.Rows {
		if cells[i] == nil {
			cells[i] = make([][]string, n)
		}
		if n > 0 {
			cells[i][n-1] = tableLines(row[cols[n-1]], last)
			for _, l := range cells[i][n-1] {
				widths[n-1] = max(widths[n-1], utf8.RuneCountInString(l))
			}
		}
		for _, c := range cells[i] {
			multi = multi || len(c) > 1 || len(evidence) > 0
		}
	}
	var b bytes.Buffer
	tw := output.TableWriter(&b)
	line := func(parts []string) { fmt.Fprintln(tw, strings.Join(parts, "\t")) }
	header, rule := make([]string, n), make([]string, n)
	for j, c := range cols {
		header[j] = r.Columns[c]
		rule[j] = strings.Repeat("-", max(widths[j], utf8.RuneCountInString(header[j])))
	}
	line(header)
	line(rule)
	lines := 2
	rowEnd := make([]int, len(cells)) // the line after each row
	for i := range cells {
		if multi && i > 0 {
			line(make([]string, n))
			lines++
		}
		height := 1
		for _, c := range cells[i] {
			height = max(height, len(c))
		}
		for k := 0; k < height; k++ {
			parts := make([]string, n)
			for j := range parts {
				if k < len(cells[i][j]) {
					parts[j] = cells[i][j][k]
				}
			}
			line(parts)
		}
		lines += height
		rowEnd[i] = lines
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// tabwriter pads the empty cells of a row's continuation lines: no trailing blanks.
	var out bytes.Buffer
	row := 0
	for k, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		out.WriteString(strings.TrimRight(l, " ") + "\n")
		for ; row < len(rowEnd) && rowEnd[row] == k+1; row++ {
			for _, c := range evidence {
				for _, el := range evidenceLines(r.Columns[c], r.Rows[row][c], len(evidence) > 1) {
					out.WriteString("    " + el + "\n")
				}
			}
		}
	}
	_, err := w.Write(out.Bytes())
	return err
}

// evidenceLines are the lines an evidence column adds under a row, wrapped to fit 100
// columns under its indent; a null shows nothing. Among several evidence columns each
// is labelled with its name (event: ..., places: gaza, doha), so that the lines tell
// apart; a list of short values is one line, a list of long ones or of records goes on
// under its label, one item a line.
func evidenceLines(column string, v any, labelled bool) []string {
	width := tableWidth - 4
	if v == nil {
		return nil
	}
	if !labelled {
		var out []string
		for _, l := range tableLines(v, width) {
			if l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	if list, ok := v.([]any); ok {
		var plain []string
		for _, x := range list {
			switch x.(type) {
			case []any, map[string]any:
				plain = nil
			default:
				plain = append(plain, scalar(x))
				continue
			}
			break
		}
		if len(list) == 0 {
			return nil
		}
		short := len(plain) == len(list)
		for _, x := range plain {
			short = short && utf8.RuneCountInString(x) <= 40
		}
		if short {
			return output.Wrap(column+": "+strings.Join(plain, ", "), width)
		}
		out := []string{column + ":"}
		for _, l := range tableLines(v, width-2) {
			out = append(out, "  "+l)
		}
		return out
	}
	return output.Wrap(column+": "+strings.Join(tableLines(v, width), " "), width)
}

// tableLines renders a value as the lines of a table cell, wrapped at width.
func tableLines(v any, width int) []string {
	switch v := v.(type) {
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, output.Wrap(scalar(x), width)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, k := range sortedKeys(v) {
			out = append(out, output.Wrap(k+": "+scalar(v[k]), width)...)
		}
		return out
	}
	return output.Wrap(scalar(v), width)
}

// scalar renders a value on one line: text as is, numbers in full, null as empty,
// nested lists and maps as JSON.
func scalar(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, err := marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// row is one result row as a JSON object with keys in column order.
type row struct {
	cols []string
	vals []any
}

func (r row) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r.cols {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := marshal(c)
		b.Write(k)
		b.WriteByte(':')
		var v any
		if i < len(r.vals) {
			v = r.vals[i]
		}
		enc, err := marshal(v)
		if err != nil {
			return nil, err
		}
		b.Write(enc)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping (-> stays ->).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func (r *Result) writeJSON(w io.Writer) error {
	rows := make([]row, len(r.Rows))
	for i, vals := range r.Rows {
		rows[i] = row{r.Columns, vals}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

func (r *Result) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.Columns); err != nil {
		return err
	}
	for _, vals := range r.Rows {
		rec := make([]string, len(r.Columns))
		for j := range rec {
			if j < len(vals) {
				rec[j] = scalar(vals[j])
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
