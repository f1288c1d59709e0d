// Package loader writes validated seed records into Neo4j, and computes what a load
// would change without writing (a plan).
//
// A load reads and validates the input once (one file per core), spooling the parsed
// records to temporary files; it creates the schema's constraints and indexes in one
// transaction, then reads the spool twice: Source nodes and nodes, written by up to
// Options.Workers writers at once (one at first, more while the server has room), then
// relationships, the same way. Reading overlaps writing. The records are batched by
// label and type; each batch reads the graph's current state for its IDs (under the
// labels and types the graph holds) and writes only the records that differ, with
// UNWIND statements whose labels and types come from the vocabulary and whose values
// are all parameters. Reloading the same data therefore writes nothing. Everything the
// loader writes carries the dataset's name in a dataset property; records of other
// datasets, or of none, are never modified or deleted.
//
// A dataset of up to Options.SingleTxLimit records is written in one managed
// transaction, so it commits completely or not at all; a larger one is written one
// transaction per batch, and a failed load names its batch and converges when run again.
package loader

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// Defaults for Options.
const (
	DefaultBatchSize     = 1000
	DefaultSingleTxLimit = 20000
	DefaultWorkers       = 2
)

// RunLabel labels the node that records each load. Labels starting with Backchannel are
// reserved for the tool: the vocabulary may not use them.
const RunLabel = "BackchannelRun"

// Properties of a run node that hold the span its dataset is curated for (the files'
// covers: line): as written, and its first and last day as dates. A dataset that
// declares none has none of them.
const (
	RunCovers      = "covers"
	RunCoversFrom  = "coversFrom"
	RunCoversUntil = "coversUntil"
)

// DatasetProperty is the property that marks a node or relationship as the dataset's.
const DatasetProperty = "dataset"

// Options control a load or a plan.
type Options struct {
	// Dataset names the data: everything written carries it, and only it is updated
	// or pruned. Required.
	Dataset string
	// Prune deletes the dataset's nodes and relationships whose IDs are no longer in
	// the input. Load and Plan refuse it (ErrFewerFiles) when the input has fewer files
	// than the dataset's last load read, since it would delete the records of the files
	// left out (`--prune seeds/actors.yaml` would delete the rest of the seeds), unless
	// PruneFewerFiles says they are gone for good. A dataset never loaded passes.
	Prune           bool
	PruneFewerFiles bool
	// BatchSize is the number of records per UNWIND statement (default 1000).
	BatchSize int
	// SingleTxLimit is the number of records up to which a load is one transaction
	// (default 20000); above it each batch is its own transaction. Negative: always
	// one transaction per batch.
	SingleTxLimit int
	// Version is recorded in the run node (the tool's version).
	Version string
	// Workers is the most batches written at once, each in a transaction of its own
	// (default DefaultWorkers), nodes first, then relationships: a load starts with one
	// writer and adds one each time the server's machine has idle CPU (ramp.go), or
	// starts them all when the server does not tell its load. A load in one
	// transaction has one writer.
	Workers int
	// Progress, when set, is called after each batch, from one goroutine at a time.
	Progress func(Progress)
	// MaxFindings caps the findings of invalid input, as schema.Options.MaxFindings
	// does (0: schema.DefaultMaxFindings; negative: no cap).
	MaxFindings int
	// CacheDir, when set, is the folder of the local cache of validated files (see
	// cache.go; the CLI's is DefaultCacheDir()): a stamped load keeps there what
	// validation needs of each file, and a later load or plan, when nothing has
	// committed since, reads only the files that changed. "" turns it off.
	CacheDir string
	// Watch, when set, reads the graph before and after the load's writes (see
	// Watcher). A Plan with Watch applies the load in a transaction that it rolls back;
	// it cannot above SingleTxLimit, nor when the schema is incomplete, and then says so
	// in PlanResult.WatchSkipped.
	Watch Watcher
}

