package main

// End-to-end tests: every script in testdata/script runs the real mp
// program as a separate process (the test binary re-executes itself as `mp`)
// with a temporary HOME and a clean environment.
//
//	go test ./mp/ -run TestScripts            # all scripts
//	go test ./mp/ -run TestScripts/session     # one script
//	go test ./mp/ -run TestScripts -update     # rewrite cmp'd golden sections

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/rogpeppe/go-internal/testscript"
)

var updateScripts = flag.Bool("update", false, "rewrite the golden sections of the testscript files")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mp":            func() { os.Exit(runMP()) },
		"keychain-item": func() { os.Exit(keychainItem()) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		Setup:         withBus(setupEnv),
		Condition:     withKeyring(scriptCondition),
		UpdateScripts: *updateScripts,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exitcode":        cmdExitCode,
			"out":             cmdOut,
			"noleak":          cmdNoLeak,
			"perm":            cmdPerm,
			"mkfifo":          cmdMkfifo,
			"bigfile":         cmdBigFile,
			"ls":              cmdLs,
			"concurrent-add":  cmdConcurrentAdd,
			"interrupt":       cmdInterrupt,
			"json-eq":         cmdJSONEq,
			"json-keys":       cmdJSONKeys,
			"json-len":        cmdJSONLen,
			"json-type":       cmdJSONType,
			"jsonl-valid":     cmdJSONLValid,
			"csv-valid":       cmdCSVValid,
			"toml-valid":      cmdTOMLValid,
			"toml-keys":       cmdTOMLKeys,
			"sandbox":         cmdSandbox,
			"sandbox-count":   cmdSandboxCount,
			"sandbox-reset":   cmdSandboxReset,
			"sandbox-request": cmdSandboxRequest,
			"sandbox-fault":   cmdSandboxFault,
			"sandbox-header":  cmdSandboxHeader,
			"json-sum":        cmdJSONSum,
			"secret":          cmdSecret,
			"secret-scan":     cmdSecretScan,
			"sandbox-tokens":  cmdSandboxTokens,
			"sandbox-revoke":  cmdSandboxRevoke,
			"chromium":        cmdChromium,
			"chromium-kill":   cmdChromiumKill,
			"paste-login":     cmdPasteLogin,
			"no-file-holds":   cmdNoFileHolds,
			"hung-bus":        cmdHungBus,
			"redirector":      cmdRedirector,
		},
	})
}

// setupEnv gives every script its own HOME ($WORK/home, mode 0700), no MP_*
// variable from the outside world, and no colour.
func setupEnv(env *testscript.Env) error {
	home := filepath.Join(env.WorkDir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		return err
	}
	if err := os.Chmod(home, 0o700); err != nil {
		return err
	}
	vars := env.Vars[:0]
	for _, kv := range env.Vars {
		if !strings.HasPrefix(kv, "MP_") {
			vars = append(vars, kv)
		}
	}
	env.Vars = vars
	env.Setenv("HOME", home)
	env.Values[sandboxKey{}] = &sandboxHolder{}
	env.Setenv("NO_COLOR", "1")
	env.Setenv("TERM", "dumb")
	env.Setenv("GORACE", raceOptions())
	// Every mp run of the script copies its output here; when the script
	// ends, no capture may hold a seeded secret (capture_test.go).
	capture := filepath.Join(env.WorkDir, ".e2e-capture")
	if err := os.Mkdir(capture, 0o700); err != nil {
		return err
	}
	env.Setenv(captureEnv, capture)
	h := &hygiene{}
	env.Values[hygieneKey{}] = h
	env.Defer(func() {
		if t, ok := env.T().(testing.TB); ok {
			checkCaptures(t, capture, h.secrets(), 0)
		}
	})
	return nil
}

// raceOptions is GORACE for the mp processes of the tests: the caller's
// options plus atexit_sleep_ms=0. Under `go test -race` every mp process
// is a race-enabled binary, which by default sleeps 1 s before exiting;
// with hundreds of mp runs that second dominated the suite's time.
func raceOptions() string {
	opts := os.Getenv("GORACE")
	if strings.Contains(opts, "atexit_sleep_ms") {
		return opts
	}
	return strings.TrimSpace(opts + " atexit_sleep_ms=0")
}

