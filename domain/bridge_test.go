package domain_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
)

// Bridge fixture secrets; every rendering is scanned for them.
const (
	bridgeAccess  = "bridge-access-9a7c1e"
	bridgeRefresh = "bridge-refresh-4b2d8f"
)

// bridgeOf returns a valid bridge around a, with tokens for oauth_browser.
func bridgeOf(a domain.Account) domain.Bridge {
	b := domain.Bridge{Account: a, Project: "3018488", Workspace: 77, Headers: []domain.Header{{Name: "X-Team", Value: "red & <blue>"}}}
	if a.Type == domain.TypeOAuthBrowser {
		b.Tokens = &domain.Tokens{
			AccessToken: domain.NewSecret(bridgeAccess), RefreshToken: domain.NewSecret(bridgeRefresh),
			ExpiresAt: time.Date(2026, 4, 1, 12, 30, 45, 0, time.UTC), TokenType: "Bearer", Scope: "projects", ClientID: "client-1",
		}
	}
	return b
}

func TestBridgeRoundTripAllTypes(t *testing.T) {
	env := tokenAccount("envtok", "")
	env.Token, env.TokenEnv = domain.Secret{}, "MP_CI_TOKEN"
	for _, a := range []domain.Account{saAccount("team", "100"), tokenAccount("ci", "200"), env, browserAccount("personal", "")} {
		t.Run(string(a.Name), func(t *testing.T) {
			b := bridgeOf(a)
			data, err := domain.EncodeBridge(b)
			if err != nil {
				t.Fatalf("EncodeBridge: %v", err)
			}
			if !bytes.HasSuffix(data, []byte("}\n")) || !bytes.HasPrefix(data, []byte("{\n  \"account\": {\n    \"")) || !bytes.Contains(data, []byte("\n  \"version\": 2,\n")) {
				t.Fatalf("not 2-space indented with a trailing newline:\n%s", data)
			}
			got, err := domain.ParseBridge(data)
			if err != nil {
				t.Fatalf("ParseBridge: %v\n%s", err, data)
			}
			if !got.Account.Equal(b.Account) || got.Project != b.Project || got.Workspace != b.Workspace ||
				fmt.Sprint(got.Headers) != fmt.Sprint(b.Headers) || (got.Tokens == nil) != (b.Tokens == nil) {
				t.Fatalf("round trip changed the bridge:\n got %+v\nwant %+v", got, b)
			}
			if b.Tokens != nil && (!got.Tokens.Equal(*b.Tokens)) {
				t.Fatalf("tokens changed: %+v", got.Tokens)
			}
			again, err := domain.EncodeBridge(got)
			if err != nil || !bytes.Equal(again, data) {
				t.Fatalf("re-export is not byte-identical (%v):\n%s\n---\n%s", err, data, again)
			}
		})
	}
}

