package queries

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/backchannel/backchannel/internal/textdist"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Type is a parameter type. Values arrive as text (from the command line) and are sent
// to Neo4j as the Cypher type named in each constant's comment.
type Type string

const (
	// TypeActor is an actor, named by ID, name or alias; sent as the actor's ID (STRING)
	// once resolved.
	TypeActor Type = "actor"
	// TypeActors is a comma-separated list of actors; sent as a LIST<STRING> of IDs.
	TypeActors Type = "actors"
	// TypeString is any non-empty text (STRING).
	TypeString Type = "string"
	// TypeInt is a whole number (INTEGER).
	TypeInt Type = "int"
	// TypeFloat is a number (FLOAT).
	TypeFloat Type = "float"
	// TypeDate is a calendar day, YYYY-MM-DD (DATE).
	TypeDate Type = "date"
	// TypeRelationship is a relationship ID (STRING).
	TypeRelationship Type = "relationship"
)

var types = []Type{TypeActor, TypeActors, TypeString, TypeInt, TypeFloat, TypeDate, TypeRelationship}

func typeNames() []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = string(t)
	}
	return out
}

// Valid reports whether t is a known type.
func (t Type) Valid() bool {
	for _, k := range types {
		if t == k {
			return true
		}
	}
	return false
}

// Ordered reports whether values of t can be bounded by min and max.
func (t Type) Ordered() bool { return t == TypeInt || t == TypeFloat || t == TypeDate }

// Parse turns text into the value sent to Neo4j: int64, float64, neo4j.Date, string, or
// []any of strings for actors. Actors are not resolved here (see Resolve).
func (t Type) Parse(s string) (any, error) {
	switch t {
	case TypeInt:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		return n, nil
	case TypeFloat:
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		return f, nil
	case TypeDate:
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
		if err != nil {
			if dateShape.MatchString(strings.TrimSpace(s)) {
				return nil, fmt.Errorf("%q is not a date: no such day", s)
			}
			return nil, fmt.Errorf("%q is not a date: want YYYY-MM-DD", s)
		}
		return neo4j.DateOf(d), nil
	case TypeActors:
		var out []any
		for _, part := range strings.Split(s, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				return nil, fmt.Errorf("%q: want actors separated by commas, none empty", s)
			}
			out = append(out, part)
		}
		return out, nil
	case TypeActor, TypeString, TypeRelationship:
		if strings.TrimSpace(s) == "" {
			return nil, errors.New("is empty")
		}
		return strings.TrimSpace(s), nil
	}
	return nil, fmt.Errorf("unknown type %q", t)
}

// Literal renders a header default as the Cypher literal of a Browser `:param` line.
func (t Type) Literal(def string) string {
	v, err := t.Parse(def)
	if err != nil {
		return "?"
	}
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		s := strconv.FormatFloat(v, 'f', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0" // keep it a FLOAT in Cypher
		}
		return s
	case neo4j.Date:
		return "date('" + v.Time().Format(time.DateOnly) + "')"
	case []any:
		parts := make([]string, len(v))
		for i, s := range v {
			parts[i] = quoteCypher(s.(string))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case string:
		return quoteCypher(v)
	}
	return "?"
}

func quoteCypher(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// inRange checks v against the parameter's min and max.
func (p *Param) inRange(v any) error {
	check := func(bound string, ok func(b any) bool, word string) error {
		if bound == "" {
			return nil
		}
		b, _ := p.Type.Parse(bound)
		if !ok(b) {
			return fmt.Errorf("is out of range: %s %s", word, bound)
		}
		return nil
	}
	var less func(a, b any) bool
	switch p.Type {
	case TypeInt:
		less = func(a, b any) bool { return a.(int64) < b.(int64) }
	case TypeFloat:
		less = func(a, b any) bool { return a.(float64) < b.(float64) }
	case TypeDate:
		less = func(a, b any) bool { return a.(neo4j.Date).Time().Before(b.(neo4j.Date).Time()) }
	case TypeString:
		if len(p.Values) > 0 && !slices.Contains(p.Values, v.(string)) {
			return fmt.Errorf("is not one of %s", strings.Join(p.Values, ", "))
		}
		return nil
	default:
		return nil
	}
	if err := check(p.Min, func(b any) bool { return !less(v, b) }, "the least is"); err != nil {
		return err
	}
	return check(p.Max, func(b any) bool { return !less(b, v) }, "the most is")
}

// ParamError is a parameter that is unknown, missing, ill-typed or out of range. It is
// found before anything is sent to the server.
type ParamError struct {
	Query string
	Param string
	Msg   string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("query %s: parameter %s %s", e.Query, e.Param, e.Msg)
}

// dateShape is YYYY-MM-DD's form: a value of that form that time.Parse refuses names a
// day that does not exist (2025-02-30, 2025-13-01).
var dateShape = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Bind checks raw parameter values (as text, by name) against the header and returns
// the values to send, with defaults filled in. Every problem is reported, each a
// *ParamError, joined into one error. Actor parameters are returned as written; Resolve
// turns them into IDs.
func (q *Query) Bind(raw map[string]string) (map[string]any, error) {
	var errs []error
	fail := func(name, format string, args ...any) {
		errs = append(errs, &ParamError{Query: q.Name, Param: name, Msg: fmt.Sprintf(format, args...)})
	}
	names := make([]string, len(q.Params))
	for i, p := range q.Params {
		names[i] = p.Name
	}
	for _, name := range sortedKeys(raw) {
		if q.Param(name) != nil {
			continue
		}
		hint := "it takes none"
		if len(names) > 0 {
			hint = "it takes " + strings.Join(names, ", ")
			if s := textdist.Suggest(name, names); s != "" {
				hint = fmt.Sprintf("did you mean %s? %s", s, hint)
			}
		}
		fail(name, "is unknown: %s", hint)
	}
	out := make(map[string]any, len(q.Params))
	for _, p := range q.Params {
		text, given := raw[p.Name]
		if !given {
			if !p.HasDefault {
				fail(p.Name, "is missing: give --param %s=%s (%s)", p.Name, strings.ToUpper(string(p.Type)), p.Meaning)
				continue
			}
			text = p.Default
		}
		v, err := p.Type.Parse(text)
		if err != nil {
			fail(p.Name, "(%s): %v", p.Type, err)
			continue
		}
		if err := p.inRange(v); err != nil {
			fail(p.Name, "= %s %v", text, err)
			continue
		}
		out[p.Name] = v
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// ParseAssignments turns NAME=VALUE strings (from --param flags) into a map. A name
// given twice is an error.
func ParseAssignments(assignments []string) (map[string]string, error) {
	out := make(map[string]string, len(assignments))
	for _, a := range assignments {
		name, value, ok := strings.Cut(a, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("--param %q: want NAME=VALUE", a)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("--param %s is given twice", name)
		}
		out[name] = value
	}
	return out, nil
}
