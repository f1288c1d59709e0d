package sources

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// DefaultArchive is where fetched pages are kept, relative to the working directory. It
// is git-ignored: nothing fetched is committed.
const DefaultArchive = ".backchannel/archive"

// Entry is one archived page: its extracted, normalised text, where and when it was
// fetched, its hash, and where each quote of the source sits in it.
type Entry struct {
	ID        string          `json:"id"`
	URL       string          `json:"url"`
	Retrieved time.Time       `json:"retrieved"`
	SHA256    string          `json:"sha256"`
	Quotes    []ArchivedQuote `json:"quotes"`
	Text      string          `json:"text"`
}

// ArchivedQuote is a quote found on an archived page: its byte offsets in the text and
// the sentence around it.
type ArchivedQuote struct {
	Record   string `json:"record"`
	Quote    string `json:"quote"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Sentence string `json:"sentence"`
}

// entryPath is the archive file of a source.
func entryPath(dir, id string) string { return filepath.Join(dir, id+".json") }

// ReadEntry reads a source's archived page.
func ReadEntry(dir, id string) (Entry, error) {
	var e Entry
	data, err := os.ReadFile(entryPath(dir, id))
	if err != nil {
		if os.IsNotExist(err) {
			return e, fmt.Errorf("source %s is not in the archive %s (run sources verify --archive %s first)", id, dir, dir)
		}
		return e, err
	}
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("archive %s: %w", entryPath(dir, id), err)
	}
	return e, nil
}

// writeEntry archives a fetched page with its quotes' places, replacing the file whole
// (written beside it, then renamed: never half-written).
func writeEntry(dir string, r *SourceResult) error {
	e := Entry{ID: r.ID, URL: r.URL, Retrieved: r.Page.Retrieved, SHA256: r.Page.SHA256, Text: r.Page.Text, Quotes: []ArchivedQuote{}}
	for _, q := range r.Quotes {
		if !q.Found {
			continue
		}
		end := q.Offset + len(Normalize(q.Text))
		e.Quotes = append(e.Quotes, ArchivedQuote{Record: q.Record, Quote: q.Text, Start: q.Offset, End: end, Sentence: Sentence(r.Page.Text, q.Offset, end)})
	}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, r.ID+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), entryPath(dir, r.ID))
}

// Sentence returns the sentence(s) of text around text[start:end]: from after the last
// ". ", "! " or "? " before start to the first such end at or after end, at most 300
// bytes either side.
func Sentence(text string, start, end int) string {
	lo := max(0, start-300)
	from := lo
	for _, sep := range []string{". ", "! ", "? "} {
		if i := strings.LastIndex(text[lo:start], sep); i >= 0 && lo+i+len(sep) > from {
			from = lo + i + len(sep)
		}
	}
	hi := min(len(text), end+300)
	to := hi
	for _, sep := range []string{". ", "! ", "? "} {
		if i := strings.Index(text[end:hi], sep); i >= 0 && end+i+1 < to {
			to = end + i + 1
		}
	}
	for from > 0 && from < len(text) && !isRuneStart(text[from]) {
		from--
	}
	for to < len(text) && !isRuneStart(text[to]) {
		to++
	}
	return strings.TrimSpace(text[from:to])
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
