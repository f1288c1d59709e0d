package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backchannel/backchannel/loader"
)

func TestBesideRatios(t *testing.T) {
	alone := []loader.Step{{Step: loader.StepRead, Seconds: 1}, {Step: "schema", Seconds: 3}, {Step: "nodes", Seconds: 2}, {Step: "relationships", Seconds: 4}, {Step: "commit", Seconds: 1}}
	beside := []loader.Step{{Step: loader.StepRead, Seconds: 1}, {Step: "schema", Seconds: 0.5}, {Step: "nodes", Seconds: 3}, {Step: "relationships", Seconds: 6}, {Step: "commit", Seconds: 1}}
	r := besideRatios(11, alone, 11.5, beside)
	if want := 11.5 / 11; r.whole != want {
		t.Errorf("whole: %v, want %v", r.whole, want)
	}
	if want := 11.0 / 8; r.noSchema != want { // 11.5 - 0.5 over 11 - 3
		t.Errorf("without the schema: %v, want %v", r.noSchema, want)
	}
	if want := 9.0 / 6; r.writes != want {
		t.Errorf("writes: %v, want %v", r.writes, want)
	}
	if r := besideRatios(0, nil, 11.5, beside); r != (ratios{}) {
		t.Errorf("nothing alone: %+v, want zeros", r)
	}
	if r := besideRatios(11, alone, 11.5, []loader.Step{{Step: "schema", Seconds: 1}}); r.writes != 0 || r.noSchema != 10.5/8 {
		t.Errorf("no write steps beside: %+v, want writes 0, no schema %v", r, 10.5/8)
	}
}

// report is a run's report as the bench writes it, with every measurement.
func report(started time.Time, sizes ...int) Report {
	rep := Report{Started: started, Machine: "2 x test"}
	for _, n := range sizes {
		rep.Runs = append(rep.Runs,
			Run{Size: n, Way: wayLoad, Records: 11 * n, Seconds: 12.5, RecordsPerSec: float64(11*n) / 12.5},
			Run{Size: n, Way: wayNaive, Records: 11 * n, Seconds: 16770.2, RecordsPerSec: 670, Extrapolated: true, Measured: 4018},
			Run{Size: n, Way: wayLoadCSVConcurrent, Records: 11 * n, Seconds: 130.6, RecordsPerSec: 8596})
		rep.Extras = append(rep.Extras, Extra{Size: n, Bytes: 200 * int64(n), Files: n / 10000, NoopReloadSec: 0.35, PlanOneChangeSec: 4.47,
			LoadOneChangeSec: 3.96, ValidateMBps: 32.1, LoadReadSec: 12.15, LoadRSSMB: 105, ValidateRSSMB: 83,
			LoadSteps:      []loader.Step{{Step: loader.StepRead, Seconds: 12.15}, {Step: "schema", Seconds: 3.22}, {Step: "nodes", Seconds: 20.5}, {Step: "relationships", Seconds: 120.25}, {Step: "commit", Seconds: 0.83}},
			RestartNoopSec: 0.81, RestartNoopSteps: []loader.Step{{Step: loader.StepHashed, Seconds: 0.27}, {Step: loader.StepWait, Seconds: 0.4}, {Step: "commit", Seconds: 0.1}},
			OtherLoadSec: 160.1, BesideSec: 13.1, BesideOverAlone: 13.1 / 12.5, BesideNoSchemaOverAlone: 1.07, BesideWritesOverAlone: 1.02,
			BesideSteps: []loader.Step{{Step: loader.StepRead, Seconds: 12.2}, {Step: loader.StepWait, Seconds: 0.75}, {Step: "schema", Seconds: 0.4}, {Step: "nodes", Seconds: 21.5}, {Step: "relationships", Seconds: 122.3}, {Step: "commit", Seconds: 0.9}}})
	}
	return rep
}

