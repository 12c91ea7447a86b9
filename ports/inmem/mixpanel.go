package inmem

import (
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/mpdata/mp/domain"
)

// Endpoint names one method of ports.MixpanelAPI, for scripting failures
// and reading the call log of MixpanelAPI.
type Endpoint string

// The methods of ports.MixpanelAPI.
const (
	EndpointMe           Endpoint = "Me"
	EndpointWorkspaces   Endpoint = "Workspaces"
	EndpointSegmentation Endpoint = "Segmentation"
	EndpointEventNames   Endpoint = "EventNames"
	EndpointDo           Endpoint = "Do"
)

// APICall is one call MixpanelAPI received.
type APICall struct {
	// Endpoint is the method called.
	Endpoint Endpoint
	// Scope is the scope the call ran in.
	Scope domain.Scope
	// Segmentation is the query of a Segmentation call.
	Segmentation domain.SegmentationQuery
	// EventNames is the query of an EventNames call.
	EventNames domain.EventNamesQuery
	// Request is the request of a Do call.
	Request domain.RawRequest
}

// MixpanelAPI is a scriptable in-memory ports.MixpanelAPI for tests of the
// core. Like Mixpanel, it knows credentials per region: a call whose
// credential was not registered with SetMe for the scope's region fails
// with AUTH_FAILED (HTTP 401), on every endpoint. Answers are what the test
// set; failures queued with FailNext come first. Every call is logged.
//
// It is not a model of the HTTP API (no retries, no status mapping beyond
// the 401): the adapter is tested against mptest for that.
type MixpanelAPI struct {
	mu           sync.Mutex
	me           map[meKey]domain.Me
	workspaces   map[domain.ProjectID][]domain.Workspace
	segmentation *domain.SegmentationResult
	eventNames   []string
	raw          domain.RawResponse
	rawErr       error
	failures     map[Endpoint][]error
	calls        []APICall
}

// meKey is what a /me answer is registered under: the Authorization
// header the credential sends (Credential is not comparable), and the
// region.
type meKey struct {
	auth   string
	region domain.Region
}

// NewMixpanelAPI returns a fake that knows no credential yet. Do answers
// 200 with the JSON body {} until SetRawResponse says otherwise.
func NewMixpanelAPI() *MixpanelAPI {
	return &MixpanelAPI{
		me:         map[meKey]domain.Me{},
		workspaces: map[domain.ProjectID][]domain.Workspace{},
		raw:        domain.RawResponse{Status: 200, ContentType: "application/json", Body: []byte("{}")},
		failures:   map[Endpoint][]error{},
	}
}

// SetMe makes cred valid in region, with me as its /me answer.
func (f *MixpanelAPI) SetMe(cred domain.Credential, region domain.Region, me domain.Me) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.me[meKey{cred.AuthorizationHeader(), region}] = me
}

// SetWorkspaces sets the answer of Workspaces for project (by default a
// project has none).
func (f *MixpanelAPI) SetWorkspaces(project domain.ProjectID, ws ...domain.Workspace) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.workspaces[project] = slices.Clone(ws)
}

// SetSegmentation sets the answer of every Segmentation call. By default
// the answer repeats the query's event, dates and unit with no data.
func (f *MixpanelAPI) SetSegmentation(res domain.SegmentationResult) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.segmentation = &res
}

// SetEventNames sets the event names of every project; EventNames returns
// at most the query's limit of them.
func (f *MixpanelAPI) SetEventNames(names ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.eventNames = slices.Clone(names)
}

// SetRawResponse sets the answer of Do.
func (f *MixpanelAPI) SetRawResponse(resp domain.RawResponse) {
	f.SetRawAnswer(resp, nil)
}

// SetRawAnswer sets what Do returns: an error status comes with its typed
// error, as ports.MixpanelAPI promises.
func (f *MixpanelAPI) SetRawAnswer(resp domain.RawResponse, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.raw, f.rawErr = resp, err
}

// FailNext queues errs: the next len(errs) calls of endpoint fail with
// them, in order (each call is still logged).
func (f *MixpanelAPI) FailNext(endpoint Endpoint, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[endpoint] = append(f.failures[endpoint], errs...)
}

// Calls returns the logged calls of endpoint, in order; every call when
// endpoint is empty.
func (f *MixpanelAPI) Calls(endpoint Endpoint) []APICall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []APICall
	for _, c := range f.calls {
		if endpoint == "" || c.Endpoint == endpoint {
			out = append(out, c)
		}
	}
	return out
}

// Count returns how many calls endpoint received.
func (f *MixpanelAPI) Count(endpoint Endpoint) int { return len(f.Calls(endpoint)) }

