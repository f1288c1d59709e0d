package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/render"
	"github.com/backchannel/backchannel/schema"
)

func renderCommand(st *state) *cli.Command {
	return &cli.Command{
		Name:  "render",
		Usage: "draw the influence network, or what a stored query returns, as SVG or PNG",
		Description: "Without --query it draws every influence relationship between actors (on the\n" +
			"day --as-of names, if given); with --query NAME it draws what the stored query\n" +
			"returns: the paths of influence-paths and shortest-path one box a path, in rank\n" +
			"order, e.g.\n" +
			"  backchannel render --query influence-paths --param from=Iran --param to=Israel --out paths.svg\n" +
			"(the other queries return tables: nothing to draw). Colours follow the Neo4j Browser style; relationships are labelled with their type and\n" +
			"signed strength. SVG and PNG need Graphviz (Debian: apt-get install graphviz).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "query", Usage: "draw the result of the stored query `NAME` (backchannel query list)"},
			&cli.StringSliceFlag{Name: "param", Aliases: []string{"p"}, Usage: "a parameter of --query, `NAME=VALUE`; repeat for each"},
			&cli.StringFlag{Name: "as-of", Usage: "draw only the network's relationships in force on `DATE` (YYYY-MM-DD)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to `FILE` (its extension picks the format); default: standard output"},
			&cli.StringFlag{Name: "format", Usage: fmt.Sprintf("output format: %v (default: from --out's extension, else svg)", render.Formats)},
			&cli.StringFlag{Name: "title", Usage: "the picture's title (default: what it shows)"},
			&cli.DurationFlag{Name: "timeout", Value: defaultQueryTimeout, Usage: "give up on the query after this long"},
		},
		Action: withDB(st, runRender),
	}
}

func runRender(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
	if c.Args().Present() {
		return usageErrorf("render takes no arguments: give a query with --query NAME")
	}
	format, err := renderFormat(c.String("format"), c.String("out"))
	if err != nil {
		return err
	}
	if format == "png" && c.String("out") == "" && terminal(c.App.Writer) {
		return usageErrorf("render: a PNG is not for a terminal: give --out FILE.png, or redirect the output")
	}
	q, params, title, err := renderSubject(c)
	if err != nil {
		return err
	}
	if t := c.String("title"); t != "" {
		title = t
	}
	db, err := connect()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("timeout"))
	defer cancel()
	g, err := queries.RunGraph(ctx, db, q, params)
	if err != nil {
		return err
	}
	if len(g.Nodes) == 0 {
		return render.NothingToDraw(q.Name, g, pathQueries())
	}
	out := render.DOT(g, schema.Default(), title)
	drawn := output.Plural(len(g.Nodes), "node") + ", " + output.Plural(len(g.Rels), "relationship")
	if render.DrawsPaths(q) && len(g.Paths) > 0 {
		out = render.PathsDOT(g, schema.Default(), title)
		drawn = output.Plural(len(g.Paths), "path") + ", one box each"
	}
	if format != "dot" {
		if out, err = render.Graphviz(ctx, out, format); err != nil {
			return err
		}
	}
	if file := c.String("out"); file != "" {
		if err := os.WriteFile(file, out, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(c.App.ErrWriter, "Wrote %s: %s.\n", file, drawn)
		return nil
	}
	_, err = c.App.Writer.Write(out)
	return err
}

// pathQueries are the names of the stored queries that return paths to draw.
func pathQueries() []string {
	var names []string
	if list, err := queries.List(); err == nil {
		for _, q := range list {
			if render.DrawsPaths(q) {
				names = append(names, q.Name)
			}
		}
	}
	return names
}

// renderFormat is --format, or the extension of --out, or svg.
func renderFormat(format, out string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
		if format == "" {
			format = render.Formats[0]
		}
	}
	if !slices.Contains(render.Formats, format) {
		return "", usageErrorf("render: format %q: want one of %v (from --format or --out's extension)", format, render.Formats)
	}
	return format, nil
}

// renderSubject is the query render runs, its parameters and the default title.
func renderSubject(c *cli.Context) (*queries.Query, map[string]any, string, error) {
	assignments := c.StringSlice("param")
	name := c.String("query")
	if name == "" {
		if len(assignments) > 0 {
			return nil, nil, "", usageErrorf("render: --param goes with --query NAME")
		}
		title := "Influence between the actors"
		params := map[string]any{"date": nil}
		if d := c.String("as-of"); d != "" {
			date, err := queries.TypeDate.Parse(d)
			if err != nil {
				return nil, nil, "", usageErrorf("render: --as-of: %v", err)
			}
			params["date"] = date
			title += ", as of " + d
		}
		return queries.Network, params, title, nil
	}
	if c.IsSet("as-of") {
		return nil, nil, "", usageErrorf("render: --as-of draws the network; with --query, give the query's own date parameter")
	}
	q, err := queries.Get(name)
	if err != nil {
		return nil, nil, "", err
	}
	raw, err := queries.ParseAssignments(assignments)
	if err != nil {
		return nil, nil, "", usageErrorf("render: query %s: %v", q.Name, err)
	}
	params, err := q.Bind(raw)
	if err != nil {
		return nil, nil, "", usageError(err)
	}
	title := q.Name
	for _, a := range assignments {
		title += " " + a
	}
	return q, params, title, nil
}
