package app

import (
	"context"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// Accounts manages the accounts of the config: list, show, add, update, use
// and remove.
type Accounts struct {
	c   *core
	log *zap.Logger
}

// List returns every account of the config, sorted by name, and — when a
// bridge is in effect whose account the config does not have — the
// bridge's account last (secret_store "bridge", never active), so that a
// machine that has only a bridge lists the account it works as.
func (s *Accounts) List(ctx context.Context) ([]AccountSummary, error) {
	cfg, br, err := s.c.load(ctx)
	if err != nil {
		return nil, err
	}
	out := listSummaries(cfg, func(a domain.Account) string { return s.c.secretLocation(cfg, a) })
	if br != nil {
		if _, ok := cfg.Account(br.Account.Name); !ok {
			out = append(out, summarizeBridge(br.Account))
		}
	}
	s.log.Debug("listed accounts", zap.Int("count", len(out)), zap.Bool("bridge", br != nil))
	return out, nil
}

// listSummaries returns the AccountSummary of every account of cfg,
// sorted by name, with room for one more; store says where an account's
// secrets live. It walks the accounts and the targets once each, in name
// order, and gives all the summaries three backing arrays (the summaries,
// the names of the targets that point at them, their default projects)
// rather than allocating per account: a config may hold thousands.
func listSummaries(cfg domain.Config, store func(domain.Account) string) []AccountSummary {
	refs := cfg.TargetRefs() // sorted by account, then target: walked with the accounts
	targets := make([]string, len(refs))
	for i, r := range refs {
		targets[i] = string(r.Target)
	}
	n := cfg.AccountCount()
	projects := make([]string, 0, n) // never grows: the pointers stay put
	active := cfg.Active().Account
	out := make([]AccountSummary, 0, n+1)
	next := 0
	for a := range cfg.AllAccounts() {
		name := a.Name
		for next < len(refs) && refs[next].Account < name {
			next++ // a target of an account the config does not have
		}
		from := next
		for next < len(refs) && refs[next].Account == name {
			next++
		}
		// The full slice expression caps each account's names, so that an
		// append to one never writes over the next account's.
		sum := summaryOf(a, active, targets[from:next:next])
		sum.SecretStore = store(a)
		if a.DefaultProject.IsSet() {
			projects = append(projects, string(a.DefaultProject))
			sum.DefaultProject = &projects[len(projects)-1]
		}
		out = append(out, sum)
	}
	return out
}

// Show returns one account. With a name it is that account of the config
// (or the env-built account of that name while the environment builds it,
// or the bridge's account when the config has none of that name). With an
// empty name it is the account the resolver picks from sel, the
// environment, the bridge and the config (account axis only). Accounts
// built from the environment or carried by a bridge are never active.
func (s *Accounts) Show(ctx context.Context, sel domain.Selection, name domain.AccountName) (AccountSummary, error) {
	ra, err := s.c.account(ctx, sel, name)
	if err != nil {
		return AccountSummary{}, err
	}
	a := ra.account
	s.log.Debug("showing account", zap.String("account", string(a.Name)), zap.String("type", string(a.Type)),
		zap.Bool("env", ra.origin.env), zap.Bool("bridge", ra.origin.bridge != nil))
	switch {
	case ra.origin.env:
		return summarizeEnvBuilt(a), nil
	case ra.origin.bridge != nil:
		return summarizeBridge(a), nil
	}
	sum := summarize(ra.cfg, a)
	sum.SecretStore = s.c.secretLocation(ra.cfg, a)
	return sum, nil
}

// Add stores a fully built account (the caller gathered its secret). The
// first account of a config with no active account becomes active; the
// result says so. With the keychain backend the secret (or token) goes to
// the OS keychain and the config gets an empty value; a keychain failure
// stores nothing. When ProbeRegion found the account's region, the /me
// answer it got is cached for the account.
func (s *Accounts) Add(ctx context.Context, a domain.Account) (AddAccountResult, error) {
	var (
		res     AddAccountResult
		written secretWrite
	)
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		promoted, err := cfg.AddAccount(a)
		if err != nil {
			return err
		}
		// A new account keeps no tokens anywhere: a record left by an
		// earlier account of that name (edited by hand) is dropped.
		if err := cfg.SetTokenBackend(a.Name, domain.SecretBackendFile); err != nil {
			return err
		}
		if written, err = s.c.storeSecret(ctx, cfg, a.Name, domain.Account{}); err != nil {
			return err
		}
		stored, _ := cfg.Account(a.Name)
		res = AddAccountResult{Account: summarize(*cfg, stored), Promoted: promoted}
		return nil
	})
	if err != nil {
		s.c.undoSecret(ctx, written)
		s.log.Debug("adding account failed", zap.String("account", string(a.Name)), zap.String("code", string(domain.CodeOf(err))))
		return AddAccountResult{}, err
	}
	s.log.Debug("added account", zap.String("account", string(a.Name)), zap.String("type", string(a.Type)),
		zap.String("region", string(a.Region)), zap.Bool("promoted", res.Promoted))
	s.adopt(ctx, a)
	return res, nil
}

