package mp_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/keychain"
)

// requireKeyring skips unless the test runs inside scripts/with-keyring.sh
// (a private D-Bus session with an unlocked gnome-keyring), except under
// CI=true, where a missing keyring fails the test. Inside the wrapper it
// points DBUS_SESSION_BUS_ADDRESS at the test bus.
func requireKeyring(t *testing.T) {
	t.Helper()
	if runtime.GOOS != "linux" {
		return
	}
	if os.Getenv("MP_TEST_KEYRING") != "1" {
		msg := "no test keyring: run under scripts/with-keyring.sh (needs the gnome-keyring and dbus packages), as `make test` does"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", os.Getenv("MP_TEST_DBUS_ADDRESS"))
}

// TestMigrateThenAddFollowsTheSetting: a handle opened with the file
// backend (no explicit choice) follows [settings] secret_backend at each
// write, so that after MigrateSecrets(keychain) the same handle keeps new
// secrets out of config.toml; an explicit MP_SECRET_BACKEND=file still
// beats the setting.
func TestMigrateThenAddFollowsTheSetting(t *testing.T) {
	requireKeyring(t)
	ctx := context.Background()
	home := t.TempDir()
	cfgPath := filepath.Join(home, ".mp", "config.toml")
	secrets := map[string]string{
		"m2-team":   "first-secret-3f9a1c",
		"m2-team2":  "second-secret-8b2d7e",
		"m2-pinned": "pinned-secret-5c4e1f",
	}
	acct := func(name string) mp.Account {
		return mp.Account{Name: name, Type: mp.TypeServiceAccount, Region: mp.RegionUS, Username: name + ".sa", Secret: mp.NewSecret(secrets[name]), DefaultProject: "3018488"}
	}
	open := func(env map[string]string) *mp.Workspace {
		t.Helper()
		env["HOME"] = home
		ws, err := mp.Open(ctx, mp.WithEnv(env), keychain.Enable())
		if err != nil {
			t.Fatal(err)
		}
		return ws
	}
	ws := open(map[string]string{})
	t.Cleanup(func() {
		for name := range secrets {
			_, _ = ws.Accounts.Remove(context.Background(), name, mp.RemoveOptions{Force: true})
		}
	})
	config := func() string {
		t.Helper()
		raw, err := os.ReadFile(cfgPath)
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}

	if _, err := ws.Accounts.Add(ctx, acct("m2-team")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(config(), secrets["m2-team"]) {
		t.Fatalf("before the migration the file backend keeps the secret inline:\n%s", config())
	}
	res, err := ws.Accounts.MigrateSecrets(ctx, mp.MigrateOptions{To: "keychain"})
	if err != nil || !res.BackendSet {
		t.Fatalf("MigrateSecrets(keychain) = %+v, %v", res, err)
	}
	if _, err := ws.Accounts.Add(ctx, acct("m2-team2")); err != nil {
		t.Fatal(err)
	}
	got := config()
	for _, name := range []string{"m2-team", "m2-team2"} {
		if strings.Contains(got, secrets[name]) {
			t.Fatalf("config.toml holds the secret of %s in plaintext after MigrateSecrets(keychain):\n%s", name, got)
		}
	}
	// The secret is in the keychain: the account works through it.
	if sum, err := ws.Accounts.Show(ctx, "m2-team2"); err != nil || sum.SecretStore != "keychain" {
		t.Fatalf("Show(m2-team2) = %+v, %v; want secret_store keychain", sum, err)
	}

	// An explicit choice beats the setting.
	pinned := open(map[string]string{"MP_SECRET_BACKEND": "file"})
	if _, err := pinned.Accounts.Add(ctx, acct("m2-pinned")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(config(), secrets["m2-pinned"]) {
		t.Fatalf("MP_SECRET_BACKEND=file should keep the secret inline:\n%s", config())
	}
}
