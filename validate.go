package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// inputs returns the seed files named on the command line, or the embedded seeds.
func inputs(c *cli.Context) ([]schema.Input, error) {
	if !c.Args().Present() {
		return schema.FSInputs(seeds.FS, "seeds/")
	}
	return schema.PathInputs(c.Args().Slice()), nil
}

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check seed files against the schema and report every problem as file:line:col",
		ArgsUsage: "[PATH...]  (files or folders; default: the embedded seeds)",
		Description: "Exit status: 0 no errors (warnings allowed unless --strict), 1 errors found, " +
			"2 usage error or a file that could not be read.",
		Flags: []cli.Flag{
			formatFlag("text", "json"),
			&cli.BoolFlag{Name: "strict", Usage: "fail on warnings too"},
		},
		Action: func(c *cli.Context) error {
			format, err := formatOf(c, "text", "json")
			if err != nil {
				return err
			}
			in, err := inputs(c)
			if err != nil {
				return err
			}
			findings := schema.Validate(in, schema.Default())
			errs, warnings := schema.Summary(findings)
			if err := writeFindings(c.App.Writer, format, findings, len(in)); err != nil {
				return err
			}
			switch {
			case schema.HasIOErrors(findings):
				return &exitError{code: exitUsage}
			case errs > 0 || (c.Bool("strict") && warnings > 0):
				return &exitError{code: exitFailure}
			}
			return nil
		},
	}
}

// writeFindings prints findings one per line, then a count; or all of it as JSON.
func writeFindings(w io.Writer, format string, findings []schema.Finding, files int) error {
	errs, warnings := schema.Summary(findings)
	if format == "json" {
		if findings == nil {
			findings = []schema.Finding{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"files": files, "errors": errs, "warnings": warnings, "findings": findings})
	}
	for _, f := range findings {
		if _, err := fmt.Fprintln(w, f); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%s, %s in %s\n", plural(errs, "error"), plural(warnings, "warning"), plural(files, "file"))
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
