package app

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// LoginUser is the user a login authenticated.
type LoginUser struct {
	// ID is the Mixpanel user id.
	ID int64 `json:"id"`
	// Email is the user's email.
	Email string `json:"email"`
}

// LoginProject is the default project of the account after a login.
type LoginProject struct {
	// ID is the project id.
	ID string `json:"id"`
	// Name is the project's name from /me; empty when /me does not list it.
	Name string `json:"name"`
}

// LoginResult is the outcome of Accounts.Login (`mp account login`) and
// Accounts.LoginAny (`mp login`).
type LoginResult struct {
	// Account is the account logged in.
	Account string `json:"account"`
	// Type is the account type.
	Type string `json:"type"`
	// Region is the account region.
	Region string `json:"region"`
	// User is who the credentials belong to (from /me).
	User LoginUser `json:"user"`
	// Project is the account's default project after the login; nil when
	// it has none.
	Project *LoginProject `json:"project"`
	// ExpiresAt is when the new access token expires (RFC 3339, UTC); only
	// for oauth_browser accounts, nil otherwise.
	ExpiresAt *string `json:"expires_at"`
	// Created reports whether LoginAny added a new account (false: an
	// existing account was logged in again).
	Created bool `json:"created"`
	// Active reports whether the account is the active one after the login.
	Active bool `json:"active"`
}

// LoginOptions are the interactive parts of a login, supplied by the
// caller (the CLI).
type LoginOptions struct {
	// NoBrowser: do not open a browser; the URL is reported through Notify
	// and a pasted redirect URL is also accepted from Paste.
	NoBrowser bool
	// Paste is read for a pasted redirect URL (with NoBrowser); nil means
	// no paste fallback.
	Paste io.Reader
	// Notify receives the progress of a browser login (the URL to show,
	// waiting, code received); nil is allowed.
	Notify func(ports.LoginEvent)
	// PickProject asks the user to choose among several projects (sorted by
	// name, then id). Nil means the session is not interactive.
	PickProject func(projects []domain.Project) (domain.ProjectID, error)
}

// LoginInput is what `mp login` gathered from its flags and the
// environment.
type LoginInput struct {
	// Type is the account type to log in with. Empty means: service_account
	// when ServiceAccount, Username or Secret is set, oauth_token when
	// TokenEnv is set, else oauth_browser.
	Type domain.AccountType
	// Name is the account to add or log in again; empty derives it from the
	// first organisation of /me (or finds the existing account of the same
	// identity).
	Name domain.AccountName
	// Region is the account region; empty means: the existing account's
	// region, else probed us → eu → in (service_account, oauth_token), else
	// us (oauth_browser).
	Region domain.Region
	// Project is the project to make the default; it must be listed by /me.
	Project domain.ProjectID
	// ServiceAccount is --service-account.
	ServiceAccount bool
	// Username is the service account's username.
	Username string
	// Secret is the service account's secret.
	Secret domain.Secret
	// TokenEnv names the environment variable an oauth_token account reads
	// its token from (never the token itself).
	TokenEnv string
	// Options are the interactive parts of a browser login and the project
	// picker.
	Options LoginOptions
	// Progress is called before each region of a region probe; may be nil.
	Progress func(domain.Region)
}

