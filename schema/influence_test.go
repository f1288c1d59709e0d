package schema

import (
	"io"
	"strings"
	"testing"
	"time"
)

// TestRelOfStoresTheInfluenceModel: the loader's properties keep the tie (sign,
// strength), the flow each way (fwdInfluence, revInfluence) and the confidence apart, so
// that a query can weigh confidence as it is asked to.
func TestRelOfStoresTheInfluenceModel(t *testing.T) {
	v := Default()
	g := func(x float64) *float64 { return &x }
	cases := []struct {
		name string
		rel  Relationship
		want map[string]any
	}{
		{"an attack: full strength forward (compellence), nothing back",
			Relationship{ID: "r", Type: "ATTACKS", Confidence: "high"},
			map[string]any{"sign": int64(-1), "strength": 1.0, "fwdInfluence": 1.0, "revInfluence": 0.0}},
		{"talks: a strong tie (Goldstein 7) but a weak constraint each way",
			Relationship{ID: "r", Type: "NEGOTIATES_WITH", Confidence: "medium"},
			map[string]any{"sign": int64(1), "strength": 0.7, "fwdInfluence": 0.3, "revInfluence": 0.3}},
		{"military support: the client's leverage over its patron flows back (Keohane 1971)",
			Relationship{ID: "r", Type: "SUPPORTS_MILITARILY", Confidence: "high"},
			map[string]any{"sign": int64(1), "strength": 0.83, "fwdInfluence": 0.8, "revInfluence": 0.6}},
		{"an override of the tie moves a defaulted forward flow with it",
			Relationship{ID: "r", Type: "APPEALS_TO", Confidence: "low", Influence: &InfluenceOverride{Goldstein: g(-0.3), Reason: "x"}},
			map[string]any{"sign": int64(-1), "strength": 0.03, "fwdInfluence": 0.03, "revInfluence": 0.0}},
		{"an override of the tie leaves a stated flow alone",
			Relationship{ID: "r", Type: "CONSULTS", Confidence: "high", Influence: &InfluenceOverride{Goldstein: g(1.9), Reason: "a visit"}},
			map[string]any{"strength": 0.19, "fwdInfluence": 0.1, "revInfluence": 0.1}},
		{"a reverse score on a symmetric type sets the backward flow",
			Relationship{ID: "r", Type: "NEGOTIATES_WITH", Confidence: "high", ReverseInfluence: &InfluenceOverride{Goldstein: g(0), Reason: "talks under protest"}},
			map[string]any{"fwdInfluence": 0.3, "revInfluence": 0.0}},
		{"a month-only since gives its earliest and latest day",
			Relationship{ID: "r", Type: "ATTACKS", Confidence: "high", Since: Date{"2025-03"}, Until: Date{"2025"}},
			map[string]any{"sinceStart": day("2025-03-01"), "sinceEnd": day("2025-03-31"), "untilStart": day("2025-01-01"), "untilEnd": day("2025-12-31")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := v.RelOf(&tc.rel).Props
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s = %v (%T), want %v", k, got[k], got[k], want)
				}
			}
			if _, ok := got["confidenceWeight"]; ok {
				t.Errorf("confidenceWeight is stored: the query weighs confidence as it is asked to")
			}
		})
	}
}

