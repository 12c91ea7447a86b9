package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

// isExternal reports whether the stored config keeps account name's
// secret outside config.toml (an empty value).
func (f *secretsFixture) isExternal(t *testing.T, name domain.AccountName) bool {
	t.Helper()
	a, ok := f.load(t).Account(name)
	if !ok {
		t.Fatalf("account %s is not in the config", name)
	}
	return a.External
}

// An App without an explicit backend (Deps.Secrets.Backend empty) decides
// each write from [settings] secret_backend of the config that write
// loaded: after MigrateSecrets sets the setting, the same App writes new
// secrets and a login's tokens to the new backend; an explicit backend
// beats the setting.
func TestWritesFollowTheSettingOfTheirConfig(t *testing.T) {
	ctx := context.Background()
	f := newSecretsFixture(t, standardConfig(t), "")
	f.setupMe(t)

	if _, err := f.app.Accounts.Add(ctx, sa("delta", "100")); err != nil {
		t.Fatal(err)
	}
	if f.isExternal(t, "delta") {
		t.Fatal("without a setting, a new secret should stay inline (file backend)")
	}
	if _, err := f.app.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, ""); err != nil {
		t.Fatalf("to keychain: %v", err)
	}

	// Same App, after the migration: new secrets go to the keychain.
	if _, err := f.app.Accounts.Add(ctx, sa("epsilon", "100")); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Accounts.Update(ctx, "beta", domain.AccountPatch{Token: ptr(domain.NewSecret("fresh-token-after-migration"))}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []domain.AccountName{"epsilon", "beta"} {
		if !f.isExternal(t, n) {
			t.Errorf("%s: the secret was written inline after MigrateSecrets(keychain)", n)
		}
	}
	if s := f.inlineSecrets(t); s != "" {
		t.Fatal("a secret is inline in the config after MigrateSecrets(keychain)")
	}
	if v, err := f.keychain.Get(ctx, ports.SecretKey{Account: "beta", Kind: ports.SecretStaticToken}); err != nil || string(v) != "fresh-token-after-migration" {
		t.Fatalf("keychain beta/token = %q, %v", v, err)
	}
	f.oauth.QueueLogin(domain.Tokens{AccessToken: domain.NewSecret(newAccess), RefreshToken: domain.NewSecret(newRefresh), TokenType: "Bearer", ExpiresAt: t0.Add(3600e9)}, nil)
	f.api.SetMe(domain.BearerCredential(domain.NewSecret(newAccess)), domain.RegionIN, buildMe(t, "x@example.com", meProject{ID: "300", Name: "P", Domain: "in.mixpanel.com"}))
	if _, err := f.app.Accounts.Login(ctx, "gamma", app.LoginOptions{NoBrowser: true}); err != nil {
		t.Fatalf("login: %v", err)
	}
	if raw, err := f.keychain.Get(ctx, ports.SecretKey{Account: "gamma", Kind: ports.SecretTokenSet}); err != nil || !strings.Contains(string(raw), newAccess) {
		t.Fatalf("the login's tokens are not in the keychain: %v", err)
	}
	if got := f.load(t).Settings().TokenBackends.Of("gamma"); got != domain.SecretBackendKeychain {
		t.Fatalf("token_backends gamma = %q", got)
	}
	if len(f.files.Keys()) != 0 {
		t.Fatalf("token files after a keychain login: %v", f.files.Keys())
	}

	// An explicit file backend beats the keychain setting.
	if _, err := f.build(domain.SecretBackendFile).Accounts.Add(ctx, sa("zeta", "100")); err != nil {
		t.Fatal(err)
	}
	if f.isExternal(t, "zeta") {
		t.Fatal("an explicit file backend should keep the secret inline")
	}

	// Back to files: the same App follows again.
	if _, err := f.app.Accounts.MigrateSecrets(ctx, domain.SecretBackendFile, ""); err != nil {
		t.Fatalf("to file: %v", err)
	}
	if _, err := f.app.Accounts.Add(ctx, sa("eta", "100")); err != nil {
		t.Fatal(err)
	}
	if f.isExternal(t, "eta") {
		t.Fatal("after MigrateSecrets(file), a new secret should be inline")
	}
	// An explicit keychain backend beats the file setting.
	if _, err := f.build(domain.SecretBackendKeychain).Accounts.Add(ctx, sa("theta", "100")); err != nil {
		t.Fatal(err)
	}
	if !f.isExternal(t, "theta") {
		t.Fatal("an explicit keychain backend should keep the secret in the keychain")
	}
	assertLogsClean(t, f.fixture)
}

