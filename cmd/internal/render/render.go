package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mpdata/mp/domain"
)

// Format is an output format.
type Format string

// The output formats.
const (
	Table Format = "table"
	JSON  Format = "json"
	JSONL Format = "jsonl"
	CSV   Format = "csv"
	Plain Format = "plain"
)

// Formats returns every format, the default first.
func Formats() []Format { return []Format{Table, JSON, JSONL, CSV, Plain} }

// ParseFormat validates a --format value.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if Format(s) == f {
			return f, nil
		}
	}
	e := domain.NewError(domain.CodeInvalidArgument, "invalid value %q for flag --format", s).
		WithDetail("flag", "--format")
	names := make([]string, len(Formats()))
	for i, f := range Formats() {
		names[i] = string(f)
	}
	if sugg := domain.Suggest(s, names); sugg != "" {
		return "", e.WithDetail("suggestion", sugg).WithHint("did you mean %q? (one of table, json, jsonl, csv, plain)", sugg)
	}
	return "", e.WithHint("use one of table, json, jsonl, csv, plain")
}

// String returns the format name.
func (f Format) String() string { return string(f) }

// Description says what the format looks like, for help and docs.
func (f Format) Description() string {
	switch f {
	case Table:
		return "aligned columns with a header for lists; one \"key  value\" line per field for single records (the default)"
	case JSON:
		return "indented JSON: an array for lists ([] when empty), an object for single records"
	case JSONL:
		return "one compact JSON object per line, one line per record"
	case CSV:
		return "a header line, then one row per record (RFC 4180 quoting)"
	case Plain:
		return "tab-separated values without a header, one line per record, for scripts"
	}
	return ""
}

// Column describes one field of a record type T.
type Column[T any] struct {
	// Title is the table header, e.g. "PROJECT".
	Title string
	// Key is the CSV header and the label of record tables, e.g.
	// "default_project".
	Key string
	// Value returns the field for csv and plain ("" when unset).
	Value func(T) string
	// Show returns the field for tables; nil means Value.
	Show func(T) string
	// Wide leaves the column out of list tables (it still appears in csv,
	// plain and record tables).
	Wide bool
	// Numeric right-aligns the column (its header too) in list tables, so
	// that digits line up.
	Numeric bool
}

func (c Column[T]) human(v T) string {
	if c.Show != nil {
		return c.Show(v)
	}
	return c.Value(v)
}

// List writes items in format f. JSON is an indented array ([] when
// empty), JSONL one object per line, CSV a header and one row per item,
// plain one tab-separated line per item, table aligned columns (those not
// Wide) with a header; an empty table prints nothing.
func List[T any](w io.Writer, f Format, items []T, cols []Column[T]) error {
	if items == nil {
		items = []T{}
	}
	switch f {
	case JSON:
		return WriteJSON(w, items)
	case JSONL:
		for _, it := range items {
			if err := writeCompactJSON(w, it); err != nil {
				return err
			}
		}
		return nil
	case CSV:
		return writeCSV(w, items, cols)
	case Plain:
		return writePlain(w, items, cols)
	case Table:
		if len(items) == 0 {
			return nil
		}
		var shown []Column[T]
		for _, c := range cols {
			if !c.Wide {
				shown = append(shown, c)
			}
		}
		// The cells are worked out twice, to measure the columns and then
		// to write them, rather than kept: a list may have thousands of
		// rows, and a column's value is a field or a short format.
		k := len(shown)
		header := make([]string, k)
		right := make([]bool, k)
		for i, c := range shown {
			header[i] = c.Title
			right[i] = c.Numeric
		}
		row := make([]string, k)
		fill := func(it T) []string {
			for i, c := range shown {
				row[i] = c.human(it)
			}
			return row
		}
		t := table{right: right, colored: colored(w)}
		t.measure(header)
		for _, it := range items {
			t.measure(fill(it))
		}
		out := newChunkWriter(w, (len(items)+1)*16*k)
		out.buf = t.appendRow(out.buf, header)
		for _, it := range items {
			out.buf = t.appendRow(out.buf, fill(it))
			out.maybeFlush()
		}
		out.flush()
		return out.err
	}
	return unknownFormat(f)
}

// Record writes one item in format f. JSON is an indented object, JSONL one
// compact line, CSV a header and one row, plain one tab-separated line, and
// table one "key  value" line per column (empty values shown as "-").
func Record[T any](w io.Writer, f Format, item T, cols []Column[T]) error {
	switch f {
	case JSON:
		return WriteJSON(w, item)
	case JSONL:
		return writeCompactJSON(w, item)
	case CSV:
		return writeCSV(w, []T{item}, cols)
	case Plain:
		return writePlain(w, []T{item}, cols)
	case Table:
		rows := make([][]string, 0, len(cols))
		for _, c := range cols {
			v := c.human(item)
			if v == "" {
				v = "-"
			}
			rows = append(rows, []string{c.Key, v})
		}
		return WriteTable(w, rows)
	}
	return unknownFormat(f)
}