// Login runs the browser login (docs/reference/oauth.md) of an existing
// oauth_browser account of the config, in the account's region (other
// types are INVALID_ARGUMENT). The new access token is checked with /me
// before anything is persisted; the region of the account's project (its
// default project, or the one backfilled) must be the account's region.
// Then, in this order: the tokens are saved (under the account's refresh
// lock), the /me answer is cached, and — when the account has no default
// project — one is backfilled: the only project, else the one PickProject
// returns, else the smallest numeric id. Login does not change the active
// account.
func (s *Accounts) Login(ctx context.Context, name domain.AccountName, o LoginOptions) (LoginResult, error) {
	if err := s.c.refuseBridgeAccount(ctx, name, "log in to"); err != nil {
		return LoginResult{}, err
	}
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return LoginResult{}, err
	}
	a, err := cfg.LookupAccount(name)
	if err != nil {
		return LoginResult{}, err
	}
	if a.Type != domain.TypeOAuthBrowser {
		return LoginResult{}, domain.NewError(domain.CodeInvalidArgument,
			"account '%s' is %s: only oauth_browser accounts log in with a browser", name, a.Type).
			WithDetail("account", string(name)).
			WithDetail("type", string(a.Type)).
			WithHint("%s", noBrowserLoginHint(a))
	}
	api, _, flow, err := s.c.loginPorts(true)
	if err != nil {
		return LoginResult{}, err
	}
	log := s.log.With(zap.String("account", string(name)), zap.String("region", string(a.Region)))
	tokens, err := s.c.browserLogin(ctx, flow, a.Region, o)
	if err != nil {
		log.Debug("browser login failed", zap.String("code", string(domain.CodeOf(err))))
		return LoginResult{}, err
	}
	cred := domain.BearerCredential(tokens.AccessToken)
	me, err := api.Me(ctx, domain.Scope{Account: name, Type: a.Type, Region: a.Region, Credential: cred, Headers: headersOf(cfg)})
	if err != nil {
		log.Debug("/me with the new token failed; nothing persisted", zap.String("code", string(domain.CodeOf(err))))
		return LoginResult{}, meError(a, err)
	}
	project := a.DefaultProject
	backfill := false
	if !project.IsSet() {
		if project, err = backfillProject(me, o.PickProject); err != nil {
			return LoginResult{}, err
		}
		backfill = project.IsSet()
	}
	if p, ok := me.Project(project); ok {
		if err := checkProjectRegion(a.Region, p, func(pr domain.Region) string {
			return fmt.Sprintf("move the account to the project's region and log in again: mp account update %s --region %s && mp account login %s", name, pr, name)
		}); err != nil {
			log.Debug("project in another region; nothing persisted", zap.String("project", string(p.ID)))
			return LoginResult{}, err
		}
	}
	if err := s.c.saveTokens(ctx, name, tokens); err != nil {
		return LoginResult{}, err
	}
	if err := s.c.keepMe(ctx, name, cred, a.Region, me); err != nil {
		return LoginResult{}, err
	}
	after := cfg
	if backfill {
		err := s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
			cur, err := cfg.LookupAccount(name)
			if err != nil {
				return err
			}
			if !cur.DefaultProject.IsSet() {
				if err := cfg.SetDefaultProject(name, project); err != nil {
					return err
				}
			}
			after = cfg.Clone()
			return nil
		})
		if err != nil {
			log.Debug("backfilling the default project failed", zap.String("code", string(domain.CodeOf(err))))
			return LoginResult{}, err
		}
	}
	cur, _ := after.Account(name)
	res := loginResult(after, cur, me, tokens)
	log.Debug("logged in", zap.String("project", string(cur.DefaultProject)), zap.Bool("backfilled", backfill),
		zap.Time("expires_at", tokens.ExpiresAt))
	return res, nil
}

