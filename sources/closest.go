package sources

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

func hashText(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Closest returns the passage of the (normalised) text most like the (normalised) quote:
// of the runs of as many words as the quote has, the one sharing the most words with it
// (the first such). It returns "" when no passage shares a word with the quote.
func Closest(text, quote string) string {
	words := strings.Fields(text)
	want := strings.Fields(quote)
	n := len(want)
	if len(words) == 0 || n == 0 {
		return ""
	}
	n = min(n, len(words))
	need := map[string]int{}
	for _, w := range want {
		need[key(w)]++
	}
	have := map[string]int{}
	shared := 0
	addWord := func(w string, d int) {
		k := key(w)
		before := min(have[k], need[k])
		have[k] += d
		shared += min(have[k], need[k]) - before
	}
	for _, w := range words[:n] {
		addWord(w, 1)
	}
	best, at := shared, 0
	for i := n; i < len(words); i++ {
		addWord(words[i], 1)
		addWord(words[i-n], -1)
		if shared > best {
			best, at = shared, i-n+1
		}
	}
	if best == 0 {
		return ""
	}
	return strings.Join(words[at:at+n], " ")
}

// key is a word as Closest compares it: lower case, without surrounding punctuation.
func key(w string) string {
	return strings.ToLower(strings.Trim(w, ".,;:!?\"'()[]-"))
}
