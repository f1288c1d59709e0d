package loader_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/loader"
)

// TestRunRecordsTheSpan: the span the files declare (covers:) is stored flat on the
// load's run node, as written and as its first and last day (dates), in one
// transaction or in batches; a load of files that declare none records none.
func TestRunRecordsTheSpan(t *testing.T) {
	db := neo4jtest.Open(t)
	span := basic(t).with(t, "sources.yaml", "sources:\n", "covers: 2025-01/2025-06-02\nsources:\n")
	latest := func() []any {
		t.Helper()
		return run(t, db, fmt.Sprintf("MATCH (r:%s) RETURN r.%s, r.%s, r.%s ORDER BY r.finishedAt DESC LIMIT 1",
			loader.RunLabel, loader.RunCovers, loader.RunCoversFrom, loader.RunCoversUntil), nil)[0].Values
	}
	day := func(s string) neo4j.Date {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return neo4j.DateOf(d)
	}
	for _, o := range []loader.Options{opts("basic"), {Dataset: "basic", Version: "test", BatchSize: 3, SingleTxLimit: -1}} {
		t.Run(fmt.Sprintf("batch size %d", o.BatchSize), func(t *testing.T) {
			load(t, db, span, o)
			got := latest()
			if got[0] != "2025-01/2025-06-02" || got[1] != day("2025-01-01") || got[2] != day("2025-06-02") {
				t.Errorf("run node: covers %v, from %v, until %v", got[0], got[1], got[2])
			}
			load(t, db, basic(t), o)
			if got := latest(); got[0] != nil || got[1] != nil || got[2] != nil {
				t.Errorf("files without covers: the run records %v", got)
			}
		})
	}
}
