package domain

import (
	"strings"
	"time"
)

// Units a segmentation query may use on the command line.
var segmentationUnits = []string{"day", "week", "month"}

// Segmentation types.
var segmentationTypes = []string{"general", "unique", "average"}

// SegmentationQuery asks GET /api/query/segmentation for counts of one
// event over a date range.
type SegmentationQuery struct {
	Event string
	From  string // YYYY-MM-DD
	To    string // YYYY-MM-DD
	Unit  string // day (default), week, month
	On    string // property to segment by; a bare name becomes properties["NAME"]
	Where string // filter expression, sent as is
	Type  string // general (default), unique, average
}

// Normalize fills the defaults and validates the query: a non-empty event,
// dates in YYYY-MM-DD with from ≤ to, a known unit and type.
func (q SegmentationQuery) Normalize() (SegmentationQuery, error) {
	if strings.TrimSpace(q.Event) == "" {
		return q, NewError(CodeInvalidArgument, "an event is required").WithHint("pass -e EVENT, e.g. -e Login")
	}
	from, err := parseDate("--from", q.From)
	if err != nil {
		return q, err
	}
	to, err := parseDate("--to", q.To)
	if err != nil {
		return q, err
	}
	if to.Before(from) {
		return q, NewError(CodeInvalidArgument, "--from %s is after --to %s", q.From, q.To).
			WithHint("swap the dates: --from is the first day, --to the last")
	}
	if q.Unit == "" {
		q.Unit = "day"
	}
	if !oneOf(q.Unit, segmentationUnits) {
		return q, NewError(CodeInvalidArgument, "--unit %q is not one of day, week, month", q.Unit)
	}
	if q.Type == "" {
		q.Type = "general"
	}
	if !oneOf(q.Type, segmentationTypes) {
		return q, NewError(CodeInvalidArgument, "--type %q is not one of general, unique, average", q.Type)
	}
	return q, nil
}

// OnExpression returns the `on` parameter to send: a bare property name
// becomes properties["NAME"] (with \ and " escaped); an expression that
// already names properties["…"], user["…"] or event["…"] passes through.
func (q SegmentationQuery) OnExpression() string {
	on := q.On
	if on == "" {
		return ""
	}
	for _, p := range []string{`properties["`, `user["`, `event["`} {
		if strings.Contains(on, p) {
			return on
		}
	}
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(on)
	return `properties["` + esc + `"]`
}

func parseDate(flag, s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil || t.Format("2006-01-02") != s {
		return time.Time{}, NewError(CodeInvalidArgument, "%s %q is not a date in YYYY-MM-DD form", flag, s).
			WithDetail("flag", flag).WithHint("write dates like 2026-04-01")
	}
	return t, nil
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// SegmentationResult is mp's form of a segmentation answer. Series maps
// each segment to its counts by date; Total is the sum of every count.
type SegmentationResult struct {
	Event           string                        `json:"event"`
	FromDate        string                        `json:"from_date"`
	ToDate          string                        `json:"to_date"`
	Unit            string                        `json:"unit"`
	SegmentProperty *string                       `json:"segment_property"`
	Total           float64                       `json:"total"`
	Series          map[string]map[string]float64 `json:"series"`
}

// EventNamesQuery asks GET /api/query/events/names for event names.
type EventNamesQuery struct {
	Limit int // > 0; the CLI's default is 255
}

// Param is one query or form parameter of a raw request.
type Param struct {
	Key   string
	Value string
}

// RawRequest is a raw authenticated call to any Mixpanel endpoint
// (`mp api`). Path starts with /api/app/ or /api/query/.
type RawRequest struct {
	Method string
	Path   string
	Params []Param
	Body   []byte
	// ContentType of Body; empty when there is none.
	ContentType string
}

// Placeholders a raw request's path may hold; they are replaced by the
// session's project and workspace.
const (
	PlaceholderProjectID   = "{project_id}"
	PlaceholderWorkspaceID = "{workspace_id}"
)

// RawMethods returns the HTTP methods a raw request may use.
func RawMethods() []string { return []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"} }

// Normalize returns req with its method upper-cased (GET when empty) and
// checks the rules every layer relies on: a known method, and a plain path
// under /api/app/ or /api/query/ — no query string, no percent-encoding, no
// space or control character, no "." or ".." segment, no "//", no
// placeholder other than {project_id} and {workspace_id}.
func (r RawRequest) Normalize() (RawRequest, error) {
	r.Method = strings.ToUpper(strings.TrimSpace(r.Method))
	if r.Method == "" {
		r.Method = "GET"
	}
	if !oneOf(r.Method, RawMethods()) {
		return r, NewError(CodeInvalidArgument, "-X %q is not an HTTP method mp api sends", r.Method).
			WithDetail("flag", "-X").
			WithHint("use one of %s", strings.Join(RawMethods(), ", "))
	}
	return r, checkRawPath(r.Path)
}

// checkRawPath enforces the path rules of RawRequest.Normalize.
func checkRawPath(p string) error {
	bad := func(problem, hint string) error {
		return NewError(CodeInvalidArgument, "path %q %s", p, problem).
			WithDetail("path", p).
			WithHint("%s", hint)
	}
	if !strings.HasPrefix(p, "/api/app/") && !strings.HasPrefix(p, "/api/query/") {
		return bad("is not a Mixpanel API path: it must start with /api/app/ or /api/query/",
			"write the path of a Mixpanel endpoint, e.g. mp api /api/app/me or mp api /api/query/events/names")
	}
	if strings.ContainsAny(p, "?#") {
		return bad("has a query string", "pass query parameters with -F key=value")
	}
	if strings.Contains(p, "%") || strings.Contains(p, `\`) {
		return bad("contains percent-encoding or a backslash", "write the path plainly, e.g. /api/app/projects/{project_id}/workspaces/public")
	}
	for _, r := range p {
		if r <= ' ' || r == 0x7f {
			return bad("contains a space or a control character", "remove it; pass values with -F key=value")
		}
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "." || seg == ".." {
			return bad("has a '.' or '..' segment", "write the endpoint's path without relative segments")
		}
	}
	if strings.Contains(p, "//") {
		return bad("has an empty segment (//)", "remove the doubled slash")
	}
	rest := strings.ReplaceAll(strings.ReplaceAll(p, PlaceholderProjectID, ""), PlaceholderWorkspaceID, "")
	if strings.ContainsAny(rest, "{}") {
		return bad("has an unknown placeholder", "the placeholders are {project_id} and {workspace_id}")
	}
	return nil
}

// RawResponse is the answer to a RawRequest.
type RawResponse struct {
	Status      int
	ContentType string
	Body        []byte
}
