package schema

import (
	"bytes"
	"strings"
)

// SetFullParser sends every piece to yaml.v3 (on) or lets the fast path read what it
// knows (off), for benchmarks that compare the two; it returns the function that
// restores the setting.
func SetFullParser(on bool) (restore func()) {
	was := fullParser
	fullParser = on
	return func() { fullParser = was }
}

// FastPathPieces splits a file as parsing does and returns how many pieces of list
// items it has, how many of them the fast path reads into a tree, and how many the
// direct decode reads (the key of the list: the last top-level key before the piece).
func FastPathPieces(data []byte) (items, fast, direct int, err error) {
	var f flowScanner
	key := ""
	err = split(bytes.NewReader(data), func(pc piece) error {
		if !pc.items {
			for _, line := range bytes.Split(pc.data, []byte("\n")) {
				if isKeyLine(line) {
					key, _, _ = strings.Cut(string(line), ":")
				}
			}
			return nil
		}
		items++
		data := append([]byte(itemsKey), pc.data...)
		if _, ok := f.items(data); ok {
			fast++
		}
		if _, ok := f.records(data, key, "f.yaml", 0); ok {
			direct++
		}
		return nil
	})
	return items, fast, direct, err
}
