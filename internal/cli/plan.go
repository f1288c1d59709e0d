package cli

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/answers"
	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

func planCommand(st *state) *cli.Command {
	return &cli.Command{
		Name:      "plan",
		Usage:     "show what load would change in the graph (create, update, delete), without writing",
		ArgsUsage: "[PATH...]  (files or folders; default: the embedded seeds)",
		Description: "Validates the seed files and compares them with the graph, reading it in batches by id:\n" +
			"+ records to create, ~ to update (with each property's old -> new value), - to delete (with\n" +
			"--prune), and the constraints and indexes load would create. With --answers, also every stored\n" +
			"answer the load would change (each query at its defaults, and the files' watch: list), read on\n" +
			"the load applied in a transaction that is then rolled back: its changed rows, and the changed\n" +
			"records that appear in it. Above --single-tx-limit they can't be read: it says why, exit 1.\n\n" +
			"Exit status: 0 whether or not there are changes, 1 invalid data or an error, 2 usage error,\n" +
			"3-6 connection problems. With --detailed-exitcode (as terraform plan has it): 0 no changes,\n" +
			"2 changes, 1 any error.",
		Flags: append(datasetFlags(),
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 0 when there are no changes, 2 when there are, 1 on error"},
		),
		OnUsageError: func(c *cli.Context, err error, _ bool) error { return detailedExitCode(c, usageError(err)) },
		Action:       withDB(st, runPlan),
	}
}

// exitChanges is plan's exit status for pending changes with --detailed-exitcode.
const exitChanges = 2

// detailedExitCode is where --detailed-exitcode remaps exit codes: 2 means changes
// pending, so every error, usage errors too, is 1 (as terraform plan has it).
func detailedExitCode(c *cli.Context, err error) error {
	if err == nil || !detailedRequested(c) || exitCode(err) == exitChanges && isReported(err) {
		return err
	}
	if isReported(err) {
		return reported(exitFailure)
	}
	return withCode(exitFailure, err)
}

// detailedRequested reports whether --detailed-exitcode was given. urfave/cli v2 cannot
// say after a flag error: it drops the command's half-parsed flags, and it never reads
// the flags after the bad one (`plan --bogus --detailed-exitcode` must still exit 1, not
// 2, which would mean "changes"), so the command line is read here.
func detailedRequested(c *cli.Context) bool {
	if c.Bool("detailed-exitcode") {
		return true
	}
	for _, ctx := range c.Lineage()[1:] { // [0] is the command's own, unparsed
		for _, a := range ctx.Args().Slice() {
			if a == "--" {
				break
			}
			if f := strings.TrimLeft(a, "-"); f == "detailed-exitcode" || f == "detailed-exitcode=true" {
				return true
			}
		}
	}
	return false
}

func runPlan(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
	return detailedExitCode(c, plan(c, connect))
}

func plan(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
	format, in, opts, err := loadSetup(c)
	if err != nil {
		return err
	}
	watch, set, err := watchAnswers(c, in, answers.ModeRolledBack)
	if err != nil {
		return err
	}
	if watch != nil {
		opts.Watch = watch
	}
	db, err := connectOrValidate(c, connect, format, in)
	if err != nil {
		return err
	}
	p, err := loader.Plan(c.Context, db, in, schema.Default(), opts)
	if err != nil {
		return loadError(c, format, err, len(in))
	}
	if err := writeFindings(c, output.Text, p.Warnings, len(in)); err != nil {
		return err
	}
	switch {
	case watch != nil:
		r := answersReport(watch, set, answers.ModeRolledBack, p.WatchSkipped)
		err = writeAnswers(c.App.Writer, format, p, p.WriteText, r)
		if err == nil && p.WatchSkipped != "" {
			return reported(exitFailure) // the answers asked for were not compared: the report says why
		}
	case format == output.JSON:
		err = output.WriteJSON(c.App.Writer, p)
	default:
		err = p.WriteText(c.App.Writer)
	}
	if err == nil && c.Bool("detailed-exitcode") && p.HasChanges() {
		return reported(exitChanges)
	}
	return err
}
