package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/backchannel/backchannel/internal/neo4jtest"
	"github.com/backchannel/backchannel/neo4jconn"
)

// TestSignals runs the built binary, as a user would, and stops it with SIGINT or
// SIGTERM: it must exit with 130 or 143 within a second, saying so in one line, and
// leave the graph as before (one transaction) or converging (batched).
func TestSignals(t *testing.T) {
	dir := t.TempDir()
	bin := builtBinary(t)
	data := filepath.Join(dir, "gen")
	out, err := exec.Command(bin, "gen", "-n", "500", data).CombinedOutput()
	if err != nil {
		t.Fatalf("backchannel gen: %v\n%s", err, out)
	}
	var records, sources, nodes, rels int64
	if _, err := fmt.Sscanf(string(out), "Wrote %d records (%d sources, %d nodes, %d relationships)", &records, &sources, &nodes, &rels); err != nil {
		t.Fatalf("backchannel gen said %q: %v", out, err)
	}

	const nodesOfGen = "MATCH (n) WHERE n.dataset = 'gen' AND NOT n:BackchannelRun RETURN count(n)"

	t.Run("SIGINT mid-load, one transaction: exit 130, nothing written", func(t *testing.T) {
		db := neo4jtest.Open(t)
		p := start(t, bin, append(connFlags(t), "load", "--progress", "--batch-size", "20", "--dataset", "gen", data)...)
		p.waitFor(t, "batch 3/")
		_, stderr := p.stop(t, syscall.SIGINT, exitInterrupted)
		lastLine(t, stderr, "backchannel: load \"gen\": ", "interrupted (SIGINT); nothing was written (the load is one transaction)")
		if n := count(t, db, nodesOfGen); n != 0 {
			t.Errorf("%d nodes of the dataset after the interrupted load, want none", n)
		}
	})

	t.Run("SIGINT mid-load, batched: exit 130, a rerun converges", func(t *testing.T) {
		db := neo4jtest.Open(t)
		args := append(connFlags(t), "load", "--progress", "--batch-size", "20", "--single-tx-limit", "0", "--dataset", "gen", data)
		p := start(t, bin, args...)
		p.waitFor(t, "batch 3/")
		_, stderr := p.stop(t, syscall.SIGINT, exitInterrupted)
		lastLine(t, stderr, "backchannel: load \"gen\": ", "interrupted (SIGINT); the ", " batches before it are committed: fix the cause and run the load again to converge")
		if n := count(t, db, nodesOfGen); n == 0 {
			t.Errorf("no node of the dataset committed before the signal, want the first batches")
		}

		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			t.Fatalf("the rerun: %v\n%s", err, out)
		}
		plan := exec.Command(bin, append(connFlags(t), "plan", "--detailed-exitcode", "--dataset", "gen", data)...)
		if out, err := plan.CombinedOutput(); err != nil {
			t.Errorf("plan after the rerun: %v (exit 2: changes pending)\n%s", err, out)
		}
		if n := count(t, db, nodesOfGen); n != sources+nodes {
			t.Errorf("%d nodes of the dataset after the rerun, want %d", n, sources+nodes)
		}
		if n := count(t, db, "MATCH ()-[r]->() WHERE r.dataset = 'gen' RETURN count(r)"); n != rels {
			t.Errorf("%d relationships of the dataset after the rerun, want %d", n, rels)
		}
	})

	t.Run("SIGTERM while connecting: exit 143", func(t *testing.T) {
		uri := silentServer(t)
		p := start(t, bin, "--uri", uri, "ping")
		time.Sleep(300 * time.Millisecond)
		_, stderr := p.stop(t, syscall.SIGTERM, exitTerminated)
		lastLine(t, stderr, "backchannel: terminated (SIGTERM)")
	})

	t.Run("SIGINT while validating: exit 130 within a second", func(t *testing.T) {
		big := filepath.Join(dir, "big")
		// A million relationships (200 MB): validate reads them at about 100 MB/s on two
		// idle cores, so a signal after 300 ms finds it working; 100k took 0.2 s.
		if out, err := exec.Command(bin, "gen", "-n", "1000000", big).CombinedOutput(); err != nil {
			t.Fatalf("backchannel gen: %v\n%s", err, out)
		}
		p := start(t, bin, "validate", big) // two seconds or more of work
		time.Sleep(300 * time.Millisecond)
		_, stderr := p.stop(t, syscall.SIGINT, exitInterrupted)
		lastLine(t, stderr, "backchannel: interrupted (SIGINT)")
	})

	t.Run("SIGINT to a command that does not stop on its own: cut short, exit 130 within a second", func(t *testing.T) {
		// gen writes its files without looking at the context: the signal handler
		// itself ends the process after its grace period.
		// A million relationships take gen about 0.6 s on an idle machine, under the grace:
		// fifty million (9 GB) keep it busy well past it; the handler ends it after the
		// grace, having written a few hundred MB.
		p := start(t, bin, "gen", "-n", "50000000", filepath.Join(dir, "huge"))
		time.Sleep(300 * time.Millisecond)
		took, stderr := p.stop(t, syscall.SIGINT, exitInterrupted)
		if took < stopGrace {
			t.Errorf("exit after %s, before the %s grace: the command stopped on its own", took, stopGrace)
		}
		lastLine(t, stderr, "backchannel: interrupted (SIGINT)")
	})
}

