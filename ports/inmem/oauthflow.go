package inmem

import (
	"context"
	"slices"
	"sync"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// FakeAuthorizeURL is the authorize URL OAuthFlow.Login reports in its
// LoginURL event (with "?region=<region>" appended).
const FakeAuthorizeURL = "https://mixpanel.invalid/oauth/authorize/"

// OAuthResult is one scripted answer of OAuthFlow.
type OAuthResult struct {
	Tokens domain.Tokens
	Err    error
}

// RefreshCall records one OAuthFlow.Refresh call.
type RefreshCall struct {
	Region domain.Region
	Tokens domain.Tokens
}

// OAuthFlow is a scripted ports.OAuthFlow for tests of the core: Login and
// Refresh answer queued results in order (QueueLogin, QueueRefresh), or,
// once a queue is empty, call the function set with OnLogin / OnRefresh;
// with neither they fail with OAUTH_TOKEN_ERROR saying nothing was
// scripted. Every call is recorded and counted. It is safe for concurrent
// use.
type OAuthFlow struct {
	mu        sync.Mutex
	logins    []OAuthResult
	refreshes []OAuthResult
	onLogin   func(ctx context.Context, req ports.LoginRequest) (domain.Tokens, error)
	onRefresh func(ctx context.Context, region domain.Region, tokens domain.Tokens) (domain.Tokens, error)
	loginReqs []ports.LoginRequest
	refreshed []RefreshCall
}

var _ ports.OAuthFlow = (*OAuthFlow)(nil)

// NewOAuthFlow returns a flow with nothing scripted.
func NewOAuthFlow() *OAuthFlow { return &OAuthFlow{} }

// QueueLogin appends one answer for Login.
func (f *OAuthFlow) QueueLogin(tokens domain.Tokens, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logins = append(f.logins, OAuthResult{Tokens: tokens, Err: err})
}

// QueueRefresh appends one answer for Refresh.
func (f *OAuthFlow) QueueRefresh(tokens domain.Tokens, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshes = append(f.refreshes, OAuthResult{Tokens: tokens, Err: err})
}

// OnLogin sets the function Login calls once its queue is empty.
func (f *OAuthFlow) OnLogin(fn func(ctx context.Context, req ports.LoginRequest) (domain.Tokens, error)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onLogin = fn
}

// OnRefresh sets the function Refresh calls once its queue is empty (for
// example one that blocks, to test single-flight, or that rotates).
func (f *OAuthFlow) OnRefresh(fn func(ctx context.Context, region domain.Region, tokens domain.Tokens) (domain.Tokens, error)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onRefresh = fn
}

// Login records req, reports the LoginURL (BrowserOpened = !NoBrowser),
// LoginWaiting and, on success, LoginCode events through req.Notify, and
// answers the next scripted result.
func (f *OAuthFlow) Login(ctx context.Context, req ports.LoginRequest) (domain.Tokens, error) {
	if err := ctx.Err(); err != nil {
		return domain.Tokens{}, err
	}
	f.mu.Lock()
	f.loginReqs = append(f.loginReqs, req)
	var (
		next   OAuthResult
		queued = len(f.logins) > 0
		fn     = f.onLogin
	)
	if queued {
		next, f.logins = f.logins[0], f.logins[1:]
	}
	f.mu.Unlock()

	notify := func(ev ports.LoginEvent) {
		if req.Notify != nil {
			req.Notify(ev)
		}
	}
	notify(ports.LoginEvent{Kind: ports.LoginURL, URL: FakeAuthorizeURL + "?region=" + string(req.Region), BrowserOpened: !req.NoBrowser})
	notify(ports.LoginEvent{Kind: ports.LoginWaiting})
	switch {
	case queued:
	case fn != nil:
		next.Tokens, next.Err = fn(ctx, req)
	default:
		next.Err = domain.NewError(domain.CodeOAuthTokenError, "inmem.OAuthFlow: no Login result scripted (QueueLogin or OnLogin)")
	}
	if next.Err != nil {
		return domain.Tokens{}, next.Err
	}
	notify(ports.LoginEvent{Kind: ports.LoginCode})
	return next.Tokens, nil
}

// Refresh records the call and answers the next scripted result.
func (f *OAuthFlow) Refresh(ctx context.Context, region domain.Region, tokens domain.Tokens) (domain.Tokens, error) {
	if err := ctx.Err(); err != nil {
		return domain.Tokens{}, err
	}
	f.mu.Lock()
	f.refreshed = append(f.refreshed, RefreshCall{Region: region, Tokens: tokens})
	var (
		next   OAuthResult
		queued = len(f.refreshes) > 0
		fn     = f.onRefresh
	)
	if queued {
		next, f.refreshes = f.refreshes[0], f.refreshes[1:]
	}
	f.mu.Unlock()
	switch {
	case queued:
	case fn != nil:
		next.Tokens, next.Err = fn(ctx, region, tokens)
	default:
		next.Err = domain.NewError(domain.CodeOAuthTokenError, "inmem.OAuthFlow: no Refresh result scripted (QueueRefresh or OnRefresh)")
	}
	if next.Err != nil {
		return domain.Tokens{}, next.Err
	}
	return next.Tokens, nil
}

// LoginCalls returns how many times Login was called.
func (f *OAuthFlow) LoginCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.loginReqs)
}

// RefreshCalls returns how many times Refresh was called.
func (f *OAuthFlow) RefreshCalls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.refreshed)
}

// LoginRequests returns the requests Login received, in order.
func (f *OAuthFlow) LoginRequests() []ports.LoginRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.loginReqs)
}

// RefreshRequests returns the calls Refresh received, in order.
func (f *OAuthFlow) RefreshRequests() []RefreshCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.refreshed)
}
