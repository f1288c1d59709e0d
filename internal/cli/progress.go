package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/backchannel/backchannel/loader"
)

// barDelay is how long a load runs before a terminal shows its bar.
const barDelay = 2 * time.Second

// newProgress returns the loader's progress callback for w and a function to call when
// the load ends. On a terminal (golang.org/x/term) a bar (schollz/progressbar) appears
// once the load has run barDelay, at once with --progress; elsewhere --progress prints
// one line per batch and nothing is printed without it.
func newProgress(w io.Writer, forced bool) (update func(loader.Progress), finish func()) {
	if !terminal(w) {
		if !forced {
			return nil, func() {}
		}
		return func(ev loader.Progress) {
			fmt.Fprintf(w, "%s: %s, %d/%d records\n", ev.Batch, ev.Elapsed.Round(time.Millisecond), ev.Done, ev.Total)
		}, func() {}
	}
	start := time.Now()
	var bar *progressbar.ProgressBar
	update = func(ev loader.Progress) {
		if bar == nil {
			if !forced && time.Since(start) < barDelay {
				return
			}
			bar = progressbar.NewOptions(ev.Total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetWidth(30),
				progressbar.OptionShowCount(),
				progressbar.OptionSetItsString("records"),
				progressbar.OptionShowIts(),
				progressbar.OptionSetElapsedTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish(),
			)
		}
		bar.Describe(ev.Batch.Step)
		_ = bar.Set(ev.Done)
	}
	finish = func() {
		if bar != nil {
			_ = bar.Finish()
		}
	}
	return update, finish
}

// terminal reports whether w is a terminal. (A character device is not enough: /dev/null
// is one.)
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
