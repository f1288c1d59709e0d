// Command backchannel validates curated YAML seed data, loads it into Neo4j and runs
// stored Cypher queries that trace influence between the actors. The command line is
// internal/cli; this file only gives it the process.
package main

import (
	"os"

	"github.com/backchannel/backchannel/internal/cli"
)

func main() {
	cli.KeepHeapFloor()
	ctx, stop := cli.OnSignal(os.Stderr)
	code := cli.Run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
