package schema

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/backchannel/backchannel/internal/idtable"
	"github.com/backchannel/backchannel/internal/textdist"
)

// Wikidata values that are not QIDs: the curator checked and there is no item
// (NoWikidata), or an item may exist but none could be verified (UnverifiedWikidata).
// Both silence the warning; neither is written to the graph.
const (
	NoWikidata         = "none"
	UnverifiedWikidata = "unverified"
)

// isQIDPlaceholder reports whether a wikidata value stands for no QID.
func isQIDPlaceholder(s string) bool { return s == NoWikidata || s == UnverifiedWikidata }

// MaxIDLength bounds IDs.
const MaxIDLength = 100

func newFieldValidator() *validator.Validate {
	val := validator.New(validator.WithRequiredStructEnabled())
	val.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		return name
	})
	for tag, fn := range stringTags {
		if err := val.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return fn(fl.Field().String()) }); err != nil {
			panic(err)
		}
	}
	return val
}

type idEntry struct {
	// Kept small: there is one per record of the whole dataset.
	file, line, col uint32 // where the ID is defined; file indexes Validator.files
	kind            uint16 // 1 + the node kind's index in the vocabulary; 0 for none
	record          uint8  // index in recordKinds
}

// recordKinds are the record kinds, as idEntry.record indexes them.
var recordKinds = []string{RecordSource, RecordNode, RecordRelationship}

// entry makes the idEntry of a record's ID.
func (x *Validator) entry(record, kind string, pos Pos) idEntry {
	f, ok := x.fileIndex[pos.File]
	if !ok {
		f = uint32(len(x.files))
		x.files = append(x.files, pos.File)
		x.fileIndex[pos.File] = f
	}
	e := idEntry{file: f, line: uint32(pos.Line), col: uint32(pos.Col), record: uint8(slices.Index(recordKinds, record))}
	if i := slices.IndexFunc(x.vocab.NodeKinds, func(k *NodeKind) bool { return k.Kind == kind }); i >= 0 {
		e.kind = uint16(i + 1)
	}
	return e
}

func (x *Validator) posOf(e idEntry) Pos {
	return Pos{File: x.files[e.file], Line: int(e.line), Col: int(e.col)}
}

func (x *Validator) recordOf(e idEntry) string { return recordKinds[e.record] }

// kindOf returns the node kind of an entry, or "" (not a node, or a kind the vocabulary lacks).
func (x *Validator) kindOf(e idEntry) string {
	if e.kind == 0 {
		return ""
	}
	return x.vocab.NodeKinds[e.kind-1].Kind
}

type relRef struct {
	typ, from, to  string
	fromPos, toPos Pos
}

// endRef is one end of a relationship whose node was not yet known when it was read.
type endRef struct {
	typ, end, id string // end: "from" or "to"
	pos          Pos
}

type sourceRef struct {
	source string
	pos    Pos
}

// Validator checks records one at a time as they stream past (Record), keeping only
// what cross-record checks need: IDs, kinds and references. Finish runs those checks.
type Validator struct {
	vocab  *Vocabulary
	fields *validator.Validate
	// ids holds every record's ID (sources, nodes and relationships: a reference to a
	// relationship's ID, or a second definition, names where it is defined) in a compact
	// table: at a million records, about 45 bytes an ID where a map took about 95.
	ids *idtable.Table[idEntry]
	// rels, when set (ValidateWith's first pass), holds the relationships' IDs as
	// 64-bit hashes only (8 to 21 bytes an ID; ids then holds sources and nodes). A
	// valid dataset never asks it for an ID it holds; when a relationship's ID may be
	// a duplicate, or a reference may name a relationship, the finding would need the
	// relationship's position, which it does not keep: suspect is set instead, and
	// ValidateWith validates again with every ID in ids.
	rels    *idtable.Set
	suspect bool
	// files and fileIndex name the files of idEntry.file.
	files     []string
	fileIndex map[string]uint32
	// References to IDs not defined yet when read: checked by Finish. References to
	// known IDs are checked at once and dropped, so with definitions before their uses
	// (the usual layout) memory holds IDs only.
	pendingEnds  []endRef
	pendingCites []sourceRef
	cited        map[string]bool
	// What the curation rules need (curation.go): each source's facts, the kept copies,
	// and the quotes and relationships that cite sources not read yet.
	sources       map[string]*srcFacts
	copies        copies
	pendingQuotes []quoteRef
	pendingRels   []*relFacts
	findings      []Finding
	// span is the span the dataset declares (covers:), the first file's that does.
	span *Span
	// max, when over 0, caps the findings kept: the first max in sorted order, with
	// the rest counted (dropped) by severity.
	max                       int
	droppedErrs, droppedWarns int
}

