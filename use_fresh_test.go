package mp_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	mp "github.com/mpdata/mp"
)

// TestUseSeesAnotherProcessChange: Use among seen sessions answers from
// memory, yet it sees what another process does to the files between two
// calls. Here that process renames account fleet-1 to fleet-9 by
// rewriting config.toml in place (same inode, same size: only the times
// change, the hardest case for a stamp check), then a damaged bridge
// appears in the home directory.
func TestUseSeesAnotherProcessChange(t *testing.T) {
	f := newFixture(t, 2, 2)
	ctx := context.Background()
	ws := f.open(t)
	fleet1 := []mp.UseOption{mp.WithAccount("fleet-1"), mp.WithProject(f.project(1, 1))}
	fleet0 := []mp.UseOption{mp.WithAccount("fleet-0"), mp.WithProject(f.project(0, 1))}
	for range 3 { // the second and third Use of each session are remembered
		for _, s := range [][]mp.UseOption{fleet0, fleet1} {
			if err := ws.Use(ctx, s...); err != nil {
				t.Fatal(err)
			}
		}
	}

	runHelper(t, "rename-fleet-1", filepath.Join(f.dir, "config.toml"))
	if err := ws.Use(ctx, fleet1...); mp.CodeOf(err) != mp.CodeAccountNotFound {
		t.Fatalf("Use of an account another process renamed = %v, want ACCOUNT_NOT_FOUND", err)
	}
	if err := ws.Use(ctx, mp.WithAccount("fleet-9"), mp.WithProject(f.project(1, 1))); err != nil {
		t.Fatalf("Use of the renamed account = %v", err)
	}
	if err := ws.Use(ctx, fleet0...); err != nil {
		t.Fatal(err)
	}

	runHelper(t, "damaged-bridge", filepath.Join(f.dir, ".claude", "mixpanel", "auth.json"))
	if err := ws.Use(ctx, fleet0...); mp.CodeOf(err) != mp.CodeConfigError {
		t.Fatalf("Use with a damaged bridge in effect = %v, want CONFIG_ERROR", err)
	}
}

// runHelper runs this test binary as another process doing what (see
// TestHelperProcess) to path.
func runHelper(t *testing.T, what, path string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "MP_TEST_HELPER="+what, "MP_TEST_HELPER_PATH="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper process %s: %v\n%s", what, err, out)
	}
}

// TestHelperProcess is not a test: runHelper runs the test binary with
// MP_TEST_HELPER set, and this changes a file as another process would.
// Without the variable it does nothing.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv("MP_TEST_HELPER_PATH")
	switch os.Getenv("MP_TEST_HELPER") {
	case "rename-fleet-1":
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		renamed := bytes.ReplaceAll(raw, []byte("[accounts.fleet-1]"), []byte("[accounts.fleet-9]"))
		if bytes.Equal(raw, renamed) {
			t.Fatalf("no [accounts.fleet-1] in %s", path)
		}
		// In place: os.WriteFile truncates and writes the same inode.
		if err := os.WriteFile(path, renamed, 0o600); err != nil {
			t.Fatal(err)
		}
	case "damaged-bridge":
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