// Progress reports one batch done.
type Progress struct {
	Batch                 // which batch
	Done    int           // records processed so far in this run, all steps
	Total   int           // records to compare: the input's, but those of files taken from the last run
	Elapsed time.Duration // this batch's time
}

// Batch names a batch: a step (e.g. "nodes State", "relationships NEGOTIATES_WITH",
// "prune nodes Place"), its number among the step's batches, and its records. More,
// in an error, counts the last batches of other kinds or types that were written with
// it in one statement (a pass writes the last, partial, batches of all its kinds
// together, and of all its types).
type Batch struct {
	Step        string
	N, Of       int
	First, Last int
	More        int
}

func (b Batch) String() string {
	s := fmt.Sprintf("%s batch %d/%d (records %d-%d)", b.Step, b.N, b.Of, b.First, b.Last)
	if b.More > 0 {
		what := "kinds"
		if strings.HasPrefix(b.Step, "relationships") {
			what = "types"
		}
		s += fmt.Sprintf(", written with the last batches of %d more %s", b.More, what)
	}
	return s
}

func (o Options) withDefaults() (Options, error) {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.SingleTxLimit == 0 {
		o.SingleTxLimit = DefaultSingleTxLimit
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if err := CheckDataset(o.Dataset); err != nil {
		return o, err
	}
	return o, nil
}

// ErrDataset is returned for a missing or unusable dataset name.
var ErrDataset = errors.New("invalid dataset name")

// errNoDataset is ErrDataset when no name was given at all: nothing is invalid then.
var errNoDataset = noDataset{}

type noDataset struct{}

func (noDataset) Error() string        { return "no dataset name" }
func (noDataset) Is(target error) bool { return target == ErrDataset }

// CheckDataset checks a dataset name: 1 to 200 printable characters.
func CheckDataset(name string) error {
	if problem := schema.CheckDatasetName(name); problem != "" {
		return fmt.Errorf("%w %q: %s", ErrDataset, name, problem)
	}
	return nil
}

// ValidationError is returned when the input does not validate: nothing was written.
type ValidationError struct {
	Findings []schema.Finding // the findings, warnings included, up to Options.MaxFindings
	Errors   int              // errors among all findings, shown or not
	Omitted  int              // findings left out of Findings by the cap
	// Planning says the error ends a plan, which never writes: no plan was made.
	Planning bool
}

func (e *ValidationError) Error() string {
	n := "1 error"
	if e.Errors != 1 {
		n = fmt.Sprintf("%d errors", e.Errors)
	}
	if e.Planning {
		return n + " in the seed files: no plan was made (backchannel validate lists them)"
	}
	return n + " in the seed files: nothing was written (backchannel validate lists them)"
}

// ErrNotOwned marks an ID that the graph already holds outside the dataset.
var ErrNotOwned = errors.New("record exists outside the dataset")

// OwnershipError says that a record the input defines already exists in the graph
// without belonging to the dataset. The loader never takes over such data.
type OwnershipError struct {
	Record  string // "node" or "relationship"
	ID      string
	Labels  string // its labels or type in the graph
	Owner   string // its dataset property, empty for none
	Dataset string
}

func (e *OwnershipError) Error() string {
	owner := "it has no dataset property"
	if e.Owner != "" {
		owner = fmt.Sprintf("it belongs to dataset %q", e.Owner)
	}
	return fmt.Sprintf("%s %q (%s) already exists in the graph and is not part of dataset %q (%s): the loader does not take over data it did not write; delete or rename it, or load under its dataset", e.Record, e.ID, e.Labels, e.Dataset, owner)
}

func (e *OwnershipError) Unwrap() error { return ErrNotOwned }

// ErrGraphChanged is returned when the graph changes under a batch between its read and
// its write in a way the loader cannot reconcile (another writer deleted a record).
var ErrGraphChanged = errors.New("the graph changed during the load: run it again")

// ErrTimedOut is returned when the server ends a transaction that ran past its time
// limit.
var ErrTimedOut = errors.New("the transaction ran past the server's time limit (db.transaction.timeout)")

// explain says why a load failed: cancelled (with the cancellation's cause, e.g. a
// signal), or a classified server error, in plain words where the user can act on it.
func (e *engine) explain(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	err = e.db.Classify(err)
	var n4e *neo4j.Neo4jError
	if errors.As(err, &n4e) && strings.HasPrefix(n4e.Code, "Neo.ClientError.Transaction.TransactionTimedOut") {
		return fmt.Errorf("%w: raise it on the server, or load in smaller transactions (--single-tx-limit)", ErrTimedOut)
	}
	return err
}

// Counters are Neo4j's update counters, summed over statements.
type Counters struct {
	NodesCreated         int `json:"nodesCreated"`
	NodesDeleted         int `json:"nodesDeleted"`
	RelationshipsCreated int `json:"relationshipsCreated"`
	RelationshipsDeleted int `json:"relationshipsDeleted"`
	PropertiesSet        int `json:"propertiesSet"`
	LabelsAdded          int `json:"labelsAdded"`
	LabelsRemoved        int `json:"labelsRemoved"`
	ConstraintsAdded     int `json:"constraintsAdded"`
	IndexesAdded         int `json:"indexesAdded"`
}

func (c *Counters) add(s neo4j.ResultSummary) {
	n := s.Counters()
	c.NodesCreated += n.NodesCreated()
	c.NodesDeleted += n.NodesDeleted()
	c.RelationshipsCreated += n.RelationshipsCreated()
	c.RelationshipsDeleted += n.RelationshipsDeleted()
	c.PropertiesSet += n.PropertiesSet()
	c.LabelsAdded += n.LabelsAdded()
	c.LabelsRemoved += n.LabelsRemoved()
	c.ConstraintsAdded += n.ConstraintsAdded()
	c.IndexesAdded += n.IndexesAdded()
}

func (c *Counters) plus(o Counters) {
	c.NodesCreated += o.NodesCreated
	c.NodesDeleted += o.NodesDeleted
	c.RelationshipsCreated += o.RelationshipsCreated
	c.RelationshipsDeleted += o.RelationshipsDeleted
	c.PropertiesSet += o.PropertiesSet
	c.LabelsAdded += o.LabelsAdded
	c.LabelsRemoved += o.LabelsRemoved
	c.ConstraintsAdded += o.ConstraintsAdded
	c.IndexesAdded += o.IndexesAdded
}

// Writes is the number of data writes the counters record (schema excluded).
func (c Counters) Writes() int {
	return c.NodesCreated + c.NodesDeleted + c.RelationshipsCreated + c.RelationshipsDeleted + c.PropertiesSet + c.LabelsAdded + c.LabelsRemoved
}

// Tally counts the records created, updated and deleted of one label or type.
type Tally struct {
	Record  string `json:"record"` // "node" or "relationship"
	Label   string `json:"label"`  // the node kind (or Source), or the relationship type
	Created int    `json:"created"`
	Updated int    `json:"updated"`
	Deleted int    `json:"deleted"`
}

// Result reports a load.
type Result struct {
	Dataset      string `json:"dataset"`
	Database     string `json:"database"`
	Files        int    `json:"files"`
	Records      int    `json:"records"`
	ContentHash  string `json:"contentHash"`
	Transactions int    `json:"transactions"`
	// Changes tallies the records written, per label and type, in a stable order.
	Changes []Tally `json:"changes"`
	Created int     `json:"created"`
	Updated int     `json:"updated"`
	Deleted int     `json:"deleted"`
	// Counters are Neo4j's counters for the data and schema writes; RunCounters those
	// of the run node, kept apart so that an unchanged reload shows zero data writes.
	Counters    Counters  `json:"counters"`
	RunCounters Counters  `json:"runCounters"`
	StartedAt   time.Time `json:"startedAt"`
	// Elapsed is the whole load's time; ElapsedSeconds the same, for JSON.
	// Fingerprint says that nothing was compared: nothing committed since the last
	// run made the graph match these files (see the package's no-op check).
	Fingerprint bool `json:"fingerprint"`
	// FilesRead counts the files read and validated; FilesReused those taken from the
	// last run's cache (unchanged since it, with nothing committed since: see
	// Options.CacheDir), checked again from it, and neither compared nor written.
	FilesRead      int           `json:"filesRead"`
	FilesReused    int           `json:"filesReused"`
	Elapsed        time.Duration `json:"-"`
	ElapsedSeconds float64       `json:"elapsedSeconds"`
	// Steps is where the time went.
	Steps    []Step           `json:"steps"`
	Warnings []schema.Finding `json:"warnings,omitempty"`
}

// Load validates the inputs and writes them to the database as dataset opts.Dataset.
// Invalid input returns a *ValidationError and writes nothing.
func Load(ctx context.Context, db *neo4jconn.DB, inputs []schema.Input, vocab *schema.Vocabulary, opts Options) (_ *Result, err error) {
	e, err := start(ctx, db, inputs, vocab, opts, true)
	if err != nil {
		return nil, err
	}
	defer e.scan.close()
	defer e.cache.discard()
	defer func() { err = errors.Join(err, e.session.Close(ctx)) }()
	return e.load(ctx)
}

// Plan validates the inputs and computes what Load would change, without writing.
func Plan(ctx context.Context, db *neo4jconn.DB, inputs []schema.Input, vocab *schema.Vocabulary, opts Options) (_ *PlanResult, err error) {
	e, err := start(ctx, db, inputs, vocab, opts, false)
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			ve.Planning = true
		}
		return nil, err
	}
	defer e.scan.close()
	defer func() { err = errors.Join(err, e.session.Close(ctx)) }()
	return e.plan(ctx)
}

