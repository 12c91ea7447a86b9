package securefile_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
)

func TestRemoveFile(t *testing.T) {
	l := newLayout(t)
	writeRaw(t, l.path, []byte("x"), 0o600)
	if removed, err := securefile.RemoveFile(l.path, l.opts()); err != nil || !removed {
		t.Fatalf("RemoveFile = %t, %v; want true", removed, err)
	}
	if _, err := os.Lstat(l.path); !os.IsNotExist(err) {
		t.Fatalf("the file is still there: %v", err)
	}
	if removed, err := securefile.RemoveFile(l.path, l.opts()); err != nil || removed {
		t.Fatalf("RemoveFile of a missing file = %t, %v; want false, nil", removed, err)
	}
}

func TestRemoveFileRefusesSymlinkAndDirectory(t *testing.T) {
	l := newLayout(t)
	target := filepath.Join(l.home, "target.json")
	writeRaw(t, target, []byte("keep"), 0o600)
	if err := os.Symlink(target, l.path); err != nil {
		t.Fatal(err)
	}
	removed, err := securefile.RemoveFile(l.path, l.opts())
	if removed || domain.CodeOf(err) != domain.CodeCredentialFileUnsafe {
		t.Fatalf("RemoveFile of a symlink = %t, %v; want CREDENTIAL_FILE_UNSAFE", removed, err)
	}
	if data, err := os.ReadFile(target); err != nil || string(data) != "keep" {
		t.Fatalf("the symlink's target was touched: %q %v", data, err)
	}
	if _, err := os.Lstat(l.path); err != nil {
		t.Fatalf("the symlink was removed: %v", err)
	}
	dir := filepath.Join(l.home, ".mp", "d")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if removed, err := securefile.RemoveFile(dir, l.opts()); removed || domain.CodeOf(err) != domain.CodeCredentialFileUnsafe {
		t.Fatalf("RemoveFile of a directory = %t, %v", removed, err)
	}
}
