package mixpanelhttp_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/mptest"
)

// Project and workspace ids of mptest's default seed, as domain values.
var (
	projectAI     = domain.ProjectID(fmt.Sprint(mptest.ProjectAIDemo))
	projectEUShop = domain.ProjectID(fmt.Sprint(mptest.ProjectEUShop))
	workspaceAI   = domain.WorkspaceID(mptest.WorkspaceAIAll)
)

// sleeps records the waits the client asks for and returns at once (or
// with the context's error when it has ended), so retry tests take no
// wall-clock time.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// harness is a client wired to an mptest server, recording sleeps and
// debug logs.
type harness struct {
	srv    *mptest.Server
	client *mixpanelhttp.Client
	sleeps *sleeps
	logs   *observer.ObservedLogs
}

// newHarness starts a server and a client whose BaseURL is the server's
// region URL (so region-bound credentials behave as on Mixpanel). mod may
// change the options before the client is built.
func newHarness(t testing.TB, mod func(*mixpanelhttp.Options), srvOpts ...mptest.Option) *harness {
	t.Helper()
	srv := mptest.NewServer(t, srvOpts...)
	core, logs := observer.New(zapcore.DebugLevel)
	h := &harness{srv: srv, sleeps: &sleeps{}, logs: logs}
	opts := mixpanelhttp.Options{
		BaseURL:   srv.RegionURL(),
		UserAgent: mixpanelhttp.UserAgent("1.2.3-test", "lib"),
		Logger:    zap.New(core),
		Sleep:     h.sleeps.sleep,
		Rand:      func() float64 { return 0.5 }, // backoff = nominal: 0.5 s, 1 s, 2 s
	}
	if mod != nil {
		mod(&opts)
	}
	h.client = mixpanelhttp.New(opts)
	return h
}

// usScope is the us demo service account on AI Demo.
func usScope() domain.Scope {
	return domain.Scope{
		Account:    "demo",
		Type:       domain.TypeServiceAccount,
		Region:     domain.RegionUS,
		Credential: domain.BasicCredential(mptest.DemoUsername, domain.NewSecret(mptest.DemoSecret)),
		Project:    projectAI,
	}
}

// euScope is the eu demo service account on EU Shop.
func euScope() domain.Scope {
	return domain.Scope{
		Account:    "eu",
		Type:       domain.TypeServiceAccount,
		Region:     domain.RegionEU,
		Credential: domain.BasicCredential(mptest.DemoEUUsername, domain.NewSecret(mptest.DemoEUSecret)),
		Project:    projectEUShop,
	}
}

// tokenScope is the us demo bearer token (an oauth_token account).
func tokenScope() domain.Scope {
	return domain.Scope{
		Account:    "tok",
		Type:       domain.TypeOAuthToken,
		Region:     domain.RegionUS,
		Credential: domain.BearerCredential(domain.NewSecret(mptest.DemoToken)),
		Project:    projectAI,
	}
}

// forbidden lists every secret of the seed, in every form it travels in.
func forbidden() []string {
	var out []string
	for _, sa := range mptest.DefaultSeed().ServiceAccounts {
		pair := sa.Username + ":" + sa.Secret
		out = append(out, sa.Secret, pair, base64.StdEncoding.EncodeToString([]byte(pair)))
	}
	for _, tok := range mptest.DefaultSeed().Tokens {
		out = append(out, tok.Token)
	}
	return out
}

// assertNoSecret fails when a secret appears in any printable form of err
// (message, %+v, %#v, JSON of details, hint).
func assertNoSecret(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	forms := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	var de *domain.Error
	if errors.As(err, &de) {
		b, jerr := json.Marshal(de.Details)
		if jerr != nil {
			t.Errorf("details of %v do not marshal: %v", err, jerr)
		}
		forms = append(forms, string(b), de.Hint, fmt.Sprintf("%#v", de.Details))
	}
	for _, f := range forms {
		for _, s := range forbidden() {
			if strings.Contains(f, s) {
				t.Errorf("a secret leaks in the error %q", f)
			}
		}
	}
}

// assertLogsClean fails when a debug log line holds a secret or an
// Authorization value, and when there is no log line at all.
func assertLogsClean(t *testing.T, logs *observer.ObservedLogs) {
	t.Helper()
	entries := logs.All()
	if len(entries) == 0 {
		t.Fatal("no debug log lines were written")
	}
	for _, e := range entries {
		line := e.Message + " " + fmt.Sprint(e.ContextMap())
		for _, s := range forbidden() {
			if strings.Contains(line, s) {
				t.Errorf("a secret leaks in the log line %q", line)
			}
		}
		if strings.Contains(line, "Basic ") || strings.Contains(line, "Bearer ") {
			t.Errorf("an Authorization value leaks in the log line %q", line)
		}
	}
}

// domainErr asserts err is a *domain.Error with the code and returns it.
func domainErr(t *testing.T, err error, code domain.Code) *domain.Error {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *domain.Error", err, err)
	}
	if de.Code != code {
		t.Fatalf("code %s, want %s (error: %v; details %v)", de.Code, code, err, de.Details)
	}
	assertNoSecret(t, err)
	return de
}

// lastRequest returns the last request the server logged for route.
func lastRequest(t *testing.T, srv *mptest.Server, route string) mptest.Request {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Route == route {
			return reqs[i]
		}
	}
	t.Fatalf("the server saw no request for %s", route)
	return mptest.Request{}
}
