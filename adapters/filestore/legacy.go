package filestore

import (
	"strings"

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
		WithHint("back up the file (cp %s %s.bak), move it out of the way (mv %s %s.0.3), then add your accounts again: "+
			"`mp account add NAME --type service_account --username USER --region REGION --project ID --secret-stdin` "+
			"for service accounts, `mp account add NAME --type oauth_browser --region REGION` for browser logins; docs/migration.md has the whole recipe", p, p, p, p)
}
