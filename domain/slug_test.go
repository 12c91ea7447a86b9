package domain_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mpdata/mp/domain"
)

func TestSlug(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
	}{
		{"plain", "Acme", "acme"},
		{"NFKD-like folding", "Société Générale", "societe-generale"},
		{"folding to two letters", "Straße & Œuvre Æther", "strasse-oeuvre-aether"},
		{"upper-case accents", "ÉCOLE ÀÖ", "ecole-ao"},
		{"runs of punctuation", "Acme,  Inc. -- (EU)!!", "acme-inc-eu"},
		{"leading and trailing junk", "  --Acme--  ", "acme"},
		{"digits kept", "Team 42", "team-42"},
		{"underscore is a separator", "data_team", "data-team"},
		{"non-Latin letters become separators", "Acme 日本 Labs", "acme-labs"},
		{"emoji between words", "Big🚀Rocket", "big-rocket"},
		{"nothing usable", "日本語", ""},
		{"only punctuation", "!!! ---", ""},
		{"empty", "", ""},
		{"exactly 32", strings.Repeat("a", 32), strings.Repeat("a", 32)},
		{"cut at 32", strings.Repeat("a", 40), strings.Repeat("a", 32)},
		{"cut leaves no trailing dash", strings.Repeat("a", 31) + " bcdef", strings.Repeat("a", 31)},
		{"cut in the second word", "abcdefghijklmnopqrstuvwxyz abcdefghij", "abcdefghijklmnopqrstuvwxyz-abcde"},
		{"invalid UTF-8 is a separator", "ab\xffcd", "ab-cd"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.Slug(tt.in)
			if got != tt.want {
				t.Fatalf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got != "" {
				if _, err := domain.ParseAccountName(got); err != nil {
					t.Fatalf("Slug(%q) = %q is not a valid account name: %v", tt.in, got, err)
				}
			}
		})
	}
}

func TestAccountNameFor(t *testing.T) {
	takenSet := func(names ...string) func(domain.AccountName) bool {
		m := map[domain.AccountName]bool{}
		for _, n := range names {
			m[domain.AccountName(n)] = true
		}
		return func(n domain.AccountName) bool { return m[n] }
	}
	none := takenSet()
	for _, tt := range []struct {
		name  string
		orgs  []domain.Organization
		taken func(domain.AccountName) bool
		want  domain.AccountName
	}{
		{"first organisation's slug", []domain.Organization{{ID: 7, Name: "Société Générale"}, {ID: 8, Name: "Other"}}, none, "societe-generale"},
		{"org-<id> when the name has no usable letters", []domain.Organization{{ID: 12345, Name: "日本"}}, none, "org-12345"},
		{"account when there is no organisation", nil, none, "account"},
		{"account when the organisation has neither", []domain.Organization{{Name: "!!!"}}, none, "account"},
		{"-2 on collision", []domain.Organization{{ID: 7, Name: "Acme"}}, takenSet("acme"), "acme-2"},
		{"-3 after -2", []domain.Organization{{ID: 7, Name: "Acme"}}, takenSet("acme", "acme-2"), "acme-3"},
		{"a gap is reused", []domain.Organization{{ID: 7, Name: "Acme"}}, takenSet("acme", "acme-3"), "acme-2"},
		{"fallback collides too", nil, takenSet("account"), "account-2"},
		{"org-<id> collides", []domain.Organization{{ID: 9}}, takenSet("org-9", "org-9-2"), "org-9-3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.AccountNameFor(tt.orgs, tt.taken); got != tt.want {
				t.Fatalf("AccountNameFor = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAccountNameForLongNames checks that suffixed names stay valid account
// names (at most 64 characters) for the longest slugs and many collisions.
func TestAccountNameForLongNames(t *testing.T) {
	long := []domain.Organization{{ID: 1, Name: strings.Repeat("x", 100)}}
	base := strings.Repeat("x", 32)
	takenUpTo := func(n int) func(domain.AccountName) bool {
		return func(name domain.AccountName) bool {
			if string(name) == base {
				return true
			}
			rest, ok := strings.CutPrefix(string(name), base+"-")
			if !ok {
				return false
			}
			k, err := strconv.Atoi(rest)
			return err == nil && k <= n
		}
	}
	for _, n := range []int{1, 9, 99, 1000} {
		got := domain.AccountNameFor(long, takenUpTo(n))
		want := base + "-" + strconv.Itoa(n+1)
		if n == 1 {
			want = base + "-2"
		}
		if string(got) != want {
			t.Fatalf("with %d taken: AccountNameFor = %q, want %q", n, got, want)
		}
		if _, err := domain.ParseAccountName(string(got)); err != nil || len(got) > 64 {
			t.Fatalf("AccountNameFor = %q (%d chars) is not a valid account name: %v", got, len(got), err)
		}
	}
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"", "Acme", "Société Générale", "!!!", "日本語", strings.Repeat("é-", 40), "a\xffb", "ß_Æ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := domain.Slug(in)
		if len(got) > 32 {
			t.Fatalf("Slug(%q) = %q is longer than 32", in, got)
		}
		if got == "" {
			return
		}
		if _, err := domain.ParseAccountName(got); err != nil {
			t.Fatalf("Slug(%q) = %q is not a valid account name: %v", in, got, err)
		}
		if !utf8.ValidString(got) || strings.HasPrefix(got, "-") || strings.HasSuffix(got, "-") || strings.Contains(got, "--") {
			t.Fatalf("Slug(%q) = %q has a stray dash", in, got)
		}
		if got != strings.ToLower(got) {
			t.Fatalf("Slug(%q) = %q is not lower case", in, got)
		}
		if again := domain.Slug(got); again != got {
			t.Fatalf("Slug is not idempotent: Slug(%q) = %q, Slug(that) = %q", in, got, again)
		}
	})
}
