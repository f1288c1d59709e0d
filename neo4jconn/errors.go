package neo4jconn

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The kinds of failure a user can act on. Each classified error wraps exactly one.
var (
	ErrBadURI           = errors.New("invalid Neo4j URI")
	ErrUnreachable      = errors.New("Neo4j server unreachable")
	ErrAuth             = errors.New("Neo4j authentication failed")
	ErrDatabaseNotFound = errors.New("Neo4j database not found")
	ErrTLS              = errors.New("TLS mismatch with the Neo4j server")
	ErrForbidden        = errors.New("not allowed to write to this Neo4j database")
)

// Error is a classified driver error: Msg is the one line the user sees, Err the
// driver's own error for --verbose.
type Error struct {
	Kind error
	Msg  string
	Err  error
}

func (e *Error) Error() string   { return e.Msg }
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

// Classify turns a driver error into an *Error when it is one of the kinds above, with
// a message that says what to do; other errors come back unchanged. The password never
// appears in the result.
func (db *DB) Classify(err error) error {
	if err == nil {
		return nil
	}
	var ce *Error
	if errors.As(err, &ce) {
		return err
	}
	s := db.Settings
	uri := s.DisplayURI()
	detail := s.Redact(err.Error())
	wrap := func(kind error, format string, args ...any) error {
		return &Error{Kind: kind, Msg: s.Redact(fmt.Sprintf(format, args...)), Err: errors.New(detail)}
	}
	var n4e *neo4j.Neo4jError
	if errors.As(err, &n4e) {
		switch {
		case n4e.Code == "Neo.ClientError.Security.Unauthorized":
			return wrap(ErrAuth, "authentication failed for user %q at %s: check NEO4J_USERNAME and NEO4J_PASSWORD", s.Username, uri)
		case n4e.Code == "Neo.ClientError.Security.AuthenticationRateLimit":
			return wrap(ErrAuth, "user %q at %s is locked after too many failed logins: wait a few seconds, then check NEO4J_PASSWORD", s.Username, uri)
		case n4e.Code == "Neo.TransientError.General.DatabaseUnavailable":
			return wrap(ErrUnreachable, "database %q at %s is not available (starting, stopped or failed): see the server's log", displayDB(s.Database), uri)
		case n4e.Code == "Neo.ClientError.Database.DatabaseNotFound":
			return wrap(ErrDatabaseNotFound, "database %q does not exist at %s: check NEO4J_DATABASE (SHOW DATABASES lists them)", s.Database, uri)
		case n4e.Code == "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase",
			n4e.Code == "Neo.ClientError.General.WriteOnReadOnlyAccessDatabase":
			return wrap(ErrForbidden, "database %q at %s is read-only: load into a writable database", displayDB(s.Database), uri)
		case strings.HasPrefix(n4e.Code, "Neo.ClientError.Security.Forbidden"),
			n4e.Code == "Neo.ClientError.Security.AuthorizationExpired":
			return wrap(ErrForbidden, "user %q may not do this on database %q at %s: %s", s.Username, displayDB(s.Database), uri, n4e.Msg)
		}
		return err
	}
	if isTLSError(err) {
		if strings.Contains(s.URI, "+s") {
			return wrap(ErrTLS, "TLS handshake with %s failed: the server does not speak TLS or its certificate is not trusted (use bolt:// or neo4j:// for a server without TLS, +ssc to accept a self-signed certificate)", uri)
		}
		return wrap(ErrTLS, "TLS error talking to %s", uri)
	}
	if neo4j.IsConnectivityError(err) || isNetError(err) {
		if !strings.Contains(s.URI, "+s") && (strings.Contains(detail, "EOF") || strings.Contains(detail, "connection reset")) {
			return wrap(ErrTLS, "%s closed the connection during the handshake: if it requires TLS (Aura does), use neo4j+s://", uri)
		}
		return wrap(ErrUnreachable, "cannot reach Neo4j at %s: is the server running? (scripts/neo4j start, or check NEO4J_URI)", uri)
	}
	return err
}

func displayDB(name string) string {
	if name == "" {
		return "(default)"
	}
	return name
}

func isTLSError(err error) bool {
	var rh tls.RecordHeaderError
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	if errors.As(err, &rh) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "tls: ") || strings.Contains(msg, "x509: ") || strings.Contains(msg, "TLS is enabled on the server")
}

func isNetError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "connection refused") || strings.Contains(msg, "no such host") || strings.Contains(msg, "i/o timeout")
}
