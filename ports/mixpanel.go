package ports

import (
	"context"

	"github.com/mpdata/mp/domain"
)

// MixpanelAPI is what the core needs from Mixpanel's HTTP API. Every call
// takes the scope (region, credential, project, workspace, headers) it runs
// in; an implementation keeps one connection pool across scopes.
//
// Errors are *domain.Error with the codes of docs/reference/http.md
// (AUTH_FAILED, PERMISSION_DENIED, PROJECT_NOT_FOUND, RATE_LIMITED,
// SERVER_ERROR, API_ERROR, INVALID_RESPONSE, HTTP_ERROR,
// NETWORK_UNREACHABLE) carrying the status, the endpoint path and the API's
// error text — never a credential.
type MixpanelAPI interface {
	// Me returns GET /api/app/me for the scope's credential and region.
	Me(ctx context.Context, scope domain.Scope) (domain.Me, error)
	// Workspaces lists the scope project's workspaces
	// (GET /api/app/projects/{id}/workspaces/public).
	Workspaces(ctx context.Context, scope domain.Scope) ([]domain.Workspace, error)
	// Segmentation runs GET /api/query/segmentation on the scope's project
	// (and workspace, when set). q has been normalised.
	Segmentation(ctx context.Context, scope domain.Scope, q domain.SegmentationQuery) (domain.SegmentationResult, error)
	// EventNames runs GET /api/query/events/names.
	EventNames(ctx context.Context, scope domain.Scope, q domain.EventNamesQuery) ([]string, error)
	// Do sends a raw request to any /api/app or /api/query path, with the
	// scope's project and workspace injected.
	Do(ctx context.Context, scope domain.Scope, req domain.RawRequest) (domain.RawResponse, error)
}

// MeCache keeps /me answers per account (accounts/<name>/me.json).
type MeCache interface {
	// Get returns the cached entry; ok is false when there is none. A
	// corrupt entry is a miss, never an error; errors are for unsafe files.
	Get(ctx context.Context, account domain.AccountName) (entry domain.CachedMe, ok bool, err error)
	// Put stores an entry, replacing any previous one.
	Put(ctx context.Context, account domain.AccountName, entry domain.CachedMe) error
	// Delete forgets the account's entry (its credentials or region
	// changed); deleting a missing entry is not an error.
	Delete(ctx context.Context, account domain.AccountName) error
}
