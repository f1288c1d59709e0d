package schema

import "reflect"

// The direct decode. With the fast path's tree (fastflow.go), building yaml.Nodes and
// decoding them by reflection still took about a third of validation's CPU on gen's
// files, and most of its allocations. For the same layout, records decodes a piece of items straight into the
// record structs and their positions: the same scanner reads the lines and scalars, but
// each value goes into its field, with no node and no reflection. It is sure of less
// than the tree path: a piece goes to the tree path (and from there to yaml.v3) at the
// first thing the decode would report (an unknown field, a duplicate key, a value of
// the wrong type, a null) or that it does not decode itself (act, archived, influence,
// reverseInfluence), so that the findings stay those of one decoder. FuzzFlowRecordsAgree
// compares its records with the tree path's on fuzzed pieces, and FuzzFastPathFindings
// whole files' findings and records with the direct decode, with the tree path alone,
// and with yaml.v3 alone.

// treePath, when true, turns the direct decode off (the fast path builds its tree): for
// the comparisons of the tests.
var treePath bool

// records decodes data, which is itemsKey followed by list items of the record kind
// kind, into records in file, whose piece starts after line lines, and reports
// whether it could. The records are valid until the next call.
func (f *flowScanner) records(data []byte, kind, file string, lines int) ([]Record, bool) {
	if kind != RecordSource && kind != RecordNode && kind != RecordRelationship {
		return nil, false
	}
	clear(f.recs)
	f.recs, f.file, f.before = f.recs[:0], file, lines
	ok := f.itemLines(data, func(int) bool {
		rec := Record{Kind: kind, Pos: Positions{file: file}}
		var r flowRecord
		switch kind {
		case RecordSource:
			b := new(recordBlock[Source])
			rec.Source, rec.Pos.list, f.spare = &b.rec, b.pos[:0], b.evidence[:0]
			r = rec.Source
		case RecordNode:
			b := new(recordBlock[Node])
			rec.Node, rec.Pos.list, f.spare = &b.rec, b.pos[:0], b.evidence[:0]
			r = rec.Node
		default:
			b := new(recordBlock[Relationship])
			rec.Relationship, rec.Pos.list, f.spare = &b.rec, b.pos[:0], b.evidence[:0]
			r = rec.Relationship
		}
		self := f.at(&rec.Pos, recordStep)
		ok := f.fields(r, self, &rec.Pos)
		f.spare = nil
		if !ok {
			return false
		}
		f.recs = append(f.recs, rec)
		return true
	})
	if !ok {
		clear(f.recs)
		return nil, false
	}
	return f.recs, true
}

// recordBlock is one allocation for a record, the room of its positions, and its
// evidence when it has one entry (as most have), instead of three.
type recordBlock[T any] struct {
	rec      T
	evidence [1]Evidence
	pos      [recordValues]fieldPos
}

// flowRecord is a struct the direct decode fills: field returns where the value of a
// key goes (none when the decode does not know the key) and a bit of its own among the
// struct's fields, below 64.
type flowRecord interface {
	field(key []byte) (t target, bit uint)
}

// flowSteps holds, by bit, the step (steps) of each field a flowRecord decodes,
// as fieldPos.index has it (-1-index).
type flowSteps [64]int32

var sourceSteps, nodeSteps, relationshipSteps, evidenceSteps = newFlowSteps(&Source{}), newFlowSteps(&Node{}), newFlowSteps(&Relationship{}), newFlowSteps(&Evidence{})

func newFlowSteps(r flowRecord) *flowSteps {
	var s flowSteps
	for name := range yamlFields(reflect.TypeOf(r).Elem()) {
		if t, bit := r.field([]byte(name)); !t.none() {
			s[bit] = fieldStep(0, name).index
		}
	}
	return &s
}

// stepsOf returns the steps of r's type.
func stepsOf(r flowRecord) *flowSteps {
	switch r.(type) {
	case *Source:
		return sourceSteps
	case *Node:
		return nodeSteps
	case *Relationship:
		return relationshipSteps
	}
	return evidenceSteps
}

