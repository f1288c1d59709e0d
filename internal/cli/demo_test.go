package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/backchannel/backchannel/internal/neo4jtest"
)

// demoAnswerRe finds scripts/demo's answers: answer "HEADING" \ then the command's words.
var demoAnswerRe = regexp.MustCompile(`(?m)^answer "([^"]+)" \\\n\s+(.+)$`)

// TestDemoAnswersAreCompactTables runs scripts/demo's answers as it does, against the
// curated seeds: each must print a table (a header ruled with dashes), not JSON, fitting
// 100 columns but for URLs, and its heading must say how many paths it shows.
func TestDemoAnswersAreCompactTables(t *testing.T) {
	neo4jtest.Open(t)
	conn := connFlags(t)
	if code, _, errOut := runCLI(t, append(append([]string{}, conn...), "load")...); code != exitOK {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	demo, err := os.ReadFile("scripts/demo")
	if err != nil {
		t.Fatal(err)
	}
	answers := demoAnswerRe.FindAllStringSubmatch(string(demo), -1)
	if len(answers) < 2 {
		t.Fatalf("scripts/demo has %d answers: want its two", len(answers))
	}
	if strings.Contains(string(demo), "--format json") {
		t.Errorf("scripts/demo prints JSON")
	}
	for _, a := range answers {
		heading, words := a[1], shellWords(a[2])
		t.Run(words[2], func(t *testing.T) {
			code, out, errOut := runCLI(t, append(append([]string{}, conn...), words...)...)
			if code != exitOK {
				t.Fatalf("%s: exit %d: %s", a[2], code, errOut)
			}
			lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
			if len(lines) < 3 || !regexp.MustCompile(`^-+(  -+)*$`).MatchString(lines[1]) {
				t.Fatalf("%s prints no table:\n%s", a[2], out)
			}
			for _, l := range lines {
				if w := utf8.RuneCountInString(l); w > 100 && !strings.Contains(l, "://") {
					t.Errorf("a line of %d columns: %s", w, l)
				}
			}
			rows := 0
			for _, l := range lines[2:] {
				if l != "" && !strings.HasPrefix(l, " ") {
					rows++
				}
			}
			if strings.Contains(heading, "path ") && rows != 1 {
				t.Errorf("the heading %q names one path; the table has %d rows:\n%s", heading, rows, out)
			}
		})
	}
}
