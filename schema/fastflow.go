package schema

import (
	"os"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// The fast path. yaml.v3 spends most of validation's time scanning, parsing and
// resolving a piece of list items into its node tree (64% of the CPU on gen's files),
// most of it in machinery a one-line record does not need. flowItems builds the same
// tree for the layout gen writes (one record a line, a flow mapping after "- "), and for
// nothing else: any line, character or value it does not know makes it give up, and
// the piece goes to yaml.v3 as before. The tree then goes through the same decode and
// the same checks as yaml.v3's; the fast path only saves building the tree.
// FuzzFlowItemsAgree feeds the same bytes to both and fails on any difference in the
// trees (kind, tag, value, style, line, column), and FuzzFastPathFindings on any
// difference in the findings and records of a whole file. A piece with nothing to
// report is not even built into a tree: the direct decode (flowrecords.go) reads it
// with the same scanner straight into its records; the tree is for the rest.

// fullParser, when true, sends every piece to yaml.v3: for comparisons and the
// benchmark. It is set by the environment variable BACKCHANNEL_FULL_YAML=1 (a hidden
// switch, not a documented setting) and, in tests, by setFullParser.
var fullParser = os.Getenv("BACKCHANNEL_FULL_YAML") == "1"

// flowItemsMaxDepth bounds the nesting flowItems reads (a record, its evidence list, an
// evidence mapping): deeper goes to yaml.v3.
const flowItemsMaxDepth = 4

// flowItems parses data, which is itemsKey followed by list items, into the node
// yaml.v3 gives for the list (the value of the key), and reports whether it could:
// every line must be blank, a comment, or "- {...}" at one indentation, with plain
// scalars it can resolve, double-quoted strings without escapes, and flow lists and
// mappings.
func flowItems(data []byte) (*yaml.Node, bool) {
	var f flowScanner
	return f.items(data)
}

// items is flowItems reusing the scanner's slabs: the tree it returns is valid until
// the next call (decode copies what it keeps out of it).
func (f *flowScanner) items(data []byte) (*yaml.Node, bool) {
	f.chunk, f.used, f.ptrs, f.stack = 0, 0, f.ptrs[:0], f.stack[:0]
	seq := f.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"})
	top := f.top[:0]
	defer func() { f.top = top[:0] }()
	ok := f.itemLines(data, func(dash int) bool {
		if len(top) == 0 {
			seq.Line, seq.Column = f.line, dash
		}
		item, ok := f.value(1)
		if !ok || item.Kind != yaml.MappingNode {
			return false
		}
		top = append(top, item)
		return true
	})
	if !ok {
		return nil, false
	}
	seq.Content = top
	return seq, true
}

// itemLines reads data, which is itemsKey followed by list items, and calls item at the
// "{" of each, which reads the item's flow mapping; dash is the column of its "-". It
// reports whether every line is blank, a comment, or "- {...}" at one indentation, with
// nothing after the mapping, and item read each, and there was one at least.
func (f *flowScanner) itemLines(data []byte, item func(dash int) bool) bool {
	if len(data) < len(itemsKey) || string(data[:len(itemsKey)]) != itemsKey {
		return false
	}
	f.data, f.pos, f.line, f.col = data, len(itemsKey), 2, 0
	indent, items := -1, 0
	for f.pos < len(f.data) {
		start := f.pos
		for f.pos < len(f.data) && f.data[f.pos] == ' ' {
			f.pos++
		}
		n := f.pos - start
		if f.pos == len(f.data) {
			break
		}
		switch c := f.data[f.pos]; {
		case c == '\n':
			f.pos++
			f.line++
			continue
		case c == '#':
			// a comment line: yaml.v3 skips it
			if !f.skipComment() {
				return false
			}
			continue
		case c != '-':
			return false
		}
		if indent < 0 {
			indent = n
		} else if n != indent {
			return false
		}
		f.pos++ // the "-"
		if !f.spaces() {
			return false
		}
		if f.pos >= len(f.data) || f.data[f.pos] != '{' {
			return false
		}
		f.col = 1 + f.pos - start // the characters before "{" are spaces and "-"
		if !item(n + 1) {
			return false
		}
		f.skipSpaces()
		if f.pos < len(f.data) {
			if f.data[f.pos] == '#' {
				return false // a comment after a value: yaml.v3 attaches it; left to it
			}
			if f.data[f.pos] != '\n' {
				return false
			}
			f.pos++
		}
		f.line++
		items++
	}
	return items > 0
}

// flowScanner reads one line's flow collection; col is the column (in characters) of
// data[pos].
type flowScanner struct {
	data []byte
	pos  int
	line int
	col  int
	// The nodes and the Content slices of a piece are cut from slabs kept from piece
	// to piece, and a collection's children gathered on a stack first: no allocation a
	// value once the slabs have grown to the largest piece.
	chunks [][]yaml.Node // nodes, in chunks so that pointers to them stay valid
	chunk  int           // the chunk being used
	used   int           // nodes of it used
	ptrs   []*yaml.Node  // the Content slices
	stack  []*yaml.Node
	top    []*yaml.Node // the items
	// The direct decode's (flowrecords.go): the records of the piece, the lists being
	// read, and the file and the lines before the piece, for positions.
	recs   []Record
	strs   []string
	evs    []Evidence
	file   string
	before int
	shared map[string]string // strings that repeat, kept from piece to piece (share)
	spare  []Evidence        // the record's room for its evidence (recordBlock)
}

// nodeChunk is how many nodes a chunk of the slab holds.
const nodeChunk = 256

// node returns a new node from the slab.
func (f *flowScanner) node(n yaml.Node) *yaml.Node {
	if f.used == nodeChunk {
		f.chunk, f.used = f.chunk+1, 0
	}
	if f.chunk == len(f.chunks) {
		f.chunks = append(f.chunks, make([]yaml.Node, nodeChunk))
	}
	p := &f.chunks[f.chunk][f.used]
	*p = n
	f.used++
	return p
}

// content moves the children gathered on the stack since mark into a slice of their
// own, cut from the slab.
func (f *flowScanner) content(mark int) []*yaml.Node {
	kids := f.stack[mark:]
	if len(kids) > cap(f.ptrs)-len(f.ptrs) {
		// a new slab: the slices already cut keep the old one
		f.ptrs = make([]*yaml.Node, 0, max(2*cap(f.ptrs), 1024, len(kids)))
	}
	start := len(f.ptrs)
	f.ptrs = append(f.ptrs, kids...)
	f.stack = f.stack[:mark]
	return f.ptrs[start:len(f.ptrs):len(f.ptrs)]
}

// skipComment skips a comment to the end of its line, which must hold only text
// yaml.v3 reads the same (no CR, no other line break).
func (f *flowScanner) skipComment() bool {
	for f.pos < len(f.data) {
		c := f.data[f.pos]
		if c == '\n' {
			f.pos++
			f.line++
			return true
		}
		if c < 0x20 || c == 0x7f || c >= 0x80 {
			return false
		}
		f.pos++
	}
	return true
}

// spaces skips one or more spaces and reports whether there was one.
func (f *flowScanner) spaces() bool {
	start := f.pos
	f.skipSpaces()
	return f.pos > start
}

func (f *flowScanner) skipSpaces() {
	for f.pos < len(f.data) && f.data[f.pos] == ' ' {
		f.pos++
		f.col++
	}
}

// value reads a flow mapping, a flow list or a scalar at pos.
func (f *flowScanner) value(depth int) (*yaml.Node, bool) {
	if f.pos >= len(f.data) || depth > flowItemsMaxDepth {
		return nil, false
	}
	switch f.data[f.pos] {
	case '{':
		return f.mapping(depth)
	case '[':
		return f.list(depth)
	case '"':
		return f.quoted()
	}
	return f.plain(false)
}

// mapping reads {key: value, ...}.
func (f *flowScanner) mapping(depth int) (*yaml.Node, bool) {
	n := f.node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle, Line: f.line, Column: f.col})
	mark := len(f.stack)
	f.pos++
	f.col++
	f.skipSpaces()
	if f.pos < len(f.data) && f.data[f.pos] == '}' {
		f.pos++
		f.col++
		return n, true
	}
	for {
		k, ok := f.plain(true)
		if !ok {
			return nil, false
		}
		if f.pos+1 >= len(f.data) || f.data[f.pos] != ':' || f.data[f.pos+1] != ' ' {
			return nil, false
		}
		f.pos++
		f.col++
		f.skipSpaces()
		v, ok := f.value(depth + 1)
		if !ok {
			return nil, false
		}
		f.stack = append(f.stack, k, v)
		closed, ok := f.next('}')
		if !ok {
			return nil, false
		}
		if closed {
			n.Content = f.content(mark)
			return n, true
		}
	}
}

