// Command bench loads the same generated datasets into one Neo4j server of its own,
// five ways, and prints a table: (a) backchannel load; (b) naive, one auto-commit MERGE
// per record; (c) LOAD CSV with CALL { } IN TRANSACTIONS over the same data as CSV;
// (c') the same with IN CONCURRENT TRANSACTIONS (Neo4j 5.21+), the fair upper bound of
// an online load inside the server; (d) neo4j-admin database import full into the
// stopped server's database. Beside them: a no-op reload, a plan and a load with one
// changed record, a no-op reload after a server restart, (a) again beside another
// dataset of the same size, validate's MB/s and the CLI's peak RSS. Each way starts
// from an empty database (the server is stopped, its database deleted, and started
// again). With -bulk N, the bulk path of the README on N relationships after them.
//
//	go run ./bench -sizes 10000,100000,1000000 -json docs/performance.json -chart docs/performance.png
//	go run ./bench -sizes '' -bulk 10000000 -json bulk.json
//
// The server is scripts/neo4j with its own home and ports (flags below), so a
// development server is never touched.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/gen"
	"github.com/backchannel/backchannel/loader"
	"github.com/backchannel/backchannel/schema"
)

// Way names a way of loading.
const (
	wayLoad    = "a backchannel load"
	wayNaive   = "b naive MERGE per record"
	wayLoadCSV = "c LOAD CSV IN TRANSACTIONS"
	// wayLoadCSVConcurrent is (c) with its transactions run concurrently, as many at
	// once as the server has cores (Neo4j's default).
	wayLoadCSVConcurrent = "c' LOAD CSV IN CONCURRENT TRANSACTIONS"
	wayAdmin             = "d neo4j-admin import"
)

var ways = []string{wayLoad, wayNaive, wayLoadCSV, wayLoadCSVConcurrent, wayAdmin}

// shortWays name the ways in the printed table, to keep it within 100 columns.
var shortWays = map[string]string{
	wayLoad:              "a backchannel load",
	wayNaive:             "b naive MERGE",
	wayLoadCSV:           "c LOAD CSV",
	wayLoadCSVConcurrent: "c' LOAD CSV concurrent",
	wayAdmin:             "d neo4j-admin import",
}

// waysRun are the letters of the ways to run (-ways).
var waysRun = "abcd"

// Run is one measurement.
type Run struct {
	Size          int     `json:"relationships"`
	Way           string  `json:"way"`
	Records       int     `json:"records"`
	Seconds       float64 `json:"seconds"`
	RecordsPerSec float64 `json:"recordsPerSecond"`
	// Extrapolated: the way ran on a prefix (Measured records) within the time cap,
	// and Seconds is extrapolated to all records.
	Extrapolated bool `json:"extrapolated,omitempty"`
	Measured     int  `json:"measured,omitempty"`
}

// Extra is what is measured beside the five ways, per size.
type Extra struct {
	Size             int     `json:"relationships"`
	Bytes            int64   `json:"bytes"`
	Files            int     `json:"files"`
	NoopReloadSec    float64 `json:"noopReloadSeconds"`
	PlanOneChangeSec float64 `json:"planOneChangeSeconds"`
	// LoadOneChangeSec is the load of the same change, after the plan; the files that
	// the plan and the load took from the last run's cache (all but the changed one,
	// when the shortcut works) are OneChangeReused.
	LoadOneChangeSec float64 `json:"loadOneChangeSeconds"`
	OneChangeReused  [2]int  `json:"oneChangeFilesReused"` // plan, load
	ValidateSec      float64 `json:"validateSeconds"`
	ValidateMBps     float64 `json:"validateMBps"`
	LoadRSSMB        float64 `json:"loadPeakRSSMB"`
	// LoadReadSec is the part of (a) spent reading and validating the files (its
	// "read and validate" step), which the other ways do not do; -1 when capped.
	LoadReadSec   float64 `json:"loadReadSeconds"`
	ValidateRSSMB float64 `json:"validatePeakRSSMB"`
	ExportSec     float64 `json:"exportSeconds"`
	// AOverC and AOverCPrime are (a)'s records/s over (c)'s and (c')'s (0: not run).
	AOverC      float64 `json:"aOverC,omitempty"`
	AOverCPrime float64 `json:"aOverCPrime,omitempty"`
	// LoadSteps are (a)'s steps (its Time: line).
	LoadSteps []loader.Step `json:"loadSteps,omitempty"`
	// LoadCSVSteps and LoadCSVConcurrentSteps are (c)'s and (c')'s: the schema, the
	// node files' statements, the relationship files'.
	LoadCSVSteps           []loader.Step `json:"loadCSVSteps,omitempty"`
	LoadCSVConcurrentSteps []loader.Step `json:"loadCSVConcurrentSteps,omitempty"`

	// RestartNoopSec is a no-op reload after a server restart: after the load of one
	// change, the server stopped and started (scripts/neo4j, as the bench starts it),
	// then the same files loaded again; RestartNoopSteps are its steps. 0: not measured.
	RestartNoopSec   float64       `json:"restartNoopReloadSeconds,omitempty"`
	RestartNoopSteps []loader.Step `json:"restartNoopReloadSteps,omitempty"`

	// BesideSec is (a)'s load again, the same files, into a database that holds
	// another dataset of the same size (gen seed 2, its IDs prefixed, loaded as its own
	// dataset first, OtherLoadSec), the server restarted between the two, so that the
	// measured load, like (a), runs on a server just started. BesideSteps are its
	// steps; BesideOverAlone is BesideSec over (a)'s seconds (target: at most 1.10).
	// (a) creates the schema and the load beside finds it made by the other load, so
	// BesideNoSchemaOverAlone is the same ratio with each load's schema step taken out,
	// and BesideWritesOverAlone that of the nodes and relationships steps alone (where
	// the lookups of ids the other dataset might hold are). 0: not measured.
	OtherLoadSec            float64       `json:"otherDatasetLoadSeconds,omitempty"`
	BesideSec               float64       `json:"besideSeconds,omitempty"`
	BesideSteps             []loader.Step `json:"besideSteps,omitempty"`
	BesideOverAlone         float64       `json:"besideOverAlone,omitempty"`
	BesideNoSchemaOverAlone float64       `json:"besideNoSchemaOverAlone,omitempty"`
	BesideWritesOverAlone   float64       `json:"besideWritesOverAlone,omitempty"`
}

// Bulk is the bulk path of the README, on one generated dataset (-bulk): gen,
// validate, export, neo4j-admin database import full into the stopped server, then one
// load of the same files (the constraints, and the proof that the graph matches).
type Bulk struct {
	Size    int   `json:"relationships"`
	Records int   `json:"records"`
	Bytes   int64 `json:"bytes"`
	Files   int   `json:"files"`
	// CSVBytes is the size of the export.
	CSVBytes int64      `json:"csvBytes"`
	Steps    []BulkStep `json:"steps"`
	// LoadSteps are the last step's (the load's Time: line).
	LoadSteps []loader.Step `json:"loadSteps"`
}