// LoginAny is `mp login` (docs/reference/cli.md): it checks the credentials of in
// with /me — probing the region for service_account and oauth_token when
// none is given, running the browser login for oauth_browser — and then
// adds a new account or logs in an existing one again, and makes it active.
//
// The account is in.Name (when it exists, its type and region cannot
// change: INVALID_ARGUMENT saying to remove it first); without a name, an
// existing account of the same type, region and identity (service-account
// username, token_env, or /me user id for oauth_browser) is logged in
// again, else a new name is derived from the first organisation of /me.
// The project is in.Project, else MP_PROJECT_ID (each must be listed by
// /me: PROJECT_NOT_FOUND listing the visible ones), else the existing
// default project, else the only project, else the one PickProject
// returns (no picker: INVALID_ARGUMENT listing the projects). Its region
// must be the account's. Nothing is persisted before all of this passed;
// then the tokens (oauth_browser, under the refresh lock) and the /me
// answer are stored and the config changes in one transaction.
func (s *Accounts) LoginAny(ctx context.Context, in LoginInput) (LoginResult, error) {
	typ, err := loginType(in)
	if err != nil {
		return LoginResult{}, err
	}
	if err := s.checkLoginInput(typ, in); err != nil {
		return LoginResult{}, err
	}
	api, _, flow, err := s.c.loginPorts(typ == domain.TypeOAuthBrowser)
	if err != nil {
		return LoginResult{}, err
	}
	cfg, err := s.c.deps.Config.Load(ctx)
	if err != nil {
		return LoginResult{}, err
	}
	headers := headersOf(cfg)

	cand := domain.Account{Name: in.Name, Type: typ, Region: in.Region, Username: in.Username, Secret: in.Secret, TokenEnv: in.TokenEnv}
	if in.Name != "" {
		if ex, ok := cfg.Account(in.Name); ok {
			if err := checkRelogin(ex, typ, in.Region); err != nil {
				return LoginResult{}, err
			}
			cand.Region = ex.Region
		}
	}

	// Check the credentials with /me; nothing is persisted before.
	var (
		me     domain.Me
		tokens domain.Tokens
		cred   domain.Credential
	)
	switch typ {
	case domain.TypeOAuthBrowser:
		if cand.Region == "" {
			cand.Region = domain.RegionUS
		}
		if tokens, err = s.c.browserLogin(ctx, flow, cand.Region, in.Options); err != nil {
			s.log.Debug("browser login failed", zap.String("code", string(domain.CodeOf(err))))
			return LoginResult{}, err
		}
		cred = domain.BearerCredential(tokens.AccessToken)
		me, err = api.Me(ctx, domain.Scope{Account: cand.Name, Type: typ, Region: cand.Region, Credential: cred, Headers: headers})
		if err != nil {
			s.log.Debug("/me with the new token failed; nothing persisted", zap.String("code", string(domain.CodeOf(err))))
			return LoginResult{}, loginMeError(cand, err)
		}
	default:
		if cred, err = s.c.credentialFor(ctx, cand); err != nil {
			return LoginResult{}, err
		}
		if cand.Region == "" {
			r, m, tried, err := s.c.probe(ctx, api, cand, headers, in.Progress)
			switch {
			case err != nil:
				cand.Region = regionAfter(tried)
				return LoginResult{}, loginMeError(cand, err)
			case r == "":
				return LoginResult{}, domain.NewError(domain.CodeRegionProbeFailed,
					"could not find the region of %s: Mixpanel refused the credentials (401) in every region tried: %s", describe(cand), regionList(tried)).
					WithDetail("regions_tried", stringsOf(tried)).
					WithHint("%s", probeHint(cand))
			}
			cand.Region, me = r, m
		} else {
			me, err = api.Me(ctx, domain.Scope{Account: cand.Name, Type: typ, Region: cand.Region, Credential: cred, Headers: headers})
			if err != nil {
				return LoginResult{}, loginMeError(cand, err)
			}
		}
	}
	log := s.log.With(zap.String("type", string(typ)), zap.String("region", string(cand.Region)))

	// Which account: the named one, one of the same identity, or a new one.
	name := in.Name
	var existing *domain.Account
	if name != "" {
		if ex, ok := cfg.Account(name); ok {
			existing = &ex
		}
	} else {
		if ex, ok := s.sameIdentity(ctx, cfg, cand, me); ok {
			existing, name = &ex, ex.Name
		} else {
			name = domain.AccountNameFor(me.Organizations, func(n domain.AccountName) bool {
				_, taken := cfg.Account(n)
				return taken || isEnvAccountName(n)
			})
		}
	}
	cand.Name = name
	log = log.With(zap.String("account", string(name)), zap.Bool("existing", existing != nil))

	project, err := s.loginProject(in, existing, me)
	if err != nil {
		return LoginResult{}, err
	}
	if p, ok := me.Project(project); ok {
		if err := checkProjectRegion(cand.Region, p, func(pr domain.Region) string {
			if existing != nil {
				return fmt.Sprintf("account '%s' stays in region %s: remove it first (mp account remove %s), then log in with --region %s", name, cand.Region, name, pr)
			}
			return fmt.Sprintf("log in with --region %s", pr)
		}); err != nil {
			log.Debug("project in another region; nothing persisted", zap.String("project", string(p.ID)))
			return LoginResult{}, err
		}
	}

	// Persist: the tokens (oauth_browser: in the selected backend, under
	// the refresh lock), then the config in one transaction that records
	// where the tokens are, then /me.
	var placed *tokenPlacement
	if typ == domain.TypeOAuthBrowser {
		if placed, err = s.c.placeTokens(ctx, name, tokens); err != nil {
			return LoginResult{}, err
		}
	}
	var (
		created bool
		after   domain.Config
		written secretWrite
	)
	err = s.c.deps.Config.Update(ctx, func(cfg *domain.Config) error {
		prev, existed := cfg.Account(name)
		var err error
		created, err = applyLogin(cfg, cand, project)
		if err != nil {
			return err
		}
		// A new or changed secret goes to the backend (back to the keychain
		// when it was there); an unchanged inline one stays inline.
		if !existed || prev.External || !prev.Secret.Equal(cand.Secret) {
			if written, err = s.c.storeSecret(ctx, cfg, name, prev); err != nil {
				return err
			}
		}
		if err := placed.record(cfg); err != nil {
			return err
		}
		after = cfg.Clone()
		return nil
	})
	if err != nil {
		s.c.undoSecret(ctx, written)
		placed.undo(ctx)
		log.Debug("storing the login failed", zap.String("code", string(domain.CodeOf(err))))
		return LoginResult{}, err
	}
	placed.finish(ctx)
	if err := s.c.keepMe(ctx, name, cred, cand.Region, me); err != nil {
		return LoginResult{}, err
	}
	cur, _ := after.Account(name)
	res := loginResult(after, cur, me, tokens)
	res.Created = created
	log.Debug("logged in", zap.Bool("created", created), zap.String("project", string(cur.DefaultProject)))
	return res, nil
}

