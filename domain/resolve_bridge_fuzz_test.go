package domain

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzResolveWithBridge feeds the resolver bridges built from fuzzed
// values (valid or not, as a corrupt document could never reach it but a
// caller might build one) next to a fixed config and fuzzed selections. It
// checks what holds for every result, that the bridge's secret never
// reaches anything printable, that the resolver does not change the
// bridge, and the bridge's place in the chain: without an env account,
// explicit account or target, a bridge names the account.
func FuzzResolveWithBridge(f *testing.F) {
	f.Add("host", "service_account", "us", "610", "600", int64(60), "X-Team", "red", "", "", "", int64(0), "")
	f.Add("main", "oauth_token", "eu", "", "", int64(0), "", "", "main", "", "", int64(0), "")
	f.Add("solo", "oauth_browser", "in", "1", "2", int64(3), "x-team", "v", "", "42", "", int64(5), "")
	f.Add("../x", "nope", "XX", "abc", "-1", int64(-2), "Bad Header", "a\r\nb", "solo", "", "ecom", int64(0), "9")
	f.Fuzz(func(t *testing.T, name, typ, region, defProject, project string, workspace int64, hName, hValue,
		flAccount, flProject, flTarget string, flWorkspace int64, envProject string,
	) {
		const bridgeSecret = "bridge-fuzz-secret-6d1f"
		b := &Bridge{
			Path: "/vm/auth.json",
			Account: Account{
				Name: AccountName(name), Type: AccountType(typ), Region: Region(region), DefaultProject: ProjectID(defProject),
			},
			Project: ProjectID(project), Workspace: WorkspaceID(workspace),
		}
		switch b.Account.Type {
		case TypeServiceAccount:
			b.Account.Username, b.Account.Secret = "u", NewSecret(bridgeSecret)
		case TypeOAuthToken:
			b.Account.Token = NewSecret(bridgeSecret)
		}
		if hName != "" || hValue != "" {
			b.Headers = []Header{{Name: hName, Value: hValue}}
		}
		snapshot := *b
		snapshot.Headers = append([]Header(nil), b.Headers...)
		cfg, _ := buildConfig("main", "service_account", "us", "100", "ecom", "main", "300", 30, "main", 7, "X-Team", "blue")
		fi := fuzzInput{
			env: map[string]string{EnvProjectID: envProject},
			sel: Selection{Account: AccountName(flAccount), Project: ProjectID(flProject), Target: TargetName(flTarget), Workspace: WorkspaceID(flWorkspace)},
			cfg: cfg, raw: b.Validate() != nil, bridge: b,
		}
		res, err := Resolve(fi.resolveInput())
		checkResolution(t, fi, res, err)
		if !reflect.DeepEqual(*b, snapshot) {
			t.Fatal("Resolve changed the bridge")
		}
		if p := printable(res, err); strings.Contains(p, bridgeSecret) {
			t.Fatalf("a printable form holds the bridge's secret: %s", p)
		}
		if err != nil {
			return
		}
		if flAccount == "" && flTarget == "" {
			if w := res.Provenance.Account.Winner.Source; w.Kind != SourceBridge || w.Name != b.Path || !res.Session.Account.Equal(b.Account) {
				t.Fatalf("without explicit choices the bridge's account must win: %+v", res.Provenance.Account)
			}
		}
		if res.Provenance.Account.Winner.Source.Kind == SourceBridge && b.Project.IsSet() && envProject == "" && flProject == "" && res.Session.Project != b.Project {
			t.Fatalf("the bridge's account on project %q, want the pinned %q", res.Session.Project, b.Project)
		}
		// Headers: the config's, with the bridge's on top.
		if want := MergeHeaders([]Header{{Name: "X-Team", Value: "blue"}}, b.Headers); !reflect.DeepEqual(res.Session.Headers, want) {
			t.Fatalf("headers %v, want %v", res.Session.Headers, want)
		}
	})
}
