package filestore

import (
	"reflect"
	"testing"
	"time"
)

// FuzzDecodeMeFile feeds arbitrary bytes to the me.json decoder. It must
// never panic; whatever it accepts must encode and decode back to the same
// /me answer and the same cached_at (to the microsecond, what the file
// keeps), and a re-encoding must be stable byte for byte.
func FuzzDecodeMeFile(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `{"cached_at": 1}`,
		`{"user_id": 1, "user_email": "a@b.c", "organizations": {}, "projects": {}, "cached_at": 1770000000.25}`,
		`{"user_id": 1, "projects": {"3018488": {"name": "P", "organization_id": 7, "timezone": "UTC", "domain": "mixpanel.com"}}, "workspaces": {"1": {"id": 1, "name": "All", "project_id": 3018488, "is_default": true}}, "cached_at": "x"}`,
		`{"user_id": 1, "cached_at": -5, "extra": [1, {"deep": null}]}`,
		`{"user_id": 1, "cached_at": 1e300}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		entry, ok := decodeMeFile(data)
		if !ok {
			return
		}
		out, err := encodeMeFile("fuzz", entry)
		if err != nil {
			t.Fatalf("encode of an accepted me.json: %v", err)
		}
		back, ok := decodeMeFile(out)
		if !ok {
			t.Fatalf("the encoded me.json does not decode:\n%s", out)
		}
		if !back.CachedAt.Equal(entry.CachedAt.Truncate(time.Microsecond)) && !entry.CachedAt.IsZero() {
			t.Fatalf("cached_at changed: %v → %v", entry.CachedAt, back.CachedAt)
		}
		if !reflect.DeepEqual(back.Me.Projects, entry.Me.Projects) || !reflect.DeepEqual(back.Me.User, entry.Me.User) || !reflect.DeepEqual(back.Me.Workspaces, entry.Me.Workspaces) || !reflect.DeepEqual(back.Me.Organizations, entry.Me.Organizations) {
			t.Fatalf("the /me answer changed through encode/decode:\n%s", out)
		}
		again, err := encodeMeFile("fuzz", back)
		if err != nil || string(again) != string(out) {
			t.Fatalf("encoding is not stable (%v):\n%s\n---\n%s", err, out, again)
		}
	})
}

// FuzzDecodeClientFile feeds arbitrary bytes to the client_<region>.json
// decoder. It must never panic; whatever it accepts has a client id and a
// known region, and encodes and decodes back to the same client.
func FuzzDecodeClientFile(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`,
		`{"client_id": "c", "region": "us", "redirect_uri": "http://localhost:19284/callback", "scope": "s", "created_at": "2026-04-01T13:30:45+00:00"}`,
		`{"client_id": "c", "region": "EU"}`,
		`{"client_id": "c", "region": "in", "created_at": 5, "scope": null}`,
		`{"client_id": "", "region": "us"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		client, ok := decodeClientFile(data)
		if !ok {
			return
		}
		if client.ClientID == "" || client.Region == "" {
			t.Fatalf("accepted a client without id or region: %+v", client)
		}
		out, err := encodeClientFile(client)
		if err != nil {
			t.Fatalf("encode of an accepted client: %v", err)
		}
		back, ok := decodeClientFile(out)
		if !ok {
			t.Fatalf("the encoded client does not decode:\n%s", out)
		}
		client.CreatedAt = client.CreatedAt.Truncate(time.Second)
		if back.ClientID != client.ClientID || back.Region != client.Region || back.RedirectURI != client.RedirectURI ||
			back.Scope != client.Scope || !back.CreatedAt.Equal(client.CreatedAt) {
			t.Fatalf("round trip changed the client: %+v → %+v\n%s", client, back, out)
		}
	})
}
