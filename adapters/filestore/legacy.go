package filestore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/mpdata/mp/adapters/internal/securefile"

	"github.com/mpdata/mp/domain"
)

// checkLegacy refuses a config written by mixpanel_data 0.3.x or earlier:
// one with config_version, [credentials], [projects], a top-level default
// key or project_id inside accounts, and no valid new-style account. A
// file with such leftovers next to valid accounts is read normally (the
// leftovers at the top level are kept, a project_id in an account is an
// unknown key).
func (d *decoder) checkLegacy(raw map[string]any) error {
	var markers []string
	for _, k := range []string{"config_version", "default"} {
		if _, ok := raw[k]; ok {
			markers = append(markers, "a top-level "+k+" key")
		}
	}
	for _, k := range []string{"credentials", "projects"} {
		if _, ok := raw[k]; ok {
			markers = append(markers, "["+k+"]")
		}
	}
	accounts, _ := raw[keyAccounts].(map[string]any)
	withProjectID := false
	for _, v := range accounts {
		if m, ok := v.(map[string]any); ok {
			if _, ok := m["project_id"]; ok {
				withProjectID = true
			}
		}
	}
	if withProjectID {
		markers = append(markers, "project_id inside [accounts.*]")
	}
	if len(markers) == 0 {
		return nil
	}
	for _, name := range sortedKeys(accounts) {
		if _, err := d.account(name, accounts[name]); err == nil {
			return nil // a valid new-style account: not a legacy file
		}
	}
	p := d.path
	return domain.NewError(domain.CodeLegacyConfig,
		"config file %s uses the 0.3.x format of mixpanel_data (it has %s), which mp cannot read", p, strings.Join(markers, ", ")).
		WithDetail("file", p).
		WithDetail("legacy_markers", markers).
		WithHint("run `mp config migrate --dry-run` to see how mp converts it, then `mp config migrate` (it keeps a backup; docs/migration.md)")
}

// legacyKeys are the keys of a 0.3.x account entry mp converts.
var legacyKeys = []string{"type", "username", "secret", "token", "token_env", "project_id", "region", "workspace_id"}

// readLegacy reads the 0.3.x parts of raw: the accounts of [credentials.*]
// and [accounts.*], the top-level default, and what has no place in 0.4
// ([projects.*], keys of an account entry mp does not know). What else the
// file holds stays as unknown keys (extra); config_version goes.
func readLegacy(raw map[string]any) (domain.LegacyConfig, map[string]any) {
	in := domain.LegacyConfig{Orphans: map[string]string{}}
	extra := map[string]any{}
	for k, v := range raw {
		switch k {
		case "config_version":
		case "default":
			s, ok := v.(string)
			if !ok {
				in.Orphans["default"] = "must be the name of an account (a string)"
				continue
			}
			in.Default = s
		case "credentials", keyAccounts:
			m, ok := v.(map[string]any)
			if !ok {
				in.Orphans["["+k+"]"] = "must be a table of accounts"
				continue
			}
			for _, name := range sortedKeys(m) {
				in.Accounts = append(in.Accounts, readLegacyAccount(&in, k, name, m[name]))
			}
		case "projects":
			m, _ := v.(map[string]any)
			for _, name := range sortedKeys(m) {
				in.Orphans["[projects."+name+"]"] = "mp 0.4 keeps a project on its account (default_project), and this entry has no credentials; " +
					"remove it, or after migrating set it with `mp project use ID` on the account it belongs to"
			}
			if len(m) == 0 {
				in.Orphans["[projects]"] = "must be a table of projects"
			}
		default:
			extra[k] = v
		}
	}
	return in, extra
}

