package schema

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/backchannel/backchannel/internal/textdist"
)

// MaxFileSize bounds one seed file. Larger datasets are split across files, which keeps
// the memory of parsing flat however large the dataset grows.
const MaxFileSize = 64 << 20

// Positions holds where each value of a record is written, by its field path within
// the record ("name", "evidence[0].quote"); the empty path is the record itself. It is
// a list, not a map, and a path is kept as its last step and the entry of its parent,
// not as a string: a record has a dozen values, and a list of them is one allocation,
// searched faster than a map is built. An entry holds no pointer (a field's name is an
// index into the step table, steps), so the garbage collector does not scan the list.
type Positions struct {
	file string
	list []fieldPos
}

type fieldPos struct {
	parent    int32 // the entry of the value this one is in; -1 for the record itself
	index     int32 // the index in that list, or for a field -1-(its name's index in steps)
	line, col int32
}

// step names a value within its parent's: a field or a list index (as in fieldPos).
type step struct {
	parent int32
	index  int32
}

// recordStep is the record itself.
var recordStep = step{parent: -1, index: -1}

// fieldStep is the field name of the entry parent.
func fieldStep(parent int, name string) step {
	return step{parent: int32(parent), index: -1 - int32(stepOf(name))}
}

func indexStep(parent, i int) step { return step{parent: int32(parent), index: int32(i)} }

// name returns the field name of an entry that is a field.
func (e *fieldPos) name() string { return stepName(uint16(-1 - e.index)) }

// newPositions returns positions in file with room for n values.
func newPositions(file string, n int) Positions {
	return Positions{file: file, list: make([]fieldPos, 0, n)}
}

// add records where the value at s is and returns its entry.
func (p *Positions) add(s step, pos Pos) int {
	p.file = pos.File
	p.list = append(p.list, fieldPos{parent: s.parent, index: s.index, line: int32(pos.Line), col: int32(pos.Col)})
	return len(p.list) - 1
}

// path returns the path of entry i, e.g. evidence[0].quote.
func (p Positions) path(i int) string {
	e := &p.list[i]
	switch {
	case e.parent < 0:
		return ""
	case e.index >= 0:
		return p.path(int(e.parent)) + "[" + strconv.Itoa(int(e.index)) + "]"
	case p.list[e.parent].parent < 0:
		return e.name()
	}
	return p.path(int(e.parent)) + "." + e.name()
}

// is reports whether entry i has the path path.
func (p Positions) is(i int, path string) bool {
	for {
		e := &p.list[i]
		switch {
		case e.parent < 0:
			return path == ""
		case e.index >= 0:
			var buf [12]byte
			n := strconv.AppendInt(append(buf[:0], '['), int64(e.index), 10)
			n = append(n, ']')
			if !strings.HasSuffix(path, string(n)) {
				return false
			}
			path = path[:len(path)-len(n)]
		default:
			name := e.name()
			if !strings.HasSuffix(path, name) {
				return false
			}
			path = path[:len(path)-len(name)]
			if p.list[e.parent].parent < 0 {
				return path == ""
			}
			if !strings.HasSuffix(path, ".") {
				return false
			}
			path = path[:len(path)-1]
		}
		i = int(e.parent)
	}
}

// lookup returns the position of path and whether it is set. No two entries have one
// path (decode skips a key seen before in its mapping), so the first found is the one.
func (p Positions) lookup(path string) (Pos, bool) {
	if want, n, parsed := parsePath(path); parsed {
		return p.lookupSteps(want[:n])
	}
	for i := range p.list {
		if p.is(i, path) {
			f := &p.list[i]
			return Pos{File: p.file, Line: int(f.line), Col: int(f.col)}, true
		}
	}
	return Pos{}, false
}

