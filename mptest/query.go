package mptest

import (
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits of the segmentation generator.
const (
	maxQueryDays    = 3700  // about ten years
	maxQueryBuckets = 50000 // e.g. about a month of minutes
	defaultLimit    = 255   // events/names without limit
)

// queryScope is the checked project (and workspace) of a query API call.
type queryScope struct {
	project   Project
	workspace int64 // 0 when none
}

// queryAuth authenticates a query API call and checks project_id and
// workspace_id. On failure it has written the error answer.
func (s *Server) queryAuth(w http.ResponseWriter, r *http.Request) (queryScope, bool) {
	p, msg, ok := s.authenticate(r)
	if !ok {
		queryError(w, r, http.StatusUnauthorized, msg)
		return queryScope{}, false
	}
	raw := r.FormValue("project_id")
	if raw == "" {
		queryError(w, r, http.StatusBadRequest, "project_id is required")
		return queryScope{}, false
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		queryError(w, r, http.StatusBadRequest, fmt.Sprintf("project_id %q is not a valid project id", raw))
		return queryScope{}, false
	}
	proj, ok := s.data.projectIn(id, info(r).region)
	if !ok {
		queryError(w, r, http.StatusNotFound, fmt.Sprintf("project %d not found", id))
		return queryScope{}, false
	}
	if !p.canSee(id) {
		queryError(w, r, http.StatusForbidden, fmt.Sprintf("you do not have access to project %d", id))
		return queryScope{}, false
	}
	sc := queryScope{project: proj}
	if raw := r.FormValue("workspace_id"); raw != "" {
		ws, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || ws <= 0 {
			queryError(w, r, http.StatusBadRequest, fmt.Sprintf("workspace_id %q is not a valid workspace id", raw))
			return queryScope{}, false
		}
		if got, ok := s.data.workspaces[ws]; !ok || got.ProjectID != id {
			queryError(w, r, http.StatusNotFound, fmt.Sprintf("workspace %d not found in project %d", ws, id))
			return queryScope{}, false
		}
		sc.workspace = ws
	}
	return sc, true
}

// handleEventNames serves /api/query/events/names: a JSON array of the
// project's event names, at most limit (default 255) of them.
func (s *Server) handleEventNames(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.queryAuth(w, r)
	if !ok {
		return
	}
	if t := r.FormValue("type"); t != "" && !validType(t) {
		queryError(w, r, http.StatusBadRequest, fmt.Sprintf("type %q is invalid: want general, unique or average", t))
		return
	}
	limit := defaultLimit
	if raw := r.FormValue("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n <= 0 {
			queryError(w, r, http.StatusBadRequest, fmt.Sprintf("limit %q is invalid: want a positive integer", raw))
			return
		}
		limit = n
	}
	names := slices.Clone(sc.project.Events)
	if names == nil {
		names = []string{}
	}
	if len(names) > limit {
		names = names[:limit]
	}
	writeJSON(w, http.StatusOK, names)
}

func validType(t string) bool { return t == "general" || t == "unique" || t == "average" }

// segmentation is a checked segmentation request.
type segmentation struct {
	project  int64
	event    string
	known    bool // the event is one of the project's events
	from, to time.Time
	unit     string
	typ      string
	where    string
	property string   // from "on"; "" when not segmented
	segments []string // segment names; the event name when not segmented
}

// handleSegmentation serves /api/query/segmentation with deterministic
// numbers derived from the parameters (see doc.go). The answer has no
// envelope: {"data":{"series":[…],"values":{segment:{date:n}}},"legend_size":k}.
func (s *Server) handleSegmentation(w http.ResponseWriter, r *http.Request) {
	sc, ok := s.queryAuth(w, r)
	if !ok {
		return
	}
	q, msg := parseSegmentation(r, sc.project)
	if msg != "" {
		queryError(w, r, http.StatusBadRequest, msg)
		return
	}
	series, values := q.compute()
	writeJSON(w, http.StatusOK, map[string]any{
		"data":        map[string]any{"series": series, "values": values},
		"legend_size": len(values),
	})
}

