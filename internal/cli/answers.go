package cli

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/answers"
	"github.com/backchannel/backchannel/internal/output"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

// answersFlag is --answers of plan and load.
func answersFlag() cli.Flag {
	return &cli.BoolFlag{Name: "answers", Usage: "also compare every stored query's answer at its defaults, and the files' watch: list, before and after the load: the answers that change, their changed rows and the changed records behind them"}
}

// watchAnswers returns the watcher of --answers (nil without it): every stored query at
// its defaults and the files' watch list, checked before anything connects.
func watchAnswers(c *cli.Context, in []schema.Input, mode string) (*answers.Watch, []answers.Answer, error) {
	if !c.Bool("answers") {
		return nil, nil, nil
	}
	lib, err := queries.Default()
	if err != nil {
		return nil, nil, err
	}
	set, err := answers.Set(lib, schema.DeclaredWatches(in))
	if err != nil {
		return nil, nil, usageError(err)
	}
	return answers.NewWatch(set, mode), set, nil
}

// answersReport is the report of a watched run: the watcher's, or, when it never
// compared, why not (skipped: the loader's reason; none: the load changed no record).
func answersReport(w *answers.Watch, set []answers.Answer, mode, skipped string) *answers.Report {
	if r := w.Report(); r != nil {
		return r
	}
	if skipped == "" {
		skipped = answers.NoRecordChanges
	}
	return answers.Skipped(set, mode, skipped)
}

// writeAnswers writes a run's result and its answers report: as one JSON document (the
// result's fields and "answers"), or the result's text, a blank line and the report's.
func writeAnswers(w io.Writer, format output.Format, result any, text func(io.Writer) error, r *answers.Report) error {
	if format == output.JSON {
		// The result's own document, with "answers" last: what reads the result
		// without --answers reads it the same with it.
		doc, err := json.Marshal(result)
		if err != nil {
			return err
		}
		rep, err := json.Marshal(r)
		if err != nil {
			return err
		}
		doc = append(append(append(bytes.TrimSuffix(doc, []byte("}")), `,"answers":`...), rep...), '}')
		var out bytes.Buffer
		if err := json.Indent(&out, doc, "", "  "); err != nil {
			return err
		}
		out.WriteByte('\n')
		_, err = w.Write(out.Bytes())
		return err
	}
	if err := text(w); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	return r.WriteText(w)
}
