package neo4jtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/backchannel/backchannel/neo4jconn"
)

// FaultServer is a throwaway server that fault tests may kill and restart. One is
// shared by the fault tests of a test binary, and a test holds it alone between
// Fault and its end; it is stopped by Main.
type FaultServer struct {
	srv  *throwaway
	conf []string // the extra neo4j.conf lines it runs with
	up   bool
	// Settings reach the server.
	Settings neo4jconn.Settings
}

var (
	faultMu     sync.Mutex
	faultServer *FaultServer
	faultErr    error
)

// Fault returns the shared fault server, running with exactly the extra neo4j.conf
// lines given (it is restarted when they differ), with an empty database. The test
// has it to itself until it ends. Starting it takes seconds; keep fault tests few.
func Fault(t testing.TB, conf ...string) *FaultServer {
	t.Helper()
	if !mainCalled {
		t.Fatal("neo4jtest: call neo4jtest.Main(m) from this package's TestMain")
	}
	faultMu.Lock()
	t.Cleanup(faultMu.Unlock)
	if faultServer == nil && faultErr == nil {
		var srv *throwaway
		srv, faultErr = startConfigured(func(srv *throwaway) {
			// Small: the fault tests load a few records.
			srv.env = append(srv.env, "NEO4J_HEAP=512m", "NEO4J_PAGECACHE=64m")
		}, conf)
		if faultErr == nil {
			faultServer = &FaultServer{srv: srv, conf: slices.Clone(conf), up: true, Settings: srv.settings()}
		}
	}
	if faultErr != nil {
		unavailable(t, faultErr)
	}
	s := faultServer
	if s.up && !slices.Equal(s.conf, conf) {
		s.Kill(t)
	}
	s.conf = slices.Clone(conf)
	if !s.up {
		s.Start(t)
	}
	db, err := neo4jconn.Open(t.Context(), s.Settings)
	if err != nil {
		t.Fatalf("neo4jtest: fault server: %v", err)
	}
	defer db.Close(t.Context())
	// With a low db.transaction.timeout, a server just started on a busy machine can
	// take longer than that to plan its first statements, which then time out: try
	// again while it warms up.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(500 * time.Millisecond) {
		err := Reset(t.Context(), db)
		if err == nil {
			break
		}
		if time.Now().After(deadline) || !strings.Contains(err.Error(), "TransactionTimedOut") {
			t.Fatalf("neo4jtest: emptying the fault server's database: %v", err)
		}
	}
	return s
}

// Start starts the server (again) and waits until Bolt answers; after a kill, Neo4j
// recovers its transaction log first.
func (s *FaultServer) Start(t testing.TB) {
	t.Helper()
	began := time.Now()
	s.srv.env = append(s.srv.env, "NEO4J_EXTRA_CONF="+strings.Join(s.conf, "\n"))
	if out, err := s.srv.runScript("start"); err != nil {
		t.Fatalf("neo4jtest: scripts/neo4j start: %v\n%s", err, out)
	}
	s.up = true
	t.Logf("neo4jtest: fault server started in %s", time.Since(began).Round(time.Millisecond))
}

// Kill sends SIGKILL to the server's JVM, as a crash or an OOM killer would, and
// waits until it is gone.
func (s *FaultServer) Kill(t testing.TB) {
	t.Helper()
	pidfile := filepath.Join(s.srv.home, "run", "backchannel-neo4j.pid")
	b, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatalf("neo4jtest: the fault server's pid: %v", err)
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b)))
	if err != nil {
		t.Fatalf("neo4jtest: the fault server's pid file %s: %v", pidfile, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("neo4jtest: kill -9 %d: %v", pid, err)
	}
	// The JVM's main thread turns zombie before its other threads have let go of the
	// ports: wait for both.
	for deadline := time.Now().Add(30 * time.Second); alive(pid) || listening(s.srv.boltPort) || listening(s.srv.httpPort); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("neo4jtest: pid %d or its ports still alive 30s after SIGKILL", pid)
		}
	}
	s.up = false
}

// alive reports whether pid runs: it exists and is not a zombie awaiting its reaper.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	// The state follows the command name, which is in parentheses.
	_, after, _ := bytes.Cut(stat, []byte(") "))
	return len(after) > 0 && after[0] != 'Z'
}

func listening(port int) bool {
	c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

func stopFaultServer() error {
	if faultServer == nil {
		return nil
	}
	if err := faultServer.srv.stop(); err != nil {
		return fmt.Errorf("fault server: %w", err)
	}
	return nil
}