// next reads what follows an entry of a mapping or list: its closer (closed), or a
// comma and the spaces after it; anything else is not for the fast path (ok false).
func (f *flowScanner) next(closer byte) (closed, ok bool) {
	f.skipSpaces()
	if f.pos >= len(f.data) {
		return false, false
	}
	switch f.data[f.pos] {
	case closer:
		f.pos++
		f.col++
		return true, true
	case ',':
		f.pos++
		f.col++
		return false, f.spaces()
	default:
		return false, false
	}
}

// list reads [value, ...].
func (f *flowScanner) list(depth int) (*yaml.Node, bool) {
	n := f.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: f.line, Column: f.col})
	mark := len(f.stack)
	f.pos++
	f.col++
	f.skipSpaces()
	if f.pos < len(f.data) && f.data[f.pos] == ']' {
		f.pos++
		f.col++
		return n, true
	}
	for {
		v, ok := f.value(depth + 1)
		if !ok {
			return nil, false
		}
		f.stack = append(f.stack, v)
		closed, ok := f.next(']')
		if !ok {
			return nil, false
		}
		if closed {
			n.Content = f.content(mark)
			return n, true
		}
	}
}

// quoted reads a double-quoted string without escapes on one line.
func (f *flowScanner) quoted() (*yaml.Node, bool) {
	line, col := f.line, f.col
	s, ok := f.quotedText()
	if !ok {
		return nil, false
	}
	return f.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: s, Line: line, Column: col}), true
}