// begin logs the call and returns the queued failure or the credential
// check's verdict, and the /me answer of the scope's credential.
func (f *MixpanelAPI) begin(ctx context.Context, call APICall) (domain.Me, error) {
	if err := ctx.Err(); err != nil {
		return domain.Me{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	if q := f.failures[call.Endpoint]; len(q) > 0 {
		f.failures[call.Endpoint] = q[1:]
		return domain.Me{}, q[0]
	}
	me, ok := f.me[meKey{call.Scope.Credential.AuthorizationHeader(), call.Scope.Region}]
	if !ok {
		return domain.Me{}, Unauthorized(call.Scope, endpointPath(call))
	}
	return me, nil
}

// Unauthorized is the error the fake returns for an unknown credential:
// AUTH_FAILED naming the account, the status and the endpoint, as the HTTP
// adapter reports a 401.
func Unauthorized(scope domain.Scope, path string) *domain.Error {
	who := "these credentials"
	if scope.Account != "" {
		who = "account '" + string(scope.Account) + "'"
	}
	e := domain.NewError(domain.CodeAuthFailed, "credentials for %s are invalid (HTTP 401 from %s)", who, path).
		WithDetail("status", 401).
		WithDetail("endpoint", path)
	if scope.Region != "" {
		e.WithDetail("region", string(scope.Region))
	}
	return e
}

// endpointPath is the HTTP path a call stands for, for errors.
func endpointPath(c APICall) string {
	switch c.Endpoint {
	case EndpointMe:
		return "/api/app/me"
	case EndpointWorkspaces:
		return "/api/app/projects/" + string(c.Scope.Project) + "/workspaces/public"
	case EndpointSegmentation:
		return "/api/query/segmentation"
	case EndpointEventNames:
		return "/api/query/events/names"
	}
	return c.Request.Path
}

// Me returns the /me answer registered for the scope's credential and
// region.
func (f *MixpanelAPI) Me(ctx context.Context, scope domain.Scope) (domain.Me, error) {
	me, err := f.begin(ctx, APICall{Endpoint: EndpointMe, Scope: scope})
	if err != nil {
		return domain.Me{}, err
	}
	return cloneMe(me), nil
}

// Workspaces returns the workspaces set for the scope's project.
func (f *MixpanelAPI) Workspaces(ctx context.Context, scope domain.Scope) ([]domain.Workspace, error) {
	if _, err := f.begin(ctx, APICall{Endpoint: EndpointWorkspaces, Scope: scope}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.workspaces[scope.Project]), nil
}

// Segmentation returns the answer set with SetSegmentation, or an empty
// answer that repeats the query.
func (f *MixpanelAPI) Segmentation(ctx context.Context, scope domain.Scope, q domain.SegmentationQuery) (domain.SegmentationResult, error) {
	if _, err := f.begin(ctx, APICall{Endpoint: EndpointSegmentation, Scope: scope, Segmentation: q}); err != nil {
		return domain.SegmentationResult{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.segmentation != nil {
		res := *f.segmentation
		res.Series = maps.Clone(res.Series)
		return res, nil
	}
	return domain.SegmentationResult{
		Event: q.Event, FromDate: q.From, ToDate: q.To, Unit: q.Unit,
		Series: map[string]map[string]float64{},
	}, nil
}

// EventNames returns at most q.Limit of the names set with SetEventNames.
func (f *MixpanelAPI) EventNames(ctx context.Context, scope domain.Scope, q domain.EventNamesQuery) ([]string, error) {
	if _, err := f.begin(ctx, APICall{Endpoint: EndpointEventNames, Scope: scope, EventNames: q}); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	names := slices.Clone(f.eventNames)
	if q.Limit > 0 && len(names) > q.Limit {
		names = names[:q.Limit]
	}
	if names == nil {
		names = []string{}
	}
	return names, nil
}

// Do returns the response set with SetRawResponse.
func (f *MixpanelAPI) Do(ctx context.Context, scope domain.Scope, req domain.RawRequest) (domain.RawResponse, error) {
	req.Params = slices.Clone(req.Params)
	req.Body = slices.Clone(req.Body)
	if _, err := f.begin(ctx, APICall{Endpoint: EndpointDo, Scope: scope, Request: req}); err != nil {
		return domain.RawResponse{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	resp := f.raw
	resp.Body = slices.Clone(resp.Body)
	return resp, f.rawErr
}

// cloneMe copies the slices of me so that callers cannot change the
// registered answer.
func cloneMe(me domain.Me) domain.Me {
	me.Organizations = slices.Clone(me.Organizations)
	me.Projects = slices.Clone(me.Projects)
	me.Workspaces = slices.Clone(me.Workspaces)
	me.Raw = slices.Clone(me.Raw)
	return me
}
