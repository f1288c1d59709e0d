package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
)

// readmeSkipped are the README's commands this test does not run, with why; every other
// line of a ```sh block must be a backchannel command, and runs.
var readmeSkipped = map[string]string{
	"scripts/demo":                           "starts a server of its own (run by hand and by the demo's users)",
	"scripts/test":                           "is what runs this test",
	"apt-get":                                "installs system packages (.ci/run does, on CI)",
	"command -v node":                        "installs system packages only where Node.js is missing (.ci/run does)",
	"NEO4J_VERSION=":                         "starts a second server of another version (.ci/run runs the suite on it)",
	"cypher-shell":                           "not part of this project",
	"ssh":                                    "needs a remote machine",
	"docker compose":                         "needs a container engine (compose_test.go checks the file)",
	"./backchannel browser guide":            "serves until Ctrl-C",
	"go run ./bench":                         "starts a server of its own and runs for minutes (docs/performance.md)",
	`"$OLDPWD"/scripts/neo4j admin`:          "runs neo4j-admin on a stopped server (TestExportImportEqualsLoad does)",
	"cd ":                                    "the folder of the neo4j-admin import above",
	"./backchannel sources verify seeds/":    "fetches every cited page from the web, which this machine cannot reach (TestSourcesVerify runs it against a local server)",
	"./backchannel load --dataset generated": "loads 2000 synthetic relationships, minutes on a busy machine (the loader's tests and bench cover it)",
}

// TestREADMECommands runs every backchannel command of the README's ```sh blocks as
// written (./backchannel, go run . and backchannel alike run in-process), in order,
// against a test database holding the curated seeds: each must exit 0 and print
// something. What the README writes to files (--out, >, /tmp/...) goes to a temporary
// folder.
func TestREADMECommands(t *testing.T) {
	neo4jtest.Open(t)
	conn := connFlags(t)
	// The README's examples follow scripts/demo, which loads the curated seeds.
	if code, _, errOut := runCLI(t, append(append([]string{}, conn...), "load")...); code != exitOK {
		t.Fatalf("load: exit %d: %s", code, errOut)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	ran := 0
	for _, line := range readmeCommands(string(readme)) {
		if why := skipped(line); why != "" {
			t.Logf("skipped (%s): %s", why, line)
			continue
		}
		words := shellWords(line)
		switch {
		case len(words) >= 2 && words[0] == "go" && words[1] == "run":
			words = words[3:] // go run . ARGS
		case words[0] == "./backchannel" || words[0] == "backchannel":
			words = words[1:]
		default:
			t.Errorf("README command is neither backchannel's nor listed in readmeSkipped: %s", line)
			continue
		}
		for i := range words {
			if i > 0 && words[i-1] == "--out" || strings.HasPrefix(words[i], "/tmp/") {
				words[i] = filepath.Join(tmp, filepath.Base(words[i]))
			}
		}
		if i := slices.Index(words, ">"); i >= 0 {
			words = words[:i]
		}
		ran++
		code, out, errOut := runCLI(t, append(append([]string{}, conn...), words...)...)
		if code != exitOK || strings.TrimSpace(out) == "" && !strings.Contains(line, "--out") {
			t.Errorf("%s: exit %d, %d bytes of output\n%s", line, code, len(out), errOut)
		}
	}
	if ran < 10 {
		t.Errorf("ran only %d README commands: is the README's ```sh parsing broken?", ran)
	}
}

// readmeCommands lists the commands of the README's ```sh blocks: comments dropped, and
// `a && b` as two commands.
func readmeCommands(readme string) []string {
	var out []string
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(readme, -1) {
		for _, line := range strings.Split(block[1], "\n") {
			if i := strings.Index(line, " #"); i >= 0 {
				line = line[:i]
			}
			for _, cmd := range strings.Split(line, "&&") {
				if cmd = strings.TrimSpace(cmd); cmd != "" && !strings.HasPrefix(cmd, "go build ") {
					out = append(out, cmd)
				}
			}
		}
	}
	return out
}

func skipped(line string) string {
	for prefix, why := range readmeSkipped {
		if strings.HasPrefix(line, prefix) {
			return why
		}
	}
	return ""
}

// shellWords splits a command line as a shell would for these lines: on spaces, with
// double-quoted parts (from="United States") kept whole.
func shellWords(line string) []string {
	var words []string
	var cur strings.Builder
	quoted, inWord := false, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted, inWord = !quoted, true
		case r == ' ' && !quoted:
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
			}
			inWord = false
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func TestShellWords(t *testing.T) {
	got := strings.Join(shellWords(`query run x --param from="United States" --param to=Hamas`), "|")
	if want := "query|run|x|--param|from=United States|--param|to=Hamas"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
