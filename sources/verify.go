package sources

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/backchannel/backchannel/schema"
)

// Rules of the findings sources verify reports (in brackets after each, as validate's).
const (
	RuleQuoteNotFound     = "quote-not-found"      // a quote not on its source's page
	RuleSourceUnreachable = "source-unreachable"   // a page that could not be fetched (status or network error)
	RuleSourceMoved       = "source-moved"         // warning: a page permanently redirected elsewhere
	RuleNotCheckable      = "source-not-checkable" // warning: a page that is not HTML or text (a PDF)
	RuleSourceChanged     = "source-changed"       // warning: a page whose text no longer matches its archived hash
)

// Options of a verification.
type Options struct {
	// Sources limits the run to these source IDs (none: every source).
	Sources []string
	// Fetcher fetches the pages; nil uses a Fetcher with the defaults.
	Fetcher *Fetcher
	// ReadFile reads a `file:` source, named relative to the seed file that declares it.
	// Nil reads it from disk beside the seed file.
	ReadFile func(seedFile, name string) ([]byte, error)
	// Archive, when set, is the folder where each fetched page is kept (Entry).
	Archive string
	// Offline verifies from the archive alone: nothing is fetched.
	Offline bool
}

// Quote is one quote of one record, where it is written.
type Quote struct {
	Record string     `json:"record"`
	Text   string     `json:"quote"`
	Pos    schema.Pos `json:"pos"`
	Found  bool       `json:"found"`
	// Offset is where the normalised quote starts in the page's normalised text (bytes).
	Offset int `json:"offset"`
}

// SourceResult is what was found for one source.
type SourceResult struct {
	ID     string     `json:"id"`
	URL    string     `json:"url,omitempty"`
	File   string     `json:"file,omitempty"`
	Pos    schema.Pos `json:"pos"`
	Page   Page       `json:"page"`
	Quotes []Quote    `json:"quotes"`
	// offline: the page came from the archive, not the web.
	offline bool
	// archived is what the source says its page was when last verified, and where.
	archived    *schema.Archived
	archivedPos schema.Pos
}

// Report is the outcome of a verification.
type Report struct {
	Findings    []schema.Finding `json:"findings"`
	Sources     []SourceResult   `json:"-"`
	Fetched     int              `json:"sourcesFetched"`
	Verified    int              `json:"quotesVerified"`
	NotFound    int              `json:"quotesNotFound"`
	Unreachable int              `json:"sourcesUnreachable"`
}

type declared struct {
	src         schema.Source
	file        string
	pos         schema.Pos
	archivedPos schema.Pos
}

