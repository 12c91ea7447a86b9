package domain

import (
	"fmt"
	"slices"
	"strings"
)

// Flag names used in provenance and usage errors.
const (
	FlagAccount   = "--account"
	FlagProject   = "--project"
	FlagWorkspace = "--workspace"
	FlagTarget    = "--target"
)

// ResolveInput is everything the resolver looks at. It is plain data: the
// resolver does no I/O and reads no clock.
type ResolveInput struct {
	// Env holds the environment (at least the variables of ResolverEnvVars).
	Env map[string]string
	// Explicit holds what the caller gave on this command line or library
	// call.
	Explicit Selection
	// Config is the loaded config document.
	Config Config
	// Bridge is the bridge file in effect, if one was found (its Path set);
	// nil when there is none. It takes part at its place in the chain of
	// every axis (docs/reference/resolution.md), and its headers go on top of the
	// config's custom header.
	Bridge *Bridge
}

// Resolve runs the resolution chain of docs/reference/resolution.md for all three axes.
func Resolve(in ResolveInput) (Resolution, error) {
	r, _, err := ResolvePartial(in)
	if err != nil {
		return Resolution{}, err
	}
	return r, nil
}

// Axis names one axis of the resolution, as `mp session --explain` shows
// it.
type Axis string

// The three axes.
const (
	AxisAccount   Axis = "account"
	AxisProject   Axis = "project"
	AxisWorkspace Axis = "workspace"
)

// ResolvePartial is Resolve that keeps what it found when an axis fails
// (for `mp session --explain`): the Resolution then holds the axes that
// resolved before the failing one — their Session fields and Provenance —
// and failed names the axis whose error err is. An error of the explicit
// selection itself (conflicting flags, an unknown target) fails the
// account axis with nothing resolved. On success failed is "".
func ResolvePartial(in ResolveInput) (res Resolution, failed Axis, err error) {
	r, err := newResolver(in)
	if err != nil {
		return Resolution{}, AxisAccount, err
	}
	account, accountProv, err := r.account()
	if err != nil {
		return Resolution{}, AxisAccount, err
	}
	res.Session.Account, res.Provenance.Account = account, accountProv
	project, projectProv, err := r.project(account)
	if err != nil {
		return res, AxisProject, err
	}
	res.Session.Project, res.Provenance.Project = project, projectProv
	workspace, workspaceProv, err := r.workspace(account, project)
	if err != nil {
		return res, AxisWorkspace, err
	}
	res.Session.Workspace, res.Provenance.Workspace = workspace, workspaceProv
	res.Session.Headers = r.headers()
	return res, "", nil
}

// ResolveAccount runs only the account axis, for commands that need an
// account but no project (for example `mp project list`).
func ResolveAccount(in ResolveInput) (Account, AxisProvenance, error) {
	r, err := newResolver(in)
	if err != nil {
		return Account{}, AxisProvenance{}, err
	}
	return r.account()
}

// resolver holds the validated explicit choices shared by the axes.
type resolver struct {
	in             ResolveInput
	explicitAcct   Candidate  // Value "" when none
	shadowedAcct   *Candidate // MP_ACCOUNT when --account overrides it
	explicitTarget Candidate  // Value "" when none
	target         *Target
	// fromBridge is set by account when the session account is the
	// bridge's account.
	fromBridge bool
}