// BulkStep is one command of the bulk path: its wall time, and for the CLI its peak
// RSS (0 for neo4j-admin, a JVM, not the CLI).
type BulkStep struct {
	Step      string  `json:"step"`
	Seconds   float64 `json:"seconds"`
	PeakRSSMB float64 `json:"peakRSSMB,omitempty"`
}

// Report is a whole run.
type Report struct {
	Started time.Time `json:"started"`
	Machine string    `json:"machine"`
	Runs    []Run     `json:"runs"`
	Extras  []Extra   `json:"extras"`
	Curated *Curated  `json:"curated,omitempty"`
	Bulk    *Bulk     `json:"bulk,omitempty"`
}

// Curated is the first load of the curated seeds into an empty database, constraints
// included, end to end (the CLI's process): on a server just started, whose first
// statements the JVM has not compiled yet, and on one that has run a load before
// (everything deleted, constraints and indexes dropped).
type Curated struct {
	Records     int     `json:"records"`
	ColdSeconds float64 `json:"coldServerSeconds"`
	WarmSeconds float64 `json:"warmServerSeconds"`
	// ColdSteps and WarmSteps are where each load's time went (its Time: line).
	ColdSteps []loader.Step `json:"coldServerSteps"`
	WarmSteps []loader.Step `json:"warmServerSteps"`
}

type bench struct {
	root, bin, work, home string
	keep                  bool // -work given: keep the generated files
	env                   []string
	uri, password         string
	naiveCap, cap         time.Duration
	log                   io.Writer
}

