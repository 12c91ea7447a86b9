package filestore_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
)

func TestRemoveAccountData(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	root := filepath.Join(home, ".mp")
	s := filestore.NewAccountStorage(root, home)

	dir := filepath.Join(root, "accounts", "personal")
	if got := s.AccountDir("personal"); got != dir {
		t.Fatalf("AccountDir = %s, want %s", got, dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"tokens.json", "me.json"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	other := filepath.Join(root, "accounts", "team", "me.json")
	if err := os.MkdirAll(filepath.Dir(other), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}

	if err := s.RemoveAccountData(ctx, "personal"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("account directory still there: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Fatalf("another account's data was touched: %v", err)
	}
	if err := s.RemoveAccountData(ctx, "personal"); err != nil {
		t.Fatalf("removing absent data: %v", err)
	}
	if err := s.RemoveAccountData(ctx, "never-existed"); err != nil {
		t.Fatalf("removing data of an account without a directory: %v", err)
	}
}

func TestRemoveAccountDataRefusals(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	root := filepath.Join(home, ".mp")
	s := filestore.NewAccountStorage(root, home)
	precious := filepath.Join(home, "precious")
	if err := os.MkdirAll(precious, 0o700); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(precious, "keep")
	if err := os.WriteFile(keep, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "accounts"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(precious, filepath.Join(root, "accounts", "linked")); err != nil {
		t.Fatal(err)
	}

	err := s.RemoveAccountData(ctx, "linked")
	assertError(t, err, domain.CodeCredentialFileUnsafe, filepath.Join(root, "accounts", "linked"), "symbolic link")

	for _, bad := range []domain.AccountName{"..", "../precious", "a/b", ""} {
		err := s.RemoveAccountData(ctx, bad)
		if !errors.Is(err, domain.CodeInvalidArgument) {
			t.Errorf("RemoveAccountData(%q) = %v, want INVALID_ARGUMENT", bad, err)
		}
	}
	if _, err := os.Stat(keep); err != nil {
		t.Fatalf("data outside the account directories was touched: %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.RemoveAccountData(cancelled, "linked"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled context: %v", err)
	}
}