// quotedText reads a double-quoted string without escapes on one line and returns its
// text. Its characters must be printable as yaml.v3 counts them, and no line break of
// any kind.
func (f *flowScanner) quotedText() (string, bool) {
	f.pos++
	f.col++
	data, start := f.data, f.pos
	i := start
	for i < len(data) {
		c := data[i]
		switch {
		case quotedPlain[c]:
			i++
			f.col++
			continue
		case c == '"':
			f.pos = i + 1
			f.col++
			return string(data[start:i]), true
		case c < 0x80: // a backslash or a control character
			return "", false
		}
		r, size := utf8.DecodeRune(data[i:])
		if !printableRune(r) || size <= 1 {
			return "", false
		}
		i += size
		f.col++
	}
	return "", false
}

// quotedPlain marks the ASCII characters quotedText reads as themselves: printable,
// not '"' and not a backslash.
var quotedPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// printableRune reports whether yaml.v3 reads a non-ASCII rune inside a quoted string
// as an ordinary character: not a line break (NEL, LS, PS), not a byte order mark, not
// a C1 control.
func printableRune(r rune) bool {
	switch {
	case r < 0xA0, r == 0x2028, r == 0x2029, r == 0xFEFF, r >= 0xD800 && r < 0xE000, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= 0x10FFFF
}

// plain reads a plain scalar of letters, digits, spaces and _ . / - (a key: letters,
// digits and _), and resolves it as yaml.v3 does, or gives up: the words yaml.v3 reads
// as booleans or null, and numbers other than plain decimals and dates.
func (f *flowScanner) plain(key bool) (*yaml.Node, bool) {
	line, col := f.line, f.col
	start, end, ok := f.plainSpan(key)
	if !ok {
		return nil, false
	}
	var s string
	if key {
		s = fieldName(f.data[start:end])
	} else {
		s = string(f.data[start:end])
	}
	tag, ok := resolvePlain(s)
	if !ok || key && tag != "!!str" {
		return nil, false
	}
	return f.node(yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s, Line: line, Column: col}), true
}

// plainSpan reads the text of a plain scalar as plain does (data[start:end], without
// the spaces after it), unresolved.
func (f *flowScanner) plainSpan(key bool) (start, end int, ok bool) {
	want := plainKey
	if !key {
		want = plainValue
	}
	data := f.data
	start, end = f.pos, f.pos
	i := f.pos
	for i < len(data) {
		c := data[i]
		if plainChars[c]&want != 0 {
			i++
			end = i
			continue
		}
		if c != ' ' || key || i+1 >= len(data) || data[i+1] == '#' {
			break
		}
		i++
	}
	if i-start > 256 {
		return 0, 0, false // long plain keys meet yaml.v3's simple-key limit; values are left to it too
	}
	// trailing spaces are not part of the scalar; the characters are ASCII
	f.col += end - start
	f.pos = end
	return start, end, end > start
}

