package cli

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/queries"
)

// completionScripts ask the program itself for the words to offer, through urfave/cli's
// --generate-bash-completion (the scripts are urfave/cli's autocomplete/ files).
var completionScripts = map[string]string{
	"bash": `_backchannel_complete() {
  local cur opts
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  if [[ "$cur" == "-"* ]]; then
    opts=$( "${COMP_WORDS[@]:0:$COMP_CWORD}" "${cur}" --generate-bash-completion 2>/dev/null )
  else
    opts=$( "${COMP_WORDS[@]:0:$COMP_CWORD}" --generate-bash-completion 2>/dev/null )
  fi
  COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
  return 0
}
complete -o bashdefault -o default -F _backchannel_complete backchannel
`,
	"zsh": `#compdef backchannel
_backchannel_complete() {
  local -a opts
  local cur
  cur=${words[-1]}
  if [[ "$cur" == "-"* ]]; then
    opts=("${(@f)$(${words[@]:0:#words[@]-1} ${cur} --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[@]:0:#words[@]-1} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ "${opts[1]}" != "" ]]; then
    _describe 'values' opts
  else
    _files
  fi
}
compdef _backchannel_complete backchannel
`,
}

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script: source <(backchannel completion bash), or zsh",
		ArgsUsage: "bash|zsh",
		Action: func(c *cli.Context) error {
			script, ok := completionScripts[c.Args().First()]
			if c.Args().Len() != 1 || !ok {
				return usageErrorf("completion takes the shell: bash or zsh")
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}

// completeQueryNames offers the stored queries' names, for query show and query run.
func completeQueryNames(c *cli.Context) {
	if c.NArg() > 0 {
		return // the name is given: nothing more to offer but flags, which urfave/cli does
	}
	list, err := queries.List()
	if err != nil {
		return
	}
	names := make([]string, len(list))
	for i, q := range list {
		names[i] = q.Name
	}
	fmt.Fprintln(c.App.Writer, strings.Join(names, "\n"))
}
