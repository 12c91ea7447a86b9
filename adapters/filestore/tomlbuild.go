package filestore

import (
	"errors"
	"unsafe"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
)

// errNotBuilt says that buildTOML refused a document; decode then asks
// go-toml's own decoder, whose error (with line and column) is the one
// reported.
var errNotBuilt = errors.New("toml: document not built")

// buildTOML decodes data into the generic map go-toml's Unmarshal into a
// map[string]any gives, in time linear in len(data). It walks go-toml's
// own parser (unstable.Parser) and checks redefinitions and duplicate keys
// with the rules of go-toml's internal tracker (tables, tables made by
// dotted keys, arrays of tables, values), but finds each key in a hash map
// of its parent instead of scanning every key seen so far, which made
// go-toml's Unmarshal quadratic in the number of tables (5,000 accounts
// and 5,000 targets took a second). Any document it refuses — invalid
// TOML, a duplicate — returns errNotBuilt, and decode lets go-toml's
// decoder report it.
func buildTOML(data []byte) (map[string]any, error) {
	// About one table per 64 bytes in a config of accounts and targets.
	b := tomlBuilder{
		entries: make([]tomlEntry, 0, len(data)/64+1),
		keys:    make(map[tomlKey]int32, len(data)/64),
		data:    data,
		src:     string(data),
	}
	root := map[string]any{}
	b.entries = append(b.entries, tomlEntry{kind: kindTable, explicit: true, m: root})
	var p unstable.Parser
	p.Reset(data)
	tableDepth := 0
	for p.NextExpression() {
		e := p.Expression()
		// The nesting check of checkNesting, in the same pass: an
		// expression is measured before anything is built for it.
		if exprDepth(e, &tableDepth) > MaxNesting {
			return nil, &tooDeepError{offset: keyOffset(e)}
		}
		var err error
		switch e.Kind {
		case unstable.KeyValue:
			err = b.keyValue(b.current, e)
		case unstable.Table:
			err = b.table(e)
		case unstable.ArrayTable:
			err = b.arrayTable(e)
		default:
			err = errNotBuilt
		}
		if err != nil {
			return nil, err
		}
	}
	if p.Error() != nil {
		return nil, errNotBuilt
	}
	return root, nil
}

// The kinds of entries, as go-toml's tracker has them.
const (
	kindValue      uint8 = iota + 1 // a scalar, array or inline table: never extended
	kindKVTable                     // a table made by a dotted key: extended only by dotted keys
	kindTable                       // a table made by a [header] (explicit) or on the way to one
	kindArrayTable                  // an array of tables made by [[header]]
)

// tomlEntry is a key seen in the document (the root is entry 0); m is the
// map its keys go into (for an array of tables, that of its last element).
type tomlEntry struct {
	kind     uint8
	explicit bool
	m        map[string]any
}

// tomlKey names a table entry: its parent's id and its name. One hash map
// of them finds any table in constant time (the linear part); a value is
// found in its parent's map, which holds every key of the parent.
type tomlKey struct {
	parent int32
	name   string
}

type tomlBuilder struct {
	entries []tomlEntry
	keys    map[tomlKey]int32
	current int32
	// data is the document and src the same bytes as one string: the keys
	// and strings written without escapes (nearly all) are substrings of
	// src, not one allocation each.
	data []byte
	src  string
}

// noEntry is the id find gives for a value: values have no entry.
const noEntry = -1

// find returns the entry of the key name below parent and its kind; a
// value has the kind kindValue and no entry (noEntry).
func (b *tomlBuilder) find(parent int32, name string) (int32, uint8, bool) {
	if i, ok := b.keys[tomlKey{parent, name}]; ok {
		return i, b.entries[i].kind, true
	}
	if _, ok := b.entries[parent].m[name]; ok {
		return noEntry, kindValue, true
	}
	return 0, 0, false
}

// create adds the table entry name below parent, with m as its map.
func (b *tomlBuilder) create(parent int32, name string, kind uint8, explicit bool, m map[string]any) int32 {
	id := int32(len(b.entries))
	b.entries = append(b.entries, tomlEntry{kind: kind, explicit: explicit, m: m})
	b.keys[tomlKey{parent, name}] = id
	return id
}

// str returns raw as a string: a substring of the document when raw lies
// in it (a key or a string without escapes), a copy otherwise.
func (b *tomlBuilder) str(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(b.data)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	if p >= base && p-base <= uintptr(len(b.data)-len(raw)) {
		off := int(p - base)
		return b.src[off : off+len(raw)]
	}
	return string(raw)
}

// newTable creates a table entry below parent and its map in the parent's.
func (b *tomlBuilder) newTable(parent int32, name string, kind uint8, explicit bool) int32 {
	m := map[string]any{}
	b.entries[parent].m[name] = m
	return b.create(parent, name, kind, explicit, m)
}