// A migration to an unreachable keychain fails before anything moves or
// the setting changes — even with nothing to move (a bridge-only machine),
// where it used to set secret_backend = "keychain" for every later add to
// fail.
func TestMigrateChecksTheKeychainFirst(t *testing.T) {
	ctx := context.Background()
	for _, cfg := range []domain.Config{{}, standardConfig(t)} {
		f := newSecretsFixture(t, cfg, "")
		f.keychain.SetUnavailable(true)
		before := f.inlineSecrets(t)
		res, err := f.app.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, "")
		wantCode(t, err, domain.CodeSecretStoreUnavailable)
		if !errors.Is(err, ports.ErrUnavailable) || !strings.Contains(err.Error(), "nothing was moved") {
			t.Errorf("error = %v; want one saying nothing was moved, matching ports.ErrUnavailable", err)
		}
		if res.BackendSet || len(res.Accounts) != 0 {
			t.Errorf("result = %+v", res)
		}
		if got := f.load(t).Settings().SecretBackend; got != "" {
			t.Errorf("secret_backend = %q after a failed probe", got)
		}
		if f.inlineSecrets(t) != before {
			t.Error("the config's secrets changed")
		}
		// Reachable again: the same call works.
		f.keychain.SetUnavailable(false)
		if res, err := f.app.Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, ""); err != nil || !res.BackendSet {
			t.Fatalf("MigrateSecrets = %+v, %v", res, err)
		}
	}
}

// The result says where new secrets go: the setting just written, or the
// explicit choice that beats it.
func TestMigrateSaysWhereNewSecretsGo(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name           string
		explicit       domain.SecretBackend
		account        domain.AccountName
		wantNew        domain.SecretBackend
		wantOverridden bool
	}{
		{"setting", "", "", domain.SecretBackendKeychain, false},
		{"explicit file beats it", domain.SecretBackendFile, "", domain.SecretBackendFile, true},
		{"explicit keychain agrees", domain.SecretBackendKeychain, "", domain.SecretBackendKeychain, true},
		{"one account: the setting stays", "", "alpha", domain.SecretBackendFile, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newSecretsFixture(t, standardConfig(t), "")
			res, err := f.build(tt.explicit).Accounts.MigrateSecrets(ctx, domain.SecretBackendKeychain, tt.account)
			if err != nil {
				t.Fatal(err)
			}
			if res.NewSecrets != string(tt.wantNew) || res.Overridden != tt.wantOverridden {
				t.Fatalf("new_secrets = %q, overridden = %v; want %q, %v", res.NewSecrets, res.Overridden, tt.wantNew, tt.wantOverridden)
			}
			if res.Bridge != nil {
				t.Fatalf("bridge = %+v without one", res.Bridge)
			}
		})
	}
}

// A bridge-only machine: nothing moves, and the result names the bridge
// whose secrets stay in their file.
func TestMigrateNamesTheBridge(t *testing.T) {
	f := newBridgeFixture(t, domain.Config{}, nil)
	f.put(t, bridgeHome, browserBridge(t0.Add(3600e9)))
	a := app.New(app.Deps{
		Config: f.store, Storage: f.storage, Env: f.env, Log: f.log, API: f.api, Me: f.me, Clock: f.clock,
		Tokens: f.tokens, OAuth: f.oauth, Bridges: f.bridges,
		Secrets: app.SecretStores{Keychain: inmem.NewSecretStore()},
	})
	res, err := a.Accounts.MigrateSecrets(context.Background(), domain.SecretBackendKeychain, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Bridge == nil || res.Bridge.Path != bridgeHome || res.Bridge.Account != "web" || len(res.Accounts) != 0 {
		t.Fatalf("result = %+v (bridge %+v); want the bridge %s of account web", res, res.Bridge, bridgeHome)
	}
}
