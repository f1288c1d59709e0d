// Package querytest loads known graphs into a test database for the tests of the stored
// queries and of the query command: the curated seeds, through the loader, and a small
// fixture of its own (fixture.yaml) whose facts the tests control.
package querytest

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
	"github.com/backchannel/backchannel/seeds"
)

// Fixture is a small stand-in for the curated seeds, in the seed format. Its facts
// follow the domain notes; a few exist only for the tests (an ambiguous alias).
//
//go:embed fixture.yaml
var Fixture []byte

// LoadSeeds loads the curated seeds (the embedded seeds/*.yaml) with the loader, as
// backchannel load does.
func LoadSeeds(t testing.TB, db *neo4jconn.DB) {
	t.Helper()
	in, err := schema.FSInputs(seeds.FS, "seeds/")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := loader.Load(ctx, db, in, schema.Default(), loader.Options{Dataset: "seeds"}); err != nil {
		t.Fatalf("loading the seeds: %v", err)
	}
}

// LoadFixture writes Fixture into db with plain Cypher, property for property as the
// schema maps records (schema.NodeOf, RelOf, SourceNodeOf), after the schema's
// constraints and indexes.
func LoadFixture(t testing.TB, db *neo4jconn.DB) {
	t.Helper()
	LoadYAML(t, db, "fixture.yaml", Fixture)
}

// LoadYAML writes one seed file, given as its content, into db as LoadFixture writes
// Fixture; the file must validate without errors.
func LoadYAML(t testing.TB, db *neo4jconn.DB, name string, data []byte) {
	t.Helper()
	v := schema.Default()
	in := []schema.Input{{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}}
	for _, f := range schema.Validate(in, v) {
		if f.Severity == schema.SeverityError {
			t.Fatalf("%s: %s", name, f)
		}
	}
	type stmt struct {
		cypher string
		params map[string]any
	}
	var nodes, rels []stmt
	_, err := schema.Walk(in, func(r schema.Record) error {
		switch {
		case r.Source != nil:
			n := schema.SourceNodeOf(r.Source)
			nodes = append(nodes, stmt{"CREATE (n:" + strings.Join(n.Labels, ":") + ") SET n = $props", map[string]any{"props": neo4jProps(n.Props)}})
		case r.Node != nil:
			n := v.NodeOf(r.Node)
			nodes = append(nodes, stmt{"CREATE (n:" + strings.Join(n.Labels, ":") + ") SET n = $props", map[string]any{"props": neo4jProps(n.Props)}})
		case r.Relationship != nil:
			g := v.RelOf(r.Relationship)
			rels = append(rels, stmt{"MATCH (a {id: $from}), (b {id: $to}) WHERE NOT a:Source AND NOT b:Source CREATE (a)-[r:" + g.Type + "]->(b) SET r = $props",
				map[string]any{"from": g.From, "to": g.To, "props": neo4jProps(g.Props)}})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = write(ctx, db, v, func(tx neo4j.ManagedTransaction) error {
		for _, s := range append(nodes, rels...) {
			if _, err := tx.Run(ctx, s.cypher, s.params); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("loading %s: %v", name, err)
	}
}

// write creates the schema's constraints and indexes, waits for them, then runs fn in a
// write transaction.
func write(ctx context.Context, db *neo4jconn.DB, v *schema.Vocabulary, fn func(neo4j.ManagedTransaction) error) (err error) {
	session := db.Session(ctx, neo4j.AccessModeWrite)
	defer func() { err = errors.Join(err, session.Close(ctx)) }()
	for _, st := range append(v.Constraints(), schema.Statement{Name: "await", Cypher: "CALL db.awaitIndexes(120)"}) {
		res, err := session.Run(ctx, st.Cypher, nil)
		if err != nil {
			return err
		}
		if _, err := res.Consume(ctx); err != nil {
			return err
		}
	}
	_, err = session.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) { return nil, fn(tx) })
	return err
}

// neo4jProps turns time.Time values (calendar days) into Neo4j DATEs.
func neo4jProps(p map[string]any) map[string]any {
	out := make(map[string]any, len(p))
	for k, v := range p {
		if t, ok := v.(time.Time); ok {
			v = neo4j.DateOf(t)
		}
		out[k] = v
	}
	return out
}