// loginPorts returns the ports a login needs; browser adds the token
// store and the OAuth flow.
func (c *core) loginPorts(browser bool) (ports.MixpanelAPI, ports.TokenStore, ports.OAuthFlow, error) {
	api, err := c.api()
	if err != nil {
		return nil, nil, nil, err
	}
	if _, err := c.now(); err != nil {
		return nil, nil, nil, err
	}
	if !browser {
		return api, nil, nil, nil
	}
	store, err := c.tokenStore()
	if err != nil {
		return nil, nil, nil, err
	}
	flow, err := c.oauthFlow()
	if err != nil {
		return nil, nil, nil, err
	}
	return api, store, flow, nil
}

// browserLogin runs the OAuth flow in region and checks the tokens it
// returns.
func (c *core) browserLogin(ctx context.Context, flow ports.OAuthFlow, region domain.Region, o LoginOptions) (domain.Tokens, error) {
	t, err := flow.Login(ctx, ports.LoginRequest{Region: region, NoBrowser: o.NoBrowser, Paste: o.Paste, Notify: o.Notify})
	if err != nil {
		return domain.Tokens{}, err
	}
	if err := t.Validate(); err != nil {
		return domain.Tokens{}, domain.NewError(domain.CodeOAuthTokenError, "the login returned unusable tokens").
			WithHint("try the login again").
			WithCause(err)
	}
	return t, nil
}

// keepMe caches a /me answer a login got, in memory and on disk.
func (c *core) keepMe(ctx context.Context, name domain.AccountName, cred domain.Credential, region domain.Region, me domain.Me) error {
	now, err := c.now()
	if err != nil {
		return err
	}
	e := domain.CachedMe{Me: me, CachedAt: now}
	c.forget(name)
	c.remember(name, cred, region, e)
	c.store(ctx, name, e)
	return nil
}

