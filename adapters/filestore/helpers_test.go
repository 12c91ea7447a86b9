package filestore_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
)

// env is a temporary home with the default layout: <home>/.mp/config.toml.
type env struct {
	home string
	dir  string
	path string
}

func newEnv(t *testing.T) env {
	t.Helper()
	home := t.TempDir()
	dir := filepath.Join(home, ".mp")
	return env{home: home, dir: dir, path: filepath.Join(dir, "config.toml")}
}

func (e env) store() *filestore.ConfigStore { return filestore.NewConfigStore(e.path, e.home) }

// write puts content at the config path with mode 0600.
func (e env) write(t *testing.T, content string) {
	t.Helper()
	if err := os.MkdirAll(e.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(e.path, 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeFixture copies testdata/name to the config path with mode 0600.
func (e env) writeFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	e.write(t, string(data))
	return data
}

func (e env) read(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// entries lists the names in the config directory, sorted.
func (e env) entries(t *testing.T) []string {
	t.Helper()
	des, err := os.ReadDir(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range des {
		names = append(names, d.Name())
	}
	slices.Sort(names)
	return names
}

// assertNoTempFiles checks that the directory holds only the config and
// its lock file.
func (e env) assertNoTempFiles(t *testing.T) {
	t.Helper()
	for _, n := range e.entries(t) {
		if n != "config.toml" && n != "config.toml.lock" {
			t.Errorf("unexpected file %s left in %s", n, e.dir)
		}
	}
}

// assertError checks err's code and that its message or hint contains
// every fragment.
func assertError(t *testing.T, err error, code domain.Code, fragments ...string) *domain.Error {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error = %v (%T), want a *domain.Error with code %s", err, err, code)
	}
	if de.Code != code {
		t.Fatalf("code = %s (%v), want %s", de.Code, err, code)
	}
	for _, f := range fragments {
		if !strings.Contains(de.Error(), f) && !strings.Contains(de.Hint, f) {
			t.Errorf("error %q (hint %q) does not mention %q", de.Error(), de.Hint, f)
		}
	}
	return de
}

// fullText is everything an error could print: message, cause chain,
// hint, details and every fmt form.
func fullText(err error) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%v\n%+v\n%#v\n%s\n", err, err, err, err)
	for e := err; e != nil; e = errors.Unwrap(e) {
		b.WriteString(e.Error())
		var de *domain.Error
		if errors.As(e, &de) {
			fmt.Fprintf(&b, "\n%s\n%v\n", de.Hint, de.Details)
		}
	}
	return b.String()
}

func sa(name, secret string) domain.Account {
	return domain.Account{
		Name: domain.AccountName(name), Type: domain.TypeServiceAccount, Region: domain.RegionUS,
		DefaultProject: "3018488", Username: name + "-user", Secret: domain.NewSecret(secret),
	}
}