// lookupSteps is lookup of a path parsed (parsePath).
func (p Positions) lookupSteps(want []int32) (Pos, bool) {
	if len(want) == 1 { // a field of the record, the paths asked most
		for i := range p.list {
			if f := &p.list[i]; f.index == want[0] && f.parent >= 0 && p.list[f.parent].parent < 0 {
				return Pos{File: p.file, Line: int(f.line), Col: int(f.col)}, true
			}
		}
		return Pos{}, false
	}
	for i := range p.list {
		if f := &p.list[i]; (len(want) == 0 || f.index == want[len(want)-1]) && p.has(i, want) {
			return Pos{File: p.file, Line: int(f.line), Col: int(f.col)}, true
		}
	}
	return Pos{}, false
}

// A fieldPath is a path parsed once (parsePath), for the paths the checks ask of every
// record: At then compares steps without parsing the path again.
type fieldPath struct {
	steps [4]int32
	n     int
}

// newFieldPath parses path, a path of the record types' fields, each name without "."
// or "[" (so that its parents are its steps but the last, as At finds them).
func newFieldPath(path string) fieldPath {
	s, n, ok := parsePath(path)
	if !ok || n != strings.Count(path, ".")+strings.Count(path, "[")+1 {
		panic("schema: a path the step table cannot parse: " + path)
	}
	return fieldPath{steps: s, n: n}
}

// parsePath reads a path as the fieldPos.index of each of its steps, when it has at
// most four (a record's paths have three at most) and each is a field name of the step
// table or a list index written as strconv writes it; else is must compare it.
func parsePath(path string) (out [4]int32, n int, ok bool) {
	t := steps.Load()
	if i, ok := t.lookup(path); ok { // a field of the record, the paths asked most
		out[0] = -1 - int32(i)
		return out, 1, true
	}
	for i := 0; i < len(path); n++ {
		if n == len(out) {
			return out, 0, false
		}
		if path[i] == '[' {
			j := strings.IndexByte(path[i:], ']')
			if j < 2 || j > 10 || path[i+1] == '0' && j > 2 {
				return out, 0, false
			}
			k := 0
			for _, c := range []byte(path[i+1 : i+j]) {
				if c < '0' || c > '9' {
					return out, 0, false
				}
				k = 10*k + int(c-'0')
			}
			out[n], i = int32(k), i+j+1
			continue
		}
		if n > 0 {
			if path[i] != '.' {
				return out, 0, false
			}
			i++
		}
		j := i
		for j < len(path) && path[j] != '.' && path[j] != '[' {
			j++
		}
		name, known := t.lookup(path[i:j])
		if !known {
			return out, 0, false
		}
		out[n], i = -1-int32(name), j
	}
	return out, n, true
}

// has reports whether entry i has the path of steps (fieldPos.index values, as
// parsePath gives them).
func (p Positions) has(i int, steps []int32) bool {
	e := &p.list[i]
	for k := len(steps) - 1; k >= 0; k-- {
		if e.parent < 0 || e.index != steps[k] {
			return false
		}
		e = &p.list[e.parent]
	}
	return e.parent < 0
}

// At returns the position of the path, else of its closest parent, else of the record.
func (p Positions) At(path string) Pos {
	for {
		if pos, ok := p.lookup(path); ok {
			return pos
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			pos, _ := p.lookup("")
			return pos
		}
		path = path[:i]
	}
}

// atPath is At of a path parsed once: its parents are its steps but the last.
func (p Positions) atPath(fp *fieldPath) Pos {
	for n := fp.n; ; n-- {
		if pos, ok := p.lookupSteps(fp.steps[:n]); ok || n == 0 {
			return pos
		}
	}
}

// Record kinds, as in a seed file's top-level keys.
const (
	RecordSource       = "sources"
	RecordNode         = "nodes"
	RecordRelationship = "relationships"
)

// Record is one parsed record: exactly one of Source, Node and Relationship is set.
type Record struct {
	Kind         string
	Source       *Source
	Node         *Node
	Relationship *Relationship
	Pos          Positions
	// typeErrors holds the paths whose values had the wrong YAML type (already
	// reported), so that the field rules don't report them again as empty.
	typeErrors map[string]bool
}

// ID returns the record's ID.
func (r Record) ID() string {
	switch {
	case r.Source != nil:
		return r.Source.ID
	case r.Node != nil:
		return r.Node.ID
	default:
		return r.Relationship.ID
	}
}