// readLegacyAccount reads one account entry of table (credentials or
// accounts); a problem is recorded in in.Orphans under the entry's table.
func readLegacyAccount(in *domain.LegacyConfig, table, name string, v any) domain.LegacyAccount {
	la := domain.LegacyAccount{Table: "[" + table + "." + name + "]", Name: name}
	m, ok := v.(map[string]any)
	if !ok {
		in.Orphans[la.Table] = "must be a table"
		return la
	}
	str := func(k string) string {
		switch x := m[k].(type) {
		case string:
			return x
		case int64:
			return strconv.FormatInt(x, 10)
		case nil:
			return ""
		default:
			in.Orphans[la.Table] = k + " must be a string"
			return ""
		}
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(legacyKeys, k) {
			in.Orphans[la.Table] = fmt.Sprintf("key %s has no place in mp 0.4 (known: %s)", k, strings.Join(legacyKeys, ", "))
		}
	}
	la.Type, la.Username, la.TokenEnv = str("type"), str("username"), str("token_env")
	la.Secret, la.Token = domain.NewSecret(str("secret")), domain.NewSecret(str("token"))
	la.ProjectID, la.Region = str("project_id"), str("region")
	switch w := m["workspace_id"].(type) {
	case int64:
		la.Workspace = w
	case nil:
	default:
		in.Orphans[la.Table] = "workspace_id must be an integer"
	}
	return la
}

// MigrateLegacy converts the 0.3.x config file in place, in one locked
// transaction: the accounts, their projects and regions, the default
// account and its workspace go into the 0.4 schema (domain.ConvertLegacy),
// other top-level keys and tables are kept, and the original bytes are
// saved first as config.toml.v03.bak (mode 0600) beside it. With dryRun
// nothing is written. A file that is not in the 0.3.x format, or that
// holds anything that cannot be converted, is an error and nothing
// changes.
func (s *ConfigStore) MigrateLegacy(ctx context.Context, dryRun bool) (domain.LegacyMigration, error) {
	report := domain.LegacyMigration{File: s.path, Backup: s.path + ".v03.bak", DryRun: dryRun}
	if err := ctx.Err(); err != nil {
		return report, err
	}
	// A dry run only reads, like Load: it takes no lock, so it creates no
	// file at all (not even config.toml.lock).
	if !dryRun {
		unlock, err := securefile.Lock(ctx, s.path, s.opts())
		if err != nil {
			return report, s.lockError(ctx, err)
		}
		defer func() { _ = unlock() }()
	}
	data, exists, err := s.readBytes()
	if err != nil {
		return report, err
	}
	if !exists {
		return report, domain.NewError(domain.CodeConfigError, "there is no config file at %s: nothing to migrate", s.path).
			WithDetail("file", s.path).
			WithHint("set MP_CONFIG_PATH to the 0.3.x file to convert, or start with `mp login`")
	}
	if _, err := decode(s.path, data); domain.CodeOf(err) != domain.CodeLegacyConfig {
		if err != nil {
			return report, err
		}
		return report, domain.NewError(domain.CodeConfigError, "config file %s is already in the 0.4 format: nothing to migrate", s.path).
			WithDetail("file", s.path).
			WithHint("it loads as it is: run `mp account list`")
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return report, syntaxError(s.path, err)
	}
	legacy, extra := readLegacy(raw)
	cfgData, accounts, err := domain.ConvertLegacy(legacy)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			de.WithDetail("file", s.path)
		}
		return report, err
	}
	cfg, err := domain.NewConfig(cfgData)
	if err != nil {
		return report, err
	}
	report.Accounts, report.Workspace = accounts, int64(cfgData.Active.Workspace)
	doc := document{config: cfg, extra: extra, settings: map[string]any{}}
	out, err := encode(ctx, doc)
	if err != nil {
		return report, err
	}
	if err := s.checkReadsBack(out, doc); err != nil {
		return report, err
	}
	if dryRun {
		return report, nil
	}
	if err := ctx.Err(); err != nil {
		return report, err
	}
	if _, err := os.Lstat(report.Backup); err == nil {
		return report, domain.NewError(domain.CodeConfigError, "a backup already exists at %s, and mp does not overwrite it", report.Backup).
			WithDetail("file", s.path).
			WithDetail("backup", report.Backup).
			WithHint("move it away (mv %s %s.old), then run `mp config migrate` again", report.Backup, report.Backup)
	}
	if err := securefile.WriteFile(report.Backup, data, s.opts()); err != nil {
		return report, err
	}
	if err := securefile.WriteFile(s.path, out, s.opts()); err != nil {
		return report, err
	}
	return report, nil
}
