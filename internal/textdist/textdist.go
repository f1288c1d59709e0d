// Package textdist finds near misses among names: the edit distance between two
// strings, the closest of a few candidates (Suggest), and an index (a BK-tree) that
// answers the same question over many names without comparing against each one.
package textdist

import (
	"strings"
	"unicode/utf8"
)

// MaxRunes bounds the strings compared: longer ones are reported as very far apart,
// which keeps the cost bounded on hostile input.
const MaxRunes = 200

// far is the distance reported for strings over MaxRunes.
const far = 1 << 30

// Distance is the Levenshtein distance between a and b, in runes, or a very large
// number when either is over MaxRunes runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > MaxRunes || len(rb) > MaxRunes {
		return far
	}
	return runeDistance(ra, rb, make([]int, 2*(len(rb)+1)))
}

// runeDistance computes the distance with two rows taken from buf (len >= 2*(len(b)+1)).
func runeDistance(a, b []rune, buf []int) int {
	prev, cur := buf[:len(b)+1], buf[len(b)+1:2*(len(b)+1)]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Limit is how far a near miss of s may be: a third of its length, at least 2.
func Limit(s string) int { return max(2, utf8.RuneCountInString(s)/3) }

// Suggest returns the candidate closest to s (ignoring case) when it is a near miss,
// else "". Ties go to the candidate that sorts first. It compares s with every
// candidate: for a handful of names (fields, kinds, query names); an Index answers
// the same over many.
func Suggest(s string, candidates []string) string {
	best, bestD := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := Distance(ls, strings.ToLower(c))
		if bestD < 0 || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if !nearMiss(s, bestD) {
		return ""
	}
	return best
}

// nearMiss reports whether a best distance d is close enough to suggest, and not a
// complete rewrite of s.
func nearMiss(s string, d int) bool {
	return d >= 0 && d <= Limit(s) && d != utf8.RuneCountInString(s)
}

// Index is a BK-tree over names: Suggest visits only the subtrees whose distance to
// the query can be within the limit (the triangle inequality), not every name. Build
// it once the names are known; it is not safe for concurrent Add.
type Index struct {
	root *bkNode
	buf  []int
	size int
}

type bkNode struct {
	name     string // as added
	key      []rune // lower-cased
	children map[int]*bkNode
}

// Add adds a name. Names over MaxRunes runes are not indexed (they can't be near misses).
func (x *Index) Add(name string) {
	key := []rune(strings.ToLower(name))
	if len(key) > MaxRunes {
		return
	}
	n := &bkNode{name: name, key: key}
	x.size++
	if x.root == nil {
		x.root = n
		return
	}
	for cur := x.root; ; {
		d := x.dist(key, cur.key)
		if d == 0 && cur.name == name {
			x.size--
			return // already there
		}
		next, ok := cur.children[d]
		if !ok {
			if cur.children == nil {
				cur.children = map[int]*bkNode{}
			}
			cur.children[d] = n
			return
		}
		cur = next
	}
}

// Len returns the number of names indexed.
func (x *Index) Len() int { return x.size }

func (x *Index) dist(a, b []rune) int {
	if need := 2 * (len(b) + 1); cap(x.buf) < need {
		x.buf = make([]int, need)
	}
	return runeDistance(a, b, x.buf)
}

// Suggest returns the indexed name closest to s when it is a near miss, else "", with
// the same answer as the package's Suggest over the same names.
func (x *Index) Suggest(s string) string {
	key := []rune(strings.ToLower(s))
	if x.root == nil || len(key) > MaxRunes {
		return ""
	}
	limit := Limit(s)
	best, bestD := "", -1
	stack := []*bkNode{x.root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		d := x.dist(key, n.key)
		if d <= limit && (bestD < 0 || d < bestD || (d == bestD && n.name < best)) {
			best, bestD = n.name, d
		}
		r := limit
		if bestD >= 0 {
			r = bestD // nothing farther than the best so far can win
		}
		for cd, c := range n.children {
			if cd >= d-r && cd <= d+r {
				stack = append(stack, c)
			}
		}
	}
	if !nearMiss(s, bestD) {
		return ""
	}
	return best
}
