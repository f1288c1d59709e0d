package loader

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/backchannel/backchannel/schema"
)

// scanResult is what the one pass over the input learns: it validates
// (schema.ValidateWith, files in parallel), counts the records of each group, hashes
// the files, takes the validator's table of IDs (every source's and node's ID with its
// kind, and, for a prune, the relationships' IDs), and spools the records to temporary
// files that the write passes read back, so that each file is read and parsed once per
// run. The table of IDs is the only thing in memory that grows with the data, and it
// is kept outside the Go heap: close frees it with the spool.
type scanResult struct {
	records  int
	groups   map[string]int // records per node kind, Source, relationship type
	ids      *schema.IDs    // the validator's (Close frees them)
	hash     string         // sha256 of the files' sha256s, in order
	warnings []schema.Finding
	spool    *spool
	covers   *schema.Span // the span the files declare (covers:), if any
	// compared counts the records spooled, to compare with the graph: those of the
	// files read, when others were taken from the last run (reused).
	compared   int
	reused     int                 // files taken from the last run (see cache.go)
	fileHashes [][sha256.Size]byte // each file's sha256, in input order
}

// reuse says which files a scan may take from the last run's cache instead of reading
// them. The scan's files wait for decided; cache is nil when every file is to be read.
type reuse struct {
	decided chan struct{}
	cache   *datasetCache
	hashes  [][sha256.Size]byte // every file's sha256, when cache is set
	once    sync.Once
}

// newReuse returns a reuse to decide on; with nothing to take, it is decided already.
func newReuse(c *datasetCache) *reuse {
	r := &reuse{decided: make(chan struct{})}
	if c == nil || c.manifest == nil {
		r.decide(nil, nil)
	}
	return r
}

// decide lets the scan take from c the files whose sha256 is in hashes; the first call
// counts.
func (r *reuse) decide(c *datasetCache, hashes [][sha256.Size]byte) {
	r.once.Do(func() {
		r.cache, r.hashes = c, hashes
		close(r.decided)
	})
}

// blob waits for the decision and returns input i's kept summary, or nil.
func (r *reuse) blob(ctx context.Context, i int) []byte {
	select {
	case <-r.decided:
	case <-ctx.Done():
		return nil
	}
	if r.cache == nil || i >= len(r.hashes) {
		return nil
	}
	return r.cache.blob(r.hashes[i])
}

// scanInputs reads, validates and spools the inputs. The ids of relationships are kept
// only for a prune (which deletes the dataset's relationships whose ids are not among
// them): a million of them take about 47 MB. The caller closes the result.
//
// Files that ru lets it take from the last run are not read: their records are checked
// again from their kept summaries, counted and their IDs noted, but not spooled, since
// the graph holds them as they are. The kept summaries of the files read go to keep,
// when set.
func scanInputs(ctx context.Context, inputs []schema.Input, vocab *schema.Vocabulary, maxFindings int, prune bool, ru *reuse, keep *datasetCache) (_ *scanResult, err error) {
	s := &scanResult{groups: map[string]int{}}
	sp, err := newSpool(len(inputs))
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			sp.remove()
		}
	}()
	fileHashes := make([][sha256.Size]byte, len(inputs))
	hashed := hashInputs(inputs, func(i int, sum [sha256.Size]byte) { fileHashes[i] = sum })
	var mu sync.Mutex // files are validated in parallel
	reused := make([]bool, len(inputs))
	opts := schema.Options{MaxFindings: maxFindings, OnRecord: func(i int, r schema.Record) error {
		sp.add(i, r) // only file i's reader adds to its spool files
		mu.Lock()
		defer mu.Unlock()
		s.records++
		s.compared++
		switch {
		case r.Source != nil:
			s.groups[schema.SourceLabel]++
		case r.Node != nil:
			s.groups[r.Node.Kind]++
		case r.Relationship != nil:
			s.groups[r.Relationship.Type]++
		}
		return nil
	}}
	if ru != nil {
		opts.Reuse = func(i int) []byte { return ru.blob(ctx, i) }
		opts.OnReused = func(i int, r schema.KeptRecord) error {
			mu.Lock()
			defer mu.Unlock()
			reused[i] = true
			s.records++
			return nil
		}
	}
	if keep != nil {
		// Called once file i is read whole: its hash is known.
		opts.Keep = func(i int, kept []byte) { keep.keep(fileHashes[i], kept) }
	}
	opts.OnInputDone = sp.done
	opts.KeepIDs, opts.KeepRelationshipIDs = true, prune
	res, err := schema.ValidateWith(ctx, hashed, vocab, opts)
	if err != nil {
		return nil, err
	}
	s.ids = res.IDs // set when the inputs validate, as they must to go on
	defer func() {
		if err != nil {
			s.ids.Close()
		}
	}()
	for i, r := range reused {
		if r {
			fileHashes[i] = ru.hashes[i]
			s.reused++
		}
	}
	if res.Errors > 0 {
		return nil, &ValidationError{Findings: res.Findings, Errors: res.Errors, Omitted: res.Omitted}
	}
	if err := sp.finish(); err != nil {
		return nil, fmt.Errorf("spool the records: %w", err)
	}
	s.warnings = res.Findings
	s.covers = res.Covers
	s.spool = sp
	h := sha256.New()
	for _, sum := range fileHashes {
		h.Write(sum[:])
	}
	s.hash = "sha256:" + hex.EncodeToString(h.Sum(nil))
	s.fileHashes = fileHashes
	return s, nil
}

