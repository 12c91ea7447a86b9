package filestore

import (
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// lineIndex maps a key path (joined with NUL) to the line where the key or
// table header first appears, so that errors about values can name a line.
type lineIndex map[string]int

// indexLines records the line of every table header and key in data,
// including the keys of inline tables. It stops at the first syntax error
// (decode reports those separately).
func indexLines(data []byte) lineIndex {
	idx := lineIndex{}
	nl := newlineOffsets(data)
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			var line int
			table, line = keyParts(nl, e.Key())
			idx.add(table, line)
		case unstable.KeyValue:
			idx.addKeyValue(nl, table, e)
		}
	}
	return idx
}

// newlineOffsets returns the offset of every '\n' in data, in order, so
// that the line of an offset is found by binary search — linear overall,
// where asking the parser for each key's position rescans from the start.
func newlineOffsets(data []byte) []int {
	var out []int
	for i, c := range data {
		if c == '\n' {
			out = append(out, i)
		}
	}
	return out
}

// lineAt returns the 1-based line of offset, given newlineOffsets.
func lineAt(nl []int, offset int) int {
	n, _ := slices.BinarySearch(nl, offset)
	return n + 1
}

func (idx lineIndex) addKeyValue(nl []int, prefix []string, kv *unstable.Node) {
	parts, line := keyParts(nl, kv.Key())
	full := append(append([]string(nil), prefix...), parts...)
	idx.add(full, line)
	if v := kv.Value(); v.Kind == unstable.InlineTable {
		it := v.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				idx.addKeyValue(nl, full, c)
			}
		}
	}
}

func (idx lineIndex) add(keyPath []string, line int) {
	if line <= 0 {
		return
	}
	k := strings.Join(keyPath, "\x00")
	if _, seen := idx[k]; !seen {
		idx[k] = line
	}
}

// lineOf returns the line of keyPath, or of its closest recorded parent,
// or 0 when none is known.
func (idx lineIndex) lineOf(keyPath []string) int {
	for n := len(keyPath); n > 0; n-- {
		if line, ok := idx[strings.Join(keyPath[:n], "\x00")]; ok {
			return line
		}
	}
	return 0
}

// keyParts returns the parts of a (dotted) key and the line it starts on.
func keyParts(nl []int, it unstable.Iterator) ([]string, int) {
	var parts []string
	line := 0
	for it.Next() {
		n := it.Node()
		if line == 0 && n.Raw.Length > 0 {
			line = lineAt(nl, int(n.Raw.Offset))
		}
		parts = append(parts, string(n.Data))
	}
	return parts, line
}
