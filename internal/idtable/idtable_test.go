package idtable

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// check adds ids (duplicates included) to a table and to a map and compares them.
func check(t *testing.T, tab *Table[int], ids []string) {
	t.Helper()
	want := map[string]int{}
	var order []string
	for i, id := range ids {
		first, dup := tab.Add(id, i)
		w, wdup := want[id]
		if dup != wdup || (dup && first != w) {
			t.Fatalf("Add(%q) = %d, %v; want %d, %v", id, first, dup, w, wdup)
		}
		if !wdup {
			want[id] = i
			order = append(order, id)
		}
	}
	if tab.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", tab.Len(), len(want))
	}
	for id, w := range want {
		if v, ok := tab.Get(id); !ok || v != w {
			t.Fatalf("Get(%q) = %d, %v; want %d, true", id, v, ok, w)
		}
		if !tab.Has(id) {
			t.Fatalf("Has(%q) = false", id)
		}
	}
	for _, id := range []string{"absent", "", "x" + ids[0], ids[0][:len(ids[0])-1]} {
		if _, in := want[id]; in {
			continue
		}
		if v, ok := tab.Get(id); ok {
			t.Fatalf("Get(%q) = %d, true for an ID never added", id, v)
		}
	}
	n := 0
	for i, v := range tab.All() {
		if tab.ID(i) != order[i] || v != want[order[i]] {
			t.Fatalf("entry %d = %q %d, want %q %d", i, tab.ID(i), v, order[i], want[order[i]])
		}
		n++
	}
	if n != len(order) {
		t.Fatalf("All yielded %d entries, want %d", n, len(order))
	}
}

func ids(n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf("rel-%d", i))
		if i%7 == 0 {
			out = append(out, fmt.Sprintf("rel-%d", i/2)) // a duplicate, or (i/2 not yet added) a first
		}
	}
	return append(out, strings.Repeat("long-", 300000)) // over a block of the arena
}

func TestTable(t *testing.T) {
	check(t, New[int](nil), ids(100000))
}

// TestCollisions gives every ID the same hash (or one of two): each lookup then walks
// every entry, and must still find exactly the ID asked for.
func TestCollisions(t *testing.T) {
	check(t, New[int](func(string) uint64 { return 42 }), ids(3000))
	check(t, New[int](func(s string) uint64 { return uint64(len(s) % 2) }), ids(3000))
}

// TestMemory measures the memory a million IDs take (on the heap and in mappings),
// against a map[string]V of the same.
func TestMemory(t *testing.T) {
	type value [4]uint32 // 16 bytes, as the validator's
	const n = 1000000
	keys := make([]string, n)
	for i := range keys {
		keys[i] = fmt.Sprintf("rel-%07d", i) // 11 bytes, as gen's
	}
	heap := func(fill func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		fill()
		runtime.GC()
		runtime.ReadMemStats(&after)
		return after.HeapAlloc - before.HeapAlloc
	}
	var tab *Table[value]
	heapBytes := heap(func() {
		tab = New[value](nil)
		for _, k := range keys {
			tab.Add(k, value{})
		}
	})
	tabBytes := heapBytes + uint64(tab.MappedBytes())
	defer tab.Close()
	t.Logf("of the table's bytes, %.1f MB on the Go heap", float64(heapBytes)/1e6)
	if heapBytes*10 > tabBytes {
		t.Errorf("%d of the table's %d bytes are on the Go heap, want under a tenth", heapBytes, tabBytes)
	}
	var m map[string]value
	mapBytes := heap(func() {
		m = map[string]value{}
		for _, k := range keys {
			m[strings.Clone(k)] = value{} // the map owns its keys, as the validator's does
		}
	})
	t.Logf("1M IDs: table %.1f MB (%.1f bytes an ID), map %.1f MB", float64(tabBytes)/1e6, float64(tabBytes)/n, float64(mapBytes)/1e6)
	if tabBytes*4 > mapBytes*3 {
		t.Errorf("the table takes %d bytes, not under 3/4 of the map's %d", tabBytes, mapBytes)
	}
	if perID := float64(tabBytes) / n; perID > 48 {
		t.Errorf("the table takes %.1f bytes an ID, want at most 48 (11 of ID, 1 of length, 8 of place, 16 of value, 4 to 8 of index)", perID)
	}
	runtime.KeepAlive(tab)
	runtime.KeepAlive(m)
}

// benchKeys are the 2^20 IDs BenchmarkAdd and BenchmarkMap add and look up.
func benchKeys() []string {
	keys := make([]string, 1<<20)
	for i := range keys {
		keys[i] = fmt.Sprintf("rel-%07d", i)
	}
	return keys
}

func BenchmarkAdd(b *testing.B) {
	keys := benchKeys()
	b.ResetTimer()
	for range b.N {
		tab := New[uint32](nil)
		for _, k := range keys {
			tab.Add(k, 1)
		}
		for _, k := range keys {
			tab.Get(k)
		}
	}
}

func BenchmarkMap(b *testing.B) {
	keys := benchKeys()
	b.ResetTimer()
	for range b.N {
		m := map[string]uint32{}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				m[k] = 1
			}
		}
		for _, k := range keys {
			_ = m[k]
		}
	}
}

