package iostreams

import (
	"bytes"
	"testing"
	"time"

	"github.com/mpdata/mp/ports"
)

func TestDescribeRetry(t *testing.T) {
	call := ports.CallInfo{Method: "GET", Path: "/api/app/me", Account: "team"}
	for _, tt := range []struct {
		r    ports.RetryInfo
		want string
	}{
		{
			ports.RetryInfo{Call: call, Attempt: 2, MaxAttempts: 4, Wait: 2 * time.Second, Status: 503, Reason: "HTTP 503"},
			"Mixpanel answered 503; retrying in 2s (attempt 2 of 4)",
		},
		{
			ports.RetryInfo{Call: call, Attempt: 3, MaxAttempts: 4, Wait: 1234 * time.Millisecond, Reason: "connection refused"},
			"Mixpanel could not be reached (connection refused); retrying in 1.2s (attempt 3 of 4)",
		},
		{
			ports.RetryInfo{Call: call, Attempt: 2, MaxAttempts: 4, Wait: 523 * time.Millisecond, Status: 429, Reason: "HTTP 429"},
			"Mixpanel answered 429; retrying in 520ms (attempt 2 of 4)",
		},
	} {
		if got := describeRetry(tt.r); got != tt.want {
			t.Errorf("describeRetry = %q, want %q", got, tt.want)
		}
	}
}

func TestDescribeCall(t *testing.T) {
	for _, tt := range []struct {
		c    ports.CallInfo
		want string
	}{
		{ports.CallInfo{Method: "GET", Path: "/api/app/me", Account: "team"}, "Fetching the projects account team can see…"},
		{ports.CallInfo{Method: "GET", Path: "/api/app/projects/3/workspaces/public", Account: "team", Project: "3"}, "Fetching the workspaces of project 3 (account team)…"},
		{ports.CallInfo{Method: "GET", Path: "/api/query/segmentation", Project: "3"}, "Running the segmentation query on project 3…"},
		{ports.CallInfo{Method: "POST", Path: "/api/app/other", Account: "a"}, "Waiting for Mixpanel: POST /api/app/other (account a)…"},
	} {
		if got := describeCall(tt.c); got != tt.want {
			t.Errorf("describeCall(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestFitWidth(t *testing.T) {
	for _, tt := range []struct {
		s     string
		width int
		want  string
	}{
		{"abcdef", 0, "abcdef"},
		{"abcdef", -1, "abcdef"},
		{"abcdef", 6, "abcdef"},
		{"abcdef", 4, "abc…"},
		{"é€ab", 3, "é€…"},
		{"abc", 1, "…"},
	} {
		if got := fitWidth(tt.s, tt.width); got != tt.want {
			t.Errorf("fitWidth(%q, %d) = %q, want %q", tt.s, tt.width, got, tt.want)
		}
	}
}

// TestProgressIsSilentOffATerminal: with stderr not a terminal, quiet on,
// or active false, a retry writes nothing; on a terminal it writes the
// line (cut to the width).
func TestProgressIsSilentOffATerminal(t *testing.T) {
	r := ports.RetryInfo{Call: ports.CallInfo{Path: "/api/app/me"}, Attempt: 2, MaxAttempts: 4, Wait: time.Second, Status: 503}
	for _, tt := range []struct {
		name         string
		tty, quiet   bool
		active, want bool
	}{
		{"piped", false, false, true, false},
		{"quiet", true, true, true, false},
		{"json", true, false, false, false},
		{"terminal", true, false, true, true},
	} {
		var buf bytes.Buffer
		s := &IOStreams{ErrOut: &buf, errTTY: tt.tty, quiet: tt.quiet, errWidth: func() int { return 30 }}
		p := s.Progress(func() bool { return tt.active })
		p.Retry(r)
		if got := buf.Len() > 0; got != tt.want {
			t.Errorf("%s: wrote %q", tt.name, buf.String())
		}
		if tt.want && buf.String() != "Mixpanel answered 503; retryi…\n" {
			t.Errorf("%s: wrote %q, want the line cut to 30 columns", tt.name, buf.String())
		}
	}
}