// newResolver validates the explicit selection and picks the explicit
// account and target. A flag beats its own environment default (--account
// beats MP_ACCOUNT, --target beats MP_TARGET), and a flag selecting the
// account one way switches off the environment default of the other way
// (--account ignores MP_TARGET, --target ignores MP_ACCOUNT). Only values
// given explicitly can conflict.
func newResolver(in ResolveInput) (*resolver, error) {
	ex := in.Explicit
	if ex.Target != "" {
		var with []string
		if ex.Account != "" {
			with = append(with, FlagAccount)
		}
		if ex.Project != "" {
			with = append(with, FlagProject)
		}
		if ex.Workspace != 0 {
			with = append(with, FlagWorkspace)
		}
		if len(with) > 0 {
			return nil, NewError(CodeInvalidArgument,
				"--target cannot be combined with %s on the same command", strings.Join(with, ", ")).
				WithDetail("conflicts", append([]string{FlagTarget}, with...)).
				WithHint("use either --target NAME, or the individual --account/--project/--workspace flags")
		}
	}
	r := &resolver{in: in}
	switch {
	case ex.Account != "":
		r.explicitAcct = Candidate{Source{SourceFlag, FlagAccount}, string(ex.Account)}
		if v := in.Env[EnvAccount]; v != "" {
			r.shadowedAcct = &Candidate{Source{SourceEnv, EnvAccount}, v}
		}
	case ex.Target == "" && in.Env[EnvAccount] != "":
		r.explicitAcct = Candidate{Source{SourceEnv, EnvAccount}, in.Env[EnvAccount]}
	}
	switch {
	case ex.Target != "":
		r.explicitTarget = Candidate{Source{SourceFlag, FlagTarget}, string(ex.Target)}
	case ex.Account == "" && in.Env[EnvTarget] != "":
		r.explicitTarget = Candidate{Source{SourceEnv, EnvTarget}, in.Env[EnvTarget]}
	}
	if r.explicitAcct.Source.Kind == SourceEnv && r.explicitTarget.Source.Kind == SourceEnv {
		return nil, NewError(CodeInvalidArgument, "MP_TARGET and MP_ACCOUNT are both set; they select the account in two ways").
			WithDetail("conflicts", []string{EnvTarget, EnvAccount}).
			WithHint("unset one of them, or pass --target or --account explicitly")
	}
	if r.explicitAcct.Value != "" {
		if _, err := ParseAccountName(r.explicitAcct.Value); err != nil {
			return nil, prefixed(r.explicitAcct.Source.String(), err)
		}
	}
	if r.explicitTarget.Value != "" {
		name, err := ParseTargetName(r.explicitTarget.Value)
		if err != nil {
			return nil, prefixed(r.explicitTarget.Source.String(), err)
		}
		t, err := in.Config.Target(name)
		if err != nil {
			return nil, prefixed(r.explicitTarget.Source.String(), err)
		}
		r.target = &t
	}
	return r, nil
}

// Provenance names of the environment groups that build an in-memory
// account.
const (
	envQuadSource   = EnvUsername + "+" + EnvSecret + "+" + EnvProjectID + "+" + EnvRegion
	envTripleSource = EnvOAuthToken + "+" + EnvProjectID + "+" + EnvRegion
)

// envAccount returns the in-memory account described by the service-account
// quad or the OAuth triple, if either is complete, and the candidates of the
// complete groups (the quad first: it beats the triple). An invalid
// MP_REGION or MP_PROJECT_ID is an error only when the rest of a group is
// present.
func (r *resolver) envAccount() (*Account, []Candidate, error) {
	env := r.in.Env
	project, region := env[EnvProjectID], env[EnvRegion]
	quad := env[EnvUsername] != "" && env[EnvSecret] != "" && project != "" && region != ""
	triple := env[EnvOAuthToken] != "" && project != "" && region != ""
	if !quad && !triple {
		return nil, nil, nil
	}
	reg, err := ParseRegion(region)
	if err != nil {
		return nil, nil, prefixed("env "+EnvRegion, err)
	}
	pid, err := ParseProjectID(project)
	if err != nil {
		return nil, nil, prefixed("env "+EnvProjectID, err)
	}
	var cands []Candidate
	if quad {
		cands = append(cands, Candidate{Source{SourceEnv, envQuadSource}, string(EnvServiceAccountName)})
	}
	if triple {
		cands = append(cands, Candidate{Source{SourceEnv, envTripleSource}, string(EnvOAuthTokenName)})
	}
	if quad {
		a := Account{
			Name: EnvServiceAccountName, Type: TypeServiceAccount, Region: reg, DefaultProject: pid,
			Username: env[EnvUsername], Secret: NewSecret(env[EnvSecret]),
		}
		return &a, cands, nil
	}
	a := Account{
		Name: EnvOAuthTokenName, Type: TypeOAuthToken, Region: reg, DefaultProject: pid,
		Token: NewSecret(env[EnvOAuthToken]),
	}
	return &a, cands, nil
}

