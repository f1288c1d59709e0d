// Package queries is the library of stored Cypher queries: one query a .cypher file,
// embedded in the binary, each with a header that names it, describes it in one line,
// declares its typed parameters and lists its result columns.
//
// A query file runs unchanged in Neo4j Browser: its header is Cypher comments, and it
// carries the Browser's `:param` lines for every default, ready to paste. The Go side
// parses the header, checks parameters against it before anything is sent (Bind),
// resolves actors named by ID, name, alias or surname (Resolve), and runs the query in a read
// transaction (Run).
//
// The header grammar, one item a line, before the first line of Cypher:
//
//	// name: influence-paths
//	// description: one line
//	// param: NAME TYPE [default VALUE] [min X] [max Y] [in A,B,C] - meaning
//	// columns: a, b, c
//	// view: a, b        (optional: the columns a table shows by default)
//	// evidence: c       (optional: the columns a table adds with --evidence)
//	// :param NAME => LITERAL;
//
// Other comment lines are free notes. TYPE is one of actor, actors, string, int, float,
// date, relationship (see Type). The `:param` line of a parameter with a default must
// carry that default as a Cypher literal; the parser checks that they agree.
package queries

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/backchannel/backchannel/internal/textdist"
)

// FS holds the stored queries.
//
//go:embed *.cypher
var FS embed.FS

// Query is one stored query.
type Query struct {
	Name        string
	Description string
	// File is the file the query was read from, e.g. influence-paths.cypher.
	File    string
	Params  []Param
	Columns []string
	// View is the compact set of columns a table shows by default (header `view:`);
	// empty means every column. Evidence are the columns a table adds with --evidence
	// (header `evidence:`).
	View, Evidence []string
	// Cypher is the whole file: header comments and the statement. It runs as is.
	Cypher string
}

// Param is a declared parameter.
type Param struct {
	Name string
	Type Type
	// Default is the default value as written in the header; HasDefault says whether
	// there is one.
	Default    string
	HasDefault bool
	// Min and Max bound int, float and date values; empty means unbounded.
	Min, Max string
	// Values are the values a string parameter may take (option `in a,b,c`); empty
	// means any.
	Values  []string
	Meaning string
	// Line is the header line that declares the parameter.
	Line int
}

// Param returns the parameter called name, or nil.
func (q *Query) Param(name string) *Param {
	for i := range q.Params {
		if q.Params[i].Name == name {
			return &q.Params[i]
		}
	}
	return nil
}

// Library is a parsed set of queries, sorted by name.
type Library struct {
	queries []*Query
}

// Load parses every *.cypher file at the top of fsys. It reports every problem it finds,
// each as file:line: message, joined into one error.
func Load(fsys fs.FS) (*Library, error) {
	files, err := fs.Glob(fsys, "*.cypher")
	if err != nil {
		return nil, err
	}
	var errs []error
	lib := &Library{}
	seen := map[string]string{}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
			continue
		}
		q, err := Parse(f, string(data))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := seen[q.Name]; dup {
			errs = append(errs, fmt.Errorf("%s:1: query name %q is also used by %s", f, q.Name, other))
			continue
		}
		seen[q.Name] = f
		lib.queries = append(lib.queries, q)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortFunc(lib.queries, func(a, b *Query) int { return cmp.Compare(a.Name, b.Name) })
	return lib, nil
}

// List returns the queries, sorted by name.
func (l *Library) List() []*Query { return slices.Clone(l.queries) }

// ErrUnknownQuery is returned by Get for a name the library doesn't have.
var ErrUnknownQuery = errors.New("unknown query")

// Get returns the query called name.
func (l *Library) Get(name string) (*Query, error) {
	names := make([]string, len(l.queries))
	for i, q := range l.queries {
		if q.Name == name {
			return q, nil
		}
		names[i] = q.Name
	}
	hint := "backchannel query list shows them all"
	if s := textdist.Suggest(name, names); s != "" {
		hint = fmt.Sprintf("did you mean %q? %s", s, hint)
	}
	return nil, fmt.Errorf("%w %q: %s", ErrUnknownQuery, name, hint)
}

var (
	defaultOnce sync.Once
	defaultLib  *Library
	defaultErr  error
)

// Default returns the embedded library.
func Default() (*Library, error) {
	defaultOnce.Do(func() { defaultLib, defaultErr = Load(FS) })
	return defaultLib, defaultErr
}

