package schema

import (
	"bytes"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// yaml.v3 reports a syntax error with one line, often that of the enclosing construct
// and one early, and no column. The real place is found again here by re-parsing
// prefixes of the text: the error sits on the first line whose prefix fails with the
// same message, at the first character whose prefix does. For a flow collection the
// prefix is closed first (brackets appended), so that a missing comma is found where
// the collection breaks, not where it opens; an unclosed one is found where it opens.
// That costs a few dozen parses of one piece (at most MaxChunk), once per file.

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlMessage splits a yaml.v3 error into its line (0 when it gives none) and message.
func yamlMessage(err error) (int, string) {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line, m[2]
	}
	return 0, strings.TrimPrefix(msg, "yaml: ")
}

// pieceError returns the message of the syntax error of a piece parsed alone, or "".
func pieceError(data []byte) string {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		_, msg := yamlMessage(err)
		return msg
	}
	return ""
}

// streamError returns the message of the first syntax error of a YAML stream whose
// first document is the whole of it, or "".
func streamError(data []byte) string {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for range 2 {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if err == io.EOF {
				return ""
			}
			_, msg := yamlMessage(err)
			return msg
		}
	}
	return ""
}

// syntaxError reports yaml.v3's err for data (a piece, or a whole file) at the place
// locate finds.
func (p *parser) syntaxError(err error, data []byte, firstError func([]byte) string) {
	hint, msg := yamlMessage(err)
	line, col := locate(data, msg, firstError)
	if line == 0 { // not found again: keep yaml.v3's line, within the text
		line, col = min(max(hint, 1), 1+lineBreaks(data)), 1
	}
	if name, ok := strings.CutPrefix(msg, "unknown anchor '"); ok {
		// An alias whose anchor is in another piece, or nowhere: point at the alias.
		name, _, _ = strings.Cut(name, "'")
		if i := bytes.Index(lineAt(data, line), []byte("*"+name)); i >= 0 {
			col = 1 + utf8.RuneCount(lineAt(data, line)[:i])
		}
		msg = "YAML aliases (*" + quoted(name) + ") are not allowed in seed files: write the value out"
	}
	p.report(Pos{File: p.file, Line: p.lines + line, Col: col}, RuleYAML, "%s", msg)
}

// locate returns the line and column (from 1) of the syntax error msg in data, or 0, 0
// when data does not fail with msg.
func locate(data []byte, msg string, firstError func([]byte) string) (line, col int) {
	fails := func(n int) bool { return firstError(data[:n]) == msg }
	if msg == "" || !fails(len(data)) {
		return 0, 0
	}
	var ends []int // the offset past each line
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	k := sort.Search(len(ends), func(i int) bool { return fails(ends[i]) })
	if k == len(ends) {
		k = len(ends) - 1
	}
	start := 0
	if k > 0 {
		start = ends[k-1]
	}
	var runeEnds []int // the offset past each character of the line
	for i := start; i < ends[k]; {
		_, size := utf8.DecodeRune(data[i:])
		i += size
		runeEnds = append(runeEnds, i)
	}
	c := len(runeEnds)
	if strings.HasPrefix(msg, "did not find expected ',' or") {
		// A flow collection: where closing it no longer helps (a missing comma), else
		// where the innermost unclosed one opens.
		c = sort.Search(len(runeEnds), func(i int) bool {
			closed, _, ok := closeFlows(data[:runeEnds[i]])
			return ok && firstError(closed) == msg
		})
		if c == len(runeEnds) {
			if _, open, _ := closeFlows(data[:ends[k]]); open >= 0 {
				line, col := lineCol(data, open)
				return line, col
			}
		}
	}
	if c == len(runeEnds) {
		c = sort.Search(len(runeEnds), func(i int) bool { return fails(runeEnds[i]) })
	}
	if c == len(runeEnds) { // only the lines after it show the error: point at the line's text
		n, _ := leadingSpaces(data[start:ends[k]])
		c = n
	}
	for c > 0 && c < len(runeEnds) && data[runeEnds[c]-1] == ' ' {
		c-- // the error shows at the blank after a token: point at the token
	}
	return 1 + lineBreaks(data[:start]), 1 + c
}

// lineAt returns the text of line n (from 1, counting \n) of data.
func lineAt(data []byte, n int) []byte {
	for ; n > 1; n-- {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			return nil
		}
		data = data[i+1:]
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		data = data[:i]
	}
	return data
}

// closeFlows appends to a prefix of YAML the brackets that close the flow collections
// it leaves open; open is the offset of the innermost of those, or -1. ok is false
// inside a quoted scalar, where they can't be closed.
func closeFlows(pre []byte) (closed []byte, open int, ok bool) {
	var stack []byte
	var opens []int
	quote := byte(0)
	prev := byte('\n') // the previous character outside scalars
	for i := 0; i < len(pre); i++ {
		c := pre[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				if i+1 < len(pre) && pre[i+1] == '\'' {
					i++
				} else {
					quote = 0
				}
			}
			continue
		case quote == '"':
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = 0
			}
			continue
		}
		switch c {
		case '#':
			if prev == ' ' || prev == '\t' || prev == '\n' {
				for i < len(pre) && pre[i] != '\n' {
					i++
				}
				c = '\n'
			}
		case '\'', '"':
			if strings.IndexByte(" \t\n[{,:-", prev) >= 0 {
				quote = c
			}
		case '[':
			stack, opens = append(stack, ']'), append(opens, i)
		case '{':
			stack, opens = append(stack, '}'), append(opens, i)
		case ']', '}':
			if len(stack) > 0 {
				stack, opens = stack[:len(stack)-1], opens[:len(opens)-1]
			}
		}
		prev = c
	}
	open = -1
	if len(opens) > 0 {
		open = opens[len(opens)-1]
	}
	if quote != 0 {
		return nil, open, false
	}
	out := bytes.Clone(pre)
	for i := len(stack) - 1; i >= 0; i-- {
		out = append(out, stack[i])
	}
	return out, open, true
}
