package loader

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"sync"

	"github.com/backchannel/backchannel/schema"
)

// Entries of scanResult.ids beside node kinds (which are indexes into the vocabulary).
const (
	entrySource       uint16 = 0xFFFE
	entryRelationship uint16 = 0xFFFF
)

// scanResult is what the first pass over the input learns: it validates, counts the
// records of each group, hashes the files, and keeps every ID with what it names. That
// map is the only thing that grows with the data.
type scanResult struct {
	records    int
	groups     map[string]int // records per node kind, Source, relationship type
	ids        map[string]uint16
	hash       string // sha256 of the files' sha256s, in order
	fileHashes [][sha256.Size]byte
	warnings   []schema.Finding
}

func scanInputs(ctx context.Context, inputs []schema.Input, vocab *schema.Vocabulary, maxFindings int) (*scanResult, error) {
	s := &scanResult{groups: map[string]int{}, ids: map[string]uint16{}, fileHashes: make([][sha256.Size]byte, len(inputs))}
	kindIndex := map[string]uint16{}
	for i, k := range vocab.NodeKinds {
		kindIndex[k.Kind] = uint16(i)
	}
	hashed := hashInputs(inputs, func(i int, sum [sha256.Size]byte) { s.fileHashes[i] = sum })
	var mu sync.Mutex // files are validated in parallel
	res, err := schema.ValidateWith(ctx, hashed, vocab, schema.Options{MaxFindings: maxFindings, OnRecord: func(_ int, r schema.Record) error {
		mu.Lock()
		defer mu.Unlock()
		s.records++
		switch {
		case r.Source != nil:
			s.groups[schema.SourceLabel]++
			s.ids[r.Source.ID] = entrySource
		case r.Node != nil:
			s.groups[r.Node.Kind]++
			s.ids[r.Node.ID] = kindIndex[r.Node.Kind]
		case r.Relationship != nil:
			s.groups[r.Relationship.Type]++
			s.ids[r.Relationship.ID] = entryRelationship
		}
		return nil
	}})
	if err != nil {
		return nil, err
	}
	if res.Errors > 0 {
		return nil, &ValidationError{Findings: res.Findings, Errors: res.Errors, Omitted: res.Omitted}
	}
	s.warnings = res.Findings
	h := sha256.New()
	for _, sum := range s.fileHashes {
		h.Write(sum[:])
	}
	s.hash = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// isNode reports whether the input defines id as a node or a source.
func (s *scanResult) isNode(id string) bool {
	e, ok := s.ids[id]
	return ok && e != entryRelationship
}

// isKindNode reports whether the input defines id as a node (not a source).
func (s *scanResult) isKindNode(id string) bool {
	e, ok := s.ids[id]
	return ok && e < entrySource
}

// isRelationship reports whether the input defines id as a relationship.
func (s *scanResult) isRelationship(id string) bool {
	return s.ids[id] == entryRelationship
}

// hashInputs wraps inputs so that reading input i whole reports its sha256 on close.
func hashInputs(inputs []schema.Input, done func(i int, sum [sha256.Size]byte)) []schema.Input {
	out := make([]schema.Input, len(inputs))
	for i, in := range inputs {
		open := in.Open
		out[i] = schema.Input{Name: in.Name, Open: func() (io.ReadCloser, error) {
			rc, err := open()
			if err != nil {
				return nil, err
			}
			return &hashingReader{ReadCloser: rc, h: sha256.New(), done: func(sum [sha256.Size]byte) { done(i, sum) }}, nil
		}}
	}
	return out
}

type hashingReader struct {
	io.ReadCloser
	h    hash.Hash
	done func([sha256.Size]byte)
}

func (r *hashingReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.h.Write(p[:n])
	return n, err
}

func (r *hashingReader) Close() error {
	var sum [sha256.Size]byte
	copy(sum[:], r.h.Sum(nil))
	r.done(sum)
	return r.ReadCloser.Close()
}
