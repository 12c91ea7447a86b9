package mp

import (
	"strings"
	"time"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// The conversions between the library's types and those of the use cases
// (package app) and the domain. The library's types are its own so that
// go doc shows them and a consumer imports nothing but this package; the
// use cases' types are also the CLI's JSON contract, so they keep their
// display fields (notes, warnings as text) and the library turns those
// into data here.

func toDomainAccount(a Account) domain.Account {
	return domain.Account{
		Name: domain.AccountName(a.Name), Type: domain.AccountType(a.Type), Region: domain.Region(a.Region),
		DefaultProject: domain.ProjectID(a.DefaultProject), Username: a.Username,
		Secret: a.Secret.domain(), Token: a.Token.domain(), TokenEnv: a.TokenEnv,
	}
}

func toDomainPatch(p AccountPatch) domain.AccountPatch {
	var out domain.AccountPatch
	if p.Region != nil {
		r := domain.Region(*p.Region)
		out.Region = &r
	}
	if p.DefaultProject != nil {
		id := domain.ProjectID(*p.DefaultProject)
		out.DefaultProject = &id
	}
	out.ClearProject = p.ClearProject
	out.Username = p.Username
	if p.Secret != nil {
		s := p.Secret.domain()
		out.Secret = &s
	}
	if p.Token != nil {
		s := p.Token.domain()
		out.Token = &s
	}
	out.TokenEnv = p.TokenEnv
	return out
}

func fromAccountSummary(s app.AccountSummary) AccountSummary {
	out := AccountSummary{
		Name: s.Name, Type: AccountType(s.Type), Region: Region(s.Region), IsActive: s.IsActive,
		ReferencedByTargets: nonNil(s.ReferencedByTargets), SecretStore: s.SecretStore,
	}
	if s.DefaultProject != nil {
		out.DefaultProject = ProjectID(*s.DefaultProject)
	}
	return out
}

func fromAccountSummaries(list []app.AccountSummary) []AccountSummary {
	out := make([]AccountSummary, len(list))
	for i, s := range list {
		out[i] = fromAccountSummary(s)
	}
	return out
}

func fromTestResult(r app.AccountTestResult) AccountTestResult {
	out := AccountTestResult{Account: r.AccountName, OK: r.OK, ProjectCount: r.AccessibleProjectCount}
	if r.User != nil {
		out.User = User{ID: r.User.ID, Email: r.User.Email}
	}
	return out
}

func toAppLoginOptions(o LoginOptions) app.LoginOptions {
	out := app.LoginOptions{NoBrowser: o.NoBrowser, Paste: o.Paste}
	if n := o.Notify; n != nil {
		out.Notify = func(e ports.LoginEvent) {
			n(LoginEvent{
				Kind: LoginEventKind(e.Kind), URL: e.URL, BrowserOpened: e.BrowserOpened,
				BrowserError: e.BrowserError, Headless: e.Headless,
			})
		}
	}
	if pick := o.PickProject; pick != nil {
		out.PickProject = func(ps []domain.Project) (domain.ProjectID, error) {
			id, err := pick(fromProjects(ps))
			return domain.ProjectID(id), err
		}
	}
	return out
}

func fromLoginResult(r app.LoginResult) LoginResult {
	out := LoginResult{
		Account: r.Account, Type: AccountType(r.Type), Region: Region(r.Region),
		User: User{ID: r.User.ID, Email: r.User.Email}, Active: r.Active,
	}
	if r.Project != nil {
		out.Project, out.ProjectName = ProjectID(r.Project.ID), r.Project.Name
	}
	if r.ExpiresAt != nil {
		if t, err := time.Parse(time.RFC3339, *r.ExpiresAt); err == nil {
			out.ExpiresAt = t
		}
	}
	return out
}

func toAppBridgeExport(b BridgeExport) app.BridgeExport {
	return app.BridgeExport{
		To: b.To, Account: domain.AccountName(b.Account),
		Project: domain.ProjectID(b.Project), Workspace: domain.WorkspaceID(b.Workspace),
	}
}

func fromBridgeExportResult(r app.BridgeExportResult) BridgeExportResult {
	out := BridgeExportResult{
		Path: r.Path, Account: r.Account, Type: AccountType(r.Type), Region: Region(r.Region),
		Headers: nonNil(r.Headers), TokensIncluded: r.TokensIncluded, RefreshCapable: r.RefreshCapable,
		TokenEnv: r.TokenEnv, Warnings: []Warning{},
	}
	if r.Project != nil {
		out.Project = ProjectID(*r.Project)
	}
	if r.Workspace != nil {
		out.Workspace = WorkspaceID(*r.Workspace)
	}
	if r.SharedRefreshToken {
		out.Warnings = append(out.Warnings, Warning{Code: WarningSharedRefreshToken, Message: r.Warning})
	}
	if r.InEffectHere {
		out.Warnings = append(out.Warnings, Warning{Code: WarningBridgeInEffect, Message: r.InEffectWarning})
	}
	return out
}

func fromMigrateResult(r app.MigrateResult) MigrateResult {
	out := MigrateResult{
		To: r.To, Accounts: make([]MigratedAccount, len(r.Accounts)), Refused: nonNil(r.Refused),
		BackendSet: r.BackendSet, NewSecrets: r.NewSecrets, Overridden: r.Overridden,
	}
	for i, a := range r.Accounts {
		out.Accounts[i] = MigratedAccount{Account: a.Account, Type: AccountType(a.Type), From: a.From, Moved: a.Moved, Reason: a.Note}
	}
	if r.Bridge != nil {
		out.BridgePath = r.Bridge.Path
	}
	return out
}

func fromTarget(v app.TargetView) Target {
	out := Target{Name: v.Name, Account: v.Account, Project: ProjectID(v.Project)}
	if v.Workspace != nil {
		out.Workspace = WorkspaceID(*v.Workspace)
	}
	return out
}

func fromUser(u domain.User) User { return User{ID: u.ID, Email: u.Email} }

func fromProjects(ps []domain.Project) []Project {
	out := make([]Project, len(ps))
	for i, p := range ps {
		out[i] = Project{
			ID: ProjectID(p.ID), Name: p.Name, OrganizationID: p.OrganizationID,
			Timezone: p.Timezone, Domain: p.Domain, HasWorkspaces: p.HasWorkspaces,
		}
	}
	return out
}

func fromMe(m domain.Me) Me {
	out := Me{
		User: fromUser(m.User), Organizations: make([]Organization, len(m.Organizations)),
		Projects: fromProjects(m.Projects), Workspaces: make([]WorkspaceInfo, len(m.Workspaces)),
		Raw: m.Raw,
	}
	for i, o := range m.Organizations {
		out.Organizations[i] = Organization{ID: o.ID, Name: o.Name, Role: o.Role}
	}
	for i, w := range m.Workspaces {
		out.Workspaces[i] = WorkspaceInfo{
			ID: WorkspaceID(w.ID), Name: w.Name, Project: ProjectID(w.ProjectID), IsDefault: w.IsDefault,
			IsGlobal: w.IsGlobal, IsRestricted: w.IsRestricted, IsVisible: w.IsVisible,
		}
	}
	return out
}

func fromProjectSummaries(list []app.ProjectSummary) []ProjectSummary {
	out := make([]ProjectSummary, len(list))
	for i, p := range list {
		out[i] = ProjectSummary{
			ID: ProjectID(p.ID), Name: p.Name, OrganizationID: p.OrganizationID, OrganizationName: p.OrganizationName,
			Timezone: p.Timezone, Domain: p.Domain, IsActive: p.IsActive,
		}
	}
	return out
}

func fromWorkspaceSummaries(list []app.WorkspaceSummary) []WorkspaceSummary {
	out := make([]WorkspaceSummary, len(list))
	for i, w := range list {
		out[i] = WorkspaceSummary{ID: WorkspaceID(w.ID), Name: w.Name, IsDefault: w.IsDefault, IsActive: w.IsActive}
	}
	return out
}

func toDomainQuery(q SegmentationQuery) domain.SegmentationQuery {
	return domain.SegmentationQuery{Event: q.Event, From: q.From, To: q.To, Unit: q.Unit, On: q.On, Where: q.Where, Type: q.Type}
}

func fromSegmentation(r domain.SegmentationResult) SegmentationResult {
	out := SegmentationResult{
		Event: r.Event, FromDate: r.FromDate, ToDate: r.ToDate, Unit: r.Unit, Total: r.Total, Series: r.Series,
	}
	if r.SegmentProperty != nil {
		out.SegmentProperty = *r.SegmentProperty
	}
	return out
}

func toDomainRaw(r RawRequest) domain.RawRequest {
	out := domain.RawRequest{Method: r.Method, Path: r.Path, Body: r.Body, ContentType: r.ContentType}
	if r.Params != nil {
		out.Params = make([]domain.Param, len(r.Params))
		for i, p := range r.Params {
			out.Params[i] = domain.Param{Key: p.Key, Value: p.Value}
		}
	}
	return out
}

func fromSessionView(v app.SessionView) SessionDescription {
	out := SessionDescription{
		Account: DescribedAccount{Name: v.Account.Name, Type: AccountType(v.Account.Type), Region: Region(v.Account.Region), Source: libSource(v.Account.Source)},
		Project: DescribedProject{ID: ProjectID(v.Project.ID), Name: deref(v.Project.Name), Source: libSource(v.Project.Source)},
	}
	if w := v.Workspace; w != nil {
		out.Workspace = &DescribedWorkspace{ID: WorkspaceID(w.ID), Name: deref(w.Name), Source: libSource(w.Source)}
	}
	if v.User != nil {
		out.UserEmail = v.User.Email
	}
	if v.Bridge != nil {
		out.BridgePath = v.Bridge.Path
	}
	if e := v.Explain; e != nil {
		out.Explain = &Explanation{Account: fromAxis(e.Account), Project: fromAxis(e.Project), Workspace: fromAxis(e.Workspace)}
	}
	return out
}

func fromAxis(a app.AxisExplain) AxisExplanation {
	out := AxisExplanation{Winner: fromSource(a.Winner), Shadowed: make([]Source, len(a.Shadowed)), Ignored: make([]IgnoredSource, len(a.Ignored))}
	for i, s := range a.Shadowed {
		out.Shadowed[i] = fromSource(s)
	}
	for i, s := range a.Ignored {
		out.Ignored[i] = IgnoredSource{Source: fromSource(s.SourceView), Reason: s.Reason}
	}
	return out
}

func fromSource(s app.SourceView) Source {
	return Source{Kind: s.Kind, Name: libSource(s.Name), Value: s.Value}
}

// libSource describes a source of the resolution chain in the library's
// terms: the selection options instead of the command line's flags, which
// they play the part of.
func libSource(s string) string {
	return strings.NewReplacer(
		"flag "+domain.FlagAccount, "option WithAccount", "flag "+domain.FlagProject, "option WithProject",
		"flag "+domain.FlagWorkspace, "option WithWorkspace", "flag "+domain.FlagTarget, "option WithTarget",
		domain.FlagAccount, "WithAccount", domain.FlagProject, "WithProject",
		domain.FlagWorkspace, "WithWorkspace", domain.FlagTarget, "WithTarget",
	).Replace(s)
}

// nonNil returns s, or an empty slice for nil.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