// target is where a value goes: one of its pointers is set. shared marks a field whose
// values repeat from record to record (a type, a date, a cited source): they are kept in
// the scanner's table of shared strings rather than allocated each time.
type target struct {
	str      *string
	date     *Date
	strs     *[]string
	evidence *[]Evidence
	shared   bool
}

func (t target) none() bool {
	return t.str == nil && t.date == nil && t.strs == nil && t.evidence == nil
}

// at records the position of the value at pos in the file and returns its entry.
func (f *flowScanner) at(p *Positions, s step) int {
	return p.add(s, Pos{File: f.file, Line: f.before + f.line, Col: f.col})
}

// fields reads a flow mapping at pos into r, whose entry in p is self.
func (f *flowScanner) fields(r flowRecord, self int, p *Positions) bool {
	f.pos++ // the "{"
	f.col++
	f.skipSpaces()
	if f.pos < len(f.data) && f.data[f.pos] == '}' {
		f.pos++
		f.col++
		return true
	}
	var seen uint64
	steps := stepsOf(r)
	for {
		start, end, ok := f.plainSpan(true)
		if !ok {
			return false
		}
		t, bit := r.field(f.data[start:end])
		if t.none() || seen&(1<<bit) != 0 {
			return false // unknown, or twice: the tree path reports it
		}
		seen |= 1 << bit
		if f.pos+1 >= len(f.data) || f.data[f.pos] != ':' || f.data[f.pos+1] != ' ' {
			return false
		}
		f.pos++
		f.col++
		f.skipSpaces()
		if !f.set(t, step{parent: int32(self), index: steps[bit]}, p) {
			return false
		}
		closed, ok := f.next('}')
		if !ok {
			return false
		}
		if closed {
			return true
		}
	}
}

// set reads the value at pos into t, as decode would with no finding, or gives up.
func (f *flowScanner) set(t target, s step, p *Positions) bool {
	if f.pos >= len(f.data) {
		return false
	}
	self := f.at(p, s)
	switch {
	case t.str != nil:
		v, tag, ok := f.scalar(t.shared)
		if !ok || tag != "!!str" {
			return false
		}
		*t.str = v
		return true
	case t.date != nil:
		v, tag, ok := f.scalar(t.shared)
		if !ok || tag != "!!str" && tag != "!!int" && tag != "!!timestamp" {
			return false
		}
		t.date.Text = v
		return true
	case t.strs != nil:
		mark := len(f.strs)
		ok := f.flowList(func(i int) bool {
			f.at(p, indexStep(self, i))
			v, tag, ok := f.scalar(false)
			f.strs = append(f.strs, v)
			return ok && tag == "!!str"
		})
		if ok {
			*t.strs = append(make([]string, 0, len(f.strs)-mark), f.strs[mark:]...) // [] is a list, not nil
		}
		clear(f.strs[mark:])
		f.strs = f.strs[:mark]
		return ok
	default:
		mark := len(f.evs)
		ok := f.flowList(func(i int) bool {
			e := f.at(p, indexStep(self, i))
			if f.data[f.pos] != '{' {
				return false
			}
			f.evs = append(f.evs, Evidence{})
			return f.fields(&f.evs[len(f.evs)-1], e, p)
		})
		if n := len(f.evs) - mark; ok && n <= cap(f.spare) {
			*t.evidence = append(f.spare, f.evs[mark:]...)
			f.spare = nil
		} else if ok {
			*t.evidence = append(make([]Evidence, 0, n), f.evs[mark:]...)
		}
		clear(f.evs[mark:])
		f.evs = f.evs[:mark]
		return ok
	}
}

// flowList reads a flow list at pos, calling elem at each element with its index.
func (f *flowScanner) flowList(elem func(i int) bool) bool {
	if f.data[f.pos] != '[' {
		return false
	}
	f.pos++
	f.col++
	f.skipSpaces()
	if f.pos < len(f.data) && f.data[f.pos] == ']' {
		f.pos++
		f.col++
		return true
	}
	for i := 0; ; i++ {
		if f.pos >= len(f.data) || !elem(i) {
			return false
		}
		closed, ok := f.next(']')
		if !ok {
			return false
		}
		if closed {
			return true
		}
	}
}

