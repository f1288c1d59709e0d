package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/answers"
	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// inputs returns the seed files named on the command line, or the embedded seeds.
func inputs(c *cli.Context) ([]schema.Input, error) { return inputsOf(c.Args().Slice()) }

// inputsOf returns the seed files of paths, or the embedded seeds for none.
func inputsOf(paths []string) ([]schema.Input, error) {
	if len(paths) == 0 {
		return schema.FSInputs(seeds.FS, "seeds/")
	}
	return schema.PathInputs(paths), nil
}

func validateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check seed files against the schema and report every problem as file:line:col",
		ArgsUsage: "[PATH...]  (files or folders; default: the embedded seeds)",
		Description: "Findings go to stderr, one a line; the count goes to stdout (--format json: one\n" +
			"document on stdout). Exit status: 0 no errors (warnings allowed unless --strict),\n" +
			"1 errors found, 2 usage error or a file that could not be read.",
		Flags: []cli.Flag{
			formatFlag(output.Text, output.JSON),
			&cli.BoolFlag{Name: "strict", Usage: "fail on warnings too"},
			maxFindingsFlag(),
		},
		Action: func(c *cli.Context) error {
			format, err := formatOf(c, output.Text, output.JSON)
			if err != nil {
				return err
			}
			in, err := inputs(c)
			if err != nil {
				return err
			}
			res, err := schema.ValidateWith(c.Context, in, schema.Default(), schema.Options{MaxFindings: maxFindings(c)})
			if err != nil {
				return err
			}
			if err := checkWatchList(&res, in); err != nil {
				return err
			}
			findings := res.Findings
			if err := writeResult(c, format, res, len(in)); err != nil {
				return err
			}
			if format == output.Text {
				if _, err := fmt.Fprintf(c.App.Writer, "%s, %s in %s\n", output.Plural(res.Errors, "error"), output.Plural(res.Warnings, "warning"), output.Plural(len(in), "file")); err != nil {
					return err
				}
			}
			if code := findingsCode(findings, c.Bool("strict")); code != exitOK {
				return reported(code)
			}
			return nil
		},
	}
}

// maxFindingsFlag is --max-findings, for the commands that validate.
func maxFindingsFlag() cli.Flag {
	return &cli.IntFlag{Name: "max-findings", Value: schema.DefaultMaxFindings, Usage: "show at most `N` findings, and read at most N from one file (0: no limit)"}
}

// maxFindings returns --max-findings as schema.Options takes it.
func maxFindings(c *cli.Context) int {
	if n := c.Int("max-findings"); n > 0 {
		return n
	}
	return -1
}

// checkWatchList adds to res the findings of the files' watch lists that only the
// stored queries can tell (rule watch-query: a query that does not exist, parameters it
// refuses); the schema checks their shape.
func checkWatchList(res *schema.Result, in []schema.Input) error {
	watch := schema.DeclaredWatches(in)
	if len(watch) == 0 {
		return nil
	}
	lib, err := queries.Default()
	if err != nil {
		return err
	}
	fs := answers.Check(lib, watch)
	if len(fs) == 0 {
		return nil
	}
	res.Findings = append(res.Findings, fs...)
	res.Errors += len(fs)
	schema.SortFindings(res.Findings)
	return nil
}
