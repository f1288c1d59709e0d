package cli

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/backchannel/backchannel/loader"
)

func TestProgress(t *testing.T) {
	t.Run("/dev/null is not a terminal", func(t *testing.T) {
		null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer null.Close()
		if terminal(null) {
			t.Error("terminal(/dev/null) = true: a bar would be drawn into it")
		}
	})
	ev := loader.Progress{Batch: loader.Batch{Step: "nodes State", N: 1, Of: 2, First: 1, Last: 2}, Elapsed: 1500 * time.Microsecond, Done: 2, Total: 20}
	t.Run("not a terminal, --progress: one line per batch", func(t *testing.T) {
		var b bytes.Buffer
		update, finish := newProgress(&b, true)
		update(ev)
		finish()
		if got, want := b.String(), ev.Batch.String()+": 2ms, 2/20 records\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("not a terminal, no --progress: silent", func(t *testing.T) {
		var b bytes.Buffer
		update, finish := newProgress(&b, false)
		if update != nil {
			update(ev)
		}
		finish()
		if b.Len() != 0 {
			t.Errorf("printed %q", b.String())
		}
	})
}