// hygieneKey is the key of a script's *hygiene in its Values.
type hygieneKey struct{}

// hygiene holds the literals a script declared secret (the `secret`
// command, sandbox-tokens), besides the seeded ones.
type hygiene struct {
	mu    sync.Mutex
	extra []string
}

func (h *hygiene) add(s ...string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.extra = append(h.extra, s...)
}

func (h *hygiene) secrets() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.extra)
}

// secret LITERAL...: no mp output of the script (but `mp account token`'s
// stdout) may contain the literals; checked when the script ends.
func cmdSecret(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: secret LITERAL...")
	}
	hygieneOf(ts).add(args...)
}

// secret-scan N: at least N mp runs of the script were captured so far,
// and none of their outputs holds a seeded or declared secret (but `mp
// account token`'s stdout). The same check runs when the script ends.
func cmdSecretScan(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: secret-scan N")
	}
	minRuns, err := strconv.Atoi(args[0])
	ts.Check(err)
	runs, err := readCaptures(ts.Getenv(captureEnv))
	ts.Check(err)
	if len(runs) < minRuns {
		ts.Fatalf("%d mp runs captured, want at least %d", len(runs), minRuns)
	}
	if leaks := leaksIn(runs, hygieneOf(ts).secrets()); len(leaks) > 0 {
		ts.Fatalf("secret hygiene: %d leaks:\n  %s", len(leaks), strings.Join(leaks, "\n  "))
	}
	fmt.Fprintf(ts.Stdout(), "scanned %d mp runs: no secret\n", len(runs))
}

func hygieneOf(ts *testscript.TestScript) *hygiene {
	h, _ := ts.Value(hygieneKey{}).(*hygiene)
	if h == nil {
		ts.Fatalf("the script's environment has no hygiene slot (setupEnv)")
	}
	return h
}

// exitcode N PROG ARGS... runs PROG and asserts its exit status is exactly N.
// stdout and stderr are kept for the following stdout/stderr/out commands.
func cmdExitCode(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exitcode (give the expected code instead)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exitcode N program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exitcode: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exitcode: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

// out PATTERN: the regexp matches stdout or stderr of the last command. Used
// for notes whose stream the spec leaves open.
func cmdOut(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: [!] out PATTERN")
	}
	re, err := regexp.Compile("(?m)" + args[0])
	ts.Check(err)
	matched := re.MatchString(ts.ReadFile("stdout")) || re.MatchString(ts.ReadFile("stderr"))
	switch {
	case neg && matched:
		ts.Fatalf("unexpected match for %q in stdout or stderr", args[0])
	case !neg && !matched:
		ts.Fatalf("no match for %q in stdout or stderr", args[0])
	}
}

// noleak LITERAL...: none of the literals (nor their standard base64 form)
// appears in stdout or stderr of the last command.
func cmdNoLeak(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: noleak LITERAL...")
	}
	for _, lit := range args {
		forms := []string{lit, base64.StdEncoding.EncodeToString([]byte(lit))}
		for _, stream := range []string{"stdout", "stderr"} {
			text := ts.ReadFile(stream)
			for _, f := range forms {
				if strings.Contains(text, f) {
					ts.Fatalf("secret %q leaked on %s", lit, stream)
				}
			}
		}
	}
}

// perm PATH MODE: the file's permission bits are exactly MODE (octal). Uses
// Lstat, so a symlink is reported as one.
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: [!] perm PATH MODE")
	}
	want, err := strconv.ParseUint(args[1], 8, 32)
	ts.Check(err)
	fi, err := os.Lstat(ts.MkAbs(args[0]))
	ts.Check(err)
	got := fi.Mode().Perm()
	if (got == os.FileMode(want)) == neg {
		ts.Fatalf("%s has mode %#o (want %s%#o)", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// mkfifo PATH creates a named pipe.
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkfifo PATH")
	}
	ts.Check(syscall.Mkfifo(ts.MkAbs(args[0]), 0o600))
}

// bigfile PATH SIZE writes SIZE bytes of a valid TOML comment (mode 0600).
func cmdBigFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bigfile PATH SIZE")
	}
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	line := "# " + strings.Repeat("x", 77) + "\n"
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(line)
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), b.Bytes()[:n], 0o600))
}

