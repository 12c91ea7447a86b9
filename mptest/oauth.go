package mptest

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// AuthorizeMode selects how GET /oauth/authorize/ answers a valid request.
type AuthorizeMode int

const (
	// AutoApprove redirects at once to redirect_uri?code=…&state=… (as if
	// the user had clicked Allow): what automated tests want.
	AutoApprove AuthorizeMode = iota
	// ConsentPage answers an HTML page with an Allow and a Deny button; each
	// submits a form (POST /oauth/authorize/) that redirects with a code or
	// with error=access_denied.
	ConsentPage
	// AutoDeny redirects at once with error=access_denied (as if the user
	// had clicked Deny).
	AutoDeny
)

// Lifetimes of OAuth artefacts other than access tokens.
const (
	codeLifetime    = 10 * time.Minute
	consentLifetime = 10 * time.Minute
	defaultScope    = "projects analysis events insights segmentation retention data:read funnels flows data_definitions dashboard_reports bookmarks"
)

// oauthState holds registered clients, pending consents, codes and tokens.
// It is guarded by Server.mu.
type oauthState struct {
	clients  map[string]oauthClient
	consents map[string]authRequest
	codes    map[string]*authCode
	access   map[string]accessToken
	refresh  map[string]*refreshToken
}

func newOAuthState() oauthState {
	return oauthState{
		clients:  map[string]oauthClient{},
		consents: map[string]authRequest{},
		codes:    map[string]*authCode{},
		access:   map[string]accessToken{},
		refresh:  map[string]*refreshToken{},
	}
}

// oauthClient is a dynamically registered public client.
type oauthClient struct {
	id           string
	name         string
	region       string // prefix it was registered under; "" at the root
	redirectURIs []string
	scope        string
}

// authRequest is a checked authorize request waiting for consent.
type authRequest struct {
	client      oauthClient
	redirectURI string
	state       string
	challenge   string
	region      string
	expires     time.Time
}

// authCode is an issued authorization code.
type authCode struct {
	req     authRequest
	userID  int64
	expires time.Time
	used    bool
	issued  []string // access and refresh tokens issued for it
}

// accessToken is a live OAuth access token.
type accessToken struct {
	userID  int64
	region  string
	expires time.Time
}

// refreshToken is an issued refresh token; used ones stay to answer
// invalid_grant when presented again.
type refreshToken struct {
	userID   int64
	region   string
	clientID string // "" = any client (IssueTokens)
	scope    string
	used     bool
}

// Tokens is a freshly issued OAuth token pair.
type Tokens struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    time.Duration
}

// randomToken returns prefix plus 32 random bytes, base64url.
func randomToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// tokenRegion is the region tokens issued under a prefix belong to: the
// prefix's region, else fallback, else us.
func tokenRegion(prefix, fallback string) string {
	switch {
	case prefix != "":
		return prefix
	case fallback != "":
		return fallback
	}
	return RegionUS
}

// accessToken returns a live (unexpired) OAuth access token.
func (s *Server) accessToken(token string) (accessToken, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.oauth.access[token]
	if !ok || !s.cfg.now().Before(at.expires) {
		return accessToken{}, false
	}
	return at, true
}

// issue creates an access and a refresh token. Callers hold s.mu.
func (s *Server) issue(userID int64, region, clientID, scope string) Tokens {
	t := Tokens{
		AccessToken:  randomToken("sbx_at_"),
		RefreshToken: randomToken("sbx_rt_"),
		ExpiresIn:    s.cfg.tokenLifetime,
	}
	s.oauth.access[t.AccessToken] = accessToken{userID: userID, region: region, expires: s.cfg.now().Add(s.cfg.tokenLifetime)}
	s.oauth.refresh[t.RefreshToken] = &refreshToken{userID: userID, region: region, clientID: clientID, scope: scope}
	return t
}

