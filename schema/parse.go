package schema

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/backchannel/backchannel/internal/textdist"
)

// MaxFileSize bounds one seed file. Larger datasets are split across files, which keeps
// the memory of parsing flat however large the dataset grows.
const MaxFileSize = 64 << 20

// Positions maps a field path within a record ("name", "evidence[0].quote") to where
// its value is written. The empty path is the record itself.
type Positions map[string]Pos

// At returns the position of the path, else of its closest parent, else of the record.
func (p Positions) At(path string) Pos {
	for {
		if pos, ok := p[path]; ok {
			return pos
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return p[""]
		}
		path = path[:i]
	}
}

// Record kinds, as in a seed file's top-level keys.
const (
	RecordSource       = "sources"
	RecordNode         = "nodes"
	RecordRelationship = "relationships"
)

// Record is one parsed record: exactly one of Source, Node and Relationship is set.
type Record struct {
	Kind         string
	Source       *Source
	Node         *Node
	Relationship *Relationship
	Pos          Positions
	// typeErrors holds the paths whose values had the wrong YAML type (already
	// reported), so that the field rules don't report them again as empty.
	typeErrors map[string]bool
}

// ID returns the record's ID.
func (r Record) ID() string {
	switch {
	case r.Source != nil:
		return r.Source.ID
	case r.Node != nil:
		return r.Node.ID
	default:
		return r.Relationship.ID
	}
}

// value returns the record's struct.
func (r Record) value() any {
	switch {
	case r.Source != nil:
		return r.Source
	case r.Node != nil:
		return r.Node
	default:
		return r.Relationship
	}
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// ParseFile parses one seed file and calls fn with each record, in file order. Problems
// of form (syntax, unknown fields, wrong types, duplicate keys) are returned as findings;
// records with such problems are still passed on when their shape allows it, so that
// later checks can report more. fn's error stops parsing and is returned.
func ParseFile(name string, data []byte, fn func(Record) error) ([]Finding, error) {
	p := &parser{file: name}
	if len(data) > MaxFileSize {
		p.report(Pos{File: name, Line: 1, Col: 1}, RuleFileSize, "file is %d MiB, over the %d MiB limit: split it into several files", len(data)>>20, MaxFileSize>>20)
		return p.findings, nil
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8At(data)
		p.report(Pos{File: name, Line: line, Col: col}, RuleYAML, "invalid UTF-8: seed files must be UTF-8 text")
		return p.findings, nil
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line, col := lineCol(data, i)
		p.report(Pos{File: name, Line: line, Col: col}, RuleYAML, "NUL byte: seed files must be text")
		return p.findings, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.syntaxError(err, data)
		return p.findings, nil
	}
	if line := secondDocument(data); line > 0 {
		p.report(Pos{File: name, Line: line, Col: 1}, RuleYAML, "a second YAML document: put one document in each seed file")
	}
	root := &doc
	if root.Kind == 0 {
		return p.findings, nil // empty: no records
	}
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return p.findings, nil
		}
		root = root.Content[0]
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return p.findings, nil
	}
	if root.Kind != yaml.MappingNode {
		p.report(p.pos(root), RuleType, "a seed file is a mapping with sources, nodes and relationships; got %s", describe(root))
		return p.findings, nil
	}
	seen := map[string]Pos{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !p.key(k, seen) {
			continue
		}
		switch k.Value {
		case RecordSource, RecordNode, RecordRelationship:
		default:
			p.unknownField(k, []string{RecordSource, RecordNode, RecordRelationship})
			continue
		}
		if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
			continue
		}
		if v.Kind == yaml.AliasNode {
			p.report(p.pos(v), RuleYAML, "YAML aliases (*%s) are not allowed in seed files: write the value out", v.Value)
			continue
		}
		if v.Kind != yaml.SequenceNode {
			p.report(p.pos(v), RuleType, "%s: want a list of records, got %s", k.Value, describe(v))
			continue
		}
		for i, item := range v.Content {
			rec := Record{Kind: k.Value, Pos: make(Positions, 24), typeErrors: map[string]bool{}}
			var target any
			switch k.Value {
			case RecordSource:
				rec.Source = &Source{}
				target = rec.Source
			case RecordNode:
				rec.Node = &Node{}
				target = rec.Node
			default:
				rec.Relationship = &Relationship{}
				target = rec.Relationship
			}
			p.rec = &rec
			p.recName = fmt.Sprintf("%s[%d]", k.Value, i)
			if !p.decode(item, reflect.ValueOf(target).Elem(), "", rec.Pos) {
				continue
			}
			if err := fn(rec); err != nil {
				return p.findings, err
			}
		}
	}
	return p.findings, nil
}

type parser struct {
	file     string
	findings []Finding
	rec      *Record // the record being decoded
	recName  string  // its name in messages, e.g. nodes[3]
}

// typeError reports a value of the wrong YAML type at path.
func (p *parser) typeError(n *yaml.Node, path, format string, args ...any) {
	if p.rec != nil {
		p.rec.typeErrors[path] = true
	}
	field := path
	if field == "" {
		field = p.recName
	}
	p.report(p.pos(n), RuleType, "%s: "+format, append([]any{field}, args...)...)
}

func (p *parser) report(pos Pos, rule, format string, args ...any) {
	p.findings = append(p.findings, newFinding(pos, SeverityError, rule, format, args...))
}

func (p *parser) pos(n *yaml.Node) Pos {
	line, col := n.Line, n.Column
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return Pos{File: p.file, Line: line, Col: col}
}

