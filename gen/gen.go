// Package gen writes synthetic seed datasets that validate against the vocabulary, for
// benchmarks and scale tests: Source nodes, actors of every actor kind, events and
// places, and relationships with heavy-tailed degrees (a few hubs take a large share of
// the edges, as the United States or Qatar do in the curated graph), each citing a
// source with a quote. The output depends only on the options: the same seed gives the
// same bytes.
package gen

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/backchannel/backchannel/schema"
)

// DefaultFileRecords is the default number of records per file.
const DefaultFileRecords = 10_000

// Options size a dataset.
type Options struct {
	// Relationships is the number of relationships; nodes and sources scale with it.
	Relationships int
	// Seed makes the dataset: the same seed, the same files.
	Seed uint64
	// FileRecords is the most records a file holds (default DefaultFileRecords).
	FileRecords int
	// IDPrefix starts every ID the dataset holds and names ("x-" gives x-a-0, x-src-0,
	// x-r-0), so that two datasets in one graph hold no ID in common: lowercase letters,
	// digits and single hyphens, as IDs are.
	IDPrefix string
}

// Stats describes a generated dataset.
type Stats struct {
	Files         int   `json:"files"`
	Sources       int   `json:"sources"`
	Nodes         int   `json:"nodes"`
	Relationships int   `json:"relationships"`
	Bytes         int64 `json:"bytes"`
}

// Records is the number of records: sources, nodes and relationships.
func (s Stats) Records() int { return s.Sources + s.Nodes + s.Relationships }

// sizes derives the node counts from the number of relationships: a mean actor degree
// of about 16, one event per five actors, one place per ten events, one source per
// thousand relationships.
type sizes struct{ sources, actors, events, places int }

func sizesOf(rels int) sizes {
	s := sizes{actors: max(10, rels/10)}
	s.events = max(2, s.actors/5)
	s.places = max(2, s.events/10)
	s.sources = max(3, rels/1000)
	return s
}

// actorKinds are the kinds actors are drawn from, in turn.
var actorKinds = []string{"State", "Person", "GovernmentBody", "NonStateArmedGroup", "IntergovernmentalOrganization"}

// Write generates a dataset into dir (created if needed) as files 00000.yaml,
// 00001.yaml, ... and returns what it wrote.
func Write(dir string, o Options) (Stats, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	return Generate(o, func(name string) (io.WriteCloser, error) {
		return os.Create(filepath.Join(dir, name))
	})
}

// prefixRe matches the ID prefixes that keep IDs slugs.
var prefixRe = regexp.MustCompile(`^([a-z0-9]+-?)*$`)

