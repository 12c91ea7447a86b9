package mptest_test

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/mptest"
)

// segAnswer is the segmentation answer.
type segAnswer struct {
	Data struct {
		Series []string                      `json:"series"`
		Values map[string]map[string]float64 `json:"values"`
	} `json:"data"`
	LegendSize int `json:"legend_size"`
}

// total sums every count of the answer.
func (s segAnswer) total() float64 {
	var n float64
	for _, dates := range s.Data.Values {
		for _, v := range dates {
			n += v
		}
	}
	return n
}

// segParams are valid segmentation parameters for AI Demo's Login.
func segParams(kv ...string) url.Values {
	v := url.Values{
		"project_id": {"3713224"}, "event": {"Login"}, "from_date": {"2026-04-01"},
		"to_date": {"2026-04-07"}, "unit": {"day"}, "type": {"general"},
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

// segmentation runs a query that must succeed.
func segmentation(t *testing.T, srv *mptest.Server, params url.Values) segAnswer {
	t.Helper()
	a := get(t, srv, "/api/query/segmentation?"+params.Encode(), demo)
	wantStatus(t, a, http.StatusOK)
	return decode[segAnswer](t, a)
}

func TestSegmentationShape(t *testing.T) {
	srv := mptest.NewServer(t)
	got := segmentation(t, srv, segParams())
	want := []string{"2026-04-01", "2026-04-02", "2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06", "2026-04-07"}
	if !slices.Equal(got.Data.Series, want) {
		t.Fatalf("series = %v, want %v", got.Data.Series, want)
	}
	if got.LegendSize != 1 || len(got.Data.Values) != 1 {
		t.Fatalf("legend_size %d, %d segments; want 1 and 1", got.LegendSize, len(got.Data.Values))
	}
	login, ok := got.Data.Values["Login"]
	if !ok {
		t.Fatalf("values = %v, want the segment named after the event", got.Data.Values)
	}
	for _, d := range want {
		if v, ok := login[d]; !ok || v <= 0 || v != float64(int64(v)) {
			t.Errorf("Login[%s] = %v (present %v), want a positive whole count", d, v, ok)
		}
	}
}

func TestSegmentationIsDeterministic(t *testing.T) {
	srv := mptest.NewServer(t)
	other := mptest.NewServer(t)
	q := "/api/query/segmentation?" + segParams("on", `properties["$browser"]`).Encode()
	a, b := get(t, srv, q, demo), get(t, other, q, demo)
	if !bytes.Equal(a.body, b.body) {
		t.Fatalf("same parameters, different answers:\n%s\n%s", a.body, b.body)
	}
	for _, change := range [][]string{
		{"event", "Sign Up"}, {"project_id", "3018488"}, {"from_date", "2026-03-31"}, {"where", `properties["plan"] == "pro"`},
	} {
		c := get(t, srv, "/api/query/segmentation?"+segParams(append(change, "on", `properties["$browser"]`)...).Encode(), demo)
		wantStatus(t, c, http.StatusOK)
		if bytes.Equal(a.body, c.body) {
			t.Errorf("changing %s does not change the numbers", change[0])
		}
	}
}

func TestSegmentationOnSplitsTheUnsegmentedCounts(t *testing.T) {
	srv := mptest.NewServer(t)
	plain := segmentation(t, srv, segParams())
	for _, tc := range []struct {
		on   string
		want []string
	}{
		{`properties["$browser"]`, []string{"Chrome", "Firefox", "Safari"}},
		{`properties["$os"]`, []string{"Android", "Mac OS X", "Windows", "iOS"}},
		{`user["plan"]`, []string{"enterprise", "free", "pro"}},
		{`properties['$browser']`, []string{"Chrome", "Firefox", "Safari"}},
		{`properties["no such property"]`, []string{"undefined"}},
		{`properties["a\"b"]`, []string{"undefined"}},
	} {
		t.Run(tc.on, func(t *testing.T) {
			got := segmentation(t, srv, segParams("on", tc.on))
			var segs []string
			for s := range got.Data.Values {
				segs = append(segs, s)
			}
			slices.Sort(segs)
			if !slices.Equal(segs, tc.want) || got.LegendSize != len(tc.want) {
				t.Fatalf("segments = %v (legend_size %d), want %v", segs, got.LegendSize, tc.want)
			}
			for _, d := range plain.Data.Series {
				var sum float64
				for _, s := range segs {
					sum += got.Data.Values[s][d]
				}
				if sum != plain.Data.Values["Login"][d] {
					t.Errorf("%s: segments add up to %v, unsegmented %v", d, sum, plain.Data.Values["Login"][d])
				}
			}
		})
	}
}

func TestSegmentationUnitsBucketTheSameTotals(t *testing.T) {
	srv := mptest.NewServer(t)
	from, to := "2026-03-25", "2026-05-03" // Wednesday to Sunday, three months
	day := segmentation(t, srv, segParams("from_date", from, "to_date", to, "unit", "day"))
	week := segmentation(t, srv, segParams("from_date", from, "to_date", to, "unit", "week"))
	month := segmentation(t, srv, segParams("from_date", from, "to_date", to, "unit", "month"))

	if len(day.Data.Series) != 40 {
		t.Errorf("%d day buckets, want 40", len(day.Data.Series))
	}
	if want := []string{"2026-03-23", "2026-03-30", "2026-04-06", "2026-04-13", "2026-04-20", "2026-04-27"}; !slices.Equal(week.Data.Series, want) {
		t.Errorf("week series = %v, want Mondays %v", week.Data.Series, want)
	}
	for _, d := range week.Data.Series {
		if wd, _ := time.Parse(time.DateOnly, d); wd.Weekday() != time.Monday {
			t.Errorf("week bucket %s is not a Monday", d)
		}
	}
	if want := []string{"2026-03-01", "2026-04-01", "2026-05-01"}; !slices.Equal(month.Data.Series, want) {
		t.Errorf("month series = %v, want %v", month.Data.Series, want)
	}
	if day.total() != week.total() || day.total() != month.total() || day.total() == 0 {
		t.Errorf("totals: day %v, week %v, month %v; want equal and non-zero", day.total(), week.total(), month.total())
	}
	var april float64
	for d, v := range day.Data.Values["Login"] {
		if strings.HasPrefix(d, "2026-04") {
			april += v
		}
	}
	if got := month.Data.Values["Login"]["2026-04-01"]; got != april {
		t.Errorf("April bucket = %v, want the sum of April's days %v", got, april)
	}

	hour := segmentation(t, srv, segParams("from_date", "2026-04-01", "to_date", "2026-04-02", "unit", "hour"))
	if len(hour.Data.Series) != 48 || hour.Data.Series[0] != "2026-04-01 00:00:00" || hour.Data.Series[47] != "2026-04-02 23:00:00" {
		t.Errorf("hour series: %d buckets from %q to %q, want 48 from 2026-04-01 00:00:00", len(hour.Data.Series), hour.Data.Series[0], hour.Data.Series[len(hour.Data.Series)-1])
	}
	minute := segmentation(t, srv, segParams("from_date", "2026-04-01", "to_date", "2026-04-01", "unit", "minute"))
	if len(minute.Data.Series) != 1440 || minute.Data.Series[61] != "2026-04-01 01:01:00" {
		t.Errorf("minute series: %d buckets, want 1440", len(minute.Data.Series))
	}
	if def := segmentation(t, srv, segParams("unit", "")); !slices.Equal(def.Data.Series, segmentation(t, srv, segParams()).Data.Series) {
		t.Errorf("no unit should mean day")
	}
}

func TestSegmentationTypes(t *testing.T) {
	srv := mptest.NewServer(t)
	general := segmentation(t, srv, segParams("type", "general"))
	unique := segmentation(t, srv, segParams("type", "unique"))
	average := segmentation(t, srv, segParams("type", "average"))
	for _, d := range general.Data.Series {
		g, u, avg := general.Data.Values["Login"][d], unique.Data.Values["Login"][d], average.Data.Values["Login"][d]
		if u <= 0 || u >= g {
			t.Errorf("%s: unique %v, want between 0 and general %v", d, u, g)
		}
		if want := g / u; avg < want-0.01 || avg > want+0.01 {
			t.Errorf("%s: average %v, want general/unique = %.2f", d, avg, want)
		}
	}
}

func TestSegmentationWhereAndUnknownEvents(t *testing.T) {
	srv := mptest.NewServer(t)
	all := segmentation(t, srv, segParams())
	filtered := segmentation(t, srv, segParams("where", `properties["$browser"] == "Chrome"`))
	if f, a := filtered.total(), all.total(); f <= 0 || f >= a {
		t.Errorf("where: total %v, want between 0 and the unfiltered %v", f, a)
	}
	none := segmentation(t, srv, segParams("event", "Never Tracked"))
	if none.total() != 0 || len(none.Data.Series) != 7 || len(none.Data.Values["Never Tracked"]) != 7 {
		t.Errorf("unknown event: %+v, want 7 dates of zeros", none)
	}
}

func TestSegmentationWorkspaceAndPost(t *testing.T) {
	srv := mptest.NewServer(t)
	segmentation(t, srv, segParams("workspace_id", "3448414"))
	a := send(t, http.DefaultClient, http.MethodPost, srv.URL()+"/us/api/query/segmentation", demo,
		"application/x-www-form-urlencoded", strings.NewReader(segParams().Encode()))
	wantStatus(t, a, http.StatusOK)
	if got := decode[segAnswer](t, a); got.total() != segmentation(t, srv, segParams()).total() {
		t.Errorf("POST and GET disagree")
	}
	if q := srv.Requests()[0].Query; q.Get("workspace_id") != "3448414" || q.Get("project_id") != "3713224" {
		t.Errorf("logged query = %v, want project_id and workspace_id", q)
	}
}

func TestSegmentationErrors(t *testing.T) {
	srv := mptest.NewServer(t)
	for _, tc := range []struct {
		name   string
		prefix string
		params url.Values
		a      auth
		status int
	}{
		{"no project_id", "", segParams("project_id", ""), demo, http.StatusBadRequest},
		{"bad project_id", "", segParams("project_id", "abc"), demo, http.StatusBadRequest},
		{"no event", "", segParams("event", ""), demo, http.StatusBadRequest},
		{"no from_date", "", segParams("from_date", ""), demo, http.StatusBadRequest},
		{"no to_date", "", segParams("to_date", ""), demo, http.StatusBadRequest},
		{"bad date", "", segParams("from_date", "2026-4-1"), demo, http.StatusBadRequest},
		{"impossible date", "", segParams("to_date", "2026-02-30"), demo, http.StatusBadRequest},
		{"from after to", "", segParams("from_date", "2026-04-08"), demo, http.StatusBadRequest},
		{"range too long", "", segParams("from_date", "2000-01-01"), demo, http.StatusBadRequest},
		{"too many minutes", "", segParams("from_date", "2026-01-01", "unit", "minute"), demo, http.StatusBadRequest},
		{"bad unit", "", segParams("unit", "year"), demo, http.StatusBadRequest},
		{"bad type", "", segParams("type", "sum"), demo, http.StatusBadRequest},
		{"bare property in on", "", segParams("on", "$browser"), demo, http.StatusBadRequest},
		{"unterminated on", "", segParams("on", `properties["$browser`), demo, http.StatusBadRequest},
		{"bad workspace_id", "", segParams("workspace_id", "x"), demo, http.StatusBadRequest},
		{"workspace of another project", "", segParams("workspace_id", "4100101"), demo, http.StatusNotFound},
		{"unknown workspace", "", segParams("workspace_id", "1"), demo, http.StatusNotFound},
		{"unknown project", "", segParams("project_id", "999"), demo, http.StatusNotFound},
		{"project of another cluster", "/us", segParams("project_id", "4100001"), bearer(mptest.DemoToken), http.StatusNotFound},
		{"project out of reach", "", segParams("project_id", "4100001"), demo, http.StatusForbidden},
		{"no credential", "", segParams(), nil, http.StatusUnauthorized},
		{"wrong region", "/eu", segParams(), demo, http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := get(t, srv, tc.prefix+"/api/query/segmentation?"+tc.params.Encode(), tc.a)
			e := wantQueryError(t, a, tc.status)
			if !strings.HasPrefix(e.Request, tc.prefix+"/api/query/segmentation") {
				t.Errorf("request = %q, want the request path", e.Request)
			}
		})
	}
}

func TestSegmentationWorksWithoutUserDetails(t *testing.T) {
	srv := mptest.NewServer(t)
	a := get(t, srv, "/api/query/segmentation?"+segParams("project_id", "3018488").Encode(), basic(mptest.DemoNoDetailsUsername, mptest.DemoNoDetailsSecret))
	wantStatus(t, a, http.StatusOK)
}

func TestEventNames(t *testing.T) {
	srv := mptest.NewServer(t)
	all := decode[[]string](t, get(t, srv, "/api/query/events/names?project_id=3713224&type=general", demo))
	if len(all) < 5 || !slices.Contains(all, "Login") || !slices.Contains(all, "Prompt Submitted") {
		t.Fatalf("event names = %v", all)
	}
	limited := decode[[]string](t, get(t, srv, "/api/query/events/names?project_id=3713224&type=general&limit=3", demo))
	if !slices.Equal(limited, all[:3]) {
		t.Fatalf("limit=3: %v, want %v", limited, all[:3])
	}
	other := decode[[]string](t, get(t, srv, "/api/query/events/names?project_id=3018488", demo))
	if slices.Equal(other, all) {
		t.Fatalf("two projects have the same events: %v", other)
	}
	wantStatus(t, get(t, srv, "/api/query/events/names?project_id=3713224&workspace_id=3448415", demo), http.StatusOK)
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"type=general", http.StatusBadRequest},
		{"project_id=3713224&limit=0", http.StatusBadRequest},
		{"project_id=3713224&limit=x", http.StatusBadRequest},
		{"project_id=3713224&type=bogus", http.StatusBadRequest},
		{"project_id=999", http.StatusNotFound},
		{"project_id=3713224&workspace_id=4100101", http.StatusNotFound},
	} {
		wantQueryError(t, get(t, srv, "/api/query/events/names?"+tc.query, demo), tc.status)
	}
}
