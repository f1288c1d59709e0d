package loader

import (
	"strings"
	"testing"
)

// The Time line lists every step of 5 ms or more, in order, and wraps at 100 columns.
func TestStepsText(t *testing.T) {
	steps := []Step{{StepRead, 21.07}, {"schema", 1.83}, {"nodes", 10.8}, {"relationships", 51.33},
		{"prune", 12.5}, {"commit", 0.004}}
	got := stepsText(steps)
	want := "Time: read and validate 21.07s, schema 1.83s, nodes 10.8s, relationships 51.33s, prune 12.5s.\n"
	if got != want {
		t.Errorf("stepsText = %q, want %q", got, want)
	}
	steps = append(steps[:5], Step{"relationships again", 3600.123}, Step{"and once more", 7201.5})
	got = stepsText(steps)
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "      relationships again 1h0m0.12s,") || !strings.HasSuffix(got, "and once more 2h0m1.5s.\n") {
		t.Errorf("stepsText = %q: want two lines, the second indented under the first's steps", got)
	}
	for _, l := range lines {
		if len(l) > 100 {
			t.Errorf("line of %d columns: %q", len(l), l)
		}
	}
	if got := stepsText(nil); got != "Time: under 5 ms a step.\n" {
		t.Errorf("stepsText(nil) = %q", got)
	}
}
