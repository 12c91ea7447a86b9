package main

// The cross-process refresh: N mp processes that all find the same expired
// access token cause exactly one call to the token endpoint of a sandbox
// that rotates refresh tokens, and all print the same new token. The same
// run with the refresh lock compiled out (build tag mp_nolock) must not
// achieve that — proof that the test can fail and that the lock is what
// makes it pass.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mpdata/mp/mptest"
)

// refreshProcesses is how many mp processes ask for the token at once.
const refreshProcesses = 16

// tokenEndpointDelay holds every token-endpoint answer back, so that all
// processes have read the expired token before the first refresh could be
// written — whatever the start-up skew of the processes. With the lock, the
// others wait for it; without, they all refresh.
const tokenEndpointDelay = 1500 * time.Millisecond

// processResult is the outcome of one mp process.
type processResult struct {
	stdout, stderr string
	err            error
}

// refreshScenario is a HOME with one oauth_browser account "personal"
// whose access token is expired and whose refresh token is valid, against
// a sandbox that rotates refresh tokens.
type refreshScenario struct {
	srv    *mptest.Server
	home   string
	seeded mptest.Tokens
	env    []string
}

func newRefreshScenario(t *testing.T) *refreshScenario {
	t.Helper()
	srv := mptest.NewServer(t)
	home := filepath.Join(t.TempDir(), "home")
	root := filepath.Join(home, ".mp")
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := "[active]\naccount = \"personal\"\n\n[accounts.personal]\ntype = \"oauth_browser\"\nregion = \"us\"\ndefault_project = \"3018488\"\n"
	if err := os.WriteFile(filepath.Join(root, "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	seeded, err := seedTokens(srv, root, "personal", mptest.RegionUS, true)
	if err != nil {
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
	return &refreshScenario{srv: srv, home: home, seeded: seeded, env: env}
}

// run starts n `mp account token personal` processes of the binary mp at
// once and waits for all of them.
func (s *refreshScenario) run(t *testing.T, mp string, n int) []processResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	results := make([]processResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		cmd := exec.CommandContext(ctx, mp, "account", "token", "personal")
		cmd.Env, cmd.Dir = s.env, s.home
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			err := cmd.Run()
			results[i] = processResult{out.String(), errOut.String(), err}
		}()
	}
	close(start)
	wg.Wait()
	return results
}

// outcome summarises a run: how many processes succeeded, the distinct
// tokens they printed, and the token-endpoint calls.
type outcome struct {
	ok       int
	tokens   map[string]int
	refresh  int
	failures []string
}

func (s *refreshScenario) outcome(results []processResult) outcome {
	o := outcome{tokens: map[string]int{}, refresh: s.srv.Count(mptest.RouteToken)}
	for i, r := range results {
		if r.err != nil {
			o.failures = append(o.failures, fmt.Sprintf("process %d: %v: %s", i, r.err, strings.TrimSpace(r.stderr)))
			continue
		}
		o.ok++
		o.tokens[r.stdout]++
	}
	return o
}

// valid reports whether the sandbox accepts token on /me.
func (s *refreshScenario) valid(t *testing.T, token string) bool {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL()+"/us/api/app/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// storedAccessToken reads the account's tokens.json.
func (s *refreshScenario) storedAccessToken(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.home, ".mp", "accounts", "personal", "tokens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f tokensFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("tokens.json: %v", err)
	}
	return f.AccessToken
}

// scan fails t when an output other than a token on stdout holds a
// sandbox token.
func scanResults(t *testing.T, results []processResult, extra ...string) {
	t.Helper()
	runs := make([]capturedRun, len(results))
	for i, r := range results {
		runs[i] = capturedRun{Args: []string{"account", "token", "personal"}, Stdout: r.stdout, Stderr: r.stderr}
	}
	if leaks := leaksIn(runs, extra); len(leaks) > 0 {
		t.Errorf("secret hygiene:\n  %s", strings.Join(leaks, "\n  "))
	}
}

func TestConcurrentRefreshOneTokenCall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 16 mp processes")
	}
	mp, err := exec.LookPath("mp") // the test binary as mp (testscript.Main)
	if err != nil {
		t.Fatal(err)
	}
	s := newRefreshScenario(t)
	results := s.run(t, mp, refreshProcesses)
	o := s.outcome(results)
	if o.ok != refreshProcesses {
		t.Fatalf("%d of %d processes succeeded:\n%s", o.ok, refreshProcesses, strings.Join(o.failures, "\n"))
	}
	if len(o.tokens) != 1 {
		t.Fatalf("the processes printed %d different tokens, want one", len(o.tokens))
	}
	if o.refresh != 1 {
		t.Errorf("the sandbox's token endpoint was called %d times, want exactly 1", o.refresh)
	}
	var printed string
	for tok := range o.tokens {
		printed = tok
	}
	tok := strings.TrimSuffix(printed, "\n")
	switch {
	case printed != tok+"\n" || strings.Contains(tok, "\n"):
		t.Errorf("stdout %q: want the token and one newline", printed)
	case tok == s.seeded.AccessToken:
		t.Error("the processes printed the expired token")
	case !s.valid(t, tok):
		t.Error("the sandbox does not accept the printed token")
	case s.storedAccessToken(t) != tok:
		t.Error("tokens.json does not hold the printed token")
	}
	for i, r := range results {
		if r.stderr != "" {
			t.Errorf("process %d wrote on stderr: %q", i, r.stderr)
		}
	}
	scanResults(t, results, s.seeded.RefreshToken)
}

// TestConcurrentRefreshFailsWithoutTheLock builds mp with the refresh lock
// compiled out (adapters/filestore, build tag mp_nolock) and runs the same
// 16 processes: they must NOT all succeed with exactly one token call.
func TestConcurrentRefreshFailsWithoutTheLock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mp and starts 16 processes")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("no go command on PATH to build mp with -tags mp_nolock: %v", err)
	}
	if !nolockTagExists(t, goBin) {
		msg := "adapters/filestore has no file for the build tag mp_nolock yet: the lock cannot be compiled out"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	bin := filepath.Join(t.TempDir(), "mp-nolock")
	build := exec.Command(goBin, "build", "-tags", "mp_nolock", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags mp_nolock: %v\n%s", err, out)
	}
	s := newRefreshScenario(t)
	results := s.run(t, bin, refreshProcesses)
	o := s.outcome(results)
	t.Logf("without the lock: %d of %d processes succeeded, %d distinct tokens, %d token-endpoint calls",
		o.ok, refreshProcesses, len(o.tokens), o.refresh)
	if o.ok == refreshProcesses && o.refresh == 1 && len(o.tokens) == 1 {
		t.Fatal("with the refresh lock compiled out the 16 processes still made exactly one refresh: " +
			"the concurrent-refresh test would pass without the lock, so it proves nothing")
	}
	if o.refresh < 2 {
		t.Errorf("without the lock only %d token-endpoint calls: expected several processes to refresh", o.refresh)
	}
	scanResults(t, results, s.seeded.RefreshToken)
}

// nolockTagExists reports whether the filestore package has a file that
// only the mp_nolock build tag selects.
func nolockTagExists(t *testing.T, goBin string) bool {
	t.Helper()
	list := func(tags ...string) string {
		args := append([]string{"list"}, tags...)
		args = append(args, "-f", "{{.GoFiles}}", "github.com/mpdata/mp/adapters/filestore")
		out, err := exec.Command(goBin, args...).Output()
		if err != nil {
			t.Fatalf("go list: %v", err)
		}
		return string(out)
	}
	return list("-tags", "mp_nolock") != list()
}
