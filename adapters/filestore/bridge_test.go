package filestore_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/porttest"
)

// bridgeEnv is a temporary home and current directory.
type bridgeEnv struct {
	home, cwd string
}

func newBridgeEnv(t *testing.T) bridgeEnv {
	t.Helper()
	root := t.TempDir()
	e := bridgeEnv{home: filepath.Join(root, "home"), cwd: filepath.Join(root, "work")}
	for _, d := range []string{e.home, e.cwd} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e bridgeEnv) store(authFile string) *filestore.BridgeStore {
	return filestore.NewBridgeStore(filestore.BridgeOptions{Home: e.home, Cwd: e.cwd, AuthFile: authFile})
}

func (e bridgeEnv) homeBridge() string {
	return filepath.Join(e.home, ".claude", "mixpanel", "auth.json")
}

func (e bridgeEnv) cwdBridge() string { return filepath.Join(e.cwd, "mixpanel_auth.json") }

// put writes the encoded bridge b at path with mode, creating parents.
func putBridge(t *testing.T, path string, b domain.Bridge, mode fs.FileMode) []byte {
	t.Helper()
	data, err := domain.EncodeBridge(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBridgeStoreContract(t *testing.T) {
	envs := map[ports.BridgeStore]bridgeEnv{}
	porttest.BridgeStore{
		New: func(t *testing.T) (ports.BridgeStore, []string) {
			e := newBridgeEnv(t)
			s := e.store("")
			envs[s] = e
			return s, s.Candidates()
		},
		Reopen: func(t *testing.T, s ports.BridgeStore) ports.BridgeStore {
			r := envs[s].store("")
			envs[r] = envs[s]
			return r
		},
		Corrupt: func(t *testing.T, s ports.BridgeStore, path string) {
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(`{"version": 2, "account": {"name": "x"`), 0o600); err != nil {
				t.Fatal(err)
			}
		},
	}.Run(t)
}

func TestBridgeDiscoveryOrder(t *testing.T) {
	ctx := context.Background()
	bs := porttest.SampleBridges("disc")
	e := newBridgeEnv(t)
	envFile := filepath.Join(e.home, "vm", "mounted.json")

	s := e.store("")
	if got := s.Candidates(); len(got) != 2 || got[0] != e.homeBridge() || got[1] != e.cwdBridge() {
		t.Fatalf("candidates %v", got)
	}
	putBridge(t, e.cwdBridge(), bs[0], 0o600)
	assertDiscovered(t, s, e.cwdBridge(), bs[0].Account.Name)

	putBridge(t, e.homeBridge(), bs[1], 0o600)
	assertDiscovered(t, s, e.homeBridge(), bs[1].Account.Name)

	// MP_AUTH_FILE is exclusive: while its file is missing there is no
	// bridge at all, although the other two places hold one.
	withEnv := e.store(envFile)
	if got := withEnv.Candidates(); len(got) != 1 || got[0] != envFile {
		t.Fatalf("candidates with MP_AUTH_FILE: %v", got)
	}
	if b, ok, err := withEnv.Discover(ctx); ok || err != nil {
		t.Fatalf("MP_AUTH_FILE missing: Discover = %s, %t, %v; want no bridge", b.Path, ok, err)
	}
	putBridge(t, envFile, bs[2], 0o600)
	assertDiscovered(t, withEnv, envFile, bs[2].Account.Name)

	// A relative MP_AUTH_FILE is relative to the current directory.
	rel := e.store("mixpanel_auth.json")
	assertDiscovered(t, rel, e.cwdBridge(), bs[0].Account.Name)
}

func assertDiscovered(t *testing.T, s *filestore.BridgeStore, path string, name domain.AccountName) {
	t.Helper()
	b, ok, err := s.Discover(context.Background())
	if err != nil || !ok || b.Path != path || b.Account.Name != name {
		t.Fatalf("Discover = %s at %q (%t, %v); want %s at %q", b.Account.Name, b.Path, ok, err, name, path)
	}
}

func TestBridgeDiscoveryRefusesUnsafe(t *testing.T) {
	bs := porttest.SampleBridges("unsafe")
	tests := []struct {
		name     string
		setup    func(t *testing.T, e bridgeEnv) (authFile, path string)
		owner    func() int // CurrentUser; nil: the real one
		code     domain.Code
		fragment string
	}{
		{
			name: "0644 in the home",
			setup: func(t *testing.T, e bridgeEnv) (string, string) {
				putBridge(t, e.homeBridge(), bs[0], 0o644)
				return "", e.homeBridge()
			},
			code: domain.CodeCredentialFileUnsafe, fragment: "chmod 600",
		},
		{
			name: "symlink in the home",
			setup: func(t *testing.T, e bridgeEnv) (string, string) {
				real := filepath.Join(e.home, "real.json")
				putBridge(t, real, bs[0], 0o600)
				if err := os.MkdirAll(filepath.Dir(e.homeBridge()), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(real, e.homeBridge()); err != nil {
					t.Fatal(err)
				}
				return "", e.homeBridge()
			},
			code: domain.CodeCredentialFileUnsafe, fragment: "symbolic link",
		},
		{
			name: "dangling symlink as MP_AUTH_FILE",
			setup: func(t *testing.T, e bridgeEnv) (string, string) {
				p := filepath.Join(e.cwd, "auth.json")
				if err := os.Symlink(filepath.Join(e.cwd, "nowhere"), p); err != nil {
					t.Fatal(err)
				}
				return p, p
			},
			code: domain.CodeCredentialFileUnsafe, fragment: "dangling",
		},
		{
			name: "symlinked directory under the home",
			setup: func(t *testing.T, e bridgeEnv) (string, string) {
				real := filepath.Join(e.home, "elsewhere")
				putBridge(t, filepath.Join(real, "mixpanel", "auth.json"), bs[0], 0o600)
				if err := os.Symlink(real, filepath.Join(e.home, ".claude")); err != nil {
					t.Fatal(err)
				}
				return "", e.homeBridge()
			},
			code: domain.CodeCredentialFileUnsafe, fragment: "is a symbolic link",
		},
		{
			name: "group-readable in the current directory",
			setup: func(t *testing.T, e bridgeEnv) (string, string) {
				putBridge(t, e.cwdBridge(), bs[0], 0o640)
				return "", e.cwdBridge()
			},
			code: domain.CodeCredentialFileUnsafe, fragment: "chmod 600",
		},
		{
			name: "owned by someone else in the current directory",
			setup: func(t *testing.T, e bridgeEnv) (string, string) {
				putBridge(t, e.cwdBridge(), bs[0], 0o600)
				return "", e.cwdBridge()
			},
			owner: func() int { return os.Getuid() + 4242 },
			code:  domain.CodeCredentialFileUnsafe, fragment: "not by you",
		},
		{
			name: "a directory where the bridge should be",
			setup: func(t *testing.T, e bridgeEnv) (string, string) {
				if err := os.MkdirAll(e.homeBridge(), 0o700); err != nil {
					t.Fatal(err)
				}
				return "", e.homeBridge()
			},
			code: domain.CodeCredentialFileUnsafe, fragment: "not a regular file",
		},
		{
			name: "invalid document",
			setup: func(t *testing.T, e bridgeEnv) (string, string) {
				if err := os.MkdirAll(filepath.Dir(e.homeBridge()), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(e.homeBridge(), []byte(`{"version":1,"account":{}}`), 0o600); err != nil {
					t.Fatal(err)
				}
				return "", e.homeBridge()
			},
			code: domain.CodeConfigError, fragment: "unsupported version 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newBridgeEnv(t)
			authFile, path := tt.setup(t, e)
			s := filestore.NewBridgeStore(filestore.BridgeOptions{Home: e.home, Cwd: e.cwd, AuthFile: authFile, CurrentUser: tt.owner})
			b, ok, err := s.Discover(context.Background())
			if ok || domain.CodeOf(err) != tt.code || !strings.Contains(err.Error(), path) {
				t.Fatalf("Discover = %+v, %t, %v; want %s naming %s", b, ok, err, tt.code, path)
			}
			var de *domain.Error
			if !errors.As(err, &de) || !strings.Contains(de.Error()+" "+de.Hint, tt.fragment) {
				t.Fatalf("error %v (hint %q) does not say %q", err, de.Hint, tt.fragment)
			}
		})
	}
}

func TestBridgeOwnerCheckOnlyInCurrentDirectory(t *testing.T) {
	e := newBridgeEnv(t)
	b := porttest.SampleBridges("own")[1]
	putBridge(t, e.homeBridge(), b, 0o600)
	someoneElse := func() int { return os.Getuid() + 4242 }
	s := filestore.NewBridgeStore(filestore.BridgeOptions{Home: e.home, Cwd: e.cwd, CurrentUser: someoneElse})
	assertDiscovered(t, s, e.homeBridge(), b.Account.Name)
}

func TestBridgeWriteModesAndBytes(t *testing.T) {
	e := newBridgeEnv(t)
	s := e.store("")
	path := filepath.Join(e.home, "deep", "er", "auth.json")
	b := porttest.SampleBridges("w")[2]
	if err := s.Write(context.Background(), path, b); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		p    string
		mode fs.FileMode
	}{{path, 0o600}, {filepath.Dir(path), 0o700}, {filepath.Join(e.home, "deep"), 0o700}} {
		fi, err := os.Stat(c.p)
		if err != nil || fi.Mode().Perm() != c.mode {
			t.Fatalf("%s: mode %v (%v), want %v", c.p, fi.Mode().Perm(), err, c.mode)
		}
	}
	data, _ := os.ReadFile(path)
	want, _ := domain.EncodeBridge(b)
	if !bytes.Equal(data, want) {
		t.Fatalf("written bytes differ from EncodeBridge:\n%s", data)
	}
	// Relative paths are relative to Cwd, never to the process's directory.
	if err := s.Write(context.Background(), "rel.json", b); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(e.cwd, "rel.json")); err != nil {
		t.Fatalf("relative write did not land in Cwd: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

func TestBridgeWriteRefusesSymlink(t *testing.T) {
	e := newBridgeEnv(t)
	target := filepath.Join(e.home, "target")
	if err := os.WriteFile(target, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(e.cwd, "auth.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	err := e.store("").Write(context.Background(), link, porttest.SampleBridges("s")[0])
	if domain.CodeOf(err) != domain.CodeCredentialFileUnsafe {
		t.Fatalf("Write through a symlink: %v", err)
	}
	if data, _ := os.ReadFile(target); string(data) != "keep" {
		t.Fatalf("the symlink's target was overwritten: %q", data)
	}
	if removed, err := e.store("").Remove(context.Background(), link); removed || domain.CodeOf(err) != domain.CodeCredentialFileUnsafe {
		t.Fatalf("Remove of a symlink = %t, %v", removed, err)
	}
}

func TestBridgeLockFile(t *testing.T) {
	e := newBridgeEnv(t)
	s := e.store("")
	unlock, err := s.Lock(context.Background(), e.homeBridge())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	fi, err := os.Stat(e.homeBridge() + ".lock")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("lock file %s.lock: %v %v", e.homeBridge(), fi, err)
	}
}