func start(ctx context.Context, db *neo4jconn.DB, inputs []schema.Input, vocab *schema.Vocabulary, opts Options, apply bool) (*engine, error) {
	began := time.Now()
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	e := &engine{
		db: db, vocab: vocab, opts: opts, inputs: inputs, apply: apply, keep: opts.Watch != nil,
		began: began, statements: newStatements(vocab), lastRun: make(chan lastRunResult, 1),
	}
	if opts.CacheDir != "" {
		if e.validation = validationKey(opts.Version, vocab); e.validation != "" {
			e.cache = openCache(opts.CacheDir, opts.Dataset)
		}
	}
	// With a cache of the last run, the files wait to learn which of them it holds:
	// those whose hash it has, if the graph is still as that run left it (reuseFrom).
	ru := newReuse(e.cache)
	defer ru.decide(nil, nil) // whatever happens, the scan does not wait past start
	var keep *datasetCache
	if apply {
		keep = e.cache // a plan writes nothing, not even the cache
	}
	// The dataset's last run is read, and the files hashed, while the files are read
	// and validated: when the hash shows the files are byte for byte those of the last
	// run, and nothing has committed since (see unchanged), the reading is stopped, as
	// the graph is proved to match files that validated. With a cache, the reading
	// waits for the hashes and the last run instead, to know which files it may take
	// from the cache (its time, "read and validate", then includes that wait).
	go func() {
		r, err := readLastRun(ctx, db, opts.Dataset, txConfig(opts.Dataset))
		e.lastRun <- lastRunResult{r, err}
	}()
	scanCtx, stopScan := context.WithCancel(ctx)
	defer stopScan()
	scanned := make(chan scanOut, 1)
	go func() {
		t0 := time.Now()
		sc, err := scanInputs(scanCtx, inputs, vocab, opts.MaxFindings, opts.Prune, ru, keep)
		scanned <- scanOut{sc, err, time.Since(t0)}
	}()
	if err := e.checkPrune(ctx); err != nil {
		stopScan()
		(<-scanned).sc.close()
		return nil, err
	}
	if hash, files, ok := contentHash(inputs); ok {
		hashed := time.Since(began)
		e.scan = &scanResult{hash: hash}
		same, err := e.unchanged(ctx)
		if err == nil && !same && e.reuseFrom() {
			ru.decide(e.cache, files)
		}
		if err == nil && same {
			stopScan()
			(<-scanned).sc.close()
			e.scan.records, e.skipped = e.last.run.records, true
			e.steps = append(e.steps, Step{StepHashed, hashed.Seconds()})
			e.session = db.Session(ctx, e.mode())
			return e, nil
		}
	}
	ru.decide(nil, nil) // unless decided above: read every file
	o := <-scanned
	if o.err != nil {
		return nil, o.err
	}
	e.scan = o.sc
	e.steps = append(e.steps, Step{StepRead, o.took.Seconds()})
	e.session = db.Session(ctx, e.mode())
	return e, nil
}

