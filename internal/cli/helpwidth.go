package cli

import (
	"bytes"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/internal/output"
)

// helpWidth is the width help pages are wrapped at, as every default view.
const helpWidth = 100

// urfave/cli v2 aligns a help page's columns with a tabwriter after its own wrapping
// (which is off by default), so the page is wrapped once laid out: each long line's last
// column goes on under itself.
func init() {
	print := cli.HelpPrinter
	cli.HelpPrinter = func(w io.Writer, templ string, data any) {
		var b bytes.Buffer
		print(&b, templ, data)
		_, _ = io.WriteString(w, output.FitLines(b.String(), helpWidth))
	}
}
