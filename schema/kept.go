package schema

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// What validation needs of a file, kept from one run to check the file again in a later
// one without reading it (Options.Keep and Options.Reuse): the summary of each of its
// records (its id, kind and position, its references and citations, the facts the
// curation rules read, and the findings of its own checks) and the file's covers: spans,
// in file order. Replaying them through the same cross-record checks gives the same
// findings as reading the file, by construction. Positions are kept as lines and
// columns: the file's name is the input's when replayed, so a copy of the file in
// another folder reuses them too.
//
// The encoding is this package's own, versioned by keptMagic: varints, length-prefixed
// strings, the strings that repeat (kinds, types, source ids, the ends of
// relationships) written once per file and then by number, and lines as the difference
// from the position before, so that it is about half the size of compact YAML. A kept
// summary of another version, or a truncated or altered one that does not decode, is
// not used and the file is read.

const keptMagic = "backchannel kept summaries 2\n"

// KeptRecord is what Options.OnReused says of each record of a reused file.
type KeptRecord struct {
	Record   string // RecordSource, RecordNode or RecordRelationship
	ID       string
	NodeKind string // a node's kind
	Type     string // a relationship's type
}

// keptEncoder encodes one file's summaries; positions in the file are written without it.
type keptEncoder struct {
	b    []byte
	file string
	syms map[string]int // the strings written so far by sym, numbered
	line int            // the line of the last position written
}

func newKeptEncoder(file string) *keptEncoder {
	return &keptEncoder{b: append(make([]byte, 0, 4096), keptMagic...), file: file, syms: map[string]int{}}
}

// sym writes a string that may repeat: by its number when written before, else whole.
func (e *keptEncoder) sym(s string) {
	if n, ok := e.syms[s]; ok {
		e.b = binary.AppendUvarint(e.b, uint64(n)+1)
		return
	}
	e.b = append(e.b, 0)
	e.str(s)
	e.syms[s] = len(e.syms)
}

func (e *keptEncoder) int(v int) { e.b = binary.AppendVarint(e.b, int64(v)) }