// value returns the record's struct.
func (r Record) value() any {
	switch {
	case r.Source != nil:
		return r.Source
	case r.Node != nil:
		return r.Node
	default:
		return r.Relationship
	}
}

// ParseFile parses one seed file and calls fn with each record, in file order. Problems
// of form (syntax, unknown fields, wrong types, duplicate keys) are returned as findings;
// records with such problems are still passed on when their shape allows it, so that
// later checks can report more. fn's error stops parsing and is returned.
func ParseFile(name string, data []byte, fn func(Record) error) ([]Finding, error) {
	return parseFile(context.Background(), name, bytes.NewReader(data), int64(len(data)), fileLimits{}, fn)
}

// fileLimits bound the work on one file.
type fileLimits struct {
	// budget, when set, is how many more findings the file may have (of max); the
	// parser stops reading it once none are left. The caller's checks of its records
	// share it.
	budget *int
	max    int
	// hold, when set, waits until a piece of n bytes may be parsed and returns the
	// function that releases it (see ValidateWith).
	hold func(ctx context.Context, n int64) (release func(), err error)
	// covers, when set, is given the span a file declares (covers:), once it checked.
	covers func(Span)
}

// errStopFile stops reading a file after a problem that makes the rest meaningless.
var errStopFile = errors.New("stop reading this file")

// errTooBig is a file that grew past MaxFileSize while it was read.
var errTooBig = errors.New("over the size limit")

// parseFile reads a seed file from r: pieces of it at a time (see split), or whole
// when its layout can't be split and it is at most MaxChunk. size is its size when
// known, else 0. Read errors are returned; fn's and ctx's errors too.
func parseFile(ctx context.Context, name string, r io.Reader, size int64, lim fileLimits, fn func(Record) error) ([]Finding, error) {
	p := &parser{file: name, budget: lim.budget, max: lim.max, seen: map[string]Pos{}, covers: lim.covers}
	if size > MaxFileSize {
		p.report(Pos{File: name, Line: 1, Col: 1}, RuleFileSize, "file is %s, over the %d MiB limit: split it into several files", sizeText(size), MaxFileSize>>20)
		return p.findings, nil
	}
	head, err := readHead(r, size)
	if err != nil {
		return nil, err
	}
	if len(head) <= MaxChunk {
		var u *unsplittable
		if errors.As(split(bytes.NewReader(head), func(piece) error { return nil }), &u) {
			return p.findings, p.whole(head, fn)
		}
		return p.findings, p.stream(ctx, bytes.NewReader(head), lim.hold, fn)
	}
	cr := &limitedReader{r: io.MultiReader(bytes.NewReader(head), r), left: MaxFileSize}
	return p.findings, p.stream(ctx, cr, lim.hold, fn)
}

// readHead reads the first MaxChunk+1 bytes of a file (all of it, when it is no larger)
// into a buffer made for size, the file's size when listed (0: not known), plus room
// for one read more: where io.ReadAll grew its buffer a dozen times for a file of
// 2 MB, zeroing and copying each one (a tenth of validation's CPU at 1M).
func readHead(r io.Reader, size int64) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(int(min(max(size, 0), MaxChunk+1)) + bytes.MinRead)
	_, err := b.ReadFrom(io.LimitReader(r, MaxChunk+1))
	return b.Bytes(), err
}

