package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

type item struct {
	Name  string  `json:"name"`
	Note  *string `json:"note"`
	Count int     `json:"count"`
	On    bool    `json:"on"`
}

func cols() []Column[item] {
	return []Column[item]{
		{Title: "NAME", Key: "name", Value: func(i item) string { return i.Name }},
		{
			Title: "NOTE", Key: "note", Value: func(i item) string { return Optional(i.Note) },
			Show: func(i item) string {
				if i.Note == nil {
					return "-"
				}
				return *i.Note
			},
		},
		{Title: "ON", Key: "on", Value: func(i item) string { return Bool(i.On) }},
		{Title: "COUNT", Key: "count", Wide: true, Value: func(i item) string { return strings.Repeat("x", i.Count) }},
	}
}

func ptr(s string) *string { return &s }

func items() []item {
	return []item{
		{Name: "alpha", Note: ptr("has, comma"), Count: 1, On: true},
		{Name: "b", Note: nil, Count: 2},
		{Name: "tab\there", Note: ptr(`quote "q" <&>`), Count: 0},
	}
}

func TestList(t *testing.T) {
	tests := []struct {
		format Format
		items  []item
		want   string
	}{
		{Table, items(), "" +
			"NAME      NOTE           ON\n" +
			"alpha     has, comma     true\n" +
			"b         -              false\n" +
			"tab here  quote \"q\" <&>  false\n"},
		{JSON, items()[:2], `[
  {
    "name": "alpha",
    "note": "has, comma",
    "count": 1,
    "on": true
  },
  {
    "name": "b",
    "note": null,
    "count": 2,
    "on": false
  }
]
`},
		{JSONL, items(), `{"name":"alpha","note":"has, comma","count":1,"on":true}
{"name":"b","note":null,"count":2,"on":false}
{"name":"tab\there","note":"quote \"q\" <&>","count":0,"on":false}
`},
		{CSV, items(), "name,note,on,count\nalpha,\"has, comma\",true,x\nb,,false,xx\ntab\there,\"quote \"\"q\"\" <&>\",false,\n"},
		{Plain, items(), "alpha\thas, comma\ttrue\tx\nb\t\tfalse\txx\ntab here\tquote \"q\" <&>\tfalse\t\n"},
		// Empty lists.
		{Table, nil, ""},
		{JSON, nil, "[]\n"},
		{JSONL, nil, ""},
		{CSV, nil, "name,note,on,count\n"},
		{Plain, nil, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			var buf bytes.Buffer
			if err := List(&buf, tt.format, tt.items, cols()); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("List(%s):\ngot:\n%s\nwant:\n%s", tt.format, got, tt.want)
			}
		})
	}
}

func TestRecord(t *testing.T) {
	it := item{Name: "b", Count: 2}
	tests := []struct {
		format Format
		want   string
	}{
		{Table, "name   b\nnote   -\non     false\ncount  xx\n"},
		{JSON, "{\n  \"name\": \"b\",\n  \"note\": null,\n  \"count\": 2,\n  \"on\": false\n}\n"},
		{JSONL, `{"name":"b","note":null,"count":2,"on":false}` + "\n"},
		{CSV, "name,note,on,count\nb,,false,xx\n"},
		{Plain, "b\t\tfalse\txx\n"},
	}
	for _, tt := range tests {
		t.Run(string(tt.format), func(t *testing.T) {
			var buf bytes.Buffer
			if err := Record(&buf, tt.format, it, cols()); err != nil {
				t.Fatal(err)
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("Record(%s):\ngot:\n%q\nwant:\n%q", tt.format, got, tt.want)
			}
		})
	}
}

