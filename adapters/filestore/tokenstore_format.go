package filestore

import (
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

// encodeTokensFile renders tokens as tokens.json (domain.EncodeTokensJSON).
func encodeTokensFile(t domain.Tokens) ([]byte, error) { return domain.EncodeTokensJSON(t) }

// decodeTokensFile parses tokens.json (domain.DecodeTokensJSON).
func decodeTokensFile(data []byte) (domain.Tokens, error) { return domain.DecodeTokensJSON(data) }
