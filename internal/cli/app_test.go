package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/internal/neo4jtest"
)

// TestMain runs the tests at the repository's root, where a user runs backchannel: the
// cases and tests name files as a user there would (seeds, schema/testdata/..., README.md).
func TestMain(m *testing.M) {
	root, err := neo4jtest.RepoRoot()
	if err == nil {
		err = os.Chdir(root)
	}
	if err == nil {
		binDir, err = os.MkdirTemp("", "backchannel-cli-test-")
	}
	if err == nil {
		// load and plan keep their cache of validated files here, not in the user's.
		err = os.Setenv("XDG_CACHE_HOME", filepath.Join(binDir, "cache"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "internal/cli tests:", err)
		os.Exit(1)
	}
	neo4jtest.Main(m, func() { os.RemoveAll(binDir) })
}

// runCLI runs backchannel in-process and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return runCLIWith(t, nil, args...)
}

// runCLIWith is runCLI with extra commands added to the app.
func runCLIWith(t *testing.T, extra func(*state) []*cli.Command, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"backchannel"}, args...), &stdout, &stderr, extra)
	return code, stdout.String(), stderr.String()
}

// connFlags are the flags that reach the test server.
func connFlags(t *testing.T) []string {
	s := neo4jtest.Settings(t)
	flags := []string{"--uri", s.URI, "--username", s.Username, "--password", s.Password}
	if s.Database != "" {
		flags = append(flags, "--database", s.Database)
	}
	return flags
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestPing(t *testing.T) {
	s := neo4jtest.Settings(t)
	hostPort := strings.TrimPrefix(s.URI, "bolt://")

	// what the server says it is, read over HTTP (its discovery document), not over
	// the Bolt path ping itself takes: CI runs 5.26 and the 2026 line
	version, edition := discovery(t)
	t.Run("reports the server's version, edition and database", func(t *testing.T) {
		code, out, errOut := runCLI(t, append(connFlags(t), "ping")...)
		if code != exitOK {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		for _, want := range []string{"server:      Neo4j/" + version + " at ", "edition:     " + edition + "\n", "version:     " + version + "\n", "database:    neo4j", "round trip:  "} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("json output", func(t *testing.T) {
		code, out, _ := runCLI(t, append(connFlags(t), "ping", "--format", "json")...)
		if code != exitOK || !strings.Contains(out, `"edition": "`+edition+`"`) || !strings.Contains(out, `"version": "`+version+`"`) {
			t.Fatalf("exit %d, output %s", code, out)
		}
	})

	checkPingErrors(t, []pingCase{
		{
			name:     "wrong password",
			args:     []string{"--uri", s.URI, "--username", s.Username, "--password", wrong},
			wantCode: exitAuth,
			wantErr:  `backchannel: authentication failed for user "neo4j" at ` + s.URI + ": check NEO4J_USERNAME and NEO4J_PASSWORD (or --password-file); a server's password is fixed at its first start (scripts/neo4j reset starts over)\n",
		},
		{
			name:     "unknown database",
			args:     append(connFlags(t), "--database", "nosuchdb"),
			wantCode: exitNoDatabase,
			wantErr:  `backchannel: database "nosuchdb" does not exist at ` + s.URI + ": check NEO4J_DATABASE (SHOW DATABASES lists them)\n",
		},
		{
			name:     "TLS scheme against a plain server",
			args:     []string{"--uri", "bolt+s://" + hostPort, "--password", wrong},
			wantCode: exitTLS,
			wantErr:  "backchannel: TLS handshake with bolt+s://" + hostPort + " failed: the server does not speak TLS",
		},
		{
			name:     "routing TLS scheme against a plain server",
			args:     []string{"--uri", "neo4j+s://" + hostPort, "--password", wrong},
			wantCode: exitTLS,
			wantErr:  "backchannel: TLS handshake with neo4j+s://" + hostPort + " failed",
		},
	})
}

// TestPingWithoutServer: the errors that need no server (a closed port, a URI refused
// before dialling) are one line with the right exit code, and never show the password.
func TestPingWithoutServer(t *testing.T) {
	hostPort := "127.0.0.1:" + strconv.Itoa(closedPort(t))
	checkPingErrors(t, []pingCase{
		{
			name:     "closed port",
			args:     []string{"--uri", "bolt://" + hostPort, "--password", wrong},
			wantCode: exitUnreachable,
			wantErr:  "is the server running? (scripts/neo4j start, or check NEO4J_URI)\n",
		},
		{
			name:     "unsupported scheme",
			args:     []string{"--uri", "http://" + hostPort, "--password", wrong},
			wantCode: exitUsage,
			wantErr:  "backchannel: invalid Neo4j URI http://" + hostPort + ": URI scheme http is not supported",
		},
		{
			name:     "credentials in the URI",
			args:     []string{"--uri", "bolt://neo4j:" + wrong + "@" + hostPort},
			wantCode: exitUsage,
			wantErr:  "carries credentials: pass them as NEO4J_USERNAME and NEO4J_PASSWORD instead",
		},
	})
}

// wrong is the password that checkPingErrors's cases give and must never see printed.
const wrong = "Wr0ng-Secret-Pa55word"

type pingCase struct {
	name     string
	args     []string
	wantCode int
	wantErr  string
}

// checkPingErrors runs ping with each case's arguments, with and without --verbose.
func checkPingErrors(t *testing.T, cases []pingCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, verbose := range []bool{false, true} {
				args := tc.args
				if verbose {
					args = append([]string{"--verbose"}, args...)
				}
				code, out, errOut := runCLI(t, append(args, "ping")...)
				if code != tc.wantCode {
					t.Errorf("verbose=%v: exit %d, want %d (stderr %q)", verbose, code, tc.wantCode, errOut)
				}
				if !strings.Contains(errOut, tc.wantErr) {
					t.Errorf("verbose=%v: stderr %q lacks %q", verbose, errOut, tc.wantErr)
				}
				if !verbose && strings.Count(errOut, "\n") != 1 {
					t.Errorf("want one line of error, got %q", errOut)
				}
				if strings.Contains(out+errOut, wrong) {
					t.Errorf("verbose=%v: the password appears in the output: %q", verbose, out+errOut)
				}
			}
		})
	}
}

func TestPasswordFile(t *testing.T) {
	s := neo4jtest.Settings(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "pw")
	if err := os.WriteFile(file, []byte(s.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("password read from the file's first line", func(t *testing.T) {
		code, _, errOut := runCLI(t, "--uri", s.URI, "--username", s.Username, "--password-file", file, "ping")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("the file wins over --password", func(t *testing.T) {
		code, _, errOut := runCLI(t, "--uri", s.URI, "--username", s.Username, "--password", "not-the-password", "--password-file", file, "ping")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("missing file is a usage error", func(t *testing.T) {
		code, _, errOut := runCLI(t, "--uri", s.URI, "--password-file", filepath.Join(dir, "absent"), "ping")
		if code != exitUsage || !strings.Contains(errOut, "read password file") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
}

func TestUsage(t *testing.T) {
	cases := []struct {
		args     []string
		wantCode int
		wantErr  string
	}{
		{[]string{"--no-such-flag"}, exitUsage, "backchannel: flag provided but not defined: -no-such-flag\n"},
		{[]string{"frobnicate"}, exitUsage, "backchannel: unknown command \"frobnicate\": Did you mean \"validate\"? run backchannel --help\n"},
		{[]string{"ping", "--format", "xml"}, exitUsage, "backchannel: --format \"xml\": want one of text, json\n"},
		{[]string{"schema", "frob"}, exitUsage, "backchannel: unknown command \"frob\": Did you mean \"grass\"? run backchannel schema --help\n"},
		{[]string{"query", "lst"}, exitUsage, "backchannel: unknown command \"lst\": Did you mean \"list\"? run backchannel query --help\n"},
	}
	for _, tc := range cases {
		code, _, errOut := runCLI(t, tc.args...)
		if code != tc.wantCode || errOut != tc.wantErr {
			t.Errorf("%v: exit %d stderr %q, want %d %q", tc.args, code, errOut, tc.wantCode, tc.wantErr)
		}
	}
	code, out, _ := runCLI(t, "version")
	if code != exitOK || !strings.HasPrefix(out, "backchannel ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestPanicIsOneRedactedLine: a panic (a bug) is reported on one line with exit 1, and
// the password is masked in it and in the stack that --verbose adds.
func TestPanicIsOneRedactedLine(t *testing.T) {
	const secret = "Sup3r-Secret-Pa55"
	boom := func(st *state) []*cli.Command {
		return []*cli.Command{{Name: "boom", Action: func(c *cli.Context) error {
			if _, err := settings(c, st); err != nil {
				return err
			}
			panic("boom: the password is " + secret)
		}}}
	}
	for _, verbose := range []bool{false, true} {
		args := []string{"--password", secret, "boom"}
		if verbose {
			args = append([]string{"--verbose"}, args...)
		}
		code, out, errOut := runCLIWith(t, boom, args...)
		if code != exitFailure || out != "" {
			t.Errorf("verbose=%v: exit %d, stdout %q", verbose, code, out)
		}
		if !strings.HasPrefix(errOut, "backchannel: internal error (a bug, please report it): boom: the password is ****\n") {
			t.Errorf("verbose=%v: stderr %q", verbose, errOut)
		}
		if !verbose && strings.Count(errOut, "\n") != 1 || verbose && !strings.Contains(errOut, "goroutine ") {
			t.Errorf("verbose=%v: stderr %q", verbose, errOut)
		}
		if strings.Contains(errOut, secret) {
			t.Errorf("verbose=%v: the password appears: %q", verbose, errOut)
		}
	}
}

// discovery reads the server's version and edition from its HTTP discovery document
// (GET / on the HTTP port).
func discovery(t *testing.T) (version, edition string) {
	t.Helper()
	base := neo4jtest.HTTPURL(t)
	if base == "" {
		t.Fatal("the server's HTTP port is not known: set NEO4J_HTTP_PORT beside NEO4J_URI (scripts/test does)")
	}
	resp, err := http.Get(strings.TrimSuffix(base, "/") + "/")
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	defer resp.Body.Close()
	var d struct {
		Version string `json:"neo4j_version"`
		Edition string `json:"neo4j_edition"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || d.Version == "" {
		t.Fatalf("discovery at %s: %+v, %v", base, d, err)
	}
	return d.Version, d.Edition
}
