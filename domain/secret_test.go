package domain_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

const rawSecret = "hunter2-e9c41d"

// leaks reports whether out contains the raw secret in any obvious encoding.
func leaks(out, raw string) bool {
	return strings.Contains(out, raw) ||
		strings.Contains(out, fmt.Sprintf("%x", raw)) ||
		strings.Contains(out, fmt.Sprintf("%X", raw)) ||
		strings.Contains(out, fmt.Sprint([]byte(raw)))
}

// holder has a Secret in an exported and in an unexported field; fmt cannot
// call methods on unexported fields and falls back to reflection for them.
type holder struct {
	Name   string
	Secret domain.Secret
	hidden domain.Secret
	Ptr    *domain.Secret
}

func TestSecretNeverPrinted(t *testing.T) {
	s := domain.NewSecret(rawSecret)
	h := holder{Name: "n", Secret: s, hidden: s, Ptr: &s}
	verbs := []string{
		"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p", "%10s", "%-12q", "%#q", "%+q",
		"%t", "%e", "%c", "%U", "%b", "%o", "%08.3f", "%z", "%!",
	}
	type rendering struct{ what, out string }
	var outs []rendering
	for _, verb := range verbs {
		outs = append(outs,
			rendering{"Secret " + verb, fmt.Sprintf(verb, s)},
			rendering{"*Secret " + verb, fmt.Sprintf(verb, &s)},
			rendering{"holder " + verb, fmt.Sprintf(verb, h)},
			rendering{"*holder " + verb, fmt.Sprintf(verb, &h)},
			rendering{"[]Secret " + verb, fmt.Sprintf(verb, []domain.Secret{s})},
			rendering{"map " + verb, fmt.Sprintf(verb, map[string]domain.Secret{"k": s})},
			rendering{"any " + verb, fmt.Sprintf(verb, any(s))},
		)
	}
	acct := saAccount("main", "1")
	acct.Secret = s
	tok := tokenAccount("tok", "")
	tok.Token = s
	var cfg domain.Config
	if _, err := cfg.AddAccount(acct); err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.AddAccount(tok); err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%p"} {
		outs = append(outs,
			rendering{"Account " + verb, fmt.Sprintf(verb, acct)},
			rendering{"Config " + verb, fmt.Sprintf(verb, cfg)},
			rendering{"*Config " + verb, fmt.Sprintf(verb, &cfg)},
			rendering{"ConfigData " + verb, fmt.Sprintf(verb, cfg.Data())},
		)
	}
	outs = append(outs,
		rendering{"Sprint", fmt.Sprint(s, h, acct)},
		rendering{"Sprintln", fmt.Sprintln(s, h, acct)},
		rendering{"String", s.String()},
		rendering{"GoString", s.GoString()},
		rendering{"Errorf %v", fmt.Errorf("login with %v failed", s).Error()},
		rendering{"Errorf %w chain", fmt.Errorf("outer: %w", fmt.Errorf("inner %s: %w", s, errors.New("x"))).Error()},
		rendering{"domain.Error", domain.NewError(domain.CodeAuthFailed, "bad secret %v for %+v", s, acct).Error()},
	)
	for _, v := range []any{s, &s, h, acct, cfg.Data(), map[string]any{"s": s}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal(%T): %v", v, err)
		}
		outs = append(outs, rendering{fmt.Sprintf("json %T", v), string(b)})
		b, err = json.MarshalIndent(v, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, rendering{fmt.Sprintf("json indent %T", v), string(b)})
	}
	b, err := xml.Marshal(struct {
		XMLName xml.Name      `xml:"x"`
		S       domain.Secret `xml:"s"`
		A       domain.Secret `xml:"a,attr"`
	}{S: s, A: s})
	if err != nil {
		t.Fatal(err)
	}
	outs = append(outs, rendering{"xml", string(b)})

	for _, r := range outs {
		if leaks(r.out, rawSecret) {
			t.Errorf("%s leaks the secret: %s", r.what, r.out)
		}
	}
	// The redaction is visible where it is expected.
	for _, r := range outs[:3] {
		if !strings.Contains(r.out, "REDACTED") {
			t.Errorf("%s = %q, want a redaction marker", r.what, r.out)
		}
	}
}

func TestSecretForms(t *testing.T) {
	s := domain.NewSecret(rawSecret)
	tests := []struct {
		format string
		arg    any
		want   string
	}{
		{"%v", s, "[REDACTED]"},
		{"%+v", s, "[REDACTED]"},
		{"%#v", s, "domain.Secret{[REDACTED]}"},
		{"%s", s, "[REDACTED]"},
		{"%q", s, `"[REDACTED]"`},
		{"%x", s, "[REDACTED]"},
		{"%d", s, "[REDACTED]"},
		{"%12s|", s, "  [REDACTED]|"},
		{"%v", domain.Secret{}, ""},
		{"%q", domain.Secret{}, `""`},
		{"%#v", domain.Secret{}, "domain.Secret{}"},
		{"%v", struct{ S domain.Secret }{s}, "{[REDACTED]}"},
		{"%+v", struct{ S domain.Secret }{s}, "{S:[REDACTED]}"},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf(tt.format, tt.arg); got != tt.want {
			t.Errorf("Sprintf(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
	b, err := json.Marshal(struct {
		S domain.Secret `json:"s"`
		E domain.Secret `json:"e"`
	}{S: s})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"s":"[REDACTED]","e":""}`; got != want {
		t.Errorf("json = %s, want %s", got, want)
	}
	txt, err := s.MarshalText()
	if err != nil || string(txt) != "[REDACTED]" {
		t.Errorf("MarshalText = %q, %v", txt, err)
	}
}

func TestSecretValue(t *testing.T) {
	s := domain.NewSecret(rawSecret)
	if s.Reveal() != rawSecret {
		t.Errorf("Reveal() = %q", s.Reveal())
	}
	if s.IsZero() {
		t.Error("non-empty secret IsZero")
	}
	var zero domain.Secret
	if !zero.IsZero() || zero.Reveal() != "" || !domain.NewSecret("").IsZero() {
		t.Error("empty secret is not zero")
	}
	if !zero.Equal(domain.NewSecret("")) {
		t.Error(`Secret{} != NewSecret("")`)
	}
	// Equality is by value, through Equal (== does not compile), and so is
	// that of structs holding secrets (Account.Equal).
	same := domain.NewSecret(strings.Clone(rawSecret))
	if !s.Equal(same) {
		t.Error("secrets with equal values are not equal")
	}
	if s.Equal(domain.NewSecret("other")) || s.Equal(zero) || zero.Equal(s) {
		t.Error("secrets with different values are equal")
	}
	if a1, a2 := saAccount("a", "1"), saAccount("a", "1"); !a1.Equal(a2) {
		t.Error("equal accounts compare unequal")
	}
}
