package api

import (
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

func connected(t *testing.T) *commandtest.Env {
	t.Helper()
	return commandtest.Connected(t, domain.Me{User: domain.User{ID: 1, Email: "ci@example.com"}})
}

func runAPI(e *commandtest.Env, args ...string) error {
	return commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory, nil)}, append([]string{"api"}, args...)...)
}

func TestRunPrintsTheBodyAsIs(t *testing.T) {
	e := connected(t)
	body := "{\"status\": \"ok\",\n \"results\": {\"a\":1}}"
	e.API.SetRawResponse(domain.RawResponse{Status: 200, ContentType: "application/json", Body: []byte(body)})
	if err := runAPI(e, "/api/query/events/names", "-F", "limit=3", "-w", "3448414", "--include"); err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != body {
		t.Errorf("stdout %q, want the body unchanged", e.Stdout.String())
	}
	if e.Stderr.String() != "HTTP 200 OK\nContent-Type: application/json\n" {
		t.Errorf("stderr %q", e.Stderr.String())
	}
	calls := e.API.Calls(inmem.EndpointDo)
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	req := calls[0].Request
	want := map[string]string{"limit": "3", "project_id": "3018488", "workspace_id": "3448414"}
	got := map[string]string{}
	for _, p := range req.Params {
		got[p.Key] = p.Value
	}
	if req.Method != "GET" || req.Path != "/api/query/events/names" || len(got) != 3 || got["limit"] != want["limit"] ||
		got["project_id"] != want["project_id"] || got["workspace_id"] != want["workspace_id"] {
		t.Errorf("request %+v", req)
	}
	if strings.Contains(e.Stdout.String()+e.Stderr.String(), commandtest.Token) {
		t.Error("token printed")
	}
}

func TestRunErrors(t *testing.T) {
	e := connected(t)
	e.API.FailNext(inmem.EndpointDo, domain.NewError(domain.CodeRateLimited, "rate limited"))
	err := runAPI(e, "/api/app/me")
	if domain.CodeOf(err) != domain.CodeRateLimited || e.Stdout.Len() != 0 {
		t.Errorf("err %v stdout %q", err, e.Stdout.String())
	}

	// An error answer comes back with its typed error: the body is printed,
	// the error's code picks the exit code, and the error is not repeated
	// on stdout.
	for status, code := range map[int]domain.Code{
		401: domain.CodeAuthFailed, 403: domain.CodePermissionDenied, 404: domain.CodeProjectNotFound,
		429: domain.CodeRateLimited, 400: domain.CodeAPIError, 503: domain.CodeServerError,
	} {
		e := connected(t)
		e.API.SetRawAnswer(domain.RawResponse{Status: status, ContentType: "application/json", Body: []byte(`{"error":"x"}`)},
			domain.NewError(code, "HTTP %d", status).WithDetail("status", status))
		err := runAPI(e, "/api/app/me")
		if domain.CodeOf(err) != code || !command.IsShown(err) || e.Stdout.String() != `{"error":"x"}` {
			t.Errorf("%d: err %v stdout %q", status, err, e.Stdout.String())
		}
	}

	e = connected(t)
	if err := runAPI(e, "/v1/me"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("bad path: %v", err)
	}
	if e.API.Count(inmem.EndpointDo) != 0 {
		t.Error("a bad path was sent")
	}
}
