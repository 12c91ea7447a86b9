package inmem_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
	"github.com/mpdata/mp/ports/porttest"
)

var _ ports.MixpanelAPI = (*inmem.MixpanelAPI)(nil)

func TestMixpanelAPICredentialsAreRegionBound(t *testing.T) {
	ctx := context.Background()
	f := inmem.NewMixpanelAPI()
	good := domain.BasicCredential("svc", domain.NewSecret("s3cret"))
	f.SetMe(good, domain.RegionEU, porttest.SampleMe(t))

	me, err := f.Me(ctx, domain.Scope{Region: domain.RegionEU, Credential: good})
	if err != nil {
		t.Fatalf("Me with the registered credential: %v", err)
	}
	if me.User.Email != "jo@example.com" {
		t.Fatalf("Me = %+v", me.User)
	}
	cases := []domain.Scope{
		{Region: domain.RegionUS, Credential: good},
		{Region: domain.RegionEU, Credential: domain.BasicCredential("svc", domain.NewSecret("wrong"))},
		{Region: domain.RegionEU, Credential: domain.BearerCredential(domain.NewSecret("s3cret"))},
	}
	for _, sc := range cases {
		if _, err := f.Me(ctx, sc); !errors.Is(err, domain.CodeAuthFailed) {
			t.Errorf("Me(%v in %s) error = %v, want AUTH_FAILED", sc.Credential, sc.Region, err)
		}
		if _, err := f.EventNames(ctx, sc, domain.EventNamesQuery{Limit: 1}); !errors.Is(err, domain.CodeAuthFailed) {
			t.Errorf("EventNames(%v in %s) error = %v, want AUTH_FAILED", sc.Credential, sc.Region, err)
		}
	}
	if got := f.Count(inmem.EndpointMe); got != 4 {
		t.Fatalf("Count(Me) = %d, want 4", got)
	}
	if got := f.Count(""); got != 7 {
		t.Fatalf("Count(all) = %d, want 7", got)
	}
}

func TestMixpanelAPIScriptedAnswersAndFailures(t *testing.T) {
	ctx := context.Background()
	f := inmem.NewMixpanelAPI()
	cred := domain.BearerCredential(domain.NewSecret("tok"))
	f.SetMe(cred, domain.RegionUS, porttest.SampleMe(t))
	scope := domain.Scope{Region: domain.RegionUS, Credential: cred, Project: "3713224", Workspace: 5}

	boom := domain.NewError(domain.CodeServerError, "boom")
	f.FailNext(inmem.EndpointSegmentation, boom)
	q := domain.SegmentationQuery{Event: "Login", From: "2026-04-01", To: "2026-04-02", Unit: "day", Type: "general"}
	if _, err := f.Segmentation(ctx, scope, q); !errors.Is(err, boom) {
		t.Fatalf("first Segmentation error = %v, want the queued failure", err)
	}
	res, err := f.Segmentation(ctx, scope, q)
	if err != nil || res.Event != "Login" || res.FromDate != "2026-04-01" || res.Unit != "day" {
		t.Fatalf("second Segmentation = %+v, %v", res, err)
	}
	calls := f.Calls(inmem.EndpointSegmentation)
	if len(calls) != 2 || calls[1].Segmentation != q || calls[1].Scope.Workspace != 5 {
		t.Fatalf("Segmentation calls = %+v", calls)
	}

	f.SetWorkspaces("3713224", domain.Workspace{ID: 2, Name: "b"}, domain.Workspace{ID: 1, Name: "a"})
	ws, err := f.Workspaces(ctx, scope)
	if err != nil || len(ws) != 2 {
		t.Fatalf("Workspaces = %+v, %v", ws, err)
	}
	ws[0].Name = "changed"
	if again, _ := f.Workspaces(ctx, scope); again[0].Name != "b" {
		t.Fatal("Workspaces returned the stored slice itself")
	}
	other := scope
	other.Project = "1"
	if ws, err := f.Workspaces(ctx, other); err != nil || len(ws) != 0 {
		t.Fatalf("Workspaces of a project without any = %+v, %v", ws, err)
	}

	f.SetEventNames("a", "b", "c")
	names, err := f.EventNames(ctx, scope, domain.EventNamesQuery{Limit: 2})
	if err != nil || !reflect.DeepEqual(names, []string{"a", "b"}) {
		t.Fatalf("EventNames = %v, %v", names, err)
	}

	f.SetRawResponse(domain.RawResponse{Status: 201, ContentType: "text/plain", Body: []byte("hi")})
	req := domain.RawRequest{Method: "GET", Path: "/api/app/me", Params: []domain.Param{{Key: "a", Value: "1"}}}
	resp, err := f.Do(ctx, scope, req)
	if err != nil || resp.Status != 201 || string(resp.Body) != "hi" {
		t.Fatalf("Do = %+v, %v", resp, err)
	}
	if got := f.Calls(inmem.EndpointDo)[0].Request; !reflect.DeepEqual(got, req) {
		t.Fatalf("logged request = %+v, want %+v", got, req)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.Me(cctx, scope); !errors.Is(err, context.Canceled) {
		t.Fatalf("Me with a cancelled context: %v", err)
	}
}
