package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

// queryFormats are the formats of query run, the first the default.
var queryFormats = []output.Format{output.Table, output.JSON, output.CSV}

func queryCommand(st *state) *cli.Command {
	return &cli.Command{
		Name:  "query",
		Usage: "list, show and run the stored Cypher queries (influence paths and the analyses around them)",
		Description: "Stored queries live in queries/*.cypher, one a file, each with a header naming its\n" +
			"parameters and columns. Each also runs unchanged in Neo4j Browser after the :param\n" +
			"lines of its header.",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the stored queries with their parameters",
				Flags: []cli.Flag{formatFlag(output.Table, output.JSON)},
				Action: func(c *cli.Context) error {
					format, err := formatOf(c, output.Table, output.JSON)
					if err != nil {
						return err
					}
					if c.Args().Present() {
						return usageErrorf("query list takes no arguments")
					}
					list, err := queries.List()
					if err != nil {
						return err
					}
					return queries.WriteList(c.App.Writer, format, list)
				},
			},
			{
				Name:         "show",
				Usage:        "print a stored query's Cypher, header included (paste it into Neo4j Browser)",
				ArgsUsage:    "NAME",
				BashComplete: completeQueryNames,
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "browser", Usage: "start with the :param lines of the defaults, uncommented, so that one paste into Neo4j Browser sets them and runs the query"},
				},
				Action: func(c *cli.Context) error {
					q, err := queryArg(c)
					if err != nil {
						return err
					}
					if c.Bool("browser") {
						for _, p := range q.Params {
							if p.HasDefault {
								fmt.Fprintf(c.App.Writer, ":param %s => %s;\n", p.Name, p.Type.Literal(p.Default))
							}
						}
					}
					_, err = io.WriteString(c.App.Writer, q.Cypher)
					return err
				},
			},
			{
				Name:         "run",
				Usage:        "run a stored query against Neo4j and print its result",
				ArgsUsage:    "NAME [--param NAME=VALUE ...]",
				BashComplete: completeQueryNames,
				Description: "Parameters are checked against the query's header before anything is sent:\n" +
					"an unknown, missing, ill-typed or out-of-range parameter is a usage error (exit 2).\n" +
					"Actors may be given by ID, name or alias, case-insensitively; an unknown or\n" +
					"ambiguous actor is a usage error too. Flags may come before or after NAME.",
				Flags: []cli.Flag{
					&cli.StringSliceFlag{Name: "param", Aliases: []string{"p"}, Usage: "a parameter, as `NAME=VALUE`; repeat for each (see query list)"},
					formatFlag(queryFormats...),
					&cli.DurationFlag{Name: "timeout", Value: defaultQueryTimeout, Usage: "give up on the query after this long (also the server-side transaction timeout)", DefaultText: "1m0s, with --robustness 10m0s"},
					&cli.BoolFlag{Name: "evidence", Usage: "in a table, show the sources and quotes behind each answer too (json and csv always carry them)"},
					&cli.BoolFlag{Name: "robustness", Usage: "run the query again under the model's settings grid (schema/vocabulary.yaml influenceModel.robustness) and show in how many runs each row keeps its rank"},
				},
				Action: withDB(st, runQuery),
			},
		},
	}
}

// defaultQueryTimeout bounds a query run unless --timeout says otherwise.
const defaultQueryTimeout = time.Minute

// defaultRobustnessTimeout bounds a robustness run (all its runs) unless --timeout says
// otherwise: a grid of 40-odd runs of a path query.
const defaultRobustnessTimeout = 10 * time.Minute

func runQuery(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
	format, err := formatOf(c, queryFormats...)
	if err != nil {
		return err
	}
	timeout := c.Duration("timeout")
	if c.Bool("robustness") && !c.IsSet("timeout") {
		timeout = defaultRobustnessTimeout
	}
	if timeout <= 0 {
		return usageErrorf("--timeout %s: want a positive duration, e.g. 30s", timeout)
	}
	q, err := queryArg(c)
	if err != nil {
		return err
	}
	raw, err := queries.ParseAssignments(c.StringSlice("param"))
	if err != nil {
		return usageErrorf("query %s: %v", q.Name, err)
	}
	params, err := q.Bind(raw)
	if err != nil {
		return usageError(err)
	}
	db, err := connect()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, timeout)
	defer cancel()
	if c.Bool("robustness") {
		if err := runRobustness(ctx, c, db, q, params, format); err != nil {
			return err
		}
		warnOutsideSpan(ctx, c.App.ErrWriter, db, q, params)
		return nil
	}
	res, err := queries.Run(ctx, db, q, params)
	if err != nil {
		return err
	}
	res.ShowEvidence = c.Bool("evidence")
	if err := res.Write(c.App.Writer, string(format)); err != nil {
		return err
	}
	fmt.Fprintln(c.App.ErrWriter, output.Plural(len(res.Rows), "row"))
	warnOutsideSpan(ctx, c.App.ErrWriter, db, q, params)
	return nil
}

// queryArg is the stored query named by the command's one argument.
func queryArg(c *cli.Context) (*queries.Query, error) {
	switch c.Args().Len() {
	case 0:
		return nil, usageErrorf("%s needs a query name: backchannel query list shows them", commandPath(c))
	case 1:
		return queries.Get(c.Args().First())
	}
	return nil, usageErrorf("%s takes one query name, got %q; give parameters as --param NAME=VALUE", commandPath(c), c.Args().Slice())
}

// runRobustness runs q under the vocabulary's robustness grid and prints the base
// answer with the holds column and a legend (table, csv), or every run's rank (json).
func runRobustness(ctx context.Context, c *cli.Context, db *neo4jconn.DB, q *queries.Query, params map[string]any, format output.Format) error {
	r, err := queries.Robustness(ctx, db, q, params, schema.Default().InfluenceModel.Robustness)
	if errors.Is(err, queries.ErrNoKey) || errors.Is(err, queries.ErrNoModelParams) {
		return usageErrorf("--robustness: %v", err)
	}
	if err != nil {
		return err
	}
	if format == output.JSON {
		enc := json.NewEncoder(c.App.Writer)
		enc.SetEscapeHTML(false) // routes keep their arrows, as query run's JSON does
		enc.SetIndent("", "  ")
		return enc.Encode(robustJSON(r))
	}
	tab := r.Table()
	tab.ShowEvidence = c.Bool("evidence")
	if err := tab.Write(c.App.Writer, string(format)); err != nil {
		return err
	}
	if format == output.Table {
		fmt.Fprintln(c.App.Writer)
		for _, l := range output.Wrap(r.Legend(), 100) {
			fmt.Fprintln(c.App.Writer, l)
		}
		fmt.Fprintln(c.App.ErrWriter, output.Plural(len(tab.Rows), "row"))
	}
	return nil
}

// robustJSON is a robustness run as JSON: the runs, and each row of the answer (every
// column) with its rank, how often it holds and its rank in each run.
func robustJSON(r *queries.Robust) any {
	type row struct {
		Row any `json:"row"`
		queries.RobustRow
	}
	rows := make([]row, len(r.Rows))
	for i, rr := range r.Rows {
		obj := map[string]any{}
		for j, col := range r.Base.Columns {
			obj[col] = r.Base.Rows[i][j]
		}
		rows[i] = row{obj, rr}
	}
	return struct {
		*queries.Robust
		Rows []row `json:"rows"`
	}{r, rows}
}
