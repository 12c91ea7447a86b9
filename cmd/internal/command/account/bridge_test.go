package account

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

func TestExportBridgeFlags(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	var got *ExportBridgeOptions
	cmd := NewCmdExportBridge(e.Factory, func(_ context.Context, o *ExportBridgeOptions) error { got = o; return nil })
	run := func(args ...string) error {
		got = nil
		return commandtest.Run(e.Factory, []*cli.Command{commandtest.Group("account", cmd)}, args...)
	}
	if err := run("account", "export-bridge", "--to", "rel/auth.json", "-a", "ci", "-p", "42", "-w", "7", "-f", "json"); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	want := app.BridgeExport{To: filepath.Join(wd, "rel", "auth.json"), Account: "ci", Project: "42", Workspace: 7}
	if got.Request != want || got.Format != render.JSON {
		t.Fatalf("options = %+v, want request %+v", got, want)
	}
	for name, args := range map[string][]string{
		"no --to":       {"account", "export-bridge", "-a", "ci"},
		"empty --to":    {"account", "export-bridge", "--to", ""},
		"a target":      {"account", "export-bridge", "--to", "x", "-t", "ecom"},
		"surplus args":  {"account", "export-bridge", "--to", "x", "extra"},
		"bad workspace": {"account", "export-bridge", "--to", "x", "-w", "abc"},
	} {
		if err := run(args...); err == nil || got != nil {
			t.Errorf("%s: err %v, ran %+v", name, err, got)
		}
	}
	if err := run("account", "export-bridge", "-a", "ci"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("no --to: %v, want INVALID_ARGUMENT", err)
	}
}

func TestRemoveBridgeFlags(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	var got *RemoveBridgeOptions
	cmd := NewCmdRemoveBridge(e.Factory, func(_ context.Context, o *RemoveBridgeOptions) error { got = o; return nil })
	run := func(args ...string) error {
		got = nil
		return commandtest.Run(e.Factory, []*cli.Command{commandtest.Group("account", cmd)}, args...)
	}
	if err := run("account", "remove-bridge"); err != nil || got.At != "" {
		t.Fatalf("no --at: %+v, %v", got, err)
	}
	if err := run("account", "remove-bridge", "--at", "/x/auth.json"); err != nil || got.At != "/x/auth.json" {
		t.Fatalf("--at: %+v, %v", got, err)
	}
	if err := run("account", "remove-bridge", "--at", ""); domain.CodeOf(err) != domain.CodeInvalidArgument || got != nil {
		t.Fatalf("empty --at: %v", err)
	}
}

// TestBridgeCommandsWithoutBridgeSupport: an App without a BridgeStore
// says so instead of pretending.
func TestBridgeCommandsWithoutBridgeSupport(t *testing.T) {
	e := commandtest.New(fixture(t), nil)
	err := exportBridgeRun(context.Background(), &ExportBridgeOptions{IO: e.IO, App: e.Factory.App, Format: render.Table, Request: app.BridgeExport{To: "/x", Account: "team"}})
	if domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("export: %v", err)
	}
	err = removeBridgeRun(context.Background(), &RemoveBridgeOptions{IO: e.IO, App: e.Factory.App, Format: render.Table})
	if domain.CodeOf(err) != domain.CodeConfigError {
		t.Fatalf("remove: %v", err)
	}
}
