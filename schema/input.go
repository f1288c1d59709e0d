package schema

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/backchannel/backchannel/internal/idtable"
)

// Input is one seed file to read: its display name (as in findings), how to open it,
// and its size when known (else 0).
type Input struct {
	Name string
	Open func() (io.ReadCloser, error)
	Size int64
	// OpenRelative opens a file named relative to the input's folder (a source's
	// `file:`, a slash-separated path that fs.ValidPath accepts); nil when the input has
	// no folder (a buffer), and then the quotes of such sources are not checked.
	OpenRelative func(name string) (io.ReadCloser, error)
}

// IsSeedFile reports whether a file name is a seed file (.yaml or .yml).
func IsSeedFile(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// FSInputs lists the seed files of a file system (such as the embedded seeds), sorted,
// named with prefix (e.g. "seeds/").
func FSInputs(fsys fs.FS, prefix string) ([]Input, error) {
	var out []Input
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !IsSeedFile(p) {
			return nil
		}
		var size int64
		if info, err := d.Info(); err == nil {
			size = info.Size()
		}
		out = append(out, Input{Name: prefix + p, Open: func() (io.ReadCloser, error) { return fsys.Open(p) }, Size: size,
			OpenRelative: func(name string) (io.ReadCloser, error) { return fsys.Open(path.Join(path.Dir(p), name)) }})
		return nil
	})
	return out, err
}

// PathInputs expands paths: a file is read as given (whatever its extension); a folder
// contributes its .yaml and .yml files, recursively, in sorted order. Only regular files
// are read: a FIFO, device or socket would block or never end. A path that does not
// exist or is not a regular file, a folder without seed files, or a subfolder that
// can't be read becomes an input that fails to open, so that it is reported with every
// other problem (rule io) while the rest is checked.
func PathInputs(paths []string) []Input {
	var out []Input
	seen := map[string]bool{}
	add := func(p string, info fs.FileInfo) {
		clean := filepath.Clean(p)
		if seen[clean] {
			return
		}
		seen[clean] = true
		if !info.Mode().IsRegular() {
			failing(&out, p, errNotRegular(info))
			return
		}
		out = append(out, Input{Name: p, Open: func() (io.ReadCloser, error) { return openRegular(p) }, Size: info.Size(),
			OpenRelative: func(name string) (io.ReadCloser, error) {
				return openRegular(filepath.Join(filepath.Dir(p), filepath.FromSlash(name)))
			}})
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			failing(&out, p, err)
			continue
		}
		if !info.IsDir() {
			add(p, info)
			continue
		}
		type file struct {
			path string
			info fs.FileInfo
			err  error
		}
		var files []file
		_ = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			switch {
			case err != nil && d != nil && d.IsDir() && f != p:
				files = append(files, file{path: f, err: err}) // an unreadable subfolder
				return fs.SkipDir
			case err != nil:
				files = append(files, file{path: f, err: err})
				return nil
			case d.IsDir() || !IsSeedFile(f):
				return nil
			}
			info, err := os.Stat(f) // follows a symbolic link, as reading it would
			files = append(files, file{path: f, info: info, err: err})
			return nil
		})
		if len(files) == 0 {
			failing(&out, p, errors.New("a folder with no .yaml or .yml files"))
		}
		sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
		for _, f := range files {
			switch {
			case f.err != nil:
				failing(&out, f.path, f.err)
			case f.info.IsDir():
				failing(&out, f.path, errors.New("is a directory"))
			default:
				add(f.path, f.info)
			}
		}
	}
	return out
}

// failing adds an input that fails to open with err.
func failing(out *[]Input, p string, err error) {
	*out = append(*out, Input{Name: p, Open: func() (io.ReadCloser, error) { return nil, err }})
}

// errNotRegular says what a file that is not a regular file is.
func errNotRegular(info fs.FileInfo) error {
	what := "not a regular file"
	switch m := info.Mode(); {
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeDevice != 0:
		what = "a device"
	}
	return fmt.Errorf("is %s, not a regular file: only regular files are read", what)
}