// IssueTokens issues an access and a refresh token for a seeded user in a
// region, as a completed browser login would; the refresh token works
// with any client_id. For tests that need a logged-in OAuth account.
func (s *Server) IssueTokens(region string, userID int64) (Tokens, error) {
	if Domain(region) == "" {
		return Tokens{}, fmt.Errorf("mptest: IssueTokens: unknown region %q (want us, eu or in)", region)
	}
	if _, ok := s.data.users[userID]; !ok {
		return Tokens{}, fmt.Errorf("mptest: IssueTokens: user %d is not seeded", userID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issue(userID, region, "", defaultScope), nil
}

// RevokeTokens revokes every OAuth access and refresh token: /me answers
// 401 to them and the refresh grant answers invalid_grant.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauth.access = map[string]accessToken{}
	for _, rt := range s.oauth.refresh {
		rt.used = true
	}
}

// registration is the JSON body of dynamic client registration.
type registration struct {
	RedirectURIs            []string `json:"redirect_uris"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	Scope                   string   `json:"scope"`
	ClientName              string   `json:"client_name"`
}

// handleRegister serves POST /oauth/mcp/register/ (RFC 7591): a JSON body
// with redirect_uris (absolute; http only for loopback hosts) answers 201
// with a new client_id.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	var reg registration
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(&reg); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_client_metadata", "the body must be a JSON object: "+err.Error())
		return
	}
	if len(reg.RedirectURIs) == 0 {
		oauthError(w, http.StatusBadRequest, "invalid_redirect_uri", "redirect_uris is required")
		return
	}
	for _, u := range reg.RedirectURIs {
		if msg := checkRedirectURI(u); msg != "" {
			oauthError(w, http.StatusBadRequest, "invalid_redirect_uri", msg)
			return
		}
	}
	if m := reg.TokenEndpointAuthMethod; m != "" && m != "none" {
		oauthError(w, http.StatusBadRequest, "invalid_client_metadata", "only public clients (token_endpoint_auth_method none) are supported")
		return
	}
	if reg.Scope == "" {
		reg.Scope = defaultScope
	}
	if len(reg.GrantTypes) == 0 {
		reg.GrantTypes = []string{"authorization_code", "refresh_token"}
	}
	if len(reg.ResponseTypes) == 0 {
		reg.ResponseTypes = []string{"code"}
	}
	c := oauthClient{
		id: randomToken("sbx-client-")[:36], name: reg.ClientName, region: info(r).region,
		redirectURIs: slices.Clone(reg.RedirectURIs), scope: reg.Scope,
	}
	s.mu.Lock()
	s.oauth.clients[c.id] = c
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{
		"client_id":                  c.id,
		"client_id_issued_at":        s.cfg.now().Unix(),
		"client_name":                c.name,
		"redirect_uris":              c.redirectURIs,
		"grant_types":                reg.GrantTypes,
		"response_types":             reg.ResponseTypes,
		"token_endpoint_auth_method": "none",
		"scope":                      c.scope,
	})
}

// checkRedirectURI returns why a redirect URI is unacceptable, or "".
func checkRedirectURI(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Sprintf("redirect URI %q is not an absolute URL", raw)
	}
	if u.Fragment != "" {
		return fmt.Sprintf("redirect URI %q must not have a fragment", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Sprintf("redirect URI %q: plain http is only allowed for loopback hosts", raw)
		}
	default:
		return fmt.Sprintf("redirect URI %q: scheme must be http or https", raw)
	}
	return ""
}

// client returns a registered client visible under a region prefix.
// Callers hold s.mu.
func (s *Server) client(id, region string) (oauthClient, bool) {
	c, ok := s.oauth.clients[id]
	if !ok || (region != "" && c.region != "" && c.region != region) {
		return oauthClient{}, false
	}
	return c, true
}

// handleAuthorize serves GET /oauth/authorize/. An unknown client or an
// unregistered redirect_uri answers a 400 page (never a redirect); other
// problems redirect with error=…; a valid request is approved, shown a
// consent page, or denied per the AuthorizeMode.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	region := info(r).region
	s.mu.Lock()
	c, ok := s.client(q.Get("client_id"), region)
	s.mu.Unlock()
	if !ok {
		errorPage(w, http.StatusBadRequest, "Unknown client", "client_id is missing or not registered with this server.")
		return
	}
	redirect := q.Get("redirect_uri")
	if !slices.Contains(c.redirectURIs, redirect) {
		errorPage(w, http.StatusBadRequest, "Invalid redirect URI", "redirect_uri is missing or was not registered for this client.")
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) {
		http.Redirect(w, r, withQuery(redirect, "error", code, "error_description", desc, "state", state), http.StatusFound)
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "response_type must be code")
		return
	case q.Get("code_challenge") == "":
		fail("invalid_request", "code_challenge is required (PKCE)")
		return
	case q.Get("code_challenge_method") != "S256":
		fail("invalid_request", "code_challenge_method must be S256")
		return
	}
	req := authRequest{
		client: c, redirectURI: redirect, state: state, challenge: q.Get("code_challenge"),
		region: region, expires: s.cfg.now().Add(consentLifetime),
	}
	switch s.cfg.authorize {
	case AutoDeny:
		fail("access_denied", "The user denied access")
	case ConsentPage:
		id := randomToken("")
		s.mu.Lock()
		s.oauth.consents[id] = req
		s.mu.Unlock()
		s.consentPage(w, r, req, id)
	default:
		http.Redirect(w, r, s.approve(req), http.StatusFound)
	}
}

// approve issues a code for the request and returns the redirect URL.
func (s *Server) approve(req authRequest) string {
	code := randomToken("sbx_code_")
	s.mu.Lock()
	s.oauth.codes[code] = &authCode{req: req, userID: s.data.seed.OAuthUser, expires: s.cfg.now().Add(codeLifetime)}
	s.mu.Unlock()
	return withQuery(req.redirectURI, "code", code, "state", req.state)
}

// consentTemplate is the consent page.
var consentTemplate = template.Must(template.New("consent").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Authorize {{.Client}} — Mixpanel sandbox</title></head>
<body>
<h1>Authorize {{.Client}}</h1>
<p>{{.Client}} wants to access your Mixpanel data as <strong>{{.User}}</strong>.</p>
<p>Requested scope: <code>{{.Scope}}</code></p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="request_id" value="{{.RequestID}}">
<button type="submit" name="decision" value="allow" id="allow">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>
</body>
</html>
`))

