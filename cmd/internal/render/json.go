package render

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
)

// JSONFunc writes one record of type T with e, field by field, exactly as
// encoding/json writes it (WriteJSON for json, compact for jsonl): the
// struct's fields in order, under their tag names, omitempty ones left out
// when empty, nil pointers and slices as null. Lists of thousands of
// records render through it without reflection, re-indentation or a copy
// of the whole document (ListJSON); a test of each one compares it with
// encoding/json.
type JSONFunc[T any] func(e *JSONEncoder, v T)

// JSONEncoder writes JSON values as encoding/json does, indented by two
// spaces (WriteJSON) or compact (jsonl): a record type's JSONFunc drives
// it with BeginObject, Field and the value methods.
type JSONEncoder struct {
	out    *chunkWriter
	indent bool
	depth  int
	// empty says, per open container, that nothing was written in it
	// yet: an empty array or object stays "[]" or "{}" on one line, and
	// the first element takes no comma.
	empty []bool
	// afterKey is set by Field: the value that follows takes no comma
	// and no line of its own.
	afterKey bool
	// scratch encodes the strings the fast path of String leaves to
	// encoding/json.
	scratch bytes.Buffer
}

// beginValue writes what goes before a value: after a Field nothing,
// else a comma after a previous element and, indented, a new line.
func (e *JSONEncoder) beginValue() {
	if e.afterKey {
		e.afterKey = false
		return
	}
	if n := len(e.empty); n > 0 {
		if !e.empty[n-1] {
			e.out.buf = append(e.out.buf, ',')
		}
		e.empty[n-1] = false
		e.newline()
	}
}

// newline starts a new line at the current depth (indented only).
func (e *JSONEncoder) newline() {
	if !e.indent {
		return
	}
	e.out.buf = append(e.out.buf, '\n')
	for range e.depth {
		e.out.buf = append(e.out.buf, ' ', ' ')
	}
}

func (e *JSONEncoder) open(c byte) {
	e.beginValue()
	e.out.buf = append(e.out.buf, c)
	e.empty = append(e.empty, true)
	e.depth++
}

func (e *JSONEncoder) close(c byte) {
	n := len(e.empty)
	wasEmpty := e.empty[n-1]
	e.empty = e.empty[:n-1]
	e.depth--
	if !wasEmpty {
		e.newline()
	}
	e.out.buf = append(e.out.buf, c)
}

// BeginObject starts an object; EndObject ends it.
func (e *JSONEncoder) BeginObject() { e.open('{') }

// EndObject ends the object BeginObject started.
func (e *JSONEncoder) EndObject() { e.close('}') }

// BeginArray starts an array; EndArray ends it.
func (e *JSONEncoder) BeginArray() { e.open('[') }

// EndArray ends the array BeginArray started.
func (e *JSONEncoder) EndArray() { e.close(']') }

// Field writes the name of an object member; its value follows. name is
// written as is: it must need no escaping (a struct tag's name).
func (e *JSONEncoder) Field(name string) {
	e.beginValue()
	e.out.buf = append(e.out.buf, '"')
	e.out.buf = append(e.out.buf, name...)
	e.out.buf = append(e.out.buf, '"', ':')
	if e.indent {
		e.out.buf = append(e.out.buf, ' ')
	}
	e.afterKey = true
}

// String writes s as a JSON string, escaped as encoding/json escapes it
// without HTML escaping.
func (e *JSONEncoder) String(s string) {
	e.beginValue()
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			e.slowString(s)
			return
		}
	}
	e.out.buf = append(e.out.buf, '"')
	e.out.buf = append(e.out.buf, s...)
	e.out.buf = append(e.out.buf, '"')
}

// StringFieldOmitEmpty writes the member name: s unless s is empty — a
// string field tagged omitempty.
func (e *JSONEncoder) StringFieldOmitEmpty(name, s string) {
	if s == "" {
		return
	}
	e.Field(name)
	e.String(s)
}

// slowString has encoding/json escape s: control characters, invalid
// UTF-8, U+2028 and U+2029 and the rest of its rules.
func (e *JSONEncoder) slowString(s string) {
	e.scratch.Reset()
	enc := json.NewEncoder(&e.scratch)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	e.out.buf = append(e.out.buf, bytes.TrimSuffix(e.scratch.Bytes(), []byte("\n"))...)
}

// OptionalString writes *s, or null when s is nil.
func (e *JSONEncoder) OptionalString(s *string) {
	if s == nil {
		e.Null()
		return
	}
	e.String(*s)
}

// Strings writes a list of strings: null when nil, [] when empty.
func (e *JSONEncoder) Strings(list []string) {
	if list == nil {
		e.Null()
		return
	}
	e.BeginArray()
	for _, s := range list {
		e.String(s)
	}
	e.EndArray()
}

// Int writes n.
func (e *JSONEncoder) Int(n int64) {
	e.beginValue()
	e.out.buf = strconv.AppendInt(e.out.buf, n, 10)
}

// OptionalInt writes *n, or null when n is nil.
func (e *JSONEncoder) OptionalInt(n *int64) {
	if n == nil {
		e.Null()
		return
	}
	e.Int(*n)
}

// Bool writes true or false.
func (e *JSONEncoder) Bool(b bool) {
	e.beginValue()
	e.out.buf = strconv.AppendBool(e.out.buf, b)
}

// Null writes null.
func (e *JSONEncoder) Null() {
	e.beginValue()
	e.out.buf = append(e.out.buf, "null"...)
}

// ListJSON is List with a hand-written JSON encoder for the records (nil:
// encoding/json, as List): json and jsonl write exactly what List writes,
// in pieces of at most about 64 KiB rather than one write of the whole
// document. Other formats are List's.
func ListJSON[T any](w io.Writer, f Format, items []T, cols []Column[T], enc JSONFunc[T]) error {
	if enc == nil || (f != JSON && f != JSONL) {
		return List(w, f, items, cols)
	}
	out := newChunkWriter(w, 256*len(items))
	e := &JSONEncoder{out: out, indent: f == JSON}
	if f == JSONL {
		for _, it := range items {
			enc(e, it)
			out.buf = append(out.buf, '\n')
			out.maybeFlush()
		}
		out.flush()
		return out.err
	}
	e.BeginArray()
	for _, it := range items {
		enc(e, it)
		out.maybeFlush()
		if out.err != nil {
			return out.err
		}
	}
	e.EndArray()
	out.buf = append(out.buf, '\n')
	out.flush()
	return out.err
}
