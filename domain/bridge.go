package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// BridgeVersion is the only bridge schema version mp reads and writes.
const BridgeVersion = 2

// Bridge is a bridge file (docs/reference/bridge.md): one account with its secrets
// inline, the OAuth tokens of an oauth_browser account, and optionally a
// pinned project, workspace and extra headers. It lets a machine without a
// config act as one of the host's accounts.
//
// The JSON document is an object with the keys version (= 2), account,
// tokens (required for oauth_browser, refused for the other types),
// project, workspace and headers. The account record uses the field names
// of a config account (name, type, region, default_project, username,
// secret, token, token_env); tokens use the field names of tokens.json
// (access_token, refresh_token, expires_at, token_type, scope, client_id).
// Unknown keys, at any level, are refused.
type Bridge struct {
	// Path is where the bridge was read from or is written to. It is not
	// part of the document.
	Path string
	// Account is the bridged account, with its secrets.
	Account Account
	// Tokens are the OAuth tokens of an oauth_browser account; nil for the
	// other types.
	Tokens *Tokens
	// Project is the pinned project; zero when none.
	Project ProjectID
	// Workspace is the pinned workspace; zero when none.
	Workspace WorkspaceID
	// Headers are extra HTTP headers, sorted by name, with unique names
	// (case-insensitively).
	Headers []Header
}

// Validate checks every rule of the bridge schema: a valid account, tokens
// with an access token exactly when the account is oauth_browser, a valid
// project and workspace when pinned, and valid, unique headers.
func (b Bridge) Validate() error {
	if err := b.Account.Validate(); err != nil {
		return prefixed("bridge account", err)
	}
	switch {
	case b.Account.Type == TypeOAuthBrowser && b.Tokens == nil:
		return NewError(CodeConfigError, "bridge: account '%s' is oauth_browser, so the bridge needs its tokens", b.Account.Name).
			WithDetail("field", "tokens").
			WithHint("log in on the host (mp account login %s) and export the bridge again", b.Account.Name)
	case b.Account.Type != TypeOAuthBrowser && b.Tokens != nil:
		return NewError(CodeConfigError, "bridge: account '%s' is %s, which keeps no OAuth tokens; tokens are allowed only for oauth_browser", b.Account.Name, b.Account.Type).
			WithDetail("field", "tokens").
			WithHint("remove the tokens key, or export the bridge again with mp account export-bridge")
	}
	if b.Tokens != nil {
		if err := b.Tokens.Validate(); err != nil {
			return prefixed("bridge tokens", err)
		}
	}
	if b.Project.IsSet() {
		if _, err := ParseProjectID(string(b.Project)); err != nil {
			return prefixed("bridge project", err)
		}
	}
	if b.Workspace < 0 {
		return prefixed("bridge workspace", invalidArgument("workspace id", b.Workspace.String(), "must be a positive integer"))
	}
	seen := map[string]bool{}
	for _, h := range b.Headers {
		if err := validateHeader(h); err != nil {
			return prefixed("bridge headers", err)
		}
		if isReservedHeader(h.Name) {
			return NewError(CodeConfigError, "bridge headers: header %s is reserved: mp or its HTTP client sets it on every request, so the bridge's value would be overridden or ignored", h.Name).
				WithDetail("field", "headers").
				WithDetail("header", h.Name).
				WithDetail("reserved", reservedHeaders()).
				WithHint("remove %s from the bridge's headers (on the host: from [settings].custom_header) and export the bridge again (mp account export-bridge --to PATH); the credential goes into Authorization by itself", h.Name)
		}
		k := strings.ToLower(h.Name)
		if seen[k] {
			return NewError(CodeConfigError, "bridge headers: header %s is given twice (header names are case-insensitive)", h.Name).
				WithDetail("field", "headers")
		}
		seen[k] = true
	}
	return nil
}

// MergeHeaders returns base with over on top: a header of over replaces
// the header of base with the same name (compared case-insensitively);
// the others are appended in over's order.
func MergeHeaders(base, over []Header) []Header {
	if len(over) == 0 {
		return base
	}
	out := make([]Header, 0, len(base)+len(over))
	for _, h := range base {
		if !slices.ContainsFunc(over, func(o Header) bool { return strings.EqualFold(o.Name, h.Name) }) {
			out = append(out, h)
		}
	}
	return append(out, over...)
}

// EnvAuthFile names the bridge file to use instead of the default places
// (docs/reference/files.md): when set, it is the only place looked at.
const EnvAuthFile = "MP_AUTH_FILE"

