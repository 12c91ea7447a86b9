package main

// OAuth commands of the end-to-end scripts: seeded tokens, revocation, a
// real headless Chromium as the login browser, and the --no-browser paste.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mpdata/mp/mptest"
)

// storageRoot is where mp keeps accounts/ and oauth/ for the environment
// getenv describes: $MP_OAUTH_STORAGE_DIR, else ~/.mp.
func storageRoot(getenv func(string) string) string {
	if d := getenv("MP_OAUTH_STORAGE_DIR"); d != "" {
		return d
	}
	return filepath.Join(getenv("HOME"), ".mp")
}

// tokensFile is the JSON of accounts/<name>/tokens.json (docs/reference/files.md).
type tokensFile struct {
	AccessToken  string `json:"access_token"`
	ExpiresAt    string `json:"expires_at"`
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ClientID     string `json:"client_id"`
}

// seededClientID is the client_id written with seeded tokens: the
// sandbox's IssueTokens refresh tokens work with any client id.
const seededClientID = "mp-e2e-seeded-client"

// seedTokens issues tokens for the sandbox's OAuth user in region and
// writes them as the account's tokens.json (directories 0700, file 0600),
// already expired when expired is true. It returns the issued tokens.
func seedTokens(srv *mptest.Server, root, account, region string, expired bool) (mptest.Tokens, error) {
	tok, err := srv.IssueTokens(region, mptest.UserJo)
	if err != nil {
		return tok, err
	}
	expires := time.Now().Add(tok.ExpiresIn)
	if expired {
		expires = time.Now().Add(-time.Hour)
	}
	doc := tokensFile{
		AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, TokenType: "Bearer",
		ExpiresAt: expires.UTC().Format("2006-01-02T15:04:05") + "+00:00",
		Scope:     "projects analysis events", ClientID: seededClientID,
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return tok, err
	}
	dir := filepath.Join(root, "accounts", account)
	for _, d := range []string{root, filepath.Join(root, "accounts"), dir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return tok, err
		}
		if err := os.Chmod(d, 0o700); err != nil {
			return tok, err
		}
	}
	return tok, os.WriteFile(filepath.Join(dir, "tokens.json"), append(b, '\n'), 0o600)
}

// sandbox-tokens ACCOUNT expired|valid [REGION] writes tokens the sandbox
// issued (for its OAuth user, region us by default) as the account's
// tokens.json and exports them as SANDBOX_ACCESS_TOKEN and
// SANDBOX_REFRESH_TOKEN (declared secret for the hygiene check).
func cmdSandboxTokens(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || len(args) > 3 || (args[1] != "expired" && args[1] != "valid") {
		ts.Fatalf("usage: sandbox-tokens ACCOUNT expired|valid [REGION]")
	}
	region := mptest.RegionUS
	if len(args) == 3 {
		region = args[2]
	}
	tok, err := seedTokens(sandboxOf(ts), storageRoot(ts.Getenv), args[0], region, args[1] == "expired")
	ts.Check(err)
	ts.Setenv("SANDBOX_ACCESS_TOKEN", tok.AccessToken)
	ts.Setenv("SANDBOX_REFRESH_TOKEN", tok.RefreshToken)
	hygieneOf(ts).add(tok.AccessToken, tok.RefreshToken)
}

// sandbox-revoke revokes every OAuth token of the sandbox: /me refuses
// the access tokens and the refresh grant answers invalid_grant.
func cmdSandboxRevoke(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sandbox-revoke")
	}
	sandboxOf(ts).RevokeTokens()
}

// chromiumPackage is the Debian package of the real-browser tests.
const chromiumPackage = "chromium"

// scriptCondition answers the custom conditions of the scripts:
//
//	[chromium]  headless Chromium is installed (Debian package chromium).
//	            When it is not and CI=true, the condition is an error, so
//	            that CI fails instead of skipping the real-browser tests.
func scriptCondition(cond string) (bool, error) {
	switch cond {
	case "chromium":
		if _, err := exec.LookPath("chromium"); err == nil {
			return true, nil
		}
		if os.Getenv("CI") == "true" {
			return false, fmt.Errorf("chromium is not installed, and CI=true forbids skipping the real-browser login tests: install the Debian package %q (apt-get install -y %s; .ci/run does)", chromiumPackage, chromiumPackage)
		}
		return false, nil
	}
	return false, fmt.Errorf("unknown condition %q", cond)
}