// Update changes the given fields of a config account; the type never
// changes. Accounts built from the environment cannot be updated
// (CONFIG_ERROR with a hint).
//
// A new secret or token of an account that keeps it in the keychain (or
// with the keychain backend) is written to the keychain; one whose secret
// comes from a command cannot take a new one. When the update moves the
// credential out of the keychain (e.g. --token-env), the keychain copy is
// deleted afterwards.
func (s *Accounts) Update(ctx context.Context, name domain.AccountName, p domain.AccountPatch) (AccountSummary, error) {
	if err := s.c.refuseBridgeAccount(ctx, name, "update"); err != nil {
		return AccountSummary{}, err
	}
	var (
		res     AccountSummary
		before  domain.Account
		after   domain.Account
		hadCmd  bool
		written secretWrite
	)
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		cur, ok := cfg.Account(name)
		if !ok && isEnvAccountName(name) {
			return errEnvAccountReadOnly(name, "update")
		}
		before = cur
		hadCmd = len(cfg.Settings().SecretCommands[name]) > 0
		if _, err := cfg.UpdateAccount(name, p); err != nil {
			return err
		}
		if p.Secret != nil || p.Token != nil {
			// Only a new secret goes to the backend; an untouched one
			// stays where it is (migrate-secrets moves those).
			var err error
			if written, err = s.c.storeSecret(ctx, cfg, name, cur); err != nil {
				return err
			}
		}
		after, _ = cfg.Account(name)
		res = summarize(*cfg, after)
		return nil
	})
	if err != nil {
		s.c.undoSecret(ctx, written)
		s.log.Debug("updating account failed", zap.String("account", string(name)), zap.String("code", string(domain.CodeOf(err))))
		return AccountSummary{}, err
	}
	s.log.Debug("updated account", zap.String("account", string(name)), zap.Strings("fields", patchFields(p)))
	if before.External && !after.External && !hadCmd {
		// The credential left the keychain (inline again, or token_env).
		if err := s.c.forgetSecrets(ctx, before, false, domain.SecretBackendFile); err != nil {
			s.log.Debug("could not delete the old keychain copy", zap.String("account", string(name)), zap.String("code", string(domain.CodeOf(err))))
		}
	}
	if changesIdentity(p) {
		// The cached /me belongs to the old credentials or region.
		if err := s.c.forgetMe(ctx, name); err != nil {
			return res, err
		}
	}
	return res, nil
}

// changesIdentity reports whether a patch changes who the account is or
// where it calls (credentials, region), which makes its /me cache stale.
func changesIdentity(p domain.AccountPatch) bool {
	return p.Region != nil || p.Username != nil || p.Secret != nil || p.Token != nil || p.TokenEnv != nil
}

// Use makes a config account active. Switching to another account clears
// the active workspace, which belonged to the previous account's project.
// When a bridge in effect outranks [active] in runs without --account or
// --target, the result's ShadowedByBridge and Note say so.
func (s *Accounts) Use(ctx context.Context, name domain.AccountName) (AccountSummary, error) {
	if err := s.c.refuseBridgeAccount(ctx, name, "make active"); err != nil {
		return AccountSummary{}, err
	}
	var (
		res     AccountSummary
		cleared domain.WorkspaceID
		after   domain.Config
	)
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		before := cfg.Active()
		if err := cfg.UseAccount(name); err != nil {
			return err
		}
		if before.Account != name {
			cleared = before.Workspace
		}
		a, _ := cfg.Account(name)
		res, after = summarize(*cfg, a), cfg.Clone()
		return nil
	})
	if err != nil {
		s.log.Debug("using account failed", zap.String("account", string(name)), zap.String("code", string(domain.CodeOf(err))))
		return AccountSummary{}, err
	}
	res.ShadowedByBridge, res.Note = s.c.bridgeShadow(after, s.c.discoverBridgeQuietly(ctx), "the active account '"+string(name)+"'")
	s.log.Debug("active account set", zap.String("account", string(name)), zap.Int64("cleared_workspace", int64(cleared)),
		zap.String("shadowed_by_bridge", res.ShadowedByBridge))
	return res, nil
}

