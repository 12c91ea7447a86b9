package mptest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/mpdata/mp/mptest"
)

// TestAddFleet: the fleet's service accounts see their own projects, and
// only those, through /me.
func TestAddFleet(t *testing.T) {
	seed := mptest.DefaultSeed()
	fleet := seed.AddFleet(3, 4)
	if len(fleet) != 3 || len(fleet[2].Projects) != 4 || fleet[2].Projects[3] != 9_002_003 {
		t.Fatalf("fleet = %+v", fleet)
	}
	again := seed.AddFleet(1, 1)
	orgs := 0
	for _, o := range seed.Organizations {
		if o.ID == mptest.OrgFleet {
			orgs++
		}
	}
	if orgs != 1 || len(again) != 1 || again[0].Username != "fleet-3.mp-service-account" || again[0].Projects[0] != 9_003_000 {
		t.Fatalf("a second AddFleet added %d fleet organisations", orgs)
	}
	srv := mptest.NewServer(t, mptest.WithSeed(seed))
	req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/app/me", nil)
	req.SetBasicAuth(fleet[1].Username, fleet[1].Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Results struct {
			Projects map[string]struct {
				Name string `json:"name"`
			} `json:"projects"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/me: %d, %v", resp.StatusCode, err)
	}
	if len(body.Results.Projects) != 4 || body.Results.Projects["9001002"].Name != "Fleet 1-2" {
		t.Fatalf("/me projects of fleet-1 = %+v", body.Results.Projects)
	}
}
