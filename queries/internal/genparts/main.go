// Command genparts rewrites the stored queries' generated parts (queries/parts.go):
// run it as `go generate ./queries`.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genparts:", err)
		os.Exit(1)
	}
}

// run works in the queries folder (go generate runs there).
func run() error {
	parts, err := queries.ParseParts(os.DirFS("parts"), queries.ModelOf(schema.Default().InfluenceModel))
	if err != nil {
		return err
	}
	files, err := filepath.Glob("*.cypher")
	if err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		out, err := parts.Expand(f, string(b))
		if err != nil {
			return err
		}
		if out != string(b) {
			if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
				return err
			}
			fmt.Println("queries/" + f)
		}
	}
	return nil
}
