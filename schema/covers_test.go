package schema

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseSpan(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	cases := []struct {
		text, rule  string // rule: "" for a good span
		first, last string
	}{
		{"2025-01-15/2025-06-02", "", "2025-01-15", "2025-06-02"},
		{"2025-01/2025-06", "", "2025-01-01", "2025-06-30"},
		{"2025/2025", "", "2025-01-01", "2025-12-31"},
		{"2025-06-02/2025-06-02", "", "2025-06-02", "2025-06-02"},
		{"2025-06-02/2025-01-15", RuleDateOrder, "", ""},
		{"2025-02-30/2025-06-02", RuleDate, "", ""},
		{"2025-01-15/2025-13", RuleDate, "", ""},
		{"2025-01-15", RuleFormat, "", ""},
		{"2025-01-15/2025-06-02/2025-07-01", RuleFormat, "", ""},
		{"from 2025-01-15", RuleFormat, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			s, rule, err := ParseSpan(tc.text)
			if rule != tc.rule || (err == nil) != (tc.rule == "") {
				t.Fatalf("rule %q, error %v; want rule %q", rule, err, tc.rule)
			}
			if err != nil {
				return
			}
			first, last := s.Days()
			if !first.Equal(day(tc.first)) || !last.Equal(day(tc.last)) || s.String() != tc.text {
				t.Errorf("got %s to %s (%s), want %s to %s", first, last, s, tc.first, tc.last)
			}
			for _, d := range []time.Time{first, last} {
				if !s.Contains(d) {
					t.Errorf("%s does not contain its own end %s", s, d)
				}
			}
			if s.Contains(first.AddDate(0, 0, -1)) || s.Contains(last.AddDate(0, 0, 1)) {
				t.Errorf("%s contains a day beside it", s)
			}
		})
	}
}

// TestValidateReturnsTheSpan: the span a dataset declares reaches ValidateWith's result
// (the loader stores it), with where it is declared; a dataset that declares none has none.
func TestValidateReturnsTheSpan(t *testing.T) {
	input := func(name, text string) Input {
		return Input{Name: name, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }}
	}
	res, err := ValidateWith(context.Background(), []Input{
		input("a.yaml", "dataset: d\nnodes:\n"),
		input("b.yaml", "dataset: d\ncovers: 2025-01-15/2025-06-02\n"),
		input("c.yaml", "dataset: d\ncovers: '2025-01-15/2025-06-02'\n"),
	}, Default(), Options{})
	if err != nil || res.Errors > 0 {
		t.Fatalf("%v %v", err, res.Findings)
	}
	if res.Covers == nil || res.Covers.String() != "2025-01-15/2025-06-02" || res.Covers.Pos != (Pos{File: "b.yaml", Line: 2, Col: 9}) {
		t.Errorf("covers %+v", res.Covers)
	}
	res, err = ValidateWith(context.Background(), []Input{input("a.yaml", "dataset: d\n")}, Default(), Options{})
	if err != nil || res.Covers != nil {
		t.Errorf("no covers line: got %+v, %v", res.Covers, err)
	}
}
