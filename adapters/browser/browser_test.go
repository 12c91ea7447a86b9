//go:build unix

package browser_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/browser"
	"github.com/mpdata/mp/domain"
)

// fakeCommand writes a script that records its arguments, one per line,
// in out (then, when hold is set, stays alive until release appears).
func fakeCommand(t *testing.T, dir, name string) (script, out, release string) {
	t.Helper()
	script = filepath.Join(dir, name)
	out = filepath.Join(dir, name+".args")
	release = filepath.Join(dir, name+".release")
	body := "#!/bin/sh\n" +
		"for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + out + ".tmp'\n" +
		"mv '" + out + ".tmp' '" + out + "'\n" +
		"echo 'noise on stdout'\necho 'noise on stderr' >&2\n" +
		// Held until the release file appears — or the test's directory
		// goes away (its cleanup may remove it between two polls: the
		// command must not outlive the test).
		"if [ -n \"$HOLD\" ]; then while [ ! -e '" + release + "' ] && [ -d '" + dir + "' ]; do sleep 0.05; done; fi\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, out, release
}

// waitArgs waits for the fake command's argument file.
func waitArgs(t *testing.T, out string) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, err := os.ReadFile(out)
		if err == nil {
			return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser command never ran (no %s)", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// url has characters a shell would act on.
const url = "http://127.0.0.1:8765/oauth/authorize/?response_type=code&client_id=a b&state=$(touch /tmp/pwned)&x=`id`;y"

func TestCommandGetsURLAsLastArgumentWithoutShell(t *testing.T) {
	dir := t.TempDir()
	script, out, _ := fakeCommand(t, dir, "launcher")
	b := browser.New("  " + script + "   --new-window  --profile=x  ")
	if got, want := b.Command(), []string{script, "--new-window", "--profile=x"}; !slices.Equal(got, want) {
		t.Fatalf("Command() = %q; want %q", got, want)
	}
	if err := b.Open(url); err != nil {
		t.Fatalf("Open: %v", err)
	}
	got := waitArgs(t, out)
	want := []string{"--new-window", "--profile=x", url}
	if !slices.Equal(got, want) {
		t.Fatalf("the command got %q; want %q", got, want)
	}
}

func TestCommandIsDetached(t *testing.T) {
	dir := t.TempDir()
	script, out, release := fakeCommand(t, dir, "slow")
	t.Setenv("HOLD", "1")
	t.Cleanup(func() { _ = os.WriteFile(release, nil, 0o600) })
	b := browser.New(script)
	if err := b.Open("http://localhost:1/x"); err != nil {
		t.Fatalf("Open: %v", err)
	}
	// Open returned while the command is still running: it waits for the
	// release file, which only appears now.
	waitArgs(t, out)
	if _, err := os.Stat(release); err == nil {
		t.Fatal("the release file exists before the test wrote it")
	}
	if err := os.WriteFile(release, nil, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestMissingCommandIsBrowserError(t *testing.T) {
	b := browser.New(filepath.Join(t.TempDir(), "no-such-browser") + " --flag")
	err := b.Open("http://localhost:1/x")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeOAuthBrowserError {
		t.Fatalf("Open with a missing command: %v; want OAUTH_BROWSER_ERROR", err)
	}
	if !strings.Contains(de.Message, "no-such-browser") || !strings.Contains(de.Message, "MP_BROWSER") {
		t.Fatalf("message %q does not name the command and MP_BROWSER", de.Message)
	}
	if strings.Contains(err.Error(), "localhost:1/x") {
		t.Fatalf("the error quotes the URL: %v", err)
	}
}

// TestEmptyCommandUsesSystemOpener puts a fake xdg-open first on PATH and
// checks that New("") hands it the URL.
func TestEmptyCommandUsesSystemOpener(t *testing.T) {
	skipUnlessLinux(t)
	dir := t.TempDir()
	_, out, _ := fakeCommand(t, dir, "xdg-open")
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	for _, cmd := range []string{"", "   "} {
		_ = os.Remove(out)
		b := browser.New(cmd)
		if b.Command() != nil {
			t.Fatalf("New(%q).Command() = %q; want nil (the system browser)", cmd, b.Command())
		}
		if err := b.Open(url); err != nil {
			t.Fatalf("Open: %v", err)
		}
		if got := waitArgs(t, out); !slices.Equal(got, []string{url}) {
			t.Fatalf("xdg-open got %q; want the URL alone", got)
		}
	}
}

func TestSystemOpenerMissingIsBrowserError(t *testing.T) {
	skipUnlessLinux(t)
	t.Setenv("PATH", t.TempDir())
	err := browser.New("").Open("http://localhost:1/x")
	if !errors.Is(err, domain.CodeOAuthBrowserError) {
		t.Fatalf("Open without any opener on PATH: %v; want OAUTH_BROWSER_ERROR", err)
	}
}

// skipUnlessLinux skips tests that fake xdg-open, the opener
// github.com/cli/browser runs on Linux only.
func skipUnlessLinux(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the fake system opener is xdg-open, which github.com/cli/browser runs on Linux only")
	}
}
