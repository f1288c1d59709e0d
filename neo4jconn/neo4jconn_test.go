package neo4jconn

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestRedact(t *testing.T) {
	cases := []struct {
		name, password, uri, in, want string
	}{
		{"a short password never garbles a message", "a", "bolt://127.0.0.1:1",
			"cannot reach Neo4j at bolt://127.0.0.1:1", "cannot reach Neo4j at bolt://127.0.0.1:1"},
		{"a password that is a common word is left alone when short", "neo4j", "bolt://localhost:7687",
			"cannot reach Neo4j at bolt://localhost:7687 (scripts/neo4j start)", "cannot reach Neo4j at bolt://localhost:7687 (scripts/neo4j start)"},
		{"a long password standing alone is masked", "Wr0ng-Secret-Pa55word", "bolt://localhost:7687",
			`server said: bad credentials "Wr0ng-Secret-Pa55word"`, `server said: bad credentials "****"`},
		{"a long password inside a longer word is not", "password1", "bolt://localhost:7687",
			"mypassword12 is fine", "mypassword12 is fine"},
		{"credentials in the URI are masked", "", "bolt://neo4j:Secret@localhost:7687",
			"dial bolt://neo4j:Secret@localhost:7687: refused", "dial bolt://neo4j:xxxxx@localhost:7687: refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Settings{URI: tc.uri, Password: tc.password}
			if got := s.Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDisplayURI(t *testing.T) {
	for in, want := range map[string]string{
		"bolt://localhost:7687":             "bolt://localhost:7687",
		"neo4j+s://u:secret@x.databases.io": "neo4j+s://u:xxxxx@x.databases.io",
		"bolt://u:secret@host:bad":          "bolt://xxxxx@host:bad",
	} {
		if got := (Settings{URI: in}).DisplayURI(); got != want {
			t.Errorf("DisplayURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestClassify(t *testing.T) {
	db := &DB{Settings: Settings{URI: "bolt://localhost:7687", Username: "neo4j", Password: "backchannel-dev"}}
	tlsDB := &DB{Settings: Settings{URI: "neo4j+s://localhost:7687", Username: "neo4j"}}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	cases := []struct {
		name      string
		db        *DB
		err       error
		handshake bool
		kind      error
		msg       string
	}{
		{"wrong password", db, &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized", Msg: "The client is unauthorized"}, false,
			ErrAuth, `authentication failed for user "neo4j" at bolt://localhost:7687: check NEO4J_USERNAME`},
		{"locked out", db, &neo4j.Neo4jError{Code: "Neo.ClientError.Security.AuthenticationRateLimit"}, false,
			ErrAuth, "is locked after too many failed logins"},
		{"no such database, wrapped", db, fmt.Errorf("plan: %w", &neo4j.Neo4jError{Code: "Neo.ClientError.Database.DatabaseNotFound"}), false,
			ErrDatabaseNotFound, "does not exist at bolt://localhost:7687"},
		{"read-only", db, &neo4j.Neo4jError{Code: "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"}, false,
			ErrForbidden, "is read-only"},
		{"connection refused inside the driver's ConnectivityError", db, &neo4j.ConnectivityError{Inner: refused}, false,
			ErrUnreachable, "cannot reach Neo4j at bolt://localhost:7687: is the server running?"},
		{"ConnectivityError wrapped by the caller", db, fmt.Errorf("batch 3: %w", &neo4j.ConnectivityError{Inner: io.EOF}), false,
			ErrUnreachable, "cannot reach Neo4j"},
		{"EOF in the handshake suggests TLS", db, &neo4j.ConnectivityError{Inner: io.EOF}, true,
			ErrTLS, "closed the connection during the handshake: if it requires TLS"},
		{"EOF mid-load is not a TLS problem", db, &neo4j.ConnectivityError{Inner: io.EOF}, false,
			ErrUnreachable, "cannot reach Neo4j"},
		{"unknown certificate authority", tlsDB, &neo4j.ConnectivityError{Inner: x509.UnknownAuthorityError{}}, true,
			ErrTLS, "TLS handshake with neo4j+s://localhost:7687 failed"},
		{"plain server answering a TLS hello", tlsDB, tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, true,
			ErrTLS, "the server does not speak TLS"},
		{"retries that gave up on an unavailable database", db, &neo4j.TransactionExecutionLimit{Cause: "timeout (exceeded max retry time: 30s)", Errors: []error{
			&neo4j.ConnectivityError{Inner: io.EOF}, &neo4j.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"}}}, false,
			ErrUnreachable, `database "(default)" at bolt://localhost:7687 is not available`},
		{"retries that gave up on a dead server", db, fmt.Errorf("batch 2: %w", &neo4j.TransactionExecutionLimit{Cause: "timeout", Errors: []error{&neo4j.ConnectivityError{Inner: refused}}}), false,
			ErrUnreachable, "cannot reach Neo4j at bolt://localhost:7687"},
		{"a DNS failure", db, &net.DNSError{Err: "no such host", Name: "nohost"}, true,
			ErrUnreachable, "cannot reach Neo4j"},
		{"retried until the retry time ran out, server gone", db, fmt.Errorf("batch 9: %w", &neo4j.TransactionExecutionLimit{
			Cause: "timeout (exceeded max retry time: 1s)", Errors: []error{&neo4j.ConnectivityError{Inner: io.EOF}, &neo4j.ConnectivityError{Inner: refused}}}), false,
			ErrUnreachable, "cannot reach Neo4j"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.db.classify(tc.err, tc.handshake)
			var ce *Error
			if !errors.As(got, &ce) {
				t.Fatalf("classify(%v) = %v, not an *Error", tc.err, got)
			}
			if !errors.Is(got, tc.kind) {
				t.Errorf("kind: got %v, want %v", ce.Kind, tc.kind)
			}
			if !strings.Contains(ce.Msg, tc.msg) {
				t.Errorf("message %q lacks %q", ce.Msg, tc.msg)
			}
			if !errors.Is(got, tc.err) && ce.Err != tc.err {
				t.Errorf("the driver's error is not kept as the cause")
			}
			if strings.Contains(ce.Msg, "backchannel-dev") {
				t.Errorf("the password appears in %q", ce.Msg)
			}
		})
	}

	t.Run("the driver's error stays reachable after classification", func(t *testing.T) {
		n4e := &neo4j.Neo4jError{Code: "Neo.ClientError.Security.Unauthorized"}
		got := db.Classify(n4e)
		var back *neo4j.Neo4jError
		if !errors.As(got, &back) || back != n4e {
			t.Errorf("errors.As does not find the *neo4j.Neo4jError in %v", got)
		}
		if got := db.Classify(fmt.Errorf("run: %w", context.Canceled)); !errors.Is(got, context.Canceled) {
			t.Errorf("context.Canceled lost: %v", got)
		}
	})

	t.Run("other errors come back unchanged", func(t *testing.T) {
		for _, err := range []error{
			errors.New("connection refused"), // words alone classify nothing
			&neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError"},
			nil,
		} {
			if got := db.Classify(err); got != err {
				t.Errorf("Classify(%v) = %v, want it unchanged", err, got)
			}
		}
	})
}

func TestReadPasswordFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("first line, CR dropped, no warning at 0600", func(t *testing.T) {
		pw, warning, err := ReadPasswordFile(write("ok", "s3cret-pass\r\nsecond line\n", 0o600))
		if err != nil || pw != "s3cret-pass" || warning != "" {
			t.Errorf("got %q, %q, %v", pw, warning, err)
		}
	})
	t.Run("readable by others draws a warning", func(t *testing.T) {
		p := write("open", "s3cret-pass\n", 0o644)
		pw, warning, err := ReadPasswordFile(p)
		if err != nil || pw != "s3cret-pass" || warning != fmt.Sprintf("password file %s may be read by others (mode 0644): chmod 600 %s", p, p) {
			t.Errorf("got %q, %q, %v", pw, warning, err)
		}
		if strings.Contains(warning, pw) {
			t.Errorf("the warning shows the password")
		}
	})
	for name, text := range map[string]string{"empty": "", "empty first line": "\nsecret\n", "only CR": "\r\n"} {
		t.Run(name+" is an error, never the development password", func(t *testing.T) {
			_, _, err := ReadPasswordFile(write(strings.ReplaceAll(name, " ", "-"), text, 0o600))
			if !errors.Is(err, ErrEmptyPassword) {
				t.Errorf("got %v, want ErrEmptyPassword", err)
			}
		})
	}
	t.Run("missing file", func(t *testing.T) {
		if _, _, err := ReadPasswordFile(filepath.Join(dir, "absent")); err == nil || !strings.HasPrefix(err.Error(), "read password file: ") {
			t.Errorf("got %v", err)
		}
	})
}
