package schema

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// The field rules are the validator/v10 tags of types.go, and validator/v10 is what
// reports their failures. But it walks each record by reflection with an interface value
// per field (28% of validation's CPU on gen's files), while almost every record passes.
// So each record type's tags are also read here, once, into a list of plain checks: a
// record that passes them all is one validator/v10 would pass (it is not called); any
// other, and any record with a tag or a field the proof does not know, goes to
// validator/v10, which says what is wrong. FuzzFieldProof checks that the two agree.
// The checks read the fields at their offsets (reflect's StructField.Offset, of the
// types the proof was made from) rather than through reflect.Value, which cost as
// much as the checks themselves.

// stringTags are the custom tags of the field rules, each a check of a string; they are
// registered with validator/v10 (newFieldValidator) and used by the proof.
var stringTags = map[string]func(string) bool{
	"slug":       func(s string) bool { return len(s) <= MaxIDLength && isSlug(s) },
	"qid":        func(s string) bool { return isQIDPlaceholder(s) || isQID(s) },
	"cameoactor": func(s string) bool { return len(s) <= 30 && isCameoActor(s) },
	"cameoevent": isCameoEvent,
	"quote":      func(s string) bool { return strings.TrimSpace(s) != "" },
}

// proof is the field rules of one struct type as plain checks.
type proof struct {
	fields []proofField
	// known is false when a tag or a field is one the proof does not read: then it
	// proves nothing and validator/v10 checks every record of the type.
	known bool
}

type proofField struct {
	offset uintptr      // in the struct
	kind   reflect.Kind // String, Slice, Struct or Pointer (a pointer without tags)
	rules  []proofRule  // the field's tags (for a slice: those before dive)
	elem   []proofRule  // for a slice of strings: the tags after dive, on each element
	sub    *proof       // for a struct, or a slice of structs: the struct's rules
	size   uintptr      // for a slice of structs: the size of an element
}

type proofRule struct {
	op    ruleOp
	n     int               // max, min
	other uintptr           // required_without: the offset of the other field, a string
	words []string          // oneof
	fn    func(string) bool // a custom tag
}

// ruleOp is a tag the proof reads: required, omitempty, required_without, max, min,
// oneof, or a custom tag (stringTags).
type ruleOp uint8

const (
	opRequired ruleOp = iota
	opOmitempty
	opRequiredWithout
	opMax
	opMin
	opOneof
	opCustom
)

var ruleOps = map[string]ruleOp{"required": opRequired, "omitempty": opOmitempty, "required_without": opRequiredWithout, "max": opMax, "min": opMin, "oneof": opOneof}

// The proofs of the record types, made from their tags.
var (
	sourceProof       = newProof(reflect.TypeOf(Source{}))
	nodeProof         = newProof(reflect.TypeOf(Node{}))
	relationshipProof = newProof(reflect.TypeOf(Relationship{}))
)

// newProof reads the validate tags of a struct type.
func newProof(t reflect.Type) *proof {
	p := &proof{known: true}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("validate")
		pf := proofField{offset: f.Offset, kind: f.Type.Kind()}
		switch {
		case f.Type.Kind() == reflect.String:
			pf.rules = p.rules(t, tag)
		case f.Type.Kind() == reflect.Struct && tag == "":
			pf.sub = newProof(f.Type) // when unknown, its passes is false
		case f.Type.Kind() == reflect.Pointer && tag == "":
			// nil passes, and so does a pointer to a value without tags (*bool); a
			// struct's fields must pass its rules
			if e := f.Type.Elem(); e.Kind() == reflect.Struct {
				pf.sub = newProof(e)
			}
		case f.Type.Kind() == reflect.Slice:
			before, after, dive := strings.Cut(tag, ",dive")
			if !dive {
				if before, dive = strings.CutPrefix(tag, "dive"); !dive {
					p.known = false
					continue
				}
				before, after = "", before
			}
			pf.rules = p.rules(t, before)
			after = strings.TrimPrefix(after, ",")
			switch e := f.Type.Elem(); {
			case e.Kind() == reflect.String:
				pf.elem = p.rules(t, after)
			case e.Kind() == reflect.Struct && after == "":
				pf.sub, pf.size = newProof(e), e.Size()
			default:
				p.known = false
			}
		default:
			p.known = false
		}
		if !pf.alwaysPasses() {
			p.fields = append(p.fields, pf)
		}
	}
	return p
}

// alwaysPasses reports whether a field has nothing to check: a string without tags, or
// a struct (or a pointer to one, or to a value without tags) whose fields have none.
func (pf *proofField) alwaysPasses() bool {
	empty := pf.sub == nil || pf.sub.known && len(pf.sub.fields) == 0
	switch pf.kind {
	case reflect.String:
		return len(pf.rules) == 0
	case reflect.Struct:
		return pf.sub != nil && empty
	case reflect.Pointer:
		return empty
	}
	return false
}