func (e *engine) load(ctx context.Context) (*Result, error) {
	res := &Result{
		Dataset: e.opts.Dataset, Files: len(e.inputs), Records: e.scan.records,
		ContentHash: e.scan.hash, StartedAt: e.began.UTC(), Warnings: e.scan.warnings,
	}
	unchanged, err := e.unchanged(ctx)
	if err != nil {
		return nil, fmt.Errorf("load %q: %w", e.opts.Dataset, e.explain(ctx, err))
	}
	var schemaCounters Counters
	var run runOut
	switch {
	case unchanged:
		// Nothing committed since the last run made the graph match these files: that
		// run stands for this one too, and nothing is written (a run node per no-op
		// would grow without bound, and would itself be a commit to check past).
		res.Fingerprint = true
		run.db = e.last.run.database
	case e.single():
		if schemaCounters, err = e.prepare(ctx); err != nil {
			return nil, err
		}
		type out struct {
			acc acc
			run runOut
		}
		var o out
		for attempt := 0; ; attempt++ {
			o, err = neo4j.ExecuteWrite(ctx, e.session, func(tx neo4j.ManagedTransaction) (out, error) {
				e.tx, e.acc, e.done = tx, acc{}, 0
				defer func() { e.tx = nil }()
				if e.opts.Watch != nil {
					if err := e.opts.Watch.Before(ctx, tx); err != nil {
						return out{}, err
					}
				}
				if err := e.passes(ctx); err != nil {
					return out{}, err
				}
				run, err := e.recordRun(ctx, tx)
				return out{e.acc, run}, err
			}, e.txConfig())
			if !e.retryRace(ctx, err, attempt) {
				break
			}
		}
		if err != nil {
			return nil, e.failed(ctx, err)
		}
		e.acc, run = o.acc, o.run
		res.Transactions = 1
	default:
		if schemaCounters, err = e.prepare(ctx); err != nil {
			return nil, err
		}
		if e.opts.Watch != nil {
			_, err := neo4j.ExecuteRead(ctx, e.session, func(tx neo4j.ManagedTransaction) (struct{}, error) {
				return struct{}{}, e.opts.Watch.Before(ctx, tx)
			}, e.txConfig())
			if err != nil {
				return nil, fmt.Errorf("load %q: read the answers before the load: %w; nothing was written", e.opts.Dataset, e.explain(ctx, err))
			}
		}
		if err := e.passes(ctx); err != nil {
			return nil, e.failed(ctx, err)
		}
		run, err = neo4j.ExecuteWrite(ctx, e.session, func(tx neo4j.ManagedTransaction) (runOut, error) {
			return e.recordRun(ctx, tx)
		}, e.txConfig())
		if err != nil {
			return nil, fmt.Errorf("load %q: record the run: %w (the data is loaded)", e.opts.Dataset, e.db.Classify(err))
		}
		res.Transactions = e.acc.transactions + 1
	}
	if !unchanged {
		if stamp, ok := e.stamp(ctx, run.id); ok && e.cache != nil {
			// Only the shortcut of the next run depends on it: a cache that cannot be
			// written is not the load's failure.
			_ = e.cache.commit(e.opts.Dataset, stamp, e.validation, e.scan.fileHashes)
		}
	}
	if !e.skipped {
		res.FilesRead, res.FilesReused = len(e.inputs)-e.scan.reused, e.scan.reused
	}
	res.RunCounters, res.Database = run.counters, run.db
	res.Counters = e.acc.counters
	res.Counters.plus(schemaCounters)
	res.Changes = e.acc.tallies()
	for _, t := range res.Changes {
		res.Created += t.Created
		res.Updated += t.Updated
		res.Deleted += t.Deleted
	}
	res.Elapsed = time.Since(e.began)
	res.ElapsedSeconds = res.Elapsed.Seconds()
	res.Steps = e.allSteps(res.Elapsed, "commit")
	return res, nil
}

