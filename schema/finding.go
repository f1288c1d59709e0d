package schema

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a place in a seed file. Line and Col count from 1.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Severity of a finding. Warnings fail validation only in strict mode.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Finding is one problem in the seed files, located exactly.
type Finding struct {
	Pos
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Rule     string `json:"rule"`
}

// newFinding formats a finding's message. Messages quote input text, which may not be
// valid UTF-8 once YAML has decoded it (a %-escaped tag): invalid bytes become U+FFFD.
func newFinding(pos Pos, severity, rule, format string, args ...any) Finding {
	return Finding{Pos: pos, Severity: severity, Message: strings.ToValidUTF8(fmt.Sprintf(format, args...), "\uFFFD"), Rule: rule}
}

// maxQuoted is how many characters of an input value a message quotes.
const maxQuoted = 80

// quoted cuts an input value for a message to maxQuoted characters, saying how long it
// was: a 50 MB value must not become a 50 MB line.
func quoted(s string) string {
	n := 0
	for i := range s {
		if n == maxQuoted {
			return fmt.Sprintf("%s… (%d bytes)", s[:i], len(s))
		}
		n++
	}
	return s
}

// String formats the finding compiler-style: file:line:col: severity: message [rule].
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", f.Pos, f.Severity, f.Message, f.Rule)
}

// SortFindings orders findings by file, line, column, then message.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Message, b.Message))
	})
}

// Rules lists every rule, in the order of the constants below (TestRulesListsEveryRule
// keeps the two together).
var Rules = []string{
	RuleYAML, RuleIO, RuleFileSize, RuleDuplicateKey, RuleUnknownField, RuleType, RuleRequired,
	RuleEnum, RuleIDFormat, RuleDuplicateID, RuleUnknownRef, RuleUnknownSource, RuleEndpoint,
	RuleSelf, RuleDate, RuleDateOrder, RuleEvidence, RuleEmptyQuote, RuleFieldForKind,
	RuleFormat, RuleLength, RuleActEnd, RuleHighConfidence, RuleSourceFile, RuleQuoteVerbatim,
	RuleWikidata, RuleUnusedSource, RuleSinceAfterSources, RuleCovers, RuleTooMany, RuleWatchQuery,
}

// Rule names, printed in brackets after each finding.
const (
	RuleYAML          = "yaml"           // not valid YAML, or YAML features seed files don't allow
	RuleIO            = "io"             // a file that can't be read
	RuleFileSize      = "file-size"      // a file over the size limit
	RuleDuplicateKey  = "duplicate-key"  // the same key twice in one mapping
	RuleUnknownField  = "unknown-field"  // a key the record shape doesn't have
	RuleType          = "type"           // a value of the wrong YAML type
	RuleRequired      = "required"       // a required field missing or empty
	RuleEnum          = "enum"           // a value outside its enumeration
	RuleIDFormat      = "id-format"      // an ID that is not a lowercase slug
	RuleDuplicateID   = "duplicate-id"   // an ID defined twice
	RuleUnknownRef    = "unknown-ref"    // from/to naming no node
	RuleUnknownSource = "unknown-source" // evidence citing no source
	RuleEndpoint      = "endpoint-kind"  // from/to of a kind the type doesn't allow
	RuleSelf          = "self-relationship"
	RuleDate          = "date"           // an impossible or malformed date
	RuleDateOrder     = "date-order"     // since after until, date after end
	RuleEvidence      = "evidence"       // no evidence, or an entry with neither quote nor note
	RuleEmptyQuote    = "empty-quote"    // a quote that is blank
	RuleFieldForKind  = "field-for-kind" // a field the node's kind doesn't use
	RuleFormat        = "format"         // a malformed URL, QID, CAMEO code, language tag
	RuleLength        = "length"         // a value too long
	// The curation rules (seeds/README.md), checked across records:
	RuleActEnd            = "act-end"             // an act (vocabulary `act`, or the record's) without until
	RuleHighConfidence    = "high-confidence"     // confidence high on sources of weak reliability only
	RuleSourceFile        = "source-file"         // a source's kept copy (file:) that can't be read
	RuleQuoteVerbatim     = "quote-verbatim"      // a quote not verbatim in the source's kept copy
	RuleWikidata          = "wikidata-missing"    // warning: an actor or place without a QID
	RuleUnusedSource      = "unused-source"       // warning: a source nothing cites
	RuleSinceAfterSources = "since-after-sources" // warning: since later than every cited source's publication
	RuleCovers            = "covers"              // two files of a dataset declaring different spans (covers:)
	RuleTooMany           = "too-many"            // a file with so many problems that reading it stopped
	// RuleWatchQuery: a watch entry naming no stored query, or parameters its query
	// refuses; checked where the queries are known (validate's command, --answers), not
	// by this package, which knows no query.
	RuleWatchQuery = "watch-query"
)
