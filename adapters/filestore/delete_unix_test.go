//go:build unix

package filestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Every delete of a credential file refuses what reads refuse — a symlink,
// a FIFO, a directory — naming the path, and leaves it (and a symlink's
// target) in place; nothing reports it as removed.
func TestDeletesRefuseWhatIsNotARegularFile(t *testing.T) {
	deletes := map[string]struct {
		file string
		del  func(root, home string) error
	}{
		"tokens store": {"tokens.json", func(root, home string) error {
			removed, err := filestore.NewTokenStore(root, home).Delete(context.Background(), "acct")
			if removed {
				return errors.New("reported removed")
			}
			return err
		}},
		"secret store": {"tokens.json", func(root, home string) error {
			return filestore.NewSecretStore(root, home).Delete(context.Background(),
				ports.SecretKey{Account: "acct", Kind: ports.SecretTokenSet})
		}},
		"me cache": {"me.json", func(root, home string) error {
			return filestore.NewMeCache(root, home).Delete(context.Background(), "acct")
		}},
	}
	plants := map[string]func(t *testing.T, p, home string){
		"symlink": func(t *testing.T, p, home string) {
			target := filepath.Join(home, "elsewhere.json")
			if err := os.WriteFile(target, []byte("{}"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
		},
		"fifo": func(t *testing.T, p, _ string) {
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"directory": func(t *testing.T, p, _ string) {
			if err := os.Mkdir(p, 0o700); err != nil {
				t.Fatal(err)
			}
		},
	}
	for dname, d := range deletes {
		for pname, plant := range plants {
			t.Run(dname+"/"+pname, func(t *testing.T) {
				home := t.TempDir()
				root := filepath.Join(home, ".mp")
				p := filepath.Join(root, "accounts", "acct", d.file)
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				plant(t, p, home)
				err := d.del(root, home)
				de := assertError(t, err, domain.CodeCredentialFileUnsafe, p)
				if de.Hint == "" {
					t.Error("the refusal has no hint")
				}
				if _, err := os.Lstat(p); err != nil {
					t.Fatalf("%s at %s was removed: %v", pname, p, err)
				}
				if pname == "symlink" {
					if _, err := os.Stat(filepath.Join(home, "elsewhere.json")); err != nil {
						t.Fatalf("the symlink's target was removed: %v", err)
					}
				}
			})
		}
	}
}
