package mp

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/mpdata/mp/domain"
)

// maxRequestBody bounds the body a request of HTTPClient may carry.
const maxRequestBody = 16 << 20

// mixpanelHosts are the hosts a request of HTTPClient may name; the
// request goes to the session's own region whatever Mixpanel host it names.
var mixpanelHosts = []string{"mixpanel.com", "eu.mixpanel.com", "in.mixpanel.com"}

// HTTPClient returns an *http.Client that sends each request to Mixpanel
// as the handle's session at the time of the call — the model is
// oauth2.NewClient — so that code of your own can call any endpoint under
// /api/app/ or /api/query/ with the standard library:
//
//	resp, err := ws.HTTPClient().Get("https://mixpanel.com/api/app/me")
//
// Every request goes through the same path as Workspace.Do: the session's
// credentials (Basic for a service account, the bearer of an oauth_token
// account, the access token of an oauth_browser account, refreshed and
// written back when it is about to expire), its custom and bridge headers,
// its region's host (MP_API_BASE_URL and WithAPIBaseURL apply),
// project_id — and workspace_id when the session has one — added to the
// query unless the URL sets them, {project_id} and {workspace_id} in the
// path replaced, retries of idempotent requests, the handle's time bounds
// and redirect rules. The session needs a project.
//
// The URL's host must be a Mixpanel API host (mixpanel.com,
// eu.mixpanel.com, in.mixpanel.com) or empty; any other host is refused
// before anything is sent, so credentials cannot be sent elsewhere by
// mistake. Of the request's headers only Content-Type is sent; its body is
// limited to 16 MiB. An error status (4xx, 5xx) is an *http.Response like
// any other, with Mixpanel's body; failures without an answer (network,
// time bound, a refused redirect, invalid credentials before sending) are
// errors whose cause is an *Error.
func (w *Workspace) HTTPClient() *http.Client {
	return &http.Client{Transport: sessionTransport{w: w}}
}

// sessionTransport is the http.RoundTripper of HTTPClient.
type sessionTransport struct{ w *Workspace }

// RoundTrip implements http.RoundTripper.
func (t sessionTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		defer r.Body.Close()
	}
	req, err := rawRequestOf(r)
	if err != nil {
		return nil, err
	}
	res, err := t.w.Do(r.Context(), req)
	if err != nil && res.Status == 0 {
		return nil, err
	}
	h := http.Header{}
	if res.ContentType != "" {
		h.Set("Content-Type", res.ContentType)
	}
	return &http.Response{
		Status:        strconv.Itoa(res.Status) + " " + http.StatusText(res.Status),
		StatusCode:    res.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(res.Body)),
		ContentLength: int64(len(res.Body)),
		Request:       r,
	}, nil
}

// rawRequestOf turns an *http.Request into the RawRequest Workspace.Do
// sends, refusing a host that is not Mixpanel's.
func rawRequestOf(r *http.Request) (RawRequest, error) {
	if r.URL == nil {
		return RawRequest{}, wrap(domain.NewError(domain.CodeInvalidArgument, "the request has no URL"))
	}
	if host := r.URL.Hostname(); host != "" && !isMixpanelHost(host) {
		return RawRequest{}, wrap(domain.NewError(domain.CodeInvalidArgument,
			"mp's HTTP client sends requests only to Mixpanel, and %s is not a Mixpanel API host; nothing was sent", host).
			WithDetail("host", host).
			WithHint("use https://mixpanel.com/api/app/… or /api/query/… (the session's region is chosen for you), or another client for other hosts"))
	}
	req := RawRequest{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type")}
	q := r.URL.Query()
	for _, k := range slices.Sorted(maps.Keys(q)) {
		for _, v := range q[k] {
			req.Params = append(req.Params, Param{Key: k, Value: v})
		}
	}
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
		if err != nil {
			return RawRequest{}, fmt.Errorf("read the request body: %w", err)
		}
		if len(body) > maxRequestBody {
			return RawRequest{}, wrap(domain.NewError(domain.CodeInvalidArgument, "the request body is larger than %d bytes", maxRequestBody))
		}
		req.Body = body
	}
	return req, nil
}

// isMixpanelHost reports whether host (without port) is a Mixpanel API
// host.
func isMixpanelHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, m := range mixpanelHosts {
		if host == m {
			return true
		}
	}
	return false
}
