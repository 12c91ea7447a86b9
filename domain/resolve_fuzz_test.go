package domain

// Fuzz tests of the resolver. They live in the package itself so that they
// can (1) build configs that bypass NewConfig's validation, to check that
// the resolver survives any document, and (2) run one axis at a time, so that
// an error on another axis does not hide a dependency between axes.

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// fuzzInput is one set of resolver inputs, in plain fields the fuzzer fills.
type fuzzInput struct {
	env    map[string]string
	sel    Selection
	cfg    Config
	raw    bool // cfg was built without validation
	bridge *Bridge
}

func (fi fuzzInput) resolveInput() ResolveInput {
	return ResolveInput{Env: fi.env, Explicit: fi.sel, Config: fi.cfg, Bridge: fi.bridge}
}

// fromBridge reports whether the session account s is the bridge's
// account (the pool's bridge accounts differ from every config account in
// their secret, so equality tells them apart).
func (fi fuzzInput) fromBridge(s Session) bool {
	return fi.bridge != nil && s.Account.Equal(fi.bridge.Account)
}

// buildConfig makes a config holding one account and one target besides a
// fixed valid part. When the fuzzed values do not validate, it builds the
// same document without validation and reports raw.
func buildConfig(acctName, acctType, region, project, tgtName, tgtAccount, tgtProject string, tgtWS int64,
	activeAcct string, activeWS int64, hdrName, hdrValue string,
) (Config, bool) {
	d := ConfigData{
		Accounts: []Account{
			{Name: "main", Type: TypeServiceAccount, Region: RegionUS, DefaultProject: "100", Username: "u", Secret: NewSecret("main-secret")},
			{Name: "tok", Type: TypeOAuthToken, Region: RegionEU, TokenEnv: "TOK"},
			{
				Name: AccountName(acctName), Type: AccountType(acctType), Region: Region(region),
				DefaultProject: ProjectID(project), Username: "x", Secret: NewSecret("fuzz-secret"),
			},
		},
		Targets: []Target{
			{Name: "ecom", Account: "tok", Project: "300", Workspace: 30},
			{Name: TargetName(tgtName), Account: AccountName(tgtAccount), Project: ProjectID(tgtProject), Workspace: WorkspaceID(tgtWS)},
		},
		Active: Active{Account: AccountName(activeAcct), Workspace: WorkspaceID(activeWS)},
	}
	if hdrName != "" || hdrValue != "" {
		d.Settings.CustomHeader = &Header{Name: hdrName, Value: hdrValue}
	}
	// Make the fuzzed account valid for its type where possible.
	switch d.Accounts[2].Type {
	case TypeOAuthToken:
		d.Accounts[2].Username, d.Accounts[2].Secret, d.Accounts[2].Token = "", Secret{}, NewSecret("fuzz-token")
	case TypeOAuthBrowser:
		d.Accounts[2].Username, d.Accounts[2].Secret = "", Secret{}
	}
	if c, err := NewConfig(d); err == nil {
		return c, false
	}
	// The same entries without validation; of two of the same name, the
	// last one.
	accounts := map[AccountName]Account{}
	for _, a := range d.Accounts {
		accounts[a.Name] = a
	}
	targets := map[TargetName]Target{}
	for _, t := range d.Targets {
		targets[t.Name] = t
	}
	c := Config{
		accounts: sortedByName(slices.Collect(maps.Values(accounts)), accountName),
		targets:  sortedByName(slices.Collect(maps.Values(targets)), targetName),
		active:   d.Active, settings: d.Settings,
	}
	return c, true
}

