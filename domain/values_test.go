package domain_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mpdata/mp/domain"
)

func TestParseRegion(t *testing.T) {
	tests := []struct {
		in   string
		want domain.Region
		ok   bool
	}{
		{"us", domain.RegionUS, true},
		{"eu", domain.RegionEU, true},
		{"in", domain.RegionIN, true},
		{"", "", false},
		{"US", "", false},
		{"Eu", "", false},
		{" us", "", false},
		{"us ", "", false},
		{"usa", "", false},
		{"u", "", false},
		{"au", "", false},
		{"ｕｓ", "", false}, // full-width letters
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			got, err := domain.ParseRegion(tt.in)
			if !tt.ok {
				checkErr(t, err, domain.CodeInvalidArgument, "region", strconv.Quote(tt.in), "us, eu, in")
				if got != "" {
					t.Errorf("rejected input returned %q", got)
				}
				return
			}
			checkErr(t, err, "")
			if got != tt.want || got.String() != tt.in {
				t.Errorf("ParseRegion(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRegionsOrder(t *testing.T) {
	want := []domain.Region{"us", "eu", "in"}
	if got := domain.Regions(); !slices.Equal(got, want) {
		t.Fatalf("Regions() = %v, want %v", got, want)
	}
	// The result is a fresh slice: changing it does not change the next call.
	domain.Regions()[0] = "xx"
	if domain.Regions()[0] != "us" {
		t.Fatal("Regions() returns shared state")
	}
}

// nameCases are shared by the account- and target-name tests: both follow
// the same rule.
var nameCases = []struct {
	desc string
	in   string
	ok   bool
}{
	{"single letter", "a", true},
	{"all classes", "Prod_eu-2", true},
	{"digits only", "123", true},
	{"leading dash", "-x", true},
	{"underscore only", "_", true},
	{"64 chars", strings.Repeat("a", 64), true},
	{"65 chars", strings.Repeat("a", 65), false},
	{"empty", "", false},
	{"dot", "a.b", false},
	{"dot only", ".", false},
	{"dot dot", "..", false},
	{"traversal", "../x", false},
	{"absolute", "/etc", false},
	{"slash", "a/b", false},
	{"backslash", `a\b`, false},
	{"space", "a b", false},
	{"trailing newline", "a\n", false},
	{"nul", "a\x00", false},
	{"non-ASCII letter", "café", false},
	{"non-ASCII only", "ü", false},
	{"64 bytes but non-ASCII", strings.Repeat("é", 32), false},
	{"invalid UTF-8", "a\xff", false},
	{"colon", "a:b", false},
	{"tilde", "~x", false},
}

func TestParseAccountName(t *testing.T) {
	for _, tt := range nameCases {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := domain.ParseAccountName(tt.in)
			if !tt.ok {
				checkErr(t, err, domain.CodeInvalidArgument, "invalid account name", "1-64 characters")
				if got != "" {
					t.Errorf("rejected input returned %q", got)
				}
				if d := asError(t, err).Details["field"]; d != "account name" {
					t.Errorf("Details[field] = %v, want account name", d)
				}
				return
			}
			checkErr(t, err, "")
			if got.String() != tt.in {
				t.Errorf("ParseAccountName(%q) = %q", tt.in, got)
			}
		})
	}
}

func TestParseTargetName(t *testing.T) {
	for _, tt := range nameCases {
		t.Run(tt.desc, func(t *testing.T) {
			got, err := domain.ParseTargetName(tt.in)
			if !tt.ok {
				checkErr(t, err, domain.CodeInvalidArgument, "invalid target name", "1-64 characters")
				if got != "" {
					t.Errorf("rejected input returned %q", got)
				}
				return
			}
			checkErr(t, err, "")
			if got.String() != tt.in {
				t.Errorf("ParseTargetName(%q) = %q", tt.in, got)
			}
		})
	}
}

func TestParseProjectID(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"0", true},
		{"1", true},
		{"007", true},
		{"12345678901234567890123456789", true}, // kept as a string: no overflow
		{"", false},
		{"-1", false},
		{"+1", false},
		{" 1", false},
		{"1 ", false},
		{"1.0", false},
		{"1e3", false},
		{"0x10", false},
		{"abc", false},
		{"١٢٣", false}, // Arabic-Indic digits are not ASCII digits
		{"1\n", false},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			got, err := domain.ParseProjectID(tt.in)
			if !tt.ok {
				checkErr(t, err, domain.CodeInvalidArgument, "invalid project id")
				if got.IsSet() {
					t.Errorf("rejected input returned %q", got)
				}
				return
			}
			checkErr(t, err, "")
			if !got.IsSet() || got.String() != tt.in {
				t.Errorf("ParseProjectID(%q) = %q", tt.in, got)
			}
		})
	}
	if domain.ProjectID("").IsSet() {
		t.Error(`ProjectID("").IsSet() = true`)
	}
}

