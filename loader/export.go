package loader

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backchannel/backchannel/schema"
)

// ArrayDelimiter separates the elements of a list in an exported CSV cell: the unit
// separator, a control character that seed text does not hold (Export checks).
const ArrayDelimiter = "\x1f"

// ExportResult describes an export.
type ExportResult struct {
	Dir     string `json:"dir"`
	Records int    `json:"records"`
	// Files are the CSV files written, each with its header on the first line.
	Files []ExportFile `json:"files"`
	// Args are the arguments of neo4j-admin database import full, also written to
	// import.args. Paths are ./NAME, relative to the import's working directory, which
	// is Dir: the 2026 neo4j-admin refuses a bare NAME ("Unable to find the parent of
	// the path"), and ./ keeps the folder movable, unlike an absolute path.
	Args []string `json:"args"`
}

// ExportFile is one CSV file: the nodes of a group (labels) or the relationships of a
// type, and its columns (name and neo4j-admin type, "" for a string).
type ExportFile struct {
	Name    string   `json:"name"`
	Record  string   `json:"record"` // RecordNode or RecordRelationship
	Group   string   `json:"group"`  // node kind (or Source), or relationship type
	Labels  []string `json:"labels,omitempty"`
	Rows    int      `json:"rows"`
	Columns []Column `json:"columns"`
}

// Column is a property column of an exported file.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"` // neo4j-admin type: "" (string), string[], long, double, boolean, date
}

// Export validates the inputs and writes them into dir as the header+CSV files that
// `neo4j-admin database import full` takes: one file per node kind (and one for
// Sources), one per relationship type, with the properties load writes (the dataset
// mark and the evidence lists included), and import.args with the import's arguments.
// One difference remains: neo4j-admin stores no property for a list of one empty
// string (evidenceNotes of a record with one quote), which a load run after the import
// adds.
// Invalid input returns a *ValidationError and writes nothing. The input is read and
// parsed once; the spooled records are read twice (find the columns, write).
func Export(inputs []schema.Input, vocab *schema.Vocabulary, dataset, dir string) (*ExportResult, error) {
	if err := CheckDataset(dataset); err != nil {
		return nil, err
	}
	sc, err := scanInputs(context.Background(), inputs, vocab, 0, false, nil, nil)
	if err != nil {
		return nil, err
	}
	defer sc.close()
	sc.ids.Close() // export looks no ID up: the table goes before the files are written
	files := map[string]*exportFile{}
	var order []string
	fileOf := func(record, group string, labels []string) *exportFile {
		key := record + " " + group
		f := files[key]
		if f == nil {
			prefix := "nodes-"
			if record == RecordRelationship {
				prefix = "relationships-"
			}
			f = &exportFile{ExportFile: ExportFile{Name: prefix + group + ".csv", Record: record, Group: group, Labels: labels}, types: map[string]string{}}
			files[key] = f
			order = append(order, key)
		}
		return f
	}
	// Pass 1: the columns of each file and their types.
	err = walkGraph(sc.spool, vocab, dataset, func(record, group string, labels []string, props map[string]any) error {
		return fileOf(record, group, labels).addColumns(props)
	})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	slices.Sort(order) // nodes before relationships, then by name
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	for _, k := range order {
		if err := files[k].create(dir); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	// Pass 2: the rows.
	err = walkGraph(sc.spool, vocab, dataset, func(record, group string, labels []string, props map[string]any) error {
		return files[record+" "+group].row(props)
	})
	for _, f := range files {
		err = errors.Join(err, f.close())
	}
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	res := &ExportResult{Dir: dir, Records: sc.records}
	res.Args = []string{"--overwrite-destination=true", "--multiline-fields=true", "--array-delimiter=U+001F", "--id-type=string"}
	for _, k := range order {
		f := files[k]
		res.Files = append(res.Files, f.ExportFile)
		if f.Record == RecordNode {
			res.Args = append(res.Args, "--nodes=./"+f.Name)
		} else {
			res.Args = append(res.Args, "--relationships="+f.Group+"=./"+f.Name)
		}
	}
	args := strings.Join(res.Args, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, "import.args"), []byte(args), 0o644); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return res, nil
}

// walkGraph streams the spooled records as graph records: a node's group is its kind
// (or Source), a relationship's its type; props are the properties load writes.
func walkGraph(sp *spool, vocab *schema.Vocabulary, dataset string, fn func(record, group string, labels []string, props map[string]any) error) error {
	err := sp.read(spoolNodes, func(r spooled) error {
		if r.Source != nil {
			g := schema.SourceNodeOf(r.Source)
			return fn(RecordNode, schema.SourceLabel, g.Labels, withDataset(g.Props, dataset))
		}
		g := vocab.NodeOf(r.Node)
		return fn(RecordNode, r.Node.Kind, g.Labels, withDataset(g.Props, dataset))
	})
	if err != nil {
		return err
	}
	return sp.read(spoolRels, func(r spooled) error {
		g := vocab.RelOf(r.Relationship)
		p := withDataset(g.Props, dataset)
		p[":START_ID"], p[":END_ID"] = g.From, g.To
		return fn(RecordRelationship, g.Type, nil, p)
	})
}

