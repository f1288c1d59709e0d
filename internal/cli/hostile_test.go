package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
)

// hostileStrings are values meant to break quoting, Cypher, Lucene, terminals or
// lengths. None holds NUL, which seed files may not contain.
var hostileStrings = []string{
	`it's "quoted" and 'single'`,
	"back`tick` `} DETACH DELETE n //",
	"'}) MATCH (m) DETACH DELETE m RETURN 1 //",
	"$relationship $param {x} \\u0041 \\\\ \\n",
	"MATCH (n) DETACH DELETE n; DROP CONSTRAINT actor_id",
	"line one\nline two\r\nline three\ttab",
	"lucene: name:* OR alias~ AND \"phrase\" [a TO z] ^2 ?*",
	"emoji 🕊\ufe0f, ZWJ 👩\u200d👩\u200d👧, RTL حماس \u200fوقطر\u200f עברית, \u202eevil",
	strings.Repeat("long, ", 48) + "end", // 291 bytes (297 as an alias): the shortest limit is 300
}

// TestHostileStringsThroughTheCLI loads a dataset whose every string field holds hostile
// text, beside the curated seeds, through the CLI; the values come back verbatim through
// query run, hostile query parameters are answered or refused cleanly, and the seeds'
// graph is unchanged (issue 11, item 4).
func TestHostileStringsThroughTheCLI(t *testing.T) {
	db := neo4jtest.Open(t)
	conn := connFlags(t)
	bc := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, append(append([]string{}, conn...), args...)...)
	}
	if code, _, errOut := bc("load"); code != exitOK {
		t.Fatalf("load the seeds: exit %d: %s", code, errOut)
	}
	before := seedsChecksum(t, db)

	dir := t.TempDir()
	var b strings.Builder
	q := func(s string) string { return fmt.Sprintf("%q", s) } // a YAML double-quoted string
	dataset := "hostile`set'} // \"x\""
	fmt.Fprintf(&b, "dataset: %s\nsources:\n", q(dataset))
	for i, h := range hostileStrings {
		fmt.Fprintf(&b, "  - {id: hs%d, publisher: %s, title: %s, author: %s, note: %s, url: \"https://example.org/%d\", published: 2025, reliability: low}\n", i, q(h), q(h), q(h), q(h), i)
	}
	b.WriteString("nodes:\n")
	for i, h := range hostileStrings {
		fmt.Fprintf(&b, "  - {id: hn%d, kind: Person, name: %s, aliases: [%s], title: %s, description: %s, wikidata: none, evidence: [{source: hs%d, quote: %s, note: %s}]}\n", i, q(h), q(h+" alias"), q(h), q(h), i, q(h), q(h))
	}
	b.WriteString("relationships:\n")
	for i, h := range hostileStrings {
		fmt.Fprintf(&b, "  - {id: hr%d, type: CONSULTS, from: hn%d, to: hn%d, confidence: low, description: %s, evidence: [{source: hs%d, quote: %s, note: %s}]}\n", i, i, (i+1)%len(hostileStrings), q(h), i, q(h), q(h))
	}
	if err := os.WriteFile(filepath.Join(dir, "hostile.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := bc("load", dir)
	if code != exitOK || !strings.Contains(out, "Loaded dataset ") {
		t.Fatalf("load the hostile dataset: exit %d\n%s%s", code, out, errOut)
	}
	// The summary wraps at 100 columns: compare its words.
	if code, out, errOut := bc("load", dir); code != exitOK || !strings.Contains(strings.Join(strings.Fields(out), " "), "nothing to write") {
		t.Errorf("reload of the hostile dataset: exit %d\n%s%s", code, out, errOut)
	}

	t.Run("every value comes back verbatim through query run", func(t *testing.T) {
		for i, h := range hostileStrings {
			code, out, errOut := bc("query", "run", "evidence", "--param", fmt.Sprintf("relationship=hr%d", i), "--format", "json")
			var rows []map[string]any
			if code != exitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 1 {
				t.Fatalf("hr%d: exit %d, %d rows\n%s%s", i, code, len(rows), out, errOut)
			}
			for _, col := range []string{"publisher", "title", "quote", "note"} {
				if rows[0][col] != h {
					t.Errorf("hr%d: %s = %q, want %q", i, col, rows[0][col], h)
				}
			}
		}
	})

	t.Run("hostile actor parameters are resolved or refused, never run as code", func(t *testing.T) {
		for i, h := range hostileStrings {
			// by name: resolved to the node, or refused as ambiguous (names share words)
			code, _, errOut := bc("query", "run", "timeline", "--param", "actor="+h, "--format", "json")
			if code != exitOK && !(code == exitUsage && strings.Contains(errOut, "is ambiguous")) {
				t.Errorf("actor = hostile name %d: exit %d: %s", i, code, errOut)
			}
			// an unknown actor: a usage error naming the value, one line
			code, _, errOut = bc("query", "run", "timeline", "--param", "actor=zz "+h+" qq")
			if code != exitUsage || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "no actor has the ID, name or alias") && !strings.Contains(errOut, "is ambiguous") {
				t.Errorf("unknown hostile actor %d: exit %d: %q", i, code, errOut)
			}
		}
	})

	if after := seedsChecksum(t, db); after != before {
		t.Errorf("the seeds' graph changed: %s -> %s", before, after)
	}
}

// seedsChecksum sums the seeds dataset's nodes and relationships, all their properties
// included, and the schema, so that any change to them shows.
func seedsChecksum(t *testing.T, db interface {
	Session(context.Context, neo4j.AccessMode) neo4j.SessionWithContext
}) string {
	t.Helper()
	ctx := context.Background()
	s := db.Session(ctx, neo4j.AccessModeRead)
	defer s.Close(ctx)
	var parts []string
	for _, cypher := range []string{
		"MATCH (n {dataset: 'seeds'}) WITH n ORDER BY n.id, labels(n) RETURN count(n) AS c, collect([labels(n), properties(n)]) AS all",
		"MATCH ()-[r {dataset: 'seeds'}]->() WITH r ORDER BY type(r), r.id RETURN count(r) AS c, collect([type(r), startNode(r).id, endNode(r).id, properties(r)]) AS all",
		"SHOW CONSTRAINTS YIELD name RETURN count(*) AS c, collect(name) AS all",
	} {
		res, err := s.Run(ctx, cypher, nil)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := res.Single(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c, _, err := neo4j.GetRecordValue[int64](rec, "c")
		if err != nil {
			t.Fatal(err)
		}
		all, _ := rec.Get("all")
		parts = append(parts, fmt.Sprintf("%d:%x", c, fmt.Sprint(all)))
	}
	return strings.Join(parts, " ")
}
