package filestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/porttest"
)

// TestBridgeAuthFileErrorsNameTheVariable: an error about the bridge that
// MP_AUTH_FILE names carries detail source: MP_AUTH_FILE; for a directory
// the hint says to point the variable at a file and never to remove it.
func TestBridgeAuthFileErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name     string
		setup    func(t *testing.T, e bridgeEnv) string
		fragment string
	}{
		{
			name:     "a directory",
			setup:    func(t *testing.T, e bridgeEnv) string { return e.home },
			fragment: "MP_AUTH_FILE names the directory ",
		},
		{
			name: "an invalid document",
			setup: func(t *testing.T, e bridgeEnv) string {
				p := filepath.Join(e.cwd, "auth.json")
				if err := os.WriteFile(p, []byte(`{"version":1}`), 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			},
			fragment: "export the bridge again",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newBridgeEnv(t)
			path := tt.setup(t, e)
			_, ok, err := e.store(path).Discover(context.Background())
			var de *domain.Error
			if ok || !errors.As(err, &de) {
				t.Fatalf("Discover = %t, %v; want a *domain.Error", ok, err)
			}
			if de.Details["source"] != domain.EnvAuthFile || !strings.Contains(de.Error(), path) {
				t.Fatalf("error %v (details %v) does not say it comes from MP_AUTH_FILE naming %s", de, de.Details, path)
			}
			if !strings.Contains(de.Hint, tt.fragment) {
				t.Fatalf("hint %q does not say %q", de.Hint, tt.fragment)
			}
			if h := strings.ReplaceAll(de.Hint, path, "PATH"); tt.name == "a directory" && (strings.Contains(h, "remove") || strings.Contains(h, "rm PATH")) {
				t.Fatalf("hint %q suggests removing %s", de.Hint, path)
			}
		})
	}
}

// TestBridgeLockRefusesUnwritableTarget: a bridge path that holds a
// directory or a symlink is refused by Lock before any lock file is
// created (a failed export leaves nothing behind).
func TestBridgeLockRefusesUnwritableTarget(t *testing.T) {
	e := newBridgeEnv(t)
	link := filepath.Join(e.cwd, "sl.json")
	target := filepath.Join(e.cwd, "real.json")
	putBridge(t, target, porttest.SampleBridges("lk")[0], 0o600)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{e.home, link} {
		unlock, err := e.store("").Lock(context.Background(), path)
		if err == nil {
			unlock()
			t.Fatalf("Lock(%s) succeeded", path)
		}
		if domain.CodeOf(err) != domain.CodeCredentialFileUnsafe {
			t.Fatalf("Lock(%s) = %v, want CREDENTIAL_FILE_UNSAFE", path, err)
		}
		if _, err := os.Lstat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("Lock(%s) left %s.lock behind (%v)", path, path, err)
		}
	}
}
