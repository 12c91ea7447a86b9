package main

// The crash test: mp processes killed with SIGKILL at random points of a
// config write (`mp account add`), a token write (a refresh by `mp account
// token`) and a bridge write (`mp account export-bridge`). After every kill
// the config is the old or the new one, never anything else; after the next
// command of each kind no temporary file of mp's naming is left anywhere,
// and no secret is in any file but its store.

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/mpdata/mp/mptest"
)

// crashTrials is how many processes are killed (MP_CRASH_TRIALS overrides).
const crashTrials = 300

type crashKind struct {
	name string
	args func(i int) []string
	// stdin is what the process reads (the secret of an add).
	stdin func(i int) string
}

func TestCrashLeavesNoSecretBehind(t *testing.T) {
	if testing.Short() {
		t.Skip("kills hundreds of mp processes")
	}
	trials := crashTrials
	if v := os.Getenv("MP_CRASH_TRIALS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 3 {
			t.Fatalf("MP_CRASH_TRIALS=%q: want a number ≥ 3", v)
		}
		trials = n
	}
	mp, err := exec.LookPath("mp") // the test binary as mp (testscript.Main)
	if err != nil {
		t.Fatal(err)
	}
	// Tokens that always need a refresh, and a refresh token that stays
	// valid however many refreshes a kill interrupts.
	srv := mptest.NewServer(t, mptest.WithoutRefreshRotation(), mptest.WithAccessTokenLifetime(time.Second))
	home := filepath.Join(t.TempDir(), "home")
	root := filepath.Join(home, ".mp")
	if err := os.MkdirAll(root, 0o700); err != nil {
		t.Fatal(err)
	}
	configPath := filepath.Join(root, "config.toml")
	cfg := "[active]\naccount = \"personal\"\n\n[accounts.personal]\ntype = \"oauth_browser\"\nregion = \"us\"\ndefault_project = \"3018488\"\n"
	if err := os.WriteFile(configPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	seeded, err := seedTokens(srv, root, "personal", mptest.RegionUS, true)
	if err != nil {
		t.Fatal(err)
	}
	bridge := filepath.Join(home, "bridges", "auth.json")
	tmp := filepath.Join(t.TempDir(), "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + tmp, "NO_COLOR=1", "TERM=dumb",
		"MP_API_BASE_URL=" + srv.RegionURL(), "GORACE=" + raceOptions(), "MP_AUTH_FILE=" + filepath.Join(home, "no-bridge.json"),
	}
	secret := func(i int) string { return fmt.Sprintf("crash-secret-%04d-%s", i, strings.Repeat("s", 40)) }
	kinds := []crashKind{
		{name: "config", args: func(i int) []string {
			return []string{
				"account", "add", fmt.Sprintf("crash-%04d", i), "--type", "service_account",
				"--region", "us", "--username", "u", "--secret-stdin", "--no-verify",
			}
		}, stdin: secret},
		{name: "tokens", args: func(int) []string { return []string{"account", "token", "personal"} }},
		{name: "bridge", args: func(int) []string {
			return []string{"account", "export-bridge", "--to", bridge, "-a", "personal"}
		}},
	}
	run := func(k crashKind, i int) *exec.Cmd {
		cmd := exec.Command(mp, k.args(i)...)
		cmd.Env, cmd.Dir = env, home
		if k.stdin != nil {
			cmd.Stdin = strings.NewReader(k.stdin(i) + "\n")
		}
		return cmd
	}

	// One clean run of each kind, to learn how long it takes: the kills
	// land anywhere in that span.
	span := map[string]time.Duration{}
	for _, k := range kinds {
		start := time.Now()
		if out, err := run(k, -1-len(span)).CombinedOutput(); err != nil {
			t.Fatalf("%s: a clean run failed: %v\n%s", k.name, err, out)
		}
		span[k.name] = time.Since(start) + time.Since(start)/4
	}

	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	left := map[string]bool{} // temporary files seen right after a kill
	for i := range trials {
		k := kinds[i%len(kinds)]
		before, err := os.ReadFile(configPath)
		if err != nil {
			t.Fatal(err)
		}
		cmd := run(k, i)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rng.Int64N(int64(span[k.name]))))
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()

		after, err := os.ReadFile(configPath)
		if err != nil {
			t.Fatalf("trial %d (%s): config unreadable after the kill: %v", i, k.name, err)
		}
		if !bytes.Equal(before, after) {
			if k.name != "config" {
				t.Fatalf("trial %d: a %s write changed config.toml", i, k.name)
			}
			assertOneMoreAccount(t, i, before, after, fmt.Sprintf("crash-%04d", i))
		}
		for _, p := range tempFiles(t, home) {
			left[p] = true
		}
	}
	t.Logf("%d kills (%d per kind) left %d temporary files behind", trials, trials/len(kinds), len(left))

	// The next command of each kind sweeps what the killed ones left.
	for j, k := range kinds {
		if out, err := run(k, trials+j).CombinedOutput(); err != nil {
			t.Fatalf("%s: the command after the kills failed: %v\n%s", k.name, err, out)
		}
	}
	if left := tempFiles(t, home); len(left) > 0 {
		t.Errorf("temporary files left after the next command of each kind:\n  %s", strings.Join(left, "\n  "))
	}
	stores := []string{configPath, filepath.Join(root, "accounts", "personal", "tokens.json"), bridge}
	secrets := []string{"crash-secret-", seeded.RefreshToken}
	if leaks := secretsOutsideStores(t, home, stores, secrets); len(leaks) > 0 {
		t.Errorf("secrets outside their stores:\n  %s", strings.Join(leaks, "\n  "))
	}
}

// assertOneMoreAccount checks that after is before plus the account name
// (a complete new config), and that it parses.
func assertOneMoreAccount(t *testing.T, trial int, before, after []byte, name string) {
	t.Helper()
	names := func(data []byte) []string {
		var doc struct {
			Accounts map[string]any `toml:"accounts"`
		}
		if err := toml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("trial %d: config.toml does not parse after the kill: %v", trial, err)
		}
		var out []string
		for n := range doc.Accounts {
			out = append(out, n)
		}
		slices.Sort(out)
		return out
	}
	want := append(names(before), name)
	slices.Sort(want)
	if got := names(after); !slices.Equal(got, want) {
		t.Fatalf("trial %d: config after the kill has accounts %v; want the old %v or the new %v", trial, got, names(before), want)
	}
}

// tempName is the naming of mp's temporary files: "." + the target's name +
// ".tmp-" + a random number.
var tempName = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)

// tempFiles lists the files under dir named as mp's temporary files.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if tempName.MatchString(d.Name()) {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// secretsOutsideStores lists the files under dir, other than stores and
// lock files, that hold any of secrets.
func secretsOutsideStores(t *testing.T, dir string, stores, secrets []string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || slices.Contains(stores, p) {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(data, []byte(s)) {
				out = append(out, fmt.Sprintf("%s holds %.14s…", p, s))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