// withDataset returns the properties with the dataset's mark (dates stay time.Time:
// the export writes them as text).
func withDataset(p map[string]any, dataset string) map[string]any {
	out := make(map[string]any, len(p)+3)
	maps.Copy(out, p)
	out[DatasetProperty] = dataset
	return out
}

type exportFile struct {
	ExportFile
	types map[string]string
	f     *os.File
	w     *bufio.Writer
}

// absent is the field of a property a record lacks.
const absent = "\x00"

// writeRow writes a CSV row, quoting every field but absent ones: neo4j-admin reads an
// unquoted empty field as no value, a quoted one as an empty string (as in a list of
// one empty note).
func (f *exportFile) writeRow(fields []string) error {
	for i, s := range fields {
		if i > 0 {
			f.w.WriteByte(',')
		}
		if s == absent {
			continue
		}
		f.w.WriteByte('"')
		f.w.WriteString(strings.ReplaceAll(s, `"`, `""`))
		f.w.WriteByte('"')
	}
	return f.w.WriteByte('\n')
}

// adminType is a property value's type in a neo4j-admin header.
func adminType(v any) (string, error) {
	switch v.(type) {
	case string:
		return "", nil
	case []string:
		return "string[]", nil
	case int64:
		return "long", nil
	case float64:
		return "double", nil
	case bool:
		return "boolean", nil
	case time.Time:
		return "date", nil
	}
	return "", fmt.Errorf("a property of type %T cannot be exported", v)
}

func (f *exportFile) addColumns(props map[string]any) error {
	for k, v := range props {
		if strings.HasPrefix(k, ":") {
			continue
		}
		t, err := adminType(v)
		if err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		if have, ok := f.types[k]; ok && have != t {
			return fmt.Errorf("%s %s: property %s is %s in one record and %s in another", f.Record, f.Group, k, have, t)
		}
		if _, ok := f.types[k]; !ok {
			f.types[k] = t
			f.Columns = append(f.Columns, Column{Name: k, Type: t})
		}
	}
	return nil
}

func (f *exportFile) create(dir string) error {
	slices.SortFunc(f.Columns, func(a, b Column) int {
		switch {
		case a.Name == "id":
			return -1
		case b.Name == "id":
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
	var err error
	if f.f, err = os.Create(filepath.Join(dir, f.Name)); err != nil {
		return err
	}
	f.w = bufio.NewWriterSize(f.f, 1<<16)
	var header []string
	if f.Record == RecordNode {
		header = append(header, "id:ID", ":LABEL")
	} else {
		header = append(header, ":START_ID", ":END_ID")
	}
	for _, c := range f.Columns {
		if c.Name == "id" && f.Record == RecordNode {
			continue
		}
		name := c.Name
		if c.Type != "" {
			name += ":" + c.Type
		}
		header = append(header, name)
	}
	return f.writeRow(header)
}

func (f *exportFile) row(props map[string]any) error {
	var rec []string
	if f.Record == RecordNode {
		rec = append(rec, props["id"].(string), strings.Join(f.Labels, ArrayDelimiter))
	} else {
		rec = append(rec, props[":START_ID"].(string), props[":END_ID"].(string))
	}
	for _, c := range f.Columns {
		if c.Name == "id" && f.Record == RecordNode {
			continue
		}
		cell, err := exportCell(props[c.Name])
		if err != nil {
			return fmt.Errorf("%s %q: %s: %w", f.Record, props["id"], c.Name, err)
		}
		rec = append(rec, cell)
	}
	f.Rows++
	return f.writeRow(rec)
}

// ErrExportDelimiter marks a value holding the array delimiter, which the CSV cannot
// carry.
var ErrExportDelimiter = errors.New("holds the control character U+001F, which separates list elements in the export")

func exportCell(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return absent, nil
	case string:
		if strings.Contains(x, ArrayDelimiter) {
			return "", ErrExportDelimiter
		}
		return x, nil
	case []string:
		for _, s := range x {
			if strings.Contains(s, ArrayDelimiter) {
				return "", ErrExportDelimiter
			}
		}
		return strings.Join(x, ArrayDelimiter), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		return x.Format(time.DateOnly), nil
	}
	return "", fmt.Errorf("a value of type %T cannot be exported", v)
}

func (f *exportFile) close() error {
	if f.f == nil {
		return nil
	}
	return errors.Join(f.w.Flush(), f.f.Close())
}
