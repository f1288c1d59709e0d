package cli

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	binDir    string // made by TestMain, removed after the tests
	buildOnce sync.Once
	built     string
	buildErr  error
)

// builtBinary builds backchannel as a user does, once for the tests that run it (the
// first to ask builds it), with the version v9.9.9-test set by -ldflags.
func builtBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		bin := filepath.Join(binDir, "backchannel")
		out, err := exec.Command("go", "build", "-ldflags", "-X github.com/backchannel/backchannel/internal/cli.version=v9.9.9-test", "-o", bin, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		built = bin
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return built
}

// TestBuiltBinary runs backchannel built as a user does, with a version set by -ldflags
// (builtBinary): what in-process tests cannot reach (main, os.Exit with the exit code, the
// version stamped at build time).
func TestBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the binary")
	}
	bin := builtBinary(t)
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--version"}, exitOK, "backchannel v9.9.9-test"},
		{[]string{"version"}, exitOK, "backchannel v9.9.9-test"},
		{[]string{"validate", "--strict"}, exitOK, "0 errors, 0 warnings in 5 files"},
		{[]string{"frobnicate"}, exitUsage, `backchannel: unknown command "frobnicate"`},
		{[]string{"--uri", "bolt://127.0.0.1:1", "ping"}, exitUnreachable, "backchannel: cannot reach Neo4j at bolt://127.0.0.1:1"},
	} {
		cmd := exec.Command(bin, tc.args...)
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.HasPrefix(string(out), tc.out) {
			t.Errorf("backchannel %s: exit %d, output %q; want exit %d, %q", strings.Join(tc.args, " "), code, out, tc.code, tc.out)
		}
	}
}
