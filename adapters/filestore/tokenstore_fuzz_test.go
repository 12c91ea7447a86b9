package filestore

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// FuzzDecodeTokensFile feeds arbitrary bytes to the tokens decoder. It
// must never panic, never quote the access or refresh token in an error,
// and whatever it accepts must encode and decode back to the same tokens
// (the expiry to the second, which is what the file keeps).
func FuzzDecodeTokensFile(f *testing.F) {
	for _, s := range []string{
		``,
		`{}`,
		`null`,
		`{"access_token": "a", "expires_at": "2026-04-01T13:30:45+00:00", "token_type": "Bearer", "scope": "s", "refresh_token": "r", "client_id": "c"}`,
		`{"access_token": "a", "expires_at": "2026-04-01T13:30:45.999Z"}`,
		`{"access_token": "a", "expires_at": "2026-04-01 13:30:45-07:00", "x": [1, {}]}`,
		`{"access_token": "a", "expires_at": "2026-04-01T13:30:45"}`,
		`{"access_token": "a", "refresh_token": null, "scope": null}`,
		`{"access_token": 1}`,
		`{"access_token": "a\u0000b", "expires_at": "9999-12-31T23:59:59+14:00"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tokens, err := decodeTokensFile(data)
		if err != nil {
			if tokens.AccessToken.Reveal() != "" {
				t.Fatal("a failed decode returned tokens")
			}
			return
		}
		if tokens.AccessToken.IsZero() {
			t.Fatal("decode accepted tokens without an access token")
		}
		out, err := encodeTokensFile(tokens)
		if err != nil {
			t.Fatalf("encode of decoded tokens: %v", err)
		}
		back, err := decodeTokensFile(out)
		if err != nil {
			t.Fatalf("decode of encoded tokens: %v\n%s", err, out)
		}
		same := back.AccessToken.Equal(tokens.AccessToken) && back.RefreshToken.Equal(tokens.RefreshToken) &&
			back.ExpiresAt.Equal(tokens.ExpiresAt.Truncate(time.Second)) && back.TokenType == tokens.TokenType &&
			back.Scope == tokens.Scope && back.ClientID == tokens.ClientID
		if !same {
			t.Fatalf("round trip changed the tokens:\n%s", out)
		}
		if !strings.Contains(string(out), "+00:00") && !tokens.ExpiresAt.IsZero() {
			t.Fatalf("expires_at not written with +00:00:\n%s", out)
		}
	})
}

// offsetSuffix matches the end of a timestamp that carries an offset.
var offsetSuffix = regexp.MustCompile(`(Z|[+-]\d\d:\d\d)$`)

// FuzzParseTimestamp checks that every accepted timestamp carries an
// offset (no naive timestamp passes) and reformats to one that parses to
// the same second.
func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{
		"2026-04-01T13:30:45+00:00", "2026-04-01T13:30:45Z", "2026-04-01T13:30:45", "2026-04-01 13:30:45.5-03:30",
		"0001-01-01T00:00:00Z", "2026-13-01T00:00:00Z", "", "0001-01-01 0:00:00-00:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := parseTimestamp(s)
		if err != nil {
			return
		}
		if !offsetSuffix.MatchString(strings.TrimSpace(s)) {
			t.Fatalf("accepted %q, which has no offset", s)
		}
		back, err := parseTimestamp(formatTimestamp(ts))
		if err != nil {
			t.Fatalf("cannot read back %q: %v", formatTimestamp(ts), err)
		}
		if !back.Equal(ts.Truncate(time.Second)) {
			t.Fatalf("%q → %v → %q → %v", s, ts, formatTimestamp(ts), back)
		}
	})
}
