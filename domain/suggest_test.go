package domain_test

import (
	"testing"

	"github.com/mpdata/mp/domain"
)

func TestSuggest(t *testing.T) {
	commands := []string{"login", "account", "target", "project", "workspace", "session", "query", "inspect", "api", "config", "version", "completion"}
	for _, tt := range []struct {
		typed      string
		candidates []string
		want       string
	}{
		{"acount", commands, "account"},
		{"sesion", commands, "session"},
		{"tema", []string{"personal", "team"}, "team"},
		{"formt", []string{"format", "force", "from"}, "format"},
		{"service_acount", []string{"service_account", "oauth_browser", "oauth_token"}, "service_account"},
		{"jsn", []string{"table", "json", "jsonl", "csv", "plain"}, "json"},
		{"xyz", commands, ""},     // nothing close
		{"a", []string{"b"}, "b"}, // one edit on a short word is still close
		{"account", commands, ""}, // an exact match is not a suggestion
		{"zzzzzz", []string{"z"}, ""},
	} {
		if got := domain.Suggest(tt.typed, tt.candidates); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

// FuzzSuggest: never panics, and a suggestion is always one of the
// candidates and never the typed word itself.
func FuzzSuggest(f *testing.F) {
	f.Add("acount", "account")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, typed, cand string) {
		got := domain.Suggest(typed, []string{cand, "account"})
		if got != "" && got != cand && got != "account" {
			t.Fatalf("Suggest returned %q, not a candidate", got)
		}
		if got != "" && got == typed {
			t.Fatal("suggested the typed word itself")
		}
	})
}
