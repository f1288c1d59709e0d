package loader

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// engine runs one load or plan.
type engine struct {
	db         *neo4jconn.DB
	vocab      *schema.Vocabulary
	opts       Options
	inputs     []schema.Input
	scan       *scanResult
	statements *statements
	session    neo4j.SessionWithContext
	apply      bool // write (load) or only read (plan)
	keep       bool // keep every change (plan), not only their tallies
	began      time.Time
	// lastRun delivers the dataset's last run, read while the files are (start), once;
	// last keeps it, once received (see awaitLastRun).
	lastRun chan lastRunResult
	last    *lastRunResult
	// skipped says the files were not read: start proved them byte for byte those of
	// the last run, with nothing committed since.
	skipped bool
	// cache is the dataset's cache of validated files (cache.go), nil when off;
	// validation is the key its files are valid under.
	cache      *datasetCache
	validation string
	// steps are the run's steps so far, outside the passes (whose are in acc).
	steps []Step
	// waited is the time spent blocked on the server's answer to the last run's read
	// (awaitLastRun): a server just started answers its first query slowly, and this
	// time is its own step (StepWait), not the files'.
	waited time.Duration

	// present holds the labels and types the graph held before the run: only those can
	// hold a record under a label or type other than the one the input gives it.
	present map[string]bool
	// lookupAll makes every batch look its ids up under every label or type, present
	// or not: set when a CREATE lost a race with another writer (see createRace).
	lookupAll atomic.Bool
	// idIndexes says the id indexes over every label and every type are online and
	// current: each batch then looks its ids up in one statement through them, else
	// under its own label or type, then each other the graph holds.
	idIndexes bool

	// tx is the one transaction of a single-transaction run; nil when each batch is
	// its own transaction.
	tx neo4j.ManagedTransaction

	// ramp is how many writers the passes run (ramp.go).
	ramp ramp

	mu   sync.Mutex // guards acc and done, which the pipeline's writers update
	acc  acc
	done int // records processed, for progress
}

// mode is the access mode of the run's sessions.
func (e *engine) mode() neo4j.AccessMode {
	if e.apply {
		return neo4j.AccessModeWrite
	}
	return neo4j.AccessModeRead
}

// single reports whether the whole run is one transaction.
func (e *engine) single() bool {
	return e.opts.SingleTxLimit >= 0 && e.scan.records <= e.opts.SingleTxLimit
}

// acc accumulates what committed (or, in one transaction, what will commit).
type acc struct {
	counters     Counters
	tally        map[[2]string]*Tally
	changes      []Change
	transactions int
	steps        []Step
}

func (a *acc) add(out batchOut, keep bool) {
	a.counters.plus(out.counters)
	if a.tally == nil {
		a.tally = map[[2]string]*Tally{}
	}
	for _, c := range out.changes {
		k := [2]string{c.Record, c.Label}
		t := a.tally[k]
		if t == nil {
			t = &Tally{Record: c.Record, Label: c.Label}
			a.tally[k] = t
		}
		switch c.Action {
		case ActionCreate:
			t.Created++
		case ActionUpdate:
			t.Updated++
		case ActionDelete:
			t.Deleted++
		}
	}
	if keep {
		a.changes = append(a.changes, out.changes...)
	}
}

// tallies lists the tallies: nodes before relationships, then by label.
func (a *acc) tallies() []Tally {
	out := []Tally{}
	for _, t := range a.tally {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(x, y Tally) int {
		if x.Record != y.Record {
			return strings.Compare(x.Record, y.Record)
		}
		return strings.Compare(x.Label, y.Label)
	})
	return out
}

// batchOut is what one batch did.
type batchOut struct {
	changes  []Change
	counters Counters
}

// BatchError names the batch a load or plan failed in.
type BatchError struct {
	Batch
	Err error
}

func (e *BatchError) Error() string { return e.Batch.String() + ": " + oneLine(e.Err.Error()) }
func (e *BatchError) Unwrap() error { return e.Err }

// part is one group's rows in a job: a batch, or, in a tail job, the last partial
// batch of one label or type among others.
type part struct {
	b       Batch
	records int
}

