package domain

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// LegacyConfig is what a 0.3.x config file of the Python tool holds, read
// but not yet converted: its accounts (from [credentials.NAME] or
// [accounts.NAME]), the name of its default account (the top-level
// "default" key) and the tables mp 0.4 has no place for.
type LegacyConfig struct {
	Accounts []LegacyAccount
	// Default names the account that was the default one ("" when none).
	Default string
	// Orphans names what cannot be converted, as written in the file
	// ("[projects.main]"); each comes with the reason.
	Orphans map[string]string
}

// LegacyAccount is one 0.3.x account entry.
type LegacyAccount struct {
	// Table is where it was written: "[credentials.production]".
	Table string
	Name  string
	// Type is the entry's "type" key, empty when it has none (the type is
	// then told from the fields).
	Type      string
	Username  string
	Secret    Secret
	Token     Secret
	TokenEnv  string
	ProjectID string
	Region    string
	Workspace int64
}

// MigratedAccount says what became of one 0.3.x account.
type MigratedAccount struct {
	Table          string `json:"from"`
	Name           string `json:"account"`
	Type           string `json:"type"`
	Region         string `json:"region"`
	DefaultProject string `json:"default_project,omitempty"`
	// TokenEnv is the variable an oauth_token account reads its bearer
	// from ("" when the bearer is inline or the account is of another type).
	TokenEnv string `json:"token_env,omitempty"`
	Active   bool   `json:"active"`
}

// LegacyMigration is the outcome of converting a 0.3.x config file.
type LegacyMigration struct {
	File     string            `json:"file"`
	Backup   string            `json:"backup"`
	DryRun   bool              `json:"dry_run"`
	Accounts []MigratedAccount `json:"accounts"`
	// Workspace is the active workspace carried over (0: none).
	Workspace int64 `json:"workspace,omitempty"`
}

// ConvertLegacy turns a 0.3.x configuration into the 0.4 schema: every
// account keeps its name, credentials, region and project (as its
// default_project), the default account becomes the active one (with its
// workspace_id as the active workspace). It converts all or nothing: a
// part it cannot convert is an INVALID_ARGUMENT naming the table and why,
// every such part at once.
func ConvertLegacy(in LegacyConfig) (ConfigData, []MigratedAccount, error) {
	var (
		data     ConfigData
		report   []MigratedAccount
		problems []string
	)
	for _, o := range sortedKeys(in.Orphans) {
		problems = append(problems, o+": "+in.Orphans[o])
	}
	seen := map[string]string{}
	for _, la := range in.Accounts {
		a, err := convertLegacyAccount(la)
		if err != nil {
			problems = append(problems, la.Table+": "+err.Error())
			continue
		}
		if prev, dup := seen[la.Name]; dup {
			problems = append(problems, fmt.Sprintf("%s: account '%s' is also defined by %s", la.Table, la.Name, prev))
			continue
		}
		seen[la.Name] = la.Table
		data.Accounts = append(data.Accounts, a)
		report = append(report, MigratedAccount{
			Table: la.Table, Name: string(a.Name), Type: string(a.Type), Region: string(a.Region),
			DefaultProject: string(a.DefaultProject), TokenEnv: a.TokenEnv, Active: la.Name == in.Default,
		})
		if la.Name == in.Default && la.Workspace > 0 {
			data.Active.Workspace = WorkspaceID(la.Workspace)
		}
	}
	if in.Default != "" {
		if _, ok := seen[in.Default]; ok {
			data.Active.Account = AccountName(in.Default)
		} else if len(problems) == 0 {
			problems = append(problems, fmt.Sprintf("default = %q names no account of the file", in.Default))
		}
	}
	if len(problems) > 0 {
		return ConfigData{}, nil, NewError(CodeInvalidArgument, "cannot convert this 0.3.x config: %s", strings.Join(problems, "; ")).
			WithDetail("problems", problems).
			WithHint("edit the file so that every part above can be converted (or remove the parts you no longer need), then run `mp config migrate` again; nothing was changed")
	}
	if _, err := NewConfig(data); err != nil {
		return ConfigData{}, nil, err
	}
	return data, report, nil
}

// convertLegacyAccount converts one entry, telling its type from its
// fields when it has no type key.
func convertLegacyAccount(la LegacyAccount) (Account, error) {
	name, err := ParseAccountName(la.Name)
	if err != nil {
		return Account{}, fmt.Errorf("the name is not valid in mp 0.4 (1-64 characters from A-Z a-z 0-9 _ -)")
	}
	if la.Region == "" {
		return Account{}, fmt.Errorf("no region: add region = \"us\" (or \"eu\", \"in\")")
	}
	region, err := ParseRegion(la.Region)
	if err != nil {
		return Account{}, fmt.Errorf("region %q is not one of us, eu, in", la.Region)
	}
	a := Account{Name: name, Region: region, Username: la.Username, Secret: la.Secret, Token: la.Token, TokenEnv: la.TokenEnv}
	switch {
	case la.Type != "":
		t, err := ParseAccountType(la.Type)
		if err != nil {
			return Account{}, fmt.Errorf("type %q is not one of service_account, oauth_browser, oauth_token", la.Type)
		}
		a.Type = t
	case la.Username != "" && !la.Secret.IsZero():
		a.Type = TypeServiceAccount
	case !la.Token.IsZero() || la.TokenEnv != "":
		a.Type = TypeOAuthToken
	default:
		return Account{}, fmt.Errorf("its type cannot be told: it has neither username and secret nor token (add type = \"oauth_browser\" for a browser login)")
	}
	if la.ProjectID != "" {
		p, err := ParseProjectID(la.ProjectID)
		if err != nil {
			return Account{}, fmt.Errorf("project_id %q is not a project id (digits)", la.ProjectID)
		}
		a.DefaultProject = p
	}
	if err := a.Validate(); err != nil {
		var de *Error
		if errors.As(err, &de) {
			return Account{}, errors.New(de.Message)
		}
		return Account{}, err
	}
	return a, nil
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