// idHash hashes the IDs of the validator's table; nil is the table's default. Tests set
// one that collides, to show that a collision changes no finding.
var idHash func(string) uint64

// NewValidator returns a validator for the vocabulary.
func NewValidator(v *Vocabulary) *Validator {
	return &Validator{vocab: v, fields: newFieldValidator(), ids: idtable.New[idEntry](idHash), fileIndex: map[string]uint32{}, cited: map[string]bool{}, sources: map[string]*srcFacts{}}
}

func (x *Validator) report(pos Pos, severity, rule, format string, args ...any) {
	x.Add(newFinding(pos, severity, rule, format, args...))
}

// rank puts io findings first.
func rank(f Finding) int {
	if f.Rule == RuleIO {
		return 0
	}
	return 1
}

// compact keeps the first max findings in sorted order (io findings first) and counts
// the others.
func (x *Validator) compact() {
	if x.max <= 0 || len(x.findings) <= x.max {
		return
	}
	SortFindings(x.findings)
	// Files that could not be read stay: they decide the exit status.
	slices.SortStableFunc(x.findings, func(a, b Finding) int { return cmp.Compare(rank(a), rank(b)) })
	errs, warns := Summary(x.findings[x.max:])
	x.droppedErrs += errs
	x.droppedWarns += warns
	clear(x.findings[x.max:])
	x.findings = x.findings[:x.max]
}

func (x *Validator) errorf(pos Pos, rule, format string, args ...any) {
	x.report(pos, SeverityError, rule, format, args...)
}

// checker checks one record by itself; checkers run in parallel, one per file.
type checker struct {
	*Validator
	out []Finding
}

func (c *checker) report(pos Pos, severity, rule, format string, args ...any) {
	c.out = append(c.out, newFinding(pos, severity, rule, format, args...))
}

func (c *checker) errorf(pos Pos, rule, format string, args ...any) {
	c.report(pos, SeverityError, rule, format, args...)
}

// summary is what the cross-record checks need of one record.
type summary struct {
	record   string
	id       string
	nodeKind string
	idPos    Pos
	rel      *relRef
	cites    []sourceRef
	findings []Finding
	// for the curation rules
	src      *srcFacts
	relFacts *relFacts
	quotes   []quoteRef
}

// Add adds findings made elsewhere (by the parser) to the validator's.
func (x *Validator) Add(fs ...Finding) {
	x.findings = append(x.findings, fs...)
	if x.max > 0 && len(x.findings) > 4*x.max {
		x.compact()
	}
}

// Record checks one record's fields and remembers its ID and references.
func (x *Validator) Record(rec Record) { x.add(x.check(rec)) }