// List returns the embedded queries, sorted by name.
func List() ([]*Query, error) {
	lib, err := Default()
	if err != nil {
		return nil, err
	}
	return lib.List(), nil
}

// Get returns the embedded query called name.
func Get(name string) (*Query, error) {
	lib, err := Default()
	if err != nil {
		return nil, err
	}
	return lib.Get(name)
}

var (
	headerKeyRe   = regexp.MustCompile(`^//\s*(name|description|param|columns|view|evidence):\s*(.*)$`)
	browserLineRe = regexp.MustCompile(`^//\s*:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.*?);?\s*$`)
	identRe       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	queryNameRe   = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	paramRefRe    = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)
)

// Parse reads one query file. Every problem is reported as file:line: message; all of
// them are joined into the returned error.
func Parse(file, text string) (*Query, error) {
	q := &Query{File: file, Cypher: text}
	var errs []error
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	browser := map[string]struct {
		literal string
		line    int
	}{}
	var nameLine, descLine, colLine int
	subsets := map[string]int{} // view and evidence: their lines
	names := func(n int, val string) []string {
		var out []string
		for _, c := range strings.Split(val, ",") {
			c = strings.TrimSpace(c)
			if !identRe.MatchString(c) {
				fail(n, "column %q is not a Cypher name (letters, digits, _)", c)
				continue
			}
			out = append(out, c)
		}
		return out
	}
	body := len(lines)
	for i, raw := range lines {
		n := i + 1
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "//") {
			body = i
			break
		}
		if m := browserLineRe.FindStringSubmatch(line); m != nil {
			if _, dup := browser[m[1]]; dup {
				fail(n, "second :param line for %s", m[1])
			}
			browser[m[1]] = struct {
				literal string
				line    int
			}{strings.TrimSpace(m[2]), n}
			continue
		}
		m := headerKeyRe.FindStringSubmatch(line)
		if m == nil {
			continue // a free note
		}
		key, val := m[1], strings.TrimSpace(m[2])
		switch key {
		case "name":
			if nameLine != 0 {
				fail(n, "second name: line (the first is line %d)", nameLine)
			}
			nameLine, q.Name = n, val
		case "description":
			if descLine != 0 {
				fail(n, "second description: line (the first is line %d); the description is one line", descLine)
			}
			descLine, q.Description = n, val
		case "columns":
			if colLine != 0 {
				fail(n, "second columns: line (the first is line %d)", colLine)
			}
			colLine = n
			q.Columns = names(n, val)
		case "view", "evidence":
			if subsets[key] != 0 {
				fail(n, "second %s: line (the first is line %d)", key, subsets[key])
			}
			subsets[key] = n
			if key == "view" {
				q.View = names(n, val)
			} else {
				q.Evidence = names(n, val)
			}
		case "param":
			p, err := parseParam(val)
			if err != nil {
				fail(n, "%v", err)
				continue
			}
			p.Line = n
			if q.Param(p.Name) != nil {
				fail(n, "parameter %s is declared twice", p.Name)
				continue
			}
			q.Params = append(q.Params, p)
		}
	}
	stem := strings.TrimSuffix(path.Base(file), ".cypher")
	switch {
	case nameLine == 0:
		fail(1, "missing // name: %s", stem)
	case q.Name != stem:
		fail(nameLine, "name %q must match the file name %q", q.Name, stem)
	case !queryNameRe.MatchString(q.Name):
		fail(nameLine, "name %q: want lowercase words joined by hyphens", q.Name)
	}
	if q.Description == "" {
		fail(max(descLine, 1), "missing // description: (one line saying what the query answers)")
	}
	if len(q.Columns) == 0 && colLine == 0 {
		fail(1, "missing // columns: (the result columns, comma-separated)")
	}
	if body == len(lines) {
		fail(len(lines), "no Cypher statement after the header")
	}
	for key, list := range map[string][]string{"view": q.View, "evidence": q.Evidence} {
		for _, c := range list {
			if !slices.Contains(q.Columns, c) {
				fail(subsets[key], "%s: %s is not one of the columns", key, c)
			}
		}
	}

	// Every parameter the statement uses is declared, and every declared one is used.
	used := map[string]bool{}
	for _, m := range paramRefRe.FindAllStringSubmatch(stripCommentsAndStrings(strings.Join(lines[body:], "\n")), -1) {
		used[m[1]] = true
	}
	for _, name := range sortedKeys(used) {
		if q.Param(name) == nil {
			fail(body+1, "the statement uses $%s, which no // param: line declares", name)
		}
	}
	for _, p := range q.Params {
		if !used[p.Name] {
			fail(p.Line, "parameter %s is declared but the statement never uses $%s", p.Name, p.Name)
		}
		b, ok := browser[p.Name]
		switch {
		case p.HasDefault && !ok:
			fail(p.Line, "parameter %s has a default but no Browser line; add: // :param %s => %s;", p.Name, p.Name, p.Type.Literal(p.Default))
		case ok && !p.HasDefault:
			fail(b.line, ":param %s: the parameter has no default to set", p.Name)
		case ok && b.literal != p.Type.Literal(p.Default):
			fail(b.line, ":param %s => %s does not match the default: want %s", p.Name, b.literal, p.Type.Literal(p.Default))
		}
		delete(browser, p.Name)
	}
	for _, name := range sortedKeys(browser) {
		fail(browser[name].line, ":param %s names no declared parameter", name)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return q, nil
}

