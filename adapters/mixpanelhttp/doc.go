// Package mixpanelhttp implements ports.MixpanelAPI over Mixpanel's HTTP
// API (docs/reference/http.md, mixpanel-api.md).
//
// One *Client holds one *http.Client (one connection pool) and serves every
// scope: switching account, project or workspace only changes the
// domain.Scope passed to a call, never the client. Each call:
//
//   - picks the origin from the scope's region (https://mixpanel.com,
//     https://eu.mixpanel.com, https://in.mixpanel.com) or from
//     Options.BaseURL (MP_API_BASE_URL), where a literal "{region}" is
//     replaced by the region code;
//   - layers headers low to high: User-Agent, Accept, the scope's headers
//     (custom header, bridge headers), the call's own headers, and last
//     Authorization from the scope's credential — the only place a secret
//     is revealed;
//   - adds project_id (and workspace_id when the scope has one) to query-API
//     calls;
//   - retries GET and HEAD on 429, 502, 503, 504 and transport errors, at
//     most MaxAttempts times, with exponential backoff and jitter, honouring
//     Retry-After (seconds or HTTP-date, up to MaxRetryAfter) and stopping
//     when the context ends;
//   - unwraps {"status":"ok","results":…} and maps every failure to a
//     *domain.Error whose Details carry the status, the endpoint path and
//     the API's error text, never a credential.
//
// Status mapping:
//
//	401                  AUTH_FAILED        "credentials for account X are invalid", hint per account type
//	403                  PERMISSION_DENIED  names the scope or permission likely missing
//	404 project-scoped   PROJECT_NOT_FOUND  typed project calls; raw /api/app/projects/{id}/… paths and
//	                                        raw query paths with project_id when the 404 body is JSON
//	404 otherwise        API_ERROR          status 404
//	400, 422             API_ERROR          Details["invalid_request"] = true (the request itself was invalid)
//	other 4xx            API_ERROR
//	429 after retries    RATE_LIMITED       Details["retry_after"] = seconds
//	5xx after retries    SERVER_ERROR
//	1xx, 3xx             HTTP_ERROR
//	non-JSON 2xx         INVALID_RESPONSE   where JSON was expected
//	transport failure    NETWORK_UNREACHABLE  DNS, refused, reset, timeout; names the host
//
// A cancelled or expired caller context is returned as the context's error
// (wrapped; errors.Is(err, context.Canceled) holds), not as a domain error.
// A call that runs out of Options.Timeout (the per-call timeout) is
// NETWORK_UNREACHABLE saying so, with its value and Options.TimeoutSource,
// Details["timeout"], ["per_call_timeout"] and ["timeout_source"]; it does
// not wrap context.DeadlineExceeded.
package mixpanelhttp
