//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/mpdata/mp/mptest"
)

// ttyRun is one run of mp against a sandbox whose /me first answers 503,
// then answers after a delay — a slow, flaky Mixpanel.
type ttyRun struct {
	srv  *mptest.Server
	home string
	mp   string
}

func newTTYRun(t *testing.T) *ttyRun {
	t.Helper()
	mp, err := exec.LookPath("mp") // the test binary as mp (testscript.Main)
	if err != nil {
		t.Fatal(err)
	}
	r := &ttyRun{srv: mptest.NewServer(t), home: t.TempDir(), mp: mp}
	sa := mptest.DemoServiceAccount()
	cfg := fmt.Sprintf("[active]\naccount = \"team\"\n\n[accounts.team]\ntype = \"service_account\"\nregion = %q\nusername = %q\nsecret = %q\ndefault_project = \"%d\"\n",
		sa.Region, sa.Username, sa.Secret, sa.Projects[0])
	if err := os.MkdirAll(filepath.Join(r.home, ".mp"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r.home, ".mp", "config.toml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return r
}

// flaky makes the next /me a 503, then a 1.5 s wait before the answer.
func (r *ttyRun) flaky() {
	r.srv.Inject(mptest.RouteMe, mptest.ServerError(503), mptest.Delay(1500*time.Millisecond))
}

func (r *ttyRun) cmd(args ...string) *exec.Cmd {
	cmd := exec.Command(r.mp, args...)
	cmd.Env = []string{
		"HOME=" + r.home, "PATH=" + os.Getenv("PATH"), "TERM=xterm",
		"MP_API_BASE_URL=" + r.srv.RegionURL(),
	}
	return cmd
}

// onTTY runs mp with stdin, stdout and stderr on a pseudo-terminal and
// returns everything the terminal received.
func (r *ttyRun) onTTY(t *testing.T, args ...string) string {
	t.Helper()
	return r.onTTYWith(t, nil, args...)
}

// onTTYFailing is onTTY for a run that must fail.
func (r *ttyRun) onTTYFailing(t *testing.T, args ...string) string {
	t.Helper()
	return r.run(t, nil, false, args...)
}

// onTTYWith is onTTY with mod applied to the command first.
func (r *ttyRun) onTTYWith(t *testing.T, mod func(*exec.Cmd), args ...string) string {
	t.Helper()
	return r.run(t, mod, true, args...)
}

func (r *ttyRun) run(t *testing.T, mod func(*exec.Cmd), succeed bool, args ...string) string {
	t.Helper()
	cmd := r.cmd(args...)
	if mod != nil {
		mod(cmd)
	}
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 100, Rows: 40})
	if err != nil {
		t.Fatalf("start mp on a pty: %v", err)
	}
	defer f.Close()
	var out bytes.Buffer
	_, err = io.Copy(&out, f)
	if err != nil && !errors.Is(err, syscall.EIO) { // EIO: the other side closed
		t.Fatalf("read the pty: %v", err)
	}
	if err := cmd.Wait(); (err == nil) != succeed {
		t.Fatalf("mp %s: %v\n%s", strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

// TestSpinnerAndRetryOnATerminal: on a terminal, a slow call shows a
// spinner saying what is fetched, and a retry prints why and when; the
// table still arrives, and the spinner's line is erased before it.
func TestSpinnerAndRetryOnATerminal(t *testing.T) {
	r := newTTYRun(t)
	r.flaky()
	out := r.onTTY(t, "project", "list")
	if os.Getenv("MP_SHOW_TTY") != "" {
		t.Logf("%q", out)
	}
	for _, want := range []string{
		"Mixpanel answered 503; retrying in ",
		"(attempt 2 of 4)",
		"Fetching the projects account team can see…",
		"\r\x1b[K", // the spinner erased
		"AI Demo",  // the table
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the terminal did not show %q:\n%q", want, out)
		}
	}
	if i, j := strings.LastIndex(out, "\r\x1b[K"), strings.Index(out, "AI Demo"); i > j {
		t.Errorf("the spinner was erased after the table was printed:\n%q", out)
	}
}

// TestNoSpinnerWhenPipedQuietOrJSON: with stderr not a terminal, with
// --quiet, or with --format json, the same slow and flaky call shows no
// spinner and no retry line.
func TestNoSpinnerWhenPipedQuietOrJSON(t *testing.T) {
	r := newTTYRun(t)

	r.flaky()
	cmd := r.cmd("project", "list")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("mp project list (piped): %v\n%s", err, stderr.String())
	}
	if stderr.Len() != 0 || !strings.Contains(stdout.String(), "AI Demo") {
		t.Errorf("piped: stderr %q (want nothing), stdout %q", stderr.String(), stdout.String())
	}

	for _, args := range [][]string{{"project", "list", "--quiet"}, {"project", "list", "--format", "json"}} {
		r.flaky()
		out := r.onTTY(t, args...)
		if strings.Contains(out, "retrying") || strings.Contains(out, "Fetching") || strings.Contains(out, "\r\x1b[K") {
			t.Errorf("mp %s on a terminal showed progress:\n%q", strings.Join(args, " "), out)
		}
		if !strings.Contains(out, "AI Demo") {
			t.Errorf("mp %s: no projects in\n%q", strings.Join(args, " "), out)
		}
	}
}

// TestColourOnATerminalOnly: on a terminal the active marker is green and
// "Error:" red; with NO_COLOR, or piped, there is no escape code at all.
func TestColourOnATerminalOnly(t *testing.T) {
	r := newTTYRun(t)
	out := r.onTTY(t, "account", "list")
	if !strings.Contains(out, "\x1b[32m*\x1b[0m") {
		t.Errorf("account list on a terminal: no green marker:\n%q", out)
	}
	out = r.onTTYFailing(t, "account", "show", "nosuch")
	if !strings.Contains(out, "\x1b[31mError:\x1b[0m") {
		t.Errorf("a failure on a terminal: no red Error:\n%q", out)
	}

	noColor := func(cmd *exec.Cmd) { cmd.Env = append(cmd.Env, "NO_COLOR=1") }
	for _, args := range [][]string{{"account", "list"}, {"account", "show", "nosuch"}} {
		out := r.run(t, noColor, args[1] == "list", args...)
		if strings.Contains(out, "\x1b[3") {
			t.Errorf("mp %s with NO_COLOR: colour in\n%q", strings.Join(args, " "), out)
		}
		cmd := r.cmd(args...)
		piped, _ := cmd.CombinedOutput()
		if bytes.Contains(piped, []byte("\x1b")) {
			t.Errorf("mp %s piped: escape code in\n%q", strings.Join(args, " "), piped)
		}
	}
}

// TestAPIOnATerminal: `mp api` indents a JSON body and ends it with a
// newline on a terminal; piped, it prints the body byte for byte.
func TestAPIOnATerminal(t *testing.T) {
	r := newTTYRun(t)
	out := r.onTTY(t, "api", "/api/app/me")
	if !strings.Contains(out, "{\r\n  \"") || !strings.HasSuffix(out, "}\r\n") {
		t.Errorf("mp api on a terminal: not indented JSON ending with a newline:\n%q", out)
	}
	piped, err := r.cmd("api", "/api/app/me").Output()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(piped, []byte("\n  \"")) || !json.Valid(piped) {
		t.Errorf("mp api piped: not the compact body as it came:\n%q", piped)
	}
}
