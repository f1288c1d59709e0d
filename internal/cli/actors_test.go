package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries/querytest"
)

func TestActorsAndCypher(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadSeeds(t, db)
	conn := connFlags(t)
	bc := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, append(append([]string{}, conn...), args...)...)
	}

	t.Run("actors lists ID, kind, name and aliases in 100 columns", func(t *testing.T) {
		code, out, errOut := bc("actors")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, l := range strings.Split(out, "\n") {
			if w := utf8.RuneCountInString(l); w > 100 {
				t.Errorf("a line of %d columns: %q", w, l)
			}
		}
		for _, want := range []string{
			"id                       kind                           names\n",
			"donald-trump             Person                         Donald Trump\n                                                        aka Donald J. Trump\n",
			"houthis                  NonStateArmedGroup             Houthis\n                                                        aka Ansar Allah\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("actors lacks %q:\n%s", want, out)
			}
		}
		if !strings.HasSuffix(errOut, " rows\n") {
			t.Errorf("stderr %q, want the row count", errOut)
		}
	})

	t.Run("actors as JSON, the row count on stderr", func(t *testing.T) {
		code, out, errOut := bc("actors", "--format", "json")
		var rows []struct {
			ID, Name, Kind string
			Aliases        []string
		}
		if code != exitOK || json.Unmarshal([]byte(out), &rows) != nil {
			t.Fatalf("exit %d, %s: %s", code, errOut, out)
		}
		found := false
		for _, r := range rows {
			found = found || r.ID == "usa" && r.Name == "United States" && r.Kind == "State" && strings.Contains(strings.Join(r.Aliases, ","), "US")
		}
		if !found || errOut == "" || !strings.HasSuffix(errOut, " rows\n") {
			t.Errorf("no usa row, or no row count (stderr %q):\n%s", errOut, out)
		}
	})

	t.Run("cypher reads, and writes only with --write", func(t *testing.T) {
		code, out, errOut := bc("cypher", "MATCH (a:Actor {id: 'qatar'}) RETURN a.name AS name")
		if code != exitOK || out != "name\n-----\nQatar\n" || errOut != "1 row\n" {
			t.Errorf("read: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		code, _, errOut = bc("cypher", "CREATE (x:Scratch) RETURN x")
		if code != exitFailure || errOut != "backchannel: cypher: the statement writes, and runs read-only: add --write to let it\n" {
			t.Errorf("a write without --write: exit %d, stderr %q", code, errOut)
		}
		if code, out, errOut := bc("cypher", "--write", "CREATE (x:Scratch {n: 7}) RETURN x.n AS n"); code != exitOK || out != "n\n-\n7\n" {
			t.Errorf("--write: exit %d, stdout %q, stderr %q", code, out, errOut)
		}
		if code, out, _ := bc("cypher", "MATCH (x:Scratch) RETURN count(x) AS n"); code != exitOK || out != "n\n-\n1\n" {
			t.Errorf("after the writes: exit %d, %q; want the one --write created", code, out)
		}
	})
}