// rules reads a list of tags of a field of t; a tag it does not know makes p unknown.
func (p *proof) rules(t reflect.Type, tag string) []proofRule {
	if tag == "" {
		return nil
	}
	var out []proofRule
	for _, s := range strings.Split(tag, ",") {
		name, param, _ := strings.Cut(s, "=")
		op, ok := ruleOps[name]
		if !ok {
			op = opCustom
		}
		r := proofRule{op: op}
		switch name {
		case "required", "omitempty":
		case "required_without":
			f, ok := t.FieldByName(param)
			if !ok || f.Type.Kind() != reflect.String || len(f.Index) != 1 {
				p.known = false
				break
			}
			r.other = f.Offset
		case "max", "min":
			n, err := strconv.Atoi(param)
			if err != nil {
				p.known = false
			}
			r.n = n
		case "oneof":
			if strings.ContainsAny(param, "'") { // validator/v10 reads quoted words
				p.known = false
			}
			r.words = strings.Fields(param)
		default:
			fn, ok := stringTags[name]
			if !ok || param != "" {
				p.known = false
			}
			r.fn = fn
		}
		out = append(out, r)
	}
	return out
}

// passes reports whether validator/v10 would find nothing wrong with the struct at v,
// of p's type; false means that it has to be asked (a field fails, or the proof does
// not know a tag or a field's value).
func (p *proof) passes(v unsafe.Pointer) bool {
	if !p.known {
		return false
	}
	for i := range p.fields {
		pf := &p.fields[i]
		f := unsafe.Add(v, pf.offset)
		switch pf.kind {
		case reflect.String:
			if !stringPasses(*(*string)(f), pf.rules, v) {
				return false
			}
		case reflect.Struct:
			if !pf.sub.passes(f) {
				return false
			}
		case reflect.Pointer:
			if e := *(*unsafe.Pointer)(f); e != nil && pf.sub != nil && !pf.sub.passes(e) {
				return false
			}
		case reflect.Slice:
			// Any slice's header read as a []byte's: the same data pointer and length.
			list := *(*[]byte)(f)
			if !slicePasses(list == nil, len(list), pf.rules) {
				return false
			}
			if pf.sub != nil {
				for j := range len(list) {
					if !pf.sub.passes(unsafe.Add(unsafe.Pointer(unsafe.SliceData(list)), uintptr(j)*pf.size)) {
						return false
					}
				}
			} else {
				for _, s := range *(*[]string)(f) {
					if !stringPasses(s, pf.elem, v) {
						return false
					}
				}
			}
		}
	}
	return true
}

// stringPasses applies a string field's tags in order, as validator/v10 does: omitempty
// passes an empty value at once; any other tag must hold. parent is the struct the
// field is in.
func stringPasses(s string, rules []proofRule, parent unsafe.Pointer) bool {
	for i := range rules {
		r := &rules[i]
		var ok bool
		switch r.op {
		case opRequired:
			ok = s != ""
		case opOmitempty:
			if s == "" {
				return true
			}
			ok = true
		case opRequiredWithout:
			ok = s != "" || *(*string)(unsafe.Add(parent, r.other)) != ""
		case opMax:
			ok = len(s) <= r.n || utf8.RuneCountInString(s) <= r.n
		case opMin:
			ok = utf8.RuneCountInString(s) >= r.n
		case opOneof:
			ok = false
			for _, w := range r.words {
				if s == w {
					ok = true
					break
				}
			}
		default:
			ok = r.fn(s)
		}
		if !ok {
			return false
		}
	}
	return true
}

// slicePasses applies a slice's own tags (those before dive) to a slice of n elements,
// nil or not.
func slicePasses(isNil bool, n int, rules []proofRule) bool {
	for _, r := range rules {
		var ok bool
		switch r.op {
		case opRequired:
			ok = !isNil
		case opOmitempty:
			if isNil {
				return true
			}
			ok = true
		case opMax:
			ok = n <= r.n
		case opMin:
			ok = n >= r.n
		default:
			return false // not a tag of a list the proof knows
		}
		if !ok {
			return false
		}
	}
	return true
}

// fieldsPass reports whether a record's fields pass the field rules without asking
// validator/v10 (see proof.passes).
func fieldsPass(rec Record) bool {
	switch {
	case rec.Source != nil:
		return sourceProof.passes(unsafe.Pointer(rec.Source))
	case rec.Node != nil:
		return nodeProof.passes(unsafe.Pointer(rec.Node))
	case rec.Relationship != nil:
		return relationshipProof.passes(unsafe.Pointer(rec.Relationship))
	}
	return false
}
