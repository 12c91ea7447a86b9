package mptest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestPropertyOf(t *testing.T) {
	for _, tc := range []struct {
		expr, want string
		ok         bool
	}{
		{`properties["$browser"]`, "$browser", true},
		{`user["plan"]`, "plan", true},
		{`event["x"]`, "x", true},
		{`properties['a b']`, "a b", true},
		{`properties["a\"b\\c"]`, `a"b\c`, true},
		{`number(properties["amount"]) > 3`, "amount", true},
		{`$browser`, "", false},
		{`properties[$browser]`, "", false},
		{`properties["open`, "", false},
		{`properties["x"`, "", false},
		{`properties[`, "", false},
		{``, "", false},
	} {
		got, ok := propertyOf(tc.expr)
		if got != tc.want || ok != tc.ok {
			t.Errorf("propertyOf(%q) = %q, %v; want %q, %v", tc.expr, got, ok, tc.want, tc.ok)
		}
	}
}

// FuzzPropertyOf: never panics, and a name quoted the way mp quotes it
// (escape \ and ") always comes back unchanged.
func FuzzPropertyOf(f *testing.F) {
	for _, s := range []string{"$browser", `a"b`, `back\slash`, "", "]", `"]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		_, _ = propertyOf(name)
		quoted := `properties["` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"]`
		got, ok := propertyOf(quoted)
		if !ok || got != name {
			t.Fatalf("propertyOf(%q) = %q, %v; want %q", quoted, got, ok, name)
		}
	})
}

// FuzzSegmentation: any parameters get a 200 with the documented shape or
// a 4xx query error; never a 5xx or a panic.
func FuzzSegmentation(f *testing.F) {
	f.Add("Login", "2026-04-01", "2026-04-07", "day", "general", `properties["$browser"]`, "")
	f.Add("Purchase", "2026-01-31", "2026-03-01", "month", "average", "", `properties["x"] == 1`)
	f.Add("", "2026-04-01", "2026-03-01", "hour", "unique", "$os", "")
	srv, err := Start()
	if err != nil {
		f.Fatal(err)
	}
	defer srv.Close()
	f.Fuzz(func(t *testing.T, event, from, to, unit, typ, on, where string) {
		q := url.Values{
			"project_id": {"3713224"}, "event": {event}, "from_date": {from}, "to_date": {to},
			"unit": {unit}, "type": {typ}, "on": {on}, "where": {where},
		}
		r := httptest.NewRequest(http.MethodGet, "/api/query/segmentation?"+q.Encode(), nil)
		r.SetBasicAuth(DemoUsername, DemoSecret)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		switch {
		case w.Code == http.StatusOK:
			var ans struct {
				Data struct {
					Series []string                      `json:"series"`
					Values map[string]map[string]float64 `json:"values"`
				} `json:"data"`
				LegendSize int `json:"legend_size"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil {
				t.Fatalf("200 with a bad body: %v", err)
			}
			if ans.LegendSize != len(ans.Data.Values) || len(ans.Data.Series) == 0 {
				t.Fatalf("legend_size %d for %d segments, %d dates", ans.LegendSize, len(ans.Data.Values), len(ans.Data.Series))
			}
			for seg, dates := range ans.Data.Values {
				if len(dates) != len(ans.Data.Series) {
					t.Fatalf("segment %q has %d dates, series %d", seg, len(dates), len(ans.Data.Series))
				}
			}
		case w.Code >= 400 && w.Code < 500:
			var e struct {
				Error   string `json:"error"`
				Request string `json:"request"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" || e.Request == "" {
				t.Fatalf("%d with body %s", w.Code, w.Body)
			}
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
}
