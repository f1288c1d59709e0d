package loader

import (
	"strings"
	"testing"
	"time"
)

// The Time line lists every step of 5 ms or more, in order.
func TestStepsText(t *testing.T) {
	steps := []Step{{StepRead, 21.07}, {"schema", 1.83}, {"nodes", 10.8}, {"relationships", 51.33},
		{"prune", 12.5}, {"commit", 0.004}}
	want := "Time: read and validate 21.07s, schema 1.83s, nodes 10.8s, relationships 51.33s, prune 12.5s."
	if got := stepsText(steps); got != want {
		t.Errorf("stepsText = %q, want %q", got, want)
	}
	if got := stepsText(nil); got != "Time: under 5 ms a step." {
		t.Errorf("stepsText(nil) = %q", got)
	}
}

// The load's summary fits 100 columns: long lines are wrapped at spaces, continued
// with an indent.
func TestResultTextFits100Columns(t *testing.T) {
	r := &Result{Dataset: "a-dataset-with-a-long-name", Database: "neo4j", Files: 113, Records: 1123000,
		ContentHash: "sha256:ff29aea9c522d9a807e640b0933943fdb2ee1f4b2adc2e83bbe1b35e9e9572c2", Transactions: 1131,
		Elapsed: 86 * time.Second, Fingerprint: true,
		Counters: Counters{NodesCreated: 123000, RelationshipsCreated: 1000000, PropertiesSet: 15206051, LabelsAdded: 223000, ConstraintsAdded: 47, IndexesAdded: 3},
		Steps:    []Step{{StepRead, 21.07}, {"schema", 1.83}, {"nodes", 10.8}, {"relationships", 51.33}, {"prune", 12.5}, {"commit", 0.2}}}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if len(l) > 100 {
			t.Errorf("line of %d columns: %q", len(l), l)
		}
	}
	for _, want := range []string{
		`Dataset "a-dataset-with-a-long-name" is up to date in database "neo4j": 1123000 records from 113`,
		"\n  labels added, 47 constraints added, 3 indexes added.\n",
		`  "sha256:ff29aea9c522d9a807e640b0933943fdb2ee1f4b2adc2e83bbe1b35e9e9572c2"}) stands for this one.`,
		"Time: read and validate 21.07s",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
}

// A run that waited for the server's first answer (a server just started) says so in a
// step of its own, after the files' step, which keeps its own time.
func TestStepsWaitForTheServerIsItsOwnStep(t *testing.T) {
	e := &engine{lastRun: make(chan lastRunResult, 1), steps: []Step{{StepHashed, 0.08}}}
	go func() {
		time.Sleep(60 * time.Millisecond)
		e.lastRun <- lastRunResult{}
	}()
	if _, err := e.awaitLastRun(t.Context()); err != nil {
		t.Fatal(err)
	}
	steps := e.allSteps(200*time.Millisecond, "commit")
	if len(steps) != 3 || steps[0] != (Step{StepHashed, 0.08}) || steps[1].Step != StepWait || steps[1].Seconds < 0.06 || steps[2].Step != "commit" {
		t.Fatalf("steps %v: want %s 0.08s, then %s of 60 ms or more, then commit", steps, StepHashed, StepWait)
	}
	if got := stepsText(steps); !strings.HasPrefix(got, "Time: hash the files 80ms, wait for the server ") {
		t.Errorf("stepsText = %q", got)
	}
	// a warm server answered before it was needed: no such step
	warm := &engine{lastRun: make(chan lastRunResult, 1), steps: []Step{{StepRead, 1}}}
	warm.lastRun <- lastRunResult{}
	if _, err := warm.awaitLastRun(t.Context()); err != nil {
		t.Fatal(err)
	}
	if steps := warm.allSteps(2*time.Second, "commit"); len(steps) != 2 {
		t.Errorf("steps %v: want no wait step", steps)
	}
}
