// Package output holds the one way each kind of output is written: JSON documents, aligned
// tables, and counted nouns. Every command and package that prints uses it, so that a
// format is decided in one place.
package output

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// Format is an output format chosen with --format.
type Format string

// The formats commands offer; each command accepts a subset.
const (
	Text  Format = "text"
	Table Format = "table"
	JSON  Format = "json"
	CSV   Format = "csv"
)

// Parse returns s as a Format when it is one of choices, or an error naming them.
func Parse(s string, choices ...Format) (Format, error) {
	if slices.Contains(choices, Format(s)) {
		return Format(s), nil
	}
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = string(c)
	}
	return "", fmt.Errorf("--format %q: want one of %s", s, strings.Join(names, ", "))
}

// WriteJSON writes v as one indented JSON document and a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// TableWriter aligns tab-separated cells into columns two spaces apart; rows end with
// "\n" and the table appears on Flush. Cells must be single-line.
func TableWriter(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// Plural is "1 file", "2 files", "0 indexes": the count and the noun in agreement.
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	for _, suffix := range []string{"s", "x", "z", "ch", "sh"} {
		if strings.HasSuffix(noun, suffix) {
			return fmt.Sprintf("%d %ses", n, noun)
		}
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Wrap breaks s into lines of at most width runes at spaces (a longer word stays
// whole). Continuation lines are indented by two spaces.
func Wrap(s string, width int) []string {
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

// WriteWrapped writes s wrapped at width columns (see Wrap), a newline after each line.
func WriteWrapped(w io.Writer, s string, width int) error {
	_, err := io.WriteString(w, strings.Join(Wrap(s, width), "\n")+"\n")
	return err
}

// lastColumn finds where the last column of an aligned line starts: after a gap of two
// or more spaces.
var lastColumn = regexp.MustCompile(`\S {2,}\S`)

// tokens are the words and the runs of spaces of a line.
var tokens = regexp.MustCompile(`\s+|\S+`)

// FitLines wraps the lines of s that are wider than width at spaces, for text laid out
// in aligned columns (help pages, lists): a line's last column goes on under itself
// (a hanging indent), or, when that column starts too far right to leave 30 columns,
// the line goes on indented four spaces past its own indent; a line of prose (no
// columns) goes on at its own indent. Lines that fit are kept.
func FitLines(s string, width int) string {
	lines := strings.Split(s, "\n")
	var out []string
	for _, line := range lines {
		if utf8.RuneCountInString(line) <= width {
			out = append(out, line)
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		hang, head, rest := indent, line[:indent], strings.TrimLeft(line, " ")
		if locs := lastColumn.FindAllStringIndex(line, -1); len(locs) > 0 {
			hang = indent + 4
			if start := locs[len(locs)-1][1] - 1; utf8.RuneCountInString(line[:start]) <= width-30 {
				hang, head, rest = utf8.RuneCountInString(line[:start]), line[:start], line[start:]
			}
		}
		// the rest, word by word, its own spacing kept within a line
		cur := head
		for _, tok := range tokens.FindAllString(rest, -1) {
			if strings.TrimSpace(tok) == "" {
				cur += tok
				continue
			}
			if strings.TrimSpace(cur) != "" && utf8.RuneCountInString(cur)+utf8.RuneCountInString(tok) > width {
				out = append(out, strings.TrimRight(cur, " "))
				cur = strings.Repeat(" ", hang)
			}
			cur += tok
		}
		out = append(out, cur)
	}
	return strings.Join(out, "\n")
}