func day(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

// TestFlowIsChecked: a flow outside [0, 1], without a basis, or on a type without a tie
// is refused.
func TestFlowIsChecked(t *testing.T) {
	base := string(vocabularyYAML)
	old := `    flow: {forward: 0.8, backward: 0.6, basis:`
	if !strings.Contains(base, old) {
		t.Fatalf("vocabulary.yaml lacks %q", old)
	}
	for name, repl := range map[string]string{
		"above 1":  `    flow: {forward: 1.8, backward: 0.6, basis:`,
		"negative": `    flow: {forward: 0.8, backward: -0.6, basis:`,
	} {
		if _, err := ParseVocabulary([]byte(strings.Replace(base, old, repl, 1))); err == nil || !strings.Contains(err.Error(), "SUPPORTS_MILITARILY") {
			t.Errorf("%s: err = %v, want one naming SUPPORTS_MILITARILY", name, err)
		}
	}
	noBasis := strings.Replace(base, `    flow: {forward: 0.3, basis: "mutual`, `    flow: {forward: 0.3, note: "mutual`, 1)
	if _, err := ParseVocabulary([]byte(noBasis)); err == nil {
		t.Errorf("a flow without a basis was accepted")
	}
	bypass := "    to: [Actor]\n\n  # --- affiliation"
	if !strings.Contains(base, bypass) {
		t.Fatalf("vocabulary.yaml lacks %q", bypass)
	}
	noTie := strings.Replace(base, bypass, "    to: [Actor]\n    flow: {forward: 0.5, basis: x}\n\n  # --- affiliation", 1)
	if _, err := ParseVocabulary([]byte(noTie)); err == nil || !strings.Contains(err.Error(), "BYPASSES") {
		t.Errorf("a flow on a type without a tie: err = %v", err)
	}
}

func TestInfluenceModelIsChecked(t *testing.T) {
	base := string(vocabularyYAML)
	cases := map[string][2]string{
		"referenceDate":  {`referenceDate: "2025-06-02"`, `referenceDate: "2025-06"`},
		"attenuation":    {`attenuation: 0.8`, `attenuation: 1.5`},
		"confidence low": {`low: 0.4`, `lowish: 0.4`},
		"preset weight":  {`steep: {high: 1.0, medium: 0.5, low: 0.2}`, `steep: {high: 1.0, medium: 0.5, low: 0}`},
		"preset name":    {`steep: {high`, `graded: {high`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(base, c[0]) {
				t.Fatalf("vocabulary.yaml lacks %q", c[0])
			}
			_, err := ParseVocabulary([]byte(strings.Replace(base, c[0], c[1], 1)))
			if err == nil || !strings.Contains(err.Error(), "influenceModel") {
				t.Errorf("got %v, want an influenceModel error", err)
			}
		})
	}
}

func TestReverseInfluenceOnlyOnSymmetricTypes(t *testing.T) {
	const file = `sources:
  - {id: s, publisher: P, title: T, url: "https://example.org/", published: 2025-05-01, reliability: reputable}
nodes:
  - {id: a, kind: State, name: A, wikidata: Q1, evidence: [{source: s, quote: "a"}]}
  - {id: b, kind: State, name: B, wikidata: Q2, evidence: [{source: s, quote: "b"}]}
relationships:
  - id: talks
    type: NEGOTIATES_WITH
    from: a
    to: b
    confidence: high
    reverseInfluence: {goldstein: 0, reason: "b is not moved"}
    evidence: [{source: s, quote: "talks"}]
  - id: demand
    type: DEMANDS_OF
    from: a
    to: b
    confidence: high
    reverseInfluence: {goldstein: 0, reason: "one way anyway"}
    evidence: [{source: s, quote: "demand"}]
`
	in := []Input{{Name: "f.yaml", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(file)), nil }}}
	got := findingsText(Validate(in, Default()))
	want := "f.yaml:19:23: error: type DEMANDS_OF is not a symmetric influence type, so it has no reverse direction to score [field-for-kind]\n"
	if got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
}

func TestPartialUntilCoversItsMonth(t *testing.T) {
	// A relationship with until 2025-05 is in force on 2025-05-20: the queries compare
	// asOf with untilEnd, the last day the partial date covers.
	p := Default().RelOf(&Relationship{ID: "r", Type: "ATTACKS", Confidence: "high", Since: Date{"2025-05"}, Until: Date{"2025-05"}}).Props
	start, _ := p["sinceStart"].(time.Time)
	end, _ := p["untilEnd"].(time.Time)
	if got := start.Format(time.DateOnly) + ".." + end.Format(time.DateOnly); got != "2025-05-01..2025-05-31" {
		t.Errorf("since/until 2025-05 cover %s, want 2025-05-01..2025-05-31", got)
	}
}
