package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mpdata/mp/adapters/keychain"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// keyringPackage is the Debian package of the Secret Service the keychain
// scripts need (with dbus); scripts/with-keyring.sh starts it.
const keyringPackage = "gnome-keyring"

// keychainScript reports whether a script is one of the keychain_* scripts,
// the only ones that reach the test keyring.
func keychainScript(name string) bool {
	return strings.HasPrefix(filepath.Base(name), "keychain_")
}

// withBus wraps a Setup: every script gets DBUS_SESSION_BUS_ADDRESS=disabled:
// (so nothing can reach, or hang on, a session bus), except the keychain_*
// scripts run inside scripts/with-keyring.sh, which get its bus address
// (MP_TEST_DBUS_ADDRESS) and XDG directories.
func withBus(setup func(*testscript.Env) error) func(*testscript.Env) error {
	return func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		name := ""
		if t, ok := env.T().(testing.TB); ok {
			name = t.Name()
		}
		if keychainScript(name) && os.Getenv("MP_TEST_KEYRING") == "1" {
			env.Setenv("DBUS_SESSION_BUS_ADDRESS", os.Getenv("MP_TEST_DBUS_ADDRESS"))
			for _, k := range []string{"XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR"} {
				env.Setenv(k, os.Getenv(k))
			}
			return nil
		}
		env.Setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:")
		return nil
	}
}

// withKeyring wraps a Condition with [keyring]: true inside
// scripts/with-keyring.sh; outside it false (the script skips, naming the
// package), except under CI=true, where it is an error.
func withKeyring(cond func(string) (bool, error)) func(string) (bool, error) {
	return func(c string) (bool, error) {
		if c != "keyring" {
			return cond(c)
		}
		if os.Getenv("MP_TEST_KEYRING") == "1" {
			return true, nil
		}
		if os.Getenv("CI") == "true" {
			return false, fmt.Errorf("no test keyring, and CI=true forbids skipping the keychain tests: install %q and dbus (apt-get install -y --no-install-recommends %s) and run the tests under scripts/with-keyring.sh (make test does)", keyringPackage, keyringPackage)
		}
		return false, nil
	}
}

// no-file-holds DIR LITERAL...: no regular file under DIR contains a
// literal (as is or base64-encoded).
func cmdNoFileHolds(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: no-file-holds DIR LITERAL...")
	}
	root := ts.MkAbs(args[0])
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, lit := range args[1:] {
			if lit == "" {
				ts.Fatalf("no-file-holds: empty literal")
			}
			for _, f := range []string{lit, base64.StdEncoding.EncodeToString([]byte(lit))} {
				if bytes.Contains(data, []byte(f)) {
					ts.Fatalf("%s holds a secret", p)
				}
			}
		}
		return nil
	})
	ts.Check(err)
}

// hung-bus VAR: listen on a Unix socket that accepts connections and never
// answers (a hung D-Bus daemon) for the rest of the script, and set VAR to
// its D-Bus address.
func cmdHungBus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: hung-bus VAR")
	}
	// A short directory: a socket path holds at most 108 bytes.
	dir, err := os.MkdirTemp("", "mpbus")
	ts.Check(err)
	p := filepath.Join(dir, "bus")
	l, err := net.Listen("unix", p)
	ts.Check(err)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	ts.Defer(func() {
		_ = l.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		_ = os.RemoveAll(dir)
	})
	ts.Setenv(args[0], "unix:path="+p)
}

// keychainItem is the scripts' `keychain-item ACCOUNT KIND` program: it
// reads the keychain item mp keeps for the account's secret of that kind
// (service "mp", user ACCOUNT/KIND) through adapters/keychain, on the bus
// of the script's environment, and prints "present" or "absent" (exit 0);
// any other outcome prints the error (exit 1). It never prints the value.
func keychainItem() int {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: keychain-item ACCOUNT KIND")
		return 2
	}
	key := ports.SecretKey{Account: domain.AccountName(os.Args[1]), Kind: ports.SecretKind(os.Args[2])}
	_, err := keychain.New(keychain.Options{}).Get(context.Background(), key)
	switch {
	case err == nil:
		fmt.Println("present")
	case errors.Is(err, ports.ErrNotFound):
		fmt.Println("absent")
	default:
		fmt.Fprintln(os.Stderr, "keychain-item:", err)
		return 1
	}
	return 0
}