func TestEncodeBridgeCanonical(t *testing.T) {
	b := bridgeOf(browserAccount("personal", "42"))
	data, err := domain.EncodeBridge(b)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "account": {
    "default_project": "42",
    "name": "personal",
    "region": "in",
    "type": "oauth_browser"
  },
  "headers": {
    "X-Team": "red & <blue>"
  },
  "project": "3018488",
  "tokens": {
    "access_token": "` + bridgeAccess + `",
    "client_id": "client-1",
    "expires_at": "2026-04-01T12:30:45+00:00",
    "refresh_token": "` + bridgeRefresh + `",
    "scope": "projects",
    "token_type": "Bearer"
  },
  "version": 2,
  "workspace": 77
}
`
	if string(data) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", data, want)
	}
}

func TestParseBridgeRefusals(t *testing.T) {
	const sa = `"account":{"name":"team","type":"service_account","region":"us","username":"u","secret":"sa-secret-7f3a9c1e"}`
	const ob = `"account":{"name":"me","type":"oauth_browser","region":"us"}`
	tests := []struct {
		name, doc, field, fragment string
	}{
		{"not json", `{`, "", "not valid JSON"},
		{"syntax error position", "{\n  \"version\": 2,\n  \"account\": {\"secret\": \"sa-secret-7f3a9c1e\" x}\n}", "", "line 3, column 46"},
		{"not an object", `[1]`, "", "not a JSON object"},
		{"unknown top-level key", `{"version":2,` + sa + `,"extra":1}`, "extra", "unknown key"},
		{"unknown account key", `{"version":2,"account":{"name":"team","type":"service_account","region":"us","username":"u","secret":"x","project_id":"1"}}`, "account.project_id", "unknown key"},
		{"unknown tokens key", `{"version":2,` + ob + `,"tokens":{"access_token":"a","id_token":"b"}}`, "tokens.id_token", "unknown key"},
		{"version missing", `{` + sa + `}`, "version", "missing"},
		{"version 1", `{"version":1,` + sa + `}`, "version", "unsupported version 1"},
		{"version 3", `{"version":3,` + sa + `}`, "version", "unsupported version 3"},
		{"version string", `{"version":"2",` + sa + `}`, "version", "unsupported version"},
		{"account missing", `{"version":2}`, "account", "missing"},
		{"account name missing", `{"version":2,"account":{"type":"service_account","region":"us"}}`, "account.name", "missing"},
		{"bad region", `{"version":2,"account":{"name":"a","type":"service_account","region":"US","username":"u","secret":"s"}}`, "", "account.region"},
		{"bad type", `{"version":2,"account":{"name":"a","type":"basic","region":"us"}}`, "", "account.type"},
		{"traversal name", `{"version":2,"account":{"name":"../a","type":"oauth_token","region":"us","token":"t"}}`, "", "account.name"},
		{"sa without secret", `{"version":2,"account":{"name":"a","type":"service_account","region":"us","username":"u"}}`, "", "needs a secret"},
		{"browser without tokens", `{"version":2,` + ob + `}`, "tokens", "must carry its tokens"},
		{"browser tokens without access token", `{"version":2,` + ob + `,"tokens":{"refresh_token":"r"}}`, "tokens.access_token", "missing or empty"},
		{"tokens on a service account", `{"version":2,` + sa + `,"tokens":{"access_token":"a"}}`, "tokens", "only for oauth_browser"},
		{"naive expiry", `{"version":2,` + ob + `,"tokens":{"access_token":"a","expires_at":"2026-04-01T12:00:00"}}`, "tokens.expires_at", "no UTC offset"},
		{"bad project", `{"version":2,` + sa + `,"project":"12a"}`, "", "project"},
		{"workspace zero", `{"version":2,` + sa + `,"workspace":0}`, "", "workspace"},
		{"workspace string", `{"version":2,` + sa + `,"workspace":"5"}`, "workspace", "must be an integer"},
		{"header injection", `{"version":2,` + sa + `,"headers":{"X-A":"a\r\nb"}}`, "", "control character at position 1 (0x0d)"},
		{"header Authorization", `{"version":2,` + sa + `,"headers":{"Authorization":"Bearer x"}}`, "headers", "header Authorization is reserved"},
		{"header host lower case", `{"version":2,` + sa + `,"headers":{"host":"example.com"}}`, "headers", "header host is reserved"},
		{"header Content-Length", `{"version":2,` + sa + `,"headers":{"Content-Length":"3"}}`, "headers", "header Content-Length is reserved"},
		{"header not string", `{"version":2,` + sa + `,"headers":{"X-A":1}}`, "headers", "string values"},
		{"duplicate header", `{"version":2,` + sa + `,"headers":{"X-A":"1","x-a":"2"}}`, "headers", "given twice"},
		{"secret not a string", `{"version":2,"account":{"name":"a","type":"service_account","region":"us","username":"u","secret":5}}`, "account.secret", "must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := domain.ParseBridge([]byte(tt.doc))
			if !checkErr(t, err, domain.CodeConfigError, tt.fragment) {
				return
			}
			e := err.(*domain.Error)
			if tt.field != "" && e.Details["field"] != tt.field {
				t.Fatalf("field detail %v, want %q (%v)", e.Details["field"], tt.field, err)
			}
			if !strings.Contains(err.Error(), "bridge") {
				t.Fatalf("error does not say it is about the bridge: %v", err)
			}
			if strings.Contains(fmt.Sprintf("%v %v %s", err, e.Details, e.Hint), fixtureSASecret) {
				t.Fatalf("error quotes a secret: %v", err)
			}
		})
	}
}

func TestParseBridgeAcceptsNullsAndOffsets(t *testing.T) {
	doc := `{"version":2,"account":{"name":"me","type":"oauth_browser","region":"eu","default_project":null},
	"tokens":{"access_token":"a","expires_at":"2026-04-01 14:30:45.5+02:00","refresh_token":null},"project":null,"workspace":null,"headers":null}`
	b, err := domain.ParseBridge([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 4, 1, 12, 30, 45, 5e8, time.UTC); !b.Tokens.ExpiresAt.Equal(want) {
		t.Fatalf("expires_at %v, want %v", b.Tokens.ExpiresAt, want)
	}
	if b.Project.IsSet() || b.Workspace.IsSet() || b.Headers != nil || !b.Tokens.RefreshToken.IsZero() {
		t.Fatalf("nulls not treated as absent: %+v", b)
	}
}

func TestEncodeBridgeRefusesInvalid(t *testing.T) {
	b := bridgeOf(browserAccount("me", ""))
	b.Tokens = nil
	if _, err := domain.EncodeBridge(b); !checkErr(t, err, domain.CodeConfigError, "needs its tokens") {
		return
	}
	b = bridgeOf(saAccount("team", ""))
	b.Tokens = &domain.Tokens{AccessToken: domain.NewSecret("x")}
	checkErr(t, b.Validate(), domain.CodeConfigError, "only for oauth_browser")
}

func TestBridgeRedacted(t *testing.T) {
	b := bridgeOf(browserAccount("me", ""))
	b.Account = saAccount("team", "")
	b.Tokens = nil
	b2 := bridgeOf(browserAccount("me", ""))
	out := fmt.Sprintf("%v %+v %#v %v %+v", b, b, b, b2, *b2.Tokens)
	for _, s := range []string{fixtureSASecret, bridgeAccess, bridgeRefresh} {
		if strings.Contains(out, s) {
			t.Fatalf("a printed bridge shows a secret: %s", out)
		}
	}
}

func TestMergeHeaders(t *testing.T) {
	base := []domain.Header{{Name: "X-Team", Value: "blue"}, {Name: "X-Keep", Value: "1"}}
	got := domain.MergeHeaders(base, []domain.Header{{Name: "x-team", Value: "red"}, {Name: "X-New", Value: "2"}})
	if want := "[{X-Keep 1} {x-team red} {X-New 2}]"; fmt.Sprint(got) != want {
		t.Fatalf("got %v, want %s", got, want)
	}
	if got := domain.MergeHeaders(base, nil); fmt.Sprint(got) != fmt.Sprint(base) {
		t.Fatalf("no bridge headers changed the config's: %v", got)
	}
}

// FuzzParseBridge checks that the parser never panics, that every refusal
// is a CONFIG_ERROR, and that whatever it accepts re-encodes to a fixed
// point: encode(parse(encode(parse(x)))) == encode(parse(x)).
func FuzzParseBridge(f *testing.F) {
	for _, a := range []domain.Account{saAccount("team", "100"), tokenAccount("ci", ""), browserAccount("me", "1")} {
		data, err := domain.EncodeBridge(bridgeOf(a))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"version":2,"account":{"name":"x","type":"oauth_token","region":"eu","token_env":"T"},"headers":{}}`))
	f.Add([]byte(`{"version":2.0,"account":null}`))
	f.Add([]byte(`{"version":2,"account":{"name":"me","type":"oauth_browser","region":"us"},"tokens":{"access_token":"\u003c","expires_at":"0001-01-01T00:00:00+01:00"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := domain.ParseBridge(data)
		if err != nil {
			if domain.CodeOf(err) != domain.CodeConfigError && domain.CodeOf(err) != domain.CodeInvalidArgument {
				t.Fatalf("refusal with code %q: %v", domain.CodeOf(err), err)
			}
			return
		}
		if err := b.Validate(); err != nil {
			t.Fatalf("accepted an invalid bridge: %v", err)
		}
		first, err := domain.EncodeBridge(b)
		if err != nil {
			t.Fatalf("cannot encode an accepted bridge: %v", err)
		}
		b2, err := domain.ParseBridge(first)
		if err != nil {
			t.Fatalf("cannot parse its own encoding: %v\n%s", err, first)
		}
		second, err := domain.EncodeBridge(b2)
		if err != nil || !bytes.Equal(first, second) {
			t.Fatalf("encoding is not a fixed point (%v):\n%s\n---\n%s", err, first, second)
		}
	})
}
