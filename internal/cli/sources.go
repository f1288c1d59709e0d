package cli

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
	"github.com/backchannel/backchannel/sources"
)

func sourcesCommand() *cli.Command {
	return &cli.Command{
		Name:  "sources",
		Usage: "check that every quote is on the page or file its source names",
		Subcommands: []*cli.Command{{
			Name:      "verify",
			Usage:     "fetch each source's page (or read its file:) and report every quote not on it, as file:line:col",
			ArgsUsage: "[PATH...]  (files or folders; default: the embedded seeds)",
			Description: "Pages are fetched a few at a time and one at a time per host, with a timeout, a size\n" +
				"cap and retries on 429 and 5xx (Retry-After honoured). Findings go to stderr in\n" +
				"validate's form; the summary goes to stdout (--format json: one document on stdout).\n" +
				"Exit status: 0 every quote found (warnings allowed unless --strict), 1 a quote not\n" +
				"found or a source unreachable, 2 usage error or a file that could not be read.",
			Flags: []cli.Flag{
				formatFlag(output.Text, output.JSON),
				&cli.BoolFlag{Name: "strict", Usage: "fail on warnings too (a page moved or not checkable)"},
				&cli.StringSliceFlag{Name: "source", Usage: "check only the source `ID` (repeatable)"},
				archiveFlag(),
				&cli.BoolFlag{Name: "offline", Usage: "verify from the archive alone: fetch nothing"},
				&cli.DurationFlag{Name: "timeout", Value: sources.DefaultTimeout, Usage: "time allowed for one request, body included"},
			},
			Action: func(c *cli.Context) error {
				format, err := formatOf(c, output.Text, output.JSON)
				if err != nil {
					return err
				}
				if c.Duration("timeout") <= 0 {
					return usageError(fmt.Errorf("--timeout %v: want a positive duration", c.Duration("timeout")))
				}
				in, err := inputs(c)
				if err != nil {
					return err
				}
				opt := sources.Options{
					Sources: c.StringSlice("source"),
					Archive: c.String("archive"),
					Offline: c.Bool("offline"),
					Fetcher: &sources.Fetcher{
						UserAgent: fmt.Sprintf("backchannel/%s (sources verify; checks quoted words on cited pages)", c.App.Version),
						Timeout:   c.Duration("timeout"),
					},
				}
				if c.Args().Len() == 0 {
					opt.ReadFile = embeddedFile
				}
				rep, err := sources.Verify(c.Context, in, opt)
				if err != nil {
					if strings.HasPrefix(err.Error(), "no source ") {
						return usageError(err)
					}
					return err
				}
				return writeVerify(c, format, rep)
			},
		}, {
			Name:      "show",
			Usage:     "print each quote of a source with the sentence around it, from the archive",
			ArgsUsage: "ID",
			Flags:     []cli.Flag{archiveFlag()},
			Action: func(c *cli.Context) error {
				if c.Args().Len() != 1 {
					return usageError(fmt.Errorf("sources show takes one source ID"))
				}
				e, err := sources.ReadEntry(c.String("archive"), c.Args().First())
				if err != nil {
					return usageError(err)
				}
				if _, err := fmt.Fprintf(c.App.Writer, "%s\n%s, fetched %s, sha256 %s\n", e.ID, e.URL, e.Retrieved.Format(time.RFC3339), e.SHA256[:min(12, len(e.SHA256))]); err != nil {
					return err
				}
				for _, q := range e.Quotes {
					if _, err := fmt.Fprintf(c.App.Writer, "\n%s (characters %d-%d):\n  %q\n  in: %s\n", q.Record, q.Start, q.End, q.Quote, q.Sentence); err != nil {
						return err
					}
				}
				return nil
			},
		}},
	}
}

// archiveFlag is --archive, where sources verify keeps the pages it fetched.
func archiveFlag() cli.Flag {
	return &cli.StringFlag{Name: "archive", Value: sources.DefaultArchive, Usage: "the folder of fetched pages (`DIR`, git-ignored)"}
}

// embeddedFile reads a file: source of the embedded seeds.
func embeddedFile(seedFile, name string) ([]byte, error) {
	return fs.ReadFile(seeds.FS, strings.TrimPrefix(path.Join(path.Dir(seedFile), name), "seeds/"))
}

// writeVerify prints the findings and the summary line, or one JSON document.
func writeVerify(c *cli.Context, format output.Format, rep sources.Report) error {
	errs, warnings := schema.Summary(rep.Findings)
	if format == output.JSON {
		findings := rep.Findings
		if findings == nil {
			findings = []schema.Finding{}
		}
		if err := output.WriteJSON(c.App.Writer, map[string]any{
			"sourcesFetched": rep.Fetched, "quotesVerified": rep.Verified, "quotesNotFound": rep.NotFound,
			"sourcesUnreachable": rep.Unreachable, "errors": errs, "warnings": warnings, "findings": findings,
		}); err != nil {
			return err
		}
	} else {
		for _, f := range rep.Findings {
			if _, err := fmt.Fprintln(c.App.ErrWriter, f); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(c.App.Writer, "%s fetched, %s verified, %d not found, %d unreachable\n",
			output.Plural(rep.Fetched, "source"), output.Plural(rep.Verified, "quote"), rep.NotFound, rep.Unreachable); err != nil {
			return err
		}
	}
	if code := findingsCode(rep.Findings, c.Bool("strict")); code != exitOK {
		return reported(code)
	}
	return nil
}