func (e *keptEncoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *keptEncoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

// pos writes a position: its column and whether it is in another file, its line as the
// difference from the last, and the other file's name.
func (e *keptEncoder) pos(p Pos) {
	other := uint64(0)
	if p.File != e.file {
		other = 1
	}
	e.b = binary.AppendUvarint(e.b, uint64(p.Col)<<1|other)
	e.int(p.Line - e.line)
	e.line = p.Line
	if other == 1 {
		e.sym(p.File)
	}
}

// summary writes one record's summary (or the parser's findings, in the last one).
func (e *keptEncoder) summary(s summary) {
	e.b = append(e.b, 1) // a summary follows
	e.sym(s.record)
	e.str(s.id)
	e.sym(s.nodeKind)
	e.pos(s.idPos)
	e.bool(s.rel != nil)
	if r := s.rel; r != nil {
		e.sym(r.typ)
		e.sym(r.from)
		e.sym(r.to)
		e.pos(r.fromPos)
		e.pos(r.toPos)
	}
	e.int(len(s.cites))
	for _, c := range s.cites {
		e.sym(c.source)
		e.pos(c.pos)
	}
	e.int(len(s.findings))
	for _, f := range s.findings {
		e.pos(f.Pos)
		e.sym(f.Severity)
		e.str(f.Message)
		e.sym(f.Rule)
	}
	e.bool(s.src != nil)
	if f := s.src; f != nil {
		e.bool(f.weak)
		e.sym(f.publishedText)
		e.sym(f.file)
		e.pos(f.filePos)
	}
	e.bool(s.relFacts != nil)
	if r := s.relFacts; r != nil {
		e.bool(r.high)
		e.pos(r.confPos)
		e.sym(r.since.Text)
		e.pos(r.sincePos)
		e.int(len(r.sources))
		for _, src := range r.sources {
			e.sym(src)
		}
	}
	e.int(len(s.quotes))
	for _, q := range s.quotes {
		e.sym(q.source)
		e.str(q.quote)
		e.sym(q.field)
		e.pos(q.pos)
	}
}

// finish writes the file's spans after its summaries and returns the encoding.
func (e *keptEncoder) finish(spans []Span) []byte {
	e.b = append(e.b, 0) // no more summaries
	e.int(len(spans))
	for _, s := range spans {
		e.str(s.From.Text)
		e.str(s.Until.Text)
		e.pos(s.Pos)
	}
	return e.b
}

var errKept = errors.New("not a kept summary of this version")

// keptDecoder reads what keptEncoder wrote; the first problem sticks in err.
type keptDecoder struct {
	b    []byte
	file string
	err  error
	syms []string // see keptEncoder.sym
	line int
}

func (d *keptDecoder) fail() {
	if d.err == nil {
		d.err = errKept
	}
	d.b = nil
}

func (d *keptDecoder) int() int {
	v, n := binary.Varint(d.b)
	if n <= 0 || v < -1<<31 || v > 1<<31 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// count reads a length, which cannot exceed the bytes left.
func (d *keptDecoder) count() int {
	n := d.int()
	if n < 0 || n > len(d.b) {
		d.fail()
		return 0
	}
	return n
}

func (d *keptDecoder) bool() bool {
	if len(d.b) == 0 || d.b[0] > 1 {
		d.fail()
		return false
	}
	v := d.b[0] == 1
	d.b = d.b[1:]
	return v
}

func (d *keptDecoder) str() string {
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > uint64(len(d.b)-k) {
		d.fail()
		return ""
	}
	s := string(d.b[k : k+int(n)])
	d.b = d.b[k+int(n):]
	return s
}

func (d *keptDecoder) sym() string {
	n, k := binary.Uvarint(d.b)
	switch {
	case k <= 0 || n > uint64(len(d.syms)):
		d.fail()
		return ""
	case n > 0:
		d.b = d.b[k:]
		return d.syms[n-1]
	}
	d.b = d.b[k:]
	s := d.str()
	if d.err == nil {
		d.syms = append(d.syms, s)
	}
	return s
}

func (d *keptDecoder) pos() Pos {
	v, k := binary.Uvarint(d.b)
	if k <= 0 || v>>1 > 1<<31 {
		d.fail()
		return Pos{}
	}
	d.b = d.b[k:]
	p := Pos{File: d.file, Col: int(v >> 1)}
	d.line += d.int()
	p.Line = d.line
	if v&1 == 1 {
		p.File = d.sym()
	}
	return p
}

func (d *keptDecoder) summary() summary {
	s := summary{record: d.sym(), id: d.str(), nodeKind: d.sym(), idPos: d.pos()}
	if d.bool() {
		s.rel = &relRef{typ: d.sym(), from: d.sym(), to: d.sym(), fromPos: d.pos(), toPos: d.pos()}
	}
	for n := d.count(); n > 0 && d.err == nil; n-- {
		s.cites = append(s.cites, sourceRef{source: d.sym(), pos: d.pos()})
	}
	for n := d.count(); n > 0 && d.err == nil; n-- {
		s.findings = append(s.findings, Finding{Pos: d.pos(), Severity: d.sym(), Message: d.str(), Rule: d.sym()})
	}
	if d.bool() {
		f := &srcFacts{weak: d.bool()}
		if text := d.sym(); text != "" {
			if _, _, last, err := (Date{Text: text}).Parse(); err == nil {
				f.published, f.publishedText = last, text
			} else {
				d.fail()
			}
		}
		f.file, f.filePos = d.sym(), d.pos()
		s.src = f
	}
	if d.bool() {
		r := &relFacts{high: d.bool(), confPos: d.pos(), since: Date{Text: d.sym()}, sincePos: d.pos()}
		if _, first, _, err := r.since.Parse(); err == nil {
			r.sinceDay = first
		}
		for n := d.count(); n > 0 && d.err == nil; n-- {
			r.sources = append(r.sources, d.sym())
		}
		s.relFacts = r
	}
	for n := d.count(); n > 0 && d.err == nil; n-- {
		s.quotes = append(s.quotes, quoteRef{source: d.sym(), quote: d.str(), field: d.sym(), pos: d.pos()})
	}
	return s
}

// decodeKept decodes a file's kept summaries, its positions in the file named file, and
// counts their findings.
func decodeKept(b []byte, file string) (sums []summary, spans []Span, findings int, err error) {
	if len(b) < len(keptMagic) || string(b[:len(keptMagic)]) != keptMagic {
		return nil, nil, 0, errKept
	}
	d := &keptDecoder{b: b[len(keptMagic):], file: file}
	for d.err == nil {
		if len(d.b) == 0 {
			d.fail()
			break
		}
		more := d.b[0]
		d.b = d.b[1:]
		if more == 0 {
			break
		}
		if more != 1 {
			d.fail()
			break
		}
		s := d.summary()
		findings += len(s.findings)
		sums = append(sums, s)
	}
	for n := d.count(); n > 0 && d.err == nil; n-- {
		spans = append(spans, Span{From: Date{Text: d.str()}, Until: Date{Text: d.str()}, Pos: d.pos()})
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	if d.err != nil {
		return nil, nil, 0, fmt.Errorf("%s: %w", file, d.err)
	}
	return sums, spans, findings, nil
}

// keptRecord says what a reused summary defines, for Options.OnReused.
func (s summary) keptRecord() KeptRecord {
	k := KeptRecord{Record: s.record, ID: s.id, NodeKind: s.nodeKind}
	if s.rel != nil {
		k.Type = s.rel.typ
	}
	return k
}
