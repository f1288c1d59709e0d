package loader

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/neo4jconn"
)

// A no-op reload is proved, not assumed: each load stamps its run node with the id of
// the transaction that committed the run (read from the driver's bookmark), in a
// transaction of its own that commits next. A later run with the same input (files,
// vocabulary, tool version, dataset) then only has to see that the database's last
// committed transaction is that stamp: nothing, of any writer, has committed since the
// graph was last made to match the files. Any other commit (a hand edit in Browser,
// another dataset's load, a schema change) breaks the chain, and the run compares every
// record as usual. A bookmark this code cannot read (another server version) only costs
// the shortcut.

// fingerprintVersion changes whenever what the loader writes for the same input changes.
const fingerprintVersion = "1"

// inputKey identifies what the run writes: the files, the vocabulary, the tool's
// version and the dataset.
func (e *engine) inputKey() string {
	vocab, _ := json.Marshal(e.vocab)
	h := sha256.New()
	for _, s := range []string{fingerprintVersion, e.opts.Version, e.opts.Dataset, e.scan.hash} {
		fmt.Fprintf(h, "%d:%s\n", len(s), s)
	}
	h.Write(vocab)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// commit is a database's transaction: its store id and transaction id.
type commit struct {
	db string
	tx int64
}

func (c commit) String() string { return c.db + ":" + strconv.FormatInt(c.tx, 10) }

func parseCommit(s string) (commit, bool) {
	db, tx, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(tx, 10, 64)
	return commit{db, n}, ok && err == nil && db != ""
}

// lastCommit reads the last committed transaction from Neo4j 5 bookmarks: "FB:" and,
// base64-encoded in PackStream, a list of one entry, the database's 16-byte id and the
// transaction id, then an empty list. Anything else is not understood.
func lastCommit(bookmarks neo4j.Bookmarks) (commit, bool) {
	if len(bookmarks) != 1 || !strings.HasPrefix(bookmarks[0], "FB:") {
		return commit{}, false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(bookmarks[0], "FB:"))
	if err != nil || len(raw) < 20 || !bytes.HasPrefix(raw, []byte{0x91, 0xCC, 0x10}) || raw[len(raw)-1] != 0x90 {
		return commit{}, false
	}
	db := hex.EncodeToString(raw[3:19])
	rest := raw[19 : len(raw)-1]
	var tx int64
	switch {
	case len(rest) == 1 && rest[0] < 0x80:
		tx = int64(rest[0])
	case len(rest) == 2 && rest[0] == 0xC8:
		tx = int64(int8(rest[1]))
	case len(rest) == 3 && rest[0] == 0xC9:
		tx = int64(int16(binary.BigEndian.Uint16(rest[1:])))
	case len(rest) == 5 && rest[0] == 0xCA:
		tx = int64(int32(binary.BigEndian.Uint32(rest[1:])))
	case len(rest) == 9 && rest[0] == 0xCB:
		tx = int64(binary.BigEndian.Uint64(rest[1:]))
	default:
		return commit{}, false
	}
	return commit{db, tx}, tx > 0
}

// lastRun is what the dataset's last stamped run recorded, and the database's last
// commit when it was read.
type lastRun struct {
	found         bool
	key, stamp    string
	pruned, valid bool
	records       int
	files         int // the files it read
	now           commit
	nowOK         bool
	database      string // the database's name, as a run's summary gives it
}

// readLastRun reads the dataset's last stamped run. It runs while the files are read
// (start): the first statement on a freshly started server takes a second or more.
func readLastRun(ctx context.Context, db *neo4jconn.DB, dataset string, config func(*neo4j.TransactionConfig)) (lastRun, error) {
	// A write session reaches the cluster's leader, which knows the last commit; the
	// transaction writes nothing, so it commits nothing.
	s := db.Session(ctx, neo4j.AccessModeWrite)
	defer s.Close(context.WithoutCancel(ctx))
	var database string
	rec, err := neo4j.ExecuteWrite(ctx, s, func(tx neo4j.ManagedTransaction) (*neo4j.Record, error) {
		recs, sum, err := query(ctx, tx, "MATCH (r:"+RunLabel+" {dataset: $dataset}) WHERE r.stamp IS NOT NULL RETURN r.inputKey AS key, r.stamp AS stamp, r.prune AS prune, r.records AS records, r.files AS files ORDER BY r.finishedAt DESC LIMIT 1",
			map[string]any{"dataset": dataset})
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		database = sum.Database().Name()
		return recs[0], nil
	}, config)
	if err != nil || rec == nil {
		return lastRun{}, err
	}
	var l lastRun
	var err1, err2, err3, err4 error
	var records int64
	l.found, l.database = true, database
	l.key, _, err1 = neo4j.GetRecordValue[string](rec, "key")
	l.stamp, _, err2 = neo4j.GetRecordValue[string](rec, "stamp")
	l.pruned, _, err3 = neo4j.GetRecordValue[bool](rec, "prune")
	records, _, err4 = neo4j.GetRecordValue[int64](rec, "records")
	l.records = int(records)
	// No files (null, or another type) is a run node of another version: no rule to keep.
	files, _, _ := neo4j.GetRecordValue[int64](rec, "files")
	l.files = int(files)
	l.valid = err1 == nil && err2 == nil && err3 == nil && err4 == nil // else a run node of another version
	l.now, l.nowOK = lastCommit(s.LastBookmarks())
	return l, nil
}

// unchanged reports whether the graph provably still holds what the dataset's last run
// wrote from the same input, and that run pruned if this one is to.
func (e *engine) unchanged(ctx context.Context) (bool, error) {
	if e.skipped {
		return true, nil // proved by start
	}
	last, err := e.awaitLastRun(ctx)
	if err != nil {
		return false, fmt.Errorf("read the last run: %w", err)
	}
	return chainHolds(last) && last.key == e.inputKey() && (last.pruned || !e.opts.Prune), nil
}

// chainHolds reports whether the last run is stamped and nothing has committed to the
// database since its stamp: the graph holds what that run wrote, as it wrote it.
func chainHolds(last lastRun) bool {
	if !last.found || !last.valid {
		return false // no run, or a run node of another version: compare the records
	}
	run, ok := parseCommit(last.stamp)
	return ok && last.nowOK && last.now == (commit{run.db, run.tx + 1})
}

// reuseFrom reports whether the files unchanged since the last run may be taken from
// the cache (see cache.go): the chain holds, and the cache is that run's, under this
// run's validation key. It is called once the last run is read (unchanged).
func (e *engine) reuseFrom() bool {
	if e.cache == nil || e.last == nil || e.last.err != nil {
		return false
	}
	return chainHolds(e.last.run) && e.cache.usable(e.last.run.stamp, e.validation)
}

// awaitLastRun waits for readLastRun's answer (start's goroutine), kept for the next call.
func (e *engine) awaitLastRun(ctx context.Context) (lastRun, error) {
	if e.last == nil {
		t0 := time.Now()
		select {
		case r := <-e.lastRun:
			e.last = &r
			e.waited += time.Since(t0)
		case <-ctx.Done():
			return lastRun{}, ctx.Err()
		}
	}
	if e.last.err != nil {
		return lastRun{}, e.db.Classify(e.last.err)
	}
	return e.last.run, nil
}

// checkPrune is the prune safety rule (Options.Prune), checked for Load and Plan alike
// from the run that the no-op check reads as well.
func (e *engine) checkPrune(ctx context.Context) error {
	if !e.opts.Prune || e.opts.PruneFewerFiles {
		return nil
	}
	last, err := e.awaitLastRun(ctx)
	if err != nil {
		return fmt.Errorf("read the last load of dataset %q: %w", e.opts.Dataset, err)
	}
	if last.found && len(e.inputs) < last.files {
		return fmt.Errorf("%w: the last load of dataset %q read %d files and this one reads %d, so --prune would delete the records of the files left out; load them all, or add --prune-fewer-files if they are gone for good", ErrFewerFiles, e.opts.Dataset, last.files, len(e.inputs))
	}
	return nil
}

// lastRunResult carries readLastRun's answer from its goroutine.
type lastRunResult struct {
	run lastRun
	err error
}

// stamp records on the run node the transaction that committed it, read from the
// session's bookmark; it commits right after. A stamp that cannot be written only costs
// the next run its shortcut, so its failure is not the load's. It returns the stamp
// written.
func (e *engine) stamp(ctx context.Context, runID string) (string, bool) {
	c, ok := lastCommit(e.session.LastBookmarks())
	if !ok || runID == "" {
		return "", false
	}
	_, err := neo4j.ExecuteWrite(ctx, e.session, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		_, _, err := query(ctx, tx, "MATCH (r:"+RunLabel+") WHERE elementId(r) = $id SET r.stamp = $stamp",
			map[string]any{"id": runID, "stamp": c.String()})
		return struct{}{}, err
	}, e.txConfig())
	return c.String(), err == nil
}