// stream parses the pieces of a file as split finds them.
func (p *parser) stream(ctx context.Context, r io.Reader, hold func(context.Context, int64) (func(), error), fn func(Record) error) error {
	var buf []byte
	err := split(r, func(pc piece) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if hold != nil {
			release, err := hold(ctx, int64(len(pc.data)))
			if err != nil {
				return err
			}
			defer release()
		}
		p.lines = pc.line - 1
		if !p.checkText(pc.data) {
			return errStopFile
		}
		data := pc.data
		if pc.items {
			// Items are parsed as the value of a key, as in the file: yaml.v3 lets a list
			// at the root get away with items indented less than the first.
			buf = append(append(buf[:0], itemsKey...), pc.data...)
			data, p.lines = buf, p.lines-1
		}
		if pc.items && !fullParser {
			if !treePath {
				if recs, ok := p.flow.records(data, p.list, p.file, p.lines); ok {
					return p.decoded(recs, fn)
				}
			}
			if list, ok := p.flow.items(data); ok {
				return p.items(list, fn)
			}
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			p.syntaxError(err, data, pieceError)
			return errStopFile
		}
		root := documentRoot(&doc)
		if pc.items {
			if root != nil && root.Kind == yaml.MappingNode && len(root.Content) == 2 {
				root = root.Content[1]
			}
			return p.items(root, fn)
		}
		return p.entries(root, fn)
	})
	var se *splitError
	var u *unsplittable
	switch {
	case errors.As(err, &se):
		p.report(Pos{File: p.file, Line: se.line, Col: 1}, se.rule, "%s", se.msg)
	case errors.As(err, &u):
		p.report(Pos{File: p.file, Line: u.line, Col: 1}, RuleFileSize, "a file over %d MiB must be a mapping of block lists (sources:, nodes:, relationships:, one \"- \" item per record) so that it can be read a record at a time; this line breaks that layout", MaxChunk>>20)
	case errors.Is(err, errTooBig):
		p.report(Pos{File: p.file, Line: 1, Col: 1}, RuleFileSize, "file is over the %d MiB limit: split it into several files", MaxFileSize>>20)
	case errors.Is(err, errStopFile):
	default:
		return err
	}
	return nil
}

// itemsKey is the line that items are parsed under.
const itemsKey = "items:\n"

// whole parses a file that the splitter can't cut, as one YAML stream: its first
// document, then a check that nothing follows it.
func (p *parser) whole(data []byte, fn func(Record) error) error {
	if !p.checkText(data) {
		return nil
	}
	data = allowYAML12(data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err != io.EOF {
			p.syntaxError(err, data, streamError)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		line, _ := p.lineOf(&next)
		p.report(Pos{File: p.file, Line: line, Col: 1}, RuleYAML, "a second YAML document: put one document in each seed file")
		return nil
	case err != io.EOF:
		p.syntaxError(err, data, streamError)
		return nil
	}
	if err := p.entries(documentRoot(&doc), fn); !errors.Is(err, errStopFile) {
		return err
	}
	return nil
}

// documentRoot returns a document's content, or nil for an empty document.
func documentRoot(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		return doc.Content[0]
	}
	if doc.Kind == 0 {
		return nil
	}
	return doc
}

// checkText reports text that is not UTF-8 or holds a NUL, and returns whether it is fine.
func (p *parser) checkText(data []byte) bool {
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		p.report(Pos{File: p.file, Line: p.lines + line, Col: col}, RuleYAML, "invalid UTF-8: seed files must be UTF-8 text")
		return false
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := lineCol(data, i)
		p.report(Pos{File: p.file, Line: p.lines + line, Col: col}, RuleYAML, "NUL byte: seed files must be text")
		return false
	}
	return true
}

// entries reads top-level keys: each a list of records (or empty, its items to follow
// in the next pieces).
func (p *parser) entries(root *yaml.Node, fn func(Record) error) error {
	p.list = ""
	if root == nil || (root.Kind == yaml.ScalarNode && root.Tag == "!!null") {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		p.report(p.pos(root), RuleType, "a seed file is a mapping with sources, nodes and relationships; got %s", describe(root))
		return errStopFile
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		p.list, p.index = "", 0
		p.last, _ = p.lineOf(k)
		if err := p.stopIfFull(); err != nil {
			return err
		}
		if !p.key(k, p.seen) {
			continue
		}
		switch k.Value {
		case RecordSource, RecordNode, RecordRelationship, WatchKey:
		case DatasetKey:
			p.datasetEntry(v)
			continue
		case CoversKey:
			p.coversEntry(v)
			continue
		default:
			p.unknownField(k, []string{DatasetKey, CoversKey, RecordSource, RecordNode, RecordRelationship, WatchKey})
			continue
		}
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag == "!!null":
			p.list = k.Value // its items, if any, are the next pieces
		case v.Kind == yaml.AliasNode:
			p.report(p.pos(v), RuleYAML, "YAML aliases (*%s) are not allowed in seed files: write the value out", quoted(v.Value))
		case v.Kind != yaml.SequenceNode:
			p.report(p.pos(v), RuleType, "%s: want a list of records, got %s", k.Value, describe(v))
		default:
			p.list = k.Value
			if err := p.items(v, fn); err != nil {
				return err
			}
			p.list = ""
		}
	}
	if p.dropped { // findings were lost, with no record after them to stop at
		return p.stopIfFull()
	}
	return nil
}

