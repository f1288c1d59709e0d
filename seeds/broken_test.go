package seeds_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// copySeeds writes the embedded seeds (and the kept source copies) into a folder.
func copySeeds(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(seeds.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(seeds.FS, p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// editLine replaces line n (from 1) of a file with repl; repl == nil deletes it.
func editLine(t *testing.T, file string, n int, repl func(string) string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if repl == nil {
		lines = append(lines[:n-1], lines[n:]...)
	} else {
		lines[n-1] = repl(lines[n-1])
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// local is the file of a position in the embedded seeds, in the copy in dir.
func local(dir string, p schema.Pos) string {
	return filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p.File, "seeds/")))
}

// TestBrokenCopiesFire: each curation rule of validate fires on a copy of the seeds
// broken the way the rule forbids, at the broken record, and nothing else fires (the
// seeds themselves are clean under --strict: TestSeedsAreStrictlyValid).
func TestBrokenCopiesFire(t *testing.T) {
	v := schema.Default()
	recs := records(t)
	sources := map[string]*schema.Source{}
	for _, r := range recs {
		if r.Source != nil {
			sources[r.Source.ID] = r.Source
		}
	}
	// find returns the first relationship for which ok holds.
	find := func(ok func(*schema.Relationship) bool) schema.Record {
		for _, r := range recs {
			if r.Relationship != nil && ok(r.Relationship) {
				return r
			}
		}
		t.Fatal("no relationship of the seeds fits the break")
		return schema.Record{}
	}
	allLow := func(r *schema.Relationship) bool {
		for _, e := range r.Evidence {
			if s := sources[e.Source]; s == nil || s.Reliability != "low" {
				return false
			}
		}
		return true
	}
	cases := []struct {
		rule   string
		break_ func(dir string) schema.Pos // breaks the copy, returns where the finding must be
	}{
		{schema.RuleActEnd, func(dir string) schema.Pos {
			// a one-day act loses its end
			r := find(func(r *schema.Relationship) bool {
				t := v.Type(r.Type)
				return t != nil && t.Act && r.Act == nil && !r.Since.IsZero() && r.Until == r.Since
			})
			editLine(t, local(dir, r.Pos.At("until")), r.Pos.At("until").Line, nil)
			return r.Pos.At("since")
		}},
		{schema.RuleHighConfidence, func(dir string) schema.Pos {
			// a fact resting on low-reliability sources only is rated high
			r := find(func(r *schema.Relationship) bool { return r.Confidence == "medium" && allLow(r) })
			p := r.Pos.At("confidence")
			editLine(t, local(dir, p), p.Line, func(s string) string { return strings.Replace(s, "medium", "high", 1) })
			return p
		}},
		{schema.RuleQuoteVerbatim, func(dir string) schema.Pos {
			// a quote of the article, which is kept in sources/, loses a letter
			r := find(func(r *schema.Relationship) bool {
				return len(r.Evidence) > 0 && r.Evidence[0].Source == "src-article" && strings.Contains(r.Evidence[0].Quote, "Hamas")
			})
			p := r.Pos.At("evidence[0].quote")
			editLine(t, local(dir, p), p.Line, func(s string) string { return strings.Replace(s, "Hamas", "Hamaz", 1) })
			return p
		}},
		{schema.RuleSourceFile, func(dir string) schema.Pos {
			// the article's copy is gone
			var p schema.Pos
			for _, r := range recs {
				if r.Source != nil && r.Source.ID == "src-article" {
					p = r.Pos.At("file")
					if err := os.Remove(filepath.Join(dir, r.Source.File)); err != nil {
						t.Fatal(err)
					}
				}
			}
			return p
		}},
		{schema.RuleSinceAfterSources, func(dir string) schema.Pos {
			// a relationship starts after every source reporting it appeared
			r := find(func(r *schema.Relationship) bool {
				t := v.Type(r.Type)
				return !r.Since.IsZero() && r.Until.IsZero() && t != nil && !t.Act
			})
			p := r.Pos.At("since")
			editLine(t, local(dir, p), p.Line, func(s string) string {
				return s[:strings.Index(s, "since:")] + `since: "2026-12-01"`
			})
			return p
		}},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			dir := copySeeds(t)
			at := c.break_(dir)
			at.File = local(dir, at)
			got := schema.Validate(schema.PathInputs([]string{dir}), v)
			if len(got) != 1 || got[0].Rule != c.rule || got[0].Pos != at {
				t.Fatalf("want one %s finding at %s, got:\n%v", c.rule, at, got)
			}
			t.Log(got[0])
		})
	}
}