func main() {
	sizes := flag.String("sizes", "10000,100000", "relationship counts, comma-separated")
	work := flag.String("work", "", "folder for generated data (default: a temporary one, deleted after)")
	home := flag.String("home", ".neo4j/bench", "the benchmark server's home (deleted and recreated per way)")
	bolt := flag.Int("bolt", 7753, "the benchmark server's Bolt port")
	http := flag.Int("http", 7453, "the benchmark server's HTTP port")
	heap := flag.String("heap", "2g", "the benchmark server's heap")
	pagecache := flag.String("pagecache", "1g", "the benchmark server's page cache")
	naiveCap := flag.Duration("naive-cap", 60*time.Second, "time cap of the naive way; past it, the rest is extrapolated")
	capAll := flag.Duration("cap", 0, "time cap of ways a and c (0: none): past it the way is stopped, the records in the graph counted, and its time extrapolated; the no-op reload and the plan are then not measured")
	jsonOut := flag.String("json", "", "write the results as JSON to this file")
	chartOut := flag.String("chart", "", "write a PNG chart of records/s against size to this file")
	only := flag.String("ways", "abcd", "abcd, or a: only backchannel load and the extras that go with it")
	bulk := flag.Int("bulk", 0, "also run the bulk path on this many relationships (gen, validate, export, neo4j-admin import, load), after the sizes; 0: not (10000000 takes an hour or more and about 30 GB of disk, checked first)")
	merge := flag.String("merge", "", "run nothing: merge these comma-separated JSON reports (of runs made apart), print the table, and write -json and -chart")
	flag.Parse()
	if *merge != "" {
		if err := mergeReports(strings.Split(*merge, ","), *jsonOut, *chartOut); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if waysRun = *only; waysRun != "a" && waysRun != "abcd" {
		fmt.Fprintln(os.Stderr, "bench: -ways: abcd or a")
		os.Exit(2)
	}
	if err := run(*sizes, *work, *home, *bolt, *http, *heap, *pagecache, *naiveCap, *capAll, *bulk, *jsonOut, *chartOut); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(sizeList, work, home string, bolt, http int, heap, pagecache string, naiveCap, capAll time.Duration, bulk int, jsonOut, chartOut string) (err error) {
	var sizes []int
	for _, s := range strings.Split(sizeList, ",") {
		if strings.TrimSpace(s) == "" && bulk > 0 {
			continue // -sizes '' -bulk N: the bulk path alone
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes: %q is not a positive number", s)
		}
		sizes = append(sizes, n)
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "scripts", "neo4j")); err != nil {
		return errors.New("run it from the repository's root (go run ./bench)")
	}
	keep := work != ""
	if work == "" {
		if work, err = os.MkdirTemp("", "backchannel-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	home, _ = filepath.Abs(home)
	b := &bench{root: root, work: work, keep: keep, home: home, naiveCap: naiveCap, cap: capAll, log: os.Stderr,
		uri: fmt.Sprintf("bolt://127.0.0.1:%d", bolt), password: "backchannel-bench"}
	b.env = append(os.Environ(),
		"BACKCHANNEL_NEO4J_HOME="+home, "NEO4J_BOLT_PORT="+strconv.Itoa(bolt), "NEO4J_HTTP_PORT="+strconv.Itoa(http),
		"NEO4J_HEAP="+heap, "NEO4J_PAGECACHE="+pagecache, "NEO4J_PASSWORD="+b.password,
		"NEO4J_URI="+b.uri, "NEO4J_USERNAME=neo4j", "NEO4J_DATABASE=neo4j",
		"XDG_CACHE_HOME="+filepath.Join(work, "cache")) // the CLI's cache of validated files: the bench's own
	b.bin = filepath.Join(work, "backchannel")
	if out, err := exec.Command("go", "build", "-o", b.bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	defer func() { err = errors.Join(err, b.script("stop")) }()
	rep := &Report{Started: time.Now().UTC(), Machine: machine()}
	if rep.Curated, err = b.curated(); err != nil {
		return fmt.Errorf("the curated seeds: %w", err)
	}
	for _, size := range sizes {
		runs, extra, err := b.size(size)
		if err != nil {
			return fmt.Errorf("%d relationships: %w", size, err)
		}
		rep.Runs = append(rep.Runs, runs...)
		rep.Extras = append(rep.Extras, extra)
		// The table and the JSON after each size, so that a long run's first sizes are
		// kept; the chart at the end.
		if err := output(rep, jsonOut, ""); err != nil {
			return err
		}
	}
	if bulk > 0 {
		if rep.Bulk, err = b.bulk(bulk); err != nil {
			return fmt.Errorf("the bulk path at %d relationships: %w", bulk, err)
		}
		if err := output(rep, jsonOut, ""); err != nil {
			return err
		}
	}
	if chartOut == "" {
		return nil
	}
	return output(rep, "", chartOut)
}

// output prints the table and writes the JSON report and the chart, where asked.
func output(rep *Report, jsonOut, chartOut string) error {
	if chartOut == "" {
		printTable(os.Stdout, rep)
	}
	if jsonOut != "" {
		data, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(jsonOut, append(data, '\n'), 0o644); err != nil {
			return err
		}
	}
	if chartOut != "" {
		return writeChart(chartOut, rep)
	}
	return nil
}

// mergeReports joins reports of runs made apart (say, one size per run), by size.
func mergeReports(files []string, jsonOut, chartOut string) error {
	var reps []Report
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		reps = append(reps, r)
	}
	rep := merge(reps)
	if err := output(rep, jsonOut, ""); err != nil || chartOut == "" {
		return err
	}
	return output(rep, "", chartOut)
}

// merge joins reports: the earliest start, every run and extra sorted by size (each
// extra whole, with its reloads and its load beside another dataset), and the curated
// seeds' and the bulk path's measurement of the last report that has one.
func merge(reps []Report) *Report {
	rep := &Report{}
	for _, r := range reps {
		if rep.Started.IsZero() || r.Started.Before(rep.Started) {
			rep.Started = r.Started
		}
		rep.Machine = r.Machine
		if r.Curated != nil {
			rep.Curated = r.Curated
		}
		if r.Bulk != nil {
			rep.Bulk = r.Bulk
		}
		rep.Runs = append(rep.Runs, r.Runs...)
		rep.Extras = append(rep.Extras, r.Extras...)
	}
	slices.SortStableFunc(rep.Extras, func(a, b Extra) int { return a.Size - b.Size })
	slices.SortStableFunc(rep.Runs, func(a, b Run) int { return a.Size - b.Size })
	return rep
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "bench: %s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// size measures the five ways and the extras on a dataset of n relationships.
func (b *bench) size(n int) ([]Run, Extra, error) {
	dir := filepath.Join(b.work, fmt.Sprintf("data-%d", n))
	b.logf("generating %d relationships", n)
	st, err := gen.Write(dir, gen.Options{Relationships: n, Seed: 1})
	if err != nil {
		return nil, Extra{}, err
	}
	records := st.Records()
	ex := Extra{Size: n, Bytes: st.Bytes, Files: st.Files}
	var runs []Run
	add := func(way string, d time.Duration, measured int) {
		r := Run{Size: n, Way: way, Records: records, Seconds: d.Seconds()}
		if measured < records {
			r.Extrapolated, r.Measured = true, measured
			r.Seconds = d.Seconds() * float64(records) / float64(max(measured, 1))
		}
		r.RecordsPerSec = float64(records) / r.Seconds
		if r.Extrapolated && measured == 0 {
			// Nothing committed within the cap: nothing to extrapolate from.
			r.Seconds, r.RecordsPerSec = -1, 0
			b.logf("%d: %s: nothing committed within the cap", n, way)
		} else {
			b.logf("%d: %s: %.1f s (%.0f records/s)", n, way, r.Seconds, r.RecordsPerSec)
		}
		runs = append(runs, r)
	}

	// validate
	d, rss, err := b.cli("validate", dir)
	if err != nil {
		return nil, ex, err
	}
	ex.ValidateSec, ex.ValidateMBps, ex.ValidateRSSMB = d.Seconds(), float64(st.Bytes)/1e6/d.Seconds(), rss

	// (a), then the no-op reload and a plan with one change
	if err := b.fresh(); err != nil {
		return nil, ex, err
	}
	d, rss, out, err := b.cliOut(b.cap, "load", "--dataset", "bench", "--format", "json", dir)
	capped := errors.Is(err, errCapped)
	if err != nil && !capped {
		return nil, ex, err
	}
	done := records
	if capped {
		if done, err = b.count(); err != nil {
			return nil, ex, err
		}
	}
	add(wayLoad, d, done)
	ex.LoadRSSMB = rss
	ex.LoadReadSec = -1
	if !capped {
		var res loader.Result
		if err := json.Unmarshal(out, &res); err != nil {
			return nil, ex, fmt.Errorf("load's JSON: %w", err)
		}
		ex.LoadSteps = res.Steps
		for _, s := range res.Steps {
			if s.Step == loader.StepRead {
				ex.LoadReadSec = s.Seconds
			}
		}
	}
	ex.NoopReloadSec, ex.PlanOneChangeSec, ex.LoadOneChangeSec = -1, -1, -1 // not measured
	if !capped {
		if d, _, err = b.cli("load", "--dataset", "bench", dir); err != nil {
			return nil, ex, err
		}
		ex.NoopReloadSec = d.Seconds()
		changed, err := changeOne(dir, filepath.Join(b.work, fmt.Sprintf("changed-%d", n)))
		if err != nil {
			return nil, ex, err
		}
		d, _, out, err := b.cliOut(0, "plan", "--dataset", "bench", "--format", "json", changed)
		if err != nil {
			return nil, ex, err
		}
		var p loader.PlanResult
		if err := json.Unmarshal(out, &p); err != nil {
			return nil, ex, fmt.Errorf("plan's JSON: %w", err)
		}
		ex.PlanOneChangeSec, ex.OneChangeReused[0] = d.Seconds(), p.FilesReused
		if d, _, out, err = b.cliOut(b.cap, "load", "--dataset", "bench", "--format", "json", changed); err != nil {
			return nil, ex, err
		}
		var res loader.Result
		if err := json.Unmarshal(out, &res); err != nil {
			return nil, ex, fmt.Errorf("load's JSON: %w", err)
		}
		if res.Updated != 1 {
			return nil, ex, fmt.Errorf("the load of one change updated %d records, want 1", res.Updated)
		}
		ex.LoadOneChangeSec, ex.OneChangeReused[1] = d.Seconds(), res.FilesReused
		b.logf("%d: plan of one change %.2f s, load %.2f s (files taken from the last run: %d and %d of %d)", n, ex.PlanOneChangeSec, ex.LoadOneChangeSec, p.FilesReused, res.FilesReused, st.Files)
		if err := b.restartNoop(&ex, changed); err != nil {
			return nil, ex, err
		}
		if err := b.beside(&ex, dir, records, runs[0].Seconds); err != nil {
			return nil, ex, fmt.Errorf("the load beside another dataset: %w", err)
		}
	}
	if waysRun == "a" {
		return runs, ex, nil
	}

	// (b)
	if err := b.fresh(); err != nil {
		return nil, ex, err
	}
	d, done, err = b.naive(dir)
	if err != nil {
		return nil, ex, err
	}
	add(wayNaive, d, done)

	// (c): the CSV files go to the server's import folder; their writing is not timed.
	if err := b.fresh(); err != nil {
		return nil, ex, err
	}
	csvDir := filepath.Join(b.home, "import", "bench")
	_ = os.RemoveAll(csvDir)
	start := time.Now()
	exp, err := loader.Export(schema.PathInputs([]string{dir}), schema.Default(), "bench", csvDir)
	if err != nil {
		return nil, ex, err
	}
	ex.ExportSec = time.Since(start).Seconds()
	d, ex.LoadCSVSteps, err = b.loadCSV(exp, false)
	done = records
	if errors.Is(err, errCapped) {
		done, err = b.count()
	}
	if err != nil {
		return nil, ex, err
	}
	add(wayLoadCSV, d, done)
	b.logf("%d: %s: %s", n, shortWays[wayLoadCSV], stepsOf(ex.LoadCSVSteps))

	// (c'): the same files, the same statements, IN CONCURRENT TRANSACTIONS.
	if err := b.fresh(); err != nil {
		return nil, ex, err
	}
	d, ex.LoadCSVConcurrentSteps, err = b.loadCSV(exp, true)
	done = records
	if errors.Is(err, errCapped) {
		done, err = b.count()
	}
	if err != nil {
		return nil, ex, err
	}
	add(wayLoadCSVConcurrent, d, done)
	b.logf("%d: %s: %s", n, shortWays[wayLoadCSVConcurrent], stepsOf(ex.LoadCSVConcurrentSteps))

	// (d): the server stopped, its database replaced by the import.
	if err := b.script("stop"); err != nil {
		return nil, ex, err
	}
	start = time.Now()
	cmd := exec.Command(filepath.Join(b.root, "scripts", "neo4j"), "admin", "database", "import", "full", "neo4j", "@import.args")
	cmd.Env, cmd.Dir = b.env, csvDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, ex, fmt.Errorf("neo4j-admin import: %w\n%s", err, tail(out))
	}
	add(wayAdmin, time.Since(start), records)
	if err := b.script("start"); err != nil {
		return nil, ex, err
	}
	if got, err := b.count(); err != nil || got != records {
		return nil, ex, fmt.Errorf("after the import the graph holds %d records, want %d (%v)", got, records, err)
	}
	_ = os.RemoveAll(csvDir)
	ex.AOverC, ex.AOverCPrime = ratio(runs, wayLoadCSV), ratio(runs, wayLoadCSVConcurrent)
	return runs, ex, nil
}

// restartNoop stops and starts the server, then loads dir, the files of the last load,
// again: a no-op reload after a restart.
func (b *bench) restartNoop(ex *Extra, dir string) error {
	if err := b.restart(); err != nil {
		return err
	}
	d, _, out, err := b.cliOut(b.cap, "load", "--dataset", "bench", "--format", "json", dir)
	if err != nil {
		return fmt.Errorf("the no-op reload after a restart: %w", err)
	}
	var res loader.Result
	if err := json.Unmarshal(out, &res); err != nil {
		return fmt.Errorf("load's JSON: %w", err)
	}
	if res.Created+res.Updated+res.Deleted > 0 {
		return fmt.Errorf("the no-op reload after a restart created %d, updated %d and deleted %d records, want none", res.Created, res.Updated, res.Deleted)
	}
	ex.RestartNoopSec, ex.RestartNoopSteps = d.Seconds(), res.Steps
	b.logf("%d: no-op reload after a restart %.2f s (%s)", ex.Size, ex.RestartNoopSec, stepsOf(res.Steps))
	return nil
}

// restart stops the server and starts it again, its database kept.
func (b *bench) restart() error {
	if err := b.script("stop"); err != nil {
		return err
	}
	return b.script("start")
}

// otherSeed and otherPrefix make the other dataset of the load beside it: the same
// size, other relationships, no ID in common with the bench's.
const (
	otherSeed   = 2
	otherPrefix = "o-"
)

// beside loads dir (records records, whose load alone took alone seconds) into a
// database that holds another dataset of the same size: a fresh server, the other
// dataset loaded (dataset "other"), the server restarted so that the measured load
// runs on a server just started, as (a) does, then the load of dir as dataset
// "bench". Its database, unlike (a)'s, already has the constraints: the other load
// made them.
func (b *bench) beside(ex *Extra, dir string, records int, alone float64) error {
	otherDir := filepath.Join(b.work, fmt.Sprintf("other-%d", ex.Size))
	defer os.RemoveAll(otherDir)
	if _, err := gen.Write(otherDir, gen.Options{Relationships: ex.Size, Seed: otherSeed, IDPrefix: otherPrefix}); err != nil {
		return err
	}
	if err := b.fresh(); err != nil {
		return err
	}
	d, _, _, err := b.cliOut(b.cap, "load", "--dataset", "other", otherDir)
	if errors.Is(err, errCapped) {
		b.logf("%d: the other dataset's load stopped at the cap: the load beside it is not measured", ex.Size)
		return nil
	}
	if err != nil {
		return err
	}
	ex.OtherLoadSec = d.Seconds()
	if err := b.restart(); err != nil {
		return err
	}
	d, _, out, err := b.cliOut(b.cap, "load", "--dataset", "bench", "--format", "json", dir)
	if errors.Is(err, errCapped) {
		b.logf("%d: the load beside another dataset stopped at the cap: not measured", ex.Size)
		return nil
	}
	if err != nil {
		return err
	}
	var res loader.Result
	if err := json.Unmarshal(out, &res); err != nil {
		return fmt.Errorf("load's JSON: %w", err)
	}
	if res.Created != records || res.FilesReused != 0 {
		return fmt.Errorf("created %d records of %d, %d files taken from a cache: want every record created, every file read", res.Created, records, res.FilesReused)
	}
	ex.BesideSec, ex.BesideSteps = d.Seconds(), res.Steps
	r := besideRatios(alone, ex.LoadSteps, ex.BesideSec, ex.BesideSteps)
	ex.BesideOverAlone, ex.BesideNoSchemaOverAlone, ex.BesideWritesOverAlone = r.whole, r.noSchema, r.writes
	b.logf("%d: load beside another dataset %.1f s, alone %.1f s: %.2f, %.2f without the schema step, %.2f the writes (the other's load %.1f s; %s)", ex.Size, ex.BesideSec, alone, r.whole, r.noSchema, r.writes, ex.OtherLoadSec, stepsOf(res.Steps))
	return nil
}

// ratios are a load beside another dataset over the same load alone.
type ratios struct{ whole, noSchema, writes float64 }

// besideRatios compares the load beside another dataset with the load alone: whole (in
// seconds), without each one's schema step, and their writes (the nodes and
// relationships steps) alone; each 0 where a side has nothing to compare.
func besideRatios(alone float64, aloneSteps []loader.Step, beside float64, besideSteps []loader.Step) ratios {
	var r ratios
	over := func(b, a float64) float64 {
		if a > 0 && b > 0 {
			return b / a
		}
		return 0
	}
	r.whole = over(beside, alone)
	if len(aloneSteps) > 0 && len(besideSteps) > 0 {
		r.noSchema = over(beside-stepSeconds(besideSteps, "schema"), alone-stepSeconds(aloneSteps, "schema"))
	}
	r.writes = over(stepSeconds(besideSteps, "nodes", "relationships"), stepSeconds(aloneSteps, "nodes", "relationships"))
	return r
}

// stepSeconds sums a load's steps of those names.
func stepSeconds(steps []loader.Step, names ...string) float64 {
	sum := 0.0
	for _, s := range steps {
		if slices.Contains(names, s.Step) {
			sum += s.Seconds
		}
	}
	return sum
}

// The disk the bulk path takes per relationship, about 1.5 times what it took at 100k
// relationships: in the work folder the YAML (195 bytes), the CSV export (332) and the
// CLI's cache of the load (92); in the server's home the imported database with the
// load's indexes (1,325; the transaction logs were their preallocated 257 MiB).
const (
	bulkWorkBytes = 1000
	bulkHomeBytes = 2000
)

// bulk runs the README's bulk path on n generated relationships, each step one command
// as a user runs it: gen, validate, export, the server stopped and neo4j-admin database
// import full run in the export's folder, the server started, then one load of the same
// files, which creates the constraints and finds every record already there. The files
// and the imported database are deleted after, unless -work was given.
func (b *bench) bulk(n int) (*Bulk, error) {
	if err := checkDisk(b.work, int64(n)*bulkWorkBytes, b.home, int64(n)*bulkHomeBytes); err != nil {
		return nil, err
	}
	dir, csvDir := filepath.Join(b.work, fmt.Sprintf("bulk-%d", n)), filepath.Join(b.work, fmt.Sprintf("bulk-%d-export", n))
	_ = os.RemoveAll(dir)
	_ = os.RemoveAll(csvDir)
	if !b.keep {
		defer func() {
			_ = os.RemoveAll(dir)
			_ = os.RemoveAll(csvDir)
		}()
	}
	bk := &Bulk{Size: n}
	cli := func(step string, args ...string) ([]byte, error) {
		b.logf("bulk %d: %s", n, step)
		d, rss, out, err := b.cliOut(0, args...)
		if err != nil {
			return nil, err
		}
		bk.Steps = append(bk.Steps, BulkStep{Step: step, Seconds: d.Seconds(), PeakRSSMB: rss})
		b.logf("bulk %d: %s %.1f s, peak RSS %.0f MB", n, step, d.Seconds(), rss)
		return out, nil
	}
	out, err := cli("gen", "gen", "--relationships", strconv.Itoa(n), "--seed", "1", dir)
	if err != nil {
		return nil, err
	}
	// gen says "Wrote 27 records (3 sources, 14 nodes, 10 relationships) in 1 files, ..."
	var sources, nodes, rels int
	if _, err := fmt.Sscanf(string(out), "Wrote %d records (%d sources, %d nodes, %d relationships) in %d files", &bk.Records, &sources, &nodes, &rels, &bk.Files); err != nil {
		return nil, fmt.Errorf("gen's output %q: %w", out, err)
	}
	if bk.Bytes, err = du(dir); err != nil {
		return nil, err
	}
	if _, err := cli("validate", "validate", dir); err != nil {
		return nil, err
	}
	if _, err := cli("export", "export", "--dataset", "bench", csvDir, dir); err != nil {
		return nil, err
	}
	if bk.CSVBytes, err = du(csvDir); err != nil {
		return nil, err
	}
	if err := b.script("stop"); err != nil {
		return nil, err
	}
	b.logf("bulk %d: neo4j-admin import", n)
	start := time.Now()
	cmd := exec.Command(filepath.Join(b.root, "scripts", "neo4j"), "admin", "database", "import", "full", "neo4j", "@import.args")
	cmd.Env, cmd.Dir = b.env, csvDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("neo4j-admin import: %w\n%s", err, tail(out))
	}
	bk.Steps = append(bk.Steps, BulkStep{Step: "neo4j-admin import", Seconds: time.Since(start).Seconds()})
	if !b.keep {
		defer func() {
			if err := b.script("stop"); err == nil {
				for _, d := range []string{"databases/neo4j", "transactions/neo4j"} {
					_ = os.RemoveAll(filepath.Join(b.home, "data", d))
				}
			}
		}()
	}
	if err := b.script("start"); err != nil {
		return nil, err
	}
	if out, err = cli("load", "load", "--dataset", "bench", "--format", "json", dir); err != nil {
		return nil, err
	}
	var res loader.Result
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, fmt.Errorf("load's JSON: %w", err)
	}
	bk.LoadSteps = res.Steps
	if res.Created+res.Deleted > 0 || res.Records != bk.Records {
		return nil, fmt.Errorf("the load after the import read %d records of %d and created %d, deleted %d: want every record found", res.Records, bk.Records, res.Created, res.Deleted)
	}
	if got, err := b.count(); err != nil || got != bk.Records {
		return nil, fmt.Errorf("after the bulk path the graph holds %d records, want %d (%v)", got, bk.Records, err)
	}
	return bk, nil
}

// checkDisk says whether the file systems of work and home have room for the bytes
// each needs (both on one, for their sum).
func checkDisk(work string, workNeeds int64, home string, homeNeeds int64) error {
	var w, h syscall.Statfs_t
	if err := syscall.Statfs(work, &w); err != nil {
		return err
	}
	if err := syscall.Statfs(home, &h); err != nil {
		return err
	}
	check := func(dir string, fs syscall.Statfs_t, need int64) error {
		if free := int64(fs.Bavail) * int64(fs.Bsize); free < need {
			return fmt.Errorf("%s has %.1f GB free, and the bulk path needs about %.1f GB there", dir, float64(free)/1e9, float64(need)/1e9)
		}
		return nil
	}
	if w.Fsid == h.Fsid {
		return check(work+" (and "+home+")", w, workNeeds+homeNeeds)
	}
	return errors.Join(check(work, w, workNeeds), check(home, h, homeNeeds))
}

// du is the size of the files in dir.
func du(dir string) (int64, error) {
	var sum int64
	err := filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			sum += info.Size()
		}
		return err
	})
	return sum, err
}