// Outcome reports the result of a command that changes something: in table
// format the human message (one line), in every other format the record.
func Outcome[T any](w io.Writer, f Format, message string, item T, cols []Column[T]) error {
	if f == Table {
		_, err := fmt.Fprintln(w, message)
		return err
	}
	return Record(w, f, item, cols)
}

// WriteJSON writes v as indented JSON followed by a newline. HTML
// characters are not escaped.
func WriteJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func writeCompactJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func writeCSV[T any](w io.Writer, items []T, cols []Column[T]) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Key
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, it := range items {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.Value(it)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writePlain[T any](w io.Writer, items []T, cols []Column[T]) error {
	out := newChunkWriter(w, len(items)*8*len(cols))
	for _, it := range items {
		for i, c := range cols {
			if i > 0 {
				out.buf = append(out.buf, '\t')
			}
			out.buf = appendCell(out.buf, c.Value(it))
		}
		out.buf = append(out.buf, '\n')
		out.maybeFlush()
	}
	out.flush()
	return out.err
}

// WriteTable writes rows as aligned columns separated by two spaces.
// Trailing spaces are trimmed, so the last column is never padded.
//
// On a writer that takes colour (a terminal's stdout: it has a Colored
// method that reports true) a cell that is exactly "*" — the active
// marker of the lists — is green.
func WriteTable(w io.Writer, rows [][]string) error {
	t := table{colored: colored(w)}
	for _, row := range rows {
		t.measure(row)
	}
	out := newChunkWriter(w, 0)
	for _, row := range rows {
		out.buf = t.appendRow(out.buf, row)
		out.maybeFlush()
	}
	out.flush()
	return out.err
}

// colored reports whether w takes colour: it has a Colored method that
// reports true.
func colored(w io.Writer) bool {
	c, ok := w.(interface{ Colored() bool })
	return ok && c.Colored()
}

// table lays out rows of cells as WriteTable does: measure every row,
// then appendRow each.
type table struct {
	// widths are the widths of the columns, in runes of the safe cells.
	widths []int
	// right marks the right-aligned columns.
	right []bool
	// colored makes a "*" cell green.
	colored bool
}

// measure widens the columns to fit row.
func (t *table) measure(row []string) {
	for i, c := range row {
		if i >= len(t.widths) {
			t.widths = append(t.widths, 0)
		}
		t.widths[i] = max(t.widths[i], utf8.RuneCountInString(cell(c)))
	}
}

// appendRow appends row as one line: its cells padded to the column
// widths and separated by two spaces, trailing spaces trimmed.
func (t *table) appendRow(b []byte, row []string) []byte {
	start := len(b)
	for i, c := range row {
		c = cell(c)
		pad := t.widths[i] - utf8.RuneCountInString(c)
		if i < len(t.right) && t.right[i] {
			b = appendSpaces(b, pad)
			pad = 0
		}
		if t.colored && c == "*" {
			b = append(b, activeGreen...)
		} else {
			b = append(b, c...)
		}
		if i < len(row)-1 {
			b = appendSpaces(b, pad+2)
		}
	}
	end := len(b)
	for end > start && b[end-1] == ' ' {
		end--
	}
	return append(b[:end], '\n')
}

// appendSpaces appends n spaces.
func appendSpaces(b []byte, n int) []byte {
	for range n {
		b = append(b, ' ')
	}
	return b
}

// activeGreen is the active marker in green (ANSI).
const activeGreen = "\x1b[32m*\x1b[0m"

// cell makes s safe for one table cell: line breaks, tabs and every other
// control character (ESC among them, so that a project or event name from
// the server cannot drive the terminal) become spaces.
func cell(s string) string {
	if !needsCell(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// appendCell appends cell(s).
func appendCell(b []byte, s string) []byte {
	if !needsCell(s) {
		return append(b, s...)
	}
	return append(b, cell(s)...)
}

// needsCell reports whether cell might change s: it holds an ASCII
// control character or a byte of a multi-byte rune (C1 controls, or
// invalid UTF-8, which strings.Map turns into U+FFFD).
func needsCell(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return true
		}
	}
	return false
}

func unknownFormat(f Format) error {
	return domain.NewError(domain.CodeInvalidArgument, "unknown output format %q", string(f)).
		WithHint("use one of table, json, jsonl, csv, plain")
}

// Map adapts columns of U to a record type T that contains a U.
func Map[T, U any](cols []Column[U], get func(T) U) []Column[T] {
	out := make([]Column[T], len(cols))
	for i, c := range cols {
		value := c.Value
		out[i] = Column[T]{Title: c.Title, Key: c.Key, Wide: c.Wide, Value: func(t T) string { return value(get(t)) }}
		if show := c.Show; show != nil {
			out[i].Show = func(t T) string { return show(get(t)) }
		}
	}
	return out
}

// Bool renders a boolean for csv and plain: "true" or "false".
func Bool(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Optional renders an optional string: its value, or "" when nil.
func Optional(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// OptionalInt renders an optional integer: its decimal value, or "" when
// nil.
func OptionalInt(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

// Join renders a list for one cell: the items separated by commas.
func Join(items []string) string { return strings.Join(items, ",") }
