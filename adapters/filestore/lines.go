package filestore

import (
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
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			it := e.Key()
			table, _ = keyParts(&p, it)
			idx.add(table, headerLine(&p, e))
		case unstable.KeyValue:
			idx.addKeyValue(&p, table, e)
		}
	}
	return idx
}

func (idx lineIndex) addKeyValue(p *unstable.Parser, prefix []string, kv *unstable.Node) {
	parts, line := keyParts(p, kv.Key())
	full := append(append([]string(nil), prefix...), parts...)
	idx.add(full, line)
	if v := kv.Value(); v.Kind == unstable.InlineTable {
		it := v.Children()
		for it.Next() {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				idx.addKeyValue(p, full, c)
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
func keyParts(p *unstable.Parser, it unstable.Iterator) ([]string, int) {
	var parts []string
	line := 0
	for it.Next() {
		n := it.Node()
		if line == 0 && n.Raw.Length > 0 {
			line = p.Shape(n.Raw).Start.Line
		}
		parts = append(parts, string(n.Data))
	}
	return parts, line
}

// headerLine is the line of a table header (that of its first key part).
func headerLine(p *unstable.Parser, e *unstable.Node) int {
	_, line := keyParts(p, e.Key())
	return line
}
