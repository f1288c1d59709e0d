package cli

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/schema"
)

// formatFlag is --format with the command's choices, the first the default.
func formatFlag(choices ...output.Format) cli.Flag {
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = string(c)
	}
	return &cli.StringFlag{Name: "format", Value: names[0], Usage: "output format: " + strings.Join(names, ", ")}
}

// formatOf returns --format, checked against the command's choices.
func formatOf(c *cli.Context, choices ...output.Format) (output.Format, error) {
	f, err := output.Parse(c.String("format"), choices...)
	if err != nil {
		return "", usageError(err)
	}
	return f, nil
}

// writeFindings is the one place findings are printed. As text they are diagnostics:
// one a line, compiler-style (file:line:col: severity: message [rule]), on stderr. As
// JSON they are the command's result: one document on stdout, with the counts.
func writeFindings(c *cli.Context, format output.Format, findings []schema.Finding, files int) error {
	errs, warnings := schema.Summary(findings)
	return writeResult(c, format, schema.Result{Findings: findings, Errors: errs, Warnings: warnings}, files)
}

// writeResult is writeFindings for a capped result: it says how many were not shown.
func writeResult(c *cli.Context, format output.Format, res schema.Result, files int) error {
	findings := res.Findings
	if format == output.JSON {
		if findings == nil {
			findings = []schema.Finding{}
		}
		return output.WriteJSON(c.App.Writer, map[string]any{"files": files, "errors": res.Errors, "warnings": res.Warnings, "omitted": res.Omitted, "findings": findings})
	}
	for _, f := range findings {
		if _, err := fmt.Fprintln(c.App.ErrWriter, f); err != nil {
			return err
		}
	}
	if res.Omitted > 0 {
		if _, err := fmt.Fprintf(c.App.ErrWriter, "%d more not shown (--max-findings %d; 0 shows all)\n", res.Omitted, len(findings)); err != nil {
			return err
		}
	}
	return nil
}

// oneLine joins the lines of an error (errors.Join makes one per problem) with "; ", so
// that every problem is reported on the one line run prints.
func oneLine(err error) string {
	lines := strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")
	if len(lines) == 1 {
		return lines[0]
	}
	return fmt.Sprintf("%d problems: %s", len(lines), strings.Join(lines, "; "))
}
