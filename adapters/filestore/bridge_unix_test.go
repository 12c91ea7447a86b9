//go:build unix

package filestore_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports/porttest"
)

// TestBridgeCwdOwnedByAnotherUserForReal is the owner rule without an
// injected owner check: the file really belongs to another user (uid
// 65534, "nobody"). Changing a file's owner needs root, so the test runs
// only as root (CI and the dev container run as root); the injected
// check in TestBridgeDiscoveryRefusesUnsafe covers every other run.
func TestBridgeCwdOwnedByAnotherUserForReal(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chown to another user needs root; the injected owner check covers this rule")
	}
	e := newBridgeEnv(t)
	putBridge(t, e.cwdBridge(), porttest.SampleBridges("chown")[1], 0o600)
	if err := os.Chown(e.cwdBridge(), 65534, 65534); err != nil {
		t.Fatal(err)
	}
	_, ok, err := e.store("").Discover(context.Background())
	if ok || domain.CodeOf(err) != domain.CodeCredentialFileUnsafe || !strings.Contains(err.Error(), "owned by user id 65534") {
		t.Fatalf("Discover of a bridge owned by nobody: %t, %v", ok, err)
	}
	// The same file named by MP_AUTH_FILE is the user's explicit choice:
	// the owner rule is the current directory's only.
	if b, ok, err := filestore.NewBridgeStore(filestore.BridgeOptions{Cwd: e.cwd, AuthFile: e.cwdBridge()}).Discover(context.Background()); err != nil || !ok || b.Account.Name != "ci" {
		t.Fatalf("MP_AUTH_FILE naming it: %v %v", ok, err)
	}
}
