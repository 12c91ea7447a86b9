package mp_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/keychain"
	"github.com/mpdata/mp/mptest"
)

// TestOpenResolvesTheActiveSession: without options the handle takes the
// config's active account (the first one added) and its default project;
// options select others.
func TestOpenResolvesTheActiveSession(t *testing.T) {
	f := newFixture(t, 2, 3)
	ws := f.open(t)
	if ws.Account() != "fleet-0" || ws.Project() != f.project(0, 0) || ws.WorkspaceID() != 0 {
		t.Fatalf("session = %v", ws.Session())
	}
	ws = f.open(t, mp.WithAccount("fleet-1"), mp.WithProject(f.project(1, 2)), mp.WithWorkspace(42))
	if s := ws.Session(); s.Account() != "fleet-1" || s.Project() != f.project(1, 2) || s.WorkspaceID() != 42 ||
		s.AccountType() != "service_account" || s.Region() != "us" || s.String() != "fleet-1/"+string(f.project(1, 2))+"/42" {
		t.Fatalf("session = %v (%s, %s)", s, s.AccountType(), s.Region())
	}
	if n := f.srv.Count(mptest.RouteMe) + f.srv.Count(mptest.RouteSegmentation); n != 0 {
		t.Fatalf("Open made %d Mixpanel calls, want none", n)
	}
}

// TestOpenErrors: Open's failures are *mp.Error values with stable codes.
func TestOpenErrors(t *testing.T) {
	f := newFixture(t, 1, 1)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		opts []mp.Option
		code mp.Code
	}{
		{"unknown account", []mp.Option{mp.WithAccount("nope")}, mp.CodeAccountNotFound},
		{"unknown target", []mp.Option{mp.WithTarget("nope")}, mp.CodeTargetNotFound},
		{"target with account", []mp.Option{mp.WithTarget("t"), mp.WithAccount("fleet-0")}, mp.CodeInvalidArgument},
		{"browser account without tokens", []mp.Option{mp.WithAccount("browser")}, mp.CodeOAuthTokenError},
		{"unknown secret backend", []mp.Option{mp.WithSecretBackend("vault")}, mp.CodeConfigError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ws, err := mp.Open(ctx, append(append([]mp.Option{}, f.opts...), tt.opts...)...)
			var e *mp.Error
			if ws != nil || !errors.As(err, &e) || e.Code() != tt.code || !errors.Is(err, tt.code) || e.Message() == "" {
				t.Fatalf("Open = %v, %v; want *mp.Error %s", ws, err, tt.code)
			}
		})
	}
}

// TestUseFailureKeepsTheSession: a failed Use returns the typed error and
// leaves the previous session in force, for every way of failing.
func TestUseFailureKeepsTheSession(t *testing.T) {
	f := newFixture(t, 2, 2)
	ctx := context.Background()
	ws := f.open(t, mp.WithAccount("fleet-1"), mp.WithProject(f.project(1, 1)))
	before := ws.Session()
	other := f.open(t).Session() // a snapshot of another engine
	for _, tt := range []struct {
		name string
		opts []mp.UseOption
		code mp.Code
	}{
		{"unknown account", []mp.UseOption{mp.WithAccount("ghost")}, mp.CodeAccountNotFound},
		{"browser account without tokens", []mp.UseOption{mp.WithAccount("browser")}, mp.CodeOAuthTokenError},
		{"browser account, persisted", []mp.UseOption{mp.WithAccount("browser"), mp.Persist()}, mp.CodeOAuthTokenError},
		{"unknown target", []mp.UseOption{mp.WithTarget("ghost")}, mp.CodeTargetNotFound},
		{"target and project", []mp.UseOption{mp.WithTarget("ghost"), mp.WithProject("1")}, mp.CodeInvalidArgument},
		{"bad project id", []mp.UseOption{mp.WithProject("abc")}, mp.CodeInvalidArgument},
		{"snapshot of another engine", []mp.UseOption{mp.WithSession(other)}, mp.CodeInvalidArgument},
		{"empty snapshot", []mp.UseOption{mp.WithSession(mp.Session{})}, mp.CodeInvalidArgument},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ws.Use(ctx, tt.opts...)
			var e *mp.Error
			if !errors.As(err, &e) || e.Code() != tt.code || !errors.Is(err, tt.code) {
				t.Fatalf("Use = %v, want %s", err, tt.code)
			}
			if ws.Session() != before {
				t.Fatalf("session after a failed Use = %v, want %v", ws.Session(), before)
			}
			if strings.Contains(err.Error(), f.fleet[1].Secret) {
				t.Fatalf("error shows a secret: %v", err)
			}
		})
	}
	// The handle still works in the old session.
	if res, err := ws.Segmentation(ctx, f.queries); err != nil || res.Event != "Login" {
		t.Fatalf("Segmentation after the failed switches = %+v, %v", res, err)
	}
	// Nothing was persisted by the failed Persist.
	if s := f.open(t).Session(); s.Account() != "fleet-0" {
		t.Fatalf("active session after a failed persist = %v", s)
	}
}

