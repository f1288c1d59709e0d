package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/queries"
)

func queryCommand() *cli.Command {
	cmd := &cli.Command{
		Name:  "query",
		Usage: "list, show and run the stored Cypher queries (influence paths and the analyses around them)",
		Description: "Stored queries live in queries/*.cypher, one a file, each with a header naming its\n" +
			"parameters and columns. Each also runs unchanged in Neo4j Browser after the :param\n" +
			"lines of its header.",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the stored queries with their parameters",
				Flags: []cli.Flag{formatFlag("table", "json")},
				Action: func(c *cli.Context) error {
					format, err := formatOf(c, "table", "json")
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
					return writeQueryList(c.App.Writer, format, list)
				},
			},
			{
				Name:      "show",
				Usage:     "print a stored query's Cypher, header included (paste it into Neo4j Browser)",
				ArgsUsage: "NAME",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "browser", Usage: "start with the :param lines of the defaults, uncommented, so that one paste into Neo4j Browser sets them and runs the query"},
				},
				Action: func(c *cli.Context) error {
					if c.Args().Len() != 1 {
						return usageErrorf("query show takes one query name: backchannel query list shows them")
					}
					q, err := getQuery(c.Args().First())
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
				Name:      "run",
				Usage:     "run a stored query against Neo4j and print its result",
				ArgsUsage: "NAME [--param NAME=VALUE ...]",
				Description: "Parameters are checked against the query's header before anything is sent:\n" +
					"an unknown, missing, ill-typed or out-of-range parameter is a usage error (exit 2).\n" +
					"Actors may be given by ID, name or alias, case-insensitively; an unknown or\n" +
					"ambiguous actor is a usage error too. Flags may come before or after NAME.",
				// The flags are parsed by parseRunArgs, before or after NAME; they are
				// declared here for --help.
				SkipFlagParsing: true,
				Flags: []cli.Flag{
					&cli.StringSliceFlag{Name: "param", Aliases: []string{"p"}, Usage: "a parameter, as `NAME=VALUE`; repeat for each (see query list)"},
					formatFlag(queries.Formats...),
					&cli.DurationFlag{Name: "timeout", Value: defaultQueryTimeout, Usage: "give up on the query after this long (also the server-side transaction timeout)"},
				},
				Action: runQuery,
			},
		},
	}
	for _, sub := range cmd.Subcommands {
		sub.OnUsageError = func(c *cli.Context, err error, _ bool) error {
			return &exitError{code: exitUsage, msg: err.Error(), err: err}
		}
	}
	return cmd
}

// defaultQueryTimeout bounds a query run unless --timeout says otherwise.
const defaultQueryTimeout = time.Minute

// paramFlag collects repeated --param NAME=VALUE flags, without splitting on commas
// (a list of actors is written usa,israel).
type paramFlag struct{ values []string }

func (p *paramFlag) Set(v string) error { p.values = append(p.values, v); return nil }
func (p *paramFlag) String() string     { return strings.Join(p.values, " ") }

// runArgs are the run command's settings.
type runArgs struct {
	name    string
	params  []string
	format  string
	timeout time.Duration
}

// parseRunArgs reads NAME and the flags, which may come before or after it, the way the
// command is documented: query run NAME --param from=usa. (urfave/cli stops at the first
// argument, so the command skips its flag parsing and parses here.)
func parseRunArgs(args []string) (runArgs, error) {
	fs := flag.NewFlagSet("query run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	params := &paramFlag{}
	fs.Var(params, "param", "")
	fs.Var(params, "p", "")
	format := fs.String("format", queries.Formats[0], "")
	timeout := fs.Duration("timeout", defaultQueryTimeout, "")
	var positional []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return runArgs{}, err
			}
			return runArgs{}, usageErrorf("query run: %v (connection flags such as --uri go before the command: backchannel --uri URI query run NAME)", err)
		}
		args = fs.Args()
		if len(args) > 0 {
			positional = append(positional, args[0])
			args = args[1:]
		}
	}
	ra := runArgs{params: params.values, format: *format, timeout: *timeout}
	switch len(positional) {
	case 0:
		return ra, usageErrorf("query run needs a query name: backchannel query list shows them")
	case 1:
		ra.name = positional[0]
	default:
		return ra, usageErrorf("query run takes one query name, got %q; give parameters as --param NAME=VALUE", positional)
	}
	if !contains(queries.Formats, ra.format) {
		return ra, usageErrorf("--format %q: want one of %v", ra.format, queries.Formats)
	}
	if ra.timeout <= 0 {
		return ra, usageErrorf("--timeout %s: want a positive duration, e.g. 30s", ra.timeout)
	}
	return ra, nil
}

