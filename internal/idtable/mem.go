package idtable

import (
	"reflect"
	"sync/atomic"
	"unsafe"
)

// offHeapMin is the smallest block kept outside the Go heap: below it, a mapping's
// system calls and its page cost more than the collector's share of the block.
const offHeapMin = 64 << 10

// mem allocates a table's blocks and frees them. A block of offHeapMin bytes or more,
// of a type that holds no pointer, is an anonymous mapping where the system has them
// (map_unix.go): outside the Go heap, so the garbage collector neither scans it nor
// counts it in its target. With Go's default GOGC=100 the heap grows to twice what is
// live before a collection, and at 10M relationships the tables are most of what is
// live: on the heap, they were counted twice. RSS counts a mapping's pages once
// touched, as it does the heap's. A smaller block, one of a type with pointers, and
// any block whose mapping fails are ordinary Go memory, which the collector frees.
type mem struct {
	mapped map[uintptr][]byte // the mappings not yet freed, by address
}

// alloc returns n zeroed values of T.
func alloc[T any](m *mem, n int) []T {
	size := int(unsafe.Sizeof(*new(T)))
	if n <= 0 || size == 0 || n*size < offHeapMin || !pointerFree(reflect.TypeFor[T]()) {
		return make([]T, n)
	}
	b, err := mapAnon(n * size)
	if err != nil {
		return make([]T, n)
	}
	if m.mapped == nil {
		m.mapped = map[uintptr][]byte{}
	}
	p := unsafe.SliceData(b)
	m.mapped[uintptr(unsafe.Pointer(p))] = b
	mapped.Add(int64(len(b)))
	return unsafe.Slice((*T)(unsafe.Pointer(p)), n) // a mapping is page-aligned
}

// release frees s when alloc mapped it; Go memory is left to the collector. s must not
// be used after.
func release[T any](m *mem, s []T) {
	if cap(s) == 0 {
		return
	}
	addr := uintptr(unsafe.Pointer(unsafe.SliceData(s)))
	if b, ok := m.mapped[addr]; ok {
		delete(m.mapped, addr)
		_ = unmap(b) // fails only for a range that is not a mapping
		mapped.Add(-int64(len(b)))
	}
}

// releaseAll frees every mapping alloc made. None of its blocks may be used after.
func (m *mem) releaseAll() {
	for _, b := range m.mapped {
		_ = unmap(b)
		mapped.Add(-int64(len(b)))
	}
	m.mapped = nil
}

// mapped counts the bytes of every table's mappings not yet freed.
var mapped atomic.Int64

// Mapped returns the bytes of the mappings of every table and set of the process not
// yet freed: tests check that each path frees them.
func Mapped() int64 { return mapped.Load() }

// mappedBytes returns the bytes of the mappings not yet freed.
func (m *mem) mappedBytes() int {
	n := 0
	for _, b := range m.mapped {
		n += len(b)
	}
	return n
}

// pointerFree reports whether a value of type t holds no pointer, so that the collector
// need not see it.
func pointerFree(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return t.Len() == 0 || pointerFree(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if !pointerFree(t.Field(i).Type) {
				return false
			}
		}
		return true
	}
	return false
}
