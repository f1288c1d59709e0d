// Command bench loads the same generated datasets into one Neo4j server of its own,
// five ways, and prints a table: (a) backchannel load; (b) naive, one auto-commit MERGE
// per record; (c) LOAD CSV with CALL { } IN TRANSACTIONS over the same data as CSV;
// (c') the same with IN CONCURRENT TRANSACTIONS (Neo4j 5.21+), the fair upper bound of
// an online load inside the server; (d) neo4j-admin database import full into the
// stopped server's database. Beside them:
// a no-op reload, a plan with one changed record, validate's MB/s and the CLI's peak
// RSS. Each way starts from an empty database (the server is stopped, its database
// deleted, and started again).
//
//	go run ./bench -sizes 10000,100000,1000000 -json docs/performance.json -chart docs/performance.png
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
}

// Report is a whole run.
type Report struct {
	Started time.Time `json:"started"`
	Machine string    `json:"machine"`
	Runs    []Run     `json:"runs"`
	Extras  []Extra   `json:"extras"`
	Curated *Curated  `json:"curated,omitempty"`
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
	if err := run(*sizes, *work, *home, *bolt, *http, *heap, *pagecache, *naiveCap, *capAll, *jsonOut, *chartOut); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(sizeList, work, home string, bolt, http int, heap, pagecache string, naiveCap, capAll time.Duration, jsonOut, chartOut string) (err error) {
	var sizes []int
	for _, s := range strings.Split(sizeList, ",") {
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
	if work == "" {
		if work, err = os.MkdirTemp("", "backchannel-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	home, _ = filepath.Abs(home)
	b := &bench{root: root, work: work, home: home, naiveCap: naiveCap, cap: capAll, log: os.Stderr,
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
	rep := &Report{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if rep.Started.IsZero() || r.Started.Before(rep.Started) {
			rep.Started = r.Started
		}
		rep.Machine = r.Machine
		if r.Curated != nil {
			rep.Curated = r.Curated
		}
		rep.Runs = append(rep.Runs, r.Runs...)
		rep.Extras = append(rep.Extras, r.Extras...)
	}
	slices.SortStableFunc(rep.Extras, func(a, b Extra) int { return a.Size - b.Size })
	slices.SortStableFunc(rep.Runs, func(a, b Run) int { return a.Size - b.Size })
	if err := output(rep, jsonOut, ""); err != nil || chartOut == "" {
		return err
	}
	return output(rep, "", chartOut)
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
	d, err = b.loadCSV(exp, false)
	done = records
	if errors.Is(err, errCapped) {
		done, err = b.count()
	}
	if err != nil {
		return nil, ex, err
	}
	add(wayLoadCSV, d, done)

	// (c'): the same files, the same statements, IN CONCURRENT TRANSACTIONS.
	if err := b.fresh(); err != nil {
		return nil, ex, err
	}
	d, err = b.loadCSV(exp, true)
	done = records
	if errors.Is(err, errCapped) {
		done, err = b.count()
	}
	if err != nil {
		return nil, ex, err
	}
	add(wayLoadCSVConcurrent, d, done)

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
// the constraints. The database is empty, so it CREATEs, as load does on a first load:
// MERGE would make it check for a relationship that cannot be there. Concurrent runs
// each statement's transactions IN CONCURRENT TRANSACTIONS (Neo4j 5.21+: as many at
// once as the server has cores), files still one after the other, nodes first; a
// deadlock between two of them fails the statement (5.26 has no ON ERROR RETRY), and
// the run with it.
func (b *bench) loadCSV(exp *loader.ExportResult, concurrent bool) (time.Duration, error) {
	start := time.Now()
	if err := b.constraints(); err != nil {
		return 0, err
	}
	v := schema.Default()
	in := "IN TRANSACTIONS OF 1000 ROWS"
	if concurrent {
		in = "IN CONCURRENT TRANSACTIONS OF 1000 ROWS"
	}
	var sts []string
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
			sts = append(sts, fmt.Sprintf("LOAD CSV WITH HEADERS FROM '%s' AS row CALL (row) { CREATE (n:`%s` {id: row.`id:ID`}) SET n += {%s} } %s",
				from, strings.Join(f.Labels, "`:`"), strings.Join(sets, ", "), in))
			continue
		}
		t := v.Type(f.Group)
		sts = append(sts, fmt.Sprintf("LOAD CSV WITH HEADERS FROM '%s' AS row CALL (row) { MATCH (a:`%s` {id: row.`:START_ID`}) MATCH (b:`%s` {id: row.`:END_ID`}) CREATE (a)-[r:`%s` {id: row.id}]->(b) SET r += {%s} } %s",
			from, commonLabel(v, t.FromKinds()), commonLabel(v, t.ToKinds()), f.Group, strings.Join(sets, ", "), in))
	}
	ctx := context.Background()
	if b.cap > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.cap-time.Since(start))
		defer cancel()
	}
	err := b.execCtx(ctx, sts...)
	d := time.Since(start)
	if ctx.Err() != nil {
		// Stop the statement on the server too, then count what committed.
		return d, errors.Join(errCapped, b.terminateLoadCSV())
	}
	return d, err
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

// printTable prints the runs and the extras so far.
func printTable(w io.Writer, rep *Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rels\tway\trecords\tseconds\trecords/s\ta/x\t")
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
					fmt.Fprintf(tw, "%d\t%s\t%d\tnothing within the cap\tn/a\tn/a\t\n", r.Size, r.Way, r.Records)
					continue
				}
				note := ""
				if r.Extrapolated {
					note = fmt.Sprintf(" (extrapolated from %d)", r.Measured)
				}
				ratio := "n/a"
				if a > 0 {
					ratio = fmt.Sprintf("%.2f", a/r.RecordsPerSec)
				}
				fmt.Fprintf(tw, "%d\t%s\t%d\t%.1f%s\t%.0f\t%s\t\n", r.Size, r.Way, r.Records, r.Seconds, note, r.RecordsPerSec, ratio)
			}
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rels\tMB\tload: read+validate s\tno-op reload s\t% of load\tplan 1 change s\tload 1 change s\tvalidate MB/s\tload RSS MB\tvalidate RSS MB\t")
	for _, ex := range rep.Extras {
		load := 0.0
		for _, r := range rep.Runs {
			if r.Size == ex.Size && r.Way == wayLoad {
				load = r.Seconds
			}
		}
		noop, pct, plan, one, read := "n/a", "n/a", "n/a", "n/a", "n/a"
		if ex.LoadReadSec >= 0 {
			read = fmt.Sprintf("%.2f", ex.LoadReadSec)
		}
		if ex.NoopReloadSec >= 0 {
			noop, pct, plan = fmt.Sprintf("%.2f", ex.NoopReloadSec), fmt.Sprintf("%.1f%%", 100*ex.NoopReloadSec/load), fmt.Sprintf("%.2f", ex.PlanOneChangeSec)
		}
		if ex.LoadOneChangeSec >= 0 {
			one = fmt.Sprintf("%.2f", ex.LoadOneChangeSec)
		}
		fmt.Fprintf(tw, "%d\t%.1f\t%s\t%s\t%s\t%s\t%s\t%.1f\t%.0f\t%.0f\t\n", ex.Size, float64(ex.Bytes)/1e6, read, noop, pct, plan, one, ex.ValidateMBps, ex.LoadRSSMB, ex.ValidateRSSMB)
	}
	tw.Flush()
	fmt.Fprintln(w)
	if c := rep.Curated; c != nil {
		fmt.Fprintf(w, "curated seeds, first load into an empty database, constraints included (%d records): %.2f s on a server just started (%s), %.2f s on a warm one (%s)\n\n", c.Records, c.ColdSeconds, stepsOf(c.ColdSteps), c.WarmSeconds, stepsOf(c.WarmSteps))
	}
}
