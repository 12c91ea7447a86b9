package mptest

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// principal is who a request authenticated as.
type principal struct {
	scheme         string // "basic" or "bearer"
	region         string // the cluster the credential belongs to
	userID         int64
	email, name    string
	projects       []int64
	serviceAccount bool
	userDetails    bool // service accounts: the user_details scope; users: always
}

// canSee reports whether the principal can reach the project.
func (p principal) canSee(project int64) bool { return slices.Contains(p.projects, project) }

// authScheme returns the Authorization scheme in lower case ("basic",
// "bearer"), or "" when the header is absent.
func authScheme(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if h == "" {
		return ""
	}
	scheme, _, _ := strings.Cut(h, " ")
	return strings.ToLower(scheme)
}

// authenticate checks the request's credential: HTTP Basic against the
// service accounts, Bearer against the static tokens and live OAuth access
// tokens. A credential of another region than the request's region prefix
// fails like an unknown one (that cluster does not know it); at the root
// any region's credential is accepted. The message never echoes the
// credential.
func (s *Server) authenticate(r *http.Request) (principal, string, bool) {
	region := info(r).region
	h := r.Header.Get("Authorization")
	if h == "" {
		return principal{}, "authentication required: send HTTP Basic (service account) or Bearer (OAuth) credentials", false
	}
	switch authScheme(r) {
	case "basic":
		user, secret, ok := r.BasicAuth()
		if !ok {
			return principal{}, "malformed Basic authorization header", false
		}
		sa, found := s.data.sas[user]
		if !found || subtle.ConstantTimeCompare([]byte(sa.Secret), []byte(secret)) != 1 ||
			(region != "" && sa.Region != region) {
			return principal{}, "invalid service account username or secret", false
		}
		return principal{
			scheme: "basic", region: sa.Region, userID: sa.ID, email: sa.Email, name: sa.Name,
			projects: sa.Projects, serviceAccount: true, userDetails: sa.UserDetails,
		}, "", true
	case "bearer":
		token := strings.TrimSpace(h[len("bearer"):])
		if token == "" {
			return principal{}, "empty bearer token", false
		}
		if st, ok := s.data.tokens[token]; ok {
			if region != "" && st.Region != region {
				return principal{}, "invalid or expired access token", false
			}
			return s.userPrincipal(st.UserID, st.Region), "", true
		}
		if at, ok := s.accessToken(token); ok {
			if region != "" && at.region != region {
				return principal{}, "invalid or expired access token", false
			}
			return s.userPrincipal(at.userID, at.region), "", true
		}
		return principal{}, "invalid or expired access token", false
	}
	return principal{}, "unsupported authorization scheme: use Basic or Bearer", false
}

// userPrincipal builds the principal of a seeded user.
func (s *Server) userPrincipal(id int64, region string) principal {
	u := s.data.users[id]
	return principal{
		scheme: "bearer", region: region, userID: u.ID, email: u.Email, name: u.Name,
		projects: u.Projects, userDetails: true,
	}
}

// writeJSON writes v as a JSON answer.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "mptest: encoding the answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// appError writes an app API error: {"status":"error","error":msg}.
func appError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		Status string `json:"status"`
		Error  string `json:"error"`
	}{"error", msg})
}

// queryError writes a query API error: {"error":msg,"request":path?query}.
func queryError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	req := info(r).path
	if r.URL.RawQuery != "" {
		req += "?" + r.URL.RawQuery
	}
	writeJSON(w, status, map[string]string{"error": msg, "request": req})
}

// oauthError writes an OAuth error: {"error":code,"error_description":desc}.
func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// envelope wraps an app API answer: {"status":"ok","results":v}.
func envelope(v any) any {
	return struct {
		Status  string `json:"status"`
		Results any    `json:"results"`
	}{"ok", v}
}
