package app

import (
	"context"
	"slices"
	"strings"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

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
// method is GET. A path that needs no project (an /api/app/ path without
// placeholders, such as /api/app/me) runs without one when the session has
// none: then no project_id is added.
func (s *RawAPI) Do(ctx context.Context, sel domain.Selection, req domain.RawRequest) (domain.RawResponse, error) {
	req, err := req.Normalize()
	if err != nil {
		return domain.RawResponse{}, err
	}
	api, err := s.c.api()
	if err != nil {
		return domain.RawResponse{}, err
	}
	ses, err := s.c.resolve(ctx, sel)
	if err != nil && !needsProject(req.Path) {
		// /api/app/me and the like run without a project.
		ses, err = s.c.resolveWithoutProject(ctx, sel, err)
	}
	if err != nil {
		return domain.RawResponse{}, err
	}
	sess := ses.Session
	ws := sess.Workspace
	if strings.Contains(req.Path, domain.PlaceholderWorkspaceID) && !ws.IsSet() {
		if ws, err = s.c.workspace(ctx, ses); err != nil {
			return domain.RawResponse{}, err
		}
	}
	req.Path = strings.ReplaceAll(req.Path, domain.PlaceholderProjectID, string(sess.Project))
	if ws.IsSet() {
		req.Path = strings.ReplaceAll(req.Path, domain.PlaceholderWorkspaceID, ws.String())
	}
	req.Params = slices.Clone(req.Params)
	if sess.Project.IsSet() && !hasParam(req.Params, "project_id") {
		req.Params = append(req.Params, domain.Param{Key: "project_id", Value: string(sess.Project)})
	}
	if ws.IsSet() && !hasParam(req.Params, "workspace_id") {
		req.Params = append(req.Params, domain.Param{Key: "workspace_id", Value: ws.String()})
	}
	scope, err := s.c.sessionScope(ctx, ses)
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

// needsProject reports whether a raw request to path needs the session's
// project: the query API does, and so does a path with a {project_id} or
// {workspace_id} placeholder. Other /api/app/ paths (/api/app/me) run
// without one when the session has none.
func needsProject(path string) bool {
	return strings.HasPrefix(path, "/api/query/") ||
		strings.Contains(path, domain.PlaceholderProjectID) || strings.Contains(path, domain.PlaceholderWorkspaceID)
}

// resolveWithoutProject is the session of sel when its resolution failed
// (with err) only for want of a project: the account and its headers,
// no project, no workspace. Any other failure is err itself.
func (c *core) resolveWithoutProject(ctx context.Context, sel domain.Selection, err error) (session, error) {
	cfg, br, lerr := c.load(ctx)
	if lerr != nil {
		return session{}, err
	}
	res, failed, perr := domain.ResolvePartial(c.inputWith(sel, cfg, br))
	if perr == nil || failed != domain.AxisProject {
		return session{}, err
	}
	o := originOf(res.Provenance.Account, res.Session.Account, cfg, br)
	if pinErr := c.checkPin(ctx, o, br); pinErr != nil {
		return session{}, pinErr
	}
	res.Session.Headers = headersWith(cfg, br)
	return session{Resolution: res, origin: o, bridge: br}, nil
}

// hasParam reports whether params set key.
func hasParam(params []domain.Param, key string) bool {
	return slices.ContainsFunc(params, func(p domain.Param) bool { return p.Key == key })
}