// parseParam reads `NAME TYPE [default VALUE] [min X] [max Y] [in A,B,C] - meaning`.
func parseParam(s string) (Param, error) {
	decl, meaning, ok := strings.Cut(s, " - ")
	if !ok || strings.TrimSpace(meaning) == "" {
		return Param{}, fmt.Errorf("param %q: want NAME TYPE [default VALUE] [min X] [max Y] [in A,B,C] - meaning", s)
	}
	f := strings.Fields(decl)
	if len(f) < 2 {
		return Param{}, fmt.Errorf("param %q: want NAME TYPE [default VALUE] [min X] [max Y] [in A,B,C] - meaning", s)
	}
	p := Param{Name: f[0], Type: Type(f[1]), Meaning: strings.TrimSpace(meaning)}
	if !identRe.MatchString(p.Name) {
		return p, fmt.Errorf("param name %q is not a Cypher name (letters, digits, _)", p.Name)
	}
	if !p.Type.Valid() {
		return p, fmt.Errorf("param %s: unknown type %q (want one of %s)", p.Name, p.Type, strings.Join(typeNames(), ", "))
	}
	for i := 2; i < len(f); i += 2 {
		if i+1 >= len(f) {
			return p, fmt.Errorf("param %s: %q needs a value", p.Name, f[i])
		}
		v := f[i+1]
		switch f[i] {
		case "default":
			p.Default, p.HasDefault = v, true
		case "min":
			p.Min = v
		case "max":
			p.Max = v
		case "in":
			p.Values = strings.Split(v, ",")
		default:
			return p, fmt.Errorf("param %s: unknown option %q (want default, min, max or in)", p.Name, f[i])
		}
	}
	if len(p.Values) > 0 && p.Type != TypeString {
		return p, fmt.Errorf("param %s: in applies to string, not %s", p.Name, p.Type)
	}
	if (p.Min != "" || p.Max != "") && !p.Type.Ordered() {
		return p, fmt.Errorf("param %s: min and max apply to int, float and date, not %s", p.Name, p.Type)
	}
	for _, b := range []struct{ what, v string }{{"min", p.Min}, {"max", p.Max}} {
		if b.v == "" {
			continue
		}
		if _, err := p.Type.Parse(b.v); err != nil {
			return p, fmt.Errorf("param %s: %s %q: %v", p.Name, b.what, b.v, err)
		}
	}
	if p.HasDefault {
		v, err := p.Type.Parse(p.Default)
		if err != nil {
			return p, fmt.Errorf("param %s: default %q: %v", p.Name, p.Default, err)
		}
		if err := p.inRange(v); err != nil {
			return p, fmt.Errorf("param %s: default %s", p.Name, err)
		}
	}
	return p, nil
}

// stripCommentsAndStrings blanks out // and /* */ comments and string literals, so that a
// $ in them is not taken for a parameter. Line breaks are kept.
func stripCommentsAndStrings(s string) string {
	var b strings.Builder
	var quote rune
	lineComment, blockComment := false, false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case lineComment:
			if r == '\n' {
				lineComment = false
				b.WriteRune(r)
			}
		case blockComment:
			if r == '*' && i+1 < len(rs) && rs[i+1] == '/' {
				blockComment = false
				i++
			} else if r == '\n' {
				b.WriteRune(r)
			}
		case quote != 0:
			if r == '\\' {
				i++
			} else if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"' || r == '`':
			quote = r
		case r == '/' && i+1 < len(rs) && rs[i+1] == '/':
			lineComment = true
		case r == '/' && i+1 < len(rs) && rs[i+1] == '*':
			blockComment = true
			i++
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
