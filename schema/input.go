package schema

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
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
// not exist is an error.
func PathInputs(paths []string) ([]Input, error) {
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
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
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
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no .yaml or .yml files in this folder", p)
		}
		sort.Strings(files)
		for _, f := range files {
			add(f)
		}
	}
	return out, nil
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

// ErrIO marks findings or errors that come from reading files rather than their content.
var ErrIO = errors.New("seed files could not be read")

// Walk parses the inputs in order and calls fn with each record. It returns the
// parser's findings (syntax, shape and type problems); a file that can't be read is a
// finding with rule io. fn's error stops the walk and is returned.
func Walk(inputs []Input, fn func(Record) error) ([]Finding, error) {
	var findings []Finding
	for _, in := range inputs {
		data, err := in.read()
		if err != nil {
			findings = append(findings, Finding{Pos: Pos{File: in.Name, Line: 1, Col: 1}, Severity: SeverityError, Message: ioMessage(err), Rule: RuleIO})
			continue
		}
		fs, err := ParseFile(in.Name, data, fn)
		findings = append(findings, fs...)
		if err != nil {
			return findings, err
		}
	}
	return findings, nil
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
// finding, sorted. Memory stays proportional to the number of IDs, not the data: records
// are checked as they stream past and dropped.
func Validate(inputs []Input, v *Vocabulary) []Finding {
	x := NewValidator(v)
	fs, _ := Walk(inputs, func(r Record) error { x.Record(r); return nil })
	x.Add(fs...)
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