// prepare creates the missing schema and notes which labels and types the graph holds.
func (e *engine) prepare(ctx context.Context) (Counters, error) {
	t0 := time.Now()
	// The snapshot first: creating the schema changes no count, and it says whether
	// the new id indexes need waiting for.
	err := e.snapshot(ctx)
	var c Counters
	if err == nil {
		c, err = e.createSchema(ctx)
	}
	e.steps = append(e.steps, Step{"schema", time.Since(t0).Seconds()})
	if err != nil {
		return c, fmt.Errorf("load %q: %w", e.opts.Dataset, e.explain(ctx, err))
	}
	return c, nil
}

// passes reads the spool twice, nodes then relationships, and prunes if asked.
func (e *engine) passes(ctx context.Context) error {
	t0 := time.Now()
	if err := e.nodesPass(ctx); err != nil {
		return err
	}
	e.acc.step("nodes", t0)
	t0 = time.Now()
	if err := e.relationshipsPass(ctx); err != nil {
		return err
	}
	e.acc.step("relationships", t0)
	if e.opts.Prune {
		t0 = time.Now()
		if err := e.prune(ctx); err != nil {
			return err
		}
		e.acc.step("prune", t0)
	}
	return nil
}

// failed phrases a load's error: what failed, and what state the graph is in.
func (e *engine) failed(ctx context.Context, err error) error {
	if be, ok := err.(*BatchError); ok {
		// Explained inside the batch's error, which keeps its name: "cannot reach
		// Neo4j" says more with the batch it happened in.
		err = &BatchError{Batch: be.Batch, Err: e.explain(ctx, be.Err)}
	} else {
		err = e.explain(ctx, err)
	}
	var ve *ValidationError
	if errors.As(err, &ve) {
		return err
	}
	if e.single() {
		return fmt.Errorf("load %q: %w; nothing was written (the load is one transaction)", e.opts.Dataset, err)
	}
	if e.acc.transactions == 0 {
		return fmt.Errorf("load %q: %w; nothing was written", e.opts.Dataset, err)
	}
	return fmt.Errorf("load %q: %w; the %d batches before it are committed: fix the cause and run the load again to converge", e.opts.Dataset, err, e.acc.transactions)
}

