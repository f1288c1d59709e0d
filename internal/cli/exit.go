package cli

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

// Exit codes. They are documented in README.md ("Exit codes"); keep the two in step.
const (
	exitOK          = 0
	exitFailure     = 1   // the command failed: invalid data, a query error, anything unclassified
	exitUsage       = 2   // bad flags or arguments, unreadable files
	exitUnreachable = 3   // the Neo4j server cannot be reached
	exitAuth        = 4   // wrong username or password
	exitNoDatabase  = 5   // the database named by --database / NEO4J_DATABASE does not exist
	exitTLS         = 6   // TLS mismatch between the URI scheme and the server
	exitForbidden   = 7   // the database is read-only or the user may not write
	exitInterrupted = 130 // stopped by SIGINT (Ctrl-C): 128 + the signal's number, as shells report it
	exitTerminated  = 143 // stopped by SIGTERM
)

// exitError gives err an exit code of its own. With a nil err the command has already
// reported everything (validate's findings, plan's pending changes): run prints nothing.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// reported is the exit status of a command that has printed all it has to say.
func reported(code int) error { return &exitError{code: code} }

// isReported reports whether err is one that run prints nothing for.
func isReported(err error) bool {
	var ex *exitError
	return errors.As(err, &ex) && ex.err == nil
}

// withCode gives err the exit code code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// usageError marks a bad flag, argument or input: exit 2.
func usageError(err error) error { return withCode(exitUsage, err) }

func usageErrorf(format string, args ...any) error {
	return usageError(fmt.Errorf(format, args...))
}

// exitCode is the one table from errors to exit codes.
func exitCode(err error) int {
	var ex *exitError
	var invalid *loader.ValidationError
	var actor *queries.ActorError
	var cliExit cli.ExitCoder
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ex):
		return ex.code
	case errors.As(err, &invalid):
		return max(exitFailure, findingsCode(invalid.Findings, false))
	case errors.Is(err, queries.ErrUnknownQuery), errors.As(err, &actor), errors.Is(err, queries.ErrNoRelationship), errors.Is(err, queries.ErrSameActor),
		errors.Is(err, loader.ErrFewerFiles), errors.As(err, &cliExit): // cliExit: urfave/cli's own, e.g. "No help topic for 'x'"
		return exitUsage
	case errors.Is(err, neo4jconn.ErrBadURI):
		return exitUsage
	case errors.Is(err, neo4jconn.ErrUnreachable):
		return exitUnreachable
	case errors.Is(err, neo4jconn.ErrAuth):
		return exitAuth
	case errors.Is(err, neo4jconn.ErrDatabaseNotFound):
		return exitNoDatabase
	case errors.Is(err, neo4jconn.ErrTLS):
		return exitTLS
	case errors.Is(err, neo4jconn.ErrForbidden):
		return exitForbidden
	}
	return exitFailure
}

// findingsCode is the exit status of a set of findings: 2 when a file could not be read,
// 1 with errors (or warnings under strict), else 0.
func findingsCode(findings []schema.Finding, strict bool) int {
	errs, warnings := schema.Summary(findings)
	switch {
	case schema.HasIOErrors(findings):
		return exitUsage
	case errs > 0 || (strict && warnings > 0):
		return exitFailure
	}
	return exitOK
}