func TestParseWorkspaceID(t *testing.T) {
	tests := []struct {
		in   string
		want domain.WorkspaceID
		ok   bool
	}{
		{"1", 1, true},
		{"42", 42, true},
		{"007", 7, true},
		{"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false}, // overflows int64
		{"99999999999999999999999", 0, false},
		{"0", 0, false},
		{"000", 0, false},
		{"-1", 0, false},
		{"-0", 0, false},
		{"+1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"\t1", 0, false},
		{"1\n", 0, false},
		{"", 0, false},
		{"1_000", 0, false},
		{"0x1f", 0, false},
		{"1.5", 0, false},
		{"1e3", 0, false},
		{"abc", 0, false},
		{"١", 0, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			got, err := domain.ParseWorkspaceID(tt.in)
			if !tt.ok {
				checkErr(t, err, domain.CodeInvalidArgument, "invalid workspace id", "positive integer")
				if got != 0 {
					t.Errorf("rejected input returned %d", got)
				}
				return
			}
			checkErr(t, err, "")
			if got != tt.want || !got.IsSet() {
				t.Errorf("ParseWorkspaceID(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestNewWorkspaceID(t *testing.T) {
	tests := []struct {
		in int64
		ok bool
	}{
		{1, true}, {1 << 62, true}, {0, false}, {-1, false}, {-1 << 63, false},
	}
	for _, tt := range tests {
		got, err := domain.NewWorkspaceID(tt.in)
		if tt.ok {
			checkErr(t, err, "")
			if int64(got) != tt.in {
				t.Errorf("NewWorkspaceID(%d) = %d", tt.in, got)
			}
			continue
		}
		checkErr(t, err, domain.CodeInvalidArgument, strconv.FormatInt(tt.in, 10))
	}
}

func TestWorkspaceIDString(t *testing.T) {
	tests := []struct {
		in   domain.WorkspaceID
		want string
		set  bool
	}{
		{0, "", false}, {-5, "", false}, {1, "1", true}, {123456, "123456", true},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("WorkspaceID(%d).String() = %q, want %q", tt.in, got, tt.want)
		}
		if got := tt.in.IsSet(); got != tt.set {
			t.Errorf("WorkspaceID(%d).IsSet() = %v, want %v", tt.in, got, tt.set)
		}
	}
}

func TestParseAccountType(t *testing.T) {
	tests := []struct {
		in   string
		want domain.AccountType
		ok   bool
	}{
		{"service_account", domain.TypeServiceAccount, true},
		{"oauth_browser", domain.TypeOAuthBrowser, true},
		{"oauth_token", domain.TypeOAuthToken, true},
		{"", "", false},
		{"SERVICE_ACCOUNT", "", false},
		{"service-account", "", false},
		{"oauth", "", false},
		{"oauth_token ", "", false},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			got, err := domain.ParseAccountType(tt.in)
			if !tt.ok {
				checkErr(t, err, domain.CodeInvalidArgument, "invalid account type", "service_account, oauth_browser, oauth_token")
				return
			}
			checkErr(t, err, "")
			if got != tt.want || got.String() != tt.in {
				t.Errorf("ParseAccountType(%q) = %q", tt.in, got)
			}
		})
	}
	if got := domain.AccountTypes(); len(got) != 3 {
		t.Errorf("AccountTypes() = %v, want 3 types", got)
	}
	for _, ty := range domain.AccountTypes() {
		if _, err := domain.ParseAccountType(string(ty)); err != nil {
			t.Errorf("AccountTypes() lists %q, which ParseAccountType rejects", ty)
		}
	}
}

func TestValidEnvVarName(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"A", true},
		{"_", true},
		{"MP_TOKEN", true},
		{"mp_token_2", true},
		{"_1", true},
		{"", false},
		{"1A", false},
		{"9", false},
		{"A-B", false},
		{"A B", false},
		{"A=B", false},
		{"$A", false},
		{"Ä", false},
		{"A\x00", false},
	}
	for _, tt := range tests {
		if got := domain.ValidEnvVarName(tt.in); got != tt.ok {
			t.Errorf("ValidEnvVarName(%q) = %v, want %v", tt.in, got, tt.ok)
		}
	}
}

// nameRule is the rule of docs/reference/model.md written independently of the
// implementation: 1–64 characters from A-Z a-z 0-9 _ -.
func nameRule(s string) bool {
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", r) {
			return false
		}
	}
	return true
}