// items decodes list items as records of the current top-level key.
func (p *parser) items(list *yaml.Node, fn func(Record) error) error {
	if list == nil || p.list == "" {
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		p.report(p.pos(list), RuleType, "%s: want a list of records, got %s", p.list, describe(list))
		return errStopFile
	}
	for _, item := range list.Content {
		line, _ := p.lineOf(item)
		if err := p.nextItem(line); err != nil {
			return err
		}
		if p.list == WatchKey {
			p.watchItem(item) // checked here; DeclaredWatches reads the list for its users
			continue
		}
		rec := Record{Kind: p.list, Pos: newPositions(p.file, recordValues)}
		var target any
		switch p.list {
		case RecordSource:
			rec.Source = &Source{}
			target = rec.Source
		case RecordNode:
			rec.Node = &Node{}
			target = rec.Node
		default:
			rec.Relationship = &Relationship{}
			target = rec.Relationship
		}
		p.rec = &rec
		p.recIndex = p.index
		p.index++
		if !p.decode(item, reflect.ValueOf(target).Elem(), recordStep, &rec.Pos) {
			continue
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if p.dropped { // findings were lost, with no record after them to stop at
		return p.stopIfFull()
	}
	return nil
}

// decoded passes on the records of the direct decode (flowrecords.go) as items does
// those it decodes: none of them has a finding of its own.
func (p *parser) decoded(recs []Record, fn func(Record) error) error {
	for i := range recs {
		if err := p.nextItem(int(recs[i].Pos.list[0].line)); err != nil {
			return err
		}
		p.recIndex = p.index
		p.index++
		if err := fn(recs[i]); err != nil {
			return err
		}
	}
	if p.dropped {
		return p.stopIfFull()
	}
	return nil
}

// nextItem is where reading the next list item, at line, begins: the file stops there
// once its findings budget is spent.
func (p *parser) nextItem(line int) error {
	p.last = line
	return p.stopIfFull()
}

// recordValues is the room a record's positions are made with: a record of gen has
// about a dozen values (more take an append that grows the list; counting them in the
// tree first cost 4% of validation's CPU).
const recordValues = 12

// stopIfFull stops the file once its findings budget is spent, with a last finding
// that says so.
func (p *parser) stopIfFull() error {
	if p.budget == nil || *p.budget > 0 {
		return nil
	}
	p.findings = append(p.findings, newFinding(Pos{File: p.file, Line: p.last, Col: 1}, SeverityError, RuleTooMany, "stopped reading this file here, after %d problems: fix those and run again", p.max))
	return errStopFile
}

// limitedReader returns errTooBig once more than left bytes have been read.
type limitedReader struct {
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	if l.left -= int64(n); l.left < 0 {
		return n, errTooBig
	}
	return n, err
}

// sizeText writes a size in MiB, or GiB when large.
func sizeText(n int64) string {
	if n >= 10<<30 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// allowYAML12 turns a leading %YAML 1.2 directive into a comment of the same length:
// yaml.v3 accepts only 1.1, and seed files use nothing that 1.2 changed.
func allowYAML12(data []byte) []byte {
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		line := bytes.TrimPrefix(data[off:off+end], []byte("\ufeff"))
		switch {
		case isMarker(line, "%YAML 1.2"):
			out := bytes.Clone(data)
			out[off+end-len(line)] = '#'
			return out
		case !isTrivia(line):
			return data
		}
		off += end + 1
	}
	return data
}

type parser struct {
	file     string
	findings []Finding
	budget   *int           // see fileLimits
	max      int            // see fileLimits
	last     int            // the line of the last record or key read
	dropped  bool           // a finding was over the budget
	lines    int            // lines before the piece being parsed
	seen     map[string]Pos // top-level keys
	list     string         // the top-level key whose items come next, if a record kind
	index    int            // the index of the next item in that list
	rec      *Record        // the record being decoded
	recIndex int            // its index in the list (it is named p.list[recIndex] in messages)
	covers   func(Span)     // see fileLimits
	flow     flowScanner    // the fast path's slabs, kept from piece to piece
}

// typeError reports a value of the wrong YAML type at path.
func (p *parser) typeError(n *yaml.Node, path, format string, args ...any) {
	if p.rec != nil {
		if p.rec.typeErrors == nil {
			p.rec.typeErrors = map[string]bool{}
		}
		p.rec.typeErrors[path] = true
	}
	field := path
	if field == "" {
		field = p.list + "[" + strconv.Itoa(p.recIndex) + "]"
	}
	p.report(p.pos(n), RuleType, "%s: "+format, append([]any{field}, args...)...)
}

func (p *parser) report(pos Pos, rule, format string, args ...any) {
	if p.budget != nil {
		if *p.budget <= 0 {
			p.dropped = true
			return
		}
		*p.budget--
	}
	p.findings = append(p.findings, newFinding(pos, SeverityError, rule, format, args...))
}

func (p *parser) pos(n *yaml.Node) Pos {
	line, col := p.lineOf(n)
	return Pos{File: p.file, Line: line, Col: col}
}

// lineOf returns a node's line and column in the file.
func (p *parser) lineOf(n *yaml.Node) (line, col int) {
	return p.lines + max(n.Line, 1), max(n.Column, 1)
}

// key checks a mapping key: a plain string, not seen before in this mapping.
func (p *parser) key(k *yaml.Node, seen map[string]Pos) bool {
	if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
		p.report(p.pos(k), RuleType, "a key must be a plain name, got %s", describe(k))
		return false
	}
	if first, dup := seen[k.Value]; dup {
		p.report(p.pos(k), RuleDuplicateKey, "key %q appears twice in this mapping; first at line %d", quoted(k.Value), first.Line)
		return false
	}
	seen[k.Value] = p.pos(k)
	return true
}

// smallMapping is how many keys a mapping may have for its duplicates to be found by
// searching the keys before each one (no map to allocate); records have a dozen.
const smallMapping = 32

// shortKey is key for keys[i] of a short mapping: the first key before it of the same
// name that key accepted (a plain string) is the one it repeats.
func (p *parser) shortKey(keys []*yaml.Node, i int) bool {
	k := keys[i]
	if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
		p.report(p.pos(k), RuleType, "a key must be a plain name, got %s", describe(k))
		return false
	}
	for j := 0; j < i; j += 2 {
		if f := keys[j]; f.Value == k.Value && f.Kind == yaml.ScalarNode && f.Tag == "!!str" {
			p.report(p.pos(k), RuleDuplicateKey, "key %q appears twice in this mapping; first at line %d", quoted(k.Value), p.pos(f).Line)
			return false
		}
	}
	return true
}

