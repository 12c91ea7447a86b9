//go:build unix

package filestore_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/ports/porttest"
)

// TestBridgeCwdOwnerCheckedOnTheOpenedFile: the owner of
// ./mixpanel_auth.json is checked on the file that is read. The test swaps
// another user's bridge into place right after the first owner lookup: a
// check of the path followed by a separate open would read the swapped-in
// file; checking the opened file reads the user's own bridge (or refuses).
func TestBridgeCwdOwnerCheckedOnTheOpenedFile(t *testing.T) {
	e := newBridgeEnv(t)
	bs := porttest.SampleBridges("race")
	mine, theirs := bs[0], bs[1]
	putBridge(t, e.cwdBridge(), mine, 0o600)
	other := filepath.Join(e.cwd, "theirs.json")
	putBridge(t, other, theirs, 0o600)
	fi, err := os.Stat(other)
	if err != nil {
		t.Fatal(err)
	}
	theirsIno := fi.Sys().(*syscall.Stat_t).Ino
	me := os.Getuid()
	var once sync.Once
	s := filestore.NewBridgeStore(filestore.BridgeOptions{
		Cwd:         e.cwd,
		CurrentUser: func() int { return me },
		FileOwner: func(fi fs.FileInfo) (int, bool) {
			ino := fi.Sys().(*syscall.Stat_t).Ino
			once.Do(func() {
				if err := os.Rename(other, e.cwdBridge()); err != nil {
					t.Error(err)
				}
			})
			if ino == theirsIno {
				return me + 4242, true
			}
			return me, true
		},
	})
	b, ok, err := s.Discover(context.Background())
	if err == nil && (!ok || b.Account.Name != mine.Account.Name) {
		t.Fatalf("Discover read %q (ok %t), the bridge swapped in after the owner check", b.Account.Name, ok)
	}
}
