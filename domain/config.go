package domain

import (
	"iter"
	"slices"
	"strings"
)

// Config is the aggregate persisted in config.toml: accounts, targets, the
// active selection and settings. Its methods keep the invariants of
// docs/reference/model.md; the zero value is an empty, valid config.
//
// Config is a value: copies share nothing after Clone. Stores hand out
// fresh values, so mutating one never affects another.
type Config struct {
	// accounts and targets are sorted by name, without duplicates: a
	// lookup is a binary search, a listing a copy. Two slices take a
	// third of the memory of two maps and need no sort to list (a
	// config of 5,000 accounts and 5,000 targets: 1.7 MB of maps).
	accounts []Account
	targets  []Target
	active   Active
	settings Settings
	// shared marks a value handed out by Share: its slices belong to
	// someone else too, so the first change copies them (own).
	shared bool
}

// ConfigData is the plain form of a Config, used by stores to load and save
// it.
type ConfigData struct {
	Accounts []Account
	Targets  []Target
	Active   Active
	Settings Settings
}

// NewConfig builds a Config from its plain form and validates every value.
// References are checked leniently: a target whose account is missing (left
// behind by `account remove --force`, or by another tool) loads, and is
// reported only when used.
func NewConfig(d ConfigData) (Config, error) {
	d.Accounts = slices.Clone(d.Accounts)
	d.Targets = slices.Clone(d.Targets)
	return NewConfigTaking(d)
}

