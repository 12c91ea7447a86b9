package securefile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFileFailedReplaceLeavesNoTrace makes the last step fail (as a
// full disk or a crash would), which works even when the tests run as root.
func TestWriteFileFailedReplaceLeavesNoTrace(t *testing.T) {
	home := t.TempDir()
	path := filepath.Join(home, ".mp", "config.toml")
	if err := WriteFile(path, []byte("old"), Options{Home: home}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("injected rename failure")
	var tmpSeen string
	err := writeFile(path, []byte("new"), Options{Home: home}, func(from, _ string) error {
		tmpSeen = from
		if data, err := os.ReadFile(from); err != nil || string(data) != "new" {
			t.Errorf("temporary file holds %q (%v), want the new content", data, err)
		}
		if fi, err := os.Stat(from); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("temporary file mode %v (%v), want 0600", fi.Mode(), err)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("writeFile error = %v, want the injected failure", err)
	}
	if filepath.Dir(tmpSeen) != filepath.Dir(path) {
		t.Errorf("temporary file %s is not in the target's directory", tmpSeen)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "old" {
		t.Fatalf("old file after failed write: %q, %v", got, err)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries after a failed write, want only config.toml", len(entries))
	}
}
