package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/queries/querytest"
)

// TestQueryRunOutsideTheSpan: over the loaded seeds (covers: 2025-01-15/2025-06-02), a
// query asked about a day outside that span prints one warning line on stderr naming
// the day and the span, and exits as it would without it; JSON keeps stdout the answer
// alone; a day inside the span, and a query without a date, print no warning.
func TestQueryRunOutsideTheSpan(t *testing.T) {
	db := neo4jtest.Open(t)
	querytest.LoadSeeds(t, db)
	conn := connFlags(t)
	queryRun := func(args ...string) (int, string, string) {
		t.Helper()
		return runCLI(t, append(append(append([]string{}, conn...), "query", "run"), args...)...)
	}
	const warning = "backchannel: warning: %s is outside 2025-01-15 to 2025-06-02, the span dataset \"seeds\" is curated for: the answer may be incomplete\n"
	outside := []struct{ name, param, day string }{
		{"as-of", "date", "2025-07-01"},
		{"as-of", "date", "2025-01-14"},
		{"influence-paths", "asOf", "2024-12-31"},
	}
	for _, tc := range outside {
		t.Run(tc.name+" "+tc.day, func(t *testing.T) {
			code, out, errOut := queryRun(tc.name, "--param", tc.param+"="+tc.day)
			if code != exitOK || out == "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			lines := strings.SplitAfter(errOut, "\n")
			want := strings.Replace(warning, "%s", tc.param+" "+tc.day, 1)
			if len(lines) != 3 || !strings.HasSuffix(lines[0], " rows\n") && !strings.HasSuffix(lines[0], " row\n") || lines[1] != want {
				t.Errorf("stderr %q, want the row count and then %q", errOut, want)
			}
		})
	}
	t.Run("json keeps stdout clean", func(t *testing.T) {
		code, out, errOut := queryRun("as-of", "--format", "json", "--param", "date=2025-07-01")
		var rows []map[string]any
		if code != exitOK || json.Unmarshal([]byte(out), &rows) != nil || len(rows) == 0 {
			t.Fatalf("exit %d, stdout is not the JSON answer: %s", code, out)
		}
		if !strings.Contains(errOut, strings.Replace(warning, "%s", "date 2025-07-01", 1)) {
			t.Errorf("stderr %q lacks the warning", errOut)
		}
	})
	for _, args := range [][]string{
		{"as-of", "--param", "date=2025-01-15"},
		{"as-of", "--param", "date=2025-06-02"},
		{"as-of"}, // the default day, 2025-06-02
		{"timeline", "--param", "actor=hamas"},
	} {
		t.Run("no warning: "+strings.Join(args, " "), func(t *testing.T) {
			code, _, errOut := queryRun(args...)
			if code != exitOK || strings.Contains(errOut, "warning") || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
		})
	}
}