// do runs one job, the batches j.parts: inside the run's transaction, or in a
// transaction of its own that the driver retries on transient errors (deadlocks, leader
// changes). A failure names the part it happened in when the job knows it (failedAt),
// else the job. Progress is reported for each part, in order, once the job is done.
func (e *engine) do(ctx context.Context, session neo4j.SessionWithContext, j job) error {
	parts, fn := j.parts, j.fn
	began := time.Now()
	var out batchOut
	var err error
	for attempt := 0; ; attempt++ {
		switch {
		case e.tx != nil:
			out, err = fn(e.tx)
		case e.apply:
			out, err = neo4j.ExecuteWrite(ctx, session, fn, e.txConfig())
		default:
			out, err = neo4j.ExecuteRead(ctx, session, fn, e.txConfig())
		}
		if e.tx != nil || !e.retryRace(ctx, err, attempt) {
			break
		}
	}
	if err != nil {
		if j.failedAt != nil {
			if b := j.failedAt(); b != nil {
				return &BatchError{Batch: *b, Err: err}
			}
		}
		b := parts[0].b
		b.More = len(parts) - 1
		return &BatchError{Batch: b, Err: err}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.tx == nil {
		e.acc.transactions++
	}
	e.acc.add(out, e.keep)
	for _, p := range parts {
		e.done += p.records
		if e.opts.Progress != nil {
			e.opts.Progress(Progress{Batch: p.b, Done: e.done, Total: e.scan.compared, Elapsed: time.Since(began)})
		}
	}
	return nil
}

// raceRetries is how many times a transaction that lost a CREATE race is run again.
// Each loss means a racer committed one of this run's ids, so the racers run out of
// ids to win; a load in one transaction can lose to a batched racer once a batch, so
// it retries more than once a racer, after a jittered wait that grows (raceBackoff),
// and the racers' batches commit meanwhile.
const raceRetries = 10

// raceBackoff is the wait before retry attempt (from 0): 20 ms doubling up to 1 s,
// between half of it and all of it, so the racers do not retry in step.
func raceBackoff(attempt int) time.Duration {
	d := min(20*time.Millisecond<<attempt, time.Second)
	return d/2 + rand.N(d/2+1)
}

// createRace reports whether err is a uniqueness constraint's refusal: a writer racing
// this run created one of its ids between the lookup and the CREATE (or a constraint of
// the user's refused a write, which the retries then report).
func createRace(err error) bool {
	var n4e *neo4j.Neo4jError
	return errors.As(err, &n4e) && n4e.Code == "Neo.ClientError.Schema.ConstraintValidationFailed"
}

// retryRace reports whether a write transaction that failed with err on its attempt
// (from 0) is to run again, and if so makes the lookups find what the racer wrote and
// waits its backoff (false if ctx ends first).
func (e *engine) retryRace(ctx context.Context, err error, attempt int) bool {
	if !e.apply || attempt >= raceRetries || !createRace(err) {
		return false
	}
	e.lookupAll.Store(true)
	select {
	case <-time.After(raceBackoff(attempt)):
		return true
	case <-ctx.Done():
		return false
	}
}

// batchOf names a batch of a step of total records: its number, the count of the
// step's batches, and its records (the last is last, size records long).
func (e *engine) batchOf(step string, total, last, size int) Batch {
	bs := e.opts.BatchSize
	return Batch{Step: step, N: (last-1)/bs + 1, Of: (total + bs - 1) / bs, First: last - size + 1, Last: last}
}

// statementsSent counts the statements query has sent, for the tests that measure how
// many a load takes; statementSeen, when set (by a test), is told each one's text.
var (
	statementsSent atomic.Int64
	statementSeen  func(cypher string)
)

// query runs a statement and returns its records, all read, and its summary.
func query(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, neo4j.ResultSummary, error) {
	statementsSent.Add(1)
	if statementSeen != nil {
		statementSeen(cypher)
	}
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, nil, err
	}
	sum, err := res.Consume(ctx)
	return recs, sum, err
}

// count runs a statement that returns one count, n.
func count(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any, c *Counters) (int, error) {
	recs, sum, err := query(ctx, tx, cypher, params)
	if err != nil {
		return 0, err
	}
	c.add(sum)
	if len(recs) != 1 {
		return 0, fmt.Errorf("want one count, got %d records", len(recs))
	}
	n, err := value[int64](recs[0], "n")
	return int(n), err
}

