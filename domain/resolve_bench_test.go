package domain_test

import (
	"fmt"
	"testing"

	"github.com/mpdata/mp/domain"
)

// benchConfig is a config of realistic size: n accounts of every type and
// n targets, an active account with a workspace and a custom header.
func benchConfig(b *testing.B, n int) domain.Config {
	b.Helper()
	var d domain.ConfigData
	for i := range n {
		name := domain.AccountName(fmt.Sprintf("acct-%03d", i))
		a := domain.Account{Name: name, Region: domain.RegionUS, DefaultProject: domain.ProjectID(fmt.Sprint(1000 + i))}
		switch i % 3 {
		case 0:
			a.Type, a.Username, a.Secret = domain.TypeServiceAccount, "sa", domain.NewSecret("s")
		case 1:
			a.Type, a.TokenEnv = domain.TypeOAuthToken, "MP_CI_TOKEN"
		default:
			a.Type = domain.TypeOAuthBrowser
		}
		d.Accounts = append(d.Accounts, a)
		d.Targets = append(d.Targets, domain.Target{
			Name: domain.TargetName(fmt.Sprintf("tgt-%03d", i)), Account: name,
			Project: domain.ProjectID(fmt.Sprint(2000 + i)), Workspace: domain.WorkspaceID(3000 + i),
		})
	}
	d.Active = domain.Active{Account: "acct-000", Workspace: 7}
	d.Settings.CustomHeader = &domain.Header{Name: "X-Team", Value: "growth"}
	cfg, err := domain.NewConfig(d)
	if err != nil {
		b.Fatal(err)
	}
	return cfg
}

// BenchmarkResolve measures one run of the resolution chain, the work every
// mp command does before anything else.
func BenchmarkResolve(b *testing.B) {
	cfg := benchConfig(b, 50)
	cases := map[string]domain.ResolveInput{
		"active":    {Config: cfg, Env: map[string]string{}},
		"target":    {Config: cfg, Env: map[string]string{}, Explicit: domain.Selection{Target: "tgt-025"}},
		"env-quad":  {Config: cfg, Env: map[string]string{"MP_USERNAME": "u", "MP_SECRET": "s", "MP_PROJECT_ID": "1", "MP_REGION": "eu"}},
		"flags+env": {Config: cfg, Env: map[string]string{"MP_PROJECT_ID": "9", "MP_WORKSPACE_ID": "5"}, Explicit: domain.Selection{Account: "acct-010"}},
	}
	for name, in := range cases {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := domain.Resolve(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTargetsByAccount measures what `mp account list` needs of the
// targets: every account's referencing targets, in one pass (linear in
// the number of targets, where asking per account was quadratic).
func BenchmarkTargetsByAccount(b *testing.B) {
	for _, n := range []int{50, 5000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) {
			c := benchConfig(b, n)
			b.ReportAllocs()
			for b.Loop() {
				refs := c.TargetsByAccount()
				for _, a := range c.Accounts() {
					_ = refs[a.Name]
				}
			}
		})
	}
}
