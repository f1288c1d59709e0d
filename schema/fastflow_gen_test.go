package schema_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/backchannel/backchannel/gen"
	"github.com/backchannel/backchannel/schema"
)

// TestFastPathReadsGen: the fast path reads every piece of list items in gen's files,
// into a tree and with the direct decode, as gen writes them today (else the speed it
// exists for is lost without a failure).
func TestFastPathReadsGen(t *testing.T) {
	files := map[string]*bytes.Buffer{}
	if _, err := gen.Generate(gen.Options{Relationships: 2000, Seed: 7, FileRecords: 800}, func(name string) (io.WriteCloser, error) {
		b := &bytes.Buffer{}
		files[name] = b
		return nopCloser{b}, nil
	}); err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		items, fast, direct, err := schema.FastPathPieces(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if items == 0 || fast != items || direct != items {
			t.Errorf("%s: of %d pieces, the fast path read %d into a tree and decoded %d directly", name, items, fast, direct)
		}
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