// checkResolution asserts what holds for every Resolve result.
func checkResolution(t *testing.T, fi fuzzInput, res Resolution, err error) {
	t.Helper()
	if err != nil {
		code := CodeOf(err)
		if !slices.Contains(Codes(), code) {
			t.Fatalf("error without a stable code: %v", err)
		}
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		if !reflect.DeepEqual(res, Resolution{}) {
			t.Fatalf("failed Resolve returned %+v", res)
		}
		return
	}
	s, p := res.Session, res.Provenance
	if s.Account.Name == "" || p.Account.Winner.Value != string(s.Account.Name) {
		t.Fatalf("account %q, provenance %+v", s.Account.Name, p.Account)
	}
	if !s.Project.IsSet() || p.Project.Winner.Value != string(s.Project) {
		t.Fatalf("project %q, provenance %+v", s.Project, p.Project)
	}
	if _, perr := ParseProjectID(string(s.Project)); perr != nil && !fi.raw {
		t.Fatalf("project %q from a valid config: %v", s.Project, perr)
	}
	if s.Workspace < 0 || p.Workspace.Winner.Value != s.Workspace.String() ||
		(s.Workspace == 0) != (p.Workspace.Winner.Source.Kind == SourceNone) {
		t.Fatalf("workspace %d, provenance %+v", s.Workspace, p.Workspace)
	}
	if !fi.raw {
		if verr := s.Account.Validate(); verr != nil {
			t.Fatalf("resolved an invalid account from a valid config: %v", verr)
		}
	}
	for _, ax := range []AxisProvenance{p.Account, p.Project, p.Workspace} {
		if ax.Winner.Source.Kind == "" {
			t.Fatalf("winner without a source: %+v", p)
		}
		for _, c := range ax.Shadowed {
			if c.Source.Kind == "" || c.Source.Kind == SourceNone {
				t.Fatalf("shadowed candidate without a source: %+v", p)
			}
		}
	}
}

// printable renders everything a user or log could see of a result.
func printable(res Resolution, err error) string {
	b, _ := json.Marshal(res)
	out := fmt.Sprintf("%+v|%#v|%s", res, res, b)
	if err != nil {
		out += "|" + err.Error()
		if e, ok := err.(*Error); ok {
			out += fmt.Sprintf("|%v|%s", e.Details, e.Hint)
		}
	}
	return out
}

// otherSecret returns a different non-empty value of the same emptiness.
func otherSecret(s string) string {
	if s == "" {
		return ""
	}
	return "\x00other\x00" + s
}