func (e *engine) plan(ctx context.Context) (*PlanResult, error) {
	p := &PlanResult{Dataset: e.opts.Dataset, Records: e.scan.records, Warnings: e.scan.warnings}
	if !e.skipped {
		p.FilesRead, p.FilesReused = len(e.inputs)-e.scan.reused, e.scan.reused
	}
	missing, err := e.missingSchema(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan %q: %w", e.opts.Dataset, err)
	}
	p.Schema = missing
	unchanged, err := e.unchanged(ctx)
	if err != nil {
		return nil, fmt.Errorf("plan %q: %w", e.opts.Dataset, err)
	}
	if unchanged {
		p.Changes, p.Fingerprint = []Change{}, true
		p.Steps = e.allSteps(time.Since(e.began), "other")
		return p, nil
	}
	if err := e.snapshot(ctx); err != nil {
		return nil, fmt.Errorf("plan %q: %w", e.opts.Dataset, err)
	}
	e.keep = true
	if e.single() {
		a, err := neo4j.ExecuteRead(ctx, e.session, func(tx neo4j.ManagedTransaction) (acc, error) {
			e.tx, e.acc, e.done = tx, acc{}, 0
			defer func() { e.tx = nil }()
			err := e.passes(ctx)
			return e.acc, err
		}, e.txConfig())
		if err != nil {
			return nil, fmt.Errorf("plan %q: %w", e.opts.Dataset, e.db.Classify(err))
		}
		e.acc = a
	} else if err := e.passes(ctx); err != nil {
		return nil, fmt.Errorf("plan %q: %w", e.opts.Dataset, e.db.Classify(err))
	}
	p.Changes = e.acc.changes
	sortChanges(p.Changes)
	if e.opts.Watch != nil && len(p.Changes) > 0 {
		if len(p.Schema) > 0 {
			p.WatchSkipped = fmt.Sprintf("%s (%d of them): it creates them in a transaction of their own, as Neo4j keeps schema and data writes apart, and the stored queries need them; load once, then plan again", ErrWatchSchema, len(p.Schema))
		} else if changes, err := e.watchPlan(ctx); errors.Is(err, ErrWatchTooLarge) {
			p.WatchSkipped = err.Error()
		} else if err != nil {
			return nil, fmt.Errorf("plan %q: apply the load to read its answers: %w", e.opts.Dataset, e.explain(ctx, err))
		} else {
			p.Changes = changes
		}
	}
	p.Steps = e.allSteps(time.Since(e.began), "other")
	for _, c := range p.Changes {
		switch c.Action {
		case ActionCreate:
			p.Create++
		case ActionUpdate:
			p.Update++
		case ActionDelete:
			p.Delete++
		}
	}
	if p.Changes == nil {
		p.Changes = []Change{}
	}
	return p, nil
}

