package mixpanelhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mpdata/mp/domain"
)

// Me returns GET /api/app/me for the scope's credential and region. The
// scope's project and workspace are not sent.
func (c *Client) Me(ctx context.Context, scope domain.Scope) (domain.Me, error) {
	cl := &call{scope: scope, method: http.MethodGet, path: "/api/app/me"}
	results, err := c.getResults(ctx, cl)
	if err != nil {
		return domain.Me{}, err
	}
	me, err := domain.ParseMe(results)
	if err != nil {
		return domain.Me{}, invalidShape(cl, err)
	}
	return me, nil
}

// Workspaces lists the scope project's workspaces
// (GET /api/app/projects/{id}/workspaces/public).
func (c *Client) Workspaces(ctx context.Context, scope domain.Scope) ([]domain.Workspace, error) {
	if err := needProject(scope, "listing workspaces"); err != nil {
		return nil, err
	}
	cl := &call{
		scope: scope, method: http.MethodGet, projectScoped: true,
		path: "/api/app/projects/" + url.PathEscape(string(scope.Project)) + "/workspaces/public",
	}
	results, err := c.getResults(ctx, cl)
	if err != nil {
		return nil, err
	}
	ws, err := domain.ParseWorkspaces(results)
	if err != nil {
		return nil, invalidShape(cl, err)
	}
	return ws, nil
}

// segmentationWire is the answer of /api/query/segmentation.
type segmentationWire struct {
	Data struct {
		Series []string                       `json:"series"`
		Values map[string]map[string]*float64 `json:"values"`
	} `json:"data"`
}

// Segmentation runs GET /api/query/segmentation on the scope's project (and
// workspace, when set). q is normalised again here (defaults filled, values
// checked), so an invalid query fails with INVALID_ARGUMENT before any
// request.
func (c *Client) Segmentation(ctx context.Context, scope domain.Scope, q domain.SegmentationQuery) (domain.SegmentationResult, error) {
	if err := needProject(scope, "a segmentation query"); err != nil {
		return domain.SegmentationResult{}, err
	}
	q, err := q.Normalize()
	if err != nil {
		return domain.SegmentationResult{}, err
	}
	params := url.Values{}
	params.Set("event", q.Event)
	params.Set("from_date", q.From)
	params.Set("to_date", q.To)
	params.Set("unit", q.Unit)
	params.Set("type", q.Type)
	if on := q.OnExpression(); on != "" {
		params.Set("on", on)
	}
	if q.Where != "" {
		params.Set("where", q.Where)
	}
	cl := &call{scope: scope, method: http.MethodGet, path: "/api/query/segmentation", query: params, projectScoped: true}
	addProject(cl)
	resp, err := c.send(ctx, cl)
	if err != nil {
		return domain.SegmentationResult{}, err
	}
	var wire segmentationWire
	if err := decodeJSON(resp.body, &wire); err != nil {
		return domain.SegmentationResult{}, invalidJSON(cl, resp, err)
	}
	out := domain.SegmentationResult{
		Event: q.Event, FromDate: q.From, ToDate: q.To, Unit: q.Unit,
		Series: make(map[string]map[string]float64, len(wire.Data.Values)),
	}
	if q.On != "" {
		on := q.On
		out.SegmentProperty = &on
	}
	for seg, byDate := range wire.Data.Values {
		counts := make(map[string]float64, len(byDate))
		for date, v := range byDate {
			if v == nil {
				counts[date] = 0
				continue
			}
			counts[date] = *v
			out.Total += *v
		}
		out.Series[seg] = counts
	}
	return out, nil
}

// EventNames runs GET /api/query/events/names (type=general, limit when
// q.Limit > 0) on the scope's project, workspace-scoped when the scope has
// a workspace.
func (c *Client) EventNames(ctx context.Context, scope domain.Scope, q domain.EventNamesQuery) ([]string, error) {
	if err := needProject(scope, "listing event names"); err != nil {
		return nil, err
	}
	if q.Limit < 0 {
		return nil, domain.NewError(domain.CodeInvalidArgument, "--limit %d must be a positive number", q.Limit).
			WithDetail("flag", "--limit")
	}
	params := url.Values{}
	params.Set("type", "general")
	if q.Limit > 0 {
		params.Set("limit", strconv.Itoa(q.Limit))
	}
	cl := &call{scope: scope, method: http.MethodGet, path: "/api/query/events/names", query: params, projectScoped: true}
	addProject(cl)
	resp, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	var names []string
	if err := decodeJSON(resp.body, &names); err != nil {
		return nil, invalidJSON(cl, resp, err)
	}
	if names == nil {
		names = []string{}
	}
	return names, nil
}

// Do sends a raw request (`mp api`). req must pass
// domain.RawRequest.Normalize (a plain /api/app/ or /api/query/ path, no
// query string); "{project_id}" and "{workspace_id}" in the path are
// replaced by the scope's ids. req.Params go in the query string (encode a
// form into req.Body yourself). Query-API paths get project_id and
// workspace_id from the scope unless req.Params already set them. An empty Method means GET; only GET and HEAD are
// retried.
//
// The answer's body is returned as is for every status. A non-2xx status
// also returns a typed error (as for the other calls) whose
// Details["body"] holds the body when it is JSON.
func (c *Client) Do(ctx context.Context, scope domain.Scope, req domain.RawRequest) (domain.RawResponse, error) {
	cl, err := rawCall(scope, req)
	if err != nil {
		return domain.RawResponse{}, err
	}
	resp, err := c.send(ctx, cl)
	if resp == nil {
		return domain.RawResponse{}, err
	}
	return domain.RawResponse{Status: resp.status, ContentType: resp.contentType, Body: resp.body}, err
}