// loginType returns the account type of a login.
func loginType(in LoginInput) (domain.AccountType, error) {
	if in.Type != "" {
		return domain.ParseAccountType(string(in.Type))
	}
	switch {
	case in.ServiceAccount || in.Username != "" || !in.Secret.IsZero():
		return domain.TypeServiceAccount, nil
	case in.TokenEnv != "":
		return domain.TypeOAuthToken, nil
	}
	return domain.TypeOAuthBrowser, nil
}

// checkLoginInput validates the fields of in for typ.
func (s *Accounts) checkLoginInput(typ domain.AccountType, in LoginInput) error {
	if in.Name != "" {
		if _, err := domain.ParseAccountName(string(in.Name)); err != nil {
			return err
		}
		if isEnvAccountName(in.Name) {
			return domain.NewError(domain.CodeInvalidArgument, "the name '%s' is reserved for the account built from environment variables", in.Name).
				WithDetail("flag", "--name").
				WithHint("pick another --name")
		}
	}
	if in.Region != "" {
		if _, err := domain.ParseRegion(string(in.Region)); err != nil {
			return err
		}
	}
	if in.Project != "" {
		if _, err := domain.ParseProjectID(string(in.Project)); err != nil {
			return err
		}
	}
	switch typ {
	case domain.TypeServiceAccount:
		if in.TokenEnv != "" {
			return domain.NewError(domain.CodeInvalidArgument, "--token-env applies to static tokens, not to service accounts").
				WithDetail("flag", "--token-env")
		}
		if in.Username == "" {
			return domain.NewError(domain.CodeInvalidArgument, "a service-account login needs a username").
				WithDetail("flag", "--username").
				WithHint("pass --username or export MP_USERNAME")
		}
		if in.Secret.IsZero() {
			return domain.NewError(domain.CodeInvalidArgument, "a service-account login needs a secret").
				WithDetail("flag", "--secret-stdin").
				WithHint("pipe it to --secret-stdin or export MP_SECRET")
		}
	case domain.TypeOAuthToken:
		if in.Username != "" || !in.Secret.IsZero() {
			return domain.NewError(domain.CodeInvalidArgument, "a static-token login takes no username or secret")
		}
		if err := s.checkLoginTokenEnv(in.TokenEnv); err != nil {
			return err
		}
	case domain.TypeOAuthBrowser:
		if in.Username != "" || !in.Secret.IsZero() || in.TokenEnv != "" {
			return domain.NewError(domain.CodeInvalidArgument, "a browser login takes no username, secret or token")
		}
	}
	return nil
}

// checkRelogin checks that an existing account can be logged in again as
// typ in region (empty: its own region).
func checkRelogin(ex domain.Account, typ domain.AccountType, region domain.Region) error {
	if ex.Type != typ {
		return domain.NewError(domain.CodeInvalidArgument,
			"account '%s' is %s; a login cannot change it to %s", ex.Name, ex.Type, typ).
			WithDetail("account", string(ex.Name)).
			WithDetail("type", string(ex.Type)).
			WithHint("remove it first: mp account remove %s (or pick another --name)", ex.Name)
	}
	if region != "" && ex.Region != region {
		return domain.NewError(domain.CodeInvalidArgument,
			"account '%s' is in region %s; a login cannot move it to %s", ex.Name, ex.Region, region).
			WithDetail("account", string(ex.Name)).
			WithDetail("region", string(ex.Region)).
			WithHint("remove it first: mp account remove %s (or pick another --name)", ex.Name)
	}
	return nil
}

// sameIdentity finds the config account a login without --name logs in
// again: the same type and region, and the same service-account username,
// token_env, or (oauth_browser) /me user id from its cached /me answer.
func (s *Accounts) sameIdentity(ctx context.Context, cfg domain.Config, cand domain.Account, me domain.Me) (domain.Account, bool) {
	for _, a := range cfg.Accounts() {
		if a.Type != cand.Type || a.Region != cand.Region {
			continue
		}
		switch a.Type {
		case domain.TypeServiceAccount:
			if a.Username == cand.Username {
				return a, true
			}
		case domain.TypeOAuthToken:
			if a.TokenEnv != "" && a.TokenEnv == cand.TokenEnv {
				return a, true
			}
		case domain.TypeOAuthBrowser:
			if me.User.ID == 0 {
				continue
			}
			if m, ok, err := s.c.cachedMe(ctx, a, false); err == nil && ok && m.User.ID == me.User.ID {
				return a, true
			}
		}
	}
	return domain.Account{}, false
}