func (p *parser) unknownField(k *yaml.Node, known []string) {
	msg := fmt.Sprintf("unknown field %q", quoted(k.Value))
	if s := textdist.Suggest(k.Value, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	p.report(p.pos(k), RuleUnknownField, "%s", msg)
}

var dateType = reflect.TypeOf(Date{})

// decode fills v from n, the value at s, recording positions. It returns false when n
// can't be used at all (not a mapping where a record is expected).
func (p *parser) decode(n *yaml.Node, v reflect.Value, s step, pos *Positions) bool {
	if n.Kind == yaml.AliasNode {
		p.report(p.pos(n), RuleYAML, "YAML aliases (*%s) are not allowed in seed files: write the value out", quoted(n.Value))
		return false
	}
	return p.decodeAt(n, v, pos.add(s, p.pos(n)), pos)
}

// decodeAt is decode once n's position is entry self.
func (p *parser) decodeAt(n *yaml.Node, v reflect.Value, self int, pos *Positions) bool {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return true // absent
	}
	switch {
	case v.Type() == dateType:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!timestamp") {
			p.typeError(n, pos.path(self), "want a date (2025, 2025-05 or 2025-05-15), got %s", describe(n))
			return true
		}
		if v.CanAddr() {
			v.Addr().Interface().(*Date).Text = n.Value // no Date boxed in an interface
		} else {
			v.Set(reflect.ValueOf(Date{Text: n.Value}))
		}
		return true
	case v.Kind() == reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		if p.decodeAt(n, elem.Elem(), self, pos) {
			v.Set(elem)
		}
		return true
	case v.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			p.typeError(n, pos.path(self), "want a mapping of fields, got %s", describe(n))
			return false
		}
		fields := yamlFields(v.Type())
		var seen map[string]Pos // for a long mapping; a short one is searched
		if len(n.Content) > 2*smallMapping {
			seen = map[string]Pos{}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if seen != nil && !p.key(k, seen) || seen == nil && !p.shortKey(n.Content, i) {
				continue
			}
			idx, ok := fields[k.Value]
			if !ok {
				names := make([]string, 0, len(fields))
				for name := range fields {
					names = append(names, name)
				}
				p.unknownField(k, names)
				continue
			}
			p.decode(val, v.Field(idx), fieldStep(self, k.Value), pos)
		}
		return true
	case v.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			p.typeError(n, pos.path(self), "want a list, got %s", describe(n))
			return true
		}
		if len(n.Content) == 0 || !v.IsNil() {
			v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))) // [] is a list, not nil
		} else {
			v.Grow(len(n.Content)) // the elements only: MakeSlice allocates its slice header too
			v.SetLen(len(n.Content))
		}
		for i, item := range n.Content {
			p.decode(item, v.Index(i), indexStep(self, i), pos)
		}
		return true
	case v.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
			hint := ""
			if n.Kind == yaml.ScalarNode {
				hint = fmt.Sprintf(" (quote it, \"%s\", if you mean text)", quoted(n.Value))
			}
			p.typeError(n, pos.path(self), "want a string, got %s%s", describe(n), hint)
			return true
		}
		v.SetString(n.Value)
		return true
	case v.CanInt():
		var i int64
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&i) != nil || v.OverflowInt(i) {
			p.typeError(n, pos.path(self), "want a whole number, got %s", describe(n))
			return true
		}
		v.SetInt(i)
		return true
	case v.Kind() == reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
			p.typeError(n, pos.path(self), "want true or false, got %s", describe(n))
			return true
		}
		v.SetBool(b)
		return true
	case v.Kind() == reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			p.typeError(n, pos.path(self), "want a number, got %s", describe(n))
			return true
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			p.typeError(n, pos.path(self), "%q is not a number", quoted(n.Value))
			return true
		}
		v.SetFloat(f)
		return true
	}
	panic(fmt.Sprintf("schema: no decoder for %s", v.Type())) // a programming error in types.go
}

var fieldCache sync.Map // reflect.Type -> map[string]int

// yamlFields maps YAML field names to struct field indexes.
func yamlFields(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	out := map[string]int{}
	defer fieldCache.Store(t, out)
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			out[name] = i
		}
	}
	return out
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!str":
		return fmt.Sprintf("the string %q", quoted(n.Value))
	case "!!int":
		return "the integer " + quoted(n.Value)
	case "!!float":
		return "the number " + quoted(n.Value)
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "nothing"
	case "!!timestamp":
		return "the date " + quoted(n.Value)
	}
	return fmt.Sprintf("a %q value", quoted(n.Tag))
}

func lineCol(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

func invalidUTF8At(data []byte) (line, col int) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return lineCol(data, i)
		}
		i += size
	}
	return 1, 1
}
