package queries

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Formats are the output formats of Write.
var Formats = []string{"table", "json", "csv"}

// Write renders the result in one of Formats:
//   - table: aligned columns for reading; a list shows one item a line, a map one
//     key: value a line, long text wraps at word boundaries; rows spanning several
//     lines are separated by a blank line.
//   - json: an array of objects, keys in column order.
//   - csv: a header row, then one row per result; lists and maps as JSON.
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

// wrapWidth is where the table wraps long text.
const wrapWidth = 72

func (r *Result) writeTable(w io.Writer) error {
	n := len(r.Columns)
	cells := make([][][]string, len(r.Rows)) // row, column, line
	widths := make([]int, n)
	for j, c := range r.Columns {
		widths[j] = utf8.RuneCountInString(c)
	}
	multi := false
	for i, row := range r.Rows {
		cells[i] = make([][]string, n)
		for j := 0; j < n && j < len(row); j++ {
			lines := tableLines(row[j])
			cells[i][j] = lines
			if len(lines) > 1 {
				multi = true
			}
			for _, l := range lines {
				widths[j] = max(widths[j], utf8.RuneCountInString(l))
			}
		}
	}
	var b bytes.Buffer
	line := func(parts []string) {
		for j, p := range parts {
			if j == n-1 {
				b.WriteString(p)
				break
			}
			b.WriteString(p)
			b.WriteString(strings.Repeat(" ", widths[j]-utf8.RuneCountInString(p)+2))
		}
		// no trailing blanks
		trimmed := bytes.TrimRight(b.Bytes(), " ")
		b.Truncate(len(trimmed))
		b.WriteByte('\n')
	}
	line(r.Columns)
	rule := make([]string, n)
	for j := range rule {
		rule[j] = strings.Repeat("-", widths[j])
	}
	line(rule)
	for i := range cells {
		if multi && i > 0 {
			b.WriteByte('\n')
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
	}
	_, err := w.Write(b.Bytes())
	return err
}

// tableLines renders a value as the lines of a table cell.
func tableLines(v any) []string {
	switch v := v.(type) {
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, wrap(scalar(x), wrapWidth)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, k := range sortedKeys(v) {
			out = append(out, wrap(k+": "+scalar(v[k]), wrapWidth)...)
		}
		return out
	}
	return wrap(scalar(v), wrapWidth)
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

// wrap breaks s into lines of at most width runes at spaces (a longer word stays
// whole). Continuation lines are indented by two spaces.
func wrap(s string, width int) []string {
	if utf8.RuneCountInString(s) <= width && !strings.Contains(s, "\n") {
		return []string{s}
	}
	var out []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width:
			out = append(out, line)
			line = "  " + word
		default:
			line += " " + word
		}
	}
	return append(out, line)
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