// check runs the checks of one record that need no other record. It is safe to call
// from several goroutines.
func (x *Validator) check(rec Record) summary {
	c := &checker{Validator: x}
	c.checkFields(rec)
	sum := summary{record: rec.Kind, id: rec.ID(), idPos: rec.Pos.atPath(&idPath)}
	var evidence []Evidence
	var b *summaryBlock
	switch {
	case rec.Source != nil:
		c.checkSource(rec.Source, rec.Pos)
	case rec.Node != nil:
		c.checkNode(rec.Node, rec.Pos)
		sum.nodeKind = rec.Node.Kind
		evidence = rec.Node.Evidence
		b = new(summaryBlock)
	case rec.Relationship != nil:
		r := rec.Relationship
		b = new(summaryBlock)
		b.relFacts.sinceDay = c.checkRelationship(r, rec.Pos)
		b.rel = relRef{typ: r.Type, from: r.From, to: r.To, fromPos: rec.Pos.atPath(&fromPath), toPos: rec.Pos.atPath(&toPath)}
		sum.rel = &b.rel
		evidence = r.Evidence
	}
	if b != nil {
		sum.cites, sum.quotes = b.cites[:0], b.quotes[:0]
	}
	for i, e := range evidence {
		if e.Source != "" {
			pos, _ := evidenceAt(rec.Pos, i, "source")
			sum.cites = append(sum.cites, sourceRef{source: e.Source, pos: pos})
		}
	}
	x.facts(rec, &sum, b)
	if len(sum.cites) == 0 {
		sum.cites = nil
	}
	if len(sum.quotes) == 0 {
		sum.quotes = nil
	}
	sum.findings = c.out
	return sum
}

// summaryBlock is one allocation for what check keeps of a node or a relationship
// besides its summary: the relationship's ends and curation facts, and room for one
// cited source and one quote (most records have one of each), where each took one.
// check sets relFacts.sinceDay (checkRelationship parses since) before facts.
type summaryBlock struct {
	rel      relRef
	relFacts relFacts
	cites    [1]sourceRef
	quotes   [1]quoteRef
}

// evidencePaths are the paths of the first evidence entries' source and quote, made
// once (and parsed, evidenceFieldPaths): check asks for them for every record.
var evidencePaths, evidenceFieldPaths = func() (out [2][16]string, parsed [2][16]fieldPath) {
	for i := range out[0] {
		out[0][i] = "evidence[" + strconv.Itoa(i) + "].source"
		out[1][i] = "evidence[" + strconv.Itoa(i) + "].quote"
		parsed[0][i], parsed[1][i] = newFieldPath(out[0][i]), newFieldPath(out[1][i])
	}
	return out, parsed
}()

// The paths of the fields check and facts ask the position of for every record.
var (
	idPath, fromPath, toPath = newFieldPath("id"), newFieldPath("from"), newFieldPath("to")
	confidencePath           = newFieldPath("confidence")
	sincePath, filePath      = newFieldPath("since"), newFieldPath("file")
)

// evidenceAt returns the position of field (source or quote) of evidence entry i, and
// the field's path.
func evidenceAt(p Positions, i int, field string) (Pos, string) {
	f := 0
	if field == "quote" {
		f = 1
	}
	if i < len(evidencePaths[f]) && (field == "source" || field == "quote") {
		return p.atPath(&evidenceFieldPaths[f][i]), evidencePaths[f][i]
	}
	path := "evidence[" + strconv.Itoa(i) + "]." + field
	return p.At(path), path
}

// add records a checked record's ID and references, in input order.
func (x *Validator) add(s summary) {
	x.Add(s.findings...)
	first := false
	if s.id != "" {
		if x.rels != nil && s.record == RecordRelationship {
			if firstPos, dup := x.ids.Get(s.id); dup {
				x.errorf(s.idPos, RuleDuplicateID, "duplicate ID %q: first defined at %s", quoted(s.id), x.posOf(firstPos))
			} else {
				x.suspect = x.rels.Add(s.id) || x.suspect
				first = true
			}
		} else if firstPos, dup := x.ids.Add(s.id, x.entry(s.record, s.nodeKind, s.idPos)); dup {
			x.errorf(s.idPos, RuleDuplicateID, "duplicate ID %q: first defined at %s", quoted(s.id), x.posOf(firstPos))
		} else {
			first = true
			if x.rels != nil && x.rels.Has(s.id) {
				x.suspect = true // a relationship may have defined it first
			}
		}
	}
	x.addFacts(s, first)
	if r := s.rel; r != nil {
		var t *RelType // looked up once for both ends
		for _, end := range [2]endRef{{r.typ, "from", r.from, r.fromPos}, {r.typ, "to", r.to, r.toPos}} {
			if end.id == "" || !isSlug(end.id) {
				continue // reported as missing or malformed
			}
			if e, ok := x.ids.Get(end.id); ok {
				if t == nil {
					t = x.vocab.Type(r.typ)
				}
				x.checkEndEntry(end, e, t)
			} else if !x.relationshipRef(end.id) {
				x.pendingEnds = append(x.pendingEnds, end)
			}
		}
	}
	for _, c := range s.cites {
		x.cited[c.source] = true
		if !isSlug(c.source) {
			continue
		}
		if e, ok := x.ids.Get(c.source); ok {
			x.checkCiteEntry(c, e)
		} else if !x.relationshipRef(c.source) {
			x.pendingCites = append(x.pendingCites, c)
		}
	}
}

