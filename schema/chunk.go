package schema

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// A seed file is parsed a piece at a time, not as one YAML tree: yaml.v3 builds a node
// tree of about 30 times the text, so a whole 60 MB file took 3 GB. The splitter cuts
// the usual layout (a top-level block mapping whose sources:, nodes: and relationships:
// hold block lists) at its top-level keys and between list items, and yaml.v3 parses
// each piece; positions are shifted back to the file's. Memory per file is then bounded
// by the largest piece, whatever the file's size. A file in another layout (a flow
// mapping at the root, %TAG directives, quoted top-level keys) is parsed whole, which
// is allowed up to MaxChunk bytes.

// MaxChunk bounds what yaml.v3 parses at once: one record, the items of one batch, or
// a whole file that can't be split. The largest record the field limits allow is far
// smaller.
const MaxChunk = 2 << 20

// batchBytes is how many bytes of list items are parsed together: enough to spread
// yaml.v3's cost per call, small enough to keep the node tree small.
const batchBytes = 64 << 10

// piece is a run of whole lines of a seed file.
type piece struct {
	data  []byte
	line  int  // the file's line at data[0], in YAML line breaks
	items bool // list items of the last top-level key; else top-level keys (with any preamble)
}

// splitError is a problem the splitter finds by itself, at a line (column 1).
type splitError struct {
	line int
	rule string
	msg  string
}

