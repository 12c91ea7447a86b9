package account

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
)

func TestMigrateSecretsFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want MigrateOptions
		code domain.Code
	}{
		{"all", []string{"migrate-secrets", "--to", "keychain"}, MigrateOptions{To: "keychain"}, ""},
		{"one", []string{"migrate-secrets", "--to", "file", "--account", "team", "-f", "json"}, MigrateOptions{To: "file", Account: "team", Format: render.JSON}, ""},
		{"no --to (checked by the run)", []string{"migrate-secrets"}, MigrateOptions{}, ""},
		{"surplus argument", []string{"migrate-secrets", "--to", "file", "team"}, MigrateOptions{}, domain.CodeInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := commandtest.New(fixture(t), nil)
			var got *MigrateOptions
			cmd := NewCmdMigrateSecrets(e.Factory, func(_ context.Context, o *MigrateOptions) error { got = o; return nil })
			err := commandtest.Run(e.Factory, []*cli.Command{{Name: "account", Subcommands: []*cli.Command{cmd}}}, append([]string{"account"}, tt.args...)...)
			if tt.code != "" {
				if domain.CodeOf(err) != tt.code {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.To != tt.want.To || got.Account != tt.want.Account || (tt.want.Format != "" && got.Format != tt.want.Format) {
				t.Fatalf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestMigrateSecretsRun(t *testing.T) {
	ctx := context.Background()
	// An unknown backend is a usage error, before anything is opened.
	e := commandtest.New(fixture(t), nil)
	for _, to := range []string{"vault", ""} {
		err := migrateRun(ctx, &MigrateOptions{IO: e.IO, App: e.Factory.App, To: to})
		if domain.CodeOf(err) != domain.CodeInvalidArgument || !strings.Contains(err.Error(), "keychain or file") {
			t.Fatalf("--to %q = %v", to, err)
		}
	}
	// An app without a keychain cannot move secrets there.
	err := migrateRun(ctx, &MigrateOptions{IO: e.IO, App: e.Factory.App, To: "keychain"})
	if domain.CodeOf(err) != domain.CodeSecretStoreUnavailable {
		t.Fatalf("--to keychain without a keychain = %v", err)
	}
	// Nothing to move: the table says why, the note says how many moved.
	e = commandtest.New(fixture(t), nil)
	if err := migrateRun(ctx, &MigrateOptions{IO: e.IO, App: e.Factory.App, To: "file", Account: "team", Format: render.Table}); err != nil {
		t.Fatal(err)
	}
	if out := e.Stdout.String(); !strings.Contains(out, "team") || !strings.Contains(out, "already there") {
		t.Fatalf("stdout = %q", out)
	}
	if !strings.Contains(e.Stderr.String(), "Moved the secrets of 0 account(s) to the file backend.") {
		t.Fatalf("stderr = %q", e.Stderr.String())
	}
	if strings.Contains(e.Stdout.String()+e.Stderr.String(), fixtureSecret) {
		t.Fatal("the secret was printed")
	}
	// An unknown account.
	err = migrateRun(ctx, &MigrateOptions{IO: e.IO, App: e.Factory.App, To: "file", Account: "nobody"})
	if domain.CodeOf(err) != domain.CodeAccountNotFound {
		t.Fatalf("--account nobody = %v", err)
	}
}

// unavailableFor is a keychain that is unreachable for one account.
type unavailableFor struct {
	*inmem.SecretStore
	account domain.AccountName
}

func (u unavailableFor) Set(ctx context.Context, key ports.SecretKey, v []byte) error {
	if key.Account == u.account {
		return domain.NewError(domain.CodeSecretStoreUnavailable, "the keychain is locked").WithCause(ports.ErrUnavailable)
	}
	return u.SecretStore.Set(ctx, key, v)
}

// A migration that stops half-way with --format json reports the accounts
// it moved before the failure in the error's details.
func TestMigrateSecretsPartialResultInJSONError(t *testing.T) {
	ctx := context.Background()
	cfg, err := domain.NewConfig(domain.ConfigData{Accounts: []domain.Account{
		{Name: "aa", Type: domain.TypeServiceAccount, Region: domain.RegionUS, Username: "u", Secret: domain.NewSecret(fixtureSecret)},
		{Name: "bb", Type: domain.TypeServiceAccount, Region: domain.RegionUS, Username: "u", Secret: domain.NewSecret(fixtureSecret)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	e := commandtest.New(cfg, nil)
	kc := unavailableFor{SecretStore: inmem.NewSecretStore(), account: "bb"}
	newApp := func() (*app.App, error) {
		return app.New(app.Deps{
			Config: e.Store, Storage: e.Storage, Env: inmem.Env{}, API: e.API, Me: e.Me, Clock: e.Clock, Tokens: e.Tokens,
			Secrets: app.SecretStores{Keychain: kc},
		}), nil
	}
	err = migrateRun(ctx, &MigrateOptions{IO: e.IO, App: newApp, To: "keychain", Format: render.JSON})
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.CodeSecretStoreUnavailable {
		t.Fatalf("err = %v", err)
	}
	raw, ok := de.Details["result"].(json.RawMessage)
	if !ok {
		t.Fatalf("details = %v; want the partial result", de.Details)
	}
	var res app.MigrateResult
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Accounts) != 1 || res.Accounts[0].Account != "aa" || !res.Accounts[0].Moved || res.BackendSet {
		t.Fatalf("partial result = %s", raw)
	}
	if strings.Contains(string(raw), fixtureSecret) {
		t.Fatal("the result holds a secret")
	}
}