// incompleteEnvSets explains the environment account sets that were
// started but not completed — MP_USERNAME or MP_SECRET without the rest of
// the quad, MP_OAUTH_TOKEN without the rest of the triple — so that
// `mp session --explain` says why they did not count and what is missing.
func (r *resolver) incompleteEnvSets() []IgnoredCandidate {
	env := r.in.Env
	missing := func(vars ...string) []string {
		var out []string
		for _, v := range vars {
			if env[v] == "" {
				out = append(out, v)
			}
		}
		return out
	}
	var out []IgnoredCandidate
	if env[EnvUsername] != "" || env[EnvSecret] != "" {
		if m := missing(EnvUsername, EnvSecret, EnvProjectID, EnvRegion); len(m) > 0 {
			out = append(out, IgnoredCandidate{
				Candidate{Source{SourceEnv, envQuadSource}, string(EnvServiceAccountName)},
				"the service-account variables are incomplete: " + strings.Join(m, ", ") + " not set",
			})
		}
	}
	if env[EnvOAuthToken] != "" {
		if m := missing(EnvProjectID, EnvRegion); len(m) > 0 {
			out = append(out, IgnoredCandidate{
				Candidate{Source{SourceEnv, envTripleSource}, string(EnvOAuthTokenName)},
				"the bearer variables are incomplete: " + strings.Join(m, ", ") + " not set",
			})
		}
	}
	return out
}

func (r *resolver) account() (Account, AxisProvenance, error) {
	envAcct, cands, err := r.envAccount()
	if err != nil {
		return Account{}, AxisProvenance{}, err
	}
	if r.explicitAcct.Value != "" {
		cands = append(cands, r.explicitAcct)
		if r.shadowedAcct != nil {
			cands = append(cands, *r.shadowedAcct)
		}
	}
	if r.target != nil {
		cands = append(cands, Candidate{Source{SourceTarget, string(r.target.Name)}, string(r.target.Account)})
	}
	if b := r.in.Bridge; b != nil {
		cands = append(cands, Candidate{Source{SourceBridge, b.Path}, string(b.Account.Name)})
	}
	if a := r.in.Config.Active().Account; a != "" {
		cands = append(cands, Candidate{Source{SourceActive, "[active]"}, string(a)})
	}
	if len(cands) == 0 {
		var authFile string
		if r.in.Bridge == nil {
			authFile = strings.TrimSpace(r.in.Env[EnvAuthFile])
		}
		if names := r.in.Config.AccountNames(); len(names) > 0 && authFile == "" {
			return Account{}, AxisProvenance{}, errNoActiveAccount(names)
		}
		return Account{}, AxisProvenance{}, errNoAccount(authFile)
	}
	prov := AxisProvenance{Winner: cands[0], Shadowed: cands[1:], Ignored: r.incompleteEnvSets()}
	if envAcct != nil {
		return *envAcct, prov, nil
	}
	if cands[0].Source.Kind == SourceBridge {
		r.fromBridge = true
		return r.in.Bridge.Account, prov, nil
	}
	name := AccountName(cands[0].Value)
	a, err := r.in.Config.LookupAccount(name)
	if err != nil {
		// A name the config does not know may be the bridge's account: on a
		// machine that has only a bridge, `--account NAME` (or MP_ACCOUNT)
		// naming the bridge's account selects it. A config account of the
		// same name wins over the bridge's.
		if b := r.in.Bridge; b != nil && b.Account.Name == name {
			r.fromBridge = true
			return b.Account, prov, nil
		}
		return Account{}, AxisProvenance{}, prefixed(cands[0].Source.String(), err)
	}
	return a, prov, nil
}

// bridgeProject is the project the bridge pins, or else its account's
// default project: the project its pinned workspace belongs to.
func (r *resolver) bridgeProject() ProjectID {
	if b := r.in.Bridge; b.Project.IsSet() {
		return b.Project
	}
	return r.in.Bridge.Account.DefaultProject
}

// errNoActiveAccount is the CONFIG_ERROR of a resolution that found no
// account to use although the config has some: none is active (the active
// one was removed, say) and none was named.
func errNoActiveAccount(names []AccountName) error {
	list := make([]string, len(names))
	for i, n := range names {
		list[i] = string(n)
	}
	shown := list
	if len(shown) > 10 {
		shown = append(slices.Clone(shown[:10]), fmt.Sprintf("… (%d more)", len(list)-10))
	}
	return NewError(CodeConfigError, "no active account: %d account(s) configured (%s), but none is active and none was named",
		len(list), strings.Join(shown, ", ")).
		WithDetail("accounts", list).
		WithHint("make one active with `mp account use %s`, or pass --account NAME (or --target NAME) for this command", list[0])
}

