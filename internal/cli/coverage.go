package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/queries"
)

// datasetSpan is the span of days a dataset in the graph is curated for, as its last
// run records it (the files' covers: line).
type datasetSpan struct {
	dataset     string
	first, last time.Time
}

// spanReadTimeout bounds the read of the spans: the note is advice, never worth a
// query's time.
const spanReadTimeout = 5 * time.Second

// readSpans reads the span of each dataset whose last run declares one.
func readSpans(ctx context.Context, db *neo4jconn.DB) (_ []datasetSpan, err error) {
	ctx, cancel := context.WithTimeout(ctx, spanReadTimeout)
	defer cancel()
	s := db.Session(ctx, neo4j.AccessModeRead)
	defer func() { err = errors.Join(err, s.Close(context.WithoutCancel(ctx))) }()
	cypher := "MATCH (r:" + loader.RunLabel + ") WHERE r.dataset IS NOT NULL AND r.finishedAt IS NOT NULL " +
		"WITH r ORDER BY r.finishedAt DESC WITH r.dataset AS dataset, collect(r)[0] AS last " +
		"WHERE last." + loader.RunCoversFrom + " IS NOT NULL AND last." + loader.RunCoversUntil + " IS NOT NULL " +
		"RETURN dataset, last." + loader.RunCoversFrom + " AS first, last." + loader.RunCoversUntil + " AS last ORDER BY dataset"
	return neo4j.ExecuteRead(ctx, s, func(tx neo4j.ManagedTransaction) ([]datasetSpan, error) {
		res, err := tx.Run(ctx, cypher, nil)
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		var out []datasetSpan
		for _, rec := range recs {
			name, _, err1 := neo4j.GetRecordValue[string](rec, "dataset")
			first, _, err2 := neo4j.GetRecordValue[neo4j.Date](rec, "first")
			last, _, err3 := neo4j.GetRecordValue[neo4j.Date](rec, "last")
			if err1 != nil || err2 != nil || err3 != nil {
				continue // a run node of another version
			}
			out = append(out, datasetSpan{name, first.Time(), last.Time()})
		}
		return out, nil
	})
}

// spanNotes says, for each date parameter of q outside the span a dataset in the graph
// is curated for, that the answer may be incomplete: one line each, naming the day, the
// parameter, the dataset and its span.
func spanNotes(q *queries.Query, params map[string]any, spans []datasetSpan) []string {
	var out []string
	for _, p := range q.Params {
		d, ok := params[p.Name].(neo4j.Date)
		if p.Type != queries.TypeDate || !ok {
			continue
		}
		day := d.Time()
		for _, s := range spans {
			if day.Before(s.first) || day.After(s.last) {
				out = append(out, fmt.Sprintf("%s %s is outside %s to %s, the span dataset %q is curated for: the answer may be incomplete",
					p.Name, day.Format(time.DateOnly), s.first.Format(time.DateOnly), s.last.Format(time.DateOnly), s.dataset))
			}
		}
	}
	return out
}

// warnOutsideSpan prints spanNotes on stderr, as warnings. A failed read of the spans
// prints nothing: the answer stands without the note.
func warnOutsideSpan(ctx context.Context, w io.Writer, db *neo4jconn.DB, q *queries.Query, params map[string]any) {
	hasDate := false
	for _, p := range q.Params {
		hasDate = hasDate || p.Type == queries.TypeDate
	}
	if !hasDate {
		return
	}
	spans, err := readSpans(ctx, db)
	if err != nil {
		return
	}
	for _, n := range spanNotes(q, params, spans) {
		fmt.Fprintln(w, "backchannel: warning: "+n)
	}
}