func TestOutcome(t *testing.T) {
	it := item{Name: "b"}
	var buf bytes.Buffer
	if err := Outcome(&buf, Table, "Did it.", it, cols()); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "Did it.\n" {
		t.Errorf("table outcome = %q", buf.String())
	}
	buf.Reset()
	if err := Outcome(&buf, JSONL, "Did it.", it, cols()); err != nil {
		t.Fatal(err)
	}
	if buf.String() != `{"name":"b","note":null,"count":0,"on":false}`+"\n" {
		t.Errorf("jsonl outcome = %q", buf.String())
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		got, err := ParseFormat(string(f))
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
		if f.Description() == "" {
			t.Errorf("format %q has no description", f)
		}
	}
	for _, bad := range []string{"", "JSON", "xml", "table "} {
		_, err := ParseFormat(bad)
		if domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("ParseFormat(%q) error = %v, want INVALID_ARGUMENT", bad, err)
		}
	}
	var buf bytes.Buffer
	if err := List(&buf, Format("xml"), items(), cols()); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("List with unknown format: %v", err)
	}
}

func TestWriteTableAlignsRunesAndTrims(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, [][]string{{"A", "B", "C"}, {"→→", "", ""}, {"x", "yy", "line\nbreak"}}); err != nil {
		t.Fatal(err)
	}
	want := "A   B   C\n→→\nx   yy  line break\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestMap(t *testing.T) {
	type wrap struct{ In item }
	mapped := Map(cols(), func(w wrap) item { return w.In })
	var buf bytes.Buffer
	if err := List(&buf, Table, []wrap{{In: item{Name: "z"}}}, mapped); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "NAME  NOTE  ON\nz     -     false\n" {
		t.Errorf("got %q", buf.String())
	}
}

// TestTableCellsCannotDriveTheTerminal: names from the server (projects,
// events) with escape sequences or line breaks stay on one plain cell.
func TestTableCellsCannotDriveTheTerminal(t *testing.T) {
	got := cell("evil\x1b[2J\x1b]0;title\x07name\r\nnext\x85x")
	if strings.ContainsFunc(got, func(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }) {
		t.Fatalf("cell kept a control character: %q", got)
	}
	if !strings.Contains(got, "evil") || !strings.Contains(got, "name") {
		t.Fatalf("cell lost the text: %q", got)
	}
}

type coloredBuffer struct{ bytes.Buffer }

func (*coloredBuffer) Colored() bool { return true }

// TestWriteTableColoursTheActiveMarker: on a writer that takes colour the
// "*" marker is green and the columns stay aligned (the escape codes take
// no width); on any other writer there is no escape code.
func TestWriteTableColoursTheActiveMarker(t *testing.T) {
	rows := [][]string{{"NAME", "ACTIVE", "TYPE"}, {"a", "*", "x"}, {"bb", "", "y"}}
	var cb coloredBuffer
	if err := WriteTable(&cb, rows); err != nil {
		t.Fatal(err)
	}
	want := "NAME  ACTIVE  TYPE\na     \x1b[32m*\x1b[0m       x\nbb            y\n"
	if cb.String() != want {
		t.Errorf("coloured table:\n%q\nwant\n%q", cb.String(), want)
	}
	var plain bytes.Buffer
	if err := WriteTable(&plain, rows); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Errorf("escape code on a plain writer: %q", plain.String())
	}
}

// TestNumericColumnsAlignRight: a Numeric column (header included) is
// right-aligned in list tables; csv keeps the plain value.
func TestNumericColumnsAlignRight(t *testing.T) {
	type row struct {
		name  string
		count int
	}
	cols := []Column[row]{
		{Title: "DATE", Key: "date", Value: func(r row) string { return r.name }},
		{Title: "COUNT", Key: "count", Value: func(r row) string { return fmt.Sprint(r.count) }, Numeric: true},
		{Title: "NOTE", Key: "note", Value: func(row) string { return "x" }},
	}
	var b bytes.Buffer
	if err := List(&b, Table, []row{{"2026-01-01", 7}, {"2026-01-02", 12345}}, cols); err != nil {
		t.Fatal(err)
	}
	want := "DATE        COUNT  NOTE\n2026-01-01      7  x\n2026-01-02  12345  x\n"
	if b.String() != want {
		t.Errorf("table:\n%s\nwant\n%s", b.String(), want)
	}
}