// walk follows the parts of a header key but the last from the root,
// creating implicit tables; it returns the parent of the last part and
// that part.
func (b *tomlBuilder) walk(e *unstable.Node) (int32, string, error) {
	parent := int32(0)
	it := e.Key()
	for it.Next() {
		name := b.str(it.Node().Data)
		if it.IsLast() {
			return parent, name, nil
		}
		i, k, ok := b.find(parent, name)
		if !ok {
			i = b.newTable(parent, name, kindTable, false)
		} else if k != kindTable && k != kindArrayTable && k != kindKVTable {
			return 0, "", errNotBuilt // already a value
		}
		parent = i
	}
	return 0, "", errNotBuilt
}

func (b *tomlBuilder) table(e *unstable.Node) error {
	parent, name, err := b.walk(e)
	if err != nil {
		return err
	}
	i, k, ok := b.find(parent, name)
	if !ok {
		b.current = b.newTable(parent, name, kindTable, true)
		return nil
	}
	if k != kindTable || b.entries[i].explicit {
		return errNotBuilt // defined twice, by a dotted key, as an array of tables or a value
	}
	t := &b.entries[i]
	t.explicit = true
	b.current = i
	return nil
}

func (b *tomlBuilder) arrayTable(e *unstable.Node) error {
	parent, name, err := b.walk(e)
	if err != nil {
		return err
	}
	elem := map[string]any{}
	pm := b.entries[parent].m
	_, k, ok := b.find(parent, name)
	if !ok {
		pm[name] = []any{elem}
		b.current = b.create(parent, name, kindArrayTable, true, elem)
		return nil
	}
	if k != kindArrayTable {
		return errNotBuilt
	}
	pm[name] = append(pm[name].([]any), elem)
	// A new entry for the new element: the keys of the previous one
	// (children of the old id) are out of reach.
	b.current = b.create(parent, name, kindArrayTable, true, elem)
	return nil
}

// keyValue adds the key/value kv below the table entry parent.
func (b *tomlBuilder) keyValue(parent int32, kv *unstable.Node) error {
	it := kv.Key()
	for it.Next() {
		name := b.str(it.Node().Data)
		if it.IsLast() {
			if _, _, ok := b.find(parent, name); ok {
				return errNotBuilt // already defined
			}
			v, err := b.value(kv.Value())
			if err != nil {
				return err
			}
			b.entries[parent].m[name] = v
			return nil
		}
		i, k, ok := b.find(parent, name)
		if !ok {
			i = b.newTable(parent, name, kindKVTable, false)
		} else if k != kindKVTable {
			return errNotBuilt
		}
		parent = i
	}
	return errNotBuilt
}

// value converts one value. An inline table gets an entry of its own (not
// reachable by name), so that its keys are checked for duplicates too.
func (b *tomlBuilder) value(v *unstable.Node) (any, error) {
	switch v.Kind {
	case unstable.String:
		return b.str(v.Data), nil
	case unstable.Bool:
		return len(v.Data) == 4, nil // "true" or "false", checked by the parser
	case unstable.Integer:
		if n, ok := plainInt(v.Data); ok {
			return n, nil
		}
		return scalar(v.Data)
	case unstable.Float, unstable.LocalDate, unstable.LocalTime, unstable.LocalDateTime, unstable.DateTime:
		return scalar(v.Data)
	case unstable.InlineTable:
		m := map[string]any{}
		id := int32(len(b.entries))
		b.entries = append(b.entries, tomlEntry{kind: kindKVTable, m: m})
		it := v.Children()
		for it.Next() {
			if err := b.keyValue(id, it.Node()); err != nil {
				return nil, err
			}
		}
		return m, nil
	case unstable.Array:
		out := []any{}
		it := v.Children()
		for it.Next() {
			elem, err := b.value(it.Node())
			if err != nil {
				return nil, err
			}
			out = append(out, elem)
		}
		return out, nil
	}
	return nil, errNotBuilt
}

// plainInt parses a decimal integer without sign, underscore or leading
// zero (what mp writes: workspace ids); anything else goes to scalar.
func plainInt(raw []byte) (int64, bool) {
	if len(raw) == 0 || len(raw) > 18 || (raw[0] == '0' && len(raw) > 1) {
		return 0, false
	}
	var n int64
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

// scalar converts a number or date-time the way go-toml's decoder does,
// by decoding it alone (these are rare in a config file: mp writes none).
func scalar(raw []byte) (any, error) {
	var m map[string]any
	doc := make([]byte, 0, len(raw)+5)
	doc = append(append(doc, "v = "...), raw...)
	if err := toml.Unmarshal(append(doc, '\n'), &m); err != nil {
		return nil, errNotBuilt
	}
	v, ok := m["v"]
	if !ok {
		return nil, errNotBuilt
	}
	return v, nil
}