// loginProject picks the default project of a `mp login` (see LoginAny).
func (s *Accounts) loginProject(in LoginInput, existing *domain.Account, me domain.Me) (domain.ProjectID, error) {
	if in.Project != "" {
		return visibleProject(me, in.Project, "--project")
	}
	if v, _ := s.c.deps.Env.LookupEnv(domain.EnvProjectID); strings.TrimSpace(v) != "" {
		id, err := domain.ParseProjectID(strings.TrimSpace(v))
		if err != nil {
			return "", domain.NewError(domain.CodeInvalidArgument, "%s=%q is not a project id (digits only)", domain.EnvProjectID, v).
				WithDetail("env", domain.EnvProjectID).
				WithHint("fix or unset %s", domain.EnvProjectID)
		}
		return visibleProject(me, id, domain.EnvProjectID)
	}
	if existing != nil && existing.DefaultProject.IsSet() {
		return existing.DefaultProject, nil
	}
	switch len(me.Projects) {
	case 0:
		return "", nil
	case 1:
		return me.Projects[0].ID, nil
	}
	if in.Options.PickProject == nil {
		return "", domain.NewError(domain.CodeInvalidArgument,
			"these credentials can see %d projects; say which one to use: %s", len(me.Projects), projectList(me.Projects)).
			WithDetail("projects", projectIDs(me.Projects)).
			WithHint("pass --project ID")
	}
	return pickProject(me, in.Options.PickProject)
}

