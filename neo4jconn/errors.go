package neo4jconn

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"strings"
	"syscall"

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
// driver's own error, kept whole so that errors.As, neo4j.IsRetryable and
// errors.Is(err, context.Canceled) still see it; --verbose prints it.
type Error struct {
	Kind error
	Msg  string
	Err  error
}

func (e *Error) Error() string   { return e.Msg }
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

// Classify turns a driver error into an *Error when it is one of the kinds above, with
// a message that says what to do; other errors come back unchanged. It decides by the
// errors' types and Neo4j's status codes, never by message text.
func (db *DB) Classify(err error) error {
	return db.classify(err, false)
}

// classify is Classify; during the handshake (in Open) a connection closed by the server
// is taken as a sign that it wants TLS.
func (db *DB) classify(err error, handshake bool) error {
	var ce *Error
	if err == nil || errors.As(err, &ce) {
		return err
	}
	s := db.Settings
	uri := s.DisplayURI()
	wrap := func(kind error, format string, args ...any) error {
		return &Error{Kind: kind, Msg: fmt.Sprintf(format, args...), Err: err}
	}
	chain := causes(err)
	if n4e := find[*neo4j.Neo4jError](chain); n4e != nil {
		switch {
		case n4e.IsAuthenticationFailed():
			return wrap(ErrAuth, "authentication failed for user %q at %s: check NEO4J_USERNAME and NEO4J_PASSWORD (or --password-file); a server's password is fixed at its first start (scripts/neo4j reset starts over)", s.Username, uri)
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
	if isTLS(chain) {
		if strings.Contains(s.URI, "+s") {
			return wrap(ErrTLS, "TLS handshake with %s failed: the server does not speak TLS or its certificate is not trusted (use bolt:// or neo4j:// for a server without TLS, +ssc to accept a self-signed certificate)", uri)
		}
		return wrap(ErrTLS, "TLS error talking to %s", uri)
	}
	if find[*neo4j.ConnectivityError](chain) != nil || find[net.Error](chain) != nil || has(chain, syscall.ECONNREFUSED) {
		if handshake && !strings.Contains(s.URI, "+s") && (has(chain, io.EOF) || has(chain, syscall.ECONNRESET)) {
			return wrap(ErrTLS, "%s closed the connection during the handshake: if it requires TLS (Aura does), use neo4j+s://", uri)
		}
		return wrap(ErrUnreachable, "cannot reach Neo4j at %s: is the server running? (scripts/neo4j start, or check NEO4J_URI)", uri)
	}
	return err
}

// causes lists err and every error under it: those errors.Unwrap reaches, and the
// exported Inner or Err of the driver's wrappers (ConnectivityError, TlsError,
// ReadRoutingTableError), which have no Unwrap, and the last error of a managed
// transaction's retries (TransactionExecutionLimit).
func causes(err error) []error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		if e == nil || len(out) > 64 {
			return
		}
		out = append(out, e)
		if tel, ok := e.(*neo4j.TransactionExecutionLimit); ok && len(tel.Errors) > 0 {
			walk(tel.Errors[len(tel.Errors)-1]) // the retries gave up: the last error is the cause
		}
		switch u := e.(type) {
		case *neo4j.TransactionExecutionLimit:
			// A transaction retried until its time ran out: the last attempt's error says why.
			if len(u.Errors) > 0 {
				walk(u.Errors[len(u.Errors)-1])
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
		if v := reflect.ValueOf(e); v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct {
			for _, name := range []string{"Inner", "Err"} {
				if f := v.Elem().FieldByName(name); f.IsValid() && f.CanInterface() {
					if inner, ok := f.Interface().(error); ok {
						walk(inner)
					}
				}
			}
		}
	}
	walk(err)
	return out
}

// find returns the first error in chain of type T, or T's zero value.
func find[T error](chain []error) T {
	var zero T
	for _, e := range chain {
		if t, ok := e.(T); ok {
			return t
		}
	}
	return zero
}

// has reports whether chain holds target itself (a sentinel or an errno).
func has(chain []error, target error) bool {
	for _, e := range chain {
		if e == target {
			return true
		}
		if errno, ok := e.(syscall.Errno); ok && errors.Is(errno, target) {
			return true
		}
	}
	return false
}

// isTLS reports whether the chain holds a TLS or certificate error: the standard
// library's types, or the driver's TlsError, which it does not export (so it is known
// by its type's name).
func isTLS(chain []error) bool {
	for _, e := range chain {
		switch e.(type) {
		case tls.RecordHeaderError, *tls.RecordHeaderError, x509.UnknownAuthorityError, x509.HostnameError,
			x509.CertificateInvalidError, *tls.CertificateVerificationError, tls.AlertError:
			return true
		}
		if t := reflect.TypeOf(e); t.Kind() == reflect.Pointer && t.Elem().Name() == "TlsError" && strings.HasSuffix(t.Elem().PkgPath(), "neo4j/internal/errorutil") {
			return true
		}
	}
	return false
}

func displayDB(name string) string {
	if name == "" {
		return "(default)"
	}
	return name
}
