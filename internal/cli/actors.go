package cli

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/queries"
)

func actorsCommand(st *state) *cli.Command {
	return &cli.Command{
		Name:  "actors",
		Usage: "list the actors in Neo4j: ID, name, kind and aliases (what actor parameters take)",
		Flags: []cli.Flag{
			formatFlag(queryFormats...),
			&cli.DurationFlag{Name: "timeout", Value: defaultQueryTimeout, Usage: "give up on the query after this long"},
		},
		Action: withDB(st, func(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
			if c.Args().Present() {
				return usageErrorf("actors takes no arguments")
			}
			return runAndPrint(c, connect, func(ctx context.Context, db *neo4jconn.DB) (*queries.Result, error) {
				return queries.Run(ctx, db, queries.Actors, nil)
			})
		}),
	}
}

func cypherCommand(st *state) *cli.Command {
	return &cli.Command{
		Name:      "cypher",
		Usage:     "run a Cypher statement and print its result as a table (read-only unless --write)",
		ArgsUsage: "'STATEMENT'",
		Description: "For users without cypher-shell, e.g.\n" +
			"  backchannel cypher 'MATCH (r:BackchannelRun) RETURN r.dataset, r.finishedAt'\n" +
			"The statement runs in a read transaction, which the server refuses to let write;\n" +
			"--write runs it in a write transaction.",
		Flags: []cli.Flag{
			formatFlag(queryFormats...),
			&cli.BoolFlag{Name: "write", Usage: "allow the statement to write"},
			&cli.DurationFlag{Name: "timeout", Value: defaultQueryTimeout, Usage: "give up on the statement after this long"},
		},
		Action: withDB(st, func(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
			if c.Args().Len() != 1 || c.Args().First() == "" {
				return usageErrorf("cypher takes one statement, quoted: backchannel cypher 'MATCH (a:Actor) RETURN a.name'")
			}
			return runAndPrint(c, connect, func(ctx context.Context, db *neo4jconn.DB) (*queries.Result, error) {
				return queries.RunCypher(ctx, db, c.Args().First(), c.Bool("write"))
			})
		}),
	}
}

// runAndPrint connects, runs what run does within --timeout and prints its result in
// --format, the row count on stderr, as query run does.
func runAndPrint(c *cli.Context, connect func() (*neo4jconn.DB, error), run func(context.Context, *neo4jconn.DB) (*queries.Result, error)) error {
	format, err := formatOf(c, queryFormats...)
	if err != nil {
		return err
	}
	timeout := c.Duration("timeout")
	if timeout <= 0 {
		return usageErrorf("--timeout %s: want a positive duration, e.g. 30s", timeout)
	}
	db, err := connect()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, timeout)
	defer cancel()
	res, err := run(ctx, db)
	if err != nil {
		return err
	}
	if err := res.Write(c.App.Writer, string(format)); err != nil {
		return err
	}
	fmt.Fprintln(c.App.ErrWriter, output.Plural(len(res.Rows), "row"))
	return nil
}