// chromiumFlags are the flags of the headless Chromium the login tests run.
var chromiumFlags = []string{
	"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
}

// chromiumLauncher is the MP_BROWSER launcher: it starts headless
// Chromium on the URL (its last argument) in a new session — so in its own
// process group, which the test kills whole — with HOME, TMPDIR and the
// profile inside the test directory, records its pid and returns at once.
// Its arguments: the directory, the short TMPDIR, the chromium command.
const chromiumLauncher = `#!/bin/sh
# MP_BROWSER for the e2e tests: headless Chromium on the URL "$1".
set -eu
dir=%s
n=$(date +%%s%%N)
HOME="$dir/home" TMPDIR=%s setsid %s %s --user-data-dir="$dir/profile-$n" "$1" >"$dir/chromium-$n.log" 2>&1 </dev/null &
echo $! >>"$dir/chromium.pids"
`

// shortTempLink returns a short path that is a symlink to target. Chromium
// creates its singleton socket under TMPDIR, and a Unix socket path is
// limited to 108 bytes: the test directory is too deep for that (Chromium
// then dies at start with SIGTRAP), so TMPDIR is a short link into it.
func shortTempLink(target string) (string, error) {
	base := os.TempDir()
	if len(base) > 24 {
		base = "/tmp"
	}
	for i := 0; i < 100; i++ {
		link := filepath.Join(base, fmt.Sprintf("mpc-%d-%d", os.Getpid(), time.Now().UnixNano()%1e6+int64(i)))
		err := os.Symlink(target, link)
		if err == nil {
			return link, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no free name for a link to %s in %s", target, base)
}

// chromium makes headless Chromium the script's login browser: it writes
// the launcher into $WORK/chromium and sets MP_BROWSER to it. Every
// Chromium it started is killed (its whole process group) when the script
// ends, or earlier with chromium-kill. Guard the script with
// `[!chromium] skip`.
func cmdChromium(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: chromium")
	}
	bin, err := exec.LookPath("chromium")
	if err != nil {
		ts.Fatalf("chromium is not installed (Debian package %q); guard the script with [!chromium] skip", chromiumPackage)
	}
	dir := ts.MkAbs("chromium")
	ts.Check(os.MkdirAll(dir, 0o700))
	if strings.ContainsAny(dir, " \t'\"\\$") {
		ts.Fatalf("the test directory %q has characters MP_BROWSER cannot carry (it is split on spaces)", dir)
	}
	for _, d := range []string{"home", "tmp"} {
		ts.Check(os.MkdirAll(filepath.Join(dir, d), 0o700))
	}
	tmp, err := shortTempLink(filepath.Join(dir, "tmp"))
	ts.Check(err)
	ts.Defer(func() { _ = os.Remove(tmp) })
	launcher := filepath.Join(dir, "launch")
	script := fmt.Sprintf(chromiumLauncher, dir, tmp, bin, strings.Join(chromiumFlags, " "))
	ts.Check(os.WriteFile(launcher, []byte(script), 0o700))
	ts.Setenv("MP_BROWSER", launcher)
	ts.Defer(func() { _ = killChromium(dir) })
}

// chromium-kill kills every Chromium the launcher started so far and
// asserts that at least one was started (the login did use the browser).
func cmdChromiumKill(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: chromium-kill")
	}
	n := killChromium(ts.MkAbs("chromium"))
	if n == 0 {
		ts.Fatalf("no Chromium was started (MP_BROWSER was not run)")
	}
	fmt.Fprintf(ts.Stdout(), "killed %d chromium process groups\n", n)
}

