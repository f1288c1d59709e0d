package cli

import (
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestHelpMatchesREADME: every command has a row in the README's CLI table, and every
// row names a real command whose flags it lists exist, so that `backchannel help` and
// the README say the same (issue 12 item 5).
func TestHelpMatchesREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile("(?m)^\\| `backchannel ([^`]*)`").FindAllStringSubmatch(string(readme), -1)
	app := newApp(&state{}, io.Discard, io.Discard, nil)
	var documented []string
	for _, row := range rows {
		words := strings.Fields(row[1])
		if words[0] == "help" {
			continue // urfave/cli's own, added when the app runs
		}
		cmd := find(app.Commands, strings.Split(words[0], "\\|")[0])
		if cmd == nil {
			t.Errorf("README row %q: no command %q", row[1], words[0])
			continue
		}
		documented = append(documented, cmd.Name)
		for _, flag := range regexp.MustCompile(`--[a-z-]+`).FindAllString(row[1], -1) {
			if !hasFlag(cmd, strings.TrimPrefix(flag, "--")) {
				t.Errorf("README row %q: %s has no flag %s", row[1], cmd.Name, flag)
			}
		}
	}
	for _, cmd := range app.Commands {
		if !slices.Contains(documented, cmd.Name) {
			t.Errorf("command %q has no row in the README's CLI table", cmd.Name)
		}
	}
}

func find(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// hasFlag reports whether cmd, one of its subcommands, or the app declares the flag.
func hasFlag(cmd *cli.Command, name string) bool {
	if name == "help" || name == "version" || slices.ContainsFunc(connectionFlags(), func(f cli.Flag) bool { return slices.Contains(f.Names(), name) }) {
		return true
	}
	for _, f := range cmd.Flags {
		if slices.Contains(f.Names(), name) {
			return true
		}
	}
	return slices.ContainsFunc(cmd.Subcommands, func(sub *cli.Command) bool { return hasFlag(sub, name) })
}