// TestUseSwitches: another account resets project and workspace to the
// account's default; another project resets the workspace; a workspace
// alone keeps account and project; a target takes all three; a snapshot
// goes back.
func TestUseSwitches(t *testing.T) {
	f := newFixture(t, 2, 3)
	ctx := context.Background()
	ws := f.open(t)
	if _, err := ws.Targets.Add(ctx, mp.Target{Name: "t1", Account: "fleet-1", Project: f.project(1, 2), Workspace: f.workspace(1, 2)}); err != nil {
		t.Fatal(err)
	}
	start := ws.Session()
	steps := []struct {
		opts      []mp.UseOption
		account   string
		project   mp.ProjectID
		workspace mp.WorkspaceID
	}{
		{[]mp.UseOption{mp.WithProject(f.project(0, 1))}, "fleet-0", f.project(0, 1), 0},
		{[]mp.UseOption{mp.WithWorkspace(f.workspace(0, 1))}, "fleet-0", f.project(0, 1), f.workspace(0, 1)},
		{[]mp.UseOption{mp.WithProject(f.project(0, 2))}, "fleet-0", f.project(0, 2), 0},
		{[]mp.UseOption{mp.WithAccount("fleet-1")}, "fleet-1", f.project(1, 0), 0},
		{[]mp.UseOption{mp.WithAccount("fleet-0"), mp.WithProject(f.project(0, 1))}, "fleet-0", f.project(0, 1), 0},
		{[]mp.UseOption{mp.WithTarget("t1")}, "fleet-1", f.project(1, 2), f.workspace(1, 2)},
		{[]mp.UseOption{mp.WithProject(f.project(1, 1))}, "fleet-1", f.project(1, 1), 0},
		{[]mp.UseOption{mp.WithSession(start)}, "fleet-0", f.project(0, 0), 0},
		{nil, "fleet-0", f.project(0, 0), 0},
	}
	for i, st := range steps {
		if err := ws.Use(ctx, st.opts...); err != nil {
			t.Fatalf("step %d: Use: %v", i, err)
		}
		if ws.Account() != st.account || ws.Project() != st.project || ws.WorkspaceID() != st.workspace {
			t.Fatalf("step %d: session = %v, want %s/%s/%d", i, ws.Session(), st.account, st.project, st.workspace)
		}
	}
	// The handle is pinned: changing the active account elsewhere does not move it.
	if err := f.open(t).Use(ctx, mp.WithAccount("fleet-1"), mp.Persist()); err != nil {
		t.Fatal(err)
	}
	if v, err := ws.Describe(ctx, mp.DescribeOptions{}); err != nil || v.Account.Name != "fleet-0" {
		t.Fatalf("pinned handle shows %+v, %v", v, err)
	}
}

