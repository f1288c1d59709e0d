package schema

import "github.com/backchannel/backchannel/internal/idtable"

// IDs are the IDs of a dataset that validated, in the validator's own table, handed
// over by ValidateWith (Options.KeepIDs) so that its caller needs no table of its own:
// each source's and node's, with the node's kind, and with
// Options.KeepRelationshipIDs each relationship's. The table is kept outside the Go
// heap (internal/idtable): Close frees it. A nil IDs holds none.
type IDs struct{ t *idtable.Table[idEntry] }

// Lookup returns the record kind of the record that defines id (RecordSource,
// RecordNode or RecordRelationship; "" for none), and for a node, the index of its
// kind in the vocabulary's NodeKinds.
func (d *IDs) Lookup(id string) (record string, kind int) {
	if d == nil {
		return "", -1
	}
	e, ok := d.t.Get(id)
	if !ok {
		return "", -1
	}
	return recordKinds[e.record], int(e.kind) - 1
}

// Len returns how many IDs it holds.
func (d *IDs) Len() int {
	if d == nil {
		return 0
	}
	return d.t.Len()
}

// Close frees the table; the IDs then hold none.
func (d *IDs) Close() {
	if d != nil {
		d.t.Close()
	}
}

// release frees the validator's tables, unless handed over (then ids is nil).
func (x *Validator) release() {
	x.ids.Close()
	x.rels.Close()
}
