package queries

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/textdist"
	"github.com/backchannel/backchannel/neo4jconn"
	"github.com/backchannel/backchannel/schema"
)

// Actor is an actor as resolution reports it.
type Actor struct {
	ID, Name, Kind string
	Aliases        []string
}

func (a Actor) String() string { return fmt.Sprintf("%s (%s, %s)", a.ID, a.Name, a.Kind) }

// ActorError says why an actor parameter names no single actor.
type ActorError struct {
	Query, Param, Input string
	// Candidates are the actors an ambiguous name or alias matches.
	Candidates []Actor
	// Suggestion is a near miss for a name that matches nothing, if there is one.
	Suggestion *Actor
}

// ErrNoActor and ErrAmbiguousActor classify an ActorError.
var (
	ErrNoActor        = errors.New("no such actor")
	ErrAmbiguousActor = errors.New("ambiguous actor")
)

func (e *ActorError) Error() string {
	if len(e.Candidates) > 0 {
		list := make([]string, len(e.Candidates))
		for i, c := range e.Candidates {
			list[i] = c.String()
		}
		return fmt.Sprintf("query %s: parameter %s: %q is ambiguous: it names %s; give the ID", e.Query, e.Param, e.Input, strings.Join(list, ", "))
	}
	msg := fmt.Sprintf("query %s: parameter %s: no actor has the ID, name or alias %q", e.Query, e.Param, e.Input)
	if e.Suggestion != nil {
		msg += fmt.Sprintf(": did you mean %s?", e.Suggestion)
	}
	return msg + " (backchannel actors lists them)"
}

func (e *ActorError) Unwrap() error {
	if len(e.Candidates) > 0 {
		return ErrAmbiguousActor
	}
	return ErrNoActor
}

// Resolve replaces the actor parameters of bound params (from Bind) by actor IDs, in a
// read transaction, by the rule of queries/parts/resolve-actor.cypher (see
// ResolveActorPart), the same text the stored queries run in Neo4j Browser: an actor is
// found by its ID, else its name, else an alias, else a surname (the name or an alias
// ends with the words given), else a word or words of the name or an alias, each
// case-insensitively; the first step that finds any actor decides. Two actors found at
// that step is an error listing both; none is an error with the nearest name, if one is
// close. Other parameters are copied as is.
func Resolve(ctx context.Context, db *neo4jconn.DB, q *Query, params map[string]any) (_ map[string]any, err error) {
	session := db.Session(ctx, neo4j.AccessModeRead)
	defer func() { err = errors.Join(err, session.Close(ctx)) }()
	out, err := neo4j.ExecuteRead(ctx, session, func(tx neo4j.ManagedTransaction) (map[string]any, error) {
		return resolveIn(ctx, tx, q, params)
	})
	if err != nil {
		var ae *ActorError
		var re *RelationshipError
		if errors.As(err, &ae) || errors.As(err, &re) {
			return nil, err
		}
		return nil, db.Classify(err)
	}
	return out, nil
}