// ls DIR prints the entry names of DIR, one a line, so that stdout can be
// matched.
func cmdLs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: ls DIR")
	}
	entries, err := os.ReadDir(ts.MkAbs(args[0]))
	ts.Check(err)
	for _, e := range entries {
		fmt.Fprintln(ts.Stdout(), e.Name())
	}
	if len(entries) == 0 {
		// Make sure stdout is reset even for an empty directory.
		fmt.Fprint(ts.Stdout(), "")
	}
}

// concurrent-add N PREFIX starts N `mp account add PREFIX-NN --type
// service_account --region us --username u-NN --secret-stdin` processes at
// once and waits for all; it fails if any of them fails.
func cmdConcurrentAdd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: concurrent-add N PREFIX")
	}
	n, err := strconv.Atoi(args[0])
	ts.Check(err)
	mp := lookPath(ts, "mp")
	env := scriptEnv(ts)
	type result struct {
		name string
		out  []byte
		err  error
	}
	results := make([]result, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		name := fmt.Sprintf("%s-%02d", args[1], i)
		cmd := exec.Command(mp, "account", "add", name, "--type", "service_account",
			"--region", "us", "--username", fmt.Sprintf("u-%02d", i), "--secret-stdin", "--no-verify")
		cmd.Env = env
		cmd.Dir = ts.MkAbs(".")
		cmd.Stdin = strings.NewReader(fmt.Sprintf("concurrent-secret-%02d\n", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out, err := cmd.CombinedOutput()
			results[i] = result{name, out, err}
		}()
	}
	close(start)
	wg.Wait()
	var failed []string
	for _, r := range results {
		if r.err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v\n%s", r.name, r.err, r.out))
		}
	}
	if len(failed) > 0 {
		ts.Fatalf("%d of %d concurrent adds failed:\n%s", len(failed), n, strings.Join(failed, "\n"))
	}
}

// interrupt PROG ARGS... starts PROG with a stdin that stays open and never
// delivers data (as a user's pipe or terminal would while mp waits), sends
// it SIGINT (Ctrl-C) once it is running, and asserts that it exits with
// status 130 within 10 seconds. stdout and stderr are kept.
//
// The delay before the signal only gives the process time to install its
// signal handler; a process killed by the signal itself (handler not yet
// installed) is retried with a longer delay. Nothing here measures speed.
func cmdInterrupt(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: interrupt program [args...]")
	}
	prog := lookPath(ts, args[0])
	for _, delay := range []time.Duration{time.Second, 3 * time.Second, 8 * time.Second} {
		stdinR, stdinW, err := os.Pipe()
		ts.Check(err)
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(prog, args[1:]...)
		cmd.Env = scriptEnv(ts)
		cmd.Dir = ts.MkAbs(".")
		cmd.Stdin, cmd.Stdout, cmd.Stderr = stdinR, &stdout, &stderr
		ts.Check(cmd.Start())
		stdinR.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var waitErr error
		select {
		case waitErr = <-done:
			stdinW.Close()
			ts.Fatalf("%s exited before it was interrupted (%v):\n%s%s", args[0], waitErr, stdout.String(), stderr.String())
		case <-time.After(delay):
		}
		ts.Check(cmd.Process.Signal(os.Interrupt))
		select {
		case waitErr = <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			stdinW.Close()
			ts.Fatalf("%s did not exit within 10s of SIGINT (it ignores Ctrl-C while waiting)\nstdout: %s\nstderr: %s", args[0], stdout.String(), stderr.String())
		}
		stdinW.Close()
		fmt.Fprint(ts.Stdout(), stdout.String())
		fmt.Fprint(ts.Stderr(), stderr.String())
		var ee *exec.ExitError
		if !errors.As(waitErr, &ee) {
			ts.Fatalf("%s exited with status 0 after SIGINT, want 130", args[0])
		}
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			continue // killed before its handler was installed: try again, later
		}
		if ee.ExitCode() != 130 {
			ts.Fatalf("%s exited with status %d after SIGINT, want 130", args[0], ee.ExitCode())
		}
		return
	}
	ts.Fatalf("%s was killed by SIGINT itself every time (no handler installed)", args[0])
}

