package schema

import "testing"

func TestQuoteEscapesBackticks(t *testing.T) {
	for in, want := range map[string]string{"plain": "`plain`", "a`b": "`a``b`", "``": "``````"} {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
	}
}