func resolveIn(ctx context.Context, tx neo4j.ManagedTransaction, q *Query, params map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(params))
	for name, v := range params {
		out[name] = v
	}
	var errs []error
	for _, p := range q.Params {
		name := p.Name
		v, ok := params[name]
		if !ok {
			continue
		}
		var texts []any
		switch p.Type {
		case TypeRelationship:
			err := checkRelationship(ctx, tx, q.Name, name, v)
			var re *RelationshipError
			if errors.As(err, &re) {
				errs = append(errs, re)
			} else if err != nil {
				return nil, err
			}
			continue
		case TypeActor:
			texts = []any{v}
		case TypeActors:
			texts, _ = v.([]any)
		default:
			continue
		}
		var ids []any
		for _, t := range texts {
			text, ok := t.(string)
			if !ok {
				errs = append(errs, &ParamError{Query: q.Name, Param: name, Msg: fmt.Sprintf("is %T, want the text Bind returns", t)})
				continue
			}
			id, err := resolveActor(ctx, tx, text)
			var ae *ActorError
			if errors.As(err, &ae) {
				ae.Query, ae.Param = q.Name, name
				errs = append(errs, ae)
				continue
			}
			if err != nil {
				return nil, err // a database error: ExecuteRead may retry it
			}
			if !slices.Contains(ids, any(id)) {
				ids = append(ids, id)
			}
		}
		if p.Type == TypeActor && len(ids) == 1 {
			out[name] = ids[0]
		} else if p.Type == TypeActors {
			out[name] = ids
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Two actor parameters name two actors: a path from an actor to itself, or a
	// mediator between an actor and itself, answers nothing an analyst asked.
	seen := map[string]string{} // actor ID -> the parameter that named it
	for _, p := range q.Params {
		id, ok := out[p.Name].(string)
		if p.Type != TypeActor || !ok {
			continue
		}
		if prev, dup := seen[id]; dup {
			errs = append(errs, fmt.Errorf("query %s: %s and %s are %w, %s: give two", q.Name, prev, p.Name, ErrSameActor, id))
		}
		seen[id] = p.Name
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// ErrSameActor is returned when two actor parameters of a query name one actor.
var ErrSameActor = errors.New("the same actor")

// ResolveActorPart is the Cypher block that resolves one actor parameter
// (queries/parts/resolve-actor.cypher, rendered with of=$from as=a): $from is the input
// and a the actor it binds. The stored queries carry it (generated into them between
// marker lines); the CLI runs candidatesCypher, the same block up to its final RETURN, so
// the two cannot disagree.
var ResolveActorPart = func() string {
	parts, err := ParseParts(PartsFS(), ModelOf(schema.Default().InfluenceModel))
	if err == nil {
		var s string
		if s, err = parts.render("resolve-actor", map[string]string{"of": "$from", "as": "a"}); err == nil {
			return s
		}
	}
	panic("queries/parts/resolve-actor.cypher: " + err.Error())
}()

// bindLine opens the part's last RETURN, which binds the one candidate or fails the
// query; the CLI stops before it to read the candidates themselves.
const bindLine = "\n  RETURN candidates["

// candidatesCypher is the part with $text for its input, returning the actors found
// at the first step that finds any (their ID, name, kind, aliases; by ID).
var candidatesCypher = func() string {
	body, _, ok := strings.Cut(ResolveActorPart, bindLine)
	if !ok {
		panic("queries/parts/resolve-actor.cypher has no line" + bindLine)
	}
	return strings.ReplaceAll(body, "$from", "$text") +
		"\n  RETURN [c IN candidates | c {.id, .name, .kind, aliases: coalesce(c.aliases, [])}] AS candidates\n}\nRETURN candidates"
}()

// fuzzyCypher finds near misses through the actor_lookup full-text index's fuzzy search.
const fuzzyCypher = `CALL db.index.fulltext.queryNodes('actor_lookup', $lucene) YIELD node, score
RETURN node.id AS id, node.name AS name, node.kind AS kind, coalesce(node.aliases, []) AS aliases
ORDER BY score DESC, id LIMIT 10`

func resolveActor(ctx context.Context, tx neo4j.ManagedTransaction, text string) (string, error) {
	recs, err := collect(ctx, tx, candidatesCypher, map[string]any{"text": text})
	if err != nil {
		return "", indexHint(err)
	}
	var found []Actor
	if len(recs) == 1 {
		list, _ := recs[0]["candidates"].([]any)
		for _, c := range list {
			if m, ok := c.(map[string]any); ok {
				found = append(found, actorOf(m))
			}
		}
	}
	switch {
	case len(found) == 1:
		return found[0].ID, nil
	case len(found) > 1:
		return "", &ActorError{Input: text, Candidates: found}
	}
	ae := &ActorError{Input: text}
	if fuzzy := luceneFuzzy(text); fuzzy != "" {
		recs, err := collect(ctx, tx, fuzzyCypher, map[string]any{"lucene": fuzzy})
		if err != nil {
			return "", indexHint(err)
		}
		ae.Suggestion = closestActor(text, recs)
	}
	return "", ae
}

// indexHint explains a missing full-text index, which backchannel load creates.
func indexHint(err error) error {
	if strings.Contains(err.Error(), "actor_lookup") {
		return fmt.Errorf("finding actors by name needs the actor_lookup full-text index, which backchannel load creates (or give actor IDs): %w", err)
	}
	return err
}

func actorOf(r map[string]any) Actor {
	a := Actor{}
	a.ID, _ = r["id"].(string)
	a.Name, _ = r["name"].(string)
	a.Kind, _ = r["kind"].(string)
	if list, ok := r["aliases"].([]any); ok {
		for _, s := range list {
			if s, ok := s.(string); ok {
				a.Aliases = append(a.Aliases, s)
			}
		}
	}
	return a
}

// closestActor picks, among the fuzzy hits, the actor whose ID, name or alias is
// nearest to text by edit distance, if it is near enough to be a typo.
func closestActor(text string, recs []map[string]any) *Actor {
	var best *Actor
	bestD := 0
	t := strings.ToLower(text)
	for _, r := range recs {
		a := actorOf(r)
		for _, s := range append([]string{a.ID, a.Name}, a.Aliases...) {
			d := textdist.Distance(t, strings.ToLower(s))
			if best == nil || d < bestD {
				best, bestD = &a, d
			}
		}
	}
	if best == nil || bestD > max(2, len([]rune(text))/3) {
		return nil
	}
	return best
}

// luceneFuzzy turns text into an OR of fuzzy terms, one per word (words of letters and
// digits only, so nothing needs escaping).
func luceneFuzzy(text string) string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = w + "~"
	}
	return strings.Join(words, " OR ")
}

func collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]map[string]any, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = r.AsMap()
	}
	return out, nil
}