// lookPath finds prog on the script's PATH.
func lookPath(ts *testscript.TestScript, prog string) string {
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		p := filepath.Join(dir, prog)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	ts.Fatalf("%s not found on the script's PATH", prog)
	return ""
}

// scriptEnv rebuilds the script's environment for processes started by a
// custom command (testscript does not expose it whole).
func scriptEnv(ts *testscript.TestScript) []string {
	keys := []string{
		"PATH", "HOME", "TMPDIR", "WORK", "NO_COLOR", "TERM", "GOCOVERDIR", "GORACE", "GOTRACEBACK", captureEnv, "MP_BROWSER",
		"MP_CONFIG_PATH", "MP_OAUTH_STORAGE_DIR", "MP_ACCOUNT", "MP_TARGET", "MP_PROJECT_ID",
		"MP_WORKSPACE_ID", "MP_USERNAME", "MP_SECRET", "MP_REGION", "MP_OAUTH_TOKEN", "MP_AUTH_FILE", "MP_API_BASE_URL",
		"MP_SECRET_BACKEND", "DBUS_SESSION_BUS_ADDRESS", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
	}
	var env []string
	for _, k := range keys {
		if v := ts.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// readJSON parses SOURCE (stdout, stderr or a file) as one JSON value.
func readJSON(ts *testscript.TestScript, source string) any {
	var v any
	dec := json.NewDecoder(strings.NewReader(ts.ReadFile(source)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		ts.Fatalf("%s is not JSON: %v", source, err)
	}
	if dec.More() {
		ts.Fatalf("%s holds more than one JSON value", source)
	}
	return v
}

var pathToken = regexp.MustCompile(`\.([A-Za-z0-9_-]+)|\[([0-9]+)\]`)

// jsonPath walks a path like `.`, `.error.code`, `[0].name` or
// `.explain.account.shadowed[1].kind`.
func jsonPath(v any, path string) (any, error) {
	if path == "." || path == "" {
		return v, nil
	}
	rest := path
	for rest != "" {
		m := pathToken.FindStringSubmatchIndex(rest)
		if m == nil || m[0] != 0 {
			return nil, fmt.Errorf("bad path %q at %q", path, rest)
		}
		if m[2] >= 0 {
			key := rest[m[2]:m[3]]
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%q: not an object before .%s", path, key)
			}
			if v, ok = obj[key]; !ok {
				return nil, fmt.Errorf("%q: no key %q (keys: %v)", path, key, sortedKeys(obj))
			}
		} else {
			i, _ := strconv.Atoi(rest[m[4]:m[5]])
			arr, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("%q: not an array before [%d]", path, i)
			}
			if i >= len(arr) {
				return nil, fmt.Errorf("%q: index %d out of range (len %d)", path, i, len(arr))
			}
			v = arr[i]
		}
		rest = rest[m[1]:]
	}
	return v, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func canonical(ts *testscript.TestScript, v any) string {
	b, err := json.Marshal(v)
	ts.Check(err)
	return string(b)
}

// json-eq SOURCE PATH JSON: the value at PATH equals the JSON literal.
func cmdJSONEq(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: [!] json-eq SOURCE PATH JSON")
	}
	got, err := jsonPath(readJSON(ts, args[0]), args[1])
	if err != nil {
		if neg {
			return
		}
		ts.Fatalf("%v", err)
	}
	var want any
	dec := json.NewDecoder(strings.NewReader(args[2]))
	dec.UseNumber()
	if err := dec.Decode(&want); err != nil {
		ts.Fatalf("json-eq: expected value %q is not JSON: %v", args[2], err)
	}
	g, w := canonical(ts, got), canonical(ts, want)
	if (g == w) == neg {
		ts.Fatalf("%s %s = %s, want %s%s", args[0], args[1], g, map[bool]string{true: "not ", false: ""}[neg], w)
	}
}

// json-keys SOURCE PATH KEY...: the object at PATH has exactly these keys.
func cmdJSONKeys(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: json-keys SOURCE PATH KEY...")
	}
	v, err := jsonPath(readJSON(ts, args[0]), args[1])
	ts.Check(err)
	obj, ok := v.(map[string]any)
	if !ok {
		ts.Fatalf("%s %s is %s, not an object", args[0], args[1], canonical(ts, v))
	}
	want := slices.Clone(args[2:])
	sort.Strings(want)
	if got := sortedKeys(obj); !slices.Equal(got, want) {
		ts.Fatalf("%s %s has keys %v, want exactly %v", args[0], args[1], got, want)
	}
}