// defined reports whether a record defines id (in the first pass, maybe: see rels).
func (x *Validator) defined(id string) bool {
	return x.ids.Has(id) || (x.rels != nil && x.rels.Has(id))
}

// relationshipRef reports whether a reference to id, which ids does not hold, may
// name a relationship: then the first pass is suspect, and makes no finding of it.
func (x *Validator) relationshipRef(id string) bool {
	if x.rels != nil && x.rels.Has(id) {
		x.suspect = true
		return true
	}
	return false
}

// checkEnd checks that a relationship's end names a node of a kind its type allows.
// suggest gives a near miss for an unknown ID; it is only needed (and its index only
// built) once every record has been read.
func (x *Validator) checkEnd(end endRef, suggest func(string) string) {
	e, ok := x.ids.Get(end.id)
	if !ok && x.relationshipRef(end.id) {
		return
	}
	if !ok {
		x.errorf(end.pos, RuleUnknownRef, "%s %q names no node%s", end.end, quoted(end.id), suggest(end.id))
		return
	}
	x.checkEndEntry(end, e, x.vocab.Type(end.typ))
}

// checkEndEntry is checkEnd of an end whose ID is defined, by e, and whose type is t
// (nil: not in the vocabulary).
func (x *Validator) checkEndEntry(end endRef, e idEntry, t *RelType) {
	if x.recordOf(e) != RecordNode {
		x.errorf(end.pos, RuleUnknownRef, "%s %q is a %s, not a node (defined at %s)", end.end, quoted(end.id), strings.TrimSuffix(x.recordOf(e), "s"), x.posOf(e))
		return
	}
	kind := x.kindOf(e)
	if t == nil || kind == "" {
		return // reported with the record
	}
	allowed, kinds := t.AllowsFrom(kind), t.FromKinds()
	if end.end == "to" {
		allowed, kinds = t.AllowsTo(kind), t.ToKinds()
	}
	if !allowed {
		x.errorf(end.pos, RuleEndpoint, "%s cannot have %s at its %s end (%q); allowed: %s", end.typ, article(kind), end.end, quoted(end.id), strings.Join(kinds, ", "))
	}
}

// checkCite checks that evidence cites a source.
func (x *Validator) checkCite(c sourceRef, suggest func(string) string) {
	e, ok := x.ids.Get(c.source)
	switch {
	case !ok && x.relationshipRef(c.source):
	case !ok:
		x.errorf(c.pos, RuleUnknownSource, "evidence cites unknown source %q%s", quoted(c.source), suggest(c.source))
	default:
		x.checkCiteEntry(c, e)
	}
}

// checkCiteEntry is checkCite of a cited ID that is defined, by e.
func (x *Validator) checkCiteEntry(c sourceRef, e idEntry) {
	if x.recordOf(e) != RecordSource {
		x.errorf(c.pos, RuleUnknownSource, "evidence cites %q, which is a %s, not a source (defined at %s)", quoted(c.source), strings.TrimSuffix(x.recordOf(e), "s"), x.posOf(e))
	}
}

