package wiring

import (
	"net/http"

	"go.uber.org/zap"

	"github.com/mpdata/mp/adapters/browser"
	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/adapters/oauthflow"
	"github.com/mpdata/mp/adapters/sysclock"
	"github.com/mpdata/mp/ports"
)

// NewFileConfigStore provides the config store backed by the file at
// s.ConfigPath: the one ResolveAt read the [settings] with, when the path
// is still that one, so that the process decodes the config once and the
// use cases' Load costs a stat while the file is unchanged.
func NewFileConfigStore(s Settings) *filestore.ConfigStore {
	if st := s.configStore; st != nil && st.Path() == string(s.ConfigPath) && s.configHome == s.Home {
		return st
	}
	return filestore.NewConfigStore(string(s.ConfigPath), string(s.Home))
}

// NewFileAccountStorage provides the per-account storage under dir.
func NewFileAccountStorage(dir StorageDir, home HomeDir) *filestore.AccountStorage {
	return filestore.NewAccountStorage(string(dir), string(home))
}

// NewFileMeCache provides the /me cache under dir.
func NewFileMeCache(dir StorageDir, home HomeDir) *filestore.MeCache {
	return filestore.NewMeCache(string(dir), string(home))
}

// NewFileTokenStore provides the OAuth token store under dir.
func NewFileTokenStore(dir StorageDir, home HomeDir) *filestore.TokenStore {
	return filestore.NewTokenStore(string(dir), string(home))
}

// NewFileClientCache provides the OAuth client cache under dir.
func NewFileClientCache(dir StorageDir, home HomeDir) *filestore.ClientCache {
	return filestore.NewClientCache(string(dir), string(home))
}

// NewHTTPClient provides the one HTTP client (connection pool) of the App,
// shared by the Mixpanel API client and the OAuth flow: s.HTTPClient when
// set, else a new client with mp's transport settings.
func NewHTTPClient(s Settings) *http.Client {
	if s.HTTPClient != nil {
		return s.HTTPClient
	}
	return mixpanelhttp.NewHTTPClient()
}

// NewMixpanelAPI provides the Mixpanel HTTP client over hc: base replaces
// the real hosts when set, ua is sent with every request, each call is
// bounded as a whole by timeout (none when zero; its source is named when
// a call runs out of it), and log (may be nil) receives a debug line per
// attempt.
func NewMixpanelAPI(base APIBaseURL, ua UserAgent, timeout RequestTimeout, hc *http.Client, log *zap.Logger) *mixpanelhttp.Client {
	if log != nil {
		log = log.Named("http")
	}
	return mixpanelhttp.New(mixpanelhttp.Options{
		BaseURL: string(base), UserAgent: string(ua), HTTPClient: hc, Logger: log,
		Timeout: timeout.Limit, TimeoutSource: timeout.Source,
	})
}

// NewBrowser provides what opens the login URL: cmd (MP_BROWSER) when set,
// else the system browser.
func NewBrowser(cmd BrowserCommand) *browser.Browser { return browser.New(string(cmd)) }

// NewOAuthFlow provides the OAuth browser login and refresh over hc, at
// base (MP_API_BASE_URL semantics; empty: the real hosts), sending ua,
// each registration, code exchange and refresh request bounded by timeout
// (not the wait for the browser), registering clients through clients,
// opening the URL with b, telling the time with clock; log (may be nil)
// receives debug lines.
func NewOAuthFlow(base APIBaseURL, ua UserAgent, timeout RequestTimeout, hc *http.Client, clients ports.ClientCache, b *browser.Browser, clock ports.Clock, log *zap.Logger) *oauthflow.Flow {
	if log != nil {
		log = log.Named("oauth")
	}
	return oauthflow.New(oauthflow.Options{
		BaseURL: string(base), HTTPClient: hc, UserAgent: string(ua), Clients: clients, Browser: b, Clock: clock.Now, Logger: log,
		RequestTimeout: timeout.Limit, RequestTimeoutSource: timeout.Source,
	})
}

// NewClock provides the system clock.
func NewClock() ports.Clock { return sysclock.Clock{} }
