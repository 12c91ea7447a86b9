package keychain_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/mpdata/mp/adapters/keychain"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/porttest"
)

// requireKeyring skips unless the test runs inside scripts/with-keyring.sh
// (a private D-Bus session with gnome-keyring), except under CI=true,
// where a missing keyring fails the test. Inside the wrapper it points
// DBUS_SESSION_BUS_ADDRESS at the test bus (MP_TEST_DBUS_ADDRESS); every
// other test keeps the wrapper's "disabled:".
func requireKeyring(t testing.TB) {
	t.Helper()
	if runtime.GOOS != "linux" {
		return
	}
	if os.Getenv("MP_TEST_KEYRING") != "1" {
		msg := "no test keyring: run under scripts/with-keyring.sh (needs the gnome-keyring and dbus packages), as `make test` does"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", os.Getenv("MP_TEST_DBUS_ADDRESS"))
}

var serial atomic.Int64

// newService returns a keychain service name no other test uses, whose
// items are deleted when the test ends.
func newService(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("mp-test-%d-%d", os.Getpid(), serial.Add(1))
	t.Cleanup(func() { _ = keyring.DeleteAll(name) })
	return name
}

func TestContractRealKeychain(t *testing.T) {
	requireKeyring(t)
	porttest.SecretStore{
		New: func(t *testing.T) ports.SecretStore {
			return keychain.New(keychain.Options{Service: newService(t)})
		},
		Reopen: func(_ *testing.T, s ports.SecretStore) ports.SecretStore {
			return keychain.New(keychain.Options{Service: s.(*keychain.Store).Service()})
		},
		MaxSize: keychain.MaxSize(),
	}.Run(t)
}

// The item is "<account>/<kind>" of the service, base64 behind "mp1:", and
// a value put there by hand without the prefix reads as is.
func TestItemLayoutRealKeychain(t *testing.T) {
	requireKeyring(t)
	ctx := context.Background()
	svc := newService(t)
	s := keychain.New(keychain.Options{Service: svc})
	k := ports.SecretKey{Account: "acme", Kind: ports.SecretServiceAccount}
	if err := s.Set(ctx, k, []byte("s3cret\x00")); err != nil {
		t.Fatal(err)
	}
	raw, err := keyring.Get(svc, "acme/secret")
	if err != nil {
		t.Fatal(err)
	}
	if raw != "mp1:czNjcmV0AA==" {
		t.Fatalf("keychain item = %q", raw)
	}
	if err := keyring.Set(svc, "acme/token", "typed-by-hand"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, ports.SecretKey{Account: "acme", Kind: ports.SecretStaticToken})
	if err != nil || string(got) != "typed-by-hand" {
		t.Fatalf("Get of a hand-made item = %q, %v", got, err)
	}
}

// fakeRing is a Keyring whose calls block until release is closed, or
// fail with err.
type fakeRing struct {
	release chan struct{}
	err     error
	calls   atomic.Int64
}

func (f *fakeRing) wait() error {
	f.calls.Add(1)
	if f.release != nil {
		<-f.release
	}
	return f.err
}
func (f *fakeRing) Set(string, string, string) error   { return f.wait() }
func (f *fakeRing) Get(string, string) (string, error) { return "", f.wait() }
func (f *fakeRing) Delete(string, string) error        { return f.wait() }

func TestHungKeychainTimesOut(t *testing.T) {
	ring := &fakeRing{release: make(chan struct{})}
	defer close(ring.release)
	s := keychain.New(keychain.Options{Keyring: ring, Timeout: 50 * time.Millisecond})
	k := ports.SecretKey{Account: "acme", Kind: ports.SecretServiceAccount}
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"get":    func() error { _, err := s.Get(ctx, k); return err },
		"set":    func() error { return s.Set(ctx, k, []byte("v")) },
		"delete": func() error { return s.Delete(ctx, k) },
	} {
		err := call()
		if !errors.Is(err, ports.ErrUnavailable) || domain.CodeOf(err) != domain.CodeSecretStoreUnavailable {
			t.Fatalf("%s on a hung keychain = %v; want SECRET_STORE_UNAVAILABLE", name, err)
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Hint == "" || !strings.Contains(err.Error(), "acme") {
			t.Fatalf("%s: the error %v should name the account and carry a hint", name, err)
		}
	}
}

func TestCancelWhileHung(t *testing.T) {
	ring := &fakeRing{release: make(chan struct{})}
	defer close(ring.release)
	s := keychain.New(keychain.Options{Keyring: ring, Timeout: time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	_, err := s.Get(ctx, ports.SecretKey{Account: "acme", Kind: ports.SecretServiceAccount})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Get cancelled while the keychain hangs = %v; want context.Canceled", err)
	}
}

func TestErrorMapping(t *testing.T) {
	k := ports.SecretKey{Account: "acme", Kind: ports.SecretTokenSet}
	ctx := context.Background()
	tests := []struct {
		name string
		err  error
		want error
		code domain.Code
	}{
		{"not found", keyring.ErrNotFound, ports.ErrNotFound, domain.CodeConfigError},
		{"too big", keyring.ErrSetDataTooBig, ports.ErrTooLarge, domain.CodeConfigError},
		{"dbus down", errors.New("dbus: connection refused"), ports.ErrUnavailable, domain.CodeSecretStoreUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := keychain.New(keychain.Options{Keyring: &fakeRing{err: tt.err}})
			_, err := s.Get(ctx, k)
			if !errors.Is(err, tt.want) || domain.CodeOf(err) != tt.code {
				t.Fatalf("Get = %v; want %v with code %s", err, tt.want, tt.code)
			}
			// The sentinel matches, but its text is not in the message.
			if strings.Contains(err.Error(), tt.want.Error()) {
				t.Fatalf("Get = %q; the message shows the sentinel text %q", err, tt.want)
			}
		})
	}
	// The platform refusing a value says how large it was and how to keep
	// this account out of the keychain.
	big := keychain.New(keychain.Options{Keyring: &fakeRing{err: keyring.ErrSetDataTooBig}})
	err := big.Set(ctx, k, make([]byte, 1234))
	var de *domain.Error
	if !errors.As(err, &de) || !errors.Is(err, ports.ErrTooLarge) || de.Code != domain.CodeConfigError ||
		!strings.Contains(de.Message, "1234 bytes") || !strings.Contains(de.Hint, "MP_SECRET_BACKEND=file mp account login acme") {
		t.Fatalf("Set refused as too big = %#v", err)
	}
	if strings.Contains(err.Error(), ports.ErrTooLarge.Error()) {
		t.Fatalf("Set refused as too big = %q; the message shows the sentinel text", err)
	}
	// Delete of a missing item is not an error.
	s := keychain.New(keychain.Options{Keyring: &fakeRing{err: keyring.ErrNotFound}})
	if err := s.Delete(ctx, k); err != nil {
		t.Fatalf("Delete of a missing item = %v", err)
	}
}

func TestTooLargeNeverReachesKeychain(t *testing.T) {
	ring := &fakeRing{}
	s := keychain.New(keychain.Options{Keyring: ring})
	err := s.Set(context.Background(), ports.SecretKey{Account: "acme", Kind: ports.SecretTokenSet}, make([]byte, keychain.MaxSize()+1))
	if !errors.Is(err, ports.ErrTooLarge) || !strings.Contains(err.Error(), fmt.Sprint(keychain.MaxSize())) {
		t.Fatalf("Set over the limit = %v; want ErrTooLarge naming the limit", err)
	}
	var de *domain.Error
	if !errors.As(err, &de) || !strings.Contains(de.Hint, "MP_SECRET_BACKEND=file") {
		t.Fatalf("the too-large error should advise the file backend: %#v", de)
	}
	if ring.calls.Load() != 0 {
		t.Fatal("a value over the limit was sent to the keychain")
	}
}

// With the session bus address pointing nowhere, the real go-keyring
// fails fast and the store says SECRET_STORE_UNAVAILABLE. It runs in a
// child process, since godbus keeps its session connection for the life of
// the process.
func TestUnreachableBus(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service over D-Bus is the Linux keychain")
	}
	if os.Getenv("MP_KEYCHAIN_CHILD") == "1" {
		_, err := keychain.New(keychain.Options{}).Get(context.Background(), ports.SecretKey{Account: "acme", Kind: ports.SecretServiceAccount})
		if !errors.Is(err, ports.ErrUnavailable) {
			t.Fatalf("Get with no bus = %v; want ErrUnavailable", err)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestUnreachableBus$", "-test.v")
	cmd.Env = append(os.Environ(), "MP_KEYCHAIN_CHILD=1", "DBUS_SESSION_BUS_ADDRESS=unix:path="+t.TempDir()+"/no-bus")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

// BenchmarkRealKeychain measures one Set and one Get of a 1 KiB value
// against the test keyring (inside scripts/with-keyring.sh).
func BenchmarkRealKeychain(b *testing.B) {
	requireKeyring(b)
	ctx := context.Background()
	s := keychain.New(keychain.Options{Service: newService(b)})
	k := ports.SecretKey{Account: "bench", Kind: ports.SecretTokenSet}
	v := make([]byte, 1024)
	for b.Loop() {
		if err := s.Set(ctx, k, v); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Get(ctx, k); err != nil {
			b.Fatal(err)
		}
	}
}