// killChromium kills the process group of every pid the launcher recorded
// in dir, waits for the groups to be gone, and forgets the pids. It
// returns how many were recorded.
func killChromium(dir string) int {
	pidFile := filepath.Join(dir, "chromium.pids")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		return 0
	}
	var groups []int
	for _, f := range strings.Fields(string(b)) {
		pid, err := strconv.Atoi(f)
		if err != nil || pid <= 1 {
			continue
		}
		// setsid made the Chromium process the leader of its own session
		// and process group: its pgid is its pid.
		pgid := pid
		if g, err := syscall.Getpgid(pid); err == nil && g > 1 {
			pgid = g
		}
		groups = append(groups, pgid)
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, g := range groups {
		for syscall.Kill(-g, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	_ = os.Remove(pidFile)
	return len(groups)
}

// authorizeLine finds the authorize URL mp prints for the user.
var authorizeLine = regexp.MustCompile(`^\s+(https?://\S+/oauth/authorize/\?\S+)\s*$`)

// paste-login [exit=N] ARGS... runs `mp ARGS...` (a login with
// --no-browser), reads the authorize URL it prints on stderr, visits it
// without following the redirect — so mp's callback server never hears
// from it — and pastes the redirect URL on mp's stdin, as a user on
// another machine would. mp must exit with N (default 0) within 60 s.
// stdout and stderr are kept for the following commands.
func cmdPasteLogin(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: paste-login [exit=N] ARGS...")
	}
	want := 0
	if v, ok := strings.CutPrefix(args[0], "exit="); ok {
		n, err := strconv.Atoi(v)
		ts.Check(err)
		want, args = n, args[1:]
	}
	stdout, stderr, err := pasteLogin(lookPath(ts, "mp"), scriptEnv(ts), ts.MkAbs("."), args)
	fmt.Fprint(ts.Stdout(), stdout)
	fmt.Fprint(ts.Stderr(), stderr)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("paste-login: %v\nstderr:\n%s", err, stderr)
	}
	if got != want {
		ts.Fatalf("paste-login: mp exited %d, want %d\nstderr:\n%s", got, want, stderr)
	}
}

func pasteLogin(mp string, env []string, dir string, args []string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, mp, args...)
	cmd.Env, cmd.Dir = env, dir
	var out bytes.Buffer
	cmd.Stdout = &out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", "", err
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		return "", "", err
	}
	if err := cmd.Start(); err != nil {
		return "", "", err
	}
	var errBuf bytes.Buffer
	urls := make(chan string, 1)
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(errPipe)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			errBuf.WriteString(line + "\n")
			if m := authorizeLine.FindStringSubmatch(line); m != nil && !sent {
				urls <- m[1]
				sent = true
			}
		}
		if !sent {
			close(urls)
		}
	}()
	var pasteErr error
	select {
	case u, ok := <-urls:
		if !ok {
			pasteErr = errors.New("mp printed no authorize URL on stderr")
			break
		}
		var redirect string
		if redirect, pasteErr = followOnce(ctx, u); pasteErr == nil {
			_, pasteErr = io.WriteString(stdin, redirect+"\n")
		}
	case <-ctx.Done():
		pasteErr = errors.New("no authorize URL within 60 s")
	}
	_ = stdin.Close()
	<-copied
	waitErr := cmd.Wait()
	if pasteErr != nil {
		return out.String(), errBuf.String(), pasteErr
	}
	return out.String(), errBuf.String(), waitErr
}

// followOnce requests u and returns the Location of its redirect.
func followOnce(ctx context.Context, u string) (string, error) {
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || loc == "" {
		return "", fmt.Errorf("GET authorize URL: %s, Location %q (want a 302 to the callback)", resp.Status, loc)
	}
	return loc, nil
}

// TestChromiumConditionFailsOnCI: without chromium the [chromium]
// condition is false (the script skips with a message naming the package)
// — but with CI=true it is an error, so CI never skips the browser tests.
func TestChromiumConditionFailsOnCI(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no chromium here
	t.Setenv("CI", "")
	if ok, err := scriptCondition("chromium"); ok || err != nil {
		t.Fatalf("without chromium, CI unset: %v, %v; want false, nil", ok, err)
	}
	t.Setenv("CI", "true")
	ok, err := scriptCondition("chromium")
	if ok || err == nil || !strings.Contains(err.Error(), `"chromium"`) {
		t.Fatalf("without chromium, CI=true: %v, %v; want an error naming the package", ok, err)
	}
	if _, err := scriptCondition("nonsense"); err == nil {
		t.Error("an unknown condition is accepted")
	}
}