// RelationshipError is a relationship parameter that names no relationship.
type RelationshipError struct {
	Query, Param, Input string
	// Suggestion is the nearest relationship ID, if one is near.
	Suggestion string
}

// ErrNoRelationship classifies a RelationshipError.
var ErrNoRelationship = errors.New("no such relationship")

func (e *RelationshipError) Error() string {
	msg := fmt.Sprintf("query %s: parameter %s: no relationship has the ID %q", e.Query, e.Param, e.Input)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(": did you mean %s?", e.Suggestion)
	}
	return msg
}

func (e *RelationshipError) Unwrap() error { return ErrNoRelationship }

// The relationship lookups go through the id index over every relationship type
// (schema.RelationshipIDIndex): the ID as one exact term, and near misses by Lucene's
// fuzzy search on it (up to two edits). A graph loaded before the index existed is
// scanned instead (the near-miss search then reads at most maxRelationshipPool IDs)
// until the next load creates it.
const (
	relByIDCypher = `CALL db.index.fulltext.queryRelationships('` + schema.RelationshipIDIndex + `', $term) YIELD relationship AS r
WITH r WHERE r.id = $id RETURN r.id AS id LIMIT 1`
	relFuzzyCypher = `CALL db.index.fulltext.queryRelationships('` + schema.RelationshipIDIndex + `', $fuzzy) YIELD relationship AS r
RETURN r.id AS id LIMIT 20`
	relIndexCypher      = `SHOW INDEXES YIELD name, state WHERE name = $name AND state = 'ONLINE' RETURN name`
	relByIDScanCypher   = `MATCH ()-[r]->() WHERE r.id = $id RETURN r.id AS id LIMIT 1`
	relIDsScanCypher    = `MATCH ()-[r]->() WHERE r.id IS NOT NULL RETURN DISTINCT r.id AS id LIMIT $max`
	maxRelationshipPool = 50_000
)

// checkRelationship returns a *RelationshipError when no relationship has the ID v.
func checkRelationship(ctx context.Context, tx neo4j.ManagedTransaction, query, param string, v any) error {
	id, _ := v.(string)
	params := map[string]any{"id": id, "term": schema.LuceneTerm(id), "fuzzy": luceneEscape(id) + "~2", "max": maxRelationshipPool}
	byID, pool := relByIDCypher, relFuzzyCypher
	recs, err := collect(ctx, tx, relIndexCypher, map[string]any{"name": schema.RelationshipIDIndex})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		byID, pool = relByIDScanCypher, relIDsScanCypher // no index yet: an older load
	}
	recs, err = collect(ctx, tx, byID, params)
	if err != nil || len(recs) > 0 {
		return err
	}
	recs, err = collect(ctx, tx, pool, params)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		if s, ok := r["id"].(string); ok {
			ids = append(ids, s)
		}
	}
	return &RelationshipError{Query: query, Param: param, Input: id, Suggestion: textdist.Suggest(id, ids)}
}

// luceneEscape escapes Lucene's query syntax in text, for a term outside quotes.
func luceneEscape(text string) string {
	var b strings.Builder
	for _, r := range text {
		if strings.ContainsRune(`+-&|!(){}[]^"~*?:\/ `, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