// errNoAccount is the CONFIG_ERROR of a resolution that found no account
// anywhere. authFile is the value of MP_AUTH_FILE when it is set but no
// bridge was found there (empty otherwise): the error then says so first,
// since a mistyped MP_AUTH_FILE is the likely cause.
func errNoAccount(authFile string) error {
	fixes := []string{
		"export MP_USERNAME, MP_SECRET, MP_PROJECT_ID and MP_REGION (service account)",
		"export MP_OAUTH_TOKEN, MP_PROJECT_ID and MP_REGION (static bearer)",
		"mp account add NAME --type service_account|oauth_browser|oauth_token",
		"mp login",
		"pass --account NAME",
		"pass --target NAME",
	}
	hint := "add one with `mp account add NAME --type TYPE` (or `mp login`), pass --account/--target, or export MP_USERNAME+MP_SECRET+MP_PROJECT_ID+MP_REGION or MP_OAUTH_TOKEN+MP_PROJECT_ID+MP_REGION"
	if authFile == "" {
		return NewError(CodeConfigError, "no account configured").WithDetail("fixes", fixes).WithHint("%s", hint)
	}
	fix := "MP_AUTH_FILE is set to " + authFile + ", but no bridge file is there (and no other place is looked at while it is set): export the bridge to that path on the host (mp account export-bridge --to PATH), fix the path, or unset MP_AUTH_FILE"
	return NewError(CodeConfigError, "no account configured: MP_AUTH_FILE names %s, where there is no bridge file", authFile).
		WithDetail("source", EnvAuthFile).
		WithDetail("path", authFile).
		WithDetail("fixes", append([]string{fix}, fixes...)).
		WithHint("copy the bridge to %s (mp account export-bridge --to PATH on the host), point MP_AUTH_FILE at the bridge file, or unset MP_AUTH_FILE", authFile)
}

func (r *resolver) project(account Account) (ProjectID, AxisProvenance, error) {
	var cands []Candidate
	if v := r.in.Env[EnvProjectID]; v != "" {
		if _, err := ParseProjectID(v); err != nil {
			return "", AxisProvenance{}, prefixed("env "+EnvProjectID, err)
		}
		cands = append(cands, Candidate{Source{SourceEnv, EnvProjectID}, v})
	}
	if p := r.in.Explicit.Project; p != "" {
		if _, err := ParseProjectID(string(p)); err != nil {
			return "", AxisProvenance{}, prefixed("flag "+FlagProject, err)
		}
		cands = append(cands, Candidate{Source{SourceFlag, FlagProject}, string(p)})
	}
	if r.target != nil && r.target.Project.IsSet() {
		cands = append(cands, Candidate{Source{SourceTarget, string(r.target.Name)}, string(r.target.Project)})
	}
	var ignored []IgnoredCandidate
	if b := r.in.Bridge; b != nil && b.Project.IsSet() {
		c := Candidate{Source{SourceBridge, b.Path}, string(b.Project)}
		if r.fromBridge {
			cands = append(cands, c)
		} else {
			ignored = append(ignored, IgnoredCandidate{c, "the bridge pins it for its account '" + string(b.Account.Name) + "', not for the session account '" + string(account.Name) + "'"})
		}
	}
	if account.DefaultProject.IsSet() {
		cands = append(cands, Candidate{Source{SourceAccountDefault, string(account.Name)}, string(account.DefaultProject)})
	}
	if len(cands) == 0 && r.fromBridge {
		return "", AxisProvenance{}, r.errNoBridgeProject(account)
	}
	if len(cands) == 0 {
		// The commands of the hint keep the account the caller named, so
		// that following them does not switch to another one.
		mp := "mp "
		if r.in.Explicit.Account != "" {
			mp = "mp -a " + string(r.in.Explicit.Account) + " "
		}
		return "", AxisProvenance{}, NewError(CodeConfigError, "no project for account '%s'", account.Name).
			WithDetail("account", string(account.Name)).
			WithDetail("fixes", []string{
				"mp project use ID (sets the account's default_project)",
				"pass --project ID",
				"export MP_PROJECT_ID=ID",
				"mp target use NAME",
			}).
			WithHint("run `%sproject list` to see the projects, then `%sproject use ID`; or pass --project ID, or export MP_PROJECT_ID", mp, mp)
	}
	return ProjectID(cands[0].Value), AxisProvenance{Winner: cands[0], Shadowed: cands[1:], Ignored: ignored}, nil
}

