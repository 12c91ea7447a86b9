package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/exitcode"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

// failing returns a builder whose app cannot be built: every command that
// needs the app fails with err.
func failing(err error) func(*zap.Logger) (*app.App, error) {
	return func(*zap.Logger) (*app.App, error) { return nil, err }
}

func runWith(t *testing.T, build func(*zap.Logger) (*app.App, error), args ...string) result {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	code := Run(context.Background(), append([]string{"mp"}, args...), ios, inmem.Env{}, build)
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

func TestExitCodeForEveryDomainCode(t *testing.T) {
	for _, c := range domain.Codes() {
		t.Run(string(c), func(t *testing.T) {
			e := domain.NewError(c, "it failed in %s", "place").WithDetail("where", "here").WithHint("do the fix")
			r := runWith(t, failing(fmt.Errorf("context: %w", e)), "account", "list", "-f", "json")
			if want := exitcode.ForCode(c); r.code != want {
				t.Errorf("exit %d, want %d", r.code, want)
			}
			// One line and its fix; the details are in the JSON object
			// (and on stderr with --debug).
			wantErr := "Error: context: it failed in place\nhint: do the fix\n"
			if r.stderr != wantErr {
				t.Errorf("stderr = %q, want %q", r.stderr, wantErr)
			}
			if d := runWith(t, failing(fmt.Errorf("context: %w", e)), "account", "list", "--debug"); !strings.Contains(d.stderr, "  where: here\n") {
				t.Errorf("--debug stderr = %q, want the details", d.stderr)
			}
			var got struct {
				Error struct {
					Code    string         `json:"code"`
					Message string         `json:"message"`
					Details map[string]any `json:"details"`
					Hint    string         `json:"hint"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, r.stdout)
			}
			if got.Error.Code != string(c) || got.Error.Message != "context: it failed in place" ||
				got.Error.Details["where"] != "here" || got.Error.Hint != "" {
				t.Errorf("json error = %+v", got.Error)
			}
		})
	}
}

func TestExitCodes(t *testing.T) {
	w := newWorld(fixture(t), nil)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"ok", []string{"account", "list"}, 0},
		{"help", []string{"--help"}, 0},
		{"no arguments shows help", nil, 0},
		{"account in use", []string{"account", "remove", "team"}, 1},
		{"account exists", []string{"account", "add", "team", "--type", "oauth_browser", "--region", "us"}, 1},
		{"unknown flag", []string{"account", "list", "--bogus"}, 3},
		{"unknown global flag before the command", []string{"--bogus", "account", "list"}, 3},
		{"flag without value", []string{"account", "list", "-f"}, 3},
		{"unknown command", []string{"frobnicate"}, 3},
		{"unknown subcommand", []string{"account", "frobnicate"}, 3},
		{"missing argument", []string{"account", "use"}, 3},
		{"extra argument", []string{"account", "list", "x"}, 3},
		{"bad format", []string{"account", "list", "-f", "yaml"}, 3},
		{"target with account", []string{"-t", "ecom", "session", "-a", "team"}, 3},
		{"account not found", []string{"account", "show", "ghost"}, 4},
		{"target not found", []string{"target", "remove", "ghost"}, 4},
		{"unknown account via flag", []string{"session", "-a", "ghost"}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := w.run(t, "", tt.args...)
			if r.code != tt.code {
				t.Errorf("mp %q → %d, want %d\nstdout: %s\nstderr: %s", tt.args, r.code, tt.code, r.stdout, r.stderr)
			}
			if r.code != 0 && !strings.HasPrefix(r.stderr, "Error: ") {
				t.Errorf("stderr does not start with 'Error: ': %q", r.stderr)
			}
			if r.code == 3 && !strings.Contains(r.stderr, "\nhint: ") {
				t.Errorf("usage error without a hint: %q", r.stderr)
			}
		})
	}
	envWorld := newWorld(fixture(t), map[string]string{"MP_ACCOUNT": "team", "MP_TARGET": "ecom"})
	if r := envWorld.run(t, "", "session"); r.code != 3 || !strings.Contains(r.stderr, "MP_TARGET") {
		t.Errorf("MP_TARGET with MP_ACCOUNT: %d %q", r.code, r.stderr)
	}
	// Env-only values never conflict with --target.
	envWorld = newWorld(fixture(t), map[string]string{"MP_PROJECT_ID": "1"})
	if r := envWorld.run(t, "", "-t", "ecom", "session", "-f", "plain"); r.code != 0 {
		t.Errorf("MP_PROJECT_ID with -t: %d %q", r.code, r.stderr)
	}
}

func TestUsageErrorJSON(t *testing.T) {
	w := newWorld(fixture(t), nil)
	// The parser fails before the command reads --format: the error is
	// still reported as JSON because --format json is on the command line.
	r := w.run(t, "", "--format", "json", "account", "add", "x", "--secret", "hunter2")
	if r.code != 3 {
		t.Fatalf("exit %d", r.code)
	}
	var got map[string]map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("stdout %q: %v", r.stdout, err)
	}
	if got["error"]["code"] != "INVALID_ARGUMENT" || got["error"]["details"].(map[string]any)["flag"] != "--secret" || len(got["error"]) != 3 {
		t.Errorf("json = %v", got)
	}
	if strings.Contains(r.stdout+r.stderr, "hunter2") {
		t.Error("the rejected secret was printed")
	}
	// jsonl: one compact line.
	r = w.run(t, "", "account", "show", "ghost", "-f", "jsonl")
	if r.code != 4 || strings.Count(r.stdout, "\n") != 1 || !strings.HasPrefix(r.stdout, `{"error":{"code":"ACCOUNT_NOT_FOUND"`) {
		t.Errorf("jsonl error: %d %q", r.code, r.stdout)
	}
	// table, csv and plain print nothing on stdout.
	for _, f := range []string{"table", "csv", "plain"} {
		if r := w.run(t, "", "account", "show", "ghost", "-f", f); r.stdout != "" {
			t.Errorf("%s: stdout %q", f, r.stdout)
		}
	}
}

func TestErrorDetailsLayout(t *testing.T) {
	w := newWorld(domain.Config{}, nil)
	// By default: the message and the hint, nothing else.
	if r := w.run(t, "", "session"); r.code != 1 || strings.Count(r.stderr, "\n") != 2 ||
		!strings.HasPrefix(r.stderr, "Error: no account configured\nhint: ") {
		t.Errorf("default: exit %d stderr:\n%s", r.code, r.stderr)
	}
	// With --debug the details follow the message.
	r := w.run(t, "", "session", "--debug")
	want := "" +
		"Error: no account configured\n" +
		"  fixes:\n" +
		"    - export MP_USERNAME, MP_SECRET, MP_PROJECT_ID and MP_REGION (service account)\n"
	if r.code != 1 || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "\nhint: ") {
		t.Errorf("exit %d stderr:\n%s", r.code, r.stderr)
	}
}

func TestDebugCauseChain(t *testing.T) {
	cause := errors.New("open /x/config.toml: permission denied")
	e := domain.NewError(domain.CodeConfigError, "cannot read the config").WithCause(cause)
	r := runWith(t, failing(fmt.Errorf("build app: %w", e)), "--debug", "account", "list")
	if r.code != 1 {
		t.Fatalf("exit %d", r.code)
	}
	for _, want := range []string{
		"Error: build app: cannot read the config: open /x/config.toml: permission denied\n",
		"debug: cause chain:\n",
		"  1. *fmt.wrapError: build app:",
		"  2. *domain.Error: cannot read the config:",
		"  3. *errors.errorString: open /x/config.toml: permission denied\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	r = runWith(t, failing(fmt.Errorf("build app: %w", e)), "account", "list")
	if strings.Contains(r.stderr, "cause chain") {
		t.Errorf("cause chain without --debug:\n%s", r.stderr)
	}
}

func TestInterrupted(t *testing.T) {
	w := newWorld(fixture(t), nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ios, _, out, errOut := iostreams.Test()
	code := Run(ctx, []string{"mp", "account", "list", "-f", "json"}, ios, w.env, w.builder())
	if code != exitcode.Interrupted {
		t.Errorf("exit %d, want 130", code)
	}
	if !strings.HasPrefix(errOut.String(), "Error: interrupted\n") || !strings.Contains(out.String(), `"code": "INTERRUPTED"`) {
		t.Errorf("stderr %q stdout %q", errOut.String(), out.String())
	}
}

func TestSecretNeverPrinted(t *testing.T) {
	const added = "added-secret-0b5d-NEVER-PRINT"
	w := newWorld(fixture(t), map[string]string{"MP_CI_TOKEN": "tok-NEVER-PRINT"})
	runs := [][]string{
		{"account", "add", "svc", "--type", "service_account", "--region", "eu", "--username", "u", "--secret-stdin", "--no-verify"},
		{"account", "add", "svc", "--type", "service_account", "--region", "eu", "--username", "u", "--secret-stdin", "--no-verify"}, // exists
		{"account", "update", "svc", "--secret-stdin", "--region", "us"},
		{"account", "update", "svc", "--token-stdin"}, // wrong type
	}
	var all strings.Builder
	for _, args := range runs {
		for _, f := range []string{"table", "json"} {
			r := w.run(t, added+"\n", append(args, "--debug", "-f", f)...)
			all.WriteString(r.stdout + r.stderr)
		}
	}
	for _, args := range [][]string{
		{"account", "list"},
		{"account", "show", "team"},
		{"account", "show", "svc"},
		{"session", "--explain"},
		{"session", "-a", "svc"},
		{"target", "list"},
		{"account", "show", "ghost"},
		{"project", "show"},
		{"workspace", "show"},
	} {
		for _, f := range []string{"table", "json", "jsonl", "csv", "plain"} {
			r := w.run(t, "", append(args, "--debug", "-f", f)...)
			all.WriteString(r.stdout + r.stderr)
		}
	}
	for _, s := range []string{fixtureSecret, added, "tok-NEVER-PRINT"} {
		if strings.Contains(all.String(), s) {
			t.Errorf("output contains the secret %q", s)
		}
	}
	if !strings.Contains(all.String(), "DEBUG") {
		t.Error("--debug produced no log line; the scan is not meaningful")
	}
	cfg, _ := w.store.Load(context.Background())
	if a, err := cfg.LookupAccount("svc"); err != nil || a.Secret.Reveal() != added {
		t.Errorf("svc not stored with the secret: %v", err)
	}
}

func TestQuietAndNotes(t *testing.T) {
	w := newWorld(domain.Config{}, nil)
	if r := w.run(t, "", "account", "list"); r.stderr == "" || r.stdout != "" {
		t.Errorf("empty list: stdout %q stderr %q", r.stdout, r.stderr)
	}
	if r := w.run(t, "", "--quiet", "account", "list", "-f", "json"); r.stderr != "" || r.stdout != "[]\n" {
		t.Errorf("quiet: stdout %q stderr %q", r.stdout, r.stderr)
	}
	r := w.run(t, "", "account", "add", "first", "--type", "oauth_browser", "--region", "eu")
	if r.code != 0 || r.stdout != "Added account 'first' (oauth_browser, eu). Set as active.\n" {
		t.Errorf("add: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestFileBackendNeedsHome(t *testing.T) {
	build := FileBackend(inmem.Env{}, func() (string, error) { return "", errors.New("$HOME is not defined") })
	_, err := build(zap.NewNop())
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeConfigError || !strings.Contains(de.Hint, "HOME") {
		t.Fatalf("err = %v", err)
	}
	r := runWith(t, build, "account", "list")
	if r.code != 1 || !strings.Contains(r.stderr, "home directory") {
		t.Errorf("exit %d stderr %q", r.code, r.stderr)
	}
	// Commands that need no app still work.
	if r := runWith(t, build, "version", "-f", "plain"); r.code != 0 {
		t.Errorf("version: %d %q", r.code, r.stderr)
	}
}

func TestScanArgs(t *testing.T) {
	tests := []struct {
		args   []string
		format string
		debug  bool
	}{
		{[]string{"mp", "-f", "json", "x"}, "json", false},
		{[]string{"mp", "--format=jsonl", "--debug"}, "jsonl", true},
		{[]string{"mp", "-f", "bogus"}, "", false},
		{[]string{"mp", "--", "-f", "json", "--debug"}, "", false},
		{[]string{"mp", "-f", "json", "-f", "csv"}, "csv", false},
	}
	for _, tt := range tests {
		f, d := scanArgs(tt.args)
		if string(f) != tt.format || d != tt.debug {
			t.Errorf("scanArgs(%q) = %q, %v", tt.args, f, d)
		}
	}
}

// TestDetailsArePrintable: a raw error body (bytes) is shown as text, not
// as a list of numbers; control characters from the server cannot reach
// the terminal; a huge body is cut.
func TestDetailsArePrintable(t *testing.T) {
	var b strings.Builder
	writeDetails(&b, map[string]any{
		"body":      json.RawMessage(`{"error":"nope"}`),
		"raw":       []byte("plain"),
		"api_error": "bad\x1b[31mred",
		"huge":      strings.Repeat("x", 5000),
	})
	out := b.String()
	for _, want := range []string{`body: {"error":"nope"}`, "raw: plain", "api_error: bad [31mred"} {
		if !strings.Contains(out, want) {
			t.Errorf("details lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") || strings.Contains(out, strings.Repeat("x", 2001)) {
		t.Errorf("details keep an escape or an uncut value:\n%s", out)
	}
}
