package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/schema"
)

func exportCommand() *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "write the seed files as the CSV files neo4j-admin database import takes (the bulk path)",
		ArgsUsage: "DIR [PATH...]  (DIR is created if needed; PATH files or folders, default: the embedded seeds)",
		Description: "Validates first, then writes one CSV file per node kind and relationship type, each with\n" +
			"its header, carrying the properties load writes (the dataset mark and the evidence included),\n" +
			"and import.args with the arguments of the import. For a first load of millions of records\n" +
			"into a new or stopped database; then run backchannel load to create the constraints and\n" +
			"keep the data in step:\n\n" +
			"   cd DIR && neo4j-admin database import full neo4j @import.args\n\n" +
			"Exit status: 0 written, 1 invalid data or a failed write, 2 usage error.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "neo4j-admin", Usage: "the output format: neo4j-admin"},
			&cli.StringFlag{Name: "dataset", Usage: "the dataset's name, marked on every record", DefaultText: "the files' `dataset: NAME` line"},
		},
		Action: func(c *cli.Context) error {
			if c.String("format") != "neo4j-admin" {
				return usageErrorf("--format %q: want neo4j-admin", c.String("format"))
			}
			if c.NArg() < 1 {
				return usageErrorf("export takes the folder to write, then the seed files")
			}
			dir := c.Args().First()
			in, err := inputsOf(c.Args().Tail())
			if err != nil {
				return err
			}
			dataset, err := loader.DatasetOf(c.String("dataset"), c.IsSet("dataset"), in)
			if err != nil {
				return usageError(err)
			}
			res, err := loader.Export(in, schema.Default(), dataset, dir)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(c.App.Writer, "Exported %d records of dataset %q to %d files in %s.\nImport them into a stopped or new database with:\n  cd %s && neo4j-admin database import full neo4j @import.args\n",
				res.Records, dataset, len(res.Files), dir, dir)
			return err
		},
	}
}
