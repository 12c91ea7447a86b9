package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The renderers write a list's table, plain and json output by hand, in
// pieces; these tests hold them to what the straightforward renderers
// (kept below as references: rows of strings, strings.Builder,
// encoding/json) write, byte for byte.

// refWriteTable is writeTable as it was written first: the reference.
func refWriteTable(rows [][]string, right []bool, colored bool) string {
	refCell := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(refCell(c)))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			c = refCell(c)
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i < len(right) && right[i] {
				line.WriteString(pad)
				pad = ""
			}
			if colored && c == "*" {
				line.WriteString(activeGreen)
			} else {
				line.WriteString(c)
			}
			if i < len(row)-1 {
				line.WriteString(pad + "  ")
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// refJSON is WriteJSON as it was written first (encoding/json, indented):
// the reference of json.
func refJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// refJSONL is jsonl as it was written first: the reference.
func refJSONL[T any](t *testing.T, items []T) string {
	t.Helper()
	var buf bytes.Buffer
	for _, it := range items {
		if err := writeCompactJSON(&buf, it); err != nil {
			t.Fatal(err)
		}
	}
	return buf.String()
}

// tricky are cell and string values that exercise escaping and
// sanitising: empty, spaces at the ends, HTML, quotes and backslashes,
// control characters (C0, DEL, C1), U+2028, invalid UTF-8, wide runes.
var tricky = []string{
	"", " ", "a", "*", "plain", "trailing  ", "  leading", "<b>&amp;</b>", `say "hi"`, `back\slash`,
	"tab\there", "line\nbreak", "cr\r", "bell\a", "esc\x1b[31m", "del\x7f", "c1\u0085", "sep\u2028\u2029",
	"bad\xffutf8", "\xc3", "émoji 🎉", "日本語", "\u00a0nbsp", "1234567890",
}

func randomString(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return tricky[r.IntN(len(tricky))]
	}
	var b strings.Builder
	for range r.IntN(12) {
		b.WriteByte(byte('a' + r.IntN(26)))
	}
	return b.String()
}

// wideRecord has a field of every kind the hand-written encoders write.
type wideRecord struct {
	Name    string   `json:"name"`
	Project *string  `json:"project"`
	Active  bool     `json:"active"`
	Count   int64    `json:"count"`
	Ws      *int64   `json:"ws"`
	Tags    []string `json:"tags"`
	Extra   string   `json:"extra,omitempty"`
}

func wideJSON(e *JSONEncoder, r wideRecord) {
	e.BeginObject()
	e.Field("name")
	e.String(r.Name)
	e.Field("project")
	e.OptionalString(r.Project)
	e.Field("active")
	e.Bool(r.Active)
	e.Field("count")
	e.Int(r.Count)
	e.Field("ws")
	e.OptionalInt(r.Ws)
	e.Field("tags")
	e.Strings(r.Tags)
	e.StringFieldOmitEmpty("extra", r.Extra)
	e.EndObject()
}

func randomRecords(r *rand.Rand, n int) []wideRecord {
	out := make([]wideRecord, n)
	for i := range out {
		w := wideRecord{Name: randomString(r), Active: r.IntN(2) == 0, Count: r.Int64N(1<<40) - 1<<39}
		if r.IntN(2) == 0 {
			p := randomString(r)
			w.Project = &p
		}
		if r.IntN(2) == 0 {
			n := r.Int64N(100000)
			w.Ws = &n
		}
		switch r.IntN(3) {
		case 0: // nil: null
		case 1:
			w.Tags = []string{}
		default:
			for range 1 + r.IntN(4) {
				w.Tags = append(w.Tags, randomString(r))
			}
		}
		if r.IntN(3) == 0 {
			w.Extra = randomString(r)
		}
		out[i] = w
	}
	return out
}

func wideColumns() []Column[wideRecord] {
	return []Column[wideRecord]{
		{Title: "NAME", Key: "name", Value: func(r wideRecord) string { return r.Name }},
		{Title: "PROJECT", Key: "project", Value: func(r wideRecord) string { return Optional(r.Project) }},
		{
			Title: "ACTIVE", Key: "active", Value: func(r wideRecord) string { return Bool(r.Active) },
			Show: func(r wideRecord) string {
				if r.Active {
					return "*"
				}
				return ""
			},
		},
		{Title: "COUNT", Key: "count", Numeric: true, Value: func(r wideRecord) string { return strconv.FormatInt(r.Count, 10) }},
		{Title: "TAGS", Key: "tags", Wide: true, Value: func(r wideRecord) string { return Join(r.Tags) }},
		{Title: "EXTRA", Key: "extra", Value: func(r wideRecord) string { return r.Extra }},
	}
}

// refListTable is List's table as it was written first: the reference.
func refListTable(items []wideRecord, cols []Column[wideRecord], colored bool) string {
	if len(items) == 0 {
		return ""
	}
	var shown []Column[wideRecord]
	for _, c := range cols {
		if !c.Wide {
			shown = append(shown, c)
		}
	}
	rows := [][]string{{}}
	var right []bool
	for _, c := range shown {
		rows[0] = append(rows[0], c.Title)
		right = append(right, c.Numeric)
	}
	for _, it := range items {
		var row []string
		for _, c := range shown {
			row = append(row, c.human(it))
		}
		rows = append(rows, row)
	}
	return refWriteTable(rows, right, colored)
}