// ratio is (a)'s records/s over way's, or 0 when either has none.
func ratio(runs []Run, way string) float64 {
	var a, x float64
	for _, r := range runs {
		switch r.Way {
		case wayLoad:
			a = r.RecordsPerSec
		case way:
			x = r.RecordsPerSec
		}
	}
	if a == 0 || x == 0 {
		return 0
	}
	return a / x
}

// fresh stops the server, deletes its database neo4j, and starts it: an empty
// database, with no constraints or indexes.
func (b *bench) fresh() error {
	if err := b.script("stop"); err != nil {
		return err
	}
	for _, d := range []string{"databases/neo4j", "transactions/neo4j"} {
		if err := os.RemoveAll(filepath.Join(b.home, "data", d)); err != nil {
			return err
		}
	}
	return b.script("start")
}

func (b *bench) script(arg string) error {
	cmd := exec.Command(filepath.Join(b.root, "scripts", "neo4j"), arg)
	cmd.Env = b.env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("scripts/neo4j %s: %w\n%s", arg, err, tail(out))
	}
	return nil
}

// cli runs the built CLI and returns its wall time and peak RSS in MB; a load is
// stopped at the -cap.
func (b *bench) cli(args ...string) (time.Duration, float64, error) {
	limit := time.Duration(0)
	if args[0] == "load" {
		limit = b.cap
	}
	d, rss, _, err := b.cliOut(limit, args...)
	return d, rss, err
}

