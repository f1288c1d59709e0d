package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/gen"
)

func genCommand() *cli.Command {
	return &cli.Command{
		Name:      "gen",
		Usage:     "write a synthetic dataset that validates, for benchmarks and scale tests",
		ArgsUsage: "DIR  (created if needed; files 00000.yaml, 00001.yaml, ...)",
		Description: "Writes sources, actors of every actor kind, events and places, and --relationships\n" +
			"relationships with heavy-tailed degrees, each citing a source with a quote. The same --seed\n" +
			"gives the same files. The data is synthetic: never load it into a graph of real facts\n" +
			"(load it under its own --dataset, or into a database of its own).",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "relationships", Aliases: []string{"n"}, Value: 10_000, Usage: "relationships to write; nodes and sources scale with them"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "the random seed"},
			&cli.IntFlag{Name: "file-records", Value: gen.DefaultFileRecords, Usage: "records per file, at most"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageErrorf("gen takes one folder, got %d arguments", c.NArg())
			}
			if c.Int("relationships") < 0 || c.Int("file-records") < 1 {
				return usageErrorf("--relationships must be 0 or more and --file-records 1 or more")
			}
			dir := c.Args().First()
			st, err := gen.Write(dir, gen.Options{Relationships: c.Int("relationships"), Seed: c.Uint64("seed"), FileRecords: c.Int("file-records")})
			if err != nil {
				return fmt.Errorf("gen %s: %w", dir, err)
			}
			_, err = fmt.Fprintf(c.App.Writer, "Wrote %d records (%d sources, %d nodes, %d relationships) in %d files, %.1f MB, to %s.\n",
				st.Records(), st.Sources, st.Nodes, st.Relationships, st.Files, float64(st.Bytes)/1e6, dir)
			return err
		},
	}
}
