// Command backchannel validates curated YAML seed data, loads it into Neo4j and runs
// stored Cypher queries that trace influence between the actors.
//
// main.go only wires: flags and environment become settings, commands call the
// packages, and errors are printed once, here, as one line (more with --verbose).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

// devPassword is the documented password of the local development server that
// scripts/neo4j and docker-compose.yml start; it is never printed.
const devPassword = "backchannel-dev"

// Exit codes. They are documented in README.md; keep the two in step.
const (
	exitOK          = 0
	exitFailure     = 1 // the command failed: invalid data, a query error, anything unclassified
	exitUsage       = 2 // bad flags or arguments, unreadable files
	exitUnreachable = 3 // the Neo4j server cannot be reached
	exitAuth        = 4 // wrong username or password
	exitNoDatabase  = 5 // the database named by --database / NEO4J_DATABASE does not exist
	exitTLS         = 6 // TLS mismatch between the URI scheme and the server
	exitForbidden   = 7 // the database is read-only or the user may not write
)

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(schema.GCPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program, minus the process: tests call it in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	app := newApp(args, stdout, stderr)
	err := app.RunContext(ctx, args)
	if err == nil {
		return exitOK
	}
	var ex *exitError
	if errors.As(err, &ex) && ex.msg == "" {
		return ex.code // already reported by the command
	}
	redact := func(s string) string { return s }
	if conf := app.Metadata["settings"]; conf != nil {
		redact = conf.(*neo4jconn.Settings).Redact
	}
	fmt.Fprintln(stderr, "backchannel: "+redact(err.Error()))
	if verbose, _ := app.Metadata["verbose"].(bool); verbose {
		for _, line := range details(err) {
			fmt.Fprintln(stderr, "  "+redact(line))
		}
	}
	return exitCode(err)
}

// exitError carries an exit code; with an empty msg the command has already said why.
type exitError struct {
	code int
	msg  string
	err  error
}

func (e *exitError) Error() string { return e.msg }
func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

func exitCode(err error) int {
	var ex *exitError
	switch {
	case errors.As(err, &ex):
		return ex.code
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

// details lists the causes under err's one-line message, for --verbose.
func details(err error) []string {
	var out []string
	var ce *neo4jconn.Error
	if errors.As(err, &ce) && ce.Err != nil {
		out = append(out, "cause: "+ce.Err.Error())
	}
	for e := errors.Unwrap(err); e != nil && len(out) == 0; e = errors.Unwrap(e) {
		if e.Error() != err.Error() {
			out = append(out, "cause: "+e.Error())
		}
	}
	return out
}

// usageCode is the exit status of a usage error: 2, except with --detailed-exitcode,
// where 2 means "changes pending" and every error is 1 (as terraform plan has it).
func usageCode(args []string) int {
	for _, a := range args {
		if a == "--detailed-exitcode" || a == "-detailed-exitcode" || strings.HasPrefix(a, "--detailed-exitcode=") {
			return exitFailure
		}
	}
	return exitUsage
}

func newApp(args []string, stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
		Name:      "backchannel",
		Usage:     "validate curated YAML seed data, load it into Neo4j, trace influence with stored queries",
		Version:   buildVersion(),
		Writer:    stdout,
		ErrWriter: stderr,
		Metadata:  map[string]any{},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "uri", EnvVars: []string{"NEO4J_URI"}, Value: neo4jconn.DefaultURI, Usage: "Neo4j URI: bolt://, neo4j:// (routing) or neo4j+s:// (Aura)"},
			&cli.StringFlag{Name: "username", EnvVars: []string{"NEO4J_USERNAME"}, Value: "neo4j", Usage: "Neo4j user"},
			&cli.StringFlag{Name: "password", EnvVars: []string{"NEO4J_PASSWORD"}, Usage: "Neo4j password (prefer the environment or --password-file)", DefaultText: "the local development password"},
			&cli.StringFlag{Name: "password-file", EnvVars: []string{"NEO4J_PASSWORD_FILE"}, Usage: "read the Neo4j password from `FILE` (first line); wins over --password"},
			&cli.StringFlag{Name: "database", EnvVars: []string{"NEO4J_DATABASE"}, Usage: "Neo4j database", DefaultText: "the server's default"},
			&cli.StringFlag{Name: "tls-ca-file", EnvVars: []string{"NEO4J_TLS_CA_FILE"}, Usage: "trust the certificate authorities in this PEM `FILE` too, for +s URIs (a private CA)"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "show causes under each error"},
		},
		Before: func(c *cli.Context) error {
			c.App.Metadata["verbose"] = c.Bool("verbose")
			return nil
		},
		HideVersion:     true,
		HideHelpCommand: true,
		OnUsageError: func(c *cli.Context, err error, _ bool) error {
			return &exitError{code: usageCode(args), msg: err.Error(), err: err}
		},
		CommandNotFound: func(c *cli.Context, name string) {
			c.App.Metadata["notFound"] = name
		},
		Commands: []*cli.Command{
			versionCommand(),
			pingCommand(),
			validateCommand(),
			planCommand(),
			loadCommand(),
			queryCommand(),
			schemaCommand(),
			browserCommand(),
			genCommand(),
		},
	}
	var setUsage func([]*cli.Command)
	setUsage = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmd.OnUsageError = app.OnUsageError
			setUsage(cmd.Subcommands)
		}
	}
	setUsage(app.Commands)
	app.Action = func(c *cli.Context) error {
		if c.Args().Present() {
			return usageErrorf("unknown command %q: run backchannel --help", c.Args().First())
		}
		return cli.ShowAppHelp(c)
	}
	return app
}

// settings builds the connection settings from flags and environment, reading the
// password file when one is given. The result is kept so that errors are redacted.
func settings(c *cli.Context) (neo4jconn.Settings, error) {
	s := neo4jconn.Settings{
		URI:       c.String("uri"),
		Username:  c.String("username"),
		Password:  c.String("password"),
		Database:  c.String("database"),
		UserAgent: "backchannel/" + version,
		CAFile:    c.String("tls-ca-file"),
	}
	if f := c.String("password-file"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return s, &exitError{code: exitUsage, msg: fmt.Sprintf("read password file: %v", err), err: err}
		}
		s.Password, _, _ = strings.Cut(string(b), "\n")
		s.Password = strings.TrimRight(s.Password, "\r")
	}
	if s.Password == "" && !c.IsSet("password") {
		s.Password = devPassword
	}
	c.App.Metadata["settings"] = &s
	return s, nil
}

// connect opens the database named by the flags.
func connect(c *cli.Context) (*neo4jconn.DB, error) {
	s, err := settings(c)
	if err != nil {
		return nil, err
	}
	return neo4jconn.Open(c.Context, s)
}

func buildVersion() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

func versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version of backchannel",
		Action: func(c *cli.Context) error {
			_, err := fmt.Fprintf(c.App.Writer, "backchannel %s\n", c.App.Version)
			return err
		},
	}
}