// consentPage renders the consent form for a pending request.
func (s *Server) consentPage(w http.ResponseWriter, r *http.Request, req authRequest, id string) {
	name := req.client.name
	if name == "" {
		name = "mp"
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = consentTemplate.Execute(w, map[string]string{
		"Client": name, "User": s.data.users[s.data.seed.OAuthUser].Email, "Scope": req.client.scope,
		"Action": info(r).path, "RequestID": id,
	})
}

// handleConsent serves POST /oauth/authorize/, the consent form: decision
// allow redirects with a code, anything else with error=access_denied.
func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) {
	id := r.PostFormValue("request_id")
	s.mu.Lock()
	req, ok := s.oauth.consents[id]
	delete(s.oauth.consents, id)
	s.mu.Unlock()
	if !ok || !s.cfg.now().Before(req.expires) {
		errorPage(w, http.StatusBadRequest, "Expired request", "This authorization request is unknown, used or expired. Start the login again.")
		return
	}
	if r.PostFormValue("decision") != "allow" {
		http.Redirect(w, r, withQuery(req.redirectURI, "error", "access_denied", "error_description", "The user denied access", "state", req.state), http.StatusFound)
		return
	}
	http.Redirect(w, r, s.approve(req), http.StatusFound)
}

// handleToken serves POST /oauth/token/ (form-encoded): the
// authorization_code grant with PKCE S256, and the refresh_token grant
// with rotation.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	switch g := r.PostForm.Get("grant_type"); g {
	case "authorization_code":
		s.codeGrant(w, r)
	case "refresh_token":
		s.refreshGrant(w, r)
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported", g))
	}
}

