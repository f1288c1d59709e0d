// Package idtable keeps a set of IDs, each with a small value, in a fraction of the
// memory a map[string]V takes: the IDs' bytes are packed one after the other in large
// blocks, the values and the IDs' places in blocks of their own, and the index is an
// open-addressing table of 32-bit entry numbers with a byte of hash beside each.
//
// A million IDs of 11 bytes with a 16-byte value take 68 MB in a map[string]V that owns
// its keys, and 47 MB here (TestMemory): per ID, 12 bytes of ID and length, 8 of place,
// 16 of value, and 5 bytes a slot of an index between 3/8 and 3/4 full. Nothing here
// holds a pointer, so the garbage collector does not scan it, and growing copies only
// the index (a block, once made, keeps its place). The large blocks are kept outside the
// Go heap (mem.go), so the collector's target does not count them either: Close frees
// them, and a table, or a set, that is done with must be closed.
//
// The index holds the real IDs, not hashes of them: a lookup compares the ID it finds
// byte for byte, so two IDs with the same hash cost one more comparison and never a
// wrong answer (TestCollisions forces every ID onto one hash).
package idtable

import (
	"encoding/binary"
	"hash/maphash"
	"iter"
	"unsafe"
)

// Sizes of the blocks. Growing never copies what is stored, only the index, which is
// rebuilt twice as large when 3/4 full.
const (
	entryBlock = 1 << 14 // entries per block of places and of values
	byteBlock  = 1 << 20 // bytes per block of IDs; a longer ID has a block of its own
)

// place is where an ID's bytes are: its block of the arena and its offset there, at
// which a uvarint of its length comes first.
type place struct{ block, off uint32 }

// Table maps IDs to values of type V, in the order they were added. The zero value is
// not usable: make one with New.
type Table[V any] struct {
	hash   func(string) uint64
	index  []uint32 // 0: empty; else 1 + an entry's number; len is a power of two
	tags   []uint8  // per slot of index, the top byte of its ID's hash
	places [][]place
	values [][]V
	n      int
	arena  [][]byte
	mem    mem
}

// New returns an empty table. hash, when not nil, replaces the default (maphash with a
// random seed): tests pass one that collides.
func New[V any](hash func(string) uint64) *Table[V] {
	if hash == nil {
		seed := maphash.MakeSeed()
		hash = func(s string) uint64 { return maphash.String(seed, s) }
	}
	return &Table[V]{hash: hash, index: make([]uint32, 64), tags: make([]uint8, 64)}
}

// Len returns how many IDs the table holds.
func (t *Table[V]) Len() int { return t.n }

// Close frees the table's blocks and leaves it empty; a nil table is closed already.
// Nothing the table returned refers to them: an ID is a copy.
func (t *Table[V]) Close() {
	if t == nil {
		return
	}
	t.mem.releaseAll()
	*t = Table[V]{hash: t.hash, index: make([]uint32, 64), tags: make([]uint8, 64)}
}

// MappedBytes returns the bytes of the table kept outside the Go heap.
func (t *Table[V]) MappedBytes() int { return t.mem.mappedBytes() }

// Get returns the value of id, and whether the table holds it.
func (t *Table[V]) Get(id string) (V, bool) {
	if i, ok := t.find(id); ok {
		return t.Value(i), true
	}
	var zero V
	return zero, false
}

// Has reports whether the table holds id.
func (t *Table[V]) Has(id string) bool {
	_, ok := t.find(id)
	return ok
}

// Add adds id with value v unless the table holds id already; then it returns the
// value id has and true, and changes nothing.
func (t *Table[V]) Add(id string, v V) (first V, dup bool) {
	slot, tag, i, ok := t.lookup(id)
	if ok {
		return t.Value(i), true
	}
	i = t.n
	if i%entryBlock == 0 {
		t.places = append(t.places, alloc[place](&t.mem, entryBlock))
		t.values = append(t.values, alloc[V](&t.mem, entryBlock))
	}
	t.places[i/entryBlock][i%entryBlock] = t.store(id)
	t.values[i/entryBlock][i%entryBlock] = v
	t.n++
	t.index[slot] = uint32(i + 1)
	t.tags[slot] = tag
	if 4*t.n > 3*len(t.index) {
		t.grow()
	}
	var zero V
	return zero, false
}

// Value returns the value of entry i (0 <= i < Len, in the order added).
func (t *Table[V]) Value(i int) V { return t.values[i/entryBlock][i%entryBlock] }

// ID returns the ID of entry i (0 <= i < Len, in the order added).
func (t *Table[V]) ID(i int) string { return string(t.bytes(i)) }

// All yields each entry's number and value, in the order added; ID(i) gives its ID.
func (t *Table[V]) All() iter.Seq2[int, V] {
	return func(yield func(int, V) bool) {
		for i := range t.n {
			if !yield(i, t.Value(i)) {
				return
			}
		}
	}
}

// store appends id's bytes to the arena and returns where they are.
func (t *Table[V]) store(id string) place {
	need := binary.MaxVarintLen64 + len(id)
	last := len(t.arena) - 1
	if last < 0 || cap(t.arena[last])-len(t.arena[last]) < need {
		t.arena = append(t.arena, alloc[byte](&t.mem, max(byteBlock, need))[:0])
		last++
	}
	b := t.arena[last]
	p := place{block: uint32(last), off: uint32(len(b))}
	b = binary.AppendUvarint(b, uint64(len(id)))
	t.arena[last] = append(b, id...)
	return p
}

