package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// DefaultEventNamesLimit is how many event names EventNames asks for when
// the caller gives no limit.
const DefaultEventNamesLimit = 255

// Query runs queries on the session's project (Mixpanel's query API).
type Query struct {
	c   *core
	log *zap.Logger
}

// Segmentation validates and normalises q (domain.SegmentationQuery.Normalize)
// and runs it on the session's project; the workspace is sent only when
// the session has one.
func (s *Query) Segmentation(ctx context.Context, sel domain.Selection, q domain.SegmentationQuery) (domain.SegmentationResult, error) {
	q, err := q.Normalize()
	if err != nil {
		return domain.SegmentationResult{}, err
	}
	api, scope, err := s.c.queryScope(ctx, sel)
	if err != nil {
		return domain.SegmentationResult{}, err
	}
	res, err := api.Segmentation(ctx, scope, q)
	if err != nil {
		s.log.Debug("segmentation failed", zap.String("project", string(scope.Project)), zap.String("code", string(domain.CodeOf(err))))
		return domain.SegmentationResult{}, err
	}
	s.log.Debug("segmentation", zap.String("account", string(scope.Account)), zap.String("project", string(scope.Project)),
		zap.Int64("workspace", int64(scope.Workspace)), zap.String("event", q.Event), zap.String("unit", q.Unit),
		zap.Int("segments", len(res.Series)))
	return res, nil
}

// EventNames returns up to limit event names of the session's project
// (workspace-scoped when the session has a workspace). A zero limit means
// DefaultEventNamesLimit; a negative one is INVALID_ARGUMENT.
func (s *Query) EventNames(ctx context.Context, sel domain.Selection, limit int) ([]string, error) {
	if limit < 0 {
		return nil, domain.NewError(domain.CodeInvalidArgument, "--limit %d is not a positive number", limit).
			WithDetail("flag", "--limit").
			WithHint("pass --limit N with N ≥ 1 (default %d)", DefaultEventNamesLimit)
	}
	if limit == 0 {
		limit = DefaultEventNamesLimit
	}
	api, scope, err := s.c.queryScope(ctx, sel)
	if err != nil {
		return nil, err
	}
	names, err := api.EventNames(ctx, scope, domain.EventNamesQuery{Limit: limit})
	if err != nil {
		s.log.Debug("event names failed", zap.String("project", string(scope.Project)), zap.String("code", string(domain.CodeOf(err))))
		return nil, err
	}
	if names == nil {
		names = []string{}
	}
	s.log.Debug("event names", zap.String("account", string(scope.Account)), zap.String("project", string(scope.Project)),
		zap.Int64("workspace", int64(scope.Workspace)), zap.Int("count", len(names)))
	return names, nil
}

// queryScope resolves the session and returns the API with the session's
// scope (its workspace only when one is set).
func (c *core) queryScope(ctx context.Context, sel domain.Selection) (ports.MixpanelAPI, domain.Scope, error) {
	api, err := c.api()
	if err != nil {
		return nil, domain.Scope{}, err
	}
	ses, err := c.resolve(ctx, sel)
	if err != nil {
		return nil, domain.Scope{}, err
	}
	scope, err := c.sessionScope(ctx, ses)
	if err != nil {
		return nil, domain.Scope{}, err
	}
	return api, scope, nil
}
