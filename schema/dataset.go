package schema

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// DatasetKey is the top-level key that names the dataset a seed file belongs to:
// `dataset: seeds`. The loader marks everything it writes with that name, so a copy
// of the files loads as the same dataset wherever it lies.
const DatasetKey = "dataset"

// MaxDatasetLength is the longest dataset name, in bytes.
const MaxDatasetLength = 200

// CheckDatasetName says what is wrong with a dataset name, or returns "".
func CheckDatasetName(name string) string {
	switch {
	case name == "":
		return "a dataset name is required"
	case len(name) > MaxDatasetLength:
		return fmt.Sprintf("%d bytes, over %d", len(name), MaxDatasetLength)
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0:
		return "control characters are not allowed"
	}
	return ""
}

// datasetEntry checks the value of a top-level dataset key.
func (p *parser) datasetEntry(v *yaml.Node) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
		p.report(p.pos(v), RuleType, "%s: want the dataset's name, got %s", DatasetKey, describe(v))
		return
	}
	if problem := CheckDatasetName(v.Value); problem != "" {
		p.report(p.pos(v), RuleFormat, "%s \"%s\": %s", DatasetKey, quoted(v.Value), problem)
	}
}

// Declared is a dataset name declared by a seed file's dataset line.
type Declared struct {
	Name string
	File string
	Line int
}

// DeclaredDatasets reads the dataset line of each input: a line `dataset: NAME` at the
// top level (column 1), NAME plain or quoted. It streams each file once and keeps no
// more than a line; inputs that cannot be read are skipped (validation reports them).
func DeclaredDatasets(inputs []Input) []Declared {
	var out []Declared
	for _, in := range inputs {
		rc, err := in.Open()
		if err != nil {
			continue
		}
		if d, ok := declaredIn(rc); ok {
			d.File = in.Name
			out = append(out, d)
		}
		rc.Close()
	}
	return out
}

func declaredIn(r io.Reader) (Declared, bool) {
	br := bufio.NewReaderSize(r, 64<<10)
	prefix := []byte(DatasetKey + ":")
	for line, start := 1, true; ; {
		chunk, err := br.ReadSlice('\n')
		if start && bytes.HasPrefix(chunk, prefix) {
			var m map[string]string
			if yaml.Unmarshal(chunk, &m) == nil && m[DatasetKey] != "" {
				return Declared{Name: m[DatasetKey], Line: line}, true
			}
		}
		if err == bufio.ErrBufferFull { // a long line: skip the rest of it
			start = false
			continue
		}
		if err != nil {
			return Declared{}, false
		}
		line, start = line+1, true
	}
}
