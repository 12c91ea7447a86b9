package domain

import "encoding/base64"

// Credential is what goes into the Authorization header: HTTP Basic for
// service accounts, a bearer token for OAuth. Like Secret, it never prints
// its value.
type Credential struct {
	basicUser string
	secret    Secret
	bearer    bool
}

// BasicCredential is a service account's username and secret.
func BasicCredential(username string, secret Secret) Credential {
	return Credential{basicUser: username, secret: secret}
}

// BearerCredential is an OAuth access token or a static bearer.
func BearerCredential(token Secret) Credential {
	return Credential{secret: token, bearer: true}
}

// Equal reports whether c and o authenticate the same way: same scheme,
// username and secret.
func (c Credential) Equal(o Credential) bool {
	return c.bearer == o.bearer && c.basicUser == o.basicUser && c.secret.Equal(o.secret)
}

// IsZero reports whether the credential is empty.
func (c Credential) IsZero() bool { return c.secret.IsZero() && c.basicUser == "" }

// Scheme returns "Basic" or "Bearer".
func (c Credential) Scheme() string {
	if c.bearer {
		return "Bearer"
	}
	return "Basic"
}

// AuthorizationHeader returns the value of the Authorization header. It
// reveals the secret: call it only where the request is sent.
func (c Credential) AuthorizationHeader() string {
	if c.bearer {
		return "Bearer " + c.secret.Reveal()
	}
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(c.basicUser+":"+c.secret.Reveal()))
}

// String is redacted.
func (c Credential) String() string { return c.Scheme() + " " + redacted }

// GoString is redacted.
func (c Credential) GoString() string {
	return "domain.Credential{" + c.Scheme() + " " + redacted + "}"
}

// Scope is everything a Mixpanel call needs besides its own parameters:
// which account calls (for messages), from which region, with which
// credential, on which project and workspace, with which extra headers.
type Scope struct {
	Account    AccountName
	Type       AccountType
	Region     Region
	Credential Credential
	Project    ProjectID   // zero for account-level calls (/me)
	Workspace  WorkspaceID // zero: none sent
	Headers    []Header
}
