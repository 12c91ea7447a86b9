package wiring

import (
	"strings"
	"time"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// EnvHTTPTimeout sets the overall limit of each Mixpanel call; it beats
// [settings] http_timeout.
const EnvHTTPTimeout = domain.EnvHTTPTimeout

// RequestTimeout is the overall limit of each Mixpanel call, retries and
// waits included (docs/reference/http.md), and where it came from. Precedence:
// the library's mp.WithRequestTimeout, then MP_HTTP_TIMEOUT, then
// [settings] http_timeout; without any, no overall limit (the transport
// still bounds the connection and the wait for headers).
type RequestTimeout struct {
	// Limit is the timeout; zero means none.
	Limit time.Duration
	// Source names where Limit came from, for messages: "MP_HTTP_TIMEOUT",
	// "[settings] http_timeout in PATH" or "mp.WithRequestTimeout".
	Source string
	// Err is why MP_HTTP_TIMEOUT could not be used (a CONFIG_ERROR); Build
	// refuses settings that carry one. Replacing the whole value (a
	// library option) drops it.
	Err error
}

// requestTimeout returns the request timeout env and the [settings] st of
// the config at path select: MP_HTTP_TIMEOUT when set and not blank (an
// invalid value is kept in Err, never replaced by a default), else
// [settings] http_timeout.
func requestTimeout(env ports.Env, path ConfigPath, st domain.Settings) RequestTimeout {
	if env != nil {
		if raw, _ := env.LookupEnv(EnvHTTPTimeout); strings.TrimSpace(raw) != "" {
			d, err := domain.ParseHTTPTimeout(raw)
			if err != nil {
				return RequestTimeout{Err: domain.NewError(domain.CodeConfigError, "%s=%q %s", EnvHTTPTimeout, raw, err.Error()).
					WithDetail("variable", EnvHTTPTimeout).
					WithHint("set %s to %s greater than zero, or unset it", EnvHTTPTimeout, domain.HTTPTimeoutForms)}
			}
			return RequestTimeout{Limit: d, Source: EnvHTTPTimeout}
		}
	}
	if st.HTTPTimeout > 0 {
		return RequestTimeout{Limit: st.HTTPTimeout, Source: "[settings] http_timeout in " + string(path)}
	}
	return RequestTimeout{}
}