func addNameSeeds(f *testing.F) {
	for _, c := range nameCases {
		f.Add(c.in)
	}
}

// checkName holds for both name parsers: accept ⇔ rule; accepted names are
// safe as a single path element; parsing round-trips.
func checkName(t *testing.T, s, got string, err error) {
	want := nameRule(s)
	if (err == nil) != want {
		t.Fatalf("parse(%q): accepted=%v, rule says %v", s, err == nil, want)
	}
	if err != nil {
		if got != "" {
			t.Fatalf("parse(%q) rejected but returned %q", s, got)
		}
		if !strings.Contains(err.Error(), strconv.Quote(s)) {
			t.Fatalf("error %q does not quote the input", err)
		}
		return
	}
	if got != s {
		t.Fatalf("parse(%q) = %q: not a round trip", s, got)
	}
	if strings.ContainsAny(got, `/\.`) || !utf8.ValidString(got) || utf8.RuneCountInString(got) != len(got) {
		t.Fatalf("accepted name %q contains a path separator, a dot or non-ASCII", got)
	}
}

func FuzzParseAccountName(f *testing.F) {
	addNameSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ParseAccountName(s)
		checkName(t, s, string(got), err)
		if err == nil {
			again, err := domain.ParseAccountName(got.String())
			if err != nil || again != got {
				t.Fatalf("re-parse of %q: %q, %v", got, again, err)
			}
		}
	})
}

func FuzzParseTargetName(f *testing.F) {
	addNameSeeds(f)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ParseTargetName(s)
		checkName(t, s, string(got), err)
		// Both kinds of name follow the same rule.
		_, aerr := domain.ParseAccountName(s)
		if (aerr == nil) != (err == nil) {
			t.Fatalf("account and target name rules disagree on %q", s)
		}
	})
}

func FuzzParseProjectID(f *testing.F) {
	for _, s := range []string{"", "0", "1", "007", "-1", "+1", " 1", "1a", "١", "99999999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ParseProjectID(s)
		rule := s != "" && strings.Trim(s, "0123456789") == ""
		if (err == nil) != rule {
			t.Fatalf("ParseProjectID(%q): accepted=%v, rule says %v", s, err == nil, rule)
		}
		if err != nil {
			if got.IsSet() {
				t.Fatalf("rejected %q but returned %q", s, got)
			}
			return
		}
		if got.String() != s || !got.IsSet() {
			t.Fatalf("ParseProjectID(%q) = %q: not a round trip", s, got)
		}
	})
}

func FuzzParseWorkspaceID(f *testing.F) {
	for _, s := range []string{"1", "0", "-1", "+1", " 1", "1 ", "007", "", "9223372036854775807", "9223372036854775808", "1_0", "0x1", "١"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := domain.ParseWorkspaceID(s)
		// The rule, independently: only ASCII digits, and the value, read
		// as an arbitrary-size integer, lies in [1, MaxInt64].
		digits := s != "" && strings.Trim(s, "0123456789") == ""
		trimmed := strings.TrimLeft(s, "0")
		inRange := digits && trimmed != "" &&
			(len(trimmed) < 19 || (len(trimmed) == 19 && trimmed <= "9223372036854775807"))
		if (err == nil) != inRange {
			t.Fatalf("ParseWorkspaceID(%q): accepted=%v, rule says %v", s, err == nil, inRange)
		}
		if err != nil {
			if got != 0 {
				t.Fatalf("rejected %q but returned %d", s, got)
			}
			if domain.CodeOf(err) != domain.CodeInvalidArgument {
				t.Fatalf("code %q", domain.CodeOf(err))
			}
			return
		}
		if !got.IsSet() || got.String() != trimmed {
			t.Fatalf("ParseWorkspaceID(%q) = %d (%q), want %s", s, got, got.String(), trimmed)
		}
		again, err := domain.ParseWorkspaceID(got.String())
		if err != nil || again != got {
			t.Fatalf("round trip of %d: %d, %v", got, again, err)
		}
	})
}
