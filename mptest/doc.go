// Package mptest is an in-process, Mixpanel-compatible HTTP server for
// tests, the demo (cmd/mp-sandbox) and library users' own tests, in the
// spirit of net/http/httptest. It uses only the standard library and
// listens on loopback addresses only.
//
// # Starting a server
//
//	srv := mptest.NewServer(t)               // closed when the test ends
//	t.Setenv("MP_API_BASE_URL", srv.RegionURL()) // http://127.0.0.1:PORT/{region}
//
// Start does the same without a testing.TB (close it yourself). Options
// change the data (WithSeed, WithProjects, …), the OAuth behaviour
// (WithAuthorizeMode, WithAccessTokenLifetime, WithoutRefreshRotation),
// the clock (WithClock) and the address (WithAddr).
//
// # Regions
//
// Every route is served at the root of URL() and under /us, /eu and /in.
// A credential belongs to one region: under another region's prefix it is
// rejected with 401, exactly like an unknown credential (that cluster does
// not know it), which is what a region probe relies on. At the root any
// region's credential is accepted, like a proxy. Projects exist only in
// their region's cluster: under another prefix they are "not found".
//
// # Routes
//
//   - GET /api/app/me: Basic (service account) or Bearer (static token or
//     OAuth access token). 401 {"status":"error","error":…} for a bad or
//     missing credential, 403 for a service account without the
//     user_details scope, else {"status":"ok","results":{user_id,
//     user_email, user_name, organizations (in seed order), projects,
//     workspaces (with member_list)}}.
//   - GET /api/app/projects/{id}/workspaces/public: {"status":"ok",
//     "results":[…]}; 404 for a project the cluster does not have, 403 for
//     one the credential cannot reach.
//   - GET (or POST) /api/query/segmentation: project_id, event, from_date,
//     to_date required; unit (minute, hour, day (default), week, month),
//     type (general (default), unique, average), on, where, workspace_id
//     optional. Errors are {"error":…,"request":…}: 400 for a bad
//     parameter, 404 for an unknown project or a workspace of another
//     project, 403 for a project out of reach. The answer, without
//     envelope: {"data":{"series":[…],"values":{segment:{date:n}}},
//     "legend_size":k}.
//   - GET (or POST) /api/query/events/names: project_id, type, limit →
//     a JSON array of the project's event names.
//   - POST /oauth/mcp/register/, GET and POST /oauth/authorize/,
//     POST /oauth/token/: dynamic registration, authorization (auto-approve,
//     consent page or auto-deny) and the token endpoint with PKCE S256,
//     single-use codes and rotating refresh tokens (a used refresh token
//     answers 400 {"error":"invalid_grant"}). Access tokens belong to the
//     region of the prefix they were issued under (us at the root) and are
//     accepted as Bearer credentials until they expire.
//
// # Deterministic data
//
// Segmentation numbers are a pure function of the project, event, dates,
// unit, type, where and on parameters: the same request always gets the
// same numbers. Segments of `on` add up to the unsegmented counts, and
// week and month buckets add up to the days they cover. Known properties
// split into fixed values ($browser → Chrome, Firefox, Safari; $os;
// mp_country_code; $city; plan); any other property gives the single
// segment "undefined". An event the project does not list is all zeros.
//
// # Observing and breaking the server
//
// Count and Requests report what the server received (never credentials);
// Connections counts accepted TCP connections. Inject queues faults
// (Status, RateLimit, RateLimitUntil, ServerError, Delay, CloseConnection,
// Body) that matching requests consume one by one; InjectAlways makes a
// fault permanent. IssueTokens and RevokeTokens shortcut OAuth for tests.
//
// # Seed
//
// DefaultSeed describes the default data set; the Demo* constants are
// its credentials (fake, valid only here).
package mptest
