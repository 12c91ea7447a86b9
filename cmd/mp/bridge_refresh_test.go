package main

// The cross-process refresh inside a bridge: N mp processes on a machine
// with only an oauth_browser bridge, all finding its access token expired,
// cause exactly one call to the token endpoint (the lock is <bridge>.lock),
// all print the same new token, and that token is the one written back
// into the bridge file. The same run with the lock compiled out (build tag
// mp_nolock) must not achieve that.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/mptest"
)

// bridgeProcesses is how many mp processes share the bridge at once.
const bridgeProcesses = 8

// bridgeScenario is a fresh HOME with only an oauth_browser bridge at
// ~/.claude/mixpanel/auth.json whose access token is expired, against a
// sandbox that rotates refresh tokens and holds token answers back.
type bridgeScenario struct {
	srv    *mptest.Server
	home   string
	bridge string
	seeded mptest.Tokens
	env    []string
}

func newBridgeScenario(t *testing.T) *bridgeScenario {
	t.Helper()
	srv := mptest.NewServer(t)
	tok, err := srv.IssueTokens(mptest.RegionUS, mptest.UserJo)
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(t.TempDir(), "vm")
	bridge := filepath.Join(home, ".claude", "mixpanel", "auth.json")
	if err := os.MkdirAll(filepath.Dir(bridge), 0o700); err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{
		"version": 2,
		"account": map[string]any{"name": "personal", "type": "oauth_browser", "region": "us", "default_project": "3018488"},
		"tokens": map[string]any{
			"access_token": tok.AccessToken, "refresh_token": tok.RefreshToken, "token_type": "Bearer",
			"expires_at": time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05") + "+00:00",
			"scope":      "projects analysis events", "client_id": seededClientID,
		},
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bridge, data, 0o600); err != nil {
		t.Fatal(err)
	}
	srv.InjectAlways(mptest.RouteToken, mptest.Delay(tokenEndpointDelay))
	tmp := filepath.Join(t.TempDir(), "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + tmp, "NO_COLOR=1", "TERM=dumb",
		"MP_API_BASE_URL=" + srv.RegionURL(), "GORACE=" + raceOptions(),
	}
	return &bridgeScenario{srv: srv, home: home, bridge: bridge, seeded: tok, env: env}
}

// run starts n `mp account token` processes of the binary mp at once.
func (s *bridgeScenario) run(t *testing.T, mp string, n int) []processResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	results := make([]processResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		cmd := exec.CommandContext(ctx, mp, "account", "token")
		cmd.Env, cmd.Dir = s.env, s.home
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		wg.Go(func() {
			<-start
			err := cmd.Run()
			results[i] = processResult{out.String(), errOut.String(), err}
		})
	}
	close(start)
	wg.Wait()
	return results
}

// bridgeTokens reads the tokens in the bridge file.
func (s *bridgeScenario) bridgeTokens(t *testing.T) (access, refresh string) {
	t.Helper()
	data, err := os.ReadFile(s.bridge)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Tokens struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		} `json:"tokens"`
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("bridge after the runs: %v", err)
	}
	return back.Tokens.AccessToken, back.Tokens.RefreshToken
}

// stderrOnly keeps the stderr of every process (stdout is the bearer).
func stderrOnly(results []processResult) []processResult {
	out := make([]processResult, len(results))
	for i, r := range results {
		out[i] = processResult{stderr: r.stderr}
	}
	return out
}

func TestBridgeConcurrentRefreshOneTokenCall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 8 mp processes")
	}
	mp, err := exec.LookPath("mp") // the test binary as mp (testscript.Main)
	if err != nil {
		t.Fatal(err)
	}
	s := newBridgeScenario(t)
	results := s.run(t, mp, bridgeProcesses)
	printed := map[string]int{}
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("process %d: %v: %s", i, r.err, strings.TrimSpace(r.stderr))
		}
		printed[strings.TrimSpace(r.stdout)]++
	}
	if len(printed) != 1 {
		t.Fatalf("the processes printed %d different tokens, want one", len(printed))
	}
	if n := s.srv.Count(mptest.RouteToken); n != 1 {
		t.Fatalf("the token endpoint was called %d times, want exactly 1", n)
	}
	var got string
	for k := range printed {
		got = k
	}
	if got == s.seeded.AccessToken || got == "" {
		t.Fatal("the processes printed the expired token")
	}
	access, refresh := s.bridgeTokens(t)
	if access != got || refresh == s.seeded.RefreshToken {
		t.Fatal("the bridge does not hold the refreshed (and rotated) tokens")
	}
	if fi, err := os.Stat(s.bridge); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("bridge mode after the write-back: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(s.home, ".mp")); !os.IsNotExist(err) {
		t.Fatalf("a bridge-only run created ~/.mp: %v", err)
	}
	scanResults(t, stderrOnly(results), s.seeded.AccessToken, s.seeded.RefreshToken, access, refresh)
}

// TestBridgeConcurrentRefreshFailsWithoutTheLock builds mp with the locks
// compiled out (adapters/filestore, build tag mp_nolock) and runs the same
// processes: they must NOT all succeed with exactly one token call.
func TestBridgeConcurrentRefreshFailsWithoutTheLock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mp and starts 8 processes")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command on PATH to build mp with -tags mp_nolock: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "mp-nolock")
	build := exec.Command(goBin, "build", "-tags", "mp_nolock", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags mp_nolock: %v\n%s", err, out)
	}
	s := newBridgeScenario(t)
	results := s.run(t, bin, bridgeProcesses)
	ok, printed := 0, map[string]bool{}
	for _, r := range results {
		if r.err == nil {
			ok++
			printed[r.stdout] = true
		}
	}
	calls := s.srv.Count(mptest.RouteToken)
	t.Logf("without the lock: %d of %d processes succeeded, %d distinct tokens, %d token-endpoint calls", ok, bridgeProcesses, len(printed), calls)
	if ok == bridgeProcesses && calls == 1 && len(printed) == 1 {
		t.Fatal("with the lock compiled out the processes still made exactly one refresh: the bridge refresh test would pass without the lock, so it proves nothing")
	}
	if calls < 2 {
		t.Errorf("without the lock only %d token-endpoint calls: expected several processes to refresh", calls)
	}
	scanResults(t, stderrOnly(results), s.seeded.RefreshToken)
}