// cliOut runs the CLI as cli does, stopped after limit (0: never), and returns its
// standard output too.
func (b *bench) cliOut(limit time.Duration, args ...string) (time.Duration, float64, []byte, error) {
	ctx := context.Background()
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, b.bin, args...)
	cmd.Env = b.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	rss := 0.0
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024 // kilobytes on Linux
	}
	if ctx.Err() != nil {
		return d, rss, nil, errCapped
	}
	if err != nil {
		return d, rss, nil, &cliError{args: args, err: err, stderr: stderr.String()}
	}
	return d, rss, stdout.Bytes(), nil
}

// errCapped says a way was stopped at the time cap.
var errCapped = errors.New("stopped at the time cap")

type cliError struct {
	args   []string
	err    error
	stderr string
}

func (e *cliError) Error() string {
	return fmt.Sprintf("backchannel %s: %v: %s", strings.Join(e.args, " "), e.err, strings.TrimSpace(e.stderr))
}

// changeOne links the dataset's files into a new folder but for the last, copied with
// one relationship's confidence changed.
func changeOne(dir, out string) (string, error) {
	_ = os.RemoveAll(out)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(names) == 0 {
		return "", fmt.Errorf("no files in %s", dir)
	}
	slices.Sort(names)
	for _, name := range names[:len(names)-1] {
		if err := os.Symlink(name, filepath.Join(out, filepath.Base(name))); err != nil {
			return "", err
		}
	}
	last := names[len(names)-1]
	data, err := os.ReadFile(last)
	if err != nil {
		return "", err
	}
	changed := bytes.Replace(data, []byte("confidence: high"), []byte("confidence: low"), 1)
	if bytes.Equal(changed, data) {
		return "", fmt.Errorf("%s: no relationship to change", last)
	}
	return out, os.WriteFile(filepath.Join(out, filepath.Base(last)), changed, 0o644)
}

