package filestore

import (
	"strconv"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/mpdata/mp/domain"
)

// MaxNesting is how deep a config file may nest: the parts of a key path
// (table header plus dotted key) and the arrays and inline tables around a
// value, counted together. mp's own schema needs 3
// ([settings.secret_commands] name = [...]); the limit leaves room for any
// unknown keys a user or another tool keeps there, and keeps every read and
// write of the file linear in its size.
const MaxNesting = 32

// checkNesting refuses a file that nests deeper than MaxNesting, naming the
// line, before anything builds a map per level. It reads one expression at
// a time and stops counting at the limit, so a hostile file costs one pass.
// A syntax error stops it quietly: the decoder reports those.
func checkNesting(path string, data []byte) error {
	var p unstable.Parser
	p.Reset(data)
	tableDepth := 0
	for p.NextExpression() {
		e := p.Expression()
		if exprDepth(e, &tableDepth) > MaxNesting {
			return nestingError(path, lineAt(newlineOffsets(data), keyOffset(e)))
		}
	}
	return nil
}

// exprDepth returns how deep the expression e nests (stopping past
// MaxNesting); tableDepth is the depth of the current table header, which
// a header expression sets.
func exprDepth(e *unstable.Node, tableDepth *int) int {
	switch e.Kind {
	case unstable.Table, unstable.ArrayTable:
		*tableDepth = countKeyParts(e.Key())
		return *tableDepth
	case unstable.KeyValue:
		return *tableDepth + valueDepth(e, MaxNesting+1-*tableDepth)
	}
	return 0
}

// tooDeepError is buildTOML's refusal of an expression nested deeper than
// MaxNesting, at offset in the document; decode reports it as
// checkNesting does.
type tooDeepError struct{ offset int }

func (e *tooDeepError) Error() string { return "toml: nested too deep" }

// keyOffset returns the offset of the first part of e's key.
func keyOffset(e *unstable.Node) int {
	it := e.Key()
	if it.Next() {
		return int(it.Node().Raw.Offset)
	}
	return 0
}

// countKeyParts counts the parts of a dotted key, stopping past MaxNesting.
func countKeyParts(it unstable.Iterator) int {
	n := 0
	for it.Next() && n <= MaxNesting {
		n++
	}
	return n
}

// valueDepth returns the depth a key/value adds below its table: the parts
// of its key plus the nesting of inline tables and arrays in its value. It
// stops once the depth exceeds budget.
func valueDepth(kv *unstable.Node, budget int) int {
	d := countKeyParts(kv.Key())
	if d >= budget {
		return d
	}
	return d + containerDepth(kv.Value(), budget-d)
}

// containerDepth returns the levels v adds: one per array around it, and
// the key parts inside inline tables (0 for a scalar), stopping once it
// exceeds budget.
func containerDepth(v *unstable.Node, budget int) int {
	switch v.Kind {
	case unstable.Array:
		deepest := 0
		it := v.Children()
		for it.Next() && deepest < budget {
			deepest = max(deepest, containerDepth(it.Node(), budget-1))
		}
		return 1 + deepest
	case unstable.InlineTable:
		deepest := 0
		it := v.Children()
		for it.Next() && deepest < budget {
			deepest = max(deepest, valueDepth(it.Node(), budget))
		}
		return deepest // the table is named by its key; its keys count their own parts
	}
	return 0
}

func nestingError(path string, line int) error {
	where := "config file " + path
	if line > 0 {
		where += ", line " + strconv.Itoa(line)
	}
	e := domain.NewError(domain.CodeConfigError,
		"%s: keys, tables and arrays are nested more than %d levels deep", where, MaxNesting).
		WithDetail("file", path).
		WithDetail("max_nesting", MaxNesting)
	if line > 0 {
		e.WithDetail("line", line)
	}
	return e.WithHint("edit %s by hand to flatten or remove that entry (mp keeps unknown keys, but not deeper than %d levels), then run the command again", path, MaxNesting)
}