func (e *splitError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// errUnsplittable marks a file whose layout the splitter does not cut: it is parsed whole.
var errUnsplittable = errors.New("a layout that can't be read a record at a time")

type unsplittable struct{ line int }

func (u *unsplittable) Error() string { return errUnsplittable.Error() }
func (u *unsplittable) Unwrap() error { return errUnsplittable }

const (
	modePreamble = iota // before the first top-level key
	modeHead            // after a key with no value on its line, before its body
	modeItems           // in a block list of items at itemIndent
	modeInline          // in a value that is one piece (a flow list, a nested mapping)
)

// split reads r and calls emit with each piece in order. It stops at the first error:
// a *splitError, an *unsplittable, a read error, or emit's.
func split(r io.Reader, emit func(piece) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		cur        []byte // the piece being gathered
		curLine    = 1    // its first line
		curContent bool   // it holds more than comments, blank lines and markers
		mode       = modePreamble
		itemIndent int
		itemStart  int  // where the current item starts in cur
		docStarted bool // a --- was seen
		ended      bool // a ... was seen
		directive  int  // line of a %YAML directive that still needs its ---
	)
	lineNow := func() int { return curLine + lineBreaks(cur) }
	flush := func(items bool) error {
		if len(cur) == 0 {
			return nil
		}
		p := piece{data: cur, line: curLine, items: items}
		curLine += lineBreaks(cur)
		if err := emit(p); err != nil {
			return err
		}
		cur, curContent, itemStart = cur[:0], false, 0
		return nil
	}
	for {
		first, err := br.ReadSlice('\n')
		if len(first) == 0 && err != nil {
			if err == io.EOF {
				break
			}
			if err != bufio.ErrBufferFull {
				return err
			}
		}
		line := first
		if curLine == 1 && len(cur) == 0 {
			line = bytes.TrimPrefix(line, []byte("\ufeff")) // yaml.v3 skips a byte order mark
		}
		indent, rest := leadingSpaces(line)
		trivia := len(rest) == 0 || rest[0] == '#' || rest[0] == '\n' || (rest[0] == '\r' && len(rest) > 1 && rest[1] == '\n')
		switch {
		case trivia:
			if !curContent && len(cur) > batchBytes {
				curLine += lineBreaks(cur) // a long run of comments: nothing to parse
				cur = cur[:0]
			}
		case ended:
			return &splitError{line: lineNow(), rule: RuleYAML, msg: "content after the end of the document (...): put one document in each seed file"}
		case indent == 0 && isMarker(rest, "---"):
			if curContent || mode != modePreamble || docStarted {
				return &splitError{line: lineNow(), rule: RuleYAML, msg: "a second YAML document: put one document in each seed file"}
			}
			if !isTrivia(rest[3:]) {
				return &unsplittable{line: lineNow()}
			}
			docStarted, directive = true, 0
		case indent == 0 && isMarker(rest, "..."):
			if !isTrivia(rest[3:]) {
				return &unsplittable{line: lineNow()}
			}
			ended = true
		case indent == 0 && rest[0] == '%':
			if curContent || mode != modePreamble || docStarted {
				return &splitError{line: lineNow(), rule: RuleYAML, msg: "a directive (%...) may only come before the document's ---: put one document in each seed file"}
			}
			if !isMarker(rest, "%YAML") {
				return &unsplittable{line: lineNow()} // %TAG and the like apply to every piece
			}
			directive = lineNow()
			if isMarker(rest, "%YAML 1.2") {
				// yaml.v3 knows only 1.1; seed files need nothing 1.2 changes. A comment of
				// the same length keeps every position.
				at := len(cur) + len(first) - len(rest)
				cur = append(cur, first...)
				cur[at] = '#'
				first = nil
			}
		case directive > 0:
			return &splitError{line: directive, rule: RuleYAML, msg: "a %YAML directive must be followed by --- on a line of its own"}
		case indent == 0 && rest[0] != '-' && rest[0] != '\t':
			if !isKeyLine(rest) {
				return &unsplittable{line: lineNow()}
			}
			if curContent || mode == modeItems {
				if err := flush(mode == modeItems); err != nil {
					return err
				}
			}
			curContent = true
			mode = modeHead
			if _, value, _ := bytes.Cut(rest, []byte(":")); !isTrivia(bytes.TrimLeft(value, " \t")) {
				mode = modeInline
			}
		case mode == modePreamble:
			return &unsplittable{line: lineNow()} // a list or scalar at the root
		case mode == modeHead && isItem(rest):
			if err := flush(false); err != nil { // the key, on its own
				return err
			}
			mode, itemIndent, curContent = modeItems, indent, true
		case mode == modeHead:
			mode = modeInline
		case mode == modeItems && indent == itemIndent && isItem(rest):
			if len(cur) >= batchBytes {
				if err := flush(true); err != nil {
					return err
				}
			}
			itemStart = len(cur)
			curContent = true
		}
		cur = append(cur, first...)
		for err == bufio.ErrBufferFull {
			first, err = br.ReadSlice('\n')
			cur = append(cur, first...)
			if err := checkSize(cur, itemStart, mode, curLine); err != nil {
				return err
			}
		}
		if err := checkSize(cur, itemStart, mode, curLine); err != nil {
			return err
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if directive > 0 {
		return &splitError{line: directive, rule: RuleYAML, msg: "a %YAML directive must be followed by --- on a line of its own"}
	}
	return flush(mode == modeItems)
}

// checkSize stops a piece that grows over MaxChunk: one record (or one value in a
// layout that isn't split) that large is not a seed record.
func checkSize(cur []byte, itemStart, mode, curLine int) error {
	if len(cur)-itemStart <= MaxChunk {
		return nil
	}
	line := curLine + lineBreaks(cur[:itemStart])
	what := "this record"
	if mode != modeItems {
		what = "this value"
	}
	return &splitError{line: line, rule: RuleFileSize, msg: fmt.Sprintf("%s is over %d MiB: a seed record is far smaller; write lists in block style (one \"- \" item per record)", what, MaxChunk>>20)}
}

// leadingSpaces returns the number of leading spaces and what follows them.
func leadingSpaces(b []byte) (int, []byte) {
	i := 0
	for i < len(b) && b[i] == ' ' {
		i++
	}
	return i, b[i:]
}

// isTrivia reports whether the rest of a line is blank or a comment.
func isTrivia(b []byte) bool {
	b = bytes.TrimLeft(b, " \t")
	return len(b) == 0 || b[0] == '#' || b[0] == '\n' || b[0] == '\r'
}

// isMarker reports whether b starts with m followed by a blank or the line's end.
func isMarker(b []byte, m string) bool {
	if !bytes.HasPrefix(b, []byte(m)) {
		return false
	}
	b = b[len(m):]
	return len(b) == 0 || b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r'
}

// isItem reports whether a line (after its indentation) starts a list item.
func isItem(b []byte) bool { return isMarker(b, "-") }

// isKeyLine reports whether a line at column 1 is a plain top-level key: letters,
// digits, _ and -, then a colon and a blank or the line's end.
func isKeyLine(b []byte) bool {
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-' && i > 0:
		case c == ':' && i > 0:
			return isMarker(b[i:], ":")
		default:
			return false
		}
	}
	return false
}

var newline = []byte{'\n'}

// lineBreaks counts line breaks as YAML does: \n, \r\n, a lone \r, NEL, LS and PS.
func lineBreaks(b []byte) int {
	if bytes.IndexByte(b, '\r') < 0 && bytes.IndexByte(b, 0xC2) < 0 && bytes.IndexByte(b, 0xE2) < 0 {
		return bytes.Count(b, newline) // no break but \n: counted by the vectorized search
	}
	return lineBreaksEach(b)
}

// lineBreaksEach is lineBreaks a byte at a time.
func lineBreaksEach(b []byte) int {
	n := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\n':
			n++
		case '\r':
			if i+1 >= len(b) || b[i+1] != '\n' {
				n++
			}
		case 0xC2:
			if i+1 < len(b) && b[i+1] == 0x85 {
				n++
			}
		case 0xE2:
			if i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9) {
				n++
			}
		}
	}
	return n
}