// scanOut carries scanInputs' answer from its goroutine.
type scanOut struct {
	sc   *scanResult
	err  error
	took time.Duration // the reading's own time, whatever ran beside it
}

func (e *engine) txConfig() func(*neo4j.TransactionConfig) { return txConfig(e.opts.Dataset) }

// txConfig marks the run's transactions with the app and the dataset (SHOW TRANSACTIONS).
func txConfig(dataset string) func(*neo4j.TransactionConfig) {
	return neo4j.WithTxMetadata(map[string]any{"app": "backchannel", "dataset": dataset})
}

// The first step of a run: the files read and validated, or only hashed (a reload of
// the files of the last run, with nothing committed since). Either includes reading
// the last run, done at the same time.
const (
	StepRead   = "read and validate"
	StepHashed = "hash the files"
)

// StepWait is the time a run spent waiting for the server's first answer (the read of
// the last run, sent when the run starts, beside the files' reading): seconds on a
// server just started, nothing on a warm one. It follows the first step, when over 5 ms.
const StepWait = "wait for the server"

// Step is one step of a run and its time: StepRead or StepHashed, the schema, the
// nodes, the relationships, pruning, and the rest (recording the run and committing).
type Step struct {
	Step    string  `json:"step"`
	Seconds float64 `json:"seconds"`
}

// allSteps lists the run's steps, the rest of elapsed last under the name rest.
func (e *engine) allSteps(elapsed time.Duration, rest string) []Step {
	steps := slices.Clone(e.steps)
	if e.waited >= 5*time.Millisecond && len(steps) > 0 {
		steps = slices.Insert(steps, 1, Step{StepWait, e.waited.Seconds()})
	}
	steps = append(steps, e.acc.steps...)
	left := elapsed.Seconds()
	for _, s := range steps {
		left -= s.Seconds
	}
	return append(steps, Step{rest, max(left, 0)})
}

// step records a step of the passes, begun at t0.
func (a *acc) step(name string, t0 time.Time) {
	a.steps = append(a.steps, Step{name, time.Since(t0).Seconds()})
}