func (p *parser) syntaxError(err error, data []byte) {
	msg := err.Error()
	line := 1
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	// At the end of the stream the parser may count a line past the last one.
	if last := 1 + bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{'\r'}); line > last {
		line = last
	}
	p.report(Pos{File: p.file, Line: line, Col: 1}, RuleYAML, "%s", msg)
}

// key checks a mapping key: a plain string, not seen before in this mapping.
func (p *parser) key(k *yaml.Node, seen map[string]Pos) bool {
	if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
		p.report(p.pos(k), RuleType, "a key must be a plain name, got %s", describe(k))
		return false
	}
	if first, dup := seen[k.Value]; dup {
		p.report(p.pos(k), RuleDuplicateKey, "key %q appears twice in this mapping; first at line %d", k.Value, first.Line)
		return false
	}
	seen[k.Value] = p.pos(k)
	return true
}

func (p *parser) unknownField(k *yaml.Node, known []string) {
	msg := fmt.Sprintf("unknown field %q", k.Value)
	if s := textdist.Suggest(k.Value, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	p.report(p.pos(k), RuleUnknownField, "%s", msg)
}

var dateType = reflect.TypeOf(Date{})

// decode fills v from n, recording positions under path. It returns false when n
// can't be used at all (not a mapping where a record is expected).
func (p *parser) decode(n *yaml.Node, v reflect.Value, path string, pos Positions) bool {
	if n.Kind == yaml.AliasNode {
		p.report(p.pos(n), RuleYAML, "YAML aliases (*%s) are not allowed in seed files: write the value out", n.Value)
		return false
	}
	pos[path] = p.pos(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return true // absent
	}
	switch {
	case v.Type() == dateType:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!timestamp") {
			p.typeError(n, path, "want a date (2025, 2025-05 or 2025-05-15), got %s", describe(n))
			return true
		}
		v.Set(reflect.ValueOf(Date{Text: n.Value}))
		return true
	case v.Kind() == reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		if p.decode(n, elem.Elem(), path, pos) {
			v.Set(elem)
		}
		return true
	case v.Kind() == reflect.Struct:
		if n.Kind != yaml.MappingNode {
			p.typeError(n, path, "want a mapping of fields, got %s", describe(n))
			return false
		}
		fields := yamlFields(v.Type())
		seen := map[string]Pos{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if !p.key(k, seen) {
				continue
			}
			idx, ok := fields[k.Value]
			if !ok {
				names := make([]string, 0, len(fields))
				for name := range fields {
					names = append(names, name)
				}
				p.unknownField(k, names)
				continue
			}
			p.decode(val, v.Field(idx), join(path, k.Value), pos)
		}
		return true
	case v.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			p.typeError(n, path, "want a list, got %s", describe(n))
			return true
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			p.decode(item, s.Index(i), path+"["+strconv.Itoa(i)+"]", pos)
		}
		v.Set(s)
		return true
	case v.Kind() == reflect.String:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
			hint := ""
			if n.Kind == yaml.ScalarNode {
				hint = fmt.Sprintf(" (quote it, \"%s\", if you mean text)", n.Value)
			}
			p.typeError(n, path, "want a string, got %s%s", describe(n), hint)
			return true
		}
		v.SetString(n.Value)
		return true
	case v.Kind() == reflect.Float64:
		if n.Kind != yaml.ScalarNode || (n.Tag != "!!int" && n.Tag != "!!float") {
			p.typeError(n, path, "want a number, got %s", describe(n))
			return true
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			p.typeError(n, path, "%q is not a number", n.Value)
			return true
		}
		v.SetFloat(f)
		return true
	}
	panic(fmt.Sprintf("schema: no decoder for %s", v.Type())) // a programming error in types.go
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

var fieldCache sync.Map // reflect.Type -> map[string]int

// yamlFields maps YAML field names to struct field indexes.
func yamlFields(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	out := map[string]int{}
	defer fieldCache.Store(t, out)
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			out[name] = i
		}
	}
	return out
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.Tag {
	case "!!str":
		return fmt.Sprintf("the string %q", truncate(n.Value, 40))
	case "!!int":
		return "the integer " + truncate(n.Value, 40)
	case "!!float":
		return "the number " + truncate(n.Value, 40)
	case "!!bool":
		return "the boolean " + n.Value
	case "!!null":
		return "nothing"
	case "!!timestamp":
		return "the date " + n.Value
	}
	return fmt.Sprintf("a %q value", n.Tag)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// secondDocument returns the line of a document marker (--- at the start of a line)
// that starts a second YAML document, or 0. A marker before any content starts the
// first document.
func secondDocument(data []byte) int {
	first := true
	for off := 0; off < len(data); {
		i := bytes.Index(data[off:], []byte("---"))
		if i < 0 {
			return 0
		}
		at := off + i
		off = at + 3
		if at > 0 && data[at-1] != '\n' && data[at-1] != '\r' {
			continue // not at the start of a line
		}
		if off < len(data) && data[off] != ' ' && data[off] != '\t' && data[off] != '\n' && data[off] != '\r' {
			continue // a longer run of dashes, or text
		}
		if first && onlyCommentsAndSpace(data[:at]) {
			first = false // the first document's own marker
			continue
		}
		line, _ := lineCol(data, at)
		return line
	}
	return 0
}

func onlyCommentsAndSpace(b []byte) bool {
	for _, line := range bytes.Split(b, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' && !bytes.Equal(t, []byte("%YAML 1.2")) && !bytes.HasPrefix(t, []byte("%")) {
			return false
		}
	}
	return true
}

func lineCol(data []byte, off int) (line, col int) {
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, 1 + utf8.RuneCount(data[start:off])
}

func invalidUTF8At(data []byte) (line, col int) {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return lineCol(data, i)
		}
		i += size
	}
	return 1, 1
}