// Remove deletes a config account: first from the config (one transaction;
// refused with ACCOUNT_IN_USE while targets reference it unless force, which
// leaves them orphaned; [active] is cleared when it was active), then its
// stored data (accounts/<name>/). When the data removal fails the account is
// already gone from the config: the result is returned together with a
// CONFIG_ERROR saying the directory must be deleted by hand.
func (s *Accounts) Remove(ctx context.Context, name domain.AccountName, force bool) (RemoveAccountResult, error) {
	if err := s.c.refuseBridgeAccount(ctx, name, "remove"); err != nil {
		return RemoveAccountResult{Name: string(name), Orphaned: []string{}}, err
	}
	res := RemoveAccountResult{Name: string(name), Orphaned: []string{}}
	var (
		removed  domain.Account
		hadCmd   bool
		tokensIn domain.SecretBackend
	)
	err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		removed, _ = cfg.Account(name)
		hadCmd = len(cfg.Settings().SecretCommands[name]) > 0
		tokensIn = cfg.Settings().TokenBackends.Of(name)
		wasActive := cfg.Active().Account == name
		orphaned, err := cfg.RemoveAccount(name, force)
		if err != nil {
			return err
		}
		if err := cfg.SetTokenBackend(name, domain.SecretBackendFile); err != nil {
			return err
		}
		res.WasActive = wasActive
		res.Orphaned = stringsOf(orphaned)
		return nil
	})
	if err != nil {
		s.log.Debug("removing account failed", zap.String("account", string(name)), zap.String("code", string(domain.CodeOf(err))))
		return RemoveAccountResult{}, err
	}
	s.c.forget(name)
	s.log.Debug("removed account from config", zap.String("account", string(name)),
		zap.Strings("orphaned_targets", res.Orphaned), zap.Bool("was_active", res.WasActive))
	if err := s.c.deps.Storage.RemoveAccountData(ctx, name); err != nil {
		s.log.Debug("removing account data failed", zap.String("account", string(name)), zap.Error(err))
		return res, domain.NewError(domain.CodeConfigError,
			"account '%s' was removed from the config, but its stored data (accounts/%s/ in the storage directory) could not be deleted", name, name).
			WithDetail("account", string(name)).
			WithHint("delete the directory accounts/%s/ under the storage directory (MP_OAUTH_STORAGE_DIR, default ~/.mp) by hand", name).
			WithCause(err)
	}
	s.log.Debug("removed account data", zap.String("account", string(name)))
	if err := s.c.forgetSecrets(ctx, removed, hadCmd, tokensIn); err != nil {
		s.log.Debug("removing keychain secrets failed", zap.String("account", string(name)), zap.String("code", string(domain.CodeOf(err))))
		return res, domain.NewError(domain.CodeSecretStoreUnavailable,
			"account '%s' was removed from the config, but its secrets could not be deleted from the OS keychain", name).
			WithDetail("account", string(name)).
			WithHint("delete the items of service \"mp\" whose user starts with \"%s/\" with your keychain tool (e.g. secret-tool, Keychain Access)", name).
			WithCause(err)
	}
	return res, nil
}

// patchFields names the fields a patch changes, for logs (never values).
func patchFields(p domain.AccountPatch) []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(p.Region != nil, "region")
	add(p.DefaultProject != nil, "default_project")
	add(p.ClearProject, "clear_project")
	add(p.Username != nil, "username")
	add(p.Secret != nil, "secret")
	add(p.Token != nil, "token")
	add(p.TokenEnv != nil, "token_env")
	return out
}

// refuseBridgeAccount is the CONFIG_ERROR for a config change (action:
// "update", "make active", "remove", "log out of") aimed at the account of
// the bridge in effect when the config has no account of that name: the
// bridge's account lives in the bridge file, not in the config, so the
// change is refused before the config (or ~/.mp) is touched. Any other
// name — and a failure to read the config or the bridge, which the change
// itself reports — gives nil.
func (c *core) refuseBridgeAccount(ctx context.Context, name domain.AccountName, action string) error {
	br := c.bridgeOnlyAccount(ctx, name)
	if br == nil {
		return nil
	}
	if action == "log in to" {
		return errBridgeAccountReadOnly(br, action).
			WithHint("the bridge carries the account's tokens: log in on the host (mp account login %s) and export the bridge again (mp account export-bridge --account %s --to PATH)", name, name)
	}
	return errBridgeAccountReadOnly(br, action).
		WithHint("the bridge's account is used whenever no other account is selected; to change it, change the account on the host and export the bridge again (mp account export-bridge)")
}
