// Package sources checks that the quotes in seed files are on the pages they cite: it
// fetches each source's page (or reads its file), extracts the page's text, normalises
// the text and each quote the same way, and reports every quote it does not find, at the
// quote's own line and column, as schema findings.
package sources

import (
	"strings"
	"unicode"
)

// Normalize is the one normalisation applied to a page's text and to a quote before the
// quote is looked for in the page:
//   - curly and other typographic quotes become straight ones (‘ ’ ‚ ‛ ′ → ', “ ” „ ‟ ″ → ");
//   - dashes and the minus sign (‐ ‑ ‒ – — ― −) become a hyphen-minus (-);
//   - the ellipsis character (…) becomes three dots;
//   - soft hyphens and zero-width characters are removed;
//   - every run of white space, non-breaking spaces included, becomes one space, and the
//     ends are trimmed.
//
// Case, punctuation and everything else are kept: a quote must be verbatim.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch r {
		case '\u2018', '\u2019', '\u201A', '\u201B', '\u2032':
			r = '\''
		case '\u201C', '\u201D', '\u201E', '\u201F', '\u2033':
			r = '"'
		case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
			r = '-'
		case '\u00AD', '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF':
			continue
		case '\u2026':
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString("...")
			continue
		}
		if unicode.IsSpace(r) || r == '\u00A0' || r == '\u202F' || r == '\u2007' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