// errNoBridgeProject is the CONFIG_ERROR of a session whose account comes
// from the bridge when neither the bridge nor its account names a project.
// The bridge's account is not in the config, so `mp project use` and
// targets cannot help: the fixes are the per-run ones and a new export.
func (r *resolver) errNoBridgeProject(account Account) error {
	path := r.in.Bridge.Path
	return NewError(CodeConfigError,
		"no project for account '%s': it comes from the bridge %s, which pins no project, and its account has no default project", account.Name, path).
		WithDetail("account", string(account.Name)).
		WithDetail("path", path).
		WithDetail("fixes", []string{
			"pass --project ID",
			"export MP_PROJECT_ID=ID",
			"export the bridge again on the host with --project ID (mp account export-bridge --account " + string(account.Name) + " --project ID --to PATH)",
		}).
		WithHint("run `mp project list` to see the projects, then pass --project ID or export MP_PROJECT_ID; or export the bridge again on the host with --project ID")
}

// workspace resolves the workspace axis. MP_WORKSPACE_ID and --workspace
// are taken as given; a target's workspace and the [active] workspace are
// saved next to a project, so they apply only to that project (and, for
// [active], to the active account): a workspace never silently follows the
// user into another account or project (docs/reference/model.md).
func (r *resolver) workspace(account Account, project ProjectID) (WorkspaceID, AxisProvenance, error) {
	var cands []Candidate
	if v := r.in.Env[EnvWorkspaceID]; v != "" {
		id, err := ParseWorkspaceID(v)
		if err != nil {
			return 0, AxisProvenance{}, prefixed("env "+EnvWorkspaceID, err)
		}
		cands = append(cands, Candidate{Source{SourceEnv, EnvWorkspaceID}, id.String()})
	}
	if w := r.in.Explicit.Workspace; w != 0 {
		if w < 0 {
			return 0, AxisProvenance{}, prefixed("flag "+FlagWorkspace, invalidArgument("workspace id", w.String(), "must be a positive integer"))
		}
		cands = append(cands, Candidate{Source{SourceFlag, FlagWorkspace}, w.String()})
	}
	var ignored []IgnoredCandidate
	if t := r.target; t != nil && t.Workspace.IsSet() {
		c := Candidate{Source{SourceTarget, string(t.Name)}, t.Workspace.String()}
		if t.Project == project {
			cands = append(cands, c)
		} else {
			ignored = append(ignored, IgnoredCandidate{c, "it belongs to project " + string(t.Project) + " of the target, not to the session project " + string(project)})
		}
	}
	if b := r.in.Bridge; b != nil && b.Workspace.IsSet() {
		c := Candidate{Source{SourceBridge, b.Path}, b.Workspace.String()}
		switch {
		case !r.fromBridge:
			ignored = append(ignored, IgnoredCandidate{c, "the bridge pins it for its account '" + string(b.Account.Name) + "', not for the session account '" + string(account.Name) + "'"})
		case project != r.bridgeProject():
			ignored = append(ignored, IgnoredCandidate{c, "it belongs to the bridge's project " + string(r.bridgeProject()) + ", not to the session project " + string(project)})
		default:
			cands = append(cands, c)
		}
	}
	if active := r.in.Config.Active(); active.Workspace.IsSet() {
		c := Candidate{Source{SourceActive, "[active]"}, active.Workspace.String()}
		switch {
		case r.fromBridge:
			ignored = append(ignored, IgnoredCandidate{c, "it belongs to the config's active account, and the session account '" + string(account.Name) + "' comes from the bridge"})
		case active.Account != account.Name:
			ignored = append(ignored, IgnoredCandidate{c, "it belongs to the active account '" + string(active.Account) + "', not to the session account '" + string(account.Name) + "'"})
		case project != account.DefaultProject:
			ignored = append(ignored, IgnoredCandidate{c, "it belongs to the account's default project " + string(account.DefaultProject) + ", not to the session project " + string(project)})
		default:
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return 0, AxisProvenance{Winner: Candidate{Source: Source{Kind: SourceNone}}, Ignored: ignored}, nil
	}
	id, _ := ParseWorkspaceID(cands[0].Value)
	return id, AxisProvenance{Winner: cands[0], Shadowed: cands[1:], Ignored: ignored}, nil
}

// headers returns the config's custom header with the bridge's headers on
// top (a bridge header replaces the config header of the same name).
func (r *resolver) headers() []Header {
	var out []Header
	if h := r.in.Config.Settings().CustomHeader; h != nil {
		out = []Header{*h}
	}
	if b := r.in.Bridge; b != nil {
		out = MergeHeaders(out, b.Headers)
	}
	return out
}
