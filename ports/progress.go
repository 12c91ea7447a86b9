package ports

import (
	"context"
	"time"

	"github.com/mpdata/mp/domain"
)

// Progress receives, through a context (WithProgress), what the adapters
// do that a person waiting for an answer may want to see: a call to
// Mixpanel starting and ending, and a retry about to wait — the way
// net/http/httptrace hooks into a request. Every field may be nil. The
// hooks run on the calling goroutine and must return quickly; they never
// see a credential.
type Progress struct {
	// CallStart is called when a call begins, before its first attempt.
	CallStart func(CallInfo)
	// CallDone is called when the call has ended, whatever its outcome.
	CallDone func(CallInfo)
	// Retry is called before the wait that precedes another attempt.
	Retry func(RetryInfo)
}

// CallInfo describes one call to Mixpanel (no credential, no query string).
type CallInfo struct {
	// Method and Path are the request's ("GET", "/api/app/me").
	Method, Path string
	// Account is the account the call runs as.
	Account domain.AccountName
	// Project is the call's project, when it has one.
	Project domain.ProjectID
}

// RetryInfo describes a retry about to happen.
type RetryInfo struct {
	// Call is the call being retried.
	Call CallInfo
	// Attempt is the attempt that will follow the wait (2 for the first
	// retry); MaxAttempts is the most there will be.
	Attempt, MaxAttempts int
	// Wait is how long the client waits before it.
	Wait time.Duration
	// Status is the HTTP status of the failed attempt; 0 when no answer
	// arrived.
	Status int
	// Reason says why the attempt failed, in a few words ("HTTP 503",
	// "connection refused", "timed out").
	Reason string
}

// progressKey is the context key of a *Progress.
type progressKey struct{}

// WithProgress returns ctx carrying p (nil: ctx itself).
func WithProgress(ctx context.Context, p *Progress) context.Context {
	if p == nil {
		return ctx
	}
	return context.WithValue(ctx, progressKey{}, p)
}

// ProgressFrom returns the Progress ctx carries, or nil.
func ProgressFrom(ctx context.Context) *Progress {
	p, _ := ctx.Value(progressKey{}).(*Progress)
	return p
}

// WithoutProgress returns ctx carrying no Progress, whatever its parent
// carries: for work that shows its own progress (a login's prompts).
func WithoutProgress(ctx context.Context) context.Context {
	return context.WithValue(ctx, progressKey{}, (*Progress)(nil))
}
