package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/backchannel/backchannel/browserguide"
	"github.com/backchannel/backchannel/queries"
	"github.com/backchannel/backchannel/schema"
)

func browserCommand() *cli.Command {
	return &cli.Command{
		Name:  "browser",
		Usage: "explore the graph in Neo4j Browser",
		Subcommands: []*cli.Command{{
			Name:      "guide",
			Usage:     "serve a Neo4j Browser guide (the style, the actors, every stored query) and print the :play line",
			ArgsUsage: "[PATH...]",
			Description: "Serves the guide on http://localhost:PORT/" + browserguide.File + " until interrupted; in Neo4j\n" +
				"Browser type the printed :play line (localhost is on Browser's default guide allowlist).\n" +
				"The actors table comes from the seed files given (default: the embedded seeds).\n" +
				"With --out DIR it writes the page to DIR instead, to serve with any web server.",
			Flags: []cli.Flag{
				&cli.IntFlag{Name: "port", Value: 8001, Usage: "serve on this port of 127.0.0.1 (0: any free port)"},
				&cli.StringFlag{Name: "out", Usage: "write the guide into `DIR` as static HTML instead of serving it"},
			},
			Action: browserGuide,
		}},
	}
}

func browserGuide(c *cli.Context) error {
	in, err := inputs(c)
	if err != nil {
		return err
	}
	lib, err := queries.Default()
	if err != nil {
		return err
	}
	g, err := browserguide.New(in, schema.Default(), lib)
	if err != nil {
		return fmt.Errorf("read the actors: %w", err)
	}
	page, err := g.HTML()
	if err != nil {
		return err
	}
	if dir := c.String("out"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		file := filepath.Join(dir, browserguide.File)
		if err := os.WriteFile(file, page, 0o644); err != nil {
			return err
		}
		_, err = fmt.Fprintf(c.App.Writer, "Wrote %s. Serve %s on localhost from a web server that allows\n"+
			"cross-origin requests (answers the CORS preflight, OPTIONS, and sends\n"+
			"Access-Control-Allow-Origin: *), then in Neo4j Browser: :play http://localhost:PORT/%s\n",
			file, dir, browserguide.File)
		return err
	}
	port := c.Int("port")
	if port < 0 || port > 65535 {
		return usageErrorf("--port %d: want 0 to 65535", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("serve the guide: %w", err)
	}
	srv := &http.Server{Handler: browserguide.Handler(page), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	addr := ln.Addr().(*net.TCPAddr)
	fmt.Fprintf(c.App.Writer, "Serving the guide on http://localhost:%d/%s (Ctrl-C stops it).\n"+
		"In Neo4j Browser, run:\n\n  :play http://localhost:%d/%s\n\n", addr.Port, browserguide.File, addr.Port, browserguide.File)
	select {
	case err := <-done:
		return fmt.Errorf("serve the guide: %w", err)
	case <-c.Context.Done():
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