// NewConfigTaking is NewConfig without copying d.Accounts and d.Targets:
// it sorts them in place and keeps them, so the caller must not use them
// afterwards. It is for a store's decoder, which builds them for the
// config (a copy of 5,000 accounts costs as much as their validation).
func NewConfigTaking(d ConfigData) (Config, error) {
	c := Config{
		accounts: sortedByName(d.Accounts, accountName),
		targets:  sortedByName(d.Targets, targetName),
		active:   d.Active,
		settings: d.Settings,
	}
	if h := d.Settings.CustomHeader; h != nil {
		cp := *h
		c.settings.CustomHeader = &cp // share nothing with the caller's ConfigData
	}
	c.settings.SecretCommands = d.Settings.SecretCommands.Clone()
	c.settings.TokenBackends = d.Settings.TokenBackends.Clone()
	if i := firstDuplicate(c.accounts, accountName); i >= 0 {
		return Config{}, NewError(CodeConfigError, "account '%s' is defined twice", c.accounts[i].Name)
	}
	if i := firstDuplicate(c.targets, targetName); i >= 0 {
		return Config{}, NewError(CodeConfigError, "target '%s' is defined twice", c.targets[i].Name)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// sortedByName sorts s by name in place (a file mp wrote is sorted
// already: one pass checks it) and returns it.
func sortedByName[T any, N ~string](s []T, name func(T) N) []T {
	cmp := func(a, b T) int { return strings.Compare(string(name(a)), string(name(b))) }
	if !slices.IsSortedFunc(s, cmp) {
		slices.SortStableFunc(s, cmp)
	}
	return s
}

// firstDuplicate returns the index of the first entry of s, sorted by
// name, whose name the next one repeats, or -1.
func firstDuplicate[T any, N ~string](s []T, name func(T) N) int {
	for i := 1; i < len(s); i++ {
		if name(s[i-1]) == name(s[i]) {
			return i - 1
		}
	}
	return -1
}

// find returns the index of the entry named n in s, sorted by name, or
// where it would go, and whether it is there.
func find[T any, N ~string](s []T, n N, name func(T) N) (int, bool) {
	return slices.BinarySearchFunc(s, n, func(e T, n N) int { return strings.Compare(string(name(e)), string(n)) })
}

func accountName(a Account) AccountName { return a.Name }

func targetName(t Target) TargetName { return t.Name }

// accountAt returns the index of the named account and whether it exists.
func (c Config) accountAt(name AccountName) (int, bool) { return find(c.accounts, name, accountName) }

// targetAt returns the index of the named target and whether it exists.
func (c Config) targetAt(name TargetName) (int, bool) { return find(c.targets, name, targetName) }

// Data returns the plain form, with accounts and targets sorted by name.
func (c Config) Data() ConfigData {
	return ConfigData{
		Accounts: c.Accounts(),
		Targets:  c.Targets(),
		Active:   c.active,
		Settings: c.Settings(),
	}
}

// Clone returns a deep copy.
func (c Config) Clone() Config {
	out := c
	out.shared = false
	out.accounts = slices.Clone(c.accounts)
	out.targets = slices.Clone(c.targets)
	if c.settings.CustomHeader != nil {
		h := *c.settings.CustomHeader
		out.settings.CustomHeader = &h
	}
	out.settings.SecretCommands = c.settings.SecretCommands.Clone()
	out.settings.TokenBackends = c.settings.TokenBackends.Clone()
	return out
}

// Share returns a copy of c that shares c's maps until it is changed: the
// first method that changes the copy copies them first (copy on write).
// A store that keeps a decoded Config hands out Share()d values in O(1),
// where Clone costs O(size); c itself must not be changed afterwards —
// the store keeps it as is.
func (c Config) Share() Config {
	c.shared = true
	return c
}

// own gives c slices of its own when they are shared (see Share).
func (c *Config) own() {
	if !c.shared {
		return
	}
	*c = c.Clone()
	c.shared = false
}

// Validate checks every value in the document. It does not require
// references to resolve (see NewConfig).
func (c Config) Validate() error {
	if !c.entriesValid() {
		// The first error by name, so that the message is always the same.
		for _, a := range c.accounts {
			if err := a.Validate(); err != nil {
				return err
			}
		}
		for _, t := range c.targets {
			if err := t.Validate(); err != nil {
				return err
			}
		}
	}
	if c.active.Account != "" {
		if _, err := ParseAccountName(string(c.active.Account)); err != nil {
			return prefixed("[active]", err)
		}
	}
	if c.active.Workspace < 0 {
		return NewError(CodeInvalidArgument, "[active]: workspace must be a positive integer")
	}
	if h := c.settings.CustomHeader; h != nil {
		if err := validateHeader(*h); err != nil {
			return prefixed("[settings].custom_header", err)
		}
	}
	if err := c.settings.validateSecrets(); err != nil {
		return err
	}
	return nil
}

// entriesValid reports whether every account and target is valid.
func (c Config) entriesValid() bool {
	for _, a := range c.accounts {
		if a.Validate() != nil {
			return false
		}
	}
	for _, t := range c.targets {
		if t.Validate() != nil {
			return false
		}
	}
	return true
}

// validateHeader checks that h can be sent as an HTTP header: the name is an
// RFC 9110 token and the value holds no control characters other than
// horizontal tab (so no CR or LF can inject another header).
func validateHeader(h Header) error {
	if h.Name == "" || !validHeaderName(h.Name) {
		return NewError(CodeInvalidArgument, "custom header name %q is not a valid HTTP header name", h.Name).
			WithHint("use letters, digits and !#$%%&'*+-.^_`|~ only, e.g. X-Team")
	}
	for i := 0; i < len(h.Value); i++ {
		if c := h.Value[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return NewError(CodeInvalidArgument, "custom header %s: the value contains a control character at position %d (0x%02x)", h.Name, i, c).
				WithHint("remove line breaks and other control characters from the value")
		}
	}
	return nil
}

// reservedHeaders are the headers a session header (a bridge header) may
// not set: mp or the HTTP client sets them on every request (Authorization
// from the credential, last; Host, Content-Length and the hop-by-hop
// headers by the transport; Content-Type per call), so a session header of
// that name would be overridden or ignored without a word (docs/reference/http.md).
func reservedHeaders() []string {
	return []string{
		"Authorization", "Proxy-Authorization", "Host", "Content-Length", "Content-Type",
		"Transfer-Encoding", "Connection", "Keep-Alive", "Upgrade", "TE", "Trailer", "Expect",
	}
}

// isReservedHeader reports whether name is one of reservedHeaders
// (compared case-insensitively).
func isReservedHeader(name string) bool {
	return slices.ContainsFunc(reservedHeaders(), func(r string) bool { return strings.EqualFold(r, name) })
}

// validHeaderName reports whether s is an HTTP token (RFC 9110 §5.6.2).
func validHeaderName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c < 0x7f && c > 0x20 && !contains(`"(),/:;<=>?@[\]{}`, c):
		default:
			return false
		}
	}
	return true
}