func FuzzResolveNeverPanics(f *testing.F) {
	type seed struct {
		envAccount, envTarget, envProject, envWorkspace, envUser, envSecret, envRegion, envToken string
		flAccount, flProject, flTarget                                                           string
		flWorkspace                                                                              int64
		acctName, acctType, region, project, tgtName, tgtAccount, tgtProject                     string
		tgtWS                                                                                    int64
		activeAcct                                                                               string
		activeWS                                                                                 int64
		hdrName, hdrValue                                                                        string
	}
	seeds := []seed{
		{acctName: "a", acctType: "service_account", region: "us", tgtName: "t", tgtAccount: "a", tgtProject: "1", activeAcct: "a"},
		{envUser: "u", envSecret: "s", envProject: "1", envRegion: "eu", envToken: "tok", acctName: "a", acctType: "oauth_token", region: "in"},
		{envToken: "tok", envProject: "1", envRegion: "XX", flAccount: "main"},
		{envAccount: "main", envTarget: "ecom", acctName: "../a", acctType: "x"},
		{flTarget: "ecom", flAccount: "main", flWorkspace: -1},
		{flTarget: "t", tgtName: "t", tgtAccount: "gone", tgtProject: "5", tgtWS: 3, activeAcct: "main", activeWS: 9},
		{envWorkspace: "0", envProject: "-1", flProject: "x", activeAcct: "main"},
		{envTarget: "t", tgtName: "t", tgtAccount: "main", tgtProject: "", tgtWS: -5, hdrName: "X A", hdrValue: "a\r\nb"},
		{flAccount: "tok", activeWS: -3, hdrName: "X-A", hdrValue: "v"},
		{flWorkspace: 1 << 62, envWorkspace: "9223372036854775808", activeAcct: "main"},
	}
	for _, s := range seeds {
		f.Add(s.envAccount, s.envTarget, s.envProject, s.envWorkspace, s.envUser, s.envSecret, s.envRegion, s.envToken,
			s.flAccount, s.flProject, s.flTarget, s.flWorkspace,
			s.acctName, s.acctType, s.region, s.project, s.tgtName, s.tgtAccount, s.tgtProject, s.tgtWS,
			s.activeAcct, s.activeWS, s.hdrName, s.hdrValue)
	}
	f.Fuzz(func(t *testing.T,
		envAccount, envTarget, envProject, envWorkspace, envUser, envSecret, envRegion, envToken string,
		flAccount, flProject, flTarget string, flWorkspace int64,
		acctName, acctType, region, project, tgtName, tgtAccount, tgtProject string, tgtWS int64,
		activeAcct string, activeWS int64, hdrName, hdrValue string,
	) {
		envOf := func(secret, token string) map[string]string {
			return map[string]string{
				EnvAccount: envAccount, EnvTarget: envTarget, EnvProjectID: envProject, EnvWorkspaceID: envWorkspace,
				EnvUsername: envUser, EnvSecret: secret, EnvRegion: envRegion, EnvOAuthToken: token,
			}
		}
		cfg, raw := buildConfig(acctName, acctType, region, project, tgtName, tgtAccount, tgtProject, tgtWS, activeAcct, activeWS, hdrName, hdrValue)
		fi := fuzzInput{
			env: envOf(envSecret, envToken),
			sel: Selection{Account: AccountName(flAccount), Project: ProjectID(flProject), Target: TargetName(flTarget), Workspace: WorkspaceID(flWorkspace)},
			cfg: cfg, raw: raw,
		}
		snapshot := cfg.Clone()
		res, err := Resolve(fi.resolveInput())
		checkResolution(t, fi, res, err)
		if !reflect.DeepEqual(cfg.Data(), snapshot.Data()) {
			t.Fatal("Resolve mutated the config")
		}

		// ResolveAccount agrees with Resolve's account axis whenever
		// Resolve got past it.
		a, ap, aerr := ResolveAccount(fi.resolveInput())
		if err == nil && (aerr != nil || !a.Equal(res.Session.Account) || !reflect.DeepEqual(ap, res.Provenance.Account)) {
			t.Fatalf("ResolveAccount disagrees: %v", aerr)
		}

		// Secret values never influence anything printable: changing only
		// the bytes of the env secrets gives the same output.
		fi2 := fi
		fi2.env = envOf(otherSecret(envSecret), otherSecret(envToken))
		res2, err2 := Resolve(fi2.resolveInput())
		if p1, p2 := printable(res, err), printable(res2, err2); p1 != p2 {
			t.Fatalf("output depends on secret values:\n%s\n%s", p1, p2)
		}
		if err == nil {
			for _, s := range []string{envSecret, envToken} {
				if len(s) >= 6 && strings.Contains(fmt.Sprintf("%+v", res.Provenance), s) && !strings.Contains(envUser+envAccount+envTarget+envProject+envRegion+flAccount+flProject+flTarget+acctName+tgtName+activeAcct, s) {
					t.Fatalf("provenance holds a secret")
				}
			}
		}
	})
}

// Pools the independence fuzzer picks from: valid, unknown and invalid
// values for each input.
var (
	poolAccount   = []string{"", "main", "other", "bare", "nobody", "../x", "hostacct", "solo"}
	poolTarget    = []string{"", "ecom", "nows", "ghost", "nope", "a/b"}
	poolProject   = []string{"", "1", "42", "abc", "007"}
	poolWSEnv     = []string{"", "5", "12", "0", "-1", "x", "007"}
	poolWSFlag    = []WorkspaceID{0, 8, 30, -1}
	poolRegion    = []string{"", "us", "eu", "in", "XX"}
	poolUser      = []string{"", "ci-bot"}
	poolSecret    = []string{"", "s3cr3t-value"}
	poolActive    = []string{"", "main", "other", "bare", "gone"}
	poolActiveWS  = []WorkspaceID{0, 7}
	poolDefaultPj = []ProjectID{"", "100", "555"}
)

// pick returns pool[b[i] % len(pool)], reading 0 past the end of b.
func pick[T any](pool []T, b []byte, i int) T {
	if i >= len(b) {
		return pool[0]
	}
	return pool[int(b[i])%len(pool)]
}