// bytes returns the stored bytes of entry i's ID.
func (t *Table[V]) bytes(i int) []byte {
	p := t.places[i/entryBlock][i%entryBlock]
	b := t.arena[p.block][p.off:]
	n, w := binary.Uvarint(b)
	return b[w : w+int(n)]
}

// find returns the entry number of id.
func (t *Table[V]) find(id string) (int, bool) {
	_, _, i, ok := t.lookup(id)
	return i, ok
}

// lookup returns id's entry number if the table holds it, else the empty slot of the
// index where it goes, and id's tag. Linear probing in an index at most 3/4 full; an entry's ID is
// compared only when its tag matches (1 in 256 of the others).
func (t *Table[V]) lookup(id string) (slot int, tag uint8, entry int, ok bool) {
	mask := len(t.index) - 1
	h := t.hash(id)
	tag = uint8(h >> 56)
	for s := int(h) & mask; ; s = (s + 1) & mask {
		e := t.index[s]
		if e == 0 {
			return s, tag, 0, false
		}
		if t.tags[s] == tag && string(t.bytes(int(e-1))) == id { // compared without a copy
			return s, tag, int(e - 1), true
		}
	}
}

// grow rebuilds the index twice as large.
func (t *Table[V]) grow() {
	size := 2 * len(t.index)
	release(&t.mem, t.index) // rebuilt from the entries, not from the old index
	release(&t.mem, t.tags)
	t.index, t.tags = nil, nil
	index, tags := alloc[uint32](&t.mem, size), alloc[uint8](&t.mem, size)
	mask := len(index) - 1
	for i := range t.n {
		b := t.bytes(i)
		h := t.hash(unsafe.String(unsafe.SliceData(b), len(b))) // the arena never changes: no copy
		s := int(h) & mask
		for index[s] != 0 {
			s = (s + 1) & mask
		}
		index[s], tags[s] = uint32(i+1), uint8(h>>56)
	}
	t.index, t.tags = index, tags
}

// Set holds the 64-bit hashes of IDs, 8 bytes a slot of an index between 3/8 and 3/4
// full, and not the IDs: it answers "maybe" (an ID with the same hash was added) or a
// sure "no". Its user must check a "maybe" some other way.
//
// The index is split in setShards parts by the hash's top bits, each growing on its own
// when 3/4 full: growing copies one part, so the old and new copies of the whole index
// are never held at once (at 10M IDs, one index of 2^24 slots took 134 MB, and 67 MB
// more while it doubled).
type Set struct {
	hash   func(string) uint64
	shards [setShards]setShard
	n      int
	mem    mem
}

// setShards is the number of parts of a Set's index, picked by a hash's top
// setShardBits bits.
const (
	setShardBits = 6
	setShards    = 1 << setShardBits
)

type setShard struct {
	slots []uint64 // 0: empty; else a hash (a hash of 0 is kept as 1); len is a power of two
	n     int
}

// NewSet returns an empty set; hash is as New's.
func NewSet(hash func(string) uint64) *Set {
	if hash == nil {
		seed := maphash.MakeSeed()
		hash = func(s string) uint64 { return maphash.String(seed, s) }
	}
	s := &Set{hash: hash}
	s.reset()
	return s
}

func (s *Set) reset() {
	for i := range s.shards {
		s.shards[i] = setShard{slots: make([]uint64, 8)}
	}
	s.n = 0
}

// Len returns how many IDs were added with a hash no earlier one had.
func (s *Set) Len() int { return s.n }

// Close frees the set's index and leaves it empty; a nil set is closed already.
func (s *Set) Close() {
	if s == nil {
		return
	}
	s.mem.releaseAll()
	s.reset()
}

// MappedBytes returns the bytes of the set kept outside the Go heap.
func (s *Set) MappedBytes() int { return s.mem.mappedBytes() }

// Add adds id's hash and reports whether an ID with the same hash was added before.
func (s *Set) Add(id string) (maybeDup bool) {
	h := s.sum(id)
	p := s.shard(h)
	slot, found := p.lookup(h)
	if found {
		return true
	}
	p.slots[slot] = h
	p.n++
	s.n++
	if 4*p.n > 3*len(p.slots) {
		old := p.slots
		p.slots = alloc[uint64](&s.mem, 2*len(old))
		for _, h := range old {
			if h != 0 {
				slot, _ := p.lookup(h)
				p.slots[slot] = h
			}
		}
		release(&s.mem, old)
	}
	return false
}

// Has reports whether an ID with id's hash was added: false means id was not.
func (s *Set) Has(id string) bool {
	h := s.sum(id)
	_, found := s.shard(h).lookup(h)
	return found
}

func (s *Set) sum(id string) uint64 { return max(s.hash(id), 1) }

// shard returns the part of the index that holds h: by its top bits, as the slot is
// taken from its bottom bits.
func (s *Set) shard(h uint64) *setShard { return &s.shards[h>>(64-setShardBits)] }

// lookup returns the slot of h, or the empty slot where it goes.
func (p *setShard) lookup(h uint64) (slot int, found bool) {
	mask := len(p.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		switch p.slots[i] {
		case 0:
			return i, false
		case h:
			return i, true
		}
	}
}