// openRegular opens a file for reading without blocking (a FIFO put in place of the
// file since it was listed would block until a writer came) and checks that it is a
// regular file.
func openRegular(p string) (io.ReadCloser, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = errNotRegular(info)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Walk parses the inputs in order and calls fn with each record. It returns the
// parser's findings (syntax, shape and type problems); a file that can't be read is a
// finding with rule io. fn's error stops the walk and is returned.
func Walk(inputs []Input, fn func(Record) error) ([]Finding, error) {
	return WalkCovers(inputs, fn, nil)
}

// WalkCovers is Walk that also calls covers, when set, with each span a file declares
// (covers:, checked), in input order.
func WalkCovers(inputs []Input, fn func(Record) error, covers func(Span)) ([]Finding, error) {
	var findings []Finding
	for _, in := range inputs {
		fs, err := walkOne(context.Background(), in, fileLimits{covers: covers}, fn)
		findings = append(findings, fs...)
		if err != nil {
			return findings, err
		}
	}
	return findings, nil
}

// walkOne reads and parses one input; a read failure is a finding with rule io.
// fn's and ctx's errors are returned.
func walkOne(ctx context.Context, in Input, lim fileLimits, fn func(Record) error) ([]Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var stop error
	fs, err := func() ([]Finding, error) {
		rc, err := in.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return parseFile(ctx, in.Name, rc, in.Size, lim, func(r Record) error {
			stop = fn(r)
			return stop
		})
	}()
	switch {
	case err == nil:
		return fs, nil
	case stop != nil && errors.Is(err, stop), ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return fs, err
	}
	return append(fs, Finding{Pos: Pos{File: in.Name, Line: 1, Col: 1}, Severity: SeverityError, Message: ioMessage(err), Rule: RuleIO}), nil
}

func ioMessage(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	msg := err.Error()
	if strings.Contains(msg, "is a directory") {
		return "is a folder, not a seed file"
	}
	return "cannot read: " + msg
}

// DefaultMaxFindings is how many findings a run shows unless told otherwise.
const DefaultMaxFindings = 1000

// Options tune ValidateWith. The zero value checks with the defaults.
type Options struct {
	// MaxFindings caps the findings returned, and those read from one file (reading a
	// file stops there, with a finding that says so). 0 means DefaultMaxFindings; a
	// negative number, no cap.
	MaxFindings int
	// OnRecord, when set, is called with each record that parsed, with the index of its
	// input. Files are read in parallel, so calls for different files may come at the
	// same time; the records of one file come in file order. Its error stops the run.
	OnRecord func(input int, rec Record) error
	// Keep, when set, is called with what validation needs of each file read (see
	// kept.go), encoded, once the file has been read whole; from the file's reader, so
	// calls for different files may come at the same time. Reuse gives it back.
	Keep func(input int, kept []byte)
	// Reuse, when set, is asked for each input for what Keep gave in an earlier run for
	// a file of the same bytes, checked under the same vocabulary by the same version,
	// or nil. The file is then not read: its records are checked again from it, with
	// the cross-record rules, as reading it would check them, and OnReused (when set)
	// is called with each of them instead of OnRecord. One that does not decode, or
	// that holds more findings than MaxFindings lets a file have (reading it would stop
	// early), is not used: the file is read.
	Reuse    func(input int) []byte
	OnReused func(input int, rec KeptRecord) error
	// OnInputDone, when set, is called once the records of an input have all been
	// through OnRecord (and before those of later inputs are all through), from one
	// goroutine, input by input, so that what OnRecord keeps per input can be let go.
	OnInputDone func(input int)
	// KeepIDs, when set, hands the validator's table of IDs over in Result.IDs when the
	// inputs validate (no error): the sources' and nodes' IDs, with each node's kind. With
	// KeepRelationshipIDs as well, the relationships' IDs: they are then kept whole from
	// the start rather than as hashes (one pass, about 30 bytes an ID more). The caller
	// must Close them.
	KeepIDs, KeepRelationshipIDs bool
}

// Result is what ValidateWith found.
type Result struct {
	Covers   *Span     // the span the dataset is curated for, when a file declares it (covers:)
	Findings []Finding // sorted; at most Options.MaxFindings of them
	Errors   int       // errors among all findings, shown or not
	Warnings int       // warnings among all findings, shown or not
	Omitted  int       // findings left out of Findings by the cap
	IDs      *IDs      // with Options.KeepIDs and no error, the IDs (Close them); else nil
}

// maxBytesInFlight bounds the bytes of YAML parsed at once, over all files but the one
// whose records are being taken (which holds one piece more): the node trees are about
// 30 times the text, so this (not the number of workers) bounds memory.
const maxBytesInFlight = 2 * MaxChunk

// summaryBuffer is how many checked records a file's worker may get ahead by; they are
// sent on in batches of summaryBatch, so that a channel operation (and the wake-up of
// the goroutine taking them) is paid once a batch rather than once a record.
const (
	summaryBuffer = 1024
	summaryBatch  = 64
)

// Validate parses and checks the inputs against the vocabulary and returns every
// finding, sorted, with no cap. See ValidateWith.
func Validate(inputs []Input, v *Vocabulary) []Finding {
	r, _ := ValidateWith(context.Background(), inputs, v, Options{MaxFindings: -1})
	return r.Findings
}

// ValidateWith parses and checks the inputs against the vocabulary. Files are parsed
// and their records checked in parallel (one file per core); the cross-record checks
// then see the records in input order, so findings are deterministic. Memory does not
// grow with the size of the files or the number of workers: each file is parsed a piece
// at a time, the pieces in flight share a budget in bytes, checked records wait in a
// small buffer, and only IDs and references are kept: the relationships' IDs as
// hashes. When one of those may be a duplicate or a reference may name one (no valid
// dataset has either), the inputs are validated again with every ID and its position
// kept (OnRecord, OnReused, OnInputDone and Keep are not called again), so the
// findings are exact. It returns ctx's
// error when ctx is cancelled (checked between records), or OnRecord's.
func ValidateWith(ctx context.Context, inputs []Input, v *Vocabulary, opt Options) (Result, error) {
	res, suspect, err := validateWith(ctx, inputs, v, opt, !opt.KeepRelationshipIDs)
	if err != nil || !suspect {
		return res, err
	}
	opt.OnRecord, opt.OnReused, opt.OnInputDone, opt.Keep = nil, nil, nil, nil
	res, _, err = validateWith(ctx, inputs, v, opt, false)
	return res, err
}

// validateWith is one pass of ValidateWith; with hashed, it keeps the relationships'
// IDs as hashes and reports whether that left a finding undecided (suspect).
func validateWith(ctx context.Context, inputs []Input, v *Vocabulary, opt Options, hashed bool) (_ Result, suspect bool, _ error) {
	limit := opt.MaxFindings
	if limit == 0 {
		limit = DefaultMaxFindings
	}
	x := NewValidator(v)
	defer x.release() // on every path; nothing, when its IDs were handed over
	x.max = limit
	if hashed {
		x.rels = idtable.NewSet(idHash)
	}
	// Each file's checked records, in a buffered channel made when its reader starts
	// (at most one per core at once, handed over in input order): made up front, the
	// buffers of 1,123 files took 200 MB.
	results := make(chan chan []summary, len(inputs))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var stopErr error
	var stopOnce sync.Once
	stop := func(err error) {
		stopOnce.Do(func() { stopErr = err })
		cancel()
	}
	// The pieces in flight share a budget of bytes. A file holds a piece while its
	// records are checked and sent on, and the sending waits while earlier files are
	// still being read: so the file whose records are being taken (current) never waits
	// for the budget, or files waiting their turn could hold it all.
	inFlight := semaphore.NewWeighted(maxBytesInFlight)
	var current atomic.Int64
	holdFor := func(i int) func(context.Context, int64) (func(), error) {
		return func(ctx context.Context, n int64) (func(), error) {
			for {
				if current.Load() == int64(i) {
					return func() {}, nil
				}
				if inFlight.TryAcquire(n) {
					return func() { inFlight.Release(n) }, nil
				}
				select {
				case <-ctx.Done():
					return nil, ctx.Err()
				case <-time.After(time.Millisecond):
				}
			}
		}
	}
	spans := make([][]Span, len(inputs)) // each file's covers, written by its reader only
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	go func() {
		for i, in := range inputs {
			slots <- struct{}{}
			out := make(chan []summary, summaryBuffer/summaryBatch)
			results <- out
			go func() {
				defer close(out)
				lim := fileLimits{hold: holdFor(i), covers: func(s Span) { spans[i] = append(spans[i], s) }}
				if limit > 0 {
					budget := max(limit-1, 1) // room for the finding that says reading stopped
					lim.budget, lim.max = &budget, budget
				}
				if opt.Reuse != nil {
					if sums, kept, ok := reusable(opt.Reuse(i), in.Name, lim.budget); ok {
						spans[i] = kept
						if err := replay(ctx, in, sums, out, func(s summary) error {
							if opt.OnReused == nil || s.record == "" {
								return nil
							}
							return opt.OnReused(i, s.keptRecord())
						}); err != nil {
							stop(err)
						}
						return
					}
				}
				var keep *keptEncoder
				if opt.Keep != nil {
					keep = newKeptEncoder(in.Name)
				}
				batch := make([]summary, 0, summaryBatch)
				fs, err := walkOne(ctx, in, lim, func(rec Record) error {
					s := x.check(rec)
					if s.src != nil {
						s.src.in = in
					}
					if keep != nil {
						keep.summary(s)
					}
					if lim.budget != nil {
						*lim.budget -= len(s.findings)
					}
					if opt.OnRecord != nil {
						if err := opt.OnRecord(i, rec); err != nil {
							return err
						}
					}
					if batch = append(batch, s); len(batch) < summaryBatch {
						return nil
					}
					select {
					case out <- batch:
						batch = make([]summary, 0, summaryBatch)
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				})
				if err != nil {
					stop(err)
				}
				out <- append(batch, summary{findings: fs})
				if keep != nil && err == nil {
					keep.summary(summary{findings: fs})
					opt.Keep(i, keep.finish(spans[i]))
				}
			}()
		}
	}()
	for i := range inputs {
		current.Store(int64(i))
		for batch := range <-results {
			for _, s := range batch {
				x.add(s)
			}
		}
		if opt.OnInputDone != nil {
			opt.OnInputDone(i)
		}
		for _, s := range spans[i] { // the reader is done: its channel is closed
			x.addSpan(s)
		}
		<-slots
	}
	if stopErr != nil {
		return Result{}, false, stopErr
	}
	if err := ctx.Err(); err != nil {
		return Result{}, false, err
	}
	res := x.result()
	if opt.KeepIDs && !x.suspect && res.Errors == 0 {
		res.IDs = &IDs{t: x.ids}
		x.ids = nil
	}
	return res, x.suspect, nil
}

// reusable decodes a file's kept summaries, when they are there, decode, and hold fewer
// findings than the file's budget (nil: no cap), so that reading the file would not
// have stopped early.
func reusable(kept []byte, file string, budget *int) ([]summary, []Span, bool) {
	if kept == nil {
		return nil, nil, false
	}
	sums, spans, findings, err := decodeKept(kept, file)
	if err != nil || (budget != nil && findings >= *budget) {
		return nil, nil, false
	}
	return sums, spans, true
}

// replay sends a reused file's summaries on, as its reader would have (in batches of
// summaryBatch), calling each with every one first.
func replay(ctx context.Context, in Input, sums []summary, out chan<- []summary, each func(summary) error) error {
	for len(sums) > 0 {
		n := min(summaryBatch, len(sums))
		batch := sums[:n:n]
		sums = sums[len(batch):]
		for i := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if batch[i].src != nil {
				batch[i].src.in = in
			}
			if err := each(batch[i]); err != nil {
				return err
			}
		}
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// HasIOErrors reports whether any finding is a file that couldn't be read.
func HasIOErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Rule == RuleIO {
			return true
		}
	}
	return false
}