// checkFields applies the validator/v10 tags and turns each failure into a finding at
// the field's position. A record the proof passes (fieldproof.go) has none to find.
func (c *checker) checkFields(rec Record) {
	if fieldsPass(rec) {
		return
	}
	err := c.fields.Struct(rec.value())
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return
	}
	for _, fe := range verrs {
		_, path, _ := strings.Cut(fe.Namespace(), ".")
		if rec.typeErrors[path] {
			continue // reported by the parser
		}
		_, present := rec.Pos.lookup(path)
		pos := rec.Pos.At(path)
		field := path
		value := quoted(fmt.Sprint(fe.Value()))
		switch fe.Tag() {
		case "required":
			switch {
			case fe.Field() == "evidence":
				c.errorf(pos, RuleEvidence, "missing evidence: every %s needs at least one {source, quote} (or {source, note} where there is no quote)", strings.TrimSuffix(rec.Kind, "s"))
			case present:
				c.errorf(pos, RuleRequired, "%s is empty", field)
			default:
				c.errorf(pos, RuleRequired, "missing required field %s", field)
			}
		case "required_without":
			if fe.Field() == "quote" {
				c.errorf(pos, RuleEvidence, "%s: give the verbatim quote, or a note saying why there is none", strings.TrimSuffix(path, ".quote"))
			} else {
				c.errorf(pos, RuleRequired, "missing required field %s (needed unless %s is given)", field, lowerFirst(fe.Param()))
			}
		case "min":
			if fe.Field() == "evidence" {
				c.errorf(pos, RuleEvidence, "evidence is empty: give at least one {source, quote}")
			} else {
				c.errorf(pos, RuleFormat, "%s %s: want at least %s", field, value, fe.Param())
			}
		case "max":
			if fe.Kind() == reflect.String || fe.Kind() == reflect.Slice {
				c.errorf(pos, RuleLength, "%s is too long: at most %s %s", field, fe.Param(), unit(fe.Kind()))
			} else {
				c.errorf(pos, RuleFormat, "%s %s: want at most %s", field, value, fe.Param())
			}
		case "oneof":
			opts := strings.Fields(fe.Param())
			msg := fmt.Sprintf("%s %q is not one of: %s", field, value, strings.Join(opts, ", "))
			if s := textdist.Suggest(value, opts); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			c.errorf(pos, RuleEnum, "%s", msg)
		case "slug":
			c.errorf(pos, RuleIDFormat, "%s %q: want a lowercase slug of letters, digits and single hyphens, at most %d characters (e.g. us-nsc)", field, value, MaxIDLength)
		case "qid":
			c.errorf(pos, RuleFormat, "%s %q: want a Wikidata QID such as Q30, %q if there is no item, or %q if none could be verified", field, value, NoWikidata, UnverifiedWikidata)
		case "cameoactor":
			c.errorf(pos, RuleFormat, "%s %q: want a CAMEO actor code of 3-letter blocks, e.g. USA, PSEREBHMS", field, value)
		case "cameoevent":
			c.errorf(pos, RuleFormat, "%s %q: want a CAMEO event code of 2 to 4 digits, quoted (\"046\")", field, value)
		case "quote":
			c.errorf(pos, RuleEmptyQuote, "%s is blank: give the verbatim text, or replace it with a note saying why there is none", field)
		case "url":
			c.errorf(pos, RuleFormat, "%s %q is not an absolute URL", field, value)
		case "bcp47_language_tag":
			c.errorf(pos, RuleFormat, "%s %q is not a BCP 47 language tag (e.g. en, ar)", field, value)
		default:
			c.errorf(pos, RuleFormat, "%s %q fails %s", field, value, fe.Tag())
		}
	}
}

