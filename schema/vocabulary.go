package schema

import (
	_ "embed"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed vocabulary.yaml
var vocabularyYAML []byte

// NodeKind is one kind of node: its Neo4j labels, the optional fields it takes and
// the ones it requires.
type NodeKind struct {
	Kind             string   `yaml:"kind"`
	Labels           []string `yaml:"labels"`
	Description      string   `yaml:"description"`
	Fields           []string `yaml:"fields"`
	Required         []string `yaml:"required"`
	WikidataExpected bool     `yaml:"wikidataExpected"`
	Color            string   `yaml:"color"`
}

// IsActor reports whether nodes of this kind are actors (labelled Actor).
func (k *NodeKind) IsActor() bool { return slices.Contains(k.Labels, "Actor") }

// Allows reports whether the kind takes the optional field (by its YAML name).
func (k *NodeKind) Allows(field string) bool { return slices.Contains(k.Fields, field) }

// Influence is how a relationship type moves influence: a sign and a strength in [0, 1],
// grounded in a CAMEO event code and its Goldstein score, or stated with a basis.
type Influence struct {
	Cameo     string   `yaml:"cameo" json:"cameo,omitempty"`
	CameoName string   `yaml:"cameoName" json:"cameoName,omitempty"`
	Goldstein *float64 `yaml:"goldstein" json:"goldstein,omitempty"`
	Sign      int      `yaml:"sign" json:"sign"`
	Strength  float64  `yaml:"strength" json:"strength"`
	Basis     string   `yaml:"basis" json:"basis,omitempty"`
}

// Flow is how much influence a relationship type carries in each direction, each in
// [0, 1], separately from its tie (Influence: the act's Goldstein sign and strength).
// Forward runs from the relationship's start node to its end node, backward the other
// way. Absent values take the defaults (see RelType.Forward): forward = the tie's
// strength, backward = 0 for a directed type and = forward for a symmetric one.
type Flow struct {
	Forward  *float64 `yaml:"forward" json:"forward,omitempty"`
	Backward *float64 `yaml:"backward" json:"backward,omitempty"`
	// Basis says why, citing the literature.
	Basis string `yaml:"basis" json:"basis,omitempty"`
}

// RelType is one relationship type.
type RelType struct {
	Type        string     `yaml:"type"`
	Description string     `yaml:"description"`
	From        []string   `yaml:"from"`
	To          []string   `yaml:"to"`
	Symmetric   bool       `yaml:"symmetric"`
	SelfAllowed bool       `yaml:"selfAllowed"`
	Influence   *Influence `yaml:"influence"`
	Flow        *Flow      `yaml:"flow"`
	// Act marks a type whose relationships are instantaneous (a statement, an appeal, a
	// rejection): each needs until, its last day, so that it is not in force afterwards.
	Act bool `yaml:"act"`

	fromKinds, toKinds []string
	// forward, backward and flowBasis are the flow with its defaults applied.
	forward, backward float64
	flowBasis         string
}

// Forward and Backward are the influence the type carries from its start node to its
// end node and back, in [0, 1], with the defaults applied (Flow). FlowBasis says why.
func (t *RelType) Forward() float64  { return t.forward }
func (t *RelType) Backward() float64 { return t.backward }
func (t *RelType) FlowBasis() string { return t.flowBasis }

// AllowsFrom and AllowsTo report whether a node kind may be the type's source or target.
func (t *RelType) AllowsFrom(kind string) bool { return slices.Contains(t.fromKinds, kind) }
func (t *RelType) AllowsTo(kind string) bool   { return slices.Contains(t.toKinds, kind) }

// FromKinds and ToKinds are the node kinds allowed at each end, sorted: the type's own
// lists, clipped, so that a caller's append copies them instead of writing into them
// (loads running at once share one vocabulary).
func (t *RelType) FromKinds() []string { return slices.Clip(t.fromKinds) }
func (t *RelType) ToKinds() []string   { return slices.Clip(t.toKinds) }

// ActorInfluence reports whether the type carries influence between two actors: the
// types that influence paths traverse.
func (t *RelType) ActorInfluence(v *Vocabulary) bool {
	if t.Influence == nil {
		return false
	}
	for _, k := range append(slices.Clone(t.fromKinds), t.toKinds...) {
		if !v.kinds[k].IsActor() {
			return false
		}
	}
	return true
}

// InfluenceModel holds the settings of influence scoring that the queries and the loader
// share (schema/vocabulary.yaml explains them).
type InfluenceModel struct {
	// ReferenceDate is the dataset's "as of" day, YYYY-MM-DD.
	ReferenceDate string `yaml:"referenceDate"`
	// Attenuation multiplies a path's score once per hop after the first, in (0, 1].
	Attenuation float64 `yaml:"attenuation"`
	// Confidence weighs a relationship by its confidence level, each in (0, 1]: the
	// graded preset, the default.
	Confidence map[string]float64 `yaml:"confidence"`
	// ConfidencePresets are the other confidence weightings a query may be asked for
	// (parameter confidence), by name; "graded" is Confidence.
	ConfidencePresets map[string]map[string]float64 `yaml:"confidencePresets"`
	// Robustness is the grid of settings query run --robustness re-runs a query under.
	Robustness Robustness `yaml:"robustness"`
}

// Robustness is the grid of model settings a robustness run varies. Attenuation,
// Confidence and Aggregation are crossed (every combination, each axis only where the
// query declares its parameter); then each relationship type in the default answer has
// its influence multiplied by each of Scale, one type at a time, the other settings at
// the run's own.
type Robustness struct {
	Attenuation []float64 `yaml:"attenuation"`
	Confidence  []string  `yaml:"confidence"`
	Aggregation []string  `yaml:"aggregation"`
	Scale       []float64 `yaml:"scale"`
}

// GradedPreset is the name of the default confidence weighting (InfluenceModel.Confidence).
const GradedPreset = "graded"

// Presets returns every confidence weighting by name, graded included.
func (m *InfluenceModel) Presets() map[string]map[string]float64 {
	out := map[string]map[string]float64{GradedPreset: m.Confidence}
	for k, w := range m.ConfidencePresets {
		out[k] = w
	}
	return out
}

// PresetNames lists the confidence weightings, graded first, then by name.
func (m *InfluenceModel) PresetNames() []string {
	names := []string{GradedPreset}
	for k := range m.ConfidencePresets {
		names = append(names, k)
	}
	sort.Strings(names[1:])
	return names
}

// ConfidenceLevels are the confidence levels a relationship may have, strongest first.
var ConfidenceLevels = []string{"high", "medium", "low"}

// check reports the first problem of the model.
func (m *InfluenceModel) check() error {
	if _, err := time.Parse(time.DateOnly, m.ReferenceDate); err != nil {
		return fmt.Errorf("influenceModel: referenceDate %q: want YYYY-MM-DD", m.ReferenceDate)
	}
	if !(m.Attenuation > 0 && m.Attenuation <= 1) {
		return fmt.Errorf("influenceModel: attenuation %v: want (0, 1]", m.Attenuation)
	}
	if err := checkWeights("confidence", m.Confidence); err != nil {
		return err
	}
	for name, w := range m.ConfidencePresets {
		if name == GradedPreset || !regexp.MustCompile(`^[a-z]+$`).MatchString(name) {
			return fmt.Errorf("influenceModel: confidencePresets %q: want a lowercase word other than %s", name, GradedPreset)
		}
		if err := checkWeights("confidencePresets "+name, w); err != nil {
			return err
		}
	}
	return m.Robustness.check(m)
}

// check reports the first problem of the grid.
func (r *Robustness) check(m *InfluenceModel) error {
	for _, a := range r.Attenuation {
		if !(a > 0 && a <= 1) {
			return fmt.Errorf("influenceModel: robustness attenuation %v: want (0, 1]", a)
		}
	}
	for _, c := range r.Confidence {
		if _, ok := m.Presets()[c]; !ok {
			return fmt.Errorf("influenceModel: robustness confidence %q: want one of %s", c, strings.Join(m.PresetNames(), ", "))
		}
	}
	for _, a := range r.Aggregation {
		if !regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`).MatchString(a) {
			return fmt.Errorf("influenceModel: robustness aggregation %q: want a lowercase name", a)
		}
	}
	for _, s := range r.Scale {
		if !(s >= 0 && s <= 2) {
			return fmt.Errorf("influenceModel: robustness scale %v: want [0, 2]", s)
		}
	}
	return nil
}

func checkWeights(what string, w map[string]float64) error {
	for level := range w {
		if !slices.Contains(ConfidenceLevels, level) {
			return fmt.Errorf("influenceModel: %s %q: want one of %s", what, level, strings.Join(ConfidenceLevels, ", "))
		}
	}
	for _, level := range ConfidenceLevels {
		if x, ok := w[level]; !ok || !(x > 0 && x <= 1) {
			return fmt.Errorf("influenceModel: %s %s: want a weight in (0, 1]", what, level)
		}
	}
	return nil
}

// Reliabilities are the reliability levels of a source, most reliable first (as in the
// Source type's oneof rule).
var Reliabilities = []string{"primary", "reputable", "secondary", "low"}

// Curation holds the settings of the curation rules validate checks across records
// (README, "Validating seed files"); schema/vocabulary.yaml explains them.
type Curation struct {
	// WeakReliability lists the source reliabilities that cannot alone back confidence
	// high: a relationship rated high needs evidence from a source of another one.
	WeakReliability []string `yaml:"weakReliability"`
}

// Weak reports whether a source of this reliability cannot alone back confidence high.
func (c *Curation) Weak(reliability string) bool {
	return slices.Contains(c.WeakReliability, reliability)
}

func (c *Curation) check() error {
	for _, r := range c.WeakReliability {
		if !slices.Contains(Reliabilities, r) {
			return fmt.Errorf("curation: weakReliability %q: want one of %s", r, strings.Join(Reliabilities, ", "))
		}
	}
	if len(c.WeakReliability) == len(Reliabilities) {
		return fmt.Errorf("curation: weakReliability lists every reliability, so no relationship could be rated high")
	}
	return nil
}

// Vocabulary is the whole model: node kinds, relationship types, influence scoring and
// the settings of the curation rules.
type Vocabulary struct {
	InfluenceModel    InfluenceModel `yaml:"influenceModel"`
	Curation          Curation       `yaml:"curation"`
	NodeKinds         []*NodeKind    `yaml:"nodeKinds"`
	RelationshipTypes []*RelType     `yaml:"relationshipTypes"`

	kinds map[string]*NodeKind
	types map[string]*RelType
}

// Kind returns the node kind by name, or nil.
func (v *Vocabulary) Kind(name string) *NodeKind { return v.kinds[name] }

// Type returns the relationship type by name, or nil.
func (v *Vocabulary) Type(name string) *RelType { return v.types[name] }

// KindNames and TypeNames list the names, in vocabulary order.
func (v *Vocabulary) KindNames() []string {
	out := make([]string, len(v.NodeKinds))
	for i, k := range v.NodeKinds {
		out[i] = k.Kind
	}
	return out
}

func (v *Vocabulary) TypeNames() []string {
	out := make([]string, len(v.RelationshipTypes))
	for i, t := range v.RelationshipTypes {
		out[i] = t.Type
	}
	return out
}

// Labels lists every Neo4j label used by any kind, sorted, each once.
func (v *Vocabulary) Labels() []string {
	var out []string
	for _, k := range v.NodeKinds {
		for _, l := range k.Labels {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	sort.Strings(out)
	return out
}

var (
	labelRe   = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	relTypeRe = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)
)

// nodeFields are the optional node fields a kind may list in `fields`.
var nodeFields = []string{"wikidata", "cameo", "title", "date", "end", "eventCode"}

// ParseVocabulary reads and checks a vocabulary. Names must be valid Neo4j identifiers
// in Neo4j's naming style, since they are written into Cypher text.
func ParseVocabulary(data []byte) (*Vocabulary, error) {
	var v Vocabulary
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	if err := v.InfluenceModel.check(); err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	if err := v.Curation.check(); err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	v.kinds = map[string]*NodeKind{}
	v.types = map[string]*RelType{}
	labelKinds := map[string][]string{}
	for _, k := range v.NodeKinds {
		if !labelRe.MatchString(k.Kind) {
			return nil, fmt.Errorf("vocabulary: node kind %q: want a CamelCase name", k.Kind)
		}
		if v.kinds[k.Kind] != nil {
			return nil, fmt.Errorf("vocabulary: node kind %q defined twice", k.Kind)
		}
		if !slices.Contains(k.Labels, k.Kind) {
			return nil, fmt.Errorf("vocabulary: node kind %q must carry its own name among its labels", k.Kind)
		}
		for _, l := range k.Labels {
			if !labelRe.MatchString(l) || l == "Source" || strings.HasPrefix(l, "Backchannel") {
				return nil, fmt.Errorf("vocabulary: node kind %q: label %q: want CamelCase, not Source or Backchannel*", k.Kind, l)
			}
			labelKinds[l] = append(labelKinds[l], k.Kind)
		}
		for _, f := range append(slices.Clone(k.Fields), k.Required...) {
			if !slices.Contains(nodeFields, f) {
				return nil, fmt.Errorf("vocabulary: node kind %q: unknown field %q (fields: %s)", k.Kind, f, strings.Join(nodeFields, ", "))
			}
		}
		for _, f := range k.Required {
			if !k.Allows(f) {
				return nil, fmt.Errorf("vocabulary: node kind %q requires %q but does not list it in fields", k.Kind, f)
			}
		}
		v.kinds[k.Kind] = k
	}
	expand := func(t *RelType, names []string, end string) ([]string, error) {
		var out []string
		for _, n := range names {
			kinds := labelKinds[n]
			if len(kinds) == 0 {
				return nil, fmt.Errorf("vocabulary: relationship type %s: %s %q is neither a node kind nor a label", t.Type, end, n)
			}
			for _, k := range kinds {
				if !slices.Contains(out, k) {
					out = append(out, k)
				}
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("vocabulary: relationship type %s: no %s kinds", t.Type, end)
		}
		sort.Strings(out)
		return out, nil
	}
	for _, t := range v.RelationshipTypes {
		if !relTypeRe.MatchString(t.Type) || strings.HasPrefix(t.Type, "BACKCHANNEL") {
			return nil, fmt.Errorf("vocabulary: relationship type %q: want UPPER_SNAKE_CASE", t.Type)
		}
		if v.types[t.Type] != nil {
			return nil, fmt.Errorf("vocabulary: relationship type %q defined twice", t.Type)
		}
		var err error
		if t.fromKinds, err = expand(t, t.From, "from"); err != nil {
			return nil, err
		}
		if t.toKinds, err = expand(t, t.To, "to"); err != nil {
			return nil, err
		}
		if in := t.Influence; in != nil {
			if err := in.derive(); err != nil {
				return nil, fmt.Errorf("vocabulary: relationship type %s: %w", t.Type, err)
			}
		}
		if err := t.deriveFlow(); err != nil {
			return nil, fmt.Errorf("vocabulary: relationship type %s: %w", t.Type, err)
		}
		v.types[t.Type] = t
	}
	return &v, nil
}

// derive fills sign and strength from the Goldstein score, or checks the explicit ones.
func (in *Influence) derive() error {
	if in.Goldstein != nil {
		g := *in.Goldstein
		if g < -10 || g > 10 || math.IsNaN(g) {
			return fmt.Errorf("goldstein %v: want -10..10", g)
		}
		if !isCameoEvent(in.Cameo) {
			return fmt.Errorf("cameo %q: want a CAMEO event code of 2 to 4 digits (a string: 010 is not 10)", in.Cameo)
		}
		if in.Sign != 0 || in.Strength != 0 {
			return fmt.Errorf("give either goldstein or sign and strength, not both")
		}
		in.Sign, in.Strength = GoldsteinInfluence(g)
		if in.Basis == "" {
			in.Basis = fmt.Sprintf("CAMEO %s (%s), Goldstein %+.1f", in.Cameo, in.CameoName, g)
		}
		return nil
	}
	if in.Sign != 1 && in.Sign != -1 {
		return fmt.Errorf("influence without goldstein needs sign 1 or -1")
	}
	if in.Strength <= 0 || in.Strength > 1 {
		return fmt.Errorf("influence strength %v: want (0, 1]", in.Strength)
	}
	if in.Basis == "" {
		return fmt.Errorf("influence without goldstein needs a basis saying where it comes from")
	}
	return nil
}

// deriveFlow applies the flow's defaults and checks its values.
func (t *RelType) deriveFlow() error {
	f := t.Flow
	if f != nil && t.Influence == nil {
		return fmt.Errorf("flow without influence: a flow needs the tie's sign (influence: goldstein or sign)")
	}
	if t.Influence == nil {
		return nil
	}
	t.forward = t.Influence.Strength
	basis := "forward = the tie's strength (the intensity of the act; Schelling 1966 on compellence)"
	if f != nil && f.Forward != nil {
		t.forward = *f.Forward
	}
	if t.Symmetric {
		t.backward = t.forward
	}
	if f != nil && f.Backward != nil {
		t.backward = *f.Backward
	}
	for _, x := range []float64{t.forward, t.backward} {
		if !(x >= 0 && x <= 1) {
			return fmt.Errorf("flow %v: want forward and backward in [0, 1]", x)
		}
	}
	if f != nil {
		if strings.TrimSpace(f.Basis) == "" {
			return fmt.Errorf("flow needs a basis saying why, citing the literature")
		}
		basis = f.Basis
	} else if t.Symmetric {
		basis += ", both ways (a symmetric type)"
	} else {
		basis += "; backward 0 (a directed act)"
	}
	t.flowBasis = basis
	return nil
}

// GoldsteinInfluence maps a Goldstein score (-10..10) to a sign and a strength in [0, 1].
// A score of 0 is neutral: sign 0, strength 0.
func GoldsteinInfluence(g float64) (sign int, strength float64) {
	switch {
	case g > 0:
		sign = 1
	case g < 0:
		sign = -1
	}
	return sign, math.Abs(g) / 10
}

var defaultVocabulary = func() *Vocabulary {
	v, err := ParseVocabulary(vocabularyYAML)
	if err != nil {
		panic(err) // the embedded vocabulary is checked by the tests
	}
	return v
}()

// Default returns the embedded vocabulary (schema/vocabulary.yaml). It is shared by
// every caller and read-only: changing its kinds or types would change the model for the
// whole program. For a vocabulary of one's own, call ParseVocabulary.
func Default() *Vocabulary { return defaultVocabulary }