// Reports merged from runs made apart keep every measurement of each: the reloads, the
// load beside another dataset, the curated seeds' and the bulk path's.
func TestMergeKeepsEveryMeasurement(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 16, 31, 0, 0, time.UTC)
	big := report(t0.Add(time.Hour), 1000000)
	big.Bulk = &Bulk{Size: 10000000, Records: 11230000, Bytes: 2e9, Files: 1123, CSVBytes: 1.5e9,
		Steps:     []BulkStep{{Step: "gen", Seconds: 60, PeakRSSMB: 32}, {Step: "neo4j-admin import", Seconds: 300}, {Step: "load", Seconds: 200, PeakRSSMB: 450}},
		LoadSteps: []loader.Step{{Step: loader.StepRead, Seconds: 120}}}
	small := report(t0, 10000, 100000)
	small.Curated = &Curated{Records: 397, ColdSeconds: 6.61, WarmSeconds: 2.4}
	dir := t.TempDir()
	var files []string
	for i, r := range []Report{big, small} {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, []string{"big.json", "small.json"}[i])
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out := filepath.Join(dir, "merged.json")
	if err := mergeReports(files, out, ""); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got Report
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if !got.Started.Equal(t0) {
		t.Errorf("started %v, want the earliest, %v", got.Started, t0)
	}
	if len(got.Extras) != 3 || got.Extras[0].Size != 10000 || got.Extras[2].Size != 1000000 {
		t.Fatalf("extras %+v, want 10k, 100k, 1M", got.Extras)
	}
	for _, ex := range got.Extras {
		if ex.RestartNoopSec != 0.81 || len(ex.RestartNoopSteps) != 3 || ex.BesideSec != 13.1 || ex.OtherLoadSec != 160.1 ||
			ex.BesideWritesOverAlone != 1.02 || ex.BesideNoSchemaOverAlone != 1.07 || len(ex.BesideSteps) != 6 || len(ex.LoadSteps) != 5 {
			t.Errorf("%d: lost a measurement: %+v", ex.Size, ex)
		}
	}
	if got.Bulk == nil || len(got.Bulk.Steps) != 3 || got.Bulk.Steps[2].PeakRSSMB != 450 || got.Bulk.CSVBytes != 1.5e9 {
		t.Errorf("bulk %+v, want the big run's", got.Bulk)
	}
	if got.Curated == nil || got.Curated.ColdSeconds != 6.61 {
		t.Errorf("curated %+v, want the small run's", got.Curated)
	}
}

// The printed tables fit 100 columns at the largest sizes, and show the new arms.
func TestTableFits100Columns(t *testing.T) {
	rep := report(time.Now(), 10000, 10000000)
	rep.Curated = &Curated{Records: 397, ColdSeconds: 6.61, WarmSeconds: 2.4,
		ColdSteps: []loader.Step{{Step: loader.StepRead, Seconds: 0.04}, {Step: loader.StepWait, Seconds: 0.75}, {Step: "schema", Seconds: 3.22}, {Step: "nodes", Seconds: 0.56}, {Step: "relationships", Seconds: 1.12}, {Step: "commit", Seconds: 0.83}}}
	rep.Bulk = &Bulk{Size: 10000000, Records: 11230000, Bytes: 2e9, Files: 1123, CSVBytes: 1.5e9,
		Steps:     []BulkStep{{Step: "gen", Seconds: 60, PeakRSSMB: 32}, {Step: "neo4j-admin import", Seconds: 300}, {Step: "load", Seconds: 200, PeakRSSMB: 450}},
		LoadSteps: rep.Curated.ColdSteps}
	var buf bytes.Buffer
	printTable(&buf, &rep)
	text := buf.String()
	for i, line := range strings.Split(text, "\n") {
		if len(line) > 100 {
			t.Errorf("line %d: %d columns: %s", i+1, len(line), line)
		}
	}
	for _, want := range []string{"16770.2 (from 4018)", "c' LOAD CSV concurrent", "after a restart s", "0.81", "beside/alone", "1.05", "1.07", "1.02", "13.1", "n/a (not the CLI)", "450", "hash the files 0.27 s"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the table:\n%s", want, text)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Log("\n" + text)
	}
}

// A report from before the new arms prints n/a for them, not zeros.
func TestOldReportPrintsNotMeasured(t *testing.T) {
	rep := report(time.Now(), 10000)
	ex := &rep.Extras[0]
	ex.RestartNoopSec, ex.RestartNoopSteps, ex.OtherLoadSec, ex.BesideSec, ex.BesideOverAlone, ex.BesideWritesOverAlone, ex.BesideSteps = 0, nil, 0, 0, 0, 0, nil
	var buf bytes.Buffer
	printTable(&buf, &rep)
	if text := buf.String(); strings.Contains(text, "beside/alone") || strings.Contains(text, "after a restart,") || !strings.Contains(text, "n/a") {
		t.Errorf("want no beside table, no restart steps and n/a after a restart:\n%s", text)
	}
}
