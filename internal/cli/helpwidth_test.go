package cli

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestHelpFits100Columns: the program's help, every command's and subcommand's, and
// query list fit 100 columns, as every default view.
func TestHelpFits100Columns(t *testing.T) {
	pages := [][]string{{"--help"}, {"query", "list"}}
	for _, c := range commands(&state{}) {
		pages = append(pages, []string{c.Name, "--help"})
		for _, sub := range c.Subcommands {
			pages = append(pages, []string{c.Name, sub.Name, "--help"})
		}
	}
	for _, args := range pages {
		code, out, errOut := runCLI(t, args...)
		if code != exitOK || out == "" {
			t.Errorf("%v: exit %d, %d bytes: %s", args, code, len(out), errOut)
			continue
		}
		for _, l := range strings.Split(out, "\n") {
			if w := utf8.RuneCountInString(l); w > 100 {
				t.Errorf("%v: a line of %d columns: %q", args, w, l)
			}
		}
	}
}
