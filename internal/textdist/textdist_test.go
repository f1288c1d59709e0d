package textdist

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "abd", 1}, {"kitten", "sitting", 3},
		{"hamas", "hammas", 1}, {"us-nsc", "us-nsa", 1}, {"é", "e", 1}, {"", "abc", 3},
		{strings.Repeat("a", MaxRunes+1), "a", far},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"hamas", "israel", "egypt", "qatar", "us-nsc"}
	cases := map[string]string{"hamass": "hamas", "Isreal": "israel", "xyz": "", "us-nsa": "us-nsc", "iran": ""}
	for in, want := range cases {
		if got := Suggest(in, names); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestIndexAgreesWithSuggest: the BK-tree gives the scan's answer, on random IDs and
// random near misses of them.
func TestIndexAgreesWithSuggest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, 3+r.IntN(10))
		for i := range b {
			b[i] = "abcdefgh-"[r.IntN(9)]
		}
		return string(b)
	}
	var names []string
	var x Index
	for range 3000 {
		n := word()
		names = append(names, n)
		x.Add(n)
	}
	hits := 0
	for i := range 2000 {
		q := word()
		if i%2 == 0 { // a typo of a real name
			b := []byte(names[r.IntN(len(names))])
			b[r.IntN(len(b))] = 'z'
			q = string(b)
		}
		want, got := Suggest(q, names), x.Suggest(q)
		if got != want {
			t.Fatalf("Index.Suggest(%q) = %q, the scan says %q", q, got, want)
		}
		if got != "" {
			hits++
		}
	}
	if hits < 500 {
		t.Fatalf("only %d of 2000 queries had a suggestion: the test checks too little", hits)
	}
}

// BenchmarkIndexSuggest compares a lookup in a BK-tree of 50,000 IDs with a scan.
func BenchmarkIndexSuggest(b *testing.B) {
	var names []string
	var x Index
	for i := range 50_000 {
		n := fmt.Sprintf("node-%05d", i)
		names = append(names, n)
		x.Add(n)
	}
	b.Run("index", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			x.Suggest(fmt.Sprintf("zz-%d", i))
		}
	})
	b.Run("scan", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			Suggest(fmt.Sprintf("zz-%d", i), names)
		}
	})
}