// parseSegmentation validates the parameters; msg is non-empty on error.
func parseSegmentation(r *http.Request, proj Project) (segmentation, string) {
	q := segmentation{project: proj.ID, event: r.FormValue("event"), where: r.FormValue("where")}
	if q.event == "" {
		return q, "event is required"
	}
	q.known = slices.Contains(proj.Events, q.event)
	var err error
	for _, d := range []struct {
		name string
		dst  *time.Time
	}{{"from_date", &q.from}, {"to_date", &q.to}} {
		raw := r.FormValue(d.name)
		if raw == "" {
			return q, d.name + " is required (YYYY-MM-DD)"
		}
		if *d.dst, err = time.Parse(time.DateOnly, raw); err != nil {
			return q, fmt.Sprintf("%s %q is not a date: want YYYY-MM-DD", d.name, raw)
		}
	}
	if q.to.Before(q.from) {
		return q, "from_date must not be after to_date"
	}
	days := int(q.to.Sub(q.from).Hours()/24) + 1
	if days > maxQueryDays {
		return q, fmt.Sprintf("date range of %d days is too long (at most %d)", days, maxQueryDays)
	}
	q.unit = r.FormValue("unit")
	switch q.unit {
	case "":
		q.unit = "day"
	case "day", "week", "month":
	case "hour", "minute":
		if n := days * unitsPerDay(q.unit); n > maxQueryBuckets {
			return q, fmt.Sprintf("%d %s buckets are too many (at most %d): shorten the range", n, q.unit, maxQueryBuckets)
		}
	default:
		return q, fmt.Sprintf("unit %q is invalid: want minute, hour, day, week or month", q.unit)
	}
	q.typ = r.FormValue("type")
	if q.typ == "" {
		q.typ = "general"
	}
	if !validType(q.typ) {
		return q, fmt.Sprintf("type %q is invalid: want general, unique or average", q.typ)
	}
	if on := r.FormValue("on"); on != "" {
		prop, ok := propertyOf(on)
		if !ok {
			return q, fmt.Sprintf("on %q is not a valid segmentation expression: write properties[\"NAME\"]", on)
		}
		q.property = prop
		q.segments = segmentValues(prop)
	} else {
		q.segments = []string{q.event}
	}
	return q, ""
}

// propertyOf extracts NAME from the first properties["NAME"], user["NAME"]
// or event["NAME"] in a segmentation expression (single quotes work too;
// \" and \\ are unescaped). A bare name is not an expression.
func propertyOf(expr string) (string, bool) {
	best := -1
	for _, prefix := range []string{"properties[", "user[", "event["} {
		if i := strings.Index(expr, prefix); i >= 0 && (best < 0 || i+len(prefix) < best) {
			best = i + len(prefix)
		}
	}
	if best < 0 || best >= len(expr) {
		return "", false
	}
	quote := expr[best]
	if quote != '"' && quote != '\'' {
		return "", false
	}
	var b strings.Builder
	for i := best + 1; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '\\' && i+1 < len(expr):
			i++
			b.WriteByte(expr[i])
		case c == quote:
			if i+1 < len(expr) && expr[i+1] == ']' {
				return b.String(), true
			}
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	return "", false
}

// segmentValues is the fixed set of values a known property splits into;
// any other property has the single segment "undefined".
func segmentValues(prop string) []string {
	switch prop {
	case "$browser":
		return []string{"Chrome", "Firefox", "Safari"}
	case "$os":
		return []string{"Android", "Mac OS X", "Windows", "iOS"}
	case "mp_country_code", "$country_code":
		return []string{"DE", "GB", "IN", "US"}
	case "$city":
		return []string{"Berlin", "London", "Mumbai", "San Francisco"}
	case "plan":
		return []string{"enterprise", "free", "pro"}
	}
	return []string{"undefined"}
}

