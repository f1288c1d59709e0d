package schema

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Input is one seed file to read: its display name (as in findings) and how to open it.
type Input struct {
	Name string
	Open func() (io.ReadCloser, error)
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
		out = append(out, Input{Name: prefix + p, Open: func() (io.ReadCloser, error) { return fsys.Open(p) }})
		return nil
	})
	return out, err
}

// PathInputs expands paths: a file is read as given (whatever its extension); a folder
// contributes its .yaml and .yml files, recursively, in sorted order. A path that does
// not exist, or a folder without seed files, becomes an input that fails to open, so
// that it is reported with every other problem (rule io).
func PathInputs(paths []string) []Input {
	var out []Input
	seen := map[string]bool{}
	add := func(p string) {
		clean := filepath.Clean(p)
		if seen[clean] {
			return
		}
		seen[clean] = true
		out = append(out, Input{Name: p, Open: func() (io.ReadCloser, error) { return os.Open(p) }})
	}
	failing := func(p string, err error) {
		out = append(out, Input{Name: p, Open: func() (io.ReadCloser, error) { return nil, err }})
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			failing(p, err)
			continue
		}
		if !info.IsDir() {
			add(p)
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && IsSeedFile(f) {
				files = append(files, f)
			}
			return nil
		})
		switch {
		case err != nil:
			failing(p, err)
		case len(files) == 0:
			failing(p, errors.New("a folder with no .yaml or .yml files"))
		}
		sort.Strings(files)
		for _, f := range files {
			add(f)
		}
	}
	return out
}

// read reads an input whole, up to one byte over MaxFileSize.
func (in Input) read() ([]byte, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, MaxFileSize+1))
}

// GCPercent is the garbage-collection target the CLI runs with (unless GOGC is set).
// Parsing allocates a YAML node tree per file that dies as soon as the file is checked;
// a target of 200 instead of Go's 100 trades about half again as much peak memory for
// about a quarter more throughput. BenchmarkValidate50MB measures with it.
const GCPercent = 200

// ErrIO marks findings or errors that come from reading files rather than their content.
var ErrIO = errors.New("seed files could not be read")

// Walk parses the inputs in order and calls fn with each record. It returns the
// parser's findings (syntax, shape and type problems); a file that can't be read is a
// finding with rule io. fn's error stops the walk and is returned.
func Walk(inputs []Input, fn func(Record) error) ([]Finding, error) {
	var findings []Finding
	var err error
	for _, in := range inputs {
		findings = append(findings, walkOne(in, func(r Record) error {
			if e := fn(r); e != nil {
				err = e
			}
			return err
		})...)
		if err != nil {
			return findings, err
		}
	}
	return findings, nil
}

// walkOne reads and parses one input; a read failure is a finding with rule io.
func walkOne(in Input, fn func(Record) error) []Finding {
	data, err := in.read()
	if err != nil {
		return []Finding{{Pos: Pos{File: in.Name, Line: 1, Col: 1}, Severity: SeverityError, Message: ioMessage(err), Rule: RuleIO}}
	}
	fs, _ := ParseFile(in.Name, data, fn)
	return fs
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

// Validate parses and checks the inputs against the vocabulary and returns every
// finding, sorted. Files are parsed and their records checked in parallel (one file per
// core); the cross-record checks then see the records in input order, so findings are
// deterministic. Memory stays proportional to the number of IDs, not the data: records
// are dropped once checked, and only as many files as cores are in flight.
func Validate(inputs []Input, v *Vocabulary) []Finding {
	x := NewValidator(v)
	type result struct {
		sums     []summary
		findings []Finding
	}
	results := make([]chan result, len(inputs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	go func() {
		for i, in := range inputs {
			slots <- struct{}{}
			go func() {
				var r result
				r.findings = walkOne(in, func(rec Record) error {
					r.sums = append(r.sums, x.check(rec))
					return nil
				})
				results[i] <- r
			}()
		}
	}()
	for i := range inputs {
		r := <-results[i]
		<-slots
		x.Add(r.findings...)
		for _, s := range r.sums {
			x.add(s)
		}
	}
	return x.Finish()
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
