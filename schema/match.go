package schema

import "regexp"

// The formats of IDs, codes and dates: each a regular expression, which is the
// definition (the JSON Schema uses it as a pattern), and a hand-written matcher that
// the validator runs on every ID and date of a dataset, where the regexp engine was a
// measurable share of validation. TestMatchersAgreeWithPatterns holds the two together.
var (
	slugRe       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	qidRe        = regexp.MustCompile(`^Q[1-9][0-9]*$`)
	cameoActorRe = regexp.MustCompile(`^([A-Z]{3})+$`)
	cameoRe      = regexp.MustCompile(`^[0-9]{2,4}$`)
	dateRe       = regexp.MustCompile(`^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$`)
)

// isSlug reports whether s matches slugRe: ^[a-z0-9]+(-[a-z0-9]+)*$.
func isSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-':
			if s[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isDigits reports whether s is n to m ASCII digits.
func isDigits(s string, n, m int) bool {
	if len(s) < n || len(s) > m {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isCameoEvent reports whether s matches cameoRe: ^[0-9]{2,4}$.
func isCameoEvent(s string) bool { return isDigits(s, 2, 4) }

// isQID reports whether s matches qidRe: ^Q[1-9][0-9]*$.
func isQID(s string) bool {
	return len(s) >= 2 && s[0] == 'Q' && s[1] >= '1' && s[1] <= '9' && isDigits(s[1:], 1, len(s))
}

// isCameoActor reports whether s matches cameoActorRe: ^([A-Z]{3})+$.
func isCameoActor(s string) bool {
	if s == "" || len(s)%3 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// splitDate matches dateRe (^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$) and returns
// its year, month and day parts ("" when absent).
func splitDate(s string) (year, month, day string, ok bool) {
	switch {
	case len(s) == 4 && isDigits(s, 4, 4):
		return s, "", "", true
	case len(s) == 7 && s[4] == '-' && isDigits(s[:4], 4, 4) && isDigits(s[5:], 2, 2):
		return s[:4], s[5:], "", true
	case len(s) == 10 && s[4] == '-' && s[7] == '-' && isDigits(s[:4], 4, 4) && isDigits(s[5:7], 2, 2) && isDigits(s[8:], 2, 2):
		return s[:4], s[5:7], s[8:], true
	}
	return "", "", "", false
}
