package queries

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/backchannel/backchannel/schema"
)

// Parts is where the Cypher repeated across the stored queries is written once: each
// queries/parts/NAME.cypher is a text/template, copied into every query file that asks
// for it between two marker lines,
//
//	// part: NAME [KEY=VALUE ...]
//	...the part, rendered with the KEY=VALUEs...
//	// end part: NAME
//
// so that each .cypher file stays whole and runnable alone in Neo4j Browser while a change
// to the model is one edit. `go generate ./queries` rewrites the files; a test fails when
// one is stale. The lines between the markers belong to the generator: edit the part.
//
// A part sees its marker's KEY=VALUEs as .Args (e.g. {{.Args.param}}), and the influence
// model of schema/vocabulary.yaml as .Model: .Model.Confidence is a Cypher map literal of
// the confidence weightings by preset name ({graded: {high: 1.0, ...}, flat: ..., ...}).
// A part may include another with {{template "NAME" .}}. Each line of a part is indented
// like its marker.

//go:embed parts/*.cypher
var partsFS embed.FS

// PartsFS is the folder of parts, queries/parts, embedded.
func PartsFS() fs.FS {
	sub, err := fs.Sub(partsFS, "parts")
	if err != nil {
		panic(err)
	}
	return sub
}

var (
	partStartRe = regexp.MustCompile(`^(\s*)//\s*part:\s*([a-z0-9-]+)((?:\s+[A-Za-z]+=\S+)*)\s*$`)
	partEndRe   = regexp.MustCompile(`^\s*//\s*end part:\s*([a-z0-9-]+)\s*$`)
)

// PartData is what a part's template sees.
type PartData struct {
	Args  map[string]string
	Model PartModel
}

// PartModel is the influence model's settings as Cypher literals.
type PartModel struct {
	// Confidence: {graded: {high: 1.0, medium: 0.7, low: 0.4}, flat: {...}, ...}.
	Confidence string
}

// ModelOf renders the settings of im that the parts use.
func ModelOf(im schema.InfluenceModel) PartModel {
	presets := map[string]map[string]float64{"graded": im.Confidence}
	for name, p := range im.ConfidencePresets {
		presets[name] = p
	}
	lit := func(m map[string]float64) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		// high, medium, low read best in that order: by weight, then name
		sort.Slice(keys, func(i, j int) bool {
			if m[keys[i]] != m[keys[j]] {
				return m[keys[i]] > m[keys[j]]
			}
			return keys[i] < keys[j]
		})
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s: %s", k, cypherFloat(m[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	slices.Sort(names)
	items := make([]string, len(names))
	for i, n := range names {
		items[i] = n + ": " + lit(presets[n])
	}
	return PartModel{Confidence: "{" + strings.Join(items, ", ") + "}"}
}

func cypherFloat(f float64) string {
	s := fmt.Sprintf("%g", f)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// Parts are the parsed queries/parts templates, rendered with one influence model.
type Parts struct {
	t     *template.Template
	model PartModel
}

// ParseParts reads every NAME.cypher of dir as a part. Inside a part, {{part "NAME" "KEY"
// "VALUE" ...}} renders another part inline (its text without the final newline).
func ParseParts(dir fs.FS, model PartModel) (*Parts, error) {
	files, err := fs.Glob(dir, "*.cypher")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no parts (*.cypher) found")
	}
	p := &Parts{model: model}
	root := template.New("").Option("missingkey=error").Funcs(template.FuncMap{
		"part": func(name string, kv ...string) (string, error) {
			if len(kv)%2 != 0 {
				return "", fmt.Errorf("part %s: arguments come in KEY VALUE pairs", name)
			}
			args := map[string]string{}
			for i := 0; i < len(kv); i += 2 {
				args[kv[i]] = kv[i+1]
			}
			s, err := p.render(name, args)
			return strings.TrimRight(s, "\n"), err
		},
		// indent puts n spaces before every line of s but the first, for a multi-line part
		// rendered inline after an indented start.
		// list writes a KEY=a,b argument as the Cypher list of variables a, b.
		"list": func(s string) string { return strings.ReplaceAll(s, ",", ", ") },
		// keep writes the variables of a KEY=a,b argument keep as "a, b, ", or nothing.
		"keep": func(args map[string]string) string {
			if args["keep"] == "" {
				return ""
			}
			return strings.ReplaceAll(args["keep"], ",", ", ") + ", "
		},
		// day is the day a part reads relationships on: its argument day, else $asOf.
		"day": func(args map[string]string) string {
			if args["day"] == "" {
				return "$asOf"
			}
			return args["day"]
		},
		"indent": func(n int, s string) string {
			return strings.ReplaceAll(s, "\n", "\n"+strings.Repeat(" ", n))
		},
	})
	for _, f := range files {
		b, err := fs.ReadFile(dir, f)
		if err != nil {
			return nil, err
		}
		if _, err := root.New(strings.TrimSuffix(f, ".cypher")).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("part %s: %w", f, err)
		}
	}
	p.t = root
	return p, nil
}

func (p *Parts) render(name string, args map[string]string) (string, error) {
	t := p.t.Lookup(name)
	if t == nil {
		return "", fmt.Errorf("no part %s in queries/parts", name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, PartData{Args: args, Model: p.model}); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// Expand returns text with the lines between each part's markers replaced by the part
// rendered with the marker's arguments. Problems are reported as file:line.
func (p *Parts) Expand(file, text string) (string, error) {
	lines := strings.SplitAfter(text, "\n")
	var out strings.Builder
	for i := 0; i < len(lines); i++ {
		m := partStartRe.FindStringSubmatch(strings.TrimRight(lines[i], "\r\n"))
		if m == nil {
			if e := partEndRe.FindStringSubmatch(lines[i]); e != nil {
				return "", fmt.Errorf("%s:%d: end part: %s without its start", file, i+1, e[1])
			}
			out.WriteString(lines[i])
			continue
		}
		indent, name := m[1], m[2]
		args := map[string]string{}
		for _, kv := range strings.Fields(m[3]) {
			k, v, _ := strings.Cut(kv, "=")
			args[k] = v
		}
		end := -1
		for j := i + 1; j < len(lines); j++ {
			if partStartRe.MatchString(strings.TrimRight(lines[j], "\r\n")) {
				break
			}
			if e := partEndRe.FindStringSubmatch(lines[j]); e != nil {
				if e[1] != name {
					return "", fmt.Errorf("%s:%d: end part: %s closes part %s (line %d)", file, j+1, e[1], name, i+1)
				}
				end = j
				break
			}
		}
		if end < 0 {
			return "", fmt.Errorf("%s:%d: part %s has no '// end part: %s' line", file, i+1, name, name)
		}
		body, err := p.render(name, args)
		if err != nil {
			return "", fmt.Errorf("%s:%d: part %s: %w", file, i+1, name, err)
		}
		out.WriteString(lines[i])
		for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
			if strings.TrimSpace(l) == "" {
				out.WriteString("\n")
				continue
			}
			out.WriteString(indent + l + "\n")
		}
		out.WriteString(lines[end])
		i = end
	}
	return out.String(), nil
}