// unitsPerDay is the number of minute or hour buckets in a day, else 1.
func unitsPerDay(unit string) int {
	switch unit {
	case "minute":
		return 1440
	case "hour":
		return 24
	}
	return 1
}

// hashOf is FNV-1a over the parts, NUL-separated.
func hashOf(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return h.Sum64()
}

// compute generates the answer. Counts are made per generation step (a
// day for day/week/month, else an hour or minute): general = a project and
// event magnitude (100–999 a day) times a per-step factor (60–140 %),
// scaled by a factor of where (20–80 %) when given; unique = 30–69 % of
// it. Each step's counts are split over the segments by fixed weights, so
// segments add up to the unsegmented numbers, then summed into the unit's
// buckets (weeks start on Monday, months on the 1st), so totals match
// across day, week and month. average = general / unique per bucket,
// rounded to two decimals. An event the project does not have is all
// zeros.
func (q segmentation) compute() (series []string, values map[string]map[string]any) {
	pid := strconv.FormatInt(q.project, 10)
	magnitude := int64(100 + hashOf(pid, q.event)%900)
	perDay := int64(unitsPerDay(q.unit))
	whereFactor := int64(100)
	if q.where != "" {
		whereFactor = int64(20 + hashOf("where", q.where)%61)
	}
	weights := make([]int64, len(q.segments))
	var weightSum int64
	for i, seg := range q.segments {
		weights[i] = int64(1 + hashOf(pid, q.event, q.property, seg)%9)
		weightSum += weights[i]
	}
	type acc struct{ general, unique int64 }
	buckets := map[string][]acc{}
	step := 24 * time.Hour / time.Duration(perDay)
	end := q.to.Add(24 * time.Hour)
	for t := q.from; t.Before(end); t = t.Add(step) {
		key := q.bucketKey(t)
		stepKey := t.Format(time.DateTime)
		var general, unique int64
		if q.known {
			general = magnitude * int64(60+hashOf(pid, q.event, stepKey)%81) / 100
			if perDay > 1 {
				general = (general + int64(hashOf(pid, q.event, stepKey, "spread")%uint64(perDay))) / perDay
			}
			general = general * whereFactor / 100
			unique = general * int64(30+hashOf(pid, q.event, stepKey, "unique")%40) / 100
		}
		b, ok := buckets[key]
		if !ok {
			b = make([]acc, len(q.segments))
			series = append(series, key)
		}
		g, u := split(general, weights, weightSum), split(unique, weights, weightSum)
		for i := range b {
			b[i].general += g[i]
			b[i].unique += u[i]
		}
		buckets[key] = b
	}
	values = map[string]map[string]any{}
	for i, seg := range q.segments {
		m := map[string]any{}
		for key, b := range buckets {
			switch q.typ {
			case "unique":
				m[key] = b[i].unique
			case "average":
				avg := 0.0
				if b[i].unique > 0 {
					avg = math.Round(float64(b[i].general)/float64(b[i].unique)*100) / 100
				}
				m[key] = avg
			default:
				m[key] = b[i].general
			}
		}
		values[seg] = m
	}
	return series, values
}

// split divides n over the weights; the first segment takes the remainder,
// so the parts add up to n.
func split(n int64, weights []int64, sum int64) []int64 {
	out := make([]int64, len(weights))
	var given int64
	for i, w := range weights {
		out[i] = n * w / sum
		given += out[i]
	}
	out[0] += n - given
	return out
}

// bucketKey names the bucket a time falls into.
func (q segmentation) bucketKey(t time.Time) string {
	switch q.unit {
	case "minute":
		return t.Format("2006-01-02 15:04:00")
	case "hour":
		return t.Format("2006-01-02 15:00:00")
	case "week":
		offset := (int(t.Weekday()) + 6) % 7 // days since Monday
		return t.AddDate(0, 0, -offset).Format(time.DateOnly)
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	return t.Format(time.DateOnly)
}