// bridgeKeys returns the keys of the bridge document (a new slice each
// time: it goes into errors, whose holders may change it).
func bridgeKeys() []string {
	return []string{"version", "account", "tokens", "project", "workspace", "headers"}
}

// bridgeAccountKeys returns the keys of the bridge's account record.
func bridgeAccountKeys() []string {
	return []string{"name", "type", "region", "default_project", "username", "secret", "token", "token_env"}
}

// bridgeTokenKeys returns the keys of the bridge's tokens.
func bridgeTokenKeys() []string {
	return []string{"access_token", "refresh_token", "expires_at", "token_type", "scope", "client_id"}
}

// bridgeHint is the hint of every invalid bridge document.
const bridgeHint = "export the bridge again on the host with `mp account export-bridge --to PATH`"

// bridgeError is the CONFIG_ERROR of an invalid bridge document; field
// names the offending key (dotted path). It never quotes a secret.
func bridgeError(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if field != "" {
		msg = field + ": " + msg
	}
	e := NewError(CodeConfigError, "invalid bridge file: %s", msg)
	if field != "" {
		e.WithDetail("field", field)
	}
	return e.WithHint(bridgeHint)
}

// bridgeField turns a validation error about field into the bridge's
// CONFIG_ERROR, keeping its message. An error about the account record
// always gets the bridge's hint (export the bridge again on the host): the
// hints of the config's account rules name `mp account add/update`, which
// do not change a bridge. Other errors keep their own hint.
func bridgeField(field string, err error) error {
	e, ok := err.(*Error)
	if !ok {
		return bridgeError(field, "%v", err)
	}
	if e.Code == CodeConfigError && strings.HasPrefix(e.Message, "invalid bridge file") {
		return e
	}
	msg := strings.TrimPrefix(e.Message, "bridge: ")
	accountRecord := field == "account" || strings.HasPrefix(field, "account.")
	if rest, ok := strings.CutPrefix(msg, "bridge account: "); ok {
		msg, accountRecord = rest, true
	}
	where := field
	if accountRecord && strings.HasPrefix(msg, "account '") {
		// The message names the account already ("account 'x': …").
		where = ""
	}
	out := bridgeError(where, "%s", msg)
	switch f, ok := e.Details["field"]; {
	case field != "":
		out.WithDetail("field", field)
	case ok:
		out.WithDetail("field", f)
	case accountRecord:
		out.WithDetail("field", "account")
	}
	if e.Hint != "" && !accountRecord {
		out.Hint = e.Hint
	}
	return out
}

// object decodes raw as a JSON object and refuses keys not in allowed.
func object(field string, raw []byte, allowed []string) (map[string]json.RawMessage, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil || doc == nil {
		where := field
		if where == "" {
			return nil, bridgeError("", "it is not a JSON object")
		}
		return nil, bridgeError(where, "must be a JSON object")
	}
	for _, k := range slices.Sorted(maps.Keys(doc)) {
		if !slices.Contains(allowed, k) {
			name := k
			if field != "" {
				name = field + "." + k
			}
			return nil, bridgeError(name, "unknown key (allowed: %s)", strings.Join(allowed, ", ")).
				WithDetail("allowed", allowed)
		}
	}
	return doc, nil
}

// present reports whether key is in doc with a value other than null.
func present(doc map[string]json.RawMessage, key string) bool {
	raw, ok := doc[key]
	return ok && string(bytes.TrimSpace(raw)) != "null"
}

// stringField reads an optional string; null and absent are "".
func stringField(doc map[string]json.RawMessage, field, key string) (string, error) {
	if !present(doc, key) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(doc[key], &s); err != nil {
		return "", bridgeError(field+key, "must be a string")
	}
	return s, nil
}

