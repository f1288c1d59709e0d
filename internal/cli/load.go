package cli

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/answers"
	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

func loadCommand(st *state) *cli.Command {
	return &cli.Command{
		Name:      "load",
		Usage:     "validate the seed files and write them to Neo4j: only what differs, all or nothing",
		ArgsUsage: "[PATH...]  (files or folders; default: the embedded seeds)",
		Description: "Validates first and refuses invalid data. Creates the schema's constraints and indexes, then\n" +
			"writes nodes and relationships in batches, only those that differ from the graph: a reload of\n" +
			"unchanged data writes nothing. Up to " + strconv.Itoa(loader.DefaultSingleTxLimit) + " records (--single-tx-limit) are one\n" +
			"transaction; larger datasets are one transaction per batch, and a rerun after a failure\n" +
			"converges. Everything written is marked with the dataset's name; --prune deletes the\n" +
			"dataset's records that left the files, nothing else. --dry-run is backchannel plan.\n\n" +
			"Exit status: 0 loaded (or nothing to do), 1 invalid data or a failed load, 2 usage error,\n" +
			"3-6 connection problems, 7 read-only database or no write rights, 130/143 stopped by\n" +
			"SIGINT/SIGTERM (one transaction: nothing written; batched: a rerun converges).",
		Flags: append(datasetFlags(),
			&cli.BoolFlag{Name: "dry-run", Usage: "print the plan of changes, write nothing (same as backchannel plan)"},
			&cli.BoolFlag{Name: "detailed-exitcode", Usage: "with --dry-run: exit 0 when there are no changes, 2 when there are, 1 on error"},
			&cli.BoolFlag{Name: "progress", Usage: "report progress on stderr: one line per batch, or a bar on a terminal from the start", DefaultText: "a bar on a terminal after a few seconds"},
		),
		OnUsageError: func(c *cli.Context, err error, _ bool) error { return detailedExitCode(c, usageError(err)) },
		Action: withDB(st, func(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
			if c.Bool("dry-run") {
				return runPlan(c, connect)
			}
			if c.Bool("detailed-exitcode") {
				return usageErrorf("--detailed-exitcode goes with --dry-run (or use backchannel plan)")
			}
			return runLoad(c, connect)
		}),
	}
}

// datasetFlags are the flags load and plan share.
func datasetFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "dataset", Usage: "the dataset's name, marked on everything written", DefaultText: "the files' `dataset: NAME` line"},
		&cli.BoolFlag{Name: "prune", Usage: "delete the dataset's nodes and relationships that are no longer in the files"},
		&cli.BoolFlag{Name: "prune-fewer-files", Usage: "with --prune: prune even though the last load of the dataset read more files"},
		&cli.IntFlag{Name: "batch-size", Value: loader.DefaultBatchSize, Usage: "records per batched statement"},
		&cli.IntFlag{Name: "single-tx-limit", Value: loader.DefaultSingleTxLimit, Usage: "records up to which a load is one transaction; above, one transaction per batch (0: always per batch)"},
		&cli.BoolFlag{Name: "no-cache", EnvVars: []string{"BACKCHANNEL_NO_CACHE"}, Usage: "read and compare every file: neither use nor keep the cache of validated files (under the user's cache folder) that lets a run after a small edit read only the files that changed"},
		formatFlag(output.Text, output.JSON),
		maxFindingsFlag(),
		answersFlag(),
	}
}

// loadSetup reads what load and plan share: format, inputs and options.
func loadSetup(c *cli.Context) (format output.Format, in []schema.Input, opts loader.Options, err error) {
	if format, err = formatOf(c, output.Text, output.JSON); err != nil {
		return
	}
	if c.Int("batch-size") < 1 {
		err = usageErrorf("--batch-size %d: want 1 or more", c.Int("batch-size"))
		return
	}
	if in, err = inputs(c); err != nil {
		return
	}
	limit := c.Int("single-tx-limit")
	switch {
	case limit < 0:
		err = usageErrorf("--single-tx-limit %d: want 0 or more", limit)
		return
	case limit == 0:
		limit = -1 // the loader's "always one transaction per batch"
	}
	opts = loader.Options{Prune: c.Bool("prune"), PruneFewerFiles: c.Bool("prune-fewer-files"), BatchSize: c.Int("batch-size"), SingleTxLimit: limit, Version: c.App.Version, MaxFindings: maxFindings(c)}
	if !c.Bool("no-cache") {
		opts.CacheDir = loader.DefaultCacheDir()
	}
	if opts.Dataset, err = loader.DatasetOf(c.String("dataset"), c.IsSet("dataset"), in); err != nil {
		err = usageError(err)
	}
	return
}

func runLoad(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
	format, in, opts, err := loadSetup(c)
	if err != nil {
		return err
	}
	watch, set, err := watchAnswers(c, in, answers.ModeCommitted)
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
	// Say where the data goes before writing anything (the defaults name a local server).
	fmt.Fprintf(c.App.ErrWriter, "loading dataset %q into %s, database %s\n", opts.Dataset, db.Settings.DisplayURI(), displayDatabase(db.Settings.Database))
	var finish func()
	opts.Progress, finish = newProgress(c.App.ErrWriter, c.Bool("progress"))
	res, err := loader.Load(c.Context, db, in, schema.Default(), opts)
	finish()
	if err != nil {
		return loadError(c, format, err, len(in))
	}
	if err := writeFindings(c, output.Text, res.Warnings, len(in)); err != nil {
		return err
	}
	if watch != nil {
		return writeAnswers(c.App.Writer, format, res, res.WriteText, answersReport(watch, set, answers.ModeCommitted, ""))
	}
	if format == output.JSON {
		return output.WriteJSON(c.App.Writer, res)
	}
	return res.WriteText(c.App.Writer)
}

// connectOrValidate connects; when the server can't be reached, it still checks the
// files, so that their findings are shown before the connection error (a curator
// without a server learns about the files first). On success the loader validates, as
// part of its read of the files.
func connectOrValidate(c *cli.Context, connect func() (*neo4jconn.DB, error), format output.Format, in []schema.Input) (*neo4jconn.DB, error) {
	db, err := connect()
	if err == nil {
		return db, nil
	}
	res, verr := schema.ValidateWith(c.Context, in, schema.Default(), schema.Options{MaxFindings: maxFindings(c)})
	if verr != nil || len(res.Findings) == 0 {
		return nil, err
	}
	if werr := writeResult(c, format, res, len(in)); werr != nil {
		return nil, errors.Join(err, werr)
	}
	if format == output.Text {
		fmt.Fprintf(c.App.ErrWriter, "%s, %s in %s (checked without the server)\n", output.Plural(res.Errors, "error"), output.Plural(res.Warnings, "warning"), output.Plural(len(in), "file"))
	}
	return nil, err
}

// loadError prints the findings of invalid data; the error itself says what happened
// (nothing was written), and exitCode gives it its status.
func loadError(c *cli.Context, format output.Format, err error, files int) error {
	var ve *loader.ValidationError
	if errors.As(err, &ve) {
		_, warnings := schema.Summary(ve.Findings)
		res := schema.Result{Findings: ve.Findings, Errors: ve.Errors, Warnings: warnings, Omitted: ve.Omitted}
		if werr := writeResult(c, format, res, files); werr != nil {
			return errors.Join(err, werr)
		}
	}
	return err
}

// displayDatabase names a database for people: "(the server's default)" for "".
func displayDatabase(name string) string {
	if name == "" {
		return "(the server's default)"
	}
	return name
}