// curated times the first load of the curated seeds into an empty database on a server
// just started, then again on the same server, emptied, its schema dropped.
func (b *bench) curated() (*Curated, error) {
	b.logf("the curated seeds: first load")
	if err := b.fresh(); err != nil {
		return nil, err
	}
	c := &Curated{}
	load := func() (float64, []loader.Step, error) {
		d, _, out, err := b.cliOut(0, "load", "--format", "json") // 300 records: never capped
		if err != nil {
			return 0, nil, err
		}
		var res loader.Result
		if err := json.Unmarshal(out, &res); err != nil {
			return 0, nil, fmt.Errorf("load's JSON: %w", err)
		}
		c.Records = res.Records
		return d.Seconds(), res.Steps, nil
	}
	var err error
	if c.ColdSeconds, c.ColdSteps, err = load(); err != nil {
		return nil, err
	}
	if err := b.exec("MATCH (n) DETACH DELETE n"); err != nil {
		return nil, err
	}
	if err := b.dropSchema(); err != nil {
		return nil, err
	}
	if c.WarmSeconds, c.WarmSteps, err = load(); err != nil {
		return nil, err
	}
	b.logf("the curated seeds: %d records, %.2f s on a server just started (%s), %.2f s on a warm one (%s)", c.Records, c.ColdSeconds, stepsOf(c.ColdSteps), c.WarmSeconds, stepsOf(c.WarmSteps))
	return c, nil
}

// stepsOf lists a load's steps and their seconds, as "schema 1.20 s, nodes 0.30 s".
func stepsOf(steps []loader.Step) string {
	var parts []string
	for _, s := range steps {
		parts = append(parts, fmt.Sprintf("%s %.2f s", s.Step, s.Seconds))
	}
	return strings.Join(parts, ", ")
}

// dropSchema drops every constraint and every index but the token lookup indexes.
func (b *bench) dropSchema() error {
	for _, q := range []struct{ show, drop string }{
		{"SHOW CONSTRAINTS YIELD name RETURN name", "DROP CONSTRAINT %s"},
		{"SHOW INDEXES YIELD name, type, owningConstraint WHERE type <> 'LOOKUP' AND owningConstraint IS NULL RETURN name", "DROP INDEX %s"},
	} {
		names, err := b.column(q.show)
		if err != nil {
			return err
		}
		var drops []string
		for _, name := range names {
			drops = append(drops, fmt.Sprintf(q.drop, schema.Quote(fmt.Sprint(name))))
		}
		if err := b.exec(drops...); err != nil {
			return err
		}
	}
	return nil
}

// column runs a query and returns its first column.
func (b *bench) column(query string) ([]any, error) {
	ctx := context.Background()
	d, err := b.driver()
	if err != nil {
		return nil, err
	}
	defer d.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, d, query, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		return nil, err
	}
	var out []any
	for _, r := range res.Records {
		out = append(out, r.Values[0])
	}
	return out, nil
}

func (b *bench) driver() (neo4j.DriverWithContext, error) {
	return neo4j.NewDriverWithContext(b.uri, neo4j.BasicAuth("neo4j", b.password, ""))
}

// exec runs statements one auto-commit transaction each.
func (b *bench) exec(statements ...string) error {
	return b.execCtx(context.Background(), statements...)
}

func (b *bench) execCtx(ctx context.Context, statements ...string) error {
	d, err := b.driver()
	if err != nil {
		return err
	}
	defer d.Close(context.WithoutCancel(ctx))
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j"})
	defer s.Close(context.WithoutCancel(ctx))
	for _, st := range statements {
		res, err := s.Run(ctx, st, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("%.80s: %w", st, err)
		}
	}
	return nil
}

func (b *bench) count() (int, error) {
	ctx := context.Background()
	d, err := b.driver()
	if err != nil {
		return 0, err
	}
	defer d.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, d, "RETURN COUNT { MATCH (n) WHERE NOT n:BackchannelRun } + COUNT { MATCH ()-[r]->() } AS n", nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	if err != nil {
		return 0, err
	}
	n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "n")
	return int(n), err
}

// constraints creates the schema's constraints and indexes, as (b) and (c) need them.
func (b *bench) constraints() error {
	var sts []string
	for _, c := range schema.Default().Constraints() {
		sts = append(sts, c.Cypher)
	}
	return b.exec(append(sts, "CALL db.awaitIndexes(300)")...)
}

