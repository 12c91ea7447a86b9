package query

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

func connected(t *testing.T) *commandtest.Env {
	t.Helper()
	e := commandtest.Connected(t, domain.Me{User: domain.User{ID: 1, Email: "ci@example.com"}})
	on := `properties["country"]`
	e.API.SetSegmentation(domain.SegmentationResult{
		Event: "Login", FromDate: "2026-04-01", ToDate: "2026-04-02", Unit: "day", SegmentProperty: &on, Total: 12.5,
		Series: map[string]map[string]float64{
			"US": {"2026-04-02": 4, "2026-04-01": 3},
			"DE": {"2026-04-01": 5, "2026-04-02": 0.5},
		},
	})
	return e
}

func run(e *commandtest.Env, args ...string) error {
	return commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"query", "segmentation"}, args...)...)
}

// dates are the required flags of a valid query.
func dates() []string { return []string{"-e", "Login", "--from", "2026-04-01", "--to", "2026-04-02"} }

func TestSegmentationRows(t *testing.T) {
	tests := []struct {
		format string
		want   string
	}{
		{"table", "DATE        SEGMENT  COUNT\n2026-04-01  DE           5\n2026-04-01  US           3\n2026-04-02  DE         0.5\n2026-04-02  US           4\n"},
		{"csv", "date,segment,count\n2026-04-01,DE,5\n2026-04-01,US,3\n2026-04-02,DE,0.5\n2026-04-02,US,4\n"},
		{"plain", "2026-04-01\tDE\t5\n2026-04-01\tUS\t3\n2026-04-02\tDE\t0.5\n2026-04-02\tUS\t4\n"},
		{"jsonl", `{"date":"2026-04-01","segment":"DE","count":5}` + "\n" + `{"date":"2026-04-01","segment":"US","count":3}` + "\n" +
			`{"date":"2026-04-02","segment":"DE","count":0.5}` + "\n" + `{"date":"2026-04-02","segment":"US","count":4}` + "\n"},
	}
	for _, tt := range tests {
		e := connected(t)
		if err := run(e, append(dates(), "--on", "country", "-f", tt.format)...); err != nil {
			t.Fatal(err)
		}
		if e.Stdout.String() != tt.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.format, e.Stdout.String(), tt.want)
		}
		if tt.format == "table" && !strings.Contains(e.Stderr.String(), "total 12.5") {
			t.Errorf("table: stderr %q lacks the total", e.Stderr.String())
		}
		if tt.format != "table" && e.Stderr.Len() != 0 {
			t.Errorf("%s: stderr %q", tt.format, e.Stderr.String())
		}
	}
}

func TestSegmentationJSONAndQuery(t *testing.T) {
	e := connected(t)
	err := run(e, "-e", "Login", "--from", "2026-04-01", "--to", "2026-04-02", "--on", "country",
		"--unit", "week", "--where", `properties["x"] == 1`, "--type", "unique", "-w", "3448414", "-f", "json")
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(e.Stdout.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"event", "from_date", "to_date", "unit", "segment_property", "total", "series"} {
		if _, ok := v[k]; !ok {
			t.Errorf("json lacks %q: %v", k, v)
		}
	}
	if len(v) != 7 || v["total"] != 12.5 {
		t.Errorf("json = %v", v)
	}
	calls := e.API.Calls(inmem.EndpointSegmentation)
	if len(calls) != 1 {
		t.Fatalf("%d segmentation calls", len(calls))
	}
	q, s := calls[0].Segmentation, calls[0].Scope
	if q.Event != "Login" || q.From != "2026-04-01" || q.To != "2026-04-02" || q.On != "country" || q.Unit != "week" ||
		q.Where != `properties["x"] == 1` || q.Type != "unique" {
		t.Errorf("query = %+v", q)
	}
	if s.Project != "3018488" || s.Workspace != 3448414 {
		t.Errorf("scope project %q workspace %d", s.Project, s.Workspace)
	}
}

func TestSegmentationErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code domain.Code
	}{
		{"no event", []string{"--from", "2026-04-01", "--to", "2026-04-02"}, domain.CodeInvalidArgument},
		{"no from", []string{"-e", "Login", "--to", "2026-04-02"}, domain.CodeInvalidArgument},
		{"no to", []string{"-e", "Login", "--from", "2026-04-02"}, domain.CodeInvalidArgument},
		{"bad date", []string{"-e", "Login", "--from", "2026-4-1", "--to", "2026-04-02"}, domain.CodeInvalidArgument},
		{"from after to", []string{"-e", "Login", "--from", "2026-04-03", "--to", "2026-04-02"}, domain.CodeInvalidArgument},
		{"bad unit", append([]string{"--unit", "hour"}, dates()...), domain.CodeInvalidArgument},
		{"bad type", append([]string{"--type", "sum"}, dates()...), domain.CodeInvalidArgument},
		{"positional", append([]string{"Login"}, dates()...), domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		e := connected(t)
		err := run(e, tt.args...)
		if domain.CodeOf(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
		if e.API.Count(inmem.EndpointSegmentation) != 0 {
			t.Errorf("%s: the query was sent", tt.name)
		}
	}
	e := connected(t)
	e.API.FailNext(inmem.EndpointSegmentation, domain.NewError(domain.CodeRateLimited, "429"))
	if err := run(e, dates()...); domain.CodeOf(err) != domain.CodeRateLimited {
		t.Errorf("rate limit: %v", err)
	}
}

func TestRowsAndNumber(t *testing.T) {
	rows := Rows(domain.SegmentationResult{Series: map[string]map[string]float64{
		"b": {"2026-01-02": 1, "2026-01-01": 2}, "a": {"2026-01-02": 3},
	}})
	var got []string
	for _, r := range rows {
		got = append(got, r.String())
	}
	if strings.Join(got, "|") != "2026-01-01 b 2|2026-01-02 a 3|2026-01-02 b 1" {
		t.Errorf("rows = %v", got)
	}
	if len(Rows(domain.SegmentationResult{})) != 0 {
		t.Error("rows of an empty result")
	}
	for n, want := range map[float64]string{0: "0", 12: "12", 1234567: "1234567", 2.5: "2.5", 1.0 / 3: "0.3333333333333333"} {
		if Number(n) != want {
			t.Errorf("Number(%v) = %q, want %q", n, Number(n), want)
		}
	}
}