func contains(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// IsEmpty reports whether the config holds nothing.
func (c Config) IsEmpty() bool {
	return len(c.accounts) == 0 && len(c.targets) == 0 && c.active == (Active{}) && c.settings.CustomHeader == nil
}

// Accounts returns every account sorted by name.
func (c Config) Accounts() []Account {
	return append(make([]Account, 0, len(c.accounts)), c.accounts...)
}

// AllAccounts yields every account in name order, without copying them
// (Accounts returns a copy).
func (c Config) AllAccounts() iter.Seq[Account] { return slices.Values(c.accounts) }

// AccountCount returns the number of accounts.
func (c Config) AccountCount() int { return len(c.accounts) }

// AccountNames returns the account names, sorted.
func (c Config) AccountNames() []AccountName { return names(c.accounts, accountName) }

// names returns the name of each entry of s, in order.
func names[T any, N ~string](s []T, name func(T) N) []N {
	out := make([]N, len(s))
	for i, e := range s {
		out[i] = name(e)
	}
	return out
}

// Account returns the named account.
func (c Config) Account(name AccountName) (Account, bool) {
	if i, ok := c.accountAt(name); ok {
		return c.accounts[i], true
	}
	return Account{}, false
}

// LookupAccount returns the named account or an ACCOUNT_NOT_FOUND error that
// lists the names that exist.
func (c Config) LookupAccount(name AccountName) (Account, error) {
	if a, ok := c.Account(name); ok {
		return a, nil
	}
	return Account{}, c.accountNotFound(name)
}

func (c Config) accountNotFound(name AccountName) *Error {
	names := c.AccountNames()
	e := NewError(CodeAccountNotFound, "account '%s' not found; accounts: %s", name, quotedList(names)).
		WithDetail("account", string(name)).
		WithDetail("available", stringsOf(names))
	if len(names) == 0 {
		return e.WithHint("add one with `mp account add NAME --type TYPE` or `mp login`")
	}
	if s := Suggest(string(name), stringsOf(names)); s != "" {
		return e.WithDetail("suggestion", s).WithHint("did you mean '%s'? (`mp account list` shows them all)", s)
	}
	return e.WithHint("run `mp account list` to see them")
}

// Targets returns every target sorted by name.
func (c Config) Targets() []Target { return append(make([]Target, 0, len(c.targets)), c.targets...) }

// AllTargets yields every target in name order, without copying them
// (Targets returns a copy).
func (c Config) AllTargets() iter.Seq[Target] { return slices.Values(c.targets) }

// TargetCount returns the number of targets.
func (c Config) TargetCount() int { return len(c.targets) }

// TargetNames returns the target names, sorted.
func (c Config) TargetNames() []TargetName { return names(c.targets, targetName) }

// Target returns the named target or a TARGET_NOT_FOUND error that lists the
// names that exist.
func (c Config) Target(name TargetName) (Target, error) {
	if i, ok := c.targetAt(name); ok {
		return c.targets[i], nil
	}
	names := c.TargetNames()
	e := NewError(CodeTargetNotFound, "target '%s' not found; targets: %s", name, quotedList(names)).
		WithDetail("target", string(name)).
		WithDetail("available", stringsOf(names))
	if s := Suggest(string(name), stringsOf(names)); s != "" {
		return Target{}, e.WithDetail("suggestion", s).WithHint("did you mean '%s'? (`mp target list` shows them all)", s)
	}
	return Target{}, e.WithHint("run `mp target list`, or add it with `mp target add %s --account A --project P`", name)
}

// TargetsReferencing returns the names of the targets that point at account,
// sorted. It looks at every target once; to ask for every account, use
// TargetsByAccount.
func (c Config) TargetsReferencing(account AccountName) []TargetName {
	var out []TargetName
	for _, t := range c.targets {
		if t.Account == account {
			out = append(out, t.Name)
		}
	}
	return out
}

// TargetsByAccount returns, for every account some target points at, the
// names of those targets, sorted: TargetsReferencing for all accounts in
// one pass over the targets.
func (c Config) TargetsByAccount() map[AccountName][]TargetName {
	out := make(map[AccountName][]TargetName)
	for _, t := range c.targets {
		out[t.Account] = append(out[t.Account], t.Name)
	}
	return out
}

// TargetRef is one saved target and the account it names.
type TargetRef struct {
	// Account is the account the target names (it may be missing from
	// the config: see NewConfig).
	Account AccountName
	// Target is the target's name.
	Target TargetName
}

// TargetRefs returns every target's account and name, sorted by account
// and then by target name: the targets that point at one account are
// adjacent and sorted, as TargetsReferencing returns them. It is
// TargetsByAccount in one slice, without a map or a slice per account, so
// that a caller that walks the accounts in name order (AccountNames) can
// take each account's targets in the same pass.
func (c Config) TargetRefs() []TargetRef {
	out := make([]TargetRef, 0, len(c.targets))
	for _, t := range c.targets {
		out = append(out, TargetRef{Account: t.Account, Target: t.Name})
	}
	// The targets are in name order: a stable sort by account keeps it
	// among the targets of one account (and none is needed when the
	// targets' accounts already follow their names, as they often do).
	byAccount := func(a, b TargetRef) int { return strings.Compare(string(a.Account), string(b.Account)) }
	if !slices.IsSortedFunc(out, byAccount) {
		slices.SortStableFunc(out, byAccount)
	}
	return out
}

// HasSecretCommand reports whether [settings.secret_commands] holds a
// command for account name: Settings().SecretCommands[name] is not empty,
// without copying the settings.
func (c Config) HasSecretCommand(name AccountName) bool {
	return len(c.settings.SecretCommands[name]) > 0
}

// TokenBackend returns the backend that holds the OAuth tokens of account
// name: Settings().TokenBackends.Of(name), without copying the settings.
func (c Config) TokenBackend(name AccountName) SecretBackend {
	return c.settings.TokenBackends.Of(name)
}

// Active returns the persisted active selection.
func (c Config) Active() Active { return c.active }

// Settings returns the settings mp understands.
func (c Config) Settings() Settings {
	s := c.settings
	if s.CustomHeader != nil {
		h := *s.CustomHeader
		s.CustomHeader = &h
	}
	s.SecretCommands = s.SecretCommands.Clone()
	s.TokenBackends = s.TokenBackends.Clone()
	return s
}

// AddAccount validates and adds a new account. The first account added to
// a config with no active account becomes active; promoted says so.
func (c *Config) AddAccount(a Account) (promoted bool, err error) {
	c.own()
	if err := a.Validate(); err != nil {
		return false, err
	}
	i, dup := c.accountAt(a.Name)
	if dup {
		return false, NewError(CodeAccountExists, "account '%s' already exists", a.Name).
			WithDetail("account", string(a.Name)).
			WithHint("change it with `mp account update %s`, or remove it first with `mp account remove %s`", a.Name, a.Name)
	}
	c.accounts = slices.Insert(slices.Clip(c.accounts), i, a) // a new array: copies of c keep theirs
	if c.active.Account == "" {
		c.active = Active{Account: a.Name}
		return true, nil
	}
	return false, nil
}

// UpdateAccount applies patch to the named account and returns the result.
func (c *Config) UpdateAccount(name AccountName, patch AccountPatch) (Account, error) {
	c.own()
	a, err := c.LookupAccount(name)
	if err != nil {
		return Account{}, err
	}
	if patch.IsEmpty() {
		return a, NewError(CodeInvalidArgument, "nothing to update for account '%s'", name).
			WithHint("pass at least one of --region, --project, --clear-project, --username, --secret-stdin, --token-env, --token-stdin")
	}
	updated, err := patch.Apply(a)
	if err != nil {
		return Account{}, err
	}
	c.setAccount(updated)
	c.forgetWorkspaceOnProjectChange(name, a.DefaultProject, updated.DefaultProject)
	return updated, nil
}

// forgetWorkspaceOnProjectChange clears the active workspace when the
// active account's default project changes: the workspace belonged to the
// old project (no silent cross-axis fallback, docs/reference/model.md).
func (c *Config) forgetWorkspaceOnProjectChange(name AccountName, before, after ProjectID) {
	c.own()
	if c.active.Account == name && before != after {
		c.active.Workspace = 0
	}
}

// RemoveAccount deletes the named account. While targets reference it the
// removal is refused with ACCOUNT_IN_USE unless force is set, in which case
// the targets are left orphaned and returned. Removing the active account
// clears [active].
func (c *Config) RemoveAccount(name AccountName, force bool) (orphaned []TargetName, err error) {
	c.own()
	if _, err := c.LookupAccount(name); err != nil {
		return nil, err
	}
	refs := c.TargetsReferencing(name)
	if len(refs) > 0 && !force {
		return nil, NewError(CodeAccountInUse, "account '%s' is used by targets %s", name, quotedList(refs)).
			WithDetail("account", string(name)).
			WithDetail("targets", stringsOf(refs)).
			WithHint("remove those targets first, or pass --force to leave them orphaned")
	}
	i, _ := c.accountAt(name)
	c.accounts = slices.Delete(slices.Clone(c.accounts), i, i+1) // a new array: copies of c keep theirs
	if c.active.Account == name {
		c.active = Active{}
	}
	return refs, nil
}

// UseAccount makes the named account active and clears the active
// workspace (workspaces belong to a project), as `mp account use` promises —
// also when the account was already active, so the command always leaves
// the same state behind.
func (c *Config) UseAccount(name AccountName) error {
	c.own()
	if _, err := c.LookupAccount(name); err != nil {
		return err
	}
	c.active = Active{Account: name}
	return nil
}

// ClearActive forgets the active account and workspace.
func (c *Config) ClearActive() { c.active = Active{} }

// SetDefaultProject sets (or, with a zero id, clears) an account's default
// project. When that changes the active account's project, the active
// workspace (which belonged to the old project) is cleared.
func (c *Config) SetDefaultProject(name AccountName, project ProjectID) error {
	c.own()
	a, err := c.LookupAccount(name)
	if err != nil {
		return err
	}
	if project.IsSet() {
		if _, err := ParseProjectID(string(project)); err != nil {
			return err
		}
	}
	before := a.DefaultProject
	a.DefaultProject = project
	c.setAccount(a)
	c.forgetWorkspaceOnProjectChange(name, before, project)
	return nil
}

// SetActiveWorkspace persists the active workspace. It needs an active
// account, because a workspace belongs to that account's project.
func (c *Config) SetActiveWorkspace(id WorkspaceID) error {
	c.own()
	if !id.IsSet() {
		return invalidArgument("workspace id", id.String(), "must be a positive integer")
	}
	if c.active.Account == "" {
		return NewError(CodeConfigError, "no active account to attach workspace %d to", id).
			WithHint("choose one first with `mp account use NAME` or `mp target use NAME`")
	}
	if _, err := c.LookupAccount(c.active.Account); err != nil {
		return err
	}
	c.active.Workspace = id
	return nil
}

// ClearActiveWorkspace forgets the active workspace.
func (c *Config) ClearActiveWorkspace() { c.active.Workspace = 0 }

// AddTarget validates and adds a target; its account must exist.
func (c *Config) AddTarget(t Target) error {
	c.own()
	if err := t.Validate(); err != nil {
		return err
	}
	i, dup := c.targetAt(t.Name)
	if dup {
		return NewError(CodeTargetExists, "target '%s' already exists", t.Name).
			WithDetail("target", string(t.Name)).
			WithHint("remove it first with `mp target remove %s`", t.Name)
	}
	if _, err := c.LookupAccount(t.Account); err != nil {
		return err
	}
	c.targets = slices.Insert(slices.Clip(c.targets), i, t) // a new array: copies of c keep theirs
	return nil
}

// RemoveTarget deletes the named target.
func (c *Config) RemoveTarget(name TargetName) error {
	c.own()
	if _, err := c.Target(name); err != nil {
		return err
	}
	i, _ := c.targetAt(name)
	c.targets = slices.Delete(slices.Clone(c.targets), i, i+1) // a new array: copies of c keep theirs
	return nil
}

// UseTarget applies a target persistently: [active] becomes the target's
// account and workspace, and the account's default_project becomes the
// target's project — one change, so it happens entirely or not at all.
func (c *Config) UseTarget(name TargetName) (Target, error) {
	c.own()
	t, err := c.Target(name)
	if err != nil {
		return Target{}, err
	}
	a, err := c.LookupAccount(t.Account)
	if err != nil {
		return Target{}, prefixed("target '"+string(name)+"'", err)
	}
	a.DefaultProject = t.Project
	c.setAccount(a)
	c.active = Active{Account: t.Account, Workspace: t.Workspace}
	return t, nil
}

// setAccount replaces the account of a's name, which exists, in a new
// array: copies of c keep theirs.
func (c *Config) setAccount(a Account) {
	i, _ := c.accountAt(a.Name)
	c.accounts = slices.Clone(c.accounts)
	c.accounts[i] = a
}

// SetCustomHeader sets or (with nil) clears [settings].custom_header.
func (c *Config) SetCustomHeader(h *Header) error {
	c.own()
	if h != nil {
		if err := validateHeader(*h); err != nil {
			return err
		}
		cp := *h
		h = &cp
	}
	c.settings.CustomHeader = h
	return nil
}

func stringsOf[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}
