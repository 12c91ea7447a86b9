package account

import (
	"testing"

	"github.com/mpdata/mp/domain"
)

// fixtureSecret is the fixture's service-account secret; no output may
// contain it.
const fixtureSecret = "s3cr3t-7f1c9e2b-NEVER-PRINT"

func fixture(t *testing.T) domain.Config {
	t.Helper()
	cfg, err := domain.NewConfig(domain.ConfigData{
		Accounts: []domain.Account{
			{
				Name: "team", Type: domain.TypeServiceAccount, Region: domain.RegionUS, DefaultProject: "3018488",
				Username: "team-mp", Secret: domain.NewSecret(fixtureSecret),
			},
			{Name: "personal", Type: domain.TypeOAuthBrowser, Region: domain.RegionEU},
			{Name: "ci", Type: domain.TypeOAuthToken, Region: domain.RegionIN, DefaultProject: "3713224", TokenEnv: "MP_CI_TOKEN"},
		},
		Targets: []domain.Target{
			{Name: "ecom", Account: "team", Project: "3018488", Workspace: 3448414},
			{Name: "stage", Account: "ci", Project: "3713224"},
		},
		Active: domain.Active{Account: "team", Workspace: 3448414},
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
