package mptest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Routes served by a Server, as accepted by Count and Inject. Each is
// served at the root and under the region prefixes /us, /eu and /in.
const (
	RouteMe           = "/api/app/me"
	RouteWorkspaces   = "/api/app/projects/{id}/workspaces/public"
	RouteSegmentation = "/api/query/segmentation"
	RouteEventNames   = "/api/query/events/names"
	RouteRegister     = "/oauth/mcp/register/"
	RouteAuthorize    = "/oauth/authorize/"
	RouteToken        = "/oauth/token/"
)

// maxLoggedRequests bounds the request log kept for Requests.
const maxLoggedRequests = 10000

// Server is a Mixpanel-compatible HTTP server on a loopback address. It is
// safe for concurrent use. Create one with NewServer (tests) or Start.
type Server struct {
	cfg   config
	data  *dataset
	ln    net.Listener
	http  *http.Server
	mux   *http.ServeMux
	url   string
	done  chan struct{} // closed by Close/Shutdown; aborts injected delays
	once  sync.Once
	conns atomic.Int64

	mu     sync.Mutex
	counts map[countKey]int
	log    []Request
	faults []*injection
	oauth  oauthState
}

// Request is one request the server received, as Requests reports it. It
// never holds credentials: Authorization, Cookie and Proxy-Authorization
// headers are removed and request bodies are not kept.
type Request struct {
	Method string
	Path   string      // as received, region prefix included
	Route  string      // one of the Route constants; "" for an unknown path
	Region string      // "us", "eu", "in", or "" at the root
	Auth   string      // "basic", "bearer", "" when absent, else the scheme in lower case
	Query  url.Values  // the URL query (not the body)
	Header http.Header // the headers, credentials removed
	Time   time.Time   // by the server's clock
}

// countKey identifies requests for Count: the region prefix, the route and
// the path without its region prefix.
type countKey struct {
	region, route, path string
}

// Option configures a Server.
type Option func(*config)

// config is what Options set.
type config struct {
	seed          Seed
	addr          string
	authorize     AuthorizeMode
	tokenLifetime time.Duration
	now           func() time.Time
	noRotation    bool
}

// WithSeed replaces the whole dataset (default: DefaultSeed()).
func WithSeed(s Seed) Option { return func(c *config) { c.seed = s.clone() } }

// WithOrganizations replaces the seeded organisations (order is kept).
func WithOrganizations(orgs ...Organization) Option {
	return func(c *config) { c.seed.Organizations = Seed{Organizations: orgs}.clone().Organizations }
}

// WithProjects replaces the seeded projects.
func WithProjects(projects ...Project) Option {
	return func(c *config) { c.seed.Projects = Seed{Projects: projects}.clone().Projects }
}

// WithWorkspaces replaces the seeded workspaces.
func WithWorkspaces(workspaces ...Workspace) Option {
	return func(c *config) { c.seed.Workspaces = Seed{Workspaces: workspaces}.clone().Workspaces }
}

// WithUsers replaces the seeded users. When the OAuth user is not among
// them, the first one becomes the OAuth user.
func WithUsers(users ...User) Option {
	return func(c *config) {
		c.seed.Users = Seed{Users: users}.clone().Users
		if !slices.ContainsFunc(users, func(u User) bool { return u.ID == c.seed.OAuthUser }) {
			c.seed.OAuthUser = 0
			if len(users) > 0 {
				c.seed.OAuthUser = users[0].ID
			}
		}
	}
}

// WithOAuthUser sets the user an OAuth browser login signs in as
// (default: Jo Example, UserJo).
func WithOAuthUser(id int64) Option { return func(c *config) { c.seed.OAuthUser = id } }

// WithServiceAccounts replaces the seeded service accounts.
func WithServiceAccounts(sas ...ServiceAccount) Option {
	return func(c *config) { c.seed.ServiceAccounts = Seed{ServiceAccounts: sas}.clone().ServiceAccounts }
}

// WithTokens replaces the seeded static bearer tokens.
func WithTokens(tokens ...StaticToken) Option {
	return func(c *config) { c.seed.Tokens = Seed{Tokens: tokens}.clone().Tokens }
}

