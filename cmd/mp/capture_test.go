package main

// Output capture for the secret-hygiene check: every mp process a script
// (or a Go test of this package) starts writes a copy of its stdout and
// stderr, with its arguments, into the directory named by captureEnv. When
// the script ends, scanCaptures reads every capture and fails the test if a
// seeded secret appears in it — except on the stdout of `mp account token`,
// whose job is to print the token.

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mpdata/mp/cmd/internal/cli"
	"github.com/mpdata/mp/mptest"
)

// captureEnv names the directory mp processes copy their output into.
const captureEnv = "E2E_CAPTURE_DIR"

// runMP is the `mp` program of the tests: cli.Main, with its output copied
// into $E2E_CAPTURE_DIR when that is set.
func runMP() int {
	dir := os.Getenv(captureEnv)
	if dir == "" {
		return cli.Main()
	}
	finish, err := startCapture(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e capture: %v\n", err)
		return 1
	}
	code := cli.Main()
	finish()
	return code
}

// capturedRun is one capture: the arguments and the two streams.
type capturedRun struct {
	Args   []string `json:"args"`
	Stdout string   `json:"-"`
	Stderr string   `json:"-"`
	base   string
}

// startCapture replaces os.Stdout and os.Stderr by pipes whose contents go
// both to the original streams and to files in dir. finish closes the
// pipes and waits until everything is copied.
func startCapture(dir string) (finish func(), err error) {
	f, err := os.CreateTemp(dir, "run-*.json")
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(f.Name(), ".json")
	if err := json.NewEncoder(f).Encode(capturedRun{Args: os.Args[1:]}); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	var closers []func()
	tee := func(orig **os.File, suffix string) error {
		out, err := os.Create(base + suffix)
		if err != nil {
			return err
		}
		r, w, err := os.Pipe()
		if err != nil {
			out.Close()
			return err
		}
		real := *orig
		*orig = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = io.Copy(io.MultiWriter(real, out), r)
			out.Close()
			r.Close()
		}()
		closers = append(closers, func() {
			w.Close()
			*orig = real
		})
		return nil
	}
	if err := tee(&os.Stdout, ".stdout"); err != nil {
		return nil, err
	}
	if err := tee(&os.Stderr, ".stderr"); err != nil {
		closers[0]()
		wg.Wait()
		return nil, err
	}
	return func() {
		for _, c := range closers {
			c()
		}
		wg.Wait()
	}, nil
}

// readCaptures returns every capture in dir.
func readCaptures(dir string) ([]capturedRun, error) {
	metas, err := filepath.Glob(filepath.Join(dir, "run-*.json"))
	if err != nil {
		return nil, err
	}
	runs := make([]capturedRun, 0, len(metas))
	for _, m := range metas {
		var run capturedRun
		b, err := os.ReadFile(m)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &run); err != nil {
			return nil, fmt.Errorf("%s: %w", m, err)
		}
		run.base = strings.TrimSuffix(m, ".json")
		for suffix, dst := range map[string]*string{".stdout": &run.Stdout, ".stderr": &run.Stderr} {
			b, err := os.ReadFile(run.base + suffix)
			if err != nil {
				return nil, err
			}
			*dst = string(b)
		}
		runs = append(runs, run)
	}
	return runs, nil
}

// isTokenCommand reports whether args run `mp account token`, the one
// command whose stdout is the bearer itself.
func isTokenCommand(args []string) bool {
	for i := 0; i+1 < len(args); i++ {
		if args[i] == "account" && args[i+1] == "token" {
			return true
		}
	}
	return false
}

// seededSecrets are the credentials of the sandbox and of the scripts that
// no mp output may contain.
func seededSecrets() []string {
	return []string{
		mptest.DemoSecret, mptest.DemoEUSecret, mptest.DemoINSecret, mptest.DemoNoDetailsSecret,
		mptest.DemoToken, mptest.DemoEUToken,
	}
}

// sandboxOAuthArtefact matches the sandbox's access tokens, refresh tokens
// and authorization codes, whatever their random part.
var sandboxOAuthArtefact = regexp.MustCompile(`sbx_(at|rt|code)_[A-Za-z0-9_-]+`)