// backfillProject picks the project `mp account login` backfills: the
// only one, else the one pick returns, else the smallest numeric id; ""
// when /me lists none.
func backfillProject(me domain.Me, pick func([]domain.Project) (domain.ProjectID, error)) (domain.ProjectID, error) {
	switch {
	case len(me.Projects) == 0:
		return "", nil
	case len(me.Projects) == 1:
		return me.Projects[0].ID, nil
	case pick != nil:
		return pickProject(me, pick)
	}
	ids := projectIDs(me.Projects)
	slices.SortFunc(ids, func(a, b string) int {
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	return domain.ProjectID(ids[0]), nil
}

// pickProject asks pick and checks that the answer is listed by /me.
func pickProject(me domain.Me, pick func([]domain.Project) (domain.ProjectID, error)) (domain.ProjectID, error) {
	id, err := pick(slices.Clone(me.Projects))
	if err != nil {
		return "", err
	}
	return visibleProject(me, id, "the chosen project")
}

// visibleProject checks that /me lists id; from names where id came from.
func visibleProject(me domain.Me, id domain.ProjectID, from string) (domain.ProjectID, error) {
	if _, ok := me.Project(id); ok {
		return id, nil
	}
	return "", domain.NewError(domain.CodeProjectNotFound,
		"project %s (%s) is not among the projects these credentials can see: %s", id, from, projectList(me.Projects)).
		WithDetail("project", string(id)).
		WithDetail("projects", projectIDs(me.Projects)).
		WithHint("pass one of the listed ids with --project")
}

// checkProjectRegion fails when the project's data lives in another region
// than the account's.
func checkProjectRegion(region domain.Region, p domain.Project, hint func(projectRegion domain.Region) string) error {
	pr, ok := p.Region()
	if !ok || pr == region {
		return nil
	}
	return domain.NewError(domain.CodeInvalidArgument,
		"project %s (%s) lives in region %s, but the login is for region %s", p.ID, p.Name, pr, region).
		WithDetail("project", string(p.ID)).
		WithDetail("project_region", string(pr)).
		WithDetail("region", string(region)).
		WithHint("%s", hint(pr))
}

// applyLogin adds the logged-in account to cfg or updates the existing one
// (type and region must match), sets its default project when project is
// set, and makes it active — clearing the active workspace when the
// account or its project changes. created says whether it was added.
func applyLogin(cfg *domain.Config, a domain.Account, project domain.ProjectID) (created bool, err error) {
	cur, exists := cfg.Account(a.Name)
	projectChanged := false
	if exists {
		if err := checkRelogin(cur, a.Type, a.Region); err != nil {
			return false, err
		}
		var p domain.AccountPatch
		switch a.Type {
		case domain.TypeServiceAccount:
			if cur.Username != a.Username {
				p.Username = &a.Username
			}
			if !cur.Secret.Equal(a.Secret) {
				p.Secret = &a.Secret
			}
		case domain.TypeOAuthToken:
			if cur.TokenEnv != a.TokenEnv {
				p.TokenEnv = &a.TokenEnv
			}
		}
		if project.IsSet() && project != cur.DefaultProject {
			p.DefaultProject = &project
			projectChanged = true
		}
		if !p.IsEmpty() {
			if _, err := cfg.UpdateAccount(a.Name, p); err != nil {
				return false, err
			}
		}
	} else {
		a.DefaultProject = project
		if _, err := cfg.AddAccount(a); err != nil {
			return false, err
		}
	}
	before := cfg.Active()
	switch {
	case before.Account != a.Name:
		err = cfg.UseAccount(a.Name)
	case projectChanged:
		cfg.ClearActiveWorkspace()
	}
	return !exists, err
}

// loginResult builds the result of a login of a, as stored in cfg.
func loginResult(cfg domain.Config, a domain.Account, me domain.Me, t domain.Tokens) LoginResult {
	res := LoginResult{
		Account: string(a.Name),
		Type:    string(a.Type),
		Region:  string(a.Region),
		User:    LoginUser{ID: me.User.ID, Email: me.User.Email},
		Active:  cfg.Active().Account == a.Name,
	}
	if a.DefaultProject.IsSet() {
		p := &LoginProject{ID: string(a.DefaultProject)}
		if mp, ok := me.Project(a.DefaultProject); ok {
			p.Name = mp.Name
		}
		res.Project = p
	}
	if a.Type == domain.TypeOAuthBrowser && !t.ExpiresAt.IsZero() {
		s := t.ExpiresAt.UTC().Format(time.RFC3339)
		res.ExpiresAt = &s
	}
	return res
}

// loginMeError completes a /me error of `mp login`: like meError when the
// account has a name, otherwise without one.
func loginMeError(cand domain.Account, err error) error {
	if cand.Name != "" {
		return meError(cand, err)
	}
	de := asError(err)
	if de == nil || de.Code != domain.CodeAuthFailed {
		return err
	}
	out := cloneError(de)
	out.Message = fmt.Sprintf("Mixpanel refused the credentials of %s in region %s (%s)", describe(cand), cand.Region, de.Message)
	switch cand.Type {
	case domain.TypeServiceAccount:
		out.Hint = "check the username and secret (--username/MP_USERNAME, --secret-stdin/MP_SECRET) and the region (a credential works only in its own region)"
	case domain.TypeOAuthToken:
		out.Hint = "the token in $" + cand.TokenEnv + " may have expired: export a fresh one; check the region too"
	default:
		out.Hint = "run mp login again"
	}
	if _, ok := out.Details["region"]; !ok {
		out.WithDetail("region", string(cand.Region))
	}
	return out
}

// describe names an account in messages, also before it has a name.
func describe(a domain.Account) string {
	if a.Name != "" {
		return "account '" + string(a.Name) + "'"
	}
	switch a.Type {
	case domain.TypeServiceAccount:
		return "service account " + a.Username
	case domain.TypeOAuthToken:
		return "the token in $" + a.TokenEnv
	}
	return "the browser login"
}

// noBrowserLoginHint says how a non-browser account gets its credentials.
func noBrowserLoginHint(a domain.Account) string {
	if a.Type == domain.TypeServiceAccount {
		return fmt.Sprintf("service accounts use a username and secret: mp account update %s --secret-stdin", a.Name)
	}
	return fmt.Sprintf("static-token accounts take their token from mp account update %s --token-env VAR or --token-stdin", a.Name)
}

// projectList renders projects as "111 (Apps), 100 (Zoo)".
func projectList(ps []domain.Project) string {
	if len(ps) == 0 {
		return "(none)"
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s (%s)", p.ID, p.Name)
	}
	return strings.Join(parts, ", ")
}

// projectIDs returns the ids of projects.
func projectIDs(ps []domain.Project) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p.ID)
	}
	return out
}

