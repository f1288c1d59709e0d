package schema

import (
	"io"
	"strings"
	"testing"
	"time"
)

func TestInfluenceModelWeighsConfidence(t *testing.T) {
	v := Default()
	g := func(x float64) *float64 { return &x }
	cases := []struct {
		name string
		rel  Relationship
		want map[string]any
	}{
		{"a high-confidence attack weighs its full strength",
			Relationship{ID: "r", Type: "ATTACKS", Confidence: "high"},
			map[string]any{"sign": int64(-1), "strength": 1.0, "weight": 1.0}},
		{"medium confidence scales the strength by its weight",
			Relationship{ID: "r", Type: "NEGOTIATES_WITH", Confidence: "medium"},
			map[string]any{"sign": int64(1), "strength": 0.7, "weight": 0.49}},
		{"low confidence, and an override of the score",
			Relationship{ID: "r", Type: "CONSULTS", Confidence: "low", Influence: &InfluenceOverride{Goldstein: g(5), Reason: "x"}},
			map[string]any{"sign": int64(1), "strength": 0.5, "weight": 0.2}},
		{"a reverse score on a symmetric type",
			Relationship{ID: "r", Type: "NEGOTIATES_WITH", Confidence: "high", ReverseInfluence: &InfluenceOverride{Goldstein: g(-2), Reason: "talks under protest"}},
			map[string]any{"weight": 0.7, "reverseSign": int64(-1), "reverseStrength": 0.2, "reverseWeight": 0.2, "reverseBasis": "override: talks under protest"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := v.RelOf(&tc.rel).Props
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s = %v (%T), want %v", k, got[k], got[k], want)
				}
			}
			if tc.rel.ReverseInfluence == nil {
				if _, ok := got["reverseWeight"]; ok {
					t.Errorf("reverseWeight set without a reverse score: %v", got)
				}
			}
		})
	}
}

func TestInfluenceModelIsChecked(t *testing.T) {
	base := string(vocabularyYAML)
	cases := map[string][2]string{
		"referenceDate":  {`referenceDate: "2025-06-02"`, `referenceDate: "2025-06"`},
		"attenuation":    {`attenuation: 0.8`, `attenuation: 1.5`},
		"confidence low": {`low: 0.4`, `lowish: 0.4`},
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
