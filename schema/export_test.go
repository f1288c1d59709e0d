package schema

import "bytes"

// SetFullParser sends every piece to yaml.v3 (on) or lets the fast path read what it
// knows (off), for benchmarks that compare the two; it returns the function that
// restores the setting.
func SetFullParser(on bool) (restore func()) {
	was := fullParser
	fullParser = on
	return func() { fullParser = was }
}

// FastPathPieces splits a file as parsing does and returns how many pieces of list
// items it has and how many of them the fast path reads.
func FastPathPieces(data []byte) (items, fast int, err error) {
	err = split(bytes.NewReader(data), func(pc piece) error {
		if pc.items {
			items++
			if _, ok := flowItems(append([]byte(itemsKey), pc.data...)); ok {
				fast++
			}
		}
		return nil
	})
	return items, fast, err
}