// codeGrant exchanges an authorization code. Codes are single-use: a
// second use answers invalid_grant and revokes what the first issued.
func (s *Server) codeGrant(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	region := info(r).region
	for _, k := range []string{"code", "redirect_uri", "client_id", "code_verifier"} {
		if f.Get(k) == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", k+" is required")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.client(f.Get("client_id"), region); !ok {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_id is not registered with this server")
		return
	}
	code, ok := s.oauth.codes[f.Get("code")]
	switch {
	case !ok:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown authorization code")
		return
	case code.used:
		for _, t := range code.issued {
			delete(s.oauth.access, t)
			if rt, ok := s.oauth.refresh[t]; ok {
				rt.used = true
			}
		}
		oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code already used")
		return
	case !s.cfg.now().Before(code.expires):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code expired")
		return
	case region != "" && code.req.region != "" && code.req.region != region:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code was issued by another region")
		return
	case code.req.client.id != f.Get("client_id"):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "authorization code was issued to another client")
		return
	case code.req.redirectURI != f.Get("redirect_uri"):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
		return
	}
	verifier := f.Get("code_verifier")
	if !validVerifier(verifier) {
		oauthError(w, http.StatusBadRequest, "invalid_request", "code_verifier must be 43–128 characters of [A-Za-z0-9-._~]")
		return
	}
	sum := sha256.Sum256([]byte(verifier))
	if subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(code.req.challenge)) != 1 {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed: code_verifier does not match code_challenge")
		return
	}
	code.used = true
	t := s.issue(code.userID, tokenRegion(region, code.req.region), code.req.client.id, code.req.client.scope)
	code.issued = append(code.issued, t.AccessToken, t.RefreshToken)
	writeJSON(w, http.StatusOK, tokenAnswer(t, code.req.client.scope))
}

// refreshGrant exchanges a refresh token. With rotation (the default) the
// answer carries a new refresh token and the old one becomes invalid.
func (s *Server) refreshGrant(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	region := info(r).region
	for _, k := range []string{"refresh_token", "client_id"} {
		if f.Get(k) == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", k+" is required")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.oauth.refresh[f.Get("refresh_token")]
	if ok && rt.clientID != "" {
		if _, known := s.client(f.Get("client_id"), region); !known {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "client_id is not registered with this server")
			return
		}
	}
	switch {
	case !ok || rt.used:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "refresh token is invalid, revoked or already used")
		return
	case rt.clientID != "" && rt.clientID != f.Get("client_id"):
		oauthError(w, http.StatusBadRequest, "invalid_grant", "refresh token was issued to another client")
		return
	case region != "" && rt.region != region:
		oauthError(w, http.StatusBadRequest, "invalid_grant", "refresh token was issued by another region")
		return
	}
	t := s.issue(rt.userID, rt.region, rt.clientID, rt.scope)
	if s.cfg.noRotation {
		delete(s.oauth.refresh, t.RefreshToken)
		t.RefreshToken = ""
	} else {
		rt.used = true
	}
	writeJSON(w, http.StatusOK, tokenAnswer(t, rt.scope))
}

// tokenAnswer is the token endpoint's 200 body; expires_in is a number of
// seconds (fractional when the lifetime is).
func tokenAnswer(t Tokens, scope string) map[string]any {
	out := map[string]any{
		"access_token": t.AccessToken,
		"token_type":   "Bearer",
		"expires_in":   t.ExpiresIn.Seconds(),
		"scope":        scope,
	}
	if t.RefreshToken != "" {
		out["refresh_token"] = t.RefreshToken
	}
	return out
}

// validVerifier checks RFC 7636's code_verifier syntax.
func validVerifier(v string) bool {
	if len(v) < 43 || len(v) > 128 {
		return false
	}
	for _, c := range v {
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c)
		if !ok {
			return false
		}
	}
	return true
}

// withQuery adds non-empty key/value pairs to a URL's query.
func withQuery(raw string, kv ...string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// errorPageTemplate is the HTML page for authorize errors that must not
// redirect.
var errorPageTemplate = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

// errorPage writes an HTML error page.
func errorPage(w http.ResponseWriter, status int, title, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = errorPageTemplate.Execute(w, map[string]string{"Title": title, "Text": text})
}
