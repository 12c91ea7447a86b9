package filestore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mpdata/mp/domain"
)

// timestampLayout is the date and time part of how mp writes expires_at
// and created_at: RFC 3339 to the second, in UTC, followed by the offset
// spelt "+00:00" (what Python's datetime.isoformat writes, so that the
// Python tool reads it back).
const timestampLayout = "2006-01-02T15:04:05"

// formatTimestamp renders t in UTC, truncated to the second, such as
// "2026-04-01T12:30:45+00:00".
func formatTimestamp(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(timestampLayout) + "+00:00"
}

// parseTimestamp reads an RFC 3339 timestamp with an offset ("Z" or
// ±hh:mm), fractional seconds allowed, also with a space instead of the
// "T" (Python's str(datetime)). A timestamp without an offset is refused:
// its time zone is unknown.
func parseTimestamp(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if len(v) > 10 && v[10] == ' ' {
		v = v[:10] + "T" + v[11:]
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		if y := t.UTC().Year(); y < 1 || y > 9999 {
			return time.Time{}, fmt.Errorf("timestamp %q is out of range (years 0001 to 9999 in UTC)", clip(s))
		}
		return t.UTC(), nil
	}
	if _, err := time.Parse("2006-01-02T15:04:05.999999999", v); err == nil {
		return time.Time{}, fmt.Errorf("timestamp %q has no UTC offset (a naive timestamp); want RFC 3339 such as 2026-04-01T12:30:45+00:00", clip(s))
	}
	return time.Time{}, fmt.Errorf("timestamp %q is not RFC 3339 with an offset (such as 2026-04-01T12:30:45+00:00)", clip(s))
}

// clip shortens a value quoted in an error.
func clip(s string) string {
	const limit = 64
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "…"
}

// tokensFile is the JSON document of tokens.json, in the order of
// behavior.md §3.3.
type tokensFile struct {
	AccessToken  string `json:"access_token"`
	ExpiresAt    string `json:"expires_at,omitempty"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ClientID     string `json:"client_id,omitempty"`
}

// encodeTokensFile renders tokens as tokens.json, indented. A zero
// ExpiresAt writes no expires_at (a token that never expires), an empty
// refresh token no refresh_token and an empty client id no client_id.
func encodeTokensFile(t domain.Tokens) ([]byte, error) {
	f := tokensFile{
		AccessToken:  t.AccessToken.Reveal(),
		TokenType:    t.TokenType,
		Scope:        t.Scope,
		RefreshToken: t.RefreshToken.Reveal(),
		ClientID:     t.ClientID,
	}
	if !t.ExpiresAt.IsZero() {
		f.ExpiresAt = formatTimestamp(t.ExpiresAt)
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

// decodeTokensFile parses tokens.json. access_token is required;
// expires_at, token_type, scope, refresh_token and client_id are optional
// (null counts as absent); other keys are ignored. Errors never quote a
// token.
func decodeTokensFile(data []byte) (domain.Tokens, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil || doc == nil {
		return domain.Tokens{}, errors.New("it is not a JSON object")
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
	var t domain.Tokens
	access, err := str("access_token")
	if err != nil {
		return domain.Tokens{}, err
	}
	if access == "" {
		return domain.Tokens{}, errors.New("access_token is missing or empty")
	}
	t.AccessToken = domain.NewSecret(access)
	refresh, err := str("refresh_token")
	if err != nil {
		return domain.Tokens{}, err
	}
	t.RefreshToken = domain.NewSecret(refresh)
	if t.TokenType, err = str("token_type"); err != nil {
		return domain.Tokens{}, err
	}
	if t.Scope, err = str("scope"); err != nil {
		return domain.Tokens{}, err
	}
	if t.ClientID, err = str("client_id"); err != nil {
		return domain.Tokens{}, err
	}
	expires, err := str("expires_at")
	if err != nil {
		return domain.Tokens{}, err
	}
	if expires != "" {
		if t.ExpiresAt, err = parseTimestamp(expires); err != nil {
			return domain.Tokens{}, fmt.Errorf("expires_at: %w", err)
		}
	}
	return t, nil
}
