package schema

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// The curation rules of seeds/README.md that look across records: an act ends
// (act-end, checked with the record), confidence high rests on a source that is not of
// weak reliability (high-confidence), a quote from a source whose text is kept beside
// the seeds is verbatim in it (quote-verbatim, source-file), and a relationship does not
// start after every source that reports it was published (since-after-sources).
//
// Memory: per source, its reliability, publication day and copy; the text of each kept
// copy, read once; and, for records read before the sources they cite, their quotes of
// those sources and their dates until the sources are known.

// srcFacts is what the curation rules need of a source record.
type srcFacts struct {
	weak          bool
	published     time.Time // its last day; zero when absent or malformed
	publishedText string
	file          string // the copy's path as written, if any
	filePos       Pos
	in            Input       // the input that defines the source, whose folder holds the copy
	tried         bool        // whether reading the copy was tried
	copy          *sourceCopy // the copy, when it could be read
}

// sourceCopy is the text of a source kept beside the seeds.
type sourceCopy struct {
	name string // as shown in findings: the seed file's folder joined with file
	text string
}

// quoteRef is one quote of a record, with the source it cites.
type quoteRef struct {
	source, quote, field string
	pos                  Pos
}

// relFacts is what the cross-record curation rules need of a relationship.
type relFacts struct {
	high     bool
	confPos  Pos
	since    Date
	sinceDay time.Time // since's first day; zero when absent or malformed
	sincePos Pos
	sources  []string  // the sources its evidence cites, each once
	first    [1]string // where sources starts: most relationships cite one
}

// detached returns a copy of r that shares no memory with r: r is part of the record's
// summaryBlock, which a relationship waiting for its sources should not keep.
func (r *relFacts) detached() *relFacts {
	c := *r
	c.sources = append(c.first[:0], r.sources...)
	return &c
}

// copies holds each kept copy read, by name, so that each is read once.
type copies struct {
	read map[string]*copyResult
}

type copyResult struct {
	copy *sourceCopy
	err  error
}

// isAct reports whether a relationship, of type t (nil: none the vocabulary has), is an
// instantaneous act: the record says so, or else its type does.
func isAct(r *Relationship, t *RelType) bool {
	if r.Act != nil {
		return *r.Act
	}
	return t != nil && t.Act
}

// checkAct reports an act without an end (rule act-end); t is the relationship's type.
func (c *checker) checkAct(r *Relationship, t *RelType, pos Positions) {
	if !isAct(r, t) || !r.Until.IsZero() {
		return
	}
	what := fmt.Sprintf("%s is an act (act: true in schema/vocabulary.yaml)", r.Type)
	if r.Act != nil {
		what = "the relationship is an act (act: true)"
	}
	if r.Since.IsZero() {
		c.errorf(pos.At(""), RuleActEnd, "%s with no since or until: give the day it happened as both (until = since for a one-day act), or act: false if it lasted", what)
		return
	}
	c.errorf(pos.At("since"), RuleActEnd, "%s with no until, so it stays in force after it happened: add until: \"%s\" (until = since for a one-day act), its last day, or act: false if it lasted", what, r.Since)
}

// facts gathers what the cross-record curation rules need of one record; b, when set,
// holds its relationship's facts.
func (x *Validator) facts(rec Record, sum *summary, b *summaryBlock) {
	var evidence []Evidence
	switch {
	case rec.Source != nil:
		s := rec.Source
		f := &srcFacts{weak: x.vocab.Curation.Weak(s.Reliability), file: s.File, filePos: rec.Pos.atPath(&filePath)}
		if _, _, last, err := s.Published.Parse(); err == nil {
			f.published, f.publishedText = last, s.Published.Text
		}
		sum.src = f
	case rec.Node != nil:
		evidence = rec.Node.Evidence
	case rec.Relationship != nil:
		r := rec.Relationship
		evidence = r.Evidence
		rf := &b.relFacts // its sinceDay set by check
		rf.high, rf.since = r.Confidence == "high", r.Since
		rf.sources = rf.first[:0]
		for _, e := range r.Evidence {
			if e.Source != "" {
				rf.sources = appendOnce(rf.sources, e.Source)
			}
		}
		if (rf.high || !rf.sinceDay.IsZero()) && len(rf.sources) > 0 {
			rf.confPos, rf.sincePos = rec.Pos.atPath(&confidencePath), rec.Pos.atPath(&sincePath)
			sum.relFacts = rf
		}
	}
	for i, e := range evidence {
		if e.Source != "" && e.Quote != "" {
			pos, field := evidenceAt(rec.Pos, i, "quote")
			sum.quotes = append(sum.quotes, quoteRef{source: e.Source, quote: e.Quote, field: field, pos: pos})
		}
	}
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// readCopy reads the copy of a source kept beside the input that defines it, once per
// copy and only when a quote cites the source, and reports one that can't be read or
// lies outside the seed file's folder (rule source-file). Inputs without a folder
// (OpenRelative nil) have no copies to read: their quotes are not checked.
func (x *Validator) readCopy(f *srcFacts) {
	if f.tried || f.file == "" || f.in.OpenRelative == nil {
		return
	}
	f.tried = true
	if !fs.ValidPath(f.file) { // never read outside the seed file's folder
		x.errorf(f.filePos, RuleSourceFile, "file %q: want a slash-separated path inside the seed file's folder, without \"..\" or a leading / (e.g. sources/article.txt)", quoted(f.file))
		return
	}
	name := path.Join(path.Dir(filepath.ToSlash(f.in.Name)), f.file)
	res := x.copies.read[name]
	if res == nil {
		res = &copyResult{}
		res.copy, res.err = readCopyFile(f.in, f.file, name)
		if x.copies.read == nil {
			x.copies.read = map[string]*copyResult{}
		}
		x.copies.read[name] = res
	}
	if res.err != nil {
		x.errorf(f.filePos, RuleSourceFile, "file %q: cannot read the source's copy %s (%s): keep the copy there so that its quotes are checked, or cite the source by url", quoted(f.file), name, ioReason(res.err))
		return
	}
	f.copy = res.copy
}

func readCopyFile(in Input, file, name string) (*sourceCopy, error) {
	rc, err := in.OpenRelative(file)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("over the %d MiB limit", MaxFileSize>>20)
	}
	return &sourceCopy{name: name, text: string(b)}, nil
}