// refPlain is plain as it was written first: the reference.
func refPlain(items []wideRecord, cols []Column[wideRecord]) string {
	var b strings.Builder
	for _, it := range items {
		for i, c := range cols {
			if i > 0 {
				b.WriteByte('\t')
			}
			b.WriteString(strings.Map(func(r rune) rune {
				if unicode.IsControl(r) {
					return ' '
				}
				return r
			}, c.Value(it)))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestListMatchesReferenceRenderers(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	// 0 and 1 records, a few, and enough for several 64 KiB pieces.
	for _, n := range []int{0, 1, 2, 7, 50, 3000} {
		for round := range 4 {
			items := randomRecords(r, n)
			if round == 0 && n > 0 {
				items = nil // nil lists render as empty ones
			}
			cols := wideColumns()
			var buf bytes.Buffer
			if err := ListJSON(&buf, JSON, items, cols, wideJSON); err != nil {
				t.Fatal(err)
			}
			want := []wideRecord{}
			if items != nil {
				want = items
			}
			if got, want := buf.String(), refJSON(t, want); got != want {
				t.Fatalf("n=%d json:\n got %q\nwant %q", n, got, want)
			}
			buf.Reset()
			if err := ListJSON(&buf, JSONL, items, cols, wideJSON); err != nil {
				t.Fatal(err)
			}
			if got, want := buf.String(), refJSONL(t, items); got != want {
				t.Fatalf("n=%d jsonl:\n got %q\nwant %q", n, got, want)
			}
			for _, colored := range []bool{false, true} {
				var out interface {
					Write([]byte) (int, error)
					String() string
				} = &bytes.Buffer{}
				if colored {
					out = &coloredBuffer{}
				}
				if err := List(out, Table, items, cols); err != nil {
					t.Fatal(err)
				}
				if got, want := out.String(), refListTable(items, cols, colored); got != want {
					t.Fatalf("n=%d table (colored %v):\n got %q\nwant %q", n, colored, got, want)
				}
			}
			buf.Reset()
			if err := List(&buf, Plain, items, cols); err != nil {
				t.Fatal(err)
			}
			if got, want := buf.String(), refPlain(items, cols); got != want {
				t.Fatalf("n=%d plain:\n got %q\nwant %q", n, got, want)
			}
		}
	}
}

func TestWriteTableMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		// Ragged rows, as WriteTable's callers may pass.
		rows := make([][]string, r.IntN(6))
		for i := range rows {
			rows[i] = make([]string, r.IntN(5))
			for j := range rows[i] {
				rows[i][j] = randomString(r)
			}
		}
		var buf bytes.Buffer
		if err := WriteTable(&buf, rows); err != nil {
			t.Fatal(err)
		}
		if got, want := buf.String(), refWriteTable(rows, nil, false); got != want {
			t.Fatalf("rows %q:\n got %q\nwant %q", rows, got, want)
		}
		var cb coloredBuffer
		if err := WriteTable(&cb, rows); err != nil {
			t.Fatal(err)
		}
		if got, want := cb.String(), refWriteTable(rows, nil, true); got != want {
			t.Fatalf("colored rows %q:\n got %q\nwant %q", rows, got, want)
		}
	}
}

func TestJSONEncoderStringsMatchEncodingJSON(t *testing.T) {
	all := append([]string{}, tricky...)
	for c := range 0x100 {
		all = append(all, "x"+string(rune(c))+"y", "x"+string([]byte{byte(c)})+"y")
	}
	for _, s := range all {
		var buf bytes.Buffer
		e := &JSONEncoder{out: newChunkWriter(&buf, 0)}
		e.String(s)
		e.out.flush()
		want, _ := json.Marshal(s)
		want = bytes.ReplaceAll(want, []byte(`\u003c`), []byte("<")) // WriteJSON does not escape HTML
		want = bytes.ReplaceAll(want, []byte(`\u003e`), []byte(">"))
		want = bytes.ReplaceAll(want, []byte(`\u0026`), []byte("&"))
		if buf.String() != string(want) {
			t.Errorf("String(%q) = %s, want %s", s, buf.String(), want)
		}
	}
}

// failingWriter fails every write after the first n bytes.
type failingWriter struct{ n int }

var errWrite = errors.New("write failed")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestListReportsWriteErrors(t *testing.T) {
	items := randomRecords(rand.New(rand.NewPCG(5, 6)), 2000)
	for _, f := range Formats() {
		var full bytes.Buffer
		if err := ListJSON(&full, f, items, wideColumns(), wideJSON); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{0, outChunk + 1, full.Len() - 1} {
			if n >= full.Len() {
				continue
			}
			if err := ListJSON(&failingWriter{n: n}, f, items, wideColumns(), wideJSON); !errors.Is(err, errWrite) {
				t.Errorf("%s after %d bytes: err = %v, want the write error", f, n, err)
			}
		}
	}
}