// TestSet: every ID added is there, an ID never added is not (with a hash that does
// not collide), and with a colliding hash, every ID is a "maybe".
func TestSet(t *testing.T) {
	s := NewSet(nil)
	for i := range 100000 {
		if s.Add(fmt.Sprintf("rel-%d", i)) {
			t.Fatalf("rel-%d: a maybe-duplicate on its first add", i)
		}
	}
	if !s.Add("rel-77") || s.Len() != 100000 {
		t.Fatalf("a second add of rel-77 is not a maybe-duplicate, or Len %d", s.Len())
	}
	for i := range 100000 {
		if !s.Has(fmt.Sprintf("rel-%d", i)) || s.Has(fmt.Sprintf("node-%d", i)) {
			t.Fatalf("Has(rel-%d) false, or Has(node-%d) true", i, i)
		}
	}
	c := NewSet(func(string) uint64 { return 0 })
	if c.Add("a") || !c.Add("b") || !c.Has("c") {
		t.Fatal("with one hash for every ID: want b a maybe-duplicate of a, and c maybe there")
	}
}

// TestClose: a closed table or set holds nothing, keeps no mapping, and works again.
func TestClose(t *testing.T) {
	before := Mapped() // other tests' tables, not closed
	tab := New[int](nil)
	s := NewSet(nil)
	for i := range 200000 {
		tab.Add(fmt.Sprintf("rel-%d", i), i)
		s.Add(fmt.Sprintf("rel-%d", i))
	}
	if tab.MappedBytes() == 0 || s.MappedBytes() == 0 {
		t.Fatalf("mapped bytes: table %d, set %d; want both over 0 at 200,000 IDs", tab.MappedBytes(), s.MappedBytes())
	}
	for range 2 { // a second Close changes nothing
		tab.Close()
		s.Close()
		if tab.MappedBytes() != 0 || s.MappedBytes() != 0 || tab.Len() != 0 || s.Len() != 0 {
			t.Fatalf("after Close: mapped %d and %d bytes, Len %d and %d; want 0", tab.MappedBytes(), s.MappedBytes(), tab.Len(), s.Len())
		}
		if tab.Has("rel-7") || s.Has("rel-7") {
			t.Fatal("after Close, rel-7 is still there")
		}
	}
	check(t, tab, ids(50000)) // as a new table
	tab.Close()
	if n := Mapped() - before; n != 0 {
		t.Errorf("%d bytes more mapped in the process after the table and set were closed", n)
	}
	var none *Table[int]
	none.Close()
	var noSet *Set
	noSet.Close()
}

// TestPointersStayOnTheHeap: values that hold pointers are never put where the
// collector does not look; after collections they are all still there.
func TestPointersStayOnTheHeap(t *testing.T) {
	tab := New[*string](nil)
	defer tab.Close()
	const n = 100000
	for i := range n {
		v := fmt.Sprintf("value-%d", i)
		tab.Add(fmt.Sprintf("id-%d", i), &v)
	}
	runtime.GC()
	runtime.GC()
	for i := range n {
		if v, ok := tab.Get(fmt.Sprintf("id-%d", i)); !ok || *v != fmt.Sprintf("value-%d", i) {
			t.Fatalf("id-%d: got %v, %v", i, v, ok)
		}
	}
	for _, c := range []struct {
		v    any
		want bool
	}{{uint16(0), true}, {[4]uint32{}, true}, {struct {
		a uint32
		b [2]uint8
	}{}, true}, {"", false}, {[]int(nil), false}, {[1]*int{}, false}, {struct{ m map[int]int }{}, false}} {
		if got := pointerFree(reflect.TypeOf(c.v)); got != c.want {
			t.Errorf("pointerFree(%T) = %v, want %v", c.v, got, c.want)
		}
	}
}

// TestSetShardsGrowAlone: each part of a set's index grows on its own, so the set never
// maps much more than its index needs; every ID added is found.
func TestSetShardsGrowAlone(t *testing.T) {
	s := NewSet(nil)
	defer s.Close()
	const n = 1 << 20
	for i := range n {
		if s.Add(fmt.Sprintf("rel-%d", i)) {
			t.Fatalf("rel-%d: a maybe-duplicate on its first add", i)
		}
	}
	for i := range n {
		if !s.Has(fmt.Sprintf("rel-%d", i)) {
			t.Fatalf("rel-%d not found", i)
		}
	}
	slots := 0
	for _, p := range s.shards {
		slots += len(p.slots)
		if 4*p.n > 3*len(p.slots) {
			t.Fatalf("a part holds %d in %d slots: over 3/4", p.n, len(p.slots))
		}
	}
	if slots < n*4/3 || slots > n*8/3+setShards*8 {
		t.Errorf("%d slots for %d IDs: want between 4/3 and 8/3 of them", slots, n)
	}
	if m := s.MappedBytes(); m > 8*slots {
		t.Errorf("%d bytes mapped for %d slots: an old index was not freed", m, slots)
	}
}
