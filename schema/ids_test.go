package schema

import (
	"context"
	"errors"
	"maps"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/backchannel/backchannel/internal/idtable"
)

// TestKeepIDs: with Options.KeepIDs, ValidateWith hands over its table of IDs, and it
// names each source and node of the curated seeds with its record and node kind, each
// relationship only when asked for theirs, and no ID the seeds lack; with a hash that
// sends every ID to one slot (so the first pass is suspect and the second decides) too.
// Inputs with an error hand over none.
func TestKeepIDs(t *testing.T) {
	before := idtable.Mapped()
	type def struct{ record, kind string }
	var mu sync.Mutex
	want := map[string]def{}
	onRecord := func(_ int, r Record) error {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.Source != nil:
			want[r.Source.ID] = def{RecordSource, ""}
		case r.Node != nil:
			want[r.Node.ID] = def{RecordNode, r.Node.Kind}
		case r.Relationship != nil:
			want[r.Relationship.ID] = def{RecordRelationship, ""}
		}
		return nil
	}
	vocab := Default()
	for _, c := range []struct {
		name          string
		relationships bool
		hash          func(string) uint64
	}{{"nodes", false, nil}, {"every ID", true, nil}, {"nodes, one slot", false, func(string) uint64 { return 5 }}} {
		t.Run(c.name, func(t *testing.T) {
			clear(want)
			idHash = c.hash
			defer func() { idHash = nil }()
			res, err := ValidateWith(context.Background(), PathInputs([]string{"../seeds"}), vocab, Options{OnRecord: onRecord, KeepIDs: true, KeepRelationshipIDs: c.relationships})
			if err != nil || res.Errors != 0 || res.IDs == nil {
				t.Fatalf("ValidateWith: %v, %d errors, IDs %v", err, res.Errors, res.IDs)
			}
			defer res.IDs.Close()
			if idtable.Mapped() == before {
				t.Error("the IDs handed over map nothing: the test would not see a leak")
			}
			rels, n := 0, 0
			for id, w := range want {
				record, kind := res.IDs.Lookup(id)
				if w.record == RecordRelationship {
					rels++
					// The first pass keeps relationships as hashes; asked for them, or in
					// a second pass (after a suspect first), they are kept whole.
					wantRecord := ""
					if c.relationships || c.hash != nil {
						wantRecord = RecordRelationship
					}
					if record != wantRecord {
						t.Fatalf("relationship %q: Lookup = %q, want %q", id, record, wantRecord)
					}
					continue
				}
				n++
				gotKind := ""
				if kind >= 0 {
					gotKind = vocab.NodeKinds[kind].Kind
				}
				if record != w.record || gotKind != w.kind {
					t.Fatalf("%q: Lookup = %q, kind %q; want %q, %q", id, record, gotKind, w.record, w.kind)
				}
			}
			if rels < 100 || n < 100 {
				t.Fatalf("%d relationships and %d other records: want over 100 of each", rels, n)
			}
			if record, _ := res.IDs.Lookup("no-such-id-in-the-seeds"); record != "" {
				t.Errorf("an ID never defined is a %q", record)
			}
			res.IDs.Close()
			id := slices.Min(slices.Collect(maps.Keys(want)))
			if record, _ := res.IDs.Lookup(id); record != "" || res.IDs.Len() != 0 {
				t.Errorf("after Close: Lookup(%q) = %q, Len %d", id, record, res.IDs.Len())
			}
		})
	}
	t.Run("invalid", func(t *testing.T) {
		res, err := ValidateWith(context.Background(), PathInputs([]string{filepath.Join("testdata", "validate", "duplicate-id")}), vocab, Options{KeepIDs: true})
		if err != nil || res.Errors == 0 || res.IDs != nil {
			t.Errorf("ValidateWith: %v, %d errors, IDs %v; want errors and no IDs", err, res.Errors, res.IDs)
		}
	})
	if n := idtable.Mapped() - before; n != 0 {
		t.Errorf("%d bytes of tables still mapped after every IDs was closed", n)
	}
	var none *IDs
	if record, kind := none.Lookup("x"); record != "" || kind != -1 || none.Len() != 0 {
		t.Errorf("a nil IDs: Lookup = %q, %d", record, kind)
	}
	none.Close()
}

// TestTablesFreedOnEveryPath: a validation frees its tables' mappings when it ends,
// when it hands none over (errors), when OnRecord stops it, when its context is
// cancelled, and after a suspect first pass; Finish frees a Validator's.
func TestTablesFreedOnEveryPath(t *testing.T) {
	before := idtable.Mapped() // none, unless another test left a Validator unfinished
	seeds := PathInputs([]string{"../seeds"})
	stop := errors.New("stop")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	var n atomic.Int64
	for _, c := range []struct {
		name string
		ctx  context.Context
		opt  Options
		hash func(string) uint64
	}{
		{"valid", context.Background(), Options{}, nil},
		{"valid, IDs not asked for", context.Background(), Options{KeepRelationshipIDs: true}, nil},
		{"errors", context.Background(), Options{KeepIDs: true}, nil},
		{"stopped by OnRecord", context.Background(), Options{KeepIDs: true, OnRecord: func(int, Record) error {
			if n.Add(1) > 200 {
				return stop
			}
			return nil
		}}, nil},
		{"cancelled", cancelled, Options{KeepIDs: true}, nil},
		{"suspect first pass", context.Background(), Options{}, func(string) uint64 { return 9 }},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := seeds
			if c.name == "errors" {
				in = PathInputs([]string{filepath.Join("testdata", "validate", "duplicate-id"), "../seeds"})
			}
			idHash = c.hash
			defer func() { idHash = nil }()
			res, err := ValidateWith(c.ctx, in, Default(), c.opt)
			if res.IDs != nil {
				t.Fatalf("IDs handed over (err %v, %d errors)", err, res.Errors)
			}
			if m := idtable.Mapped() - before; m != 0 {
				t.Errorf("%d bytes still mapped (err %v)", m, err)
			}
		})
	}
	x := NewValidator(Default())
	var mu sync.Mutex // OnRecord is called from each file's reader
	r, err := ValidateWith(context.Background(), seeds, Default(), Options{OnRecord: func(_ int, rec Record) error {
		mu.Lock()
		defer mu.Unlock()
		x.Record(rec)
		return nil
	}})
	if err != nil || r.Errors != 0 {
		t.Fatal(err, r.Errors)
	}
	if idtable.Mapped() == before {
		t.Fatal("a Validator fed the seeds maps nothing: the test would not see a leak")
	}
	x.Finish()
	if m := idtable.Mapped() - before; m != 0 {
		t.Errorf("%d bytes still mapped after Finish", m)
	}
}
