package loader_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// The bulk path makes the graph load makes: the curated seeds exported, imported by
// neo4j-admin into a fresh database of a throwaway server, then loaded (as the README
// says to), equal the seeds loaded. The load after the import creates and deletes
// nothing: it only adds the evidenceNotes lists of one empty string, which neo4j-admin
// does not store.
func TestExportImportEqualsLoad(t *testing.T) {
	t.Parallel() // its own server for most of its time: it overlaps the other tests
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := loader.Export(in, schema.Default(), "seeds", dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Records < 100 || len(res.Files) < 10 {
		t.Fatalf("exported %d records in %d files: want the whole curated dataset", res.Records, len(res.Files))
	}
	if _, err := os.Stat(filepath.Join(dir, "import.args")); err != nil {
		t.Fatal(err)
	}
	// The import's server starts (a JVM, the slow part) before the shared database is
	// taken, which is held only for the reference load.
	imported, err := neo4jconn.Open(ctx, neo4jtest.StartImported(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	defer imported.Close(ctx)
	var want graph
	if !t.Run("the reference: the same files loaded", func(t *testing.T) {
		db := neo4jtest.Open(t)
		if _, err := loader.Load(ctx, db, in, schema.Default(), loader.Options{Dataset: "seeds"}); err != nil {
			t.Fatal(err)
		}
		want = dump(t, db)
	}) {
		return
	}
	got := dump(t, imported)
	if n := len(got.Nodes) + len(got.Rels); n != res.Records {
		t.Errorf("imported graph holds %d records, export wrote %d", n, res.Records)
	}
	plan, err := loader.Plan(ctx, imported, in, schema.Default(), loader.Options{Dataset: "seeds"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range plan.Changes {
		if c.Action != loader.ActionUpdate || len(c.Fields) != 1 || c.Fields[0].Key != "evidenceNotes" || c.Fields[0].Old != nil {
			t.Errorf("after the import, load would %s %s %s: %+v; want only evidenceNotes added", c.Action, c.Record, c.ID, c.Fields)
		}
	}
	if _, err := loader.Load(ctx, imported, in, schema.Default(), loader.Options{Dataset: "seeds"}); err != nil {
		t.Fatal(err)
	}
	sameGraph(t, dump(t, imported), want)
}