// snapshot records which labels and types the graph holds: those with a count above
// zero in the server's count store, read in one call (db.stats.retrieve). The token
// lists (db.labels(), db.relationshipTypes()) are no proof: they list every label and
// type with a constraint, even on an empty graph, so a first load would look each
// batch's ids up under every label and type. A user the statistics are refused to
// falls back on the token lists; listing one the graph does not hold only costs a
// lookup.
func (e *engine) snapshot(ctx context.Context) error {
	present, err := e.names(ctx, graphCounts)
	if err != nil {
		present, err = e.names(ctx, "CALL db.labels() YIELD label RETURN label AS name", "CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType AS name")
	}
	if err != nil {
		return fmt.Errorf("read the graph's labels and types: %w", e.db.Classify(err))
	}
	e.present = present
	return nil
}

// graphCounts lists the labels and relationship types with a count above zero.
const graphCounts = `CALL db.stats.retrieve('GRAPH COUNTS') YIELD data
UNWIND [c IN data.nodes WHERE c.label IS NOT NULL AND c.count > 0 | c.label] +
  [c IN data.relationships WHERE c.relationshipType IS NOT NULL AND c.startLabel IS NULL AND c.endLabel IS NULL AND c.count > 0 | c.relationshipType] AS name
RETURN name`

// names runs statements that return names, in one read transaction, and returns them.
func (e *engine) names(ctx context.Context, statements ...string) (map[string]bool, error) {
	return neo4j.ExecuteRead(ctx, e.session, func(tx neo4j.ManagedTransaction) (map[string]bool, error) {
		names := map[string]bool{}
		for _, q := range statements {
			recs, _, err := query(ctx, tx, q, nil)
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				name, err := value[string](r, "name")
				if err != nil {
					return nil, err
				}
				names[name] = true
			}
		}
		return names, nil
	})
}

// SchemaChange is a constraint or index the schema defines and the graph lacks, or has
// in an older form (Replace: an index over every label or type the vocabulary has
// outgrown, dropped and created again).
type SchemaChange struct {
	Kind    string `json:"kind"` // "constraint" or "index"
	Name    string `json:"name"`
	Cypher  string `json:"cypher"`
	Replace bool   `json:"replace,omitempty"`
}

// schemaItem is a constraint or index the database has.
type schemaItem struct {
	online bool
	spans  []string // the labels or types of an index, sorted
}

// readSchema lists the database's constraints and indexes by name, in one statement:
// SHOW INDEXES lists the index that backs each constraint, named as the constraint is,
// with the constraint's name (owningConstraint).
func (e *engine) readSchema(ctx context.Context) (map[string]schemaItem, error) {
	have, err := neo4j.ExecuteRead(ctx, e.session, func(tx neo4j.ManagedTransaction) (map[string]schemaItem, error) {
		have := map[string]schemaItem{}
		recs, _, err := query(ctx, tx, "SHOW INDEXES YIELD name, state, labelsOrTypes, owningConstraint RETURN name, state, labelsOrTypes, owningConstraint", nil)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			name, err1 := value[string](r, "name")
			state, err2 := value[string](r, "state")
			spans, err3 := value[[]any](r, "labelsOrTypes")
			owner, err4 := value[string](r, "owningConstraint")
			if err := errors.Join(err1, err2, err3, err4); err != nil {
				return nil, err
			}
			if owner != "" {
				// A constraint is online when its creation commits.
				have[owner] = schemaItem{online: true}
				if owner == name {
					continue
				}
			}
			it := schemaItem{online: state == "ONLINE"}
			for _, l := range spans {
				if s, ok := l.(string); ok {
					it.spans = append(it.spans, s)
				}
			}
			slices.Sort(it.spans)
			have[name] = it
		}
		return have, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list constraints and indexes: %w", e.db.Classify(err))
	}
	return have, nil
}