// choiceInput builds resolver inputs from choice bytes: byte i picks field i.
func choiceInput(t testing.TB, b []byte) fuzzInput {
	d := ConfigData{
		Accounts: []Account{
			{Name: "main", Type: TypeServiceAccount, Region: RegionUS, DefaultProject: pick(poolDefaultPj, b, 14), Username: "u", Secret: NewSecret("main-secret")},
			{Name: "other", Type: TypeOAuthToken, Region: RegionEU, DefaultProject: pick(poolDefaultPj, b, 15), Token: NewSecret("other-token")},
			{Name: "bare", Type: TypeOAuthBrowser, Region: RegionIN},
		},
		Targets: []Target{
			{Name: "ecom", Account: "other", Project: "300", Workspace: 30},
			{Name: "nows", Account: "main", Project: "400"},
			{Name: "ghost", Account: "gone", Project: "500", Workspace: 50},
		},
		Active: Active{Account: AccountName(pick(poolActive, b, 12)), Workspace: pick(poolActiveWS, b, 13)},
	}
	cfg, err := NewConfig(d)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return fuzzInput{
		env: map[string]string{
			EnvAccount:     pick(poolAccount, b, 0),
			EnvTarget:      pick(poolTarget, b, 1),
			EnvProjectID:   pick(poolProject, b, 2),
			EnvWorkspaceID: pick(poolWSEnv, b, 3),
			EnvUsername:    pick(poolUser, b, 4),
			EnvSecret:      pick(poolSecret, b, 5),
			EnvRegion:      pick(poolRegion, b, 6),
			EnvOAuthToken:  pick(poolSecret, b, 7),
		},
		sel: Selection{
			Account:   AccountName(pick(poolAccount, b, 8)),
			Project:   ProjectID(pick(poolProject, b, 9)),
			Target:    TargetName(pick(poolTarget, b, 10)),
			Workspace: pick(poolWSFlag, b, 11),
		},
		cfg:    cfg,
		bridge: pick(poolBridge, b, 16),
	}
}

// poolBridge holds the bridges the independence fuzzer picks from: none;
// an account the config does not have, pinning project 600 and workspace
// 60; an account named like the config's "main" (with another secret),
// pinning only a workspace of its default project; and a bare oauth_token
// account pinning nothing.
var poolBridge = []*Bridge{
	nil,
	{
		Path:    "/vm/auth.json",
		Account: Account{Name: "hostacct", Type: TypeServiceAccount, Region: RegionEU, DefaultProject: "610", Username: "h", Secret: NewSecret("bridge-secret")},
		Project: "600", Workspace: 60,
		Headers: []Header{{Name: "X-Team", Value: "red"}},
	},
	{
		Path:      "/home/u/.claude/mixpanel/auth.json",
		Account:   Account{Name: "main", Type: TypeServiceAccount, Region: RegionUS, DefaultProject: "100", Username: "u", Secret: NewSecret("bridge-main-secret")},
		Workspace: 70,
	},
	{
		Path:    "/cwd/mixpanel_auth.json",
		Account: Account{Name: "solo", Type: TypeOAuthToken, Region: RegionIN, Token: NewSecret("bridge-token")},
	},
}

// axisResult is the outcome of one axis, comparable across runs.
type axisResult struct {
	Value string
	Prov  AxisProvenance
	Err   string
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return string(CodeOf(err)) + ": " + err.Error()
}

// workspaceOracle is the workspace axis written from docs/reference/model.md and
// docs/reference/resolution.md: MP_WORKSPACE_ID → --workspace → the target's
// workspace when the session project is the target's → [active] when the session
// is the active account on its default project → none.
func workspaceOracle(fi fuzzInput, target *Target, s Session) WorkspaceID {
	if w, err := ParseWorkspaceID(fi.env[EnvWorkspaceID]); err == nil {
		return w
	}
	if fi.sel.Workspace > 0 {
		return fi.sel.Workspace
	}
	if target != nil && target.Workspace.IsSet() && target.Project == s.Project {
		return target.Workspace
	}
	if fi.fromBridge(s) {
		b := fi.bridge
		pinned := b.Project
		if !pinned.IsSet() {
			pinned = b.Account.DefaultProject
		}
		if b.Workspace.IsSet() && s.Project == pinned {
			return b.Workspace
		}
		return 0 // [active] belongs to a config account, never to the bridge's
	}
	active := fi.cfg.Active()
	if active.Workspace.IsSet() && active.Account == s.Account.Name && s.Project == s.Account.DefaultProject {
		return active.Workspace
	}
	return 0
}