// naive writes each record with its own auto-commit MERGE, as a first script would,
// until the time cap; it returns the time and the records written.
func (b *bench) naive(dir string) (time.Duration, int, error) {
	if err := b.constraints(); err != nil {
		return 0, 0, err
	}
	ctx := context.Background()
	d, err := b.driver()
	if err != nil {
		return 0, 0, err
	}
	defer d.Close(ctx)
	s := d.NewSession(ctx, neo4j.SessionConfig{DatabaseName: "neo4j"})
	defer s.Close(ctx)
	v := schema.Default()
	labels := map[string]string{} // node id -> its kind's first label, to find it by
	done := 0
	errCap := errors.New("time cap reached")
	start := time.Now()
	exec := func(cypher string, params map[string]any) error {
		res, err := s.Run(ctx, cypher, params)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		done++
		if err == nil && time.Since(start) > b.naiveCap {
			return errCap
		}
		return err
	}
	_, err = schema.Walk(schema.PathInputs([]string{dir}), func(r schema.Record) error {
		var g schema.GraphNode
		switch {
		case r.Source != nil:
			g = schema.SourceNodeOf(r.Source)
		case r.Node != nil:
			g = v.NodeOf(r.Node)
		default:
			rel := v.RelOf(r.Relationship)
			return exec(fmt.Sprintf("MATCH (a:`%s` {id: $from}) MATCH (b:`%s` {id: $to}) MERGE (a)-[r:`%s` {id: $id}]->(b) SET r = $props",
				labels[rel.From], labels[rel.To], rel.Type), map[string]any{"from": rel.From, "to": rel.To, "id": rel.ID, "props": loader.Properties(rel.Props, "bench")})
		}
		labels[g.ID] = g.Labels[0]
		return exec(fmt.Sprintf("MERGE (n:`%s` {id: $id}) SET n = $props", strings.Join(g.Labels, "`:`")), map[string]any{"id": g.ID, "props": loader.Properties(g.Props, "bench")})
	})
	if err != nil && !errors.Is(err, errCap) {
		return 0, done, err
	}
	return time.Since(start), done, nil
}

// loadCSV loads the exported files with LOAD CSV, one CALL { } IN TRANSACTIONS
// statement per file (auto-commit), after creating the constraints. Its time includes
// the constraints; its steps are the schema, the node files' statements and the
// relationship files'. The database is empty, so it CREATEs, as load does on a first load:
// MERGE would make it check for a relationship that cannot be there. Concurrent runs
// each statement's transactions IN CONCURRENT TRANSACTIONS (Neo4j 5.21+: as many at
// once as the server has cores), files still one after the other, nodes first; a
// deadlock between two of them fails the statement (5.26 has no ON ERROR RETRY), and
// the run with it.
func (b *bench) loadCSV(exp *loader.ExportResult, concurrent bool) (time.Duration, []loader.Step, error) {
	start := time.Now()
	var steps []loader.Step
	mark := start
	step := func(name string) {
		now := time.Now()
		steps = append(steps, loader.Step{Step: name, Seconds: now.Sub(mark).Seconds()})
		mark = now
	}
	if err := b.constraints(); err != nil {
		return 0, nil, err
	}
	step("schema")
	v := schema.Default()
	in := "IN TRANSACTIONS OF 1000 ROWS"
	if concurrent {
		in = "IN CONCURRENT TRANSACTIONS OF 1000 ROWS"
	}
	var nodes, rels []string
	for _, f := range exp.Files {
		var sets []string
		for _, c := range f.Columns {
			if c.Name == "id" && f.Record == loader.RecordNode {
				continue
			}
			sets = append(sets, fmt.Sprintf("`%s`: %s", c.Name, csvValue(c)))
		}
		from := "file:///bench/" + f.Name
		if f.Record == loader.RecordNode {
			nodes = append(nodes, fmt.Sprintf("LOAD CSV WITH HEADERS FROM '%s' AS row CALL (row) { CREATE (n:`%s` {id: row.`id:ID`}) SET n += {%s} } %s",
				from, strings.Join(f.Labels, "`:`"), strings.Join(sets, ", "), in))
			continue
		}
		t := v.Type(f.Group)
		rels = append(rels, fmt.Sprintf("LOAD CSV WITH HEADERS FROM '%s' AS row CALL (row) { MATCH (a:`%s` {id: row.`:START_ID`}) MATCH (b:`%s` {id: row.`:END_ID`}) CREATE (a)-[r:`%s` {id: row.id}]->(b) SET r += {%s} } %s",
			from, commonLabel(v, t.FromKinds()), commonLabel(v, t.ToKinds()), f.Group, strings.Join(sets, ", "), in))
	}
	ctx := context.Background()
	if b.cap > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.cap-time.Since(start))
		defer cancel()
	}
	err := b.execCtx(ctx, nodes...)
	step("nodes")
	if err == nil {
		err = b.execCtx(ctx, rels...)
		step("relationships")
	}
	d := time.Since(start)
	if ctx.Err() != nil {
		// Stop the statement on the server too, then count what committed.
		return d, steps, errors.Join(errCapped, b.terminateLoadCSV())
	}
	return d, steps, err
}

// terminateLoadCSV stops the LOAD CSV statements still running on the server.
func (b *bench) terminateLoadCSV() error {
	ids, err := b.column("SHOW TRANSACTIONS YIELD transactionId, currentQuery WHERE currentQuery STARTS WITH 'LOAD CSV' RETURN transactionId")
	if err != nil || len(ids) == 0 {
		return err
	}
	ctx := context.Background()
	d, err := b.driver()
	if err != nil {
		return err
	}
	defer d.Close(ctx)
	_, err = neo4j.ExecuteQuery(ctx, d, "TERMINATE TRANSACTIONS $ids", map[string]any{"ids": ids}, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase("neo4j"))
	return err
}

// csvValue converts a LOAD CSV cell back to the property's type.
func csvValue(c loader.Column) string {
	cell := "row.`" + c.Name
	if c.Type != "" {
		cell += ":" + c.Type
	}
	cell += "`"
	switch c.Type {
	case "string[]":
		return "split(" + cell + ", '\\u001f')"
	case "long":
		return "toInteger(" + cell + ")"
	case "double":
		return "toFloat(" + cell + ")"
	case "boolean":
		return "toBoolean(" + cell + ")"
	case "date":
		return "date(" + cell + ")"
	}
	return cell
}

// commonLabel is a label every kind carries (Actor), or the single kind's label.
func commonLabel(v *schema.Vocabulary, kinds []string) string {
	var common []string
	for i, k := range kinds {
		ls := v.Kind(k).Labels
		if i == 0 {
			common = slices.Clone(ls)
			continue
		}
		common = slices.DeleteFunc(common, func(l string) bool { return !slices.Contains(ls, l) })
	}
	if len(common) == 0 {
		return kinds[0]
	}
	return common[0]
}

func tail(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.Join(lines[max(0, len(lines)-15):], "\n")
}

// machine describes the machine: CPUs, memory, kernel.
func machine() string {
	cpu := ""
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		n := 0
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "model name") {
				n++
				cpu = strings.TrimSpace(strings.SplitN(l, ":", 2)[1])
			}
		}
		cpu = fmt.Sprintf("%d x %s", n, cpu)
	}
	mem := ""
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(strings.SplitN(string(data), "\n", 2)[0])
		if len(f) >= 2 {
			kb, _ := strconv.Atoi(f[1])
			mem = fmt.Sprintf("%.0f GiB", float64(kb)/(1<<20))
		}
	}
	return strings.TrimSpace(cpu + ", " + mem)
}