// missingSchema lists the schema's constraints and indexes the database lacks, by name,
// and the indexes over every label or type whose labels or types are not the
// vocabulary's. It notes whether the id indexes serve lookups as they are (idIndexes).
func (e *engine) missingSchema(ctx context.Context) ([]SchemaChange, error) {
	have, err := e.readSchema(ctx)
	if err != nil {
		return nil, err
	}
	out := []SchemaChange{}
	ready := true
	for _, st := range e.vocab.Constraints() {
		it, ok := have[st.Name]
		stale := ok && st.Spans != nil && !slices.Equal(it.spans, slices.Sorted(slices.Values(st.Spans)))
		if st.Spans != nil && (!ok || stale || !it.online) {
			ready = false
		}
		if ok && !stale {
			continue
		}
		kind := "index"
		if strings.HasPrefix(st.Cypher, "CREATE CONSTRAINT") {
			kind = "constraint"
		}
		out = append(out, SchemaChange{Kind: kind, Name: st.Name, Cypher: st.Cypher, Replace: stale})
	}
	e.idIndexes = ready
	return out, nil
}

// idIndexTimeout bounds the wait for the id indexes to come online after their creation:
// on a graph that already holds data they are populated from it.
const idIndexTimeout = 10 * time.Minute

// createSchema creates the missing constraints and indexes in one transaction (Neo4j
// does not mix schema and data writes in one, but takes several schema writes), after
// dropping those it replaces. A uniqueness constraint is online when its creation
// commits, and the writes need no other index; the lookups need the id indexes
// (NodeIDIndex, RelationshipIDIndex), so their population is awaited when they were
// created, unless the graph held none of the labels and types (e.present, read
// first): then no lookup is sent (see lookup, lookupOnce), and a first load does not
// wait for full-text indexes to come online, which takes a second or more on a server
// just started.
func (e *engine) createSchema(ctx context.Context) (Counters, error) {
	var c Counters
	missing, err := e.missingSchema(ctx)
	if err != nil {
		return c, err
	}
	if len(missing) > 0 {
		sum, err := neo4j.ExecuteWrite(ctx, e.session, func(tx neo4j.ManagedTransaction) (Counters, error) {
			var c Counters
			for _, st := range missing {
				for _, stmt := range st.statements() {
					res, err := tx.Run(ctx, stmt, nil)
					if err != nil {
						return c, fmt.Errorf("create %s %s: %w", st.Kind, st.Name, err)
					}
					s, err := res.Consume(ctx)
					if err != nil {
						return c, fmt.Errorf("create %s %s: %w", st.Kind, st.Name, err)
					}
					c.add(s)
				}
			}
			return c, nil
		}, e.txConfig())
		var n4e *neo4j.Neo4jError
		if errors.As(err, &n4e) && strings.HasPrefix(n4e.Code, "Neo.ClientError.Schema.") && strings.HasSuffix(n4e.Code, "AlreadyExists") {
			// A concurrent load created some of them first: create the rest, one by one.
			sum, err = e.createSchemaEach(ctx)
		}
		if err != nil {
			return c, oneLineErr(e.db.Classify(err))
		}
		c = sum
	}
	if !e.idIndexes && len(e.present) > 0 {
		if err := e.awaitIDIndexes(ctx); err != nil {
			return c, err
		}
	}
	return c, nil
}

// statements are the Cypher statements that make the change: the creation, after a
// drop for a replacement.
func (s SchemaChange) statements() []string {
	if s.Replace {
		return []string{"DROP INDEX " + schema.Quote(s.Name) + " IF EXISTS", s.Cypher}
	}
	return []string{s.Cypher}
}

// awaitIDIndexes waits for the id indexes to be online, in one transaction, then lets
// the lookups use them.
func (e *engine) awaitIDIndexes(ctx context.Context) error {
	_, err := neo4j.ExecuteRead(ctx, e.session, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		for _, name := range []string{schema.NodeIDIndex, schema.RelationshipIDIndex} {
			if _, _, err := query(ctx, tx, "CALL db.awaitIndex($name, $seconds)", map[string]any{"name": name, "seconds": int64(idIndexTimeout.Seconds())}); err != nil {
				return struct{}{}, fmt.Errorf("wait for index %s to come online: %w", name, err)
			}
		}
		return struct{}{}, nil
	}, e.txConfig())
	if err != nil {
		return oneLineErr(e.db.Classify(err))
	}
	e.idIndexes = true
	return nil
}

