package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// flagsAfterArgs lets a command's flags follow its arguments, as in
// `query show NAME --browser` or `validate seeds/ --strict`. It is the CLI's one shim over
// urfave/cli v2, for the one thing v2 cannot do: its parser is the standard library's,
// which stops at the first argument (v1 reordered arguments, v3 has StopOnNthArg; v2 has
// neither). Everything else stays v2's: the flags are the command's own declarations,
// each value is set, converted and checked by urfave/cli (c.Set), help is urfave/cli's,
// and a bad flag goes to the command's OnUsageError wherever it stands. Only the
// arguments v2 left unparsed are scanned, with the standard library's flag parser, to
// split flags from arguments. (An argument that starts with "-" cannot follow "--"
// here: urfave/cli drops the "--".)
func flagsAfterArgs(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		rest := c.Args().Slice()
		if !slices.ContainsFunc(rest, isFlag) {
			return action(c)
		}
		if slices.Contains(rest, "--generate-bash-completion") {
			return nil // a completion request behind an argument: nothing more to offer
		}
		set := flag.NewFlagSet(c.Command.Name, flag.ContinueOnError)
		set.SetOutput(io.Discard)
		for _, f := range c.Command.Flags {
			_, isBool := f.(*cli.BoolFlag)
			for _, name := range f.Names() {
				set.Var(&forward{c: c, name: f.Names()[0], isBool: isBool}, name, "")
			}
		}
		var positional []string
		for len(rest) > 0 {
			if rest[0] == "--" {
				positional = append(positional, rest[1:]...)
				break
			}
			if err := set.Parse(rest); err != nil {
				if errors.Is(err, flag.ErrHelp) {
					return cli.ShowCommandHelp(c.Lineage()[1], c.Command.Name)
				}
				return c.Command.OnUsageError(c, fmt.Errorf("%s: %w%s", commandPath(c), err, globalHint(c, err)), true)
			}
			rest = set.Args()
			if len(rest) > 0 && rest[0] != "--" {
				positional = append(positional, rest[0])
				rest = rest[1:]
			}
		}
		if c.Bool("help") { // urfave/cli's --help, behind an argument
			return cli.ShowCommandHelp(c.Lineage()[1], c.Command.Name)
		}
		args := flag.NewFlagSet(c.Command.Name, flag.ContinueOnError)
		if err := args.Parse(append([]string{"--"}, positional...)); err != nil {
			return err
		}
		nc := cli.NewContext(c.App, args, c)
		nc.Command = c.Command
		return action(nc)
	}
}

func isFlag(arg string) bool { return len(arg) > 1 && arg[0] == '-' }

// forward passes a flag's value on to urfave/cli's own flag of that name.
type forward struct {
	c      *cli.Context
	name   string
	isBool bool
}

func (f *forward) Set(v string) error { return f.c.Set(f.name, v) }
func (f *forward) String() string     { return "" }
func (f *forward) IsBoolFlag() bool   { return f.isBool }

// globalHint says where a global flag goes when one follows a command's arguments.
func globalHint(c *cli.Context, err error) string {
	for _, f := range c.App.Flags {
		for _, name := range f.Names() {
			if strings.HasSuffix(err.Error(), " -"+name) {
				return " (global flags such as --" + name + " go before the command: " + c.App.Name + " --" + name + " ... " + commandPath(c) + " ...)"
			}
		}
	}
	return ""
}