// ioReason says in a few words why a file could not be read.
func ioReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}

// addFacts records a source's facts, and checks a record's quotes and dates against
// the sources known so far; what cites sources not read yet waits for Finish.
func (x *Validator) addFacts(s summary, firstDefinition bool) {
	if s.src != nil && firstDefinition {
		x.sources[s.id] = s.src
	}
	for _, q := range s.quotes {
		if src, known := x.sources[q.source]; known {
			x.checkQuote(q, src)
		} else if !x.defined(q.source) {
			x.pendingQuotes = append(x.pendingQuotes, q)
		}
	}
	if r := s.relFacts; r != nil && !x.checkRelFacts(r) {
		for _, src := range r.sources {
			if _, known := x.sources[src]; !known && !x.defined(src) {
				x.pendingRels = append(x.pendingRels, r.detached())
				return
			}
		}
	}
}

// finishFacts checks what waited for sources defined later.
func (x *Validator) finishFacts() {
	for _, q := range x.pendingQuotes {
		if src, known := x.sources[q.source]; known {
			x.checkQuote(q, src)
		}
	}
	for _, r := range x.pendingRels {
		x.checkRelFacts(r)
	}
	x.pendingQuotes, x.pendingRels = nil, nil
}

// checkQuote reports a quote that is not verbatim in its source's kept copy.
func (x *Validator) checkQuote(q quoteRef, src *srcFacts) {
	x.readCopy(src)
	if src.copy == nil || strings.Contains(src.copy.text, q.quote) {
		return
	}
	n := matchingPrefix(src.copy.text, q.quote)
	how := "no part of it is in the copy"
	if n > 0 {
		how = fmt.Sprintf("the copy has its start, \"%s\", but not what follows", quoted(q.quote[:n]))
	}
	x.errorf(q.pos, RuleQuoteVerbatim, "%s is not verbatim in %s, the copy of %s: %s; copy the text exactly, or give a note instead", q.field, src.copy.name, q.source, how)
}

// matchingPrefix returns the length in bytes of the longest start of quote, cut at a
// character, that text contains. Containing a start implies containing every shorter
// one, so the length is found by bisection.
func matchingPrefix(text, quote string) int {
	var cuts []int // byte offsets of the ends of quote's characters
	for i := range quote {
		if i > 0 {
			cuts = append(cuts, i)
		}
	}
	cuts = append(cuts, len(quote))
	lo, hi := 0, len(cuts) // cuts[:lo] are contained; cuts[hi:] are not
	for lo < hi {
		mid := (lo + hi) / 2
		if strings.Contains(text, quote[:cuts[mid]]) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return 0
	}
	return cuts[lo-1]
}

// checkRelFacts checks a relationship's confidence and start against its sources, and
// reports whether it could: false, with nothing reported, when an ID it cites is no
// source known yet (one that is no source at all is reported as unknown-source).
func (x *Validator) checkRelFacts(r *relFacts) bool {
	if len(r.sources) == 0 {
		return true
	}
	weak, dated := true, true
	var latest *srcFacts // the first of the latest published
	var latestID string
	for _, id := range r.sources {
		s, ok := x.sources[id]
		if !ok {
			return false
		}
		weak = weak && s.weak
		switch {
		case s.published.IsZero():
			dated = false // a source of unknown date may be later
		case latest == nil || s.published.After(latest.published):
			latest, latestID = s, id
		}
	}
	if r.high && weak {
		x.errorf(r.confPos, RuleHighConfidence, "confidence high, but every source cited (%s) is of %s reliability: rate it medium, or add evidence from a %s source", strings.Join(r.sources, ", "), strings.Join(x.vocab.Curation.WeakReliability, " or "), orList(x.vocab.Curation.strong()))
	}
	if !r.sinceDay.IsZero() && dated && r.sinceDay.After(latest.published) {
		x.report(r.sincePos, SeverityWarning, RuleSinceAfterSources, "since %s is later than every cited source's publication (the latest: %s, %s): they reported it before it began; correct since from the evidence, or cite a source of that day or later", r.since, latestID, latest.publishedText)
	}
	return true
}

// orList joins words as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// strong lists the reliabilities that can back confidence high.
func (c *Curation) strong() []string {
	var out []string
	for _, r := range Reliabilities {
		if !c.Weak(r) {
			out = append(out, r)
		}
	}
	return out
}