// createSchemaEach creates the missing constraints and indexes one transaction each,
// skipping those that exist by the time it runs.
func (e *engine) createSchemaEach(ctx context.Context) (Counters, error) {
	var c Counters
	missing, err := e.missingSchema(ctx)
	if err != nil {
		return c, err
	}
	for _, st := range missing {
		sum, err := neo4j.ExecuteWrite(ctx, e.session, func(tx neo4j.ManagedTransaction) (Counters, error) {
			var c Counters
			for _, stmt := range st.statements() {
				res, err := tx.Run(ctx, stmt, nil)
				if err != nil {
					return c, err
				}
				s, err := res.Consume(ctx)
				if err != nil {
					return c, err
				}
				c.add(s)
			}
			return c, nil
		}, e.txConfig())
		var n4e *neo4j.Neo4jError
		if errors.As(err, &n4e) && strings.HasPrefix(n4e.Code, "Neo.ClientError.Schema.") && strings.HasSuffix(n4e.Code, "AlreadyExists") {
			continue // created by a concurrent load
		}
		if err != nil {
			return c, fmt.Errorf("create %s %s: %w", st.Kind, st.Name, oneLineErr(e.db.Classify(err)))
		}
		c.plus(sum)
	}
	return c, nil
}

// recordRun writes the run's node and returns its counters and the database's name.
func (e *engine) recordRun(ctx context.Context, tx neo4j.ManagedTransaction) (runOut, error) {
	var c runOut
	var created, updated, deleted int
	for _, t := range e.acc.tally {
		created += t.Created
		updated += t.Updated
		deleted += t.Deleted
	}
	props := map[string]any{
		"inputKey":    e.inputKey(),
		"dataset":     e.opts.Dataset,
		"startedAt":   e.began.UTC(),
		"finishedAt":  time.Now().UTC(),
		"version":     e.opts.Version,
		"contentHash": e.scan.hash,
		"files":       int64(len(e.inputs)),
		"records":     int64(e.scan.records),
		"created":     int64(created),
		"updated":     int64(updated),
		"deleted":     int64(deleted),
		"prune":       e.opts.Prune,
		// The stamp comes after the commit (see stamp); the empty one created here makes
		// its property key exist before then: creating a key commits a transaction of
		// its own, which would break the chain the next run checks.
		"stamp": "",
	}
	if e.opts.Watch != nil {
		changes := slices.Clone(e.acc.changes)
		sortChanges(changes)
		names, err := e.opts.Watch.After(ctx, tx, changes)
		if err != nil {
			return c, err
		}
		props[RunAnswersProperty] = append([]string{}, names...)
	}
	if s := e.scan.covers; s != nil {
		// The span the dataset is curated for, flat on its run: what query run reads to
		// say that an answer about a day outside it may be incomplete.
		first, last := s.Days()
		props[RunCovers] = s.String()
		props[RunCoversFrom] = neo4j.DateOf(first)
		props[RunCoversUntil] = neo4j.DateOf(last)
	}
	recs, sum, err := query(ctx, tx, "CREATE (r:"+RunLabel+") SET r = $props RETURN elementId(r) AS id", map[string]any{"props": props})
	if err != nil {
		return c, err
	}
	if len(recs) != 1 {
		return c, fmt.Errorf("record the run: want one record, got %d", len(recs))
	}
	if c.id, _, err = neo4j.GetRecordValue[string](recs[0], "id"); err != nil {
		return c, fmt.Errorf("record the run: %w", err)
	}
	c.counters.add(sum)
	c.db = sum.Database().Name()
	return c, nil
}

// runOut is what recording the run returns: its counters, the database's name, and the
// run node's element id.
type runOut struct {
	counters Counters
	db, id   string
}

// oneLine keeps the first line of a message: errors are printed one per line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

func oneLineErr(err error) error {
	if msg := err.Error(); oneLine(msg) != msg {
		return &lineError{msg: oneLine(msg), err: err}
	}
	return err
}

type lineError struct {
	msg string
	err error
}

func (e *lineError) Error() string { return e.msg }
func (e *lineError) Unwrap() error { return e.err }
