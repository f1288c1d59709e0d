//go:build !unix

package idtable

import "errors"

// mapAnon fails where the system has no anonymous mappings: blocks are Go memory.
func mapAnon(int) ([]byte, error) { return nil, errors.New("no anonymous mappings") }

func unmap([]byte) error { return nil }
