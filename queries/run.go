package queries

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/backchannel/backchannel/neo4jconn"
)

// Result is what a query returned: its columns, in order, and its rows. Values are
// plain Go: nil, bool, int64, float64, string, []any and map[string]any; dates are
// strings (YYYY-MM-DD), as are other temporal values (ISO 8601).
type Result struct {
	Columns []string
	Rows    [][]any
	// View and Evidence are the query's compact columns and evidence columns (its header's
	// view: and evidence:); a table shows View, and Evidence too when ShowEvidence is set.
	View, Evidence []string
	ShowEvidence   bool
}

// Run resolves the actor parameters of params (from Bind) and runs the query, all in one
// read transaction, with the read access mode so that a cluster routes it to a reader.
// If ctx has a deadline the transaction gets it as its server-side timeout too.
func Run(ctx context.Context, db *neo4jconn.DB, q *Query, params map[string]any) (*Result, error) {
	out := &Result{View: q.View, Evidence: q.Evidence}
	keys, err := read(ctx, db, q, params, func() func(*neo4j.Record) error {
		out.Rows = [][]any{}
		return func(rec *neo4j.Record) error {
			out.Rows = append(out.Rows, plainRow(rec))
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	out.Columns = keys
	return out, nil
}

// read runs q as Run describes and hands each record, inside the transaction, to the
// function attempt returns. The driver retries a transaction that failed on a transient
// error from the start, so attempt is called before every try: it drops what the
// previous one collected. read returns the result's keys.
func read(ctx context.Context, db *neo4jconn.DB, q *Query, params map[string]any, attempt func() func(*neo4j.Record) error) (_ []string, err error) {
	session := db.Session(ctx, neo4j.AccessModeRead)
	defer func() { err = errors.Join(err, session.Close(ctx)) }()
	var config []func(*neo4j.TransactionConfig)
	if deadline, ok := ctx.Deadline(); ok {
		if d := time.Until(deadline); d > 0 {
			config = append(config, neo4j.WithTxTimeout(d))
		}
	}
	keys, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) ([]string, error) {
		resolved, err := resolveIn(ctx, tx, q, params)
		if err != nil {
			return nil, err
		}
		return stream(ctx, tx, q, resolved, attempt())
	}, config...)
	if err != nil {
		return nil, queryError(db, q, err)
	}
	return keys, nil
}

// queryError wraps a failed run's error: actor and relationship errors as they are
// (they name the query), others classified and named.
func queryError(db *neo4jconn.DB, q *Query, err error) error {
	var ae *ActorError
	var re *RelationshipError
	if errors.As(err, &ae) || errors.As(err, &re) || errors.Is(err, ErrSameActor) {
		return err
	}
	return fmt.Errorf("query %s: %w", q.Name, db.Classify(err))
}

// stream runs q with resolved parameters in tx and hands each record to each; it
// returns the result's keys.
func stream(ctx context.Context, tx neo4j.ManagedTransaction, q *Query, resolved map[string]any, each func(*neo4j.Record) error) ([]string, error) {
	cur, err := tx.Run(ctx, q.Cypher, resolved)
	if err != nil {
		return nil, err
	}
	keys, err := cur.Keys()
	if err != nil {
		return nil, err
	}
	for cur.Next(ctx) {
		if err := each(cur.Record()); err != nil {
			return nil, err
		}
	}
	return keys, cur.Err()
}

// RunTx resolves the actor parameters of params (from Bind) and runs the query in tx, a
// transaction of the caller's (e.g. a load's, to read the answers it would leave before
// it is rolled back). Errors are the driver's, unclassified, so that a managed
// transaction can retry them.
func RunTx(ctx context.Context, tx neo4j.ManagedTransaction, q *Query, params map[string]any) (*Result, error) {
	resolved, err := resolveIn(ctx, tx, q, params)
	if err != nil {
		return nil, err
	}
	return runResolved(ctx, tx, q, resolved)
}

// runResolved runs q with resolved parameters in tx and collects its rows.
func runResolved(ctx context.Context, tx neo4j.ManagedTransaction, q *Query, resolved map[string]any) (*Result, error) {
	out := &Result{View: q.View, Evidence: q.Evidence, Rows: [][]any{}}
	keys, err := stream(ctx, tx, q, resolved, func(rec *neo4j.Record) error {
		out.Rows = append(out.Rows, plainRow(rec))
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Columns = keys
	return out, nil
}

// plainRow is a record's values as plain Go values.
func plainRow(rec *neo4j.Record) []any {
	row := make([]any, len(rec.Values))
	for i, v := range rec.Values {
		row[i] = plain(v)
	}
	return row
}

// plain turns driver values into plain Go values.
func plain(v any) any {
	switch v := v.(type) {
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = plain(x)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = plain(x)
		}
		return out
	case dbtype.Date:
		return v.Time().Format(time.DateOnly)
	case dbtype.LocalDateTime:
		return v.Time().Format("2006-01-02T15:04:05.999999999")
	case dbtype.LocalTime:
		return v.Time().Format("15:04:05.999999999")
	case dbtype.Time:
		return v.Time().Format("15:04:05.999999999Z07:00")
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case dbtype.Duration:
		return v.String()
	case dbtype.Node:
		props := plain(v.Props).(map[string]any)
		props["_labels"] = toAny(v.Labels)
		return props
	case dbtype.Relationship:
		props := plain(v.Props).(map[string]any)
		props["_type"] = v.Type
		return props
	case dbtype.Path:
		ids := make([]string, len(v.Nodes))
		for i, n := range v.Nodes {
			ids[i] = fmt.Sprint(n.Props["id"])
		}
		return strings.Join(ids, " > ")
	}
	return v
}

func toAny(ss []string) []any {
	s := make([]string, len(ss))
	copy(s, ss)
	sort.Strings(s)
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// ErrWrites is RunCypher's error for a statement that writes, run read-only.
var ErrWrites = errors.New("cypher: the statement writes, and runs read-only: add --write to let it")

// RunCypher runs a statement typed by a user (backchannel cypher), as Run does: in a
// read transaction, which the server refuses to let write, unless write is set.
func RunCypher(ctx context.Context, db *neo4jconn.DB, cypher string, write bool) (*Result, error) {
	q := &Query{Name: "cypher", Cypher: cypher}
	if !write {
		res, err := Run(ctx, db, q, nil)
		var ne *neo4j.Neo4jError
		if errors.As(err, &ne) && ne.Code == "Neo.ClientError.Statement.AccessMode" {
			return nil, ErrWrites
		}
		return res, err
	}
	session := db.Session(ctx, neo4j.AccessModeWrite)
	defer session.Close(context.WithoutCancel(ctx))
	out, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (*Result, error) {
		cur, err := tx.Run(ctx, cypher, nil)
		if err != nil {
			return nil, err
		}
		out := &Result{Rows: [][]any{}}
		if out.Columns, err = cur.Keys(); err != nil {
			return nil, err
		}
		for cur.Next(ctx) {
			row := make([]any, len(cur.Record().Values))
			for i, v := range cur.Record().Values {
				row[i] = plain(v)
			}
			out.Rows = append(out.Rows, row)
		}
		return out, cur.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("cypher: %w", db.Classify(err))
	}
	return out, nil
}
