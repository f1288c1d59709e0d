package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/schema"
)

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:  "schema",
		Usage: "print what the schema derives: the JSON Schema for editors, the Neo4j constraints and indexes",
		Subcommands: []*cli.Command{
			{
				Name:  "json-schema",
				Usage: "print the JSON Schema of seed files (kept in " + schema.JSONSchemaFile + " for editors)",
				Action: func(c *cli.Context) error {
					out, err := schema.Default().JSONSchema()
					if err != nil {
						return err
					}
					_, err = c.App.Writer.Write(out)
					return err
				},
			},
			{
				Name:  "grass",
				Usage: "print a Neo4j Browser style sheet: colours per node kind, captions, influence sign on relationships (kept in schema/browser.grass)",
				Action: func(c *cli.Context) error {
					_, err := fmt.Fprint(c.App.Writer, schema.Default().GraSS())
					return err
				},
			},
			{
				Name:  "cypher",
				Usage: "print the constraints and indexes the loader creates",
				Action: func(c *cli.Context) error {
					for _, st := range schema.Default().Constraints() {
						if _, err := fmt.Fprintf(c.App.Writer, "%s;\n", st.Cypher); err != nil {
							return err
						}
					}
					return nil
				},
			},
		},
	}
}
