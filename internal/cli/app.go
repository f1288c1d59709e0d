// Package cli is backchannel's command line (urfave/cli v2): flags and environment
// become settings, each command (one file each) calls one package function and prints
// its result (output.go), and Run prints the one error line and picks the exit code
// (exit.go). The root main.go only calls Run.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/neo4jconn"
)

// Run is the whole program, minus the process: main calls it with a context that
// SIGINT and SIGTERM cancel (OnSignal), and exits with the code it returns.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, args, stdout, stderr, nil)
}

// run is Run with extra commands (tests add one that panics, for example). It is the
// one place that prints an error and decides the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, extra func(*state) []*cli.Command) (code int) {
	st := &state{}
	// A panic is a bug: report it on one line (the stack under --verbose), with the
	// settings' secrets masked like every other message, and exit 1.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintln(stderr, "backchannel: internal error (a bug, please report it): "+st.redact(oneLine(fmt.Errorf("%v", r))))
			if st.verbose {
				fmt.Fprint(stderr, st.redact(string(debug.Stack())))
			}
			code = exitFailure
		}
	}()
	app := newApp(st, stdout, stderr, extra)
	err := app.RunContext(ctx, args)
	if err == nil {
		// A command that finished after SIGINT or SIGTERM still exits as interrupted:
		// the user asked it to stop, and a script must not read its output as complete.
		if i := interruptOf(ctx); i != nil {
			fmt.Fprintln(stderr, "backchannel: "+i.Error())
			return i.code()
		}
		return exitOK
	}
	var ex *exitError
	if errors.As(err, &ex) && ex.err == nil {
		return ex.code // already reported by the command
	}
	msg := oneLine(err)
	if i := interruptOf(ctx); i != nil && !strings.Contains(msg, i.Error()) {
		msg = i.Error() + ": " + msg
	}
	fmt.Fprintln(stderr, "backchannel: "+st.redact(msg))
	if st.verbose {
		for _, line := range details(err) {
			fmt.Fprintln(stderr, "  "+st.redact(line))
		}
	}
	if i := interruptOf(ctx); i != nil {
		return i.code()
	}
	return exitCode(err)
}

// state is what run needs to know after the app has run: whether to print causes, and
// the settings whose secrets must not be printed.
type state struct {
	verbose  bool
	settings *neo4jconn.Settings
}

func (st *state) redact(s string) string {
	if st.settings == nil {
		return s
	}
	return st.settings.Redact(s)
}

// details lists the cause under err's one-line message, for --verbose: the driver's own
// error under a classified one, else the innermost cause when the headline does not
// already say it.
func details(err error) []string {
	var ce *neo4jconn.Error
	if errors.As(err, &ce) && ce.Err != nil {
		return []string{"cause: " + ce.Err.Error()}
	}
	inner := err
	for u := errors.Unwrap(inner); u != nil; u = errors.Unwrap(inner) {
		inner = u
	}
	if inner == err || strings.Contains(err.Error(), inner.Error()) {
		return nil
	}
	return []string{"cause: " + inner.Error()}
}

// commands are backchannel's commands, in the order help lists them. A new command is
// one line here and one constructor in its own file.
func commands(st *state) []*cli.Command {
	return []*cli.Command{
		versionCommand(),
		pingCommand(st),
		validateCommand(),
		planCommand(st),
		loadCommand(st),
		queryCommand(st),
		actorsCommand(st),
		cypherCommand(st),
		schemaCommand(),
		completionCommand(),
		browserCommand(),
		renderCommand(st),
		genCommand(),
		exportCommand(),
		sourcesCommand(),
	}
}

// newApp builds the app; extra, when not nil, adds commands after backchannel's own.
func newApp(st *state, stdout, stderr io.Writer, extra func(*state) []*cli.Command) *cli.App {
	app := &cli.App{
		Name:      "backchannel",
		Usage:     "validate curated YAML seed data, load it into Neo4j, trace influence with stored queries",
		Version:   buildVersion(),
		Writer:    stdout,
		ErrWriter: stderr,
		Flags:     connectionFlags(),
		Before: func(c *cli.Context) error {
			st.verbose = c.Bool("verbose")
			return nil
		},
		// --param takes commas in its values (actors=usa,israel): a slice flag is
		// repeated, never split.
		DisableSliceFlagSeparator: true,
		Suggest:                   true,
		EnableBashCompletion:      true,
		OnUsageError:              onUsageError,
		// urfave/cli never exits the process itself: run decides the exit code.
		ExitErrHandler: func(*cli.Context, error) {},
		Action:         unknownCommand,
		Commands:       commands(st),
	}
	if extra != nil {
		app.Commands = append(app.Commands, extra(st)...)
	}
	wire(app.Commands)
	return app
}

// wire gives every command the same usage-error handling, lets flags follow arguments,
// and makes an unknown subcommand a usage error.
func wire(cmds []*cli.Command) {
	for _, cmd := range cmds {
		if cmd.OnUsageError == nil {
			cmd.OnUsageError = onUsageError
		}
		switch {
		case len(cmd.Subcommands) > 0 && cmd.Action == nil:
			cmd.Action = unknownCommand
		case cmd.Action != nil:
			cmd.Action = flagsAfterArgs(cmd.Action)
		}
		wire(cmd.Subcommands)
	}
}

func onUsageError(_ *cli.Context, err error, _ bool) error { return usageError(err) }

// unknownCommand is the action of the app and of commands with subcommands: help when
// no subcommand is named, a usage error when an unknown one is.
func unknownCommand(c *cli.Context) error {
	root := c.Command == nil || c.Command.HelpName == c.App.HelpName
	if !c.Args().Present() {
		if root {
			return cli.ShowAppHelp(c)
		}
		return cli.ShowSubcommandHelp(c)
	}
	name := c.Args().First()
	path, subs := c.App.Name, c.App.Commands
	if !root {
		path, subs = c.Command.HelpName, c.Command.Subcommands
	}
	hint := cli.SuggestCommand(subs, name) // "Did you mean "load"?" or ""
	if hint != "" {
		hint += " "
	}
	return usageErrorf("unknown command %q: %srun %s --help", name, hint, path)
}

// commandPath is the command as typed after the program's name: "query run".
func commandPath(c *cli.Context) string {
	return strings.TrimPrefix(c.Command.HelpName, c.App.Name+" ")
}