// checkLoginTokenEnv checks the variable an oauth_token login reads its
// token from: a valid name, set (read through ports.Env) to a token.
func (s *Accounts) checkLoginTokenEnv(name string) error {
	var v string
	if domain.ValidEnvVarName(name) {
		v, _ = s.c.deps.Env.LookupEnv(name)
	}
	return domain.CheckLoginTokenEnv(name, v)
}

// LoginFlags are the credential flags of `mp login`, as given, before any
// secret is read.
type LoginFlags struct {
	// ServiceAccount is --service-account.
	ServiceAccount bool
	// Username is --username; UsernameSet reports whether it was given.
	Username    string
	UsernameSet bool
	// SecretStdin is --secret-stdin: the caller reads the secret from stdin.
	SecretStdin bool
	// TokenEnv is --token-env; TokenEnvSet reports whether it was given.
	TokenEnv    string
	TokenEnvSet bool
	// NoBrowser is --no-browser.
	NoBrowser bool
}

// LoginPlan is what `mp login` sets up, decided by PlanLogin before any
// secret is read.
type LoginPlan struct {
	// Type is the account type (domain.DetectLoginType).
	Type domain.AccountType
	// Reason says which flag or environment variable picked Type.
	Reason domain.LoginTypeReason
	// Username is a service account's username: --username, else
	// $MP_USERNAME. Empty for the other types.
	Username string
	// TokenEnv is the variable an oauth_token account reads its token
	// from: --token-env, else MP_OAUTH_TOKEN. Empty for the other types.
	TokenEnv string
}

// PlanLogin decides the account type of `mp login` from f and the
// environment (MP_USERNAME, MP_SECRET, MP_OAUTH_TOKEN, read through
// ports.Env; see domain.DetectLoginType), and checks what can be checked
// before a secret is read: a service account's username (--username, else
// $MP_USERNAME), an oauth_token account's variable (a valid name, set).
// The caller then gathers a service account's secret and calls LoginAny
// with Type, Username and TokenEnv of the plan. Errors are
// INVALID_ARGUMENT.
func (s *Accounts) PlanLogin(f LoginFlags) (LoginPlan, error) {
	env := func(name string) string {
		v, _ := s.c.deps.Env.LookupEnv(name)
		return v
	}
	typ, reason, err := domain.DetectLoginType(domain.LoginSignals{
		ServiceAccount: f.ServiceAccount,
		Username:       f.UsernameSet,
		SecretStdin:    f.SecretStdin,
		TokenEnv:       f.TokenEnvSet,
		NoBrowser:      f.NoBrowser,
		EnvUsername:    env(domain.EnvUsername) != "",
		EnvSecret:      env(domain.EnvSecret) != "",
		EnvOAuthToken:  env(domain.EnvOAuthToken) != "",
	})
	if err != nil {
		return LoginPlan{}, err
	}
	plan := LoginPlan{Type: typ, Reason: reason}
	switch typ {
	case domain.TypeServiceAccount:
		if plan.Username, err = domain.LoginUsername(f.Username, env(domain.EnvUsername)); err != nil {
			return LoginPlan{}, err
		}
	case domain.TypeOAuthToken:
		plan.TokenEnv = f.TokenEnv
		if !f.TokenEnvSet {
			plan.TokenEnv = domain.EnvOAuthToken
		}
		if err := s.checkLoginTokenEnv(plan.TokenEnv); err != nil {
			return LoginPlan{}, err
		}
	}
	s.log.Debug("login planned", zap.String("type", string(typ)), zap.String("reason", string(reason)))
	return plan, nil
}