// Generate writes a dataset through create, which opens each file by name.
func Generate(o Options, create func(name string) (io.WriteCloser, error)) (st Stats, err error) {
	if o.Relationships < 0 {
		return st, errors.New("gen: a negative number of relationships")
	}
	if !prefixRe.MatchString(o.IDPrefix) {
		return st, fmt.Errorf("gen: ID prefix %q: lowercase letters, digits and single hyphens only", o.IDPrefix)
	}
	if o.FileRecords <= 0 {
		o.FileRecords = DefaultFileRecords
	}
	vocab := schema.Default()
	actorTypes, err := typesBetween(vocab, "State", "State")
	if err != nil {
		return st, err
	}
	for _, t := range []string{"PARTICIPATED_IN", "OCCURRED_IN"} {
		if vocab.Type(t) == nil {
			return st, fmt.Errorf("gen: the vocabulary has no type %s", t)
		}
	}
	p := o.IDPrefix
	w := &writer{create: create, limit: o.FileRecords}
	defer func() { err = errors.Join(err, w.close()) }()
	sz := sizesOf(o.Relationships)
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))

	// Sources are published in December 2025, after every generated relationship begins
	// (validate's since-after-sources).
	for i := range sz.sources {
		if err := w.record("sources", "  - {id: %ssrc-%d, publisher: \"Publisher %d\", title: \"Generated report %d\", url: \"https://example.org/report/%d\", published: 2025-12-%02d, reliability: reputable}\n",
			p, i, i%50, i, i, i%28+1); err != nil {
			return st, err
		}
	}
	st.Sources = sz.sources
	src := func() int { return rng.IntN(sz.sources) }
	for i := range sz.actors {
		if err := w.record("nodes", "  - {id: %sa-%d, kind: %s, name: \"Actor %d\", aliases: [\"A%d\"], wikidata: Q%d, description: \"Generated actor number %d.\", evidence: [{source: %ssrc-%d, quote: \"Actor %d is named here.\"}]}\n",
			p, i, actorKinds[i%len(actorKinds)], i, i, i+1, i, p, src(), i); err != nil {
			return st, err
		}
	}
	for i := range sz.events {
		if err := w.record("nodes", "  - {id: %se-%d, kind: Event, name: \"Event %d\", date: 2025-%02d-%02d, eventCode: \"046\", evidence: [{source: %ssrc-%d, quote: \"Event %d took place.\"}]}\n",
			p, i, i, i%12+1, i%28+1, p, src(), i); err != nil {
			return st, err
		}
	}
	for i := range sz.places {
		if err := w.record("nodes", "  - {id: %sp-%d, kind: Place, name: \"Place %d\", wikidata: none, evidence: [{source: %ssrc-%d, note: generated place}]}\n",
			p, i, i, p, src()); err != nil {
			return st, err
		}
	}
	st.Nodes = sz.actors + sz.events + sz.places

	confidence := []string{"high", "medium", "low"}
	for i := range o.Relationships {
		var err error
		switch i % 25 {
		case 20, 21, 22: // actor -> event, 12%
			err = w.record("relationships", "  - {id: %sr-%d, type: PARTICIPATED_IN, from: %sa-%d, to: %se-%d, role: party, confidence: %s, evidence: [{source: %ssrc-%d, quote: \"Actor took part in event %d.\"}]}\n",
				p, i, p, hub(rng, sz.actors), p, rng.IntN(sz.events), confidence[i%3], p, src(), i)
		case 23, 24: // event -> place, 8%
			err = w.record("relationships", "  - {id: %sr-%d, type: OCCURRED_IN, from: %se-%d, to: %sp-%d, confidence: %s, evidence: [{source: %ssrc-%d, quote: \"The event was held in place %d.\"}]}\n",
				p, i, p, rng.IntN(sz.events), p, hub(rng, sz.places), confidence[i%3], p, src(), i)
		default: // actor -> actor, 80%
			from := hub(rng, sz.actors)
			to := hub(rng, sz.actors)
			if to == from {
				to = (from + 1 + rng.IntN(sz.actors-1)) % sz.actors
			}
			typ := actorTypes[rng.IntN(len(actorTypes))]
			until := "" // an act ends: until = since (validate rule act-end)
			if vocab.Type(typ).Act {
				until = fmt.Sprintf(", until: 2025-%02d", i%12+1)
			}
			err = w.record("relationships", "  - {id: %sr-%d, type: %s, from: %sa-%d, to: %sa-%d, since: 2025-%02d%s, confidence: %s, evidence: [{source: %ssrc-%d, quote: \"Relation %d between the two.\"}]}\n",
				p, i, typ, p, from, p, to, i%12+1, until, confidence[i%3], p, src(), i)
		}
		if err != nil {
			return st, err
		}
	}
	st.Relationships = o.Relationships
	st.Files, st.Bytes = w.files, w.bytes
	return st, nil
}

// hub draws an index below n with a heavy tail: P(index < x) = (x/n)^(1/3), so index 0
// takes about 1/n^(1/3) of the draws (2% of them among 100,000 actors) and the degrees
// follow a power law, as hubs do in real networks.
func hub(rng *rand.Rand, n int) int {
	return min(n-1, int(float64(n)*math.Pow(rng.Float64(), 3)))
}

// typesBetween lists the vocabulary's relationship types that allow kind from at the
// start and kind to at the end, and no self-relationship is needed for.
func typesBetween(v *schema.Vocabulary, from, to string) ([]string, error) {
	var out []string
	for _, name := range v.TypeNames() {
		t := v.Type(name)
		if t.AllowsFrom(from) && t.AllowsTo(to) && slices.Equal(t.FromKinds(), t.ToKinds()) {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("gen: the vocabulary has no relationship type from %s to %s", from, to)
	}
	return out, nil
}

// writer writes records into files of at most limit records, each file starting with
// the section its first record belongs to.
type writer struct {
	create  func(string) (io.WriteCloser, error)
	limit   int
	f       io.WriteCloser
	w       *bufio.Writer
	section string
	n       int // records in the open file
	files   int
	bytes   int64
}

func (w *writer) record(section, format string, args ...any) error {
	if w.f == nil || w.n >= w.limit {
		if err := w.close(); err != nil {
			return err
		}
		f, err := w.create(fmt.Sprintf("%05d.yaml", w.files))
		if err != nil {
			return err
		}
		w.f, w.w, w.n, w.section = f, bufio.NewWriterSize(f, 1<<16), 0, ""
		w.files++
		w.write("# Generated by backchannel gen: synthetic data for benchmarks, not facts.\n")
	}
	if section != w.section {
		w.write(section + ":\n")
		w.section = section
	}
	w.n++
	return w.write(fmt.Sprintf(format, args...))
}

func (w *writer) write(s string) error {
	n, err := w.w.WriteString(s)
	w.bytes += int64(n)
	return err
}

func (w *writer) close() error {
	if w.f == nil {
		return nil
	}
	err := errors.Join(w.w.Flush(), w.f.Close())
	w.f = nil
	return err
}
