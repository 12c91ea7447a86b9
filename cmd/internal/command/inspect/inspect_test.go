package inspect

import (
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/inmem"
)

func connected(t *testing.T, names ...string) *commandtest.Env {
	t.Helper()
	e := commandtest.Connected(t, domain.Me{User: domain.User{ID: 1, Email: "ci@example.com"}})
	e.API.SetEventNames(names...)
	return e
}

func run(e *commandtest.Env, args ...string) error {
	return commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory)}, append([]string{"inspect", "events"}, args...)...)
}

func TestEvents(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "EVENT\nLogin\nSign Up\nPage View\n"},
		{[]string{"-f", "json"}, "[\n  \"Login\",\n  \"Sign Up\",\n  \"Page View\"\n]\n"},
		{[]string{"-f", "jsonl"}, "{\"event\":\"Login\"}\n{\"event\":\"Sign Up\"}\n{\"event\":\"Page View\"}\n"},
		{[]string{"-f", "csv"}, "event\nLogin\nSign Up\nPage View\n"},
		{[]string{"-f", "plain", "--limit", "2"}, "Login\nSign Up\n"},
	}
	for _, tt := range tests {
		e := connected(t, "Login", "Sign Up", "Page View")
		if err := run(e, tt.args...); err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		if e.Stdout.String() != tt.want {
			t.Errorf("%q:\n%s\nwant:\n%s", tt.args, e.Stdout.String(), tt.want)
		}
	}
	e := connected(t, "Login")
	if err := run(e, "-w", "3448414"); err != nil {
		t.Fatal(err)
	}
	calls := e.API.Calls(inmem.EndpointEventNames)
	if len(calls) != 1 || calls[0].EventNames.Limit != DefaultLimit || calls[0].Scope.Workspace != 3448414 || calls[0].Scope.Project != "3018488" {
		t.Errorf("calls = %+v", calls)
	}
}

func TestEventsEmptyAndErrors(t *testing.T) {
	e := connected(t)
	if err := run(e, "-f", "json"); err != nil {
		t.Fatal(err)
	}
	if e.Stdout.String() != "[]\n" {
		t.Errorf("empty json %q", e.Stdout.String())
	}
	for _, args := range [][]string{{"--limit", "0"}, {"--limit", "-3"}, {"--limit", "many"}, {"x"}} {
		e := connected(t, "Login")
		if err := run(e, args...); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%q: %v", args, err)
		}
		if e.API.Count(inmem.EndpointEventNames) != 0 {
			t.Errorf("%q: called the API", args)
		}
	}
	e = connected(t, "Login")
	e.API.FailNext(inmem.EndpointEventNames, domain.NewError(domain.CodeServerError, "503"))
	if err := run(e); domain.CodeOf(err) != domain.CodeServerError {
		t.Errorf("5xx: %v", err)
	}
}
