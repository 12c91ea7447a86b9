package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// tokenTimeLayout is the date and time part of how mp writes expires_at
// and created_at: RFC 3339 to the second, in UTC, followed by the offset
// spelt "+00:00" (what Python's datetime.isoformat writes, so that the
// Python tool reads it back).
const tokenTimeLayout = "2006-01-02T15:04:05"

// formatTokenTime renders t in UTC, truncated to the second, such as
// "2026-04-01T12:30:45+00:00".
func formatTokenTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(tokenTimeLayout) + "+00:00"
}

// parseTokenTime reads an RFC 3339 timestamp with an offset ("Z" or
// ±hh:mm), fractional seconds allowed, also with a space instead of the
// "T" (Python's str(datetime)). A timestamp without an offset is refused:
// its time zone is unknown.
func parseTokenTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if len(v) > 10 && v[10] == ' ' {
		v = v[:10] + "T" + v[11:]
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return time.Time{}, fmt.Errorf("timestamp %q is out of range (years 0001 to 9999 in UTC)", clipQuoted(s))
		}
		return t.UTC(), nil
	}
	if _, err := time.Parse("2006-01-02T15:04:05.999999999", v); err == nil {
		return time.Time{}, fmt.Errorf("timestamp %q has no UTC offset (a naive timestamp); want RFC 3339 such as 2026-04-01T12:30:45+00:00", clipQuoted(s))
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339 with an offset (such as 2026-04-01T12:30:45+00:00)", clipQuoted(s))
}

// clipQuoted shortens a value quoted in an error.
func clipQuoted(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "…"
}

// tokensFile is the JSON document of tokens.json, in the order of
// docs/reference/files.md.
type tokensFile struct {
	AccessToken  string `json:"access_token"`
	ExpiresAt    string `json:"expires_at,omitempty"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ClientID     string `json:"client_id,omitempty"`
}

// EncodeTokensJSON renders tokens as the tokens.json document of
// docs/reference/files.md, indented (the bytes a secret store keeps). A zero
// ExpiresAt writes no expires_at (a token that never expires), an empty
// refresh token no refresh_token and an empty client id no client_id.
func EncodeTokensJSON(t Tokens) ([]byte, error) {
	f := tokensFile{
		AccessToken:  t.AccessToken.Reveal(),
		TokenType:    t.TokenType,
		Scope:        t.Scope,
		RefreshToken: t.RefreshToken.Reveal(),
		ClientID:     t.ClientID,
	}
	if !t.ExpiresAt.IsZero() {
		f.ExpiresAt = formatTokenTime(t.ExpiresAt)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, errors.New("the tokens cannot be encoded as JSON")
	}
	return buf.Bytes(), nil
}

// DecodeTokensJSON parses a tokens.json document. access_token is required;
// expires_at, token_type, scope, refresh_token and client_id are optional
// (null counts as absent); other keys are ignored. Errors never quote a
// token.
func DecodeTokensJSON(data []byte) (Tokens, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil || doc == nil {
		return Tokens{}, errors.New("it is not a JSON object")
	}
	str := func(key string) (string, error) {
		raw, ok := doc[key]
		if !ok || string(bytes.TrimSpace(raw)) == "null" {
			return "", nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%s is not a string", key)
		}
		return s, nil
	}
	var t Tokens
	access, err := str("access_token")
	if err != nil {
		return Tokens{}, err
	}
	if access == "" {
		return Tokens{}, errors.New("access_token is missing or empty")
	}
	t.AccessToken = NewSecret(access)
	refresh, err := str("refresh_token")
	if err != nil {
		return Tokens{}, err
	}
	t.RefreshToken = NewSecret(refresh)
	if t.TokenType, err = str("token_type"); err != nil {
		return Tokens{}, err
	}
	if t.Scope, err = str("scope"); err != nil {
		return Tokens{}, err
	}
	if t.ClientID, err = str("client_id"); err != nil {
		return Tokens{}, err
	}
	expires, err := str("expires_at")
	if err != nil {
		return Tokens{}, err
	}
	if expires != "" {
		if t.ExpiresAt, err = parseTokenTime(expires); err != nil {
			return Tokens{}, fmt.Errorf("expires_at: %w", err)
		}
	}
	return t, nil
}