// printTable prints the runs and the extras so far, each table under 100 columns.
func printTable(w io.Writer, rep *Report) {
	if len(rep.Extras) > 0 {
		printSizes(w, rep)
	}
	if c := rep.Curated; c != nil {
		wrap(w, fmt.Sprintf("curated seeds, first load into an empty database, constraints included (%d records): %.2f s on a server just started (%s), %.2f s on a warm one (%s)", c.Records, c.ColdSeconds, stepsOf(c.ColdSteps), c.WarmSeconds, stepsOf(c.WarmSteps)))
		fmt.Fprintln(w)
	}
	if bk := rep.Bulk; bk != nil {
		printBulk(w, bk)
	}
}

// printSizes prints the tables of the sizes: the ways, validation and memory, the
// reloads, the load beside another dataset.
func printSizes(w io.Writer, rep *Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rels\tway\trecords\tseconds\trecords/s\ta/x\t")
	extrapolated := false
	for _, ex := range rep.Extras {
		var a float64
		for _, r := range rep.Runs {
			if r.Size == ex.Size && r.Way == wayLoad {
				a = r.RecordsPerSec
			}
		}
		for _, way := range ways {
			for _, r := range rep.Runs {
				if r.Size != ex.Size || r.Way != way {
					continue
				}
				if r.Seconds < 0 {
					fmt.Fprintf(tw, "%d\t%s\t%d\tnothing within the cap\tn/a\tn/a\t\n", r.Size, shortWays[r.Way], r.Records)
					continue
				}
				note := ""
				if r.Extrapolated {
					note, extrapolated = fmt.Sprintf(" (from %d)", r.Measured), true
				}
				ratio := "n/a"
				if a > 0 {
					ratio = fmt.Sprintf("%.2f", a/r.RecordsPerSec)
				}
				fmt.Fprintf(tw, "%d\t%s\t%d\t%.1f%s\t%.0f\t%s\t\n", r.Size, shortWays[r.Way], r.Records, r.Seconds, note, r.RecordsPerSec, ratio)
			}
		}
	}
	tw.Flush()
	if extrapolated {
		fmt.Fprintln(w, "(from N): extrapolated to every record from the N written within the time cap")
	}
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rels\tYAML MB\tfiles\tvalidate MB/s\tvalidate RSS MB\tload: read+validate s\tload RSS MB\t")
	for _, ex := range rep.Extras {
		fmt.Fprintf(tw, "%d\t%.1f\t%d\t%.1f\t%.0f\t%s\t%.0f\t\n", ex.Size, float64(ex.Bytes)/1e6, ex.Files, ex.ValidateMBps, ex.ValidateRSSMB, secs(ex.LoadReadSec, 2), ex.LoadRSSMB)
	}
	tw.Flush()
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rels\tno-op reload s\t% of load\tafter a restart s\tplan 1 change s\tload 1 change s\t")
	for _, ex := range rep.Extras {
		pct := "n/a"
		if load := loadSeconds(rep, ex.Size); ex.NoopReloadSec >= 0 && load > 0 {
			pct = fmt.Sprintf("%.1f%%", 100*ex.NoopReloadSec/load)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t\n", ex.Size, secs(ex.NoopReloadSec, 2), pct, secs(orNone(ex.RestartNoopSec), 2), secs(ex.PlanOneChangeSec, 2), secs(ex.LoadOneChangeSec, 2))
	}
	tw.Flush()
	for _, ex := range rep.Extras {
		if len(ex.RestartNoopSteps) > 0 {
			wrap(w, fmt.Sprintf("no-op reload after a restart, %d: %s", ex.Size, stepsOf(ex.RestartNoopSteps)))
		}
	}
	fmt.Fprintln(w)

	beside := false
	for _, ex := range rep.Extras {
		beside = beside || ex.BesideSec > 0
	}
	if beside {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "rels\t(a) alone s\tthe other s\t(a) beside it s\tbeside/alone\tno schema\twrites\t")
		for _, ex := range rep.Extras {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t\n", ex.Size, secs(orNone(loadSeconds(rep, ex.Size)), 1), secs(orNone(ex.OtherLoadSec), 1), secs(orNone(ex.BesideSec), 1),
				secs(orNone(ex.BesideOverAlone), 2), secs(orNone(ex.BesideNoSchemaOverAlone), 2), secs(orNone(ex.BesideWritesOverAlone), 2))
		}
		tw.Flush()
		wrap(w, "beside: (a) again into a database holding another dataset of the same size, the other, "+
			"loaded first (which made the schema), the server restarted between them; beside/alone: "+
			"the whole loads; no schema: each without its schema step; writes: their nodes and "+
			"relationships steps only")
		for _, ex := range rep.Extras {
			if ex.BesideSec > 0 {
				wrap(w, fmt.Sprintf("%d alone: %s", ex.Size, stepsOf(ex.LoadSteps)))
				wrap(w, fmt.Sprintf("%d beside: %s", ex.Size, stepsOf(ex.BesideSteps)))
			}
		}
		fmt.Fprintln(w)
	}

}

// printBulk prints the bulk path's steps.
func printBulk(w io.Writer, bk *Bulk) {
	wrap(w, fmt.Sprintf("bulk path, %d relationships (%d records): YAML %.1f MB, %d files; CSV %.1f MB", bk.Size, bk.Records, float64(bk.Bytes)/1e6, bk.Files, float64(bk.CSVBytes)/1e6))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\tseconds\tpeak RSS MB\t")
	for _, st := range bk.Steps {
		rss := "n/a (not the CLI)"
		if st.PeakRSSMB > 0 {
			rss = fmt.Sprintf("%.0f", st.PeakRSSMB)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%s\t\n", st.Step, st.Seconds, rss)
	}
	tw.Flush()
	wrap(w, "the bulk path's load: "+stepsOf(bk.LoadSteps))
	fmt.Fprintln(w)
}

// loadSeconds is (a)'s seconds at size n, 0 when not run.
func loadSeconds(rep *Report, n int) float64 {
	for _, r := range rep.Runs {
		if r.Size == n && r.Way == wayLoad {
			return r.Seconds
		}
	}
	return 0
}

// secs formats seconds (or a ratio) with prec decimals; a negative one, not measured,
// is n/a.
func secs(v float64, prec int) string {
	if v < 0 {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// orNone makes 0, which the fields that are omitted when empty hold when not measured
// (or in a report made before they were), negative: n/a to secs.
func orNone(v float64) float64 {
	if v == 0 {
		return -1
	}
	return v
}

// wrap prints text in lines of at most 100 columns, broken at spaces but never
// between a number and its unit (a word "s", "s," or "s)"), the lines after the first
// indented by two.
func wrap(w io.Writer, text string) {
	const width = 100
	var words []string
	for _, word := range strings.Fields(text) {
		if len(words) > 0 && strings.TrimRight(word, ",)") == "s" {
			words[len(words)-1] += " " + word
			continue
		}
		words = append(words, word)
	}
	line := ""
	for _, word := range words {
		if line != "" && len(line)+1+len(word) > width {
			fmt.Fprintln(w, line)
			line = "  " + word
			continue
		}
		if line == "" {
			line = word
		} else {
			line += " " + word
		}
	}
	if line != "" {
		fmt.Fprintln(w, line)
	}
}
