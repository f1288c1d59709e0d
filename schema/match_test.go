package schema

import (
	"regexp"
	"testing"
)

func FuzzMatchersAgreeWithPatterns(f *testing.F) {
	for _, s := range []string{"", "a", "us-nsc", "-a", "a-", "a--b", "A", "Q30", "Q0", "Q", "046", "0", "12345",
		"USA", "PSEREBHMS", "US", "2025", "2025-05", "2025-05-15", "2025-5", "20250515", "2025-05-1x", "Q1a", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(name string, re *regexp.Regexp, got bool) {
			if want := re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v, but the pattern %s says %v", name, s, got, re, want)
			}
		}
		check("isSlug", slugRe, isSlug(s))
		check("isQID", qidRe, isQID(s))
		check("isCameoEvent", cameoRe, isCameoEvent(s))
		check("isCameoActor", cameoActorRe, isCameoActor(s))
		_, _, _, ok := splitDate(s)
		check("splitDate", dateRe, ok)
	})
}