// Verify checks every quote in the inputs against its source's page or file. Problems of
// the seed files themselves are left to validate; a file that can't be parsed yields the
// parser's findings.
func Verify(ctx context.Context, inputs []schema.Input, opt Options) (Report, error) {
	var rep Report
	srcs := map[string]declared{}
	var order []string
	quotes := map[string][]Quote{}
	parseFindings, err := schema.Walk(inputs, func(r schema.Record) error {
		if r.Source != nil {
			if _, dup := srcs[r.Source.ID]; !dup {
				order = append(order, r.Source.ID)
			}
			p := r.Pos.At("url")
			if r.Source.File != "" {
				p = r.Pos.At("file")
			}
			srcs[r.Source.ID] = declared{src: *r.Source, file: r.Pos.At("").File, pos: p, archivedPos: r.Pos.At("archived.sha256")}
			return nil
		}
		var ev []schema.Evidence
		if r.Node != nil {
			ev = r.Node.Evidence
		} else if r.Relationship != nil {
			ev = r.Relationship.Evidence
		}
		for i, e := range ev {
			if strings.TrimSpace(e.Quote) == "" {
				continue
			}
			quotes[e.Source] = append(quotes[e.Source], Quote{Record: r.ID(), Text: e.Quote, Pos: r.Pos.At(fmt.Sprintf("evidence[%d].quote", i))})
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	for _, f := range parseFindings {
		if f.Severity == schema.SeverityError {
			rep.Findings = append(rep.Findings, f)
		}
	}
	if len(opt.Sources) > 0 {
		for _, id := range opt.Sources {
			if _, ok := srcs[id]; !ok {
				return rep, fmt.Errorf("no source %q in the seed files", id)
			}
		}
		order = slices.DeleteFunc(order, func(id string) bool { return !slices.Contains(opt.Sources, id) })
	}
	f := opt.Fetcher
	if f == nil {
		f = &Fetcher{}
	}
	read := opt.ReadFile
	if read == nil {
		read = func(seedFile, name string) ([]byte, error) {
			return os.ReadFile(filepath.Join(filepath.Dir(seedFile), filepath.FromSlash(name)))
		}
	}
	results := make([]SourceResult, len(order))
	var wg sync.WaitGroup
	for i, id := range order {
		d := srcs[id]
		results[i] = SourceResult{ID: id, URL: d.src.URL, File: d.src.File, Pos: d.pos, Quotes: quotes[id], archived: d.src.Archived, archivedPos: d.archivedPos}
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch {
			case d.src.File != "":
				results[i].Page = readFile(read, d)
			case opt.Offline:
				results[i].Page = archived(opt.Archive, id, d.src.URL)
				results[i].offline = true
			default:
				results[i].Page = f.Fetch(ctx, d.src.URL)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	for i := range results {
		r := &results[i]
		rep.check(r)
		if opt.Archive != "" && !opt.Offline && r.File == "" && r.Page.Err == nil && r.Page.NotCheckable == "" {
			if err := writeEntry(opt.Archive, r); err != nil {
				return rep, fmt.Errorf("archive: %w", err)
			}
		}
	}
	rep.Sources = results
	schema.SortFindings(rep.Findings)
	return rep, nil
}

// archived returns a source's page as the archive holds it.
func archived(dir, id, url string) Page {
	p := Page{URL: url}
	e, err := ReadEntry(dir, id)
	if err != nil {
		p.Err = err
		return p
	}
	p.Text, p.SHA256, p.Retrieved, p.FinalURL = e.Text, e.SHA256, e.Retrieved, e.URL
	return p
}

// readFile reads a `file:` source the way a fetched page is read.
func readFile(read func(string, string) ([]byte, error), d declared) Page {
	p := Page{URL: "file:" + d.src.File}
	data, err := read(d.file, d.src.File)
	if err != nil {
		p.Err = fmt.Errorf("can't read %s: %w", d.src.File, unwrapPath(err))
		return p
	}
	switch strings.ToLower(path.Ext(d.src.File)) {
	case ".html", ".htm", ".xhtml":
		text, err := Extract(strings.NewReader(string(data)))
		if err != nil {
			p.NotCheckable = "its HTML could not be read: " + err.Error()
			return p
		}
		p.Text = text
	case ".txt", ".md", "":
		p.Text = Normalize(string(data))
	default:
		p.NotCheckable = "it is a " + path.Ext(d.src.File) + " file, not HTML or text"
		return p
	}
	p.SHA256 = hashText(p.Text)
	return p
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// check turns one source's page into findings and counts.
func (rep *Report) check(r *SourceResult) {
	where := r.URL
	if r.File != "" {
		where = "file:" + r.File
	}
	p := r.Page
	for _, rd := range p.Redirects {
		if rd.Permanent() {
			rep.add(r.Pos, schema.SeverityWarning, RuleSourceMoved, "%s moved permanently (%d) to %s: update the source's url", rd.From, rd.Status, rd.To)
		}
	}
	switch {
	case p.Err != nil:
		rep.Unreachable++
		rep.add(r.Pos, schema.SeverityError, RuleSourceUnreachable, "source %s unreachable: %s: %v (%s not checked; the Internet Archive may hold it: %s)",
			r.ID, where, p.Err, plural(len(r.Quotes), "quote"), WaybackURL(r.URL))
		return
	case p.NotCheckable != "":
		if r.File == "" && !r.offline {
			rep.Fetched++
		}
		rep.add(r.Pos, schema.SeverityWarning, RuleNotCheckable, "source %s not checkable: %s (%s not checked)", r.ID, p.NotCheckable, plural(len(r.Quotes), "quote"))
		return
	}
	if r.File == "" && !r.offline {
		rep.Fetched++
	}
	if a := r.archived; a != nil && p.SHA256 != "" && !strings.EqualFold(a.SHA256, p.SHA256) {
		rep.add(r.archivedPos, schema.SeverityWarning, RuleSourceChanged, "source %s changed since it was verified on %s (sha256 now %s): check its quotes, then update archived",
			r.ID, a.Retrieved, p.SHA256)
	}
	for i := range r.Quotes {
		q := &r.Quotes[i]
		nq := Normalize(q.Text)
		if off := strings.Index(p.Text, nq); off >= 0 {
			q.Found, q.Offset = true, off
			rep.Verified++
			continue
		}
		q.Offset = -1
		rep.NotFound++
		if c := Closest(p.Text, nq); c != "" {
			rep.add(q.Pos, schema.SeverityError, RuleQuoteNotFound, "quote not on %s (closest passage: %q)", where, cut(c, 160))
		} else {
			rep.add(q.Pos, schema.SeverityError, RuleQuoteNotFound, "quote not on %s (no passage shares a word with it)", where)
		}
	}
}

func (rep *Report) add(pos schema.Pos, sev, rule, format string, args ...any) {
	rep.Findings = append(rep.Findings, schema.Finding{Pos: pos, Severity: sev, Rule: rule, Message: strings.ToValidUTF8(fmt.Sprintf(format, args...), "\uFFFD")})
}

// WaybackURL is the Internet Archive's address for the newest copy of a page.
func WaybackURL(u string) string {
	if u == "" {
		return "no url"
	}
	return "https://web.archive.org/web/" + u
}

func plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return fmt.Sprintf("%d %ss", n, s)
}

// cut shortens s to n characters, with an ellipsis.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
