package schema

import (
	"bufio"
	"bytes"
	"io"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// WatchKey is the top-level key of the answers a dataset watches: stored queries, each
// with parameters, whose answers `plan --answers` and `load --answers` compare before
// and after a load, beside every stored query at its defaults:
//
//	watch:
//	  - query: influence-paths
//	    params: {from: egypt, to: hamas}
//	    note: Egypt's channels to Hamas, which the direct US talks bypass
//
// The parser checks an entry's shape (query a query's name, params a mapping of names
// to scalars); which queries exist and what parameters they take is the queries
// package's to say, when the list is used.
const WatchKey = "watch"

// Watch is one entry of a dataset's watch list.
type Watch struct {
	Query string
	// Params are the parameters as text, as --param takes them.
	Params map[string]string
	Note   string
	// Pos is where the entry starts; ParamPos where each parameter's value is.
	Pos      Pos
	ParamPos map[string]Pos
}

var (
	watchQueryRe = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	watchParamRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

var watchFields = []string{"query", "params", "note"}

// watchItem checks one entry of a watch list and returns it, ok when it can be used.
func (p *parser) watchItem(n *yaml.Node) (Watch, bool) {
	name := WatchKey + "[" + strconv.Itoa(p.index) + "]"
	p.index++
	w := Watch{Pos: p.pos(n), Params: map[string]string{}, ParamPos: map[string]Pos{}}
	if n.Kind != yaml.MappingNode {
		p.report(p.pos(n), RuleType, "%s: want a mapping with query and params, got %s", name, describe(n))
		return w, false
	}
	ok, seen, hasQuery := true, map[string]Pos{}, false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !p.key(k, seen) {
			ok = false
			continue
		}
		switch k.Value {
		case "query":
			hasQuery = true
			switch {
			case v.Kind != yaml.ScalarNode || v.Tag != "!!str":
				p.report(p.pos(v), RuleType, "%s.query: want a stored query's name, got %s", name, describe(v))
				ok = false
			case !watchQueryRe.MatchString(v.Value):
				p.report(p.pos(v), RuleFormat, "%s.query \"%s\": a stored query's name is lowercase words joined by hyphens (backchannel query list)", name, quoted(v.Value))
				ok = false
			default:
				w.Query = v.Value
			}
		case "params":
			if v.Kind != yaml.MappingNode {
				p.report(p.pos(v), RuleType, "%s.params: want a mapping of parameter names to values, got %s", name, describe(v))
				ok = false
				continue
			}
			pseen := map[string]Pos{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				pk, pv := v.Content[j], v.Content[j+1]
				if !p.key(pk, pseen) {
					ok = false
					continue
				}
				if !watchParamRe.MatchString(pk.Value) {
					p.report(p.pos(pk), RuleFormat, "%s.params: \"%s\" is not a parameter name (letters, digits, _)", name, quoted(pk.Value))
					ok = false
					continue
				}
				if pv.Kind != yaml.ScalarNode || pv.Tag == "!!null" {
					p.report(p.pos(pv), RuleType, "%s.params.%s: want a value as --param takes it (a name, number or date), got %s", name, pk.Value, describe(pv))
					ok = false
					continue
				}
				w.Params[pk.Value] = pv.Value
				w.ParamPos[pk.Value] = p.pos(pv)
			}
		case "note":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
				p.report(p.pos(v), RuleType, "%s.note: want text, got %s", name, describe(v))
				ok = false
				continue
			}
			w.Note = v.Value
		default:
			p.unknownField(k, watchFields)
			ok = false
		}
	}
	if !hasQuery {
		p.report(p.pos(n), RuleRequired, "%s: missing required field query", name)
		ok = false
	}
	return w, ok
}

// DeclaredWatches reads the watch lists of the inputs, in input order: each file's
// top-level `watch:` block (see WatchKey), read by lines, so that a large file is not
// parsed for it. Entries with problems are left out (validation reports them, with the
// same checks), as are inputs that cannot be read.
func DeclaredWatches(inputs []Input) []Watch {
	var out []Watch
	for _, in := range inputs {
		rc, err := in.Open()
		if err != nil {
			continue
		}
		block, line := watchBlock(rc)
		rc.Close()
		if block == nil {
			continue
		}
		var doc yaml.Node
		if yaml.Unmarshal(block, &doc) != nil {
			continue
		}
		root := documentRoot(&doc)
		if root == nil || root.Kind != yaml.MappingNode || len(root.Content) != 2 || root.Content[1].Kind != yaml.SequenceNode {
			continue
		}
		p := &parser{file: in.Name, lines: line - 1}
		for _, item := range root.Content[1].Content {
			if w, ok := p.watchItem(item); ok {
				out = append(out, w)
			}
		}
	}
	return out
}

// watchBlock returns the lines of r's top-level watch: key and its value (the lines
// after it that are indented, blank, comments or items at column 1), and the line it
// starts at; nil when r has none.
func watchBlock(r io.Reader) ([]byte, int) {
	br := bufio.NewReaderSize(r, 64<<10)
	prefix := []byte(WatchKey + ":")
	var block []byte
	start := 0
	for line, whole := 1, true; ; {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull { // a long line: never the key's, nor in its block
			if block != nil {
				return block, start
			}
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			whole = true
			line++
			if err != nil {
				return nil, 0
			}
			continue
		}
		if whole {
			switch {
			case block == nil && bytes.HasPrefix(chunk, prefix):
				block, start = append([]byte(nil), chunk...), line
			case block != nil:
				trimmed := bytes.TrimSpace(chunk)
				if len(chunk) > 0 && chunk[0] != ' ' && chunk[0] != '\t' && chunk[0] != '-' && len(trimmed) > 0 && trimmed[0] != '#' {
					return block, start
				}
				if bytes.HasPrefix(chunk, []byte("---")) || bytes.HasPrefix(chunk, []byte("...")) {
					return block, start
				}
				block = append(block, chunk...)
			}
		}
		if err != nil {
			return block, start
		}
		line++
	}
}