// article prefixes a kind name with a or an.
func article(kind string) string {
	if strings.ContainsRune("AEIOU", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

func unit(k reflect.Kind) string {
	if k == reflect.Slice {
		return "entries"
	}
	return "characters"
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// checkDate reports a malformed or impossible date, the value of field, and returns
// the first and last day it covers and whether it is usable.
func (c *checker) checkDate(d Date, pos Positions, field string) (first, last time.Time, ok bool) {
	if d.IsZero() {
		return first, last, false
	}
	_, first, last, err := d.Parse()
	if err != nil {
		c.errorf(pos.At(field), RuleDate, "%s: %v", field, err)
		return time.Time{}, time.Time{}, false
	}
	return first, last, true
}

// checkOrder reports a start after an end, given the first day of the one and the last
// of the other (checkDate's).
func (c *checker) checkOrder(start, end Date, startFirst, endLast time.Time, pos Pos, startName, endName string) {
	if startFirst.After(endLast) {
		c.errorf(pos, RuleDateOrder, "%s %s is after %s %s", startName, start, endName, end)
	}
}

func (c *checker) checkSource(s *Source, pos Positions) {
	p, _, okP := c.checkDate(s.Published, pos, "published")
	_, a, okA := c.checkDate(s.Accessed, pos, "accessed")
	if okP && okA {
		c.checkOrder(s.Published, s.Accessed, p, a, pos.At("accessed"), "published", "accessed")
	}
	if s.Archived != nil {
		c.checkDate(s.Archived.Retrieved, pos, "archived.retrieved")
	}
}

// nodeFieldSet reports whether a node's optional field f (one of nodeFields, by YAML
// name) is set.
func nodeFieldSet(n *Node, f string) bool {
	switch f {
	case "wikidata":
		return n.Wikidata != ""
	case "cameo":
		return n.Cameo != ""
	case "title":
		return n.Title != ""
	case "date":
		return !n.Date.IsZero()
	case "end":
		return !n.End.IsZero()
	case "eventCode":
		return n.EventCode != ""
	}
	return false
}

func (c *checker) checkNode(n *Node, pos Positions) {
	if n.Kind == "" {
		return // reported as missing
	}
	kind := c.vocab.Kind(n.Kind)
	if kind == nil {
		msg := fmt.Sprintf("unknown node kind %q", quoted(n.Kind))
		if s := textdist.Suggest(n.Kind, c.vocab.KindNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		c.errorf(pos.At("kind"), RuleEnum, "%s (kinds: %s)", msg, strings.Join(c.vocab.KindNames(), ", "))
		return
	}
	for _, f := range nodeFields {
		if nodeFieldSet(n, f) && !kind.Allows(f) {
			c.errorf(pos.At(f), RuleFieldForKind, "field %s is not used by kind %s (it takes: %s)", f, n.Kind, fieldList(kind.Fields))
		}
	}
	for _, f := range kind.Required {
		if !nodeFieldSet(n, f) {
			c.errorf(pos.At(""), RuleRequired, "missing required field %s (kind %s requires it)", f, n.Kind)
		}
	}
	d, _, okD := c.checkDate(n.Date, pos, "date")
	_, e, okE := c.checkDate(n.End, pos, "end")
	if okD && okE {
		c.checkOrder(n.Date, n.End, d, e, pos.At("end"), "date", "end")
	}
	if kind.WikidataExpected && n.Wikidata == "" {
		c.report(pos.At("id"), SeverityWarning, RuleWikidata, "%s %q has no wikidata QID: add one, or wikidata: %s (no item) or %s (none verified)", n.Kind, quoted(n.ID), NoWikidata, UnverifiedWikidata)
	}
}

func fieldList(fs []string) string {
	if len(fs) == 0 {
		return "no optional fields"
	}
	return strings.Join(fs, ", ")
}

// checkRelationship checks a relationship by itself and returns the first day of its
// since (zero when absent or malformed), which the curation facts need.
func (c *checker) checkRelationship(r *Relationship, pos Positions) (sinceDay time.Time) {
	sinceDay, _, okS := c.checkDate(r.Since, pos, "since")
	_, u, okU := c.checkDate(r.Until, pos, "until")
	if okS && okU {
		c.checkOrder(r.Since, r.Until, sinceDay, u, pos.At("until"), "since", "until")
	}
	t := c.vocab.Type(r.Type)
	c.checkAct(r, t, pos)
	if r.Type == "" {
		return sinceDay
	}
	if t == nil {
		msg := fmt.Sprintf("unknown relationship type %q", quoted(r.Type))
		if s := textdist.Suggest(r.Type, c.vocab.TypeNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		c.errorf(pos.At("type"), RuleEnum, "%s", msg)
		return sinceDay
	}
	if r.Influence != nil && t.Influence == nil {
		c.errorf(pos.At("influence"), RuleFieldForKind, "type %s carries no influence, so there is none to override", r.Type)
	}
	if r.ReverseInfluence != nil && (t.Influence == nil || !t.Symmetric) {
		c.errorf(pos.At("reverseInfluence"), RuleFieldForKind, "type %s is not a symmetric influence type, so it has no reverse direction to score", r.Type)
	}
	if r.From != "" && r.From == r.To && !t.SelfAllowed {
		c.errorf(pos.At("to"), RuleSelf, "%s from %q to itself: this type does not allow a self-relationship", r.Type, quoted(r.From))
	}
	return sinceDay
}

// Finish checks the references still pending and returns every finding kept, sorted.
func (x *Validator) Finish() []Finding {
	fs := x.result().Findings
	x.release() // its tables are kept outside the Go heap
	return fs
}

// result checks the references still pending and returns the findings kept, sorted,
// with the counts of all of them.
func (x *Validator) result() Result {
	nodes, sources := x.suggester(RecordNode), x.suggester(RecordSource)
	for _, end := range x.pendingEnds {
		x.checkEnd(end, nodes)
	}
	for _, c := range x.pendingCites {
		x.checkCite(c, sources)
	}
	x.pendingEnds, x.pendingCites = nil, nil
	x.finishFacts()
	for i, e := range x.ids.All() {
		if x.recordOf(e) == RecordSource {
			if id := x.ids.ID(i); !x.cited[id] {
				x.report(x.posOf(e), SeverityWarning, RuleUnusedSource, "source %q is not cited by any evidence", quoted(id))
			}
		}
	}
	x.compact()
	SortFindings(x.findings)
	errs, warns := Summary(x.findings)
	return Result{
		Covers:   x.span,
		Findings: x.findings,
		Errors:   errs + x.droppedErrs,
		Warnings: warns + x.droppedWarns,
		Omitted:  x.droppedErrs + x.droppedWarns,
	}
}

// suggester returns a function giving the "; did you mean" part of a message for an
// unknown ID among the IDs of one record kind. Its index is built on first use; with a
// cap on findings, only as many lookups as the cap are made (the rest would not be shown).
func (x *Validator) suggester(record string) func(string) string {
	var index *textdist.Index
	lookups := 0
	return func(id string) string {
		if x.max > 0 && lookups >= x.max {
			return ""
		}
		lookups++
		if index == nil {
			index = &textdist.Index{}
			for _, k := range x.sortedIDs(record) {
				index.Add(k)
			}
		}
		if s := index.Suggest(id); s != "" {
			return fmt.Sprintf("; did you mean %q?", s)
		}
		return ""
	}
}

// sortedIDs returns the IDs of one record kind, sorted (so that the index, and ties
// between equally near names, don't depend on map order).
func (x *Validator) sortedIDs(record string) []string {
	var out []string
	for i, e := range x.ids.All() {
		if x.recordOf(e) == record {
			out = append(out, x.ids.ID(i))
		}
	}
	slices.Sort(out)
	return out
}

// Summary counts the errors and warnings among findings.
func Summary(fs []Finding) (errs, warnings int) {
	for _, f := range fs {
		if f.Severity == SeverityError {
			errs++
		} else {
			warnings++
		}
	}
	return errs, warnings
}
