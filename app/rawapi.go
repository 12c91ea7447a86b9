package app

import (
	"context"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// Placeholders RawAPI.Do replaces in a request path.
const (
	PlaceholderProjectID   = "{project_id}"
	PlaceholderWorkspaceID = "{workspace_id}"
)

// rawPathPrefixes are the APIs a raw request may reach.
var rawPathPrefixes = []string{"/api/app/", "/api/query/"}

// rawMethods are the HTTP methods a raw request may use.
var rawMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}

// RawAPI sends raw authenticated requests to Mixpanel (`mp api`).
type RawAPI struct {
	c   *core
	log *zap.Logger
}

// Do sends req in the resolved session. The path must start with /api/app/
// or /api/query/ and be a plain path (no query string, no "." or ".."
// segments, no percent-encoding): anything else is INVALID_ARGUMENT. The
// placeholders {project_id} and {workspace_id} in the path are replaced
// (a missing workspace is resolved lazily: the project's default). The
// parameters project_id, and workspace_id when the session has a workspace
// (or the path named one), are added unless req already has them. An empty
// method is GET.
func (s *RawAPI) Do(ctx context.Context, sel domain.Selection, req domain.RawRequest) (domain.RawResponse, error) {
	req.Method = strings.ToUpper(strings.TrimSpace(req.Method))
	if req.Method == "" {
		req.Method = "GET"
	}
	if !slices.Contains(rawMethods, req.Method) {
		return domain.RawResponse{}, domain.NewError(domain.CodeInvalidArgument, "-X %q is not an HTTP method mp api sends", req.Method).
			WithDetail("flag", "-X").
			WithHint("use one of %s", strings.Join(rawMethods, ", "))
	}
	if err := checkRawPath(req.Path); err != nil {
		return domain.RawResponse{}, err
	}
	api, err := s.c.api()
	if err != nil {
		return domain.RawResponse{}, err
	}
	ses, err := s.c.resolve(ctx, sel)
	if err != nil {
		return domain.RawResponse{}, err
	}
	sess := ses.Session
	ws := sess.Workspace
	if strings.Contains(req.Path, PlaceholderWorkspaceID) && !ws.IsSet() {
		if ws, err = s.c.workspace(ctx, ses); err != nil {
			return domain.RawResponse{}, err
		}
	}
	req.Path = strings.ReplaceAll(req.Path, PlaceholderProjectID, string(sess.Project))
	if ws.IsSet() {
		req.Path = strings.ReplaceAll(req.Path, PlaceholderWorkspaceID, ws.String())
	}
	req.Params = slices.Clone(req.Params)
	if !hasParam(req.Params, "project_id") {
		req.Params = append(req.Params, domain.Param{Key: "project_id", Value: string(sess.Project)})
	}
	if ws.IsSet() && !hasParam(req.Params, "workspace_id") {
		req.Params = append(req.Params, domain.Param{Key: "workspace_id", Value: ws.String()})
	}
	scope, err := s.c.sessionScope(ctx, sess)
	if err != nil {
		return domain.RawResponse{}, err
	}
	scope.Workspace = ws
	resp, err := api.Do(ctx, scope, req)
	if err != nil {
		s.log.Debug("raw request failed", zap.String("method", req.Method), zap.String("path", req.Path), zap.String("code", string(domain.CodeOf(err))))
		// The answer (status, body) of an error status comes back with the
		// error, so that `mp api` can print what Mixpanel said.
		return resp, err
	}
	s.log.Debug("raw request", zap.String("method", req.Method), zap.String("path", req.Path),
		zap.Int("params", len(req.Params)), zap.Int("status", resp.Status), zap.Int("bytes", len(resp.Body)))
	return resp, nil
}

// checkRawPath enforces the rules of RawAPI.Do on a path.
func checkRawPath(p string) error {
	bad := func(problem, hint string) error {
		return domain.NewError(domain.CodeInvalidArgument, "path %q %s", p, problem).
			WithDetail("path", p).
			WithHint("%s", hint)
	}
	if !slices.ContainsFunc(rawPathPrefixes, func(pre string) bool { return strings.HasPrefix(p, pre) }) {
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

// hasParam reports whether params set key.
func hasParam(params []domain.Param, key string) bool {
	return slices.ContainsFunc(params, func(p domain.Param) bool { return p.Key == key })
}