func runQuery(c *cli.Context) (err error) {
	ra, err := parseRunArgs(c.Args().Slice())
	if errors.Is(err, flag.ErrHelp) {
		cli.HelpPrinter(c.App.Writer, cli.CommandHelpTemplate, c.Command)
		return nil
	}
	if err != nil {
		return err
	}
	q, err := getQuery(ra.name)
	if err != nil {
		return err
	}
	raw, err := queries.ParseAssignments(ra.params)
	if err != nil {
		return usageErrorf("query %s: %v", q.Name, err)
	}
	params, err := q.Bind(raw)
	if err != nil {
		return &exitError{code: exitUsage, msg: oneLine(err), err: err}
	}
	db, err := connect(c)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close(context.WithoutCancel(c.Context))) }()
	ctx, cancel := context.WithTimeout(c.Context, ra.timeout)
	defer cancel()
	res, err := queries.Run(ctx, db, q, params)
	if err != nil {
		var ae *queries.ActorError
		if errors.As(err, &ae) {
			return &exitError{code: exitUsage, msg: oneLine(err), err: err}
		}
		return err
	}
	if err := res.Write(c.App.Writer, ra.format); err != nil {
		return err
	}
	if ra.format == "table" {
		fmt.Fprintf(c.App.ErrWriter, "%s\n", plural(len(res.Rows), "row"))
	}
	return nil
}

func getQuery(name string) (*queries.Query, error) {
	q, err := queries.Get(name)
	if errors.Is(err, queries.ErrUnknownQuery) {
		return nil, &exitError{code: exitUsage, msg: err.Error(), err: err}
	}
	return q, err
}

// oneLine joins the lines of a joined error with "; ", so that every problem is
// reported on the one line main prints.
func oneLine(err error) string {
	lines := strings.Split(err.Error(), "\n")
	if len(lines) == 1 {
		return lines[0]
	}
	return fmt.Sprintf("%d problems: %s", len(lines), strings.Join(lines, "; "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func writeQueryList(w io.Writer, format string, list []*queries.Query) error {
	if format == "json" {
		type param struct {
			Name    string `json:"name"`
			Type    string `json:"type"`
			Default string `json:"default,omitempty"`
			Min     string `json:"min,omitempty"`
			Max     string `json:"max,omitempty"`
			Meaning string `json:"meaning"`
		}
		type query struct {
			Name        string   `json:"name"`
			Description string   `json:"description"`
			File        string   `json:"file"`
			Params      []param  `json:"params"`
			Columns     []string `json:"columns"`
		}
		out := make([]query, len(list))
		for i, q := range list {
			out[i] = query{Name: q.Name, Description: q.Description, File: "queries/" + q.File, Columns: q.Columns, Params: []param{}}
			for _, p := range q.Params {
				out[i].Params = append(out[i].Params, param{p.Name, string(p.Type), p.Default, p.Min, p.Max, p.Meaning})
			}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	// One block per query: its name, its description, then a line per parameter.
	for i, q := range list {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w, q.Name)
		fmt.Fprintln(w, "    "+q.Description)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, p := range q.Params {
			var detail []string
			if p.HasDefault {
				detail = append(detail, "default "+p.Default)
			}
			if p.Min != "" || p.Max != "" {
				detail = append(detail, p.Min+".."+p.Max)
			}
			fmt.Fprintf(tw, "    --param %s=%s\t%s\t%s\n", p.Name, strings.ToUpper(string(p.Type)), strings.Join(detail, ", "), p.Meaning)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
