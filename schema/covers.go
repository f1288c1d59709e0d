package schema

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// CoversKey is the top-level key that declares the span of days a dataset is curated
// for, beside its name: `covers: 2025-01-15/2025-06-02`, an ISO 8601 interval of two
// dates (partial dates allowed: 2025-01/2025-06 runs from 1 January to 30 June). What
// the graph says of a day outside it may be incomplete: query run says so.
const CoversKey = "covers"

// SpanPattern is a covers value's form, as the JSON Schema states it.
const SpanPattern = `^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$`

var spanShape = regexp.MustCompile(SpanPattern)

// Span is the span of days a dataset is curated for: From's first day to Until's last.
type Span struct {
	From, Until Date
	Pos         Pos // where it is declared
}

// String writes the span as it is declared, FROM/UNTIL.
func (s Span) String() string { return s.From.Text + "/" + s.Until.Text }

// Days returns the first and the last day of the span.
func (s Span) Days() (first, last time.Time) {
	_, first, _, _ = s.From.Parse()
	_, _, last, _ = s.Until.Parse()
	return first, last
}

// Contains reports whether the day lies in the span.
func (s Span) Contains(day time.Time) bool {
	first, last := s.Days()
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	return !d.Before(first) && !d.After(last)
}

// ParseSpan reads a covers value, FROM/UNTIL, and says what is wrong with it: the
// returned rule is RuleFormat, RuleDate or RuleDateOrder.
func ParseSpan(text string) (Span, string, error) {
	if !spanShape.MatchString(text) {
		return Span{}, RuleFormat, fmt.Errorf("%s %q: want FROM/UNTIL, two dates (YYYY, YYYY-MM or YYYY-MM-DD), e.g. %s: 2025-01-15/2025-06-02", CoversKey, quoted(text), CoversKey)
	}
	from, until, _ := strings.Cut(text, "/")
	s := Span{From: Date{Text: from}, Until: Date{Text: until}}
	_, first, _, err := s.From.Parse()
	if err != nil {
		return Span{}, RuleDate, fmt.Errorf("%s from: %w", CoversKey, err)
	}
	_, _, last, err := s.Until.Parse()
	if err != nil {
		return Span{}, RuleDate, fmt.Errorf("%s until: %w", CoversKey, err)
	}
	if first.After(last) {
		return Span{}, RuleDateOrder, fmt.Errorf("%s %s: it starts after it ends; write the earlier day first", CoversKey, text)
	}
	return s, "", nil
}

// coversEntry checks the value of a top-level covers key and hands a good span on.
func (p *parser) coversEntry(v *yaml.Node) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
		p.report(p.pos(v), RuleType, "%s: want the span the dataset is curated for, FROM/UNTIL (e.g. 2025-01-15/2025-06-02), got %s", CoversKey, describe(v))
		return
	}
	s, rule, err := ParseSpan(v.Value)
	if err != nil {
		p.report(p.pos(v), rule, "%s", err.Error())
		return
	}
	s.Pos = p.pos(v)
	if p.covers != nil {
		p.covers(s)
	}
}

// addSpan takes a span a file declares: the first one read (in input order) is the
// dataset's; another file may repeat it, not declare another.
func (x *Validator) addSpan(s Span) {
	if x.span == nil {
		x.span = &s
		return
	}
	if s.String() != x.span.String() {
		x.errorf(s.Pos, RuleCovers, "%s %s, but %s says %s: a dataset covers one span; declare it once, or the same in every file", CoversKey, s, x.span.Pos, x.span)
	}
}
