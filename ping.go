package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/neo4jconn"
)

func pingCommand() *cli.Command {
	return &cli.Command{
		Name:  "ping",
		Usage: "connect to Neo4j and print the server, its version, the database and the round-trip time",
		Flags: []cli.Flag{formatFlag("text", "json")},
		Action: func(c *cli.Context) (err error) {
			format, err := formatOf(c, "text", "json")
			if err != nil {
				return err
			}
			db, err := connect(c)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, db.Close(c.Context)) }()
			info, err := db.Ping(c.Context)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(c.App.Writer)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					URI  string `json:"uri"`
					User string `json:"user"`
					neo4jconn.Info
				}{db.Settings.DisplayURI(), db.Settings.Username, info})
			}
			w := tabwriter.NewWriter(c.App.Writer, 0, 0, 1, ' ', 0)
			fmt.Fprintf(w, "uri:\t%s\n", db.Settings.DisplayURI())
			fmt.Fprintf(w, "server:\t%s at %s (%s)\n", info.Agent, info.Address, info.Protocol)
			fmt.Fprintf(w, "edition:\t%s\n", info.Edition)
			fmt.Fprintf(w, "version:\t%s\n", info.Version)
			fmt.Fprintf(w, "database:\t%s\n", info.Database)
			fmt.Fprintf(w, "user:\t%s\n", db.Settings.Username)
			fmt.Fprintf(w, "round trip:\t%s\n", info.RoundTrip.Round(10_000))
			return w.Flush()
		},
	}
}

func formatFlag(choices ...string) cli.Flag {
	return &cli.StringFlag{Name: "format", Value: choices[0], Usage: fmt.Sprintf("output format: %v", choices)}
}

// formatOf returns --format, checked against the command's choices.
func formatOf(c *cli.Context, choices ...string) (string, error) {
	f := c.String("format")
	for _, ch := range choices {
		if f == ch {
			return f, nil
		}
	}
	return "", usageErrorf("--format %q: want one of %v", f, choices)
}