// WithAddr sets the listening address (default "127.0.0.1:0", a free
// port). The host must be a loopback address or "localhost".
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithAuthorizeMode selects how GET /oauth/authorize/ answers (default
// AutoApprove).
func WithAuthorizeMode(m AuthorizeMode) Option { return func(c *config) { c.authorize = m } }

// WithAccessTokenLifetime sets how long OAuth access tokens live (default
// one hour); the token answer's expires_in says the same in seconds.
func WithAccessTokenLifetime(d time.Duration) Option {
	return func(c *config) { c.tokenLifetime = d }
}

// WithClock sets the server's clock (default time.Now), which decides
// token and code expiry and stamps Requests.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithoutRefreshRotation makes the refresh_token grant answer without a
// new refresh token, leaving the old one valid (some servers do not rotate).
func WithoutRefreshRotation() Option { return func(c *config) { c.noRotation = true } }

// Start starts a server on a loopback address (see WithAddr) and returns
// once it accepts connections. Close it when done.
func Start(opts ...Option) (*Server, error) {
	cfg := config{
		seed:          DefaultSeed(),
		addr:          "127.0.0.1:0",
		tokenLifetime: time.Hour,
		now:           time.Now,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.seed.validate(); err != nil {
		return nil, err
	}
	addr, err := loopbackAddr(cfg.addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mptest: listen on %s: %w", addr, err)
	}
	s := &Server{
		cfg:    cfg,
		data:   newDataset(cfg.seed),
		ln:     ln,
		url:    "http://" + ln.Addr().String(),
		done:   make(chan struct{}),
		counts: map[countKey]int{},
		oauth:  newOAuthState(),
	}
	s.mux = s.routes()
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				s.conns.Add(1)
			}
		},
	}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// NewServer starts a server like Start and closes it when the test ends.
// It fails the test when the server cannot start.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatalf("mptest.NewServer: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// loopbackAddr checks that addr's host is a loopback address ("localhost"
// becomes 127.0.0.1) and returns the address to listen on.
func loopbackAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("mptest: address %q: %w (want e.g. 127.0.0.1:0)", addr, err)
	}
	if host == "localhost" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("mptest: address %q is not a loopback address (want 127.0.0.1:PORT or [::1]:PORT)", addr)
	}
	return net.JoinHostPort(host, port), nil
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:54321". Every
// route is served under it directly, accepting any region's credentials.
func (s *Server) URL() string { return s.url }

// RegionURL returns the URL with a literal "{region}" path segment, e.g.
// "http://127.0.0.1:54321/{region}": the value for MP_API_BASE_URL that
// makes a client use region-bound prefixes (/us, /eu, /in).
func (s *Server) RegionURL() string { return s.url + "/{region}" }

// Close stops the server at once, closing every connection.
func (s *Server) Close() {
	s.once.Do(func() { close(s.done) })
	_ = s.http.Close()
}

// Shutdown stops accepting connections, aborts injected delays and waits
// for active requests to finish or ctx to end.
func (s *Server) Shutdown(ctx context.Context) error {
	s.once.Do(func() { close(s.done) })
	if err := s.http.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("mptest: shutdown: %w", err)
	}
	return nil
}

// Connections returns how many TCP connections the server has accepted.
// A client that reuses connections opens one for many requests.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// Count returns how many requests matched route since the start (or the
// last Reset), faulted ones included. route is one of the Route constants
// (e.g. RouteMe, "/api/app/me") or a concrete path
// ("/api/app/projects/3713224/workspaces/public"); either counts across
// every region prefix unless it starts with one ("/eu/api/app/me" counts
// only requests under /eu).
func (s *Server) Count(route string) int {
	m := parseMatcher(route)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, c := range s.counts {
		if m.match(k) {
			n += c
		}
	}
	return n
}

// Requests returns the requests received (the most recent 10 000), oldest
// first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.log))
	copy(out, s.log)
	return out
}

// Reset clears the request counters and log (not faults, connections or
// OAuth state).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[countKey]int{}
	s.log = nil
}

// Seed returns a copy of the data the server serves.
func (s *Server) Seed() Seed { return s.cfg.seed.clone() }

// requestInfo is what ServeHTTP learns before a handler runs.
type requestInfo struct {
	region string // region prefix, "" at the root
	path   string // the path as received
}

type infoKey struct{}

// info returns the region prefix and original path of a request.
func info(r *http.Request) requestInfo {
	ri, _ := r.Context().Value(infoKey{}).(requestInfo)
	return ri
}

