package wiring_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/mptest"
	"github.com/mpdata/mp/ports/inmem"
)

func TestAPIBase(t *testing.T) {
	for _, tt := range []struct {
		env  inmem.Env
		want wiring.APIBaseURL
	}{
		{inmem.Env{}, ""},
		{inmem.Env{"MP_API_BASE_URL": ""}, ""},
		{inmem.Env{"MP_API_BASE_URL": " http://127.0.0.1:8765/{region} \n"}, "http://127.0.0.1:8765/{region}"},
	} {
		if got := wiring.APIBase(tt.env); got != tt.want {
			t.Errorf("APIBase(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}

func TestNewUserAgent(t *testing.T) {
	ua := string(wiring.NewUserAgent("1.2.3", "cli"))
	if !strings.HasPrefix(ua, "mp/1.2.3 (cli; go") {
		t.Fatalf("UserAgent = %q", ua)
	}
}

// TestNewAppAgainstSandbox runs the wired App against mptest over loopback:
// a region probe, account test, two `project list` runs in two processes
// (one /me call, then the disk cache), a segmentation and the session
// names, with the /me cache file where and how docs/reference/files.md puts it.
func TestNewAppAgainstSandbox(t *testing.T) {
	ctx := context.Background()
	srv := mptest.NewServer(t)
	home := t.TempDir()
	env := inmem.Env{"MP_API_BASE_URL": srv.RegionURL()}
	newApp := func() *app.App {
		s := wiring.Resolve(env, home)
		s.UserAgent, s.Log = wiring.NewUserAgent("test", "lib"), zap.NewNop()
		a, err := wiring.Build(s)
		if err != nil {
			t.Fatalf("Build: %v", err)
		}
		return a
	}

	eu := mptest.DemoEUServiceAccount()
	acct := domain.Account{Name: "eu", Type: domain.TypeServiceAccount, Username: eu.Username, Secret: domain.NewSecret(eu.Secret)}
	a := newApp()
	var probed []domain.Region
	region, err := a.Accounts.ProbeRegion(ctx, acct, func(r domain.Region) { probed = append(probed, r) })
	if err != nil || region != domain.RegionEU {
		t.Fatalf("ProbeRegion = %s, %v (probed %v)", region, err, probed)
	}
	acct.Region = region
	if _, err := a.Accounts.Add(ctx, acct); err != nil {
		t.Fatal(err)
	}
	mePath := filepath.Join(home, ".mp", "accounts", "eu", "me.json")
	fi, err := os.Stat(mePath)
	if err != nil {
		t.Fatalf("the probed /me was not cached: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("me.json mode %04o", fi.Mode().Perm())
	}
	if n := srv.Count(mptest.RouteMe); n != 2 {
		t.Fatalf("%d /me requests after the probe, want 2 (us refused, eu accepted)", n)
	}

	res, err := a.Accounts.Test(ctx, domain.Selection{}, "eu")
	if err != nil || !res.OK || res.User == nil || res.User.Email != eu.Email || res.AccessibleProjectCount != 1 {
		t.Fatalf("Test = %+v, %v", res, err)
	}
	if n := srv.Count(mptest.RouteMe); n != 3 {
		t.Fatalf("%d /me requests after the test, want 3", n)
	}

	// Two `mp project list` runs: both served from the cache.
	for range 2 {
		list, err := newApp().Projects.List(ctx, domain.Selection{}, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Name != "EU Shop" || list[0].Domain != "eu.mixpanel.com" {
			t.Fatalf("List = %+v", list)
		}
	}
	if n := srv.Count(mptest.RouteMe); n != 3 {
		t.Fatalf("%d /me requests after two project lists, want still 3", n)
	}

	b := newApp()
	if _, err := b.Projects.Use(ctx, domain.Selection{}, "4100001"); err != nil {
		t.Fatal(err)
	}
	seg, err := b.Query.Segmentation(ctx, domain.Selection{}, domain.SegmentationQuery{Event: "Purchase", From: "2026-04-01", To: "2026-04-03"})
	if err != nil {
		t.Fatalf("Segmentation: %v", err)
	}
	var sum float64
	for _, byDate := range seg.Series {
		for _, v := range byDate {
			sum += v
		}
	}
	if seg.Total != sum || len(seg.Series) == 0 {
		t.Fatalf("Segmentation = %+v", seg)
	}
	view, err := newApp().Sessions.Show(ctx, domain.Selection{}, false)
	if err != nil {
		t.Fatal(err)
	}
	if view.Project.Name == nil || *view.Project.Name != "EU Shop" || view.User == nil || view.User.Email != eu.Email {
		t.Fatalf("session = %+v", view)
	}
	if n := srv.Count(mptest.RouteMe); n != 3 {
		t.Fatalf("%d /me requests at the end, want 3", n)
	}

	// A wrong secret: ok false, AUTH_FAILED.
	if _, err := b.Accounts.Update(ctx, "eu", domain.AccountPatch{Secret: ptr(domain.NewSecret("wrong"))}); err != nil {
		t.Fatal(err)
	}
	res, err = b.Accounts.Test(ctx, domain.Selection{}, "eu")
	if res.OK || domain.CodeOf(err) != domain.CodeAuthFailed || res.ErrorCode == nil || *res.ErrorCode != "AUTH_FAILED" {
		t.Fatalf("Test with a wrong secret = %+v, %v", res, err)
	}
}

func ptr[T any](v T) *T { return &v }
