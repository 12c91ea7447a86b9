package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// TestBridgeAccountErrorsUseTheBridgeHint: an invalid account record in a
// bridge is fixed by exporting the bridge again on the host, not with
// `mp account add/update` (which do not change a bridge); the message
// names the account once, without "account: account".
func TestBridgeAccountErrorsUseTheBridgeHint(t *testing.T) {
	tests := []struct {
		name, doc, field string
	}{
		{"service account without username", `{"version":2,"account":{"name":"x","type":"service_account","region":"us","secret":"s"}}`, "account"},
		{"oauth_token without token", `{"version":2,"account":{"name":"x","type":"oauth_token","region":"us"}}`, "account"},
		{"bad region", `{"version":2,"account":{"name":"x","type":"oauth_token","region":"mars","token":"t"}}`, "account.region"},
		{"bad name", `{"version":2,"account":{"name":"a b","type":"oauth_token","region":"us","token":"t"}}`, "account.name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := domain.ParseBridge([]byte(tt.doc))
			var e *domain.Error
			if !errors.As(err, &e) || e.Code != domain.CodeConfigError {
				t.Fatalf("ParseBridge = %v, want CONFIG_ERROR", err)
			}
			if !strings.Contains(e.Hint, "mp account export-bridge") || strings.Contains(e.Hint, "mp account add") || strings.Contains(e.Hint, "mp account update") {
				t.Fatalf("hint %q: want the bridge's (export again on the host)", e.Hint)
			}
			if strings.Contains(e.Message, "account: account") || !strings.HasPrefix(e.Message, "invalid bridge file: ") {
				t.Fatalf("message %q", e.Message)
			}
			if e.Details["field"] != tt.field {
				t.Fatalf("field %v, want %s", e.Details["field"], tt.field)
			}
		})
	}
}

// TestBridgeUnknownKeyAllowedIsACopy: the allowed keys an error carries
// are its own: changing them changes neither the next error nor parsing.
func TestBridgeUnknownKeyAllowedIsACopy(t *testing.T) {
	doc := []byte(`{"version":2,"bogus":1}`)
	_, err := domain.ParseBridge(doc)
	var e *domain.Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	allowed, ok := e.Details["allowed"].([]string)
	if !ok || len(allowed) == 0 || allowed[0] != "version" {
		t.Fatalf("allowed = %v", e.Details["allowed"])
	}
	allowed[0] = "bogus"
	_, err = domain.ParseBridge(doc)
	if !errors.As(err, &e) || e.Details["allowed"].([]string)[0] != "version" {
		t.Fatalf("a mutated detail leaked into the next parse: %v", err)
	}
}

// TestNoAccountNamesAuthFile: with MP_AUTH_FILE set and no bridge found,
// "no account configured" says that the file it names holds no bridge;
// with a bridge in effect, or without the variable, it does not.
func TestNoAccountNamesAuthFile(t *testing.T) {
	in := domain.ResolveInput{Env: map[string]string{domain.EnvAuthFile: " /vm/auth.json "}}
	_, err := domain.Resolve(in)
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.CodeConfigError {
		t.Fatal(err)
	}
	fixes, _ := e.Details["fixes"].([]string)
	if !strings.Contains(e.Message, "MP_AUTH_FILE names /vm/auth.json") || e.Details["source"] != domain.EnvAuthFile ||
		e.Details["path"] != "/vm/auth.json" || len(fixes) == 0 || !strings.HasPrefix(fixes[0], "MP_AUTH_FILE is set to /vm/auth.json") {
		t.Fatalf("error %q, details %v", e.Message, e.Details)
	}
	_, err = domain.Resolve(domain.ResolveInput{})
	if !errors.As(err, &e) || e.Message != "no account configured" || e.Details["source"] != nil {
		t.Fatalf("without MP_AUTH_FILE: %v", err)
	}
}
