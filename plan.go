package main

import (
	"encoding/json"
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/schema"
)

func planCommand() *cli.Command {
	return &cli.Command{
		Name:      "plan",
		Usage:     "show what load would change in the graph (create, update, delete), without writing",
		ArgsUsage: "[PATH...]  (files or folders; default: the embedded seeds)",
		Description: "Validates the seed files and compares them with the graph, reading it in batches by id:\n" +
			"+ records to create, ~ to update (with each property's old -> new value), - to delete (with\n" +
			"--prune), and the constraints and indexes load would create.\n\n" +
			"Exit status: 0 whether or not there are changes, 1 invalid data or an error, 2 usage error,\n" +
			"3-6 connection problems. With --detailed-exitcode (as terraform plan has it): 0 no changes,\n" +
			"2 changes, 1 any error.",
		Flags: append(datasetFlags(),
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "exit 0 when there are no changes, 2 when there are, 1 on error"},
		),
		Action: runPlan,
	}
}

// exitChanges is plan's exit status for pending changes with --detailed-exitcode.
const exitChanges = 2

func runPlan(c *cli.Context) error {
	err := planAction(c)
	if err == nil || !c.Bool("detailed-exitcode") {
		return err
	}
	// With --detailed-exitcode, 2 means changes: every error, usage errors too, is 1.
	var ex *exitError
	if errors.As(err, &ex) && ex.msg == "" {
		if ex.code == exitChanges {
			return err
		}
		return &exitError{code: exitFailure} // already reported
	}
	return &exitError{code: exitFailure, msg: err.Error(), err: err}
}

func planAction(c *cli.Context) (err error) {
	format, in, opts, db, err := loadSetup(c)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close(c.Context)) }()
	p, err := loader.Plan(c.Context, db, in, schema.Default(), opts)
	if err != nil {
		return loadError(c, format, err, len(in))
	}
	writeWarnings(c.App.ErrWriter, p.Warnings)
	if format == "json" {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		err = enc.Encode(p)
	} else {
		err = p.WriteText(c.App.Writer)
	}
	if err == nil && c.Bool("detailed-exitcode") && p.HasChanges() {
		return &exitError{code: exitChanges}
	}
	return err
}