// leaksIn returns a description of every secret (or sandbox OAuth
// artefact) found in the captures; extra are more literals to look for.
func leaksIn(runs []capturedRun, extra []string) []string {
	secrets := append(seededSecrets(), extra...)
	var leaks []string
	for _, run := range runs {
		streams := []struct{ name, text string }{{"stderr", run.Stderr}}
		if !isTokenCommand(run.Args) {
			streams = append(streams, struct{ name, text string }{"stdout", run.Stdout})
		}
		for _, s := range streams {
			for _, secret := range secrets {
				if secret != "" && strings.Contains(s.text, secret) {
					leaks = append(leaks, fmt.Sprintf("mp %s: %s holds the secret %q", strings.Join(run.Args, " "), s.name, secret))
				}
			}
			if m := sandboxOAuthArtefact.FindString(s.text); m != "" {
				leaks = append(leaks, fmt.Sprintf("mp %s: %s holds the sandbox OAuth token or code %q", strings.Join(run.Args, " "), s.name, m))
			}
		}
	}
	slices.Sort(leaks)
	return slices.Compact(leaks)
}

// checkCaptures fails t when a capture in dir leaks a secret; it also
// fails when there is nothing to check (min captures at least).
func checkCaptures(t testing.TB, dir string, extra []string, minRuns int) {
	t.Helper()
	runs, err := readCaptures(dir)
	if err != nil {
		t.Fatalf("read the captured outputs: %v", err)
	}
	if len(runs) < minRuns {
		t.Fatalf("secret hygiene: %d captured mp runs in %s, want at least %d (is the capture wired?)", len(runs), dir, minRuns)
	}
	if leaks := leaksIn(runs, extra); len(leaks) > 0 {
		t.Errorf("secret hygiene: %d leaks in %d captured mp runs:\n  %s", len(leaks), len(runs), strings.Join(leaks, "\n  "))
	}
}

func TestLeaksIn(t *testing.T) {
	const tok = "sbx_at_AbC-123_xyz"
	tests := []struct {
		name string
		runs []capturedRun
		want int
	}{
		{"clean", []capturedRun{{Args: []string{"account", "list"}, Stdout: "NAME\n", Stderr: ""}}, 0},
		{"a seeded secret on stderr", []capturedRun{{Args: []string{"account", "add"}, Stderr: "Error: " + mptest.DemoSecret}}, 1},
		{"a sandbox token on stdout", []capturedRun{{Args: []string{"project", "list"}, Stdout: tok}}, 1},
		{"a refresh token anywhere", []capturedRun{{Args: []string{"login"}, Stderr: "sbx_rt_q"}}, 1},
		{"an authorization code", []capturedRun{{Args: []string{"login"}, Stderr: "code=sbx_code_Z"}}, 1},
		{"mp account token prints the token", []capturedRun{{Args: []string{"account", "token", "p"}, Stdout: tok + "\n"}}, 0},
		{"…with global flags first", []capturedRun{{Args: []string{"--debug", "account", "token"}, Stdout: mptest.DemoToken + "\n"}}, 0},
		{"…but never on its stderr", []capturedRun{{Args: []string{"account", "token"}, Stderr: tok}}, 1},
		{"an extra literal", []capturedRun{{Args: []string{"x"}, Stderr: "hunter2-extra"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := leaksIn(tt.runs, []string{"hunter2-extra"}); len(got) != tt.want {
				t.Errorf("leaks = %q, want %d", got, tt.want)
			}
		})
	}
}

// TestCaptureRoundTrip: a capture written by startCapture is read back by
// readCaptures with its arguments and both streams.
func TestCaptureRoundTrip(t *testing.T) {
	dir := t.TempDir()
	oldArgs := os.Args
	os.Args = []string{"mp", "account", "token"}
	defer func() { os.Args = oldArgs }()
	// Keep the test's own output clean: the capture also writes to the
	// original streams, which are redirected to /dev/null here.
	devnull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	origOut, origErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = devnull, devnull
	finish, err := startCapture(dir)
	if err != nil {
		os.Stdout, os.Stderr = origOut, origErr
		t.Fatal(err)
	}
	fmt.Fprint(os.Stdout, "out-text\n")
	fmt.Fprint(os.Stderr, "err-text\n")
	finish()
	os.Stdout, os.Stderr = origOut, origErr
	runs, err := readCaptures(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Stdout != "out-text\n" || runs[0].Stderr != "err-text\n" ||
		strings.Join(runs[0].Args, " ") != "account token" {
		t.Fatalf("captures = %+v", runs)
	}
}