func accountAxis(fi fuzzInput) (axisResult, Account, bool) {
	r, err := newResolver(fi.resolveInput())
	if err != nil {
		return axisResult{}, Account{}, false
	}
	a, p, err := r.account()
	return axisResult{string(a.Name), p, errText(err)}, a, true
}

// projectOracle is the project axis written from docs/reference/resolution.md, for a
// resolved account: MP_PROJECT_ID → explicit → target → default_project.
func projectOracle(fi fuzzInput, target *Target, acct Account) (ProjectID, []SourceKind) {
	var vals []ProjectID
	var kinds []SourceKind
	add := func(v ProjectID, k SourceKind) {
		if v != "" {
			vals, kinds = append(vals, v), append(kinds, k)
		}
	}
	add(ProjectID(fi.env[EnvProjectID]), SourceEnv)
	add(fi.sel.Project, SourceFlag)
	if target != nil {
		add(target.Project, SourceTarget)
	}
	if fi.fromBridge(Session{Account: acct}) {
		add(fi.bridge.Project, SourceBridge)
	}
	add(acct.DefaultProject, SourceAccountDefault)
	if len(vals) == 0 {
		return "", nil
	}
	return vals[0], kinds
}

// FuzzResolveAxesIndependent checks that each axis depends only on its own
// inputs (docs/reference/resolution.md: "each axis resolves on its own"). Two inputs are
// chosen from the pools; the second copies the first except for the inputs
// of other axes, and the axis under test must give the same result.
//
// The target (--target, MP_TARGET) feeds all three axes by design, so it is
// held fixed. --account switches MP_TARGET off (an explicit account flag
// overrides the environment's default target as a whole), so --account
// counts as a target input when MP_TARGET is set and is varied only when it
// is not.
func FuzzResolveAxesIndependent(f *testing.F) {
	for _, s := range [][]byte{
		{},
		{1, 1},
		{0, 0, 1, 1, 1, 1, 1, 1},
		{0, 1, 0, 0, 0, 0, 0, 0, 2},
		{0, 0, 2, 2, 1, 1, 2, 1, 3, 1, 0, 1, 1, 1},
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0},
		{1, 0, 1, 1, 0, 0, 0, 0, 2, 0, 0, 2, 2, 1, 1, 2},
		{4, 3, 3, 3, 1, 1, 4, 1, 5, 3, 5, 3, 4, 1, 2, 2},
		// With a bridge (byte 16).
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1},
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 2},
		{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 3},
		{6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1},
		{0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 2},
		{0, 0, 1, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 3},
		{0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1},
	} {
		f.Add(s, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	}
	f.Fuzz(func(t *testing.T, base, other []byte) {
		a := choiceInput(t, base)
		b := choiceInput(t, other)

		// Workspace: vary every account and project input.
		v := a
		v.env = maps.Clone(a.env)
		for _, k := range []string{EnvUsername, EnvSecret, EnvOAuthToken, EnvRegion, EnvProjectID, EnvAccount} {
			v.env[k] = b.env[k]
		}
		v.sel.Project = b.sel.Project
		if a.env[EnvTarget] == "" {
			v.sel.Account = b.sel.Account
		}
		// The workspace may depend on them only through the resolved account
		// and project: a saved workspace ([active], a target's) applies only
		// to the account and project it was saved with (docs/reference/model.md).
		ra, errA := Resolve(a.resolveInput())
		rv, errV := Resolve(v.resolveInput())
		sameContext := errA == nil && errV == nil &&
			ra.Session.Account.Equal(rv.Session.Account) &&
			ra.Session.Project == rv.Session.Project
		if sameContext && (ra.Session.Workspace != rv.Session.Workspace ||
			!reflect.DeepEqual(ra.Provenance.Workspace, rv.Provenance.Workspace)) {
			t.Fatalf("Resolve: workspace depends on account/project inputs beyond the resolved account and project:\n%+v\n%+v", ra.Provenance.Workspace, rv.Provenance.Workspace)
		}
		if errA == nil {
			r, _ := newResolver(a.resolveInput())
			if want := workspaceOracle(a, r.target, ra.Session); ra.Session.Workspace != want {
				t.Fatalf("workspace %d, oracle %d (%+v)", ra.Session.Workspace, want, ra.Provenance.Workspace)
			}
		}

		// Account: vary the workspace inputs (and --project, which is not an
		// account input either).
		v = a
		v.env = maps.Clone(a.env)
		v.env[EnvWorkspaceID] = b.env[EnvWorkspaceID]
		v.sel.Workspace = b.sel.Workspace
		v.sel.Project = b.sel.Project
		aa, acctA, okA := accountAxis(a)
		av, _, okV := accountAxis(v)
		if okA && okV && !reflect.DeepEqual(aa, av) {
			t.Fatalf("account depends on workspace inputs:\n%+v\n%+v", aa, av)
		}

		// Project: equal to the oracle, and a function of the account
		// inputs only through the resolved account's default_project.
		if errA == nil {
			r, _ := newResolver(a.resolveInput())
			want, kinds := projectOracle(a, r.target, ra.Session.Account)
			if ra.Session.Project != want {
				t.Fatalf("project %q, oracle %q", ra.Session.Project, want)
			}
			got := []SourceKind{ra.Provenance.Project.Winner.Source.Kind}
			for _, c := range ra.Provenance.Project.Shadowed {
				got = append(got, c.Source.Kind)
			}
			if !slices.Equal(got, kinds) {
				t.Fatalf("project provenance kinds %v, oracle %v", got, kinds)
			}
		}
		v = a
		v.env = maps.Clone(a.env)
		for _, k := range []string{EnvUsername, EnvSecret, EnvOAuthToken, EnvRegion, EnvAccount, EnvWorkspaceID} {
			v.env[k] = b.env[k]
		}
		v.sel.Workspace = b.sel.Workspace
		if a.env[EnvTarget] == "" {
			v.sel.Account = b.sel.Account
		}
		if okA {
			_, acctV, okV := accountAxis(v)
			if okV && acctA.Name != "" && acctV.Name != "" && acctA.DefaultProject == acctV.DefaultProject &&
				a.fromBridge(Session{Account: acctA}) == v.fromBridge(Session{Account: acctV}) {
				ra, _ := newResolver(a.resolveInput())
				rv, _ := newResolver(v.resolveInput())
				pa, provA, errPA := ra.project(acctA)
				pv, provV, errPV := rv.project(acctV)
				// "no project for account X" names its account; compare
				// errors by code and, apart from the name, by text.
				msgA := strings.ReplaceAll(errText(errPA), "'"+string(acctA.Name)+"'", "'X'")
				msgV := strings.ReplaceAll(errText(errPV), "'"+string(acctV.Name)+"'", "'X'")
				if pa != pv || msgA != msgV || !sameIgnoringAccountName(provA, provV) {
					t.Fatalf("project depends on account inputs beyond default_project:\n%q %+v %v\n%q %+v %v", pa, provA, errPA, pv, provV, errPV)
				}
			}
		}
	})
}

// sameIgnoringAccountName compares project provenance, ignoring which
// account a default_project candidate came from.
func sameIgnoringAccountName(a, b AxisProvenance) bool {
	norm := func(p AxisProvenance) []Candidate {
		out := append([]Candidate{p.Winner}, p.Shadowed...)
		for i := range out {
			if out[i].Source.Kind == SourceAccountDefault {
				out[i].Source.Name = ""
			}
		}
		return out
	}
	return reflect.DeepEqual(norm(a), norm(b))
}
