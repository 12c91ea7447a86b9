package domain

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// EnvHTTPTimeout sets the overall limit of each Mixpanel call
// (docs/reference/http.md); it beats [settings] http_timeout.
const EnvHTTPTimeout = "MP_HTTP_TIMEOUT"

// HTTPTimeoutForms describes the values ParseHTTPTimeout accepts, for
// messages.
const HTTPTimeoutForms = `a Go duration such as "90s", "2m" or "1m30s", or a whole or decimal number of seconds such as "90"`

// ParseHTTPTimeout reads an overall per-call HTTP timeout: a Go duration
// ("90s", "2m", "1m30s") or a number of seconds ("90", "2.5"), surrounding
// space ignored. It must be greater than zero. The error is plain (no
// code): the caller says where the value came from.
func ParseHTTPTimeout(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("is empty")
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(s, 64); err == nil && isPlainNumber(s) {
		if math.IsNaN(secs) || secs*float64(time.Second) >= math.MaxInt64 {
			return 0, errors.New("is too large")
		}
		d = time.Duration(secs * float64(time.Second))
	} else {
		var perr error
		if d, perr = time.ParseDuration(s); perr != nil {
			return 0, errors.New("is neither a duration nor a number of seconds (or is too large)")
		}
	}
	if d <= 0 {
		return 0, errors.New("must be greater than zero")
	}
	return d, nil
}

// isPlainNumber reports whether s is digits with at most one dot and an
// optional leading sign (no exponent, no "Inf", no "NaN", no hex).
func isPlainNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}