// ParseBridge decodes and validates a bridge document (docs/reference/bridge.md).
// Errors are CONFIG_ERROR naming the offending field ("account.region",
// "tokens", "version" …); they never quote a secret. The returned Bridge
// has no Path.
func ParseBridge(data []byte) (Bridge, error) {
	if !json.Valid(data) {
		var v any
		var se *json.SyntaxError
		if err := json.Unmarshal(data, &v); errors.As(err, &se) {
			line, col := position(data, se.Offset)
			return Bridge{}, bridgeError("", "it is not valid JSON (syntax error at line %d, column %d)", line, col).
				WithDetail("line", line).WithDetail("column", col)
		}
		return Bridge{}, bridgeError("", "it is not valid JSON")
	}
	doc, err := object("", data, bridgeKeys())
	if err != nil {
		return Bridge{}, err
	}
	if !present(doc, "version") {
		return Bridge{}, bridgeError("version", "missing (want %d)", BridgeVersion)
	}
	if got := strings.TrimSpace(string(doc["version"])); got != fmt.Sprint(BridgeVersion) {
		if len(got) > 16 {
			got = got[:16] + "…"
		}
		return Bridge{}, bridgeError("version", "unsupported version %s; mp reads version %d only", got, BridgeVersion).
			WithDetail("want", BridgeVersion)
	}
	var b Bridge
	if !present(doc, "account") {
		return Bridge{}, bridgeError("account", "missing")
	}
	if b.Account, err = parseBridgeAccount(doc["account"]); err != nil {
		return Bridge{}, err
	}
	if present(doc, "tokens") {
		t, err := parseBridgeTokens(doc["tokens"])
		if err != nil {
			return Bridge{}, err
		}
		b.Tokens = &t
	} else if b.Account.Type == TypeOAuthBrowser {
		return Bridge{}, bridgeError("tokens", "missing: account '%s' is oauth_browser, so the bridge must carry its tokens", b.Account.Name)
	}
	p, err := stringField(doc, "", "project")
	if err != nil {
		return Bridge{}, err
	}
	if p != "" {
		if b.Project, err = ParseProjectID(p); err != nil {
			return Bridge{}, bridgeField("project", err)
		}
	}
	if present(doc, "workspace") {
		var n int64
		if err := json.Unmarshal(doc["workspace"], &n); err != nil {
			return Bridge{}, bridgeError("workspace", "must be an integer")
		}
		if b.Workspace, err = NewWorkspaceID(n); err != nil {
			return Bridge{}, bridgeField("workspace", err)
		}
	}
	if present(doc, "headers") {
		var hs map[string]string
		if err := json.Unmarshal(doc["headers"], &hs); err != nil {
			return Bridge{}, bridgeError("headers", "must be an object of string values")
		}
		for _, k := range slices.Sorted(maps.Keys(hs)) {
			b.Headers = append(b.Headers, Header{Name: k, Value: hs[k]})
		}
	}
	if err := b.Validate(); err != nil {
		return Bridge{}, bridgeField("", err)
	}
	return b, nil
}

// position returns the 1-based line and column of byte offset off in data
// (the column counts bytes). It quotes nothing of the data.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 1 {
		off = 1
	}
	before := data[:off-1]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(off) - bytes.LastIndexByte(before, '\n') - 1
	return line, col
}

// parseBridgeAccount decodes the account record.
func parseBridgeAccount(raw json.RawMessage) (Account, error) {
	doc, err := object("account", raw, bridgeAccountKeys())
	if err != nil {
		return Account{}, err
	}
	get := func(key string) (string, error) { return stringField(doc, "account.", key) }
	var a Account
	for _, k := range []string{"name", "type", "region"} {
		if !present(doc, k) {
			return Account{}, bridgeError("account."+k, "missing")
		}
	}
	name, err := get("name")
	if err != nil {
		return Account{}, err
	}
	if a.Name, err = ParseAccountName(name); err != nil {
		return Account{}, bridgeField("account.name", err)
	}
	typ, err := get("type")
	if err != nil {
		return Account{}, err
	}
	if a.Type, err = ParseAccountType(typ); err != nil {
		return Account{}, bridgeField("account.type", err)
	}
	region, err := get("region")
	if err != nil {
		return Account{}, err
	}
	if a.Region, err = ParseRegion(region); err != nil {
		return Account{}, bridgeField("account.region", err)
	}
	dp, err := get("default_project")
	if err != nil {
		return Account{}, err
	}
	if dp != "" {
		if a.DefaultProject, err = ParseProjectID(dp); err != nil {
			return Account{}, bridgeField("account.default_project", err)
		}
	}
	if a.Username, err = get("username"); err != nil {
		return Account{}, err
	}
	secret, err := get("secret")
	if err != nil {
		return Account{}, err
	}
	a.Secret = NewSecret(secret)
	token, err := get("token")
	if err != nil {
		return Account{}, err
	}
	a.Token = NewSecret(token)
	if a.TokenEnv, err = get("token_env"); err != nil {
		return Account{}, err
	}
	if err := a.Validate(); err != nil {
		return Account{}, bridgeField("account", err)
	}
	return a, nil
}