// scalar reads a double-quoted or plain scalar at pos and returns its value and the tag
// yaml.v3 resolves it to; shared takes a plain one's text from the table of shared
// strings.
func (f *flowScanner) scalar(shared bool) (value, tag string, ok bool) {
	switch f.data[f.pos] {
	case '"':
		s, ok := f.quotedText()
		return s, "!!str", ok
	case '{', '[':
		return "", "", false
	}
	start, end, ok := f.plainSpan(false)
	if !ok {
		return "", "", false
	}
	var s string
	if shared {
		s = f.share(f.data[start:end])
	} else {
		s = string(f.data[start:end])
	}
	tag, ok = resolvePlain(s)
	return s, tag, ok
}

// maxShared bounds the scanner's table of shared strings, and sharedLen the strings in it.
const (
	maxShared = 4096
	sharedLen = 32
)

// share returns b as a string from the table of shared strings, adding it while the
// table has room.
func (f *flowScanner) share(b []byte) string {
	if s, ok := f.shared[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(f.shared) < maxShared && len(b) <= sharedLen {
		if f.shared == nil {
			f.shared = map[string]string{}
		}
		f.shared[s] = s
	}
	return s
}

// The fields the direct decode knows, by their YAML names (the yaml tags of types.go;
// TestFlowFieldsMatchTags checks them against the tags).

func (s *Source) field(key []byte) (target, uint) {
	switch string(key) {
	case "id":
		return target{str: &s.ID}, 0
	case "publisher":
		return target{str: &s.Publisher, shared: true}, 1
	case "title":
		return target{str: &s.Title}, 2
	case "url":
		return target{str: &s.URL}, 3
	case "file":
		return target{str: &s.File}, 4
	case "author":
		return target{str: &s.Author}, 5
	case "published":
		return target{date: &s.Published, shared: true}, 6
	case "accessed":
		return target{date: &s.Accessed, shared: true}, 7
	case "language":
		return target{str: &s.Language, shared: true}, 8
	case "reliability":
		return target{str: &s.Reliability, shared: true}, 9
	case "note":
		return target{str: &s.Note}, 10
	}
	return target{}, 0
}

func (n *Node) field(key []byte) (target, uint) {
	switch string(key) {
	case "id":
		return target{str: &n.ID}, 0
	case "kind":
		return target{str: &n.Kind, shared: true}, 1
	case "name":
		return target{str: &n.Name}, 2
	case "aliases":
		return target{strs: &n.Aliases}, 3
	case "description":
		return target{str: &n.Description}, 4
	case "wikidata":
		return target{str: &n.Wikidata}, 5
	case "cameo":
		return target{str: &n.Cameo}, 6
	case "title":
		return target{str: &n.Title}, 7
	case "date":
		return target{date: &n.Date, shared: true}, 8
	case "end":
		return target{date: &n.End, shared: true}, 9
	case "eventCode":
		return target{str: &n.EventCode, shared: true}, 10
	case "note":
		return target{str: &n.Note}, 11
	case "evidence":
		return target{evidence: &n.Evidence}, 12
	}
	return target{}, 0
}

func (r *Relationship) field(key []byte) (target, uint) {
	switch string(key) {
	case "id":
		return target{str: &r.ID}, 0
	case "type":
		return target{str: &r.Type, shared: true}, 1
	case "from":
		return target{str: &r.From}, 2
	case "to":
		return target{str: &r.To}, 3
	case "since":
		return target{date: &r.Since, shared: true}, 4
	case "until":
		return target{date: &r.Until, shared: true}, 5
	case "confidence":
		return target{str: &r.Confidence, shared: true}, 6
	case "role":
		return target{str: &r.Role, shared: true}, 7
	case "description":
		return target{str: &r.Description}, 8
	case "note":
		return target{str: &r.Note}, 9
	case "evidence":
		return target{evidence: &r.Evidence}, 10
	}
	return target{}, 0
}

func (e *Evidence) field(key []byte) (target, uint) {
	switch string(key) {
	case "source":
		return target{str: &e.Source, shared: true}, 0
	case "quote":
		return target{str: &e.Quote}, 1
	case "note":
		return target{str: &e.Note}, 2
	}
	return target{}, 0
}