// rawCall validates a raw request and builds its call.
func rawCall(scope domain.Scope, req domain.RawRequest) (*call, error) {
	req, err := req.Normalize()
	if err != nil {
		return nil, err
	}
	method, rawPath := req.Method, req.Path
	if strings.Contains(rawPath, domain.PlaceholderProjectID) {
		if !scope.Project.IsSet() {
			return nil, domain.NewError(domain.CodeInvalidArgument, "path %q needs a project, and none is selected", req.Path).
				WithHint("pass --project ID or set a default with `mp project use ID`")
		}
		rawPath = strings.ReplaceAll(rawPath, domain.PlaceholderProjectID, string(scope.Project))
	}
	if strings.Contains(rawPath, domain.PlaceholderWorkspaceID) {
		if !scope.Workspace.IsSet() {
			return nil, domain.NewError(domain.CodeInvalidArgument, "path %q needs a workspace, and none is selected", req.Path).
				WithHint("pass --workspace ID or pick one with `mp workspace use ID`")
		}
		rawPath = strings.ReplaceAll(rawPath, domain.PlaceholderWorkspaceID, scope.Workspace.String())
	}
	u, err := url.Parse(rawPath)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Fragment != "" {
		return nil, domain.NewError(domain.CodeInvalidArgument,
			"path %q is not a Mixpanel API path: it must start with /api/app/ or /api/query/", req.Path).
			WithHint("pass a path such as /api/app/me or /api/query/events/names (no host, no ..)")
	}
	query := u.Query()
	for _, p := range req.Params {
		query.Add(p.Key, p.Value)
	}
	cl := &call{
		scope: scope, method: method, path: u.EscapedPath(), query: query, raw: true,
		projectScoped: isProjectPath(u.Path),
	}
	if len(req.Body) > 0 {
		cl.body = req.Body
		cl.contentType = req.ContentType
	}
	if strings.HasPrefix(u.Path, "/api/query/") {
		addProject(cl)
		// A JSON 404 to a query naming a project is about that project.
		cl.projectScoped = cl.query.Has("project_id")
	}
	return cl, nil
}

// addProject adds project_id and workspace_id (when set) to a query-API
// call, unless the call already has them.
func addProject(cl *call) {
	if cl.query == nil {
		cl.query = url.Values{}
	}
	if cl.scope.Project.IsSet() && !cl.query.Has("project_id") {
		cl.query.Set("project_id", string(cl.scope.Project))
	}
	if cl.scope.Workspace.IsSet() && !cl.query.Has("workspace_id") {
		cl.query.Set("workspace_id", cl.scope.Workspace.String())
	}
}

// needProject fails when the scope has no project.
func needProject(scope domain.Scope, what string) error {
	if scope.Project.IsSet() {
		return nil
	}
	return domain.NewError(domain.CodeInvalidArgument, "%s needs a project, and none is selected", what).
		WithHint("pass --project ID, or set a default with `mp project use ID`")
}

// getResults sends an app-API GET and returns the envelope's results.
func (c *Client) getResults(ctx context.Context, cl *call) ([]byte, error) {
	resp, err := c.send(ctx, cl)
	if err != nil {
		return nil, err
	}
	var env struct {
		Status  string          `json:"status"`
		Results json.RawMessage `json:"results"`
		Error   json.RawMessage `json:"error"`
	}
	if err := decodeJSON(resp.body, &env); err != nil {
		return nil, invalidJSON(cl, resp, err)
	}
	if env.Status == "error" {
		red := newRedactor(cl.scope.Credential)
		text := clip(red.text(jsonText(env.Error)))
		return nil, baseError(domain.CodeAPIError, cl, resp.status, text,
			"Mixpanel answered %s %s with an error (HTTP %d): %s", cl.method, cl.path, resp.status, text).
			WithDetail("attempts", resp.attempts)
	}
	if len(env.Results) == 0 || string(env.Results) == "null" {
		return nil, invalidShape(cl, fmt.Errorf(`the answer has no "results"`))
	}
	return env.Results, nil
}

// decodeJSON decodes one JSON value and rejects trailing data.
func decodeJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the JSON value")
	}
	return nil
}

// invalidJSON is the error for a 2xx answer that is not the expected JSON.
func invalidJSON(cl *call, resp *response, cause error) *domain.Error {
	ct := resp.contentType
	if ct == "" {
		ct = "no content type"
	}
	trimmed := bytes.TrimSpace(resp.body)
	isJSON := json.Valid(trimmed)
	var e *domain.Error
	if isJSON {
		e = invalidShape(cl, cause)
	} else {
		e = baseError(domain.CodeInvalidResponse, cl, resp.status, "",
			"Mixpanel answered %s %s with something that is not JSON (HTTP %d, %s)", cl.method, cl.path, resp.status, ct).
			WithHint("check MP_API_BASE_URL and any proxy between you and Mixpanel: something other than the Mixpanel API answered").
			WithCause(cause)
	}
	e.WithDetail("status", resp.status).WithDetail("content_type", resp.contentType)
	return e
}

// invalidShape is the error for JSON of the wrong shape.
func invalidShape(cl *call, cause error) *domain.Error {
	return baseError(domain.CodeInvalidResponse, cl, 0, "",
		"Mixpanel's answer to %s %s does not have the expected shape", cl.method, cl.path).
		WithHint("check MP_API_BASE_URL; when it is unset, Mixpanel may have changed the endpoint: run with --debug and report it").
		WithCause(cause)
}
