package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopGrace is how long a command has, after SIGINT or SIGTERM, to stop on its own
// (a load rolls back its transaction) before the process exits anyway: within a
// second in all.
const stopGrace = 800 * time.Millisecond

// interrupt is the cause of a context cancelled by a signal.
type interrupt struct{ sig os.Signal }

func (i *interrupt) Error() string {
	if i.sig == syscall.SIGTERM {
		return "terminated (SIGTERM)"
	}
	return "interrupted (SIGINT)"
}

func (i *interrupt) code() int {
	if i.sig == syscall.SIGTERM {
		return exitTerminated
	}
	return exitInterrupted
}

// interruptOf returns the signal that cancelled ctx, or nil.
func interruptOf(ctx context.Context) *interrupt {
	var i *interrupt
	if errors.As(context.Cause(ctx), &i) {
		return i
	}
	return nil
}

// OnSignal returns a context that SIGINT or SIGTERM cancels, with an *interrupt as its
// cause. A command that has not returned stopGrace after the signal is cut short: the
// process says so on stderr and exits with 130 or 143. A second signal kills it at
// once (the default action, restored by the first). Nothing is lost by exiting: an
// open transaction dies with its connection and the server rolls it back.
func OnSignal(stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			signal.Stop(sigs)
			i := &interrupt{sig: sig}
			cancel(i)
			select {
			case <-time.After(stopGrace):
				fmt.Fprintln(stderr, "backchannel: "+i.Error())
				os.Exit(i.code())
			case <-done:
			}
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
	}
}