// proc is the binary running, with its stderr read line by line.
type proc struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr strings.Builder
	done   chan struct{}
}

func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), lines: make(chan string, 1024), done: make(chan struct{})}
	pipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); <-p.done })
	go func() {
		defer close(p.done)
		defer close(p.lines)
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			p.stderr.WriteString(sc.Text() + "\n")
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}()
	return p
}

// waitFor waits for a line of stderr that contains s.
func (p *proc) waitFor(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				<-p.done
				t.Fatalf("the command ended before printing %q:\n%s", s, p.stderr.String())
			}
			if strings.Contains(line, s) {
				return
			}
		case <-timeout:
			t.Fatalf("no %q on stderr after two minutes", s)
		}
	}
}

// stop sends sig and checks that the process exits with code want within a second; it
// returns how long the process took and all it wrote on stderr.
func (p *proc) stop(t *testing.T, sig syscall.Signal, want int) (time.Duration, string) {
	t.Helper()
	sent := time.Now()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("the command had ended before the signal (%v):\n%s", err, p.stderr.String())
	}
	for range p.lines { // drain, so that the reader reaches the end
	}
	err := p.cmd.Wait()
	took := time.Since(sent)
	<-p.done
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	code := p.cmd.ProcessState.ExitCode()
	t.Logf("exit %d %s after %s", code, sig, took)
	if code != want || took > time.Second {
		t.Fatalf("exit %d %s after %s, want %d within a second; stderr:\n%s", code, sig, took, want, p.stderr.String())
	}
	return took, p.stderr.String()
}

// lastLine checks that stderr's last line starts with prefix and contains the rest.
func lastLine(t *testing.T, stderr, prefix string, contains ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, prefix) {
		t.Errorf("last line of stderr = %q, want it to start with %q", last, prefix)
	}
	for _, c := range contains {
		if !strings.Contains(last, c) {
			t.Errorf("last line of stderr = %q, want it to contain %q", last, c)
		}
	}
}

// silentServer accepts connections and never answers: a command talking to it waits.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	return "bolt://" + l.Addr().String()
}

func count(t *testing.T, db *neo4jconn.DB, cypher string) int64 {
	t.Helper()
	res, err := neo4j.ExecuteQuery(context.Background(), db.Driver, cypher, nil, neo4j.EagerResultTransformer, neo4j.ExecuteQueryWithDatabase(db.Settings.Database))
	if err != nil {
		t.Fatalf("%s: %v", cypher, err)
	}
	n, _ := res.Records[0].Values[0].(int64)
	return n
}

// TestInterruptedCommandThatFinishesExitsAsInterrupted: a command that completes after
// SIGINT still exits 130 (a script must not take its output as complete), saying why.
func TestInterruptedCommandThatFinishesExitsAsInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(&interrupt{sig: syscall.SIGINT})
	var stdout, stderr strings.Builder
	code := Run(ctx, []string{"backchannel", "schema", "cypher"}, &stdout, &stderr)
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr: %s", code, exitInterrupted, stderr.String())
	}
	if got, want := stderr.String(), "backchannel: interrupted (SIGINT)\n"; got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
