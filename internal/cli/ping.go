package cli

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/neo4jconn"
)

func pingCommand(st *state) *cli.Command {
	return &cli.Command{
		Name:  "ping",
		Usage: "connect to Neo4j and print the server, its version, the database and the round-trip time",
		Flags: []cli.Flag{formatFlag(output.Text, output.JSON)},
		Action: withDB(st, func(c *cli.Context, connect func() (*neo4jconn.DB, error)) error {
			format, err := formatOf(c, output.Text, output.JSON)
			if err != nil {
				return err
			}
			db, err := connect()
			if err != nil {
				return err
			}
			info, err := db.Ping(c.Context)
			if err != nil {
				return err
			}
			if format == output.JSON {
				return output.WriteJSON(c.App.Writer, struct {
					URI  string `json:"uri"`
					User string `json:"user"`
					neo4jconn.Info
				}{db.Settings.DisplayURI(), db.Settings.Username, info})
			}
			w := output.TableWriter(c.App.Writer)
			fmt.Fprintf(w, "uri:\t%s\n", db.Settings.DisplayURI())
			fmt.Fprintf(w, "server:\t%s at %s (%s)\n", info.Agent, info.Address, info.Protocol)
			fmt.Fprintf(w, "edition:\t%s\n", info.Edition)
			fmt.Fprintf(w, "version:\t%s\n", info.Version)
			fmt.Fprintf(w, "database:\t%s\n", info.Database)
			fmt.Fprintf(w, "user:\t%s\n", db.Settings.Username)
			fmt.Fprintf(w, "round trip:\t%s\n", info.RoundTrip.Round(10*time.Microsecond))
			return w.Flush()
		}),
	}
}