// contentHash returns the hash scanInputs gives the inputs (a sha256 of their sha256s,
// in order), reading each whole; ok is false when one cannot be read (the scan says why).
//
// It also returns each file's sha256. The files are hashed one per core.
func contentHash(inputs []schema.Input) (hash string, files [][sha256.Size]byte, ok bool) {
	files = make([][sha256.Size]byte, len(inputs))
	var failed atomic.Bool
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(inputs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(inputs) && !failed.Load(); i = int(next.Add(1) - 1) {
				rc, err := inputs[i].Open()
				if err != nil {
					failed.Store(true)
					return
				}
				f := sha256.New()
				_, err = io.Copy(f, rc)
				rc.Close()
				if err != nil {
					failed.Store(true)
					return
				}
				copy(files[i][:], f.Sum(nil))
			}
		}()
	}
	wg.Wait()
	if failed.Load() {
		return "", nil, false
	}
	h := sha256.New()
	for _, f := range files {
		h.Write(f[:])
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), files, true
}

// isNode reports whether the input defines id as a node or a source.
func (s *scanResult) isNode(id string) bool {
	record, _ := s.ids.Lookup(id)
	return record == schema.RecordNode || record == schema.RecordSource
}

// nodeKind returns the index in the vocabulary of the kind of the node id (which the
// input defines, as validation proved).
func (s *scanResult) nodeKind(id string) int {
	_, kind := s.ids.Lookup(id)
	return kind
}

// isRelationship reports whether the input defines id as a relationship (kept for a
// prune only: see scanInputs).
func (s *scanResult) isRelationship(id string) bool {
	record, _ := s.ids.Lookup(id)
	return record == schema.RecordRelationship
}

// close removes the spool and frees the table of IDs; a nil scan has neither.
func (s *scanResult) close() {
	if s != nil {
		s.spool.remove()
		s.ids.Close()
	}
}

// spool keeps the parsed records of each input in two temporary files, one of sources
// and nodes and one of relationships, gob-encoded, for the write passes to read back in
// input order.
type spool struct {
	dir   string
	files [][2]*spoolFile // per input: nodes, relationships
}

type spoolFile struct {
	f   *os.File
	w   *bufio.Writer
	enc *gob.Encoder
	err error
}

// spooled is one record as spooled: one field is set.
type spooled struct {
	Source       *schema.Source
	Node         *schema.Node
	Relationship *schema.Relationship
}