// parseBridgeTokens decodes the tokens record.
func parseBridgeTokens(raw json.RawMessage) (Tokens, error) {
	doc, err := object("tokens", raw, bridgeTokenKeys())
	if err != nil {
		return Tokens{}, err
	}
	get := func(key string) (string, error) { return stringField(doc, "tokens.", key) }
	var t Tokens
	access, err := get("access_token")
	if err != nil {
		return Tokens{}, err
	}
	if access == "" {
		return Tokens{}, bridgeError("tokens.access_token", "missing or empty")
	}
	t.AccessToken = NewSecret(access)
	refresh, err := get("refresh_token")
	if err != nil {
		return Tokens{}, err
	}
	t.RefreshToken = NewSecret(refresh)
	if t.TokenType, err = get("token_type"); err != nil {
		return Tokens{}, err
	}
	if t.Scope, err = get("scope"); err != nil {
		return Tokens{}, err
	}
	if t.ClientID, err = get("client_id"); err != nil {
		return Tokens{}, err
	}
	exp, err := get("expires_at")
	if err != nil {
		return Tokens{}, err
	}
	if exp != "" {
		if t.ExpiresAt, err = ParseTokenTimestamp(exp); err != nil {
			return Tokens{}, bridgeError("tokens.expires_at", "%v", err)
		}
	}
	return t, nil
}

// tokenTimestampLayout is the date and time part of how mp writes
// expires_at: to the second, in UTC, then "+00:00".
const tokenTimestampLayout = "2006-01-02T15:04:05"

// FormatTokenTimestamp renders t as mp writes expires_at: UTC, to the
// second, with the offset spelt "+00:00" (what Python's isoformat writes).
func FormatTokenTimestamp(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(tokenTimestampLayout) + "+00:00"
}

// ParseTokenTimestamp reads an RFC 3339 timestamp with an offset ("Z" or
// ±hh:mm; fractional seconds and a space instead of "T" allowed). A
// timestamp without an offset is refused: its time zone is unknown.
func ParseTokenTimestamp(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if len(v) > 10 && v[10] == ' ' {
		v = v[:10] + "T" + v[11:]
	}
	shown := s
	if len(shown) > 40 {
		shown = shown[:40] + "…"
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return time.Time{}, fmt.Errorf("timestamp %q is out of range (years 0001 to 9999 in UTC)", shown)
		}
		return t.UTC(), nil
	}
	if _, err := time.Parse("2006-01-02T15:04:05.999999999", v); err == nil {
		return time.Time{}, fmt.Errorf("timestamp %q has no UTC offset; want RFC 3339 such as 2026-04-01T12:30:45+00:00", shown)
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339 with an offset (such as 2026-04-01T12:30:45+00:00)", shown)
}

// EncodeBridge renders b canonically: keys sorted, two-space indent, a
// trailing newline, no HTML escaping, empty optional fields left out, the
// expiry as FormatTokenTimestamp writes it. It reveals the secrets: call it
// only to write the bridge file. Encoding what ParseBridge read from an
// encoded bridge gives the same bytes. b is validated first.
func EncodeBridge(b Bridge) ([]byte, error) {
	if err := b.Validate(); err != nil {
		return nil, err
	}
	a := b.Account
	acct := map[string]any{"name": string(a.Name), "type": string(a.Type), "region": string(a.Region)}
	setIf := func(m map[string]any, k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	setIf(acct, "default_project", string(a.DefaultProject))
	setIf(acct, "username", a.Username)
	setIf(acct, "secret", a.Secret.Reveal())
	setIf(acct, "token", a.Token.Reveal())
	setIf(acct, "token_env", a.TokenEnv)
	doc := map[string]any{"version": BridgeVersion, "account": acct}
	if t := b.Tokens; t != nil {
		tok := map[string]any{"access_token": t.AccessToken.Reveal()}
		setIf(tok, "refresh_token", t.RefreshToken.Reveal())
		setIf(tok, "token_type", t.TokenType)
		setIf(tok, "scope", t.Scope)
		setIf(tok, "client_id", t.ClientID)
		if !t.ExpiresAt.IsZero() {
			tok["expires_at"] = FormatTokenTimestamp(t.ExpiresAt)
		}
		doc["tokens"] = tok
	}
	setIf(doc, "project", string(b.Project))
	if b.Workspace.IsSet() {
		doc["workspace"] = int64(b.Workspace)
	}
	if len(b.Headers) > 0 {
		hs := make(map[string]string, len(b.Headers))
		for _, h := range b.Headers {
			hs[h.Name] = h.Value
		}
		doc["headers"] = hs
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, NewError(CodeConfigError, "the bridge cannot be encoded as JSON").WithCause(err)
	}
	return buf.Bytes(), nil
}