// ServeHTTP strips the region prefix, counts and logs the request, applies
// an injected fault if one is due, and routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	region, rest := splitRegion(r.URL.Path)
	ri := requestInfo{region: region, path: r.URL.Path}
	r2 := r.WithContext(context.WithValue(r.Context(), infoKey{}, ri))
	u := *r.URL
	u.Path, u.RawPath = rest, ""
	r2.URL = &u

	_, pattern := s.mux.Handler(r2)
	route := routeOfPattern(pattern)
	if !exactRoute(route, rest) {
		route = "" // ServeMux would redirect (a missing slash, "//", "..")
	}
	s.record(r, region, route, rest)

	if f, ok := s.nextFault(region, route, rest); ok {
		if !s.apply(w, r2, route, f) {
			return
		}
	}
	if route == "" {
		s.notRouted(w, r2)
		return
	}
	s.mux.ServeHTTP(w, r2)
}

// notRouted answers a request no route takes: 405 when the path exists
// for another method, else 404. (ServeMux would redirect "/oauth/token" to
// "/oauth/token/", dropping the region prefix; Mixpanel's paths are exact.)
func (s *Server) notRouted(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := s.mux.Handler(probe); strings.HasPrefix(p, m+" ") && exactRoute(routeOfPattern(p), r.URL.Path) {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
}

// splitRegion splits "/eu/api/app/me" into "eu" and "/api/app/me"; a path
// without a region prefix has region "".
func splitRegion(p string) (region, rest string) {
	for _, reg := range []string{RegionUS, RegionEU, RegionIN} {
		prefix := "/" + reg
		if p == prefix {
			return reg, "/"
		}
		if strings.HasPrefix(p, prefix+"/") {
			return reg, p[len(prefix):]
		}
	}
	return "", p
}

// routes builds the router over paths without region prefix.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/app/me", s.handleMe)
	mux.HandleFunc("GET /api/app/projects/{id}/workspaces/public", s.handleWorkspaces)
	mux.HandleFunc("GET /api/query/segmentation", s.handleSegmentation)
	mux.HandleFunc("POST /api/query/segmentation", s.handleSegmentation)
	mux.HandleFunc("GET /api/query/events/names", s.handleEventNames)
	mux.HandleFunc("POST /api/query/events/names", s.handleEventNames)
	mux.HandleFunc("POST /oauth/mcp/register/{$}", s.handleRegister)
	mux.HandleFunc("GET /oauth/authorize/{$}", s.handleAuthorize)
	mux.HandleFunc("POST /oauth/authorize/{$}", s.handleConsent)
	mux.HandleFunc("POST /oauth/token/{$}", s.handleToken)
	return mux
}

// routeOfPattern maps a ServeMux pattern ("GET /oauth/token/{$}") to its
// Route constant ("/oauth/token/").
func routeOfPattern(pattern string) string {
	if pattern == "" {
		return ""
	}
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p
	}
	return strings.TrimSuffix(pattern, "{$}")
}

// exactRoute reports whether path is an exact instance of route, not one
// ServeMux would redirect to it.
func exactRoute(route, path string) bool {
	if route != RouteWorkspaces {
		return route == path
	}
	parts := strings.Split(path, "/")
	return len(parts) == 7 && parts[4] != "" && strings.Join(append(parts[:4:4], "{id}", parts[5], parts[6]), "/") == route
}

// record counts and logs one request.
func (s *Server) record(r *http.Request, region, route, path string) {
	h := r.Header.Clone()
	h.Del("Authorization")
	h.Del("Proxy-Authorization")
	h.Del("Cookie")
	req := Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Route:  route,
		Region: region,
		Auth:   authScheme(r),
		Query:  r.URL.Query(),
		Header: h,
		Time:   s.cfg.now(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[countKey{region: region, route: route, path: path}]++
	if len(s.log) >= maxLoggedRequests {
		s.log = append(s.log[:0], s.log[len(s.log)/2:]...)
	}
	s.log = append(s.log, req)
}

// matcher selects requests by region prefix and route or path.
type matcher struct {
	region string // "" = any region
	route  string // a Route constant, or ""
	path   string // a concrete path when route is ""
}

// parseMatcher reads Count's and Inject's route argument.
func parseMatcher(route string) matcher {
	region, rest := splitRegion(route)
	switch rest {
	case RouteMe, RouteWorkspaces, RouteSegmentation, RouteEventNames, RouteRegister, RouteAuthorize, RouteToken:
		return matcher{region: region, route: rest}
	}
	return matcher{region: region, path: rest}
}

func (m matcher) match(k countKey) bool {
	if m.region != "" && m.region != k.region {
		return false
	}
	if m.route != "" {
		return m.route == k.route
	}
	return m.path == k.path
}
