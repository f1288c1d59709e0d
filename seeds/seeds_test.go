package seeds_test

import (
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// The seven actors whose influence on each other the dataset exists to trace.
var seven = []string{"usa", "israel", "hamas", "egypt", "qatar", "iran", "houthis"}

func records(t *testing.T) []schema.Record {
	t.Helper()
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	var out []schema.Record
	fs, err := schema.Walk(in, func(r schema.Record) error { out = append(out, r); return nil })
	if err != nil || len(fs) > 0 {
		t.Fatalf("parsing the seeds: %v %v", err, fs)
	}
	return out
}

func TestSeedsAreStrictlyValid(t *testing.T) {
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range schema.Validate(in, schema.Default()) {
		t.Error(f)
	}
}

// TestQuotesAreVerbatim: every quote citing a source kept in sources/ (the article)
// appears in it exactly.
func TestQuotesAreVerbatim(t *testing.T) {
	recs := records(t)
	files := map[string]string{} // source id -> text of its copy
	for _, r := range recs {
		if r.Source != nil && r.Source.File != "" {
			b, err := fs.ReadFile(seeds.FS, r.Source.File)
			if err != nil {
				t.Fatalf("source %s: %v", r.Source.ID, err)
			}
			files[r.Source.ID] = string(b)
		}
	}
	if files["src-article"] == "" {
		t.Fatal("the article (src-article) has no copy in seeds/sources")
	}
	checked := 0
	for _, r := range recs {
		var ev []schema.Evidence
		switch {
		case r.Node != nil:
			ev = r.Node.Evidence
		case r.Relationship != nil:
			ev = r.Relationship.Evidence
		}
		for i, e := range ev {
			text, ok := files[e.Source]
			if !ok || e.Quote == "" {
				continue
			}
			checked++
			if !strings.Contains(text, e.Quote) {
				t.Errorf("%s: evidence[%d] quote is not in %s verbatim: %q", r.Pos.At(fmt.Sprintf("evidence[%d].quote", i)), i, e.Source, e.Quote)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d quotes cite the article; the dataset should carry every statement of it", checked)
	}
}

// TestInfluencePathsBetweenTheSeven: every ordered pair of the seven actors is joined by
// an influence path of at most 4 hops over the parsed data, following the same rules
// as the path queries: influence types between actors, directed ones from->to only,
// symmetric ones both ways.
func TestInfluencePathsBetweenTheSeven(t *testing.T) {
	v := schema.Default()
	next := map[string][]string{}
	for _, r := range records(t) {
		rel := r.Relationship
		if rel == nil {
			continue
		}
		typ := v.Type(rel.Type)
		if typ == nil || !typ.ActorInfluence(v) {
			continue
		}
		next[rel.From] = append(next[rel.From], rel.To)
		if typ.Symmetric {
			next[rel.To] = append(next[rel.To], rel.From)
		}
	}
	hops := func(from, to string) int {
		dist := map[string]int{from: 0}
		queue := []string{from}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, m := range next[n] {
				if _, seen := dist[m]; !seen {
					dist[m] = dist[n] + 1
					if m == to {
						return dist[m]
					}
					queue = append(queue, m)
				}
			}
		}
		return -1
	}
	for _, a := range seven {
		for _, b := range seven {
			if a == b {
				continue
			}
			if h := hops(a, b); h < 1 || h > 4 {
				t.Errorf("%s -> %s: shortest influence path has %d hops, want 1..4 (-1: none)", a, b, h)
			}
		}
	}
}

var lineCellRe = regexp.MustCompile(`^\| ([0-9][0-9,–\- ]*) \|`)

// TestTraceabilityCoversTheArticle: seeds/README.md's table names, for every non-empty
// line of the article, the records that carry it (or why none do).
func TestTraceabilityCoversTheArticle(t *testing.T) {
	article, err := fs.ReadFile(seeds.FS, "sources/2025-06-02-hamas-us-direct-ceasefire-talks.txt")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := fs.ReadFile(seeds.FS, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[int]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		m := lineCellRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, part := range strings.Split(m[1], ",") {
			part = strings.TrimSpace(part)
			lo, hi, isRange := strings.Cut(strings.ReplaceAll(part, "–", "-"), "-")
			a, err1 := strconv.Atoi(strings.TrimSpace(lo))
			b := a
			var err2 error
			if isRange {
				b, err2 = strconv.Atoi(strings.TrimSpace(hi))
			}
			if err1 != nil || err2 != nil {
				t.Fatalf("README table: bad line cell %q", m[1])
			}
			for i := a; i <= b; i++ {
				covered[i] = true
			}
		}
	}
	for i, line := range strings.Split(string(article), "\n") {
		if strings.TrimSpace(line) != "" && !covered[i+1] {
			t.Errorf("article line %d is not in the traceability table: %.60q", i+1, line)
		}
	}
}

// TestREADMEExampleIsValid: the example file in seeds/README.md validates on its own.
func TestREADMEExampleIsValid(t *testing.T) {
	readme, err := fs.ReadFile(seeds.FS, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "```yaml\n")
	example, _, closed := strings.Cut(rest, "```")
	if !ok || !closed {
		t.Fatal("seeds/README.md has no ```yaml example")
	}
	in := []schema.Input{{Name: "README.md example", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(example)), nil
	}}}
	for _, f := range schema.Validate(in, schema.Default()) {
		if f.Severity == schema.SeverityError {
			t.Error(f)
		}
	}
	if !strings.Contains(example, "relationships:") || !strings.Contains(example, "nodes:") || !strings.Contains(example, "sources:") {
		t.Error("the example should show a source, nodes and a relationship")
	}
}