// TestUsePersist: Persist writes the new session to the config in one
// transaction; a fresh handle (and the CLI) then starts there.
func TestUsePersist(t *testing.T) {
	f := newFixture(t, 2, 3)
	ctx := context.Background()
	ws := f.open(t)
	if err := ws.Use(ctx, mp.WithAccount("fleet-1"), mp.WithProject(f.project(1, 2)), mp.WithWorkspace(f.workspace(1, 2)), mp.Persist()); err != nil {
		t.Fatal(err)
	}
	if s := f.open(t).Session(); s.Account() != "fleet-1" || s.Project() != f.project(1, 2) || s.WorkspaceID() != f.workspace(1, 2) {
		t.Fatalf("fresh handle after Persist = %v", s)
	}
	raw, err := os.ReadFile(filepath.Join(f.dir, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`account = "fleet-1"`, fmt.Sprintf("workspace = %d", f.workspace(1, 2)), `default_project = "` + string(f.project(1, 2)) + `"`} {
		if !strings.Contains(string(raw), want) {
			t.Fatalf("config.toml lacks %s:\n%s", want, raw)
		}
	}
	// Without a workspace the active one is cleared.
	if err := ws.Use(ctx, mp.WithAccount("fleet-0"), mp.Persist()); err != nil {
		t.Fatal(err)
	}
	if s := f.open(t).Session(); s.Account() != "fleet-0" || s.Project() != f.project(0, 0) || s.WorkspaceID() != 0 {
		t.Fatalf("fresh handle after Use(fleet-0, Persist) = %v", s)
	}
	// A target persists as its account, project and workspace.
	if _, err := ws.Targets.Add(ctx, mp.Target{Name: "t", Account: "fleet-1", Project: f.project(1, 1)}); err != nil {
		t.Fatal(err)
	}
	if err := ws.Use(ctx, mp.WithTarget("t"), mp.Persist()); err != nil || ws.Account() != "fleet-1" || ws.Project() != f.project(1, 1) {
		t.Fatalf("Use(target, Persist) = %v, session %v", err, ws.Session())
	}
	if s := f.open(t).Session(); s.Account() != "fleet-1" || s.Project() != f.project(1, 1) {
		t.Fatalf("fresh handle after Use(target, Persist) = %v", s)
	}
}

// TestUseAmongSeenMakesNoNetworkCall: once every (account, project) was
// seen, switching among them and reading /me-backed data costs no request
// and no new connection; the one HTTP client is kept across switches.
func TestUseAmongSeenMakesNoNetworkCall(t *testing.T) {
	f := newFixture(t, 3, 4)
	ctx := context.Background()
	ws := f.open(t)
	visit := func() {
		for i := range f.fleet {
			if err := ws.Use(ctx, mp.WithAccount(f.account(i))); err != nil {
				t.Fatal(err)
			}
			projects, err := ws.Projects(ctx)
			if err != nil || len(projects) != 4 {
				t.Fatalf("Projects = %+v, %v", projects, err)
			}
			for _, p := range projects {
				if err := ws.Use(ctx, mp.WithProject(p.ID)); err != nil {
					t.Fatal(err)
				}
				if _, err := ws.Workspaces(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	visit()
	if n := f.srv.Count(mptest.RouteMe); n != 3 {
		t.Fatalf("%d /me calls for 3 accounts, want 3", n)
	}
	requests, conns := len(f.srv.Requests()), f.srv.Connections()
	visit()
	if n := len(f.srv.Requests()) - requests; n != 0 {
		t.Fatalf("switching among seen accounts and projects made %d requests, want 0", n)
	}
	if c := f.srv.Connections(); c != conns || c != 1 {
		t.Fatalf("connections: %d then %d, want 1", conns, c)
	}
}

// TestOpenOnEmptyConfig: with no account at all, Open still returns a
// handle for Accounts.Add; data calls fail with CONFIG_ERROR until then,
// and the handle takes the first account once it exists.
func TestOpenOnEmptyConfig(t *testing.T) {
	srv := mptest.NewServer(t)
	dir := t.TempDir()
	ctx := context.Background()
	ws, err := mp.Open(ctx, mp.WithConfigPath(filepath.Join(dir, "c.toml")), mp.WithStorageDir(dir),
		mp.WithEnv(map[string]string{"HOME": dir}), mp.WithAPIBaseURL(srv.RegionURL()))
	if err != nil {
		t.Fatal(err)
	}
	if ws.Account() != "" || ws.Session().String() != "(no session)" {
		t.Fatalf("session = %v", ws.Session())
	}
	if _, err := ws.Me(ctx); mp.CodeOf(err) != mp.CodeConfigError {
		t.Fatalf("Me without an account = %v", err)
	}
	sa := mptest.DemoServiceAccount()
	if _, err := ws.Accounts.Add(ctx, mp.Account{
		Name: "demo", Type: mp.TypeServiceAccount, Region: mp.RegionUS,
		DefaultProject: "3713224", Username: sa.Username, Secret: mp.NewSecret(sa.Secret),
	}); err != nil {
		t.Fatal(err)
	}
	if ws.Account() != "demo" || ws.Project() != "3713224" {
		t.Fatalf("session after the first Add = %v", ws.Session())
	}
	me, err := ws.Me(ctx)
	if err != nil || me.User.Email != sa.Email {
		t.Fatalf("Me = %+v, %v", me.User, err)
	}
	// An explicit selection on an empty config is an error, not an empty handle.
	if _, err := mp.Open(ctx, mp.WithConfigPath(filepath.Join(dir, "other.toml")), mp.WithStorageDir(dir),
		mp.WithEnv(map[string]string{"HOME": dir}), mp.WithAccount("x")); mp.CodeOf(err) != mp.CodeAccountNotFound {
		t.Fatalf("Open(WithAccount) on an empty config = %v", err)
	}
}

// TestEnvAccount: an account built from the environment quad is used as
// is (the handle is not pinned to a config account), and cannot be
// persisted.
func TestEnvAccount(t *testing.T) {
	srv := mptest.NewServer(t)
	dir := t.TempDir()
	ctx := context.Background()
	sa := mptest.DemoServiceAccount()
	ws, err := mp.Open(ctx, mp.WithConfigPath(filepath.Join(dir, "c.toml")), mp.WithStorageDir(dir), mp.WithAPIBaseURL(srv.RegionURL()),
		mp.WithEnv(map[string]string{"HOME": dir, "MP_USERNAME": sa.Username, "MP_SECRET": sa.Secret, "MP_PROJECT_ID": "3713224", "MP_REGION": "us"}))
	if err != nil {
		t.Fatal(err)
	}
	if ws.Account() != "env-service-account" || ws.Project() != "3713224" {
		t.Fatalf("session = %v", ws.Session())
	}
	if names, err := ws.EventNames(ctx, 3); err != nil || len(names) != 3 {
		t.Fatalf("EventNames = %v, %v", names, err)
	}
	err = ws.Use(ctx, mp.WithWorkspace(3448415), mp.Persist())
	if mp.CodeOf(err) != mp.CodeInvalidArgument || ws.WorkspaceID() != 0 {
		t.Fatalf("persisting an env account = %v (session %v)", err, ws.Session())
	}
	if err := ws.Use(ctx, mp.WithWorkspace(3448415)); err != nil || ws.WorkspaceID() != 3448415 {
		t.Fatalf("Use(WithWorkspace) = %v (session %v)", err, ws.Session())
	}
}

// TestSecretBackendFromTheGivenConfig: the secret backend comes from the
// config WithConfigPath names ([settings] secret_backend), not from the
// default one; WithSecretBackend beats it. With the keychain selected and
// no session bus, adding a secret fails with SECRET_STORE_UNAVAILABLE —
// with the file backend it lands in config.toml.
func TestSecretBackendFromTheGivenConfig(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
	dir := t.TempDir()
	ctx := context.Background()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("[settings]\nsecret_backend = \"keychain\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	acct := mp.Account{Name: "sa", Type: mp.TypeServiceAccount, Region: mp.RegionUS, DefaultProject: "3018488", Username: "u", Secret: mp.NewSecret("s3cr3t-value")}
	open := func(opts ...mp.Option) *mp.Workspace {
		ws, err := mp.Open(ctx, append([]mp.Option{mp.WithConfigPath(cfg), mp.WithStorageDir(dir), mp.WithEnv(map[string]string{"HOME": dir}), keychain.Enable()}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}
	// The config's keychain backend is followed: the secret never lands in
	// config.toml. The keychain is unreachable here — unless an earlier
	// test of this process already connected to the test bus (godbus keeps
	// one session-bus connection per process), in which case the secret
	// goes to the test keyring; either way the file must not hold it.
	_, err := open().Accounts.Add(ctx, acct)
	if err != nil && mp.CodeOf(err) != mp.CodeSecretStoreUnavailable {
		t.Fatalf("Add with the config's keychain backend = %v, want success or SECRET_STORE_UNAVAILABLE", err)
	}
	if raw, _ := os.ReadFile(cfg); strings.Contains(string(raw), "s3cr3t-value") {
		t.Fatalf("the config's keychain backend was ignored: the secret is in config.toml:\n%s", raw)
	}
	if err == nil {
		if _, err := open().Accounts.Remove(ctx, "sa", mp.RemoveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := open(mp.WithSecretBackend("file")).Accounts.Add(ctx, acct); err != nil {
		t.Fatalf("Add with WithSecretBackend(file) = %v", err)
	}
	raw, _ := os.ReadFile(cfg)
	if !strings.Contains(string(raw), "s3cr3t-value") {
		t.Fatalf("the file backend did not keep the secret in config.toml:\n%s", raw)
	}
}

// TestKeychainNotLinkedByDefault: a handle opened without keychain.Enable()
// has no keychain (the library does not link its stack unless asked). A
// write the config's keychain backend would take fails with
// SECRET_STORE_UNAVAILABLE whose hint names keychain.Enable, and the
// secret never falls back to config.toml.
func TestKeychainNotLinkedByDefault(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("[settings]\nsecret_backend = \"keychain\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ws, err := mp.Open(ctx, mp.WithConfigPath(cfg), mp.WithStorageDir(dir), mp.WithEnv(map[string]string{"HOME": dir}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ws.Accounts.Add(ctx, mp.Account{Name: "sa", Type: mp.TypeServiceAccount, Region: mp.RegionUS, DefaultProject: "3018488", Username: "u", Secret: mp.NewSecret("s3cr3t-value")})
	var e *mp.Error
	if !errors.As(err, &e) || e.Code() != mp.CodeSecretStoreUnavailable || !strings.Contains(e.Hint(), "keychain.Enable()") {
		t.Fatalf("Add without a keychain = %v, want SECRET_STORE_UNAVAILABLE with a hint naming keychain.Enable()", err)
	}
	if raw, _ := os.ReadFile(cfg); strings.Contains(string(raw), "s3cr3t-value") {
		t.Fatalf("the secret fell back to config.toml:\n%s", raw)
	}
}

// memKeychain is a Keychain a program could write itself: a map.
type memKeychain struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (k *memKeychain) Get(_ context.Context, account, kind string) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[account+"/"+kind]
	if !ok {
		return nil, fmt.Errorf("%s/%s: %w", account, kind, mp.ErrSecretNotFound)
	}
	return append([]byte(nil), v...), nil
}

func (k *memKeychain) Set(_ context.Context, account, kind string, value []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[account+"/"+kind] = append([]byte(nil), value...)
	return nil
}

func (k *memKeychain) Delete(_ context.Context, account, kind string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, account+"/"+kind)
	return nil
}

// TestWithKeychainStoresSecretsThere: a handle given a Keychain keeps a
// keychain-backend account's secret in it (not in config.toml), and a new
// handle over the same store authenticates with it against the sandbox.
// After Remove the store no longer holds it.
func TestWithKeychainStoresSecretsThere(t *testing.T) {
	srv := mptest.NewServer(t)
	dir := t.TempDir()
	ctx := context.Background()
	cfg := filepath.Join(dir, "config.toml")
	kc := &memKeychain{m: map[string][]byte{}}
	open := func() *mp.Workspace {
		ws, err := mp.Open(ctx, mp.WithConfigPath(cfg), mp.WithStorageDir(dir), mp.WithEnv(map[string]string{"HOME": dir}),
			mp.WithAPIBaseURL(srv.RegionURL()), mp.WithSecretBackend("keychain"), mp.WithKeychain(kc))
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}
	sa := mptest.DemoServiceAccount()
	if _, err := open().Accounts.Add(ctx, mp.Account{
		Name: "demo", Type: mp.TypeServiceAccount, Region: mp.RegionUS,
		DefaultProject: "3713224", Username: sa.Username, Secret: mp.NewSecret(sa.Secret),
	}); err != nil {
		t.Fatal(err)
	}
	if got := string(kc.m["demo/secret"]); got != sa.Secret {
		t.Fatalf("the keychain holds %q for demo/secret, want the account's secret", got)
	}
	if raw, _ := os.ReadFile(cfg); strings.Contains(string(raw), sa.Secret) {
		t.Fatalf("the secret is in config.toml:\n%s", raw)
	}
	if me, err := open().Me(ctx); err != nil || me.User.Email != sa.Email {
		t.Fatalf("Me through the keychain's secret = %+v, %v", me.User, err)
	}
	if _, err := open().Accounts.Remove(ctx, "demo", mp.RemoveOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, ok := kc.m["demo/secret"]; ok {
		t.Fatal("Remove left the secret in the keychain")
	}
}