// plainChars marks the characters of a plain key (plainKey) and value (plainValue, but
// for the spaces within it) that plainSpan reads.
var plainChars = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
			t[c] = plainKey | plainValue
		case c == '.', c == '/', c == '-':
			t[c] = plainValue
		}
	}
	return t
}()

const (
	plainKey uint8 = 1 << iota
	plainValue
)

// recordTypes are the struct types of records and of the values in them.
var recordTypes = []reflect.Type{reflect.TypeOf(Source{}), reflect.TypeOf(Node{}), reflect.TypeOf(Relationship{}),
	reflect.TypeOf(Evidence{}), reflect.TypeOf(Archived{}), reflect.TypeOf(InfluenceOverride{})}

// steps holds the field names positions name fields by (fieldPos.index): those of
// recordTypes, and of any other struct type decode is given (tests' own), added the
// first time one is asked for. A table is never changed once stored: a new name makes a
// new one.
var steps atomic.Pointer[stepTable]

type stepTable struct {
	names []string
	// buckets holds the indexes of the names by stepHash: a lookup hashes three bytes
	// and compares a name or two, where a map access hashed the whole string (paths
	// are looked up several times a record).
	buckets [256][]uint16
}

func stepHash(s string) uint8 {
	if s == "" {
		return 0
	}
	return uint8(len(s)*31 + int(s[0])*7 + int(s[len(s)-1]))
}

var stepsMu sync.Mutex // held to add names

func init() {
	for _, t := range recordTypes {
		for name := range yamlFields(t) {
			stepOf(name)
		}
	}
}

// stepOf returns the index of a field name in the step table, adding it if need be.
func stepOf(name string) uint16 {
	if i, ok := steps.Load().lookup(name); ok {
		return i
	}
	stepsMu.Lock()
	defer stepsMu.Unlock()
	old := steps.Load()
	if i, ok := old.lookup(name); ok {
		return i
	}
	t := &stepTable{}
	if old != nil {
		t.names = slices.Clone(old.names)
	}
	t.names = append(t.names, name)
	for i, n := range t.names {
		h := stepHash(n)
		t.buckets[h] = append(t.buckets[h], uint16(i))
	}
	steps.Store(t)
	return uint16(len(t.names) - 1)
}

func (t *stepTable) lookup(name string) (uint16, bool) {
	if t == nil {
		return 0, false
	}
	for _, i := range t.buckets[stepHash(name)] {
		if t.names[i] == name {
			return i, true
		}
	}
	return 0, false
}

// stepName returns the field name of index i.
func stepName(i uint16) string { return steps.Load().names[i] }

// fieldName returns b as a string, the shared one when it is a field name, so that a key
// is not a new string each time.
func fieldName(b []byte) string {
	t := steps.Load()
	if i, ok := t.lookup(string(b)); ok {
		return t.names[i]
	}
	return string(b)
}

// resolvePlain gives the tag yaml.v3 resolves a plain scalar of [A-Za-z0-9 _./-] to,
// when it is sure of it: a word that starts with a letter and is not one of yaml.v3's
// (nor YAML 1.1's) booleans or nulls is a string; digits alone (no leading zero, at most
// 18) an integer; YYYY-MM a string; YYYY-MM-DD a timestamp when it is a real day, else
// a string.
func resolvePlain(s string) (string, bool) {
	c := s[0]
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
		switch s {
		case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
			"true", "True", "TRUE", "false", "False", "FALSE",
			"on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL":
			return "", false
		}
		return "!!str", true
	}
	if c < '0' || c > '9' {
		return "", false
	}
	digits := func(t string) bool {
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return true
	}
	switch {
	case digits(s) && len(s) <= 18 && (c != '0' || len(s) == 1):
		return "!!int", true
	case len(s) == 7 && s[4] == '-' && digits(s[:4]) && digits(s[5:]):
		return "!!str", true
	case len(s) == 10 && s[4] == '-' && s[7] == '-' && digits(s[:4]) && digits(s[5:7]) && digits(s[8:]):
		if _, err := time.Parse("2006-1-2", s); err == nil {
			return "!!timestamp", true
		}
		return "!!str", true
	}
	return "", false
}