// json-len SOURCE PATH N: the array (or object) at PATH has N elements.
func cmdJSONLen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: json-len SOURCE PATH N")
	}
	v, err := jsonPath(readJSON(ts, args[0]), args[1])
	ts.Check(err)
	want, err := strconv.Atoi(args[2])
	ts.Check(err)
	var got int
	switch x := v.(type) {
	case []any:
		got = len(x)
	case map[string]any:
		got = len(x)
	default:
		ts.Fatalf("%s %s is %s, not an array or object", args[0], args[1], canonical(ts, v))
	}
	if got != want {
		ts.Fatalf("%s %s has %d elements, want %d", args[0], args[1], got, want)
	}
}

func jsonTypeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// json-type SOURCE PATH TYPE: TYPE is null, bool, number, string, array or object.
func cmdJSONType(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: [!] json-type SOURCE PATH TYPE")
	}
	v, err := jsonPath(readJSON(ts, args[0]), args[1])
	ts.Check(err)
	if got := jsonTypeOf(v); (got == args[2]) == neg {
		ts.Fatalf("%s %s is a %s (%s)", args[0], args[1], got, canonical(ts, v))
	}
}

// jsonl-valid SOURCE N: exactly N non-empty lines, each one JSON object.
func cmdJSONLValid(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: jsonl-valid SOURCE N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	text := ts.ReadFile(args[0])
	if want > 0 && !strings.HasSuffix(text, "\n") {
		ts.Fatalf("%s does not end with a newline", args[0])
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if text == "" {
		lines = nil
	}
	if len(lines) != want {
		ts.Fatalf("%s has %d lines, want %d", args[0], len(lines), want)
	}
	for i, l := range lines {
		var obj map[string]any
		if err := json.Unmarshal([]byte(l), &obj); err != nil || obj == nil {
			ts.Fatalf("%s line %d is not a JSON object: %q", args[0], i+1, l)
		}
	}
}

// csv-valid SOURCE N: RFC 4180 CSV with exactly N records (header included),
// all of the same width.
func cmdCSVValid(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: csv-valid SOURCE N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	r := csv.NewReader(strings.NewReader(ts.ReadFile(args[0])))
	recs, err := r.ReadAll() // FieldsPerRecord 0: all records as wide as the first
	if err != nil {
		ts.Fatalf("%s is not valid CSV: %v", args[0], err)
	}
	if len(recs) != want {
		ts.Fatalf("%s has %d CSV records, want %d", args[0], len(recs), want)
	}
}

func readTOML(ts *testscript.TestScript, file string) map[string]any {
	var doc map[string]any
	if err := toml.Unmarshal([]byte(ts.ReadFile(file)), &doc); err != nil {
		ts.Fatalf("%s does not parse as TOML: %v", file, err)
	}
	return doc
}

// toml-valid FILE: FILE parses as TOML (with an independent parser).
func cmdTOMLValid(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: toml-valid FILE")
	}
	readTOML(ts, args[0])
}

// toml-keys FILE TABLE KEY...: the table (dotted path such as accounts.team,
// or . for the root) has exactly these keys.
func cmdTOMLKeys(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: toml-keys FILE TABLE KEY...")
	}
	var v any = readTOML(ts, args[0])
	if args[1] != "." {
		for _, part := range strings.Split(args[1], ".") {
			m, ok := v.(map[string]any)
			if !ok {
				ts.Fatalf("%s: %s is not a table", args[0], args[1])
			}
			if v, ok = m[part]; !ok {
				ts.Fatalf("%s: no table %s", args[0], args[1])
			}
		}
	}
	m, ok := v.(map[string]any)
	if !ok {
		ts.Fatalf("%s: %s is not a table", args[0], args[1])
	}
	want := slices.Clone(args[2:])
	sort.Strings(want)
	if got := sortedKeys(m); !slices.Equal(got, want) {
		ts.Fatalf("%s [%s] has keys %v, want exactly %v", args[0], args[1], got, want)
	}
}
