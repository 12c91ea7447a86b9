package domain_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
)

// TestNoBridgeProject: a session whose account comes from a bridge that
// pins no project (and whose account has no default project) fails with
// fixes that work on a bridge-only machine — never `mp project use` or
// `mp target use`, which refuse the bridge's account — and ResolvePartial
// keeps the account axis that did resolve.
func TestNoBridgeProject(t *testing.T) {
	br := hostBridge()
	br.Project, br.Workspace, br.Account.DefaultProject = "", 0, ""
	in := domain.ResolveInput{Bridge: br}

	res, failed, err := domain.ResolvePartial(in)
	var e *domain.Error
	if !errors.As(err, &e) || e.Code != domain.CodeConfigError {
		t.Fatalf("err = %v, want CONFIG_ERROR", err)
	}
	if failed != domain.AxisProject {
		t.Fatalf("failed = %q, want project", failed)
	}
	if res.Session.Account.Name != "host" || res.Provenance.Account.Winner.Source.Kind != domain.SourceBridge {
		t.Fatalf("partial account axis = %+v", res.Provenance.Account)
	}
	if res.Session.Project.IsSet() || res.Provenance.Project.Winner.Source.Kind != "" {
		t.Fatalf("the failed axis holds something: %+v", res.Provenance.Project)
	}
	if !strings.Contains(e.Message, "no project for account 'host'") || !strings.Contains(e.Message, "comes from the bridge "+br.Path) {
		t.Fatalf("message %q", e.Message)
	}
	fixes, _ := e.Details["fixes"].([]string)
	all := strings.Join(fixes, "\n") + "\n" + e.Hint
	for _, want := range []string{"--project ID", "MP_PROJECT_ID", "export-bridge --account host --project ID"} {
		if !strings.Contains(all, want) {
			t.Errorf("fixes and hint lack %q:\n%s", want, all)
		}
	}
	for _, refused := range []string{"mp project use", "mp target use"} {
		if strings.Contains(all, refused) {
			t.Errorf("fixes and hint send the user to %q, which refuses the bridge's account:\n%s", refused, all)
		}
	}
	if e.Details["path"] != br.Path {
		t.Errorf("path detail %v", e.Details["path"])
	}

	// Resolve returns nothing on failure.
	if r, err := domain.Resolve(in); err == nil || r.Session.Account.Name != "" {
		t.Fatalf("Resolve = %+v, %v", r.Session.Account.Name, err)
	}

	// A config account without a project keeps the config's fixes.
	_, failed, err = domain.ResolvePartial(domain.ResolveInput{Config: mustConfig(t, fixtureData()), Explicit: domain.Selection{Account: "bare"}})
	if !errors.As(err, &e) || failed != domain.AxisProject {
		t.Fatalf("config account: %v (failed %q)", err, failed)
	}
	if fixes, _ := e.Details["fixes"].([]string); !slices.ContainsFunc(fixes, func(s string) bool { return strings.HasPrefix(s, "mp project use") }) {
		t.Fatalf("config account fixes %v", fixes)
	}
}

// TestResolvePartialMatchesResolve: on success ResolvePartial is Resolve;
// an error of the explicit selection fails the account axis with nothing
// resolved.
func TestResolvePartialMatchesResolve(t *testing.T) {
	in := domain.ResolveInput{Config: mustConfig(t, fixtureData()), Bridge: hostBridge()}
	want, err := domain.Resolve(in)
	if err != nil {
		t.Fatal(err)
	}
	got, failed, err := domain.ResolvePartial(in)
	if err != nil || failed != "" {
		t.Fatalf("ResolvePartial: %v (failed %q)", err, failed)
	}
	if got.Session.Account.Name != want.Session.Account.Name || got.Session.Project != want.Session.Project ||
		got.Session.Workspace != want.Session.Workspace || len(got.Session.Headers) != len(want.Session.Headers) ||
		got.Provenance.Workspace.Winner != want.Provenance.Workspace.Winner {
		t.Fatalf("ResolvePartial = %+v, Resolve = %+v", got, want)
	}

	in.Explicit = domain.Selection{Target: "ecom", Account: "main"}
	got, failed, err = domain.ResolvePartial(in)
	if err == nil || failed != domain.AxisAccount || got.Session.Account.Name != "" {
		t.Fatalf("conflicting flags: %+v, %q, %v", got.Session.Account.Name, failed, err)
	}
}

// TestHeaderControlCharacterPosition: the error names the position and
// the byte's value apart, so that "1" is not read as the byte.
func TestHeaderControlCharacterPosition(t *testing.T) {
	var cfg domain.Config
	err := cfg.SetCustomHeader(&domain.Header{Name: "X-A", Value: "a\rb"})
	checkErr(t, err, domain.CodeInvalidArgument, "control character at position 1 (0x0d)")
}

// TestBridgeReservedHeaders: a bridge header the request layering would
// override or the transport ignores is refused, whatever its case, with
// the reserved names listed; other headers pass.
func TestBridgeReservedHeaders(t *testing.T) {
	for _, name := range []string{"Authorization", "authorization", "Host", "Content-Length", "Proxy-Authorization", "Transfer-Encoding"} {
		b := *hostBridge()
		b.Headers = []domain.Header{{Name: name, Value: "v"}}
		err := b.Validate()
		if !checkErr(t, err, domain.CodeConfigError, "header "+name+" is reserved") {
			continue
		}
		e := err.(*domain.Error)
		if e.Details["field"] != "headers" || !strings.Contains(e.Hint, "export the bridge again") {
			t.Errorf("%s: details %v, hint %q", name, e.Details, e.Hint)
		}
		if _, ok := e.Details["reserved"].([]string); !ok {
			t.Errorf("%s: no reserved list in %v", name, e.Details)
		}
	}
	b := *hostBridge()
	b.Headers = []domain.Header{{Name: "X-Authorization-Hint", Value: "v"}, {Name: "User-Agent", Value: "proxy"}}
	if err := b.Validate(); err != nil {
		t.Fatalf("ordinary headers refused: %v", err)
	}
}