const (
	spoolNodes = 0
	spoolRels  = 1
)

func newSpool(inputs int) (*spool, error) {
	dir, err := os.MkdirTemp("", "backchannel-load-")
	if err != nil {
		return nil, fmt.Errorf("a folder for the load's spool: %w", err)
	}
	return &spool{dir: dir, files: make([][2]*spoolFile, inputs)}, nil
}

func (s *spool) path(input, part int) string {
	return filepath.Join(s.dir, fmt.Sprintf("%d-%d.gob", input, part))
}

// add spools a record of input i; only that input's goroutine calls it for i.
func (s *spool) add(i int, r schema.Record) {
	part, rec := spoolNodes, spooled{Source: r.Source, Node: r.Node}
	if r.Relationship != nil {
		part, rec = spoolRels, spooled{Relationship: r.Relationship}
	}
	sf := s.files[i][part]
	if sf == nil {
		sf = &spoolFile{}
		if sf.f, sf.err = os.Create(s.path(i, part)); sf.err == nil {
			sf.w = bufio.NewWriterSize(sf.f, 1<<16)
			sf.enc = gob.NewEncoder(sf.w)
		}
		s.files[i][part] = sf
	}
	if sf.err == nil && sf.enc != nil { // nil once done closed it
		sf.err = sf.enc.Encode(&rec)
	}
}

// done flushes and closes the spool files of input i, whose records are all spooled:
// an open spool file holds a 64 KiB buffer and its encoder, and at 10M relationships
// there are 2,246 of them.
func (s *spool) done(i int) {
	for _, sf := range s.files[i] {
		if sf != nil && sf.f != nil {
			sf.err = errors.Join(sf.err, sf.w.Flush(), sf.f.Close())
			sf.f, sf.w, sf.enc = nil, nil, nil
		}
	}
}

// finish flushes and closes the spool files.
func (s *spool) finish() error {
	var err error
	for _, parts := range s.files {
		for _, sf := range parts {
			if sf == nil || sf.f == nil {
				if sf != nil {
					err = errors.Join(err, sf.err)
				}
				continue
			}
			err = errors.Join(err, sf.err, sf.w.Flush(), sf.f.Close())
		}
	}
	return err
}

// read streams the spooled records of a part (spoolNodes or spoolRels), input by input.
func (s *spool) read(part int, fn func(spooled) error) error {
	for i := range s.files {
		if s.files[i][part] == nil {
			continue
		}
		if err := s.readFile(s.path(i, part), fn); err != nil {
			return err
		}
	}
	return nil
}

func (s *spool) readFile(path string, fn func(spooled) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := gob.NewDecoder(bufio.NewReaderSize(f, 1<<16))
	for {
		var rec spooled
		if err := dec.Decode(&rec); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return fmt.Errorf("read the load's spool: %w", err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// remove deletes the spool.
func (s *spool) remove() {
	if s != nil {
		_ = os.RemoveAll(s.dir)
	}
}

// hashInputs wraps inputs so that reading input i whole reports its sha256 on close.
func hashInputs(inputs []schema.Input, done func(i int, sum [sha256.Size]byte)) []schema.Input {
	out := make([]schema.Input, len(inputs))
	for i, in := range inputs {
		open := in.Open
		out[i] = schema.Input{Name: in.Name, OpenRelative: in.OpenRelative, Open: func() (io.ReadCloser, error) {
			rc, err := open()
			if err != nil {
				return nil, err
			}
			return &hashingReader{ReadCloser: rc, h: sha256.New(), done: func(sum [sha256.Size]byte) { done(i, sum) }}, nil
		}}
	}
	return out
}

type hashingReader struct {
	io.ReadCloser
	h    hash.Hash
	done func([sha256.Size]byte)
}

func (r *hashingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.h.Write(p[:n])
	return n, err
}

func (r *hashingReader) Close() error {
	var sum [sha256.Size]byte
	copy(sum[:], r.h.Sum(nil))
	r.done(sum)
	return r.ReadCloser.Close()
}
