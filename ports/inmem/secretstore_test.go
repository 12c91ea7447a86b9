package inmem_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
	"github.com/mpdata/mp/ports/porttest"
)

func TestSecretStoreContract(t *testing.T) {
	porttest.SecretStore{
		New:    func(*testing.T) ports.SecretStore { return inmem.NewSecretStore() },
		Reopen: func(_ *testing.T, s ports.SecretStore) ports.SecretStore { return s },
	}.Run(t)
}

func TestSecretStoreContractWithLimit(t *testing.T) {
	porttest.SecretStore{
		New: func(*testing.T) ports.SecretStore {
			s := inmem.NewSecretStore()
			s.SetMaxSize(300)
			return s
		},
		Reopen:  func(_ *testing.T, s ports.SecretStore) ports.SecretStore { return s },
		MaxSize: 300,
	}.Run(t)
}

func TestSecretStoreUnavailable(t *testing.T) {
	s := inmem.NewSecretStore()
	s.SetUnavailable(true)
	_, err := s.Get(context.Background(), ports.SecretKey{Account: "a", Kind: ports.SecretServiceAccount})
	if !errors.Is(err, ports.ErrUnavailable) || domain.CodeOf(err) != domain.CodeSecretStoreUnavailable {
		t.Fatalf("Get on an unavailable store = %v; want SECRET_STORE_UNAVAILABLE matching ports.ErrUnavailable", err)
	}
}

// brokenStores are SecretStores with one defect each; the contract suite
// must fail on every one of them.
var brokenStores = map[string]struct {
	build func() ports.SecretStore
	fails string // the subtest that must catch it
}{
	"ignores-kind":        {func() ports.SecretStore { return ignoreKind{inmem.NewSecretStore()} }, "AccountsAndKindsAreIsolated"},
	"aliases-values":      {func() ports.SecretStore { return &aliasing{m: map[ports.SecretKey][]byte{}} }, "ValuesAreCopies"},
	"ignores-cancel":      {func() ports.SecretStore { return ignoreCancel{inmem.NewSecretStore()} }, "CancelledContext"},
	"delete-missing-errs": {func() ports.SecretStore { return strictDelete{inmem.NewSecretStore()} }, "DeleteIsIdempotent"},
}

// TestSecretStoreSuiteCatchesDefects runs the suite on each broken store
// in a child process and expects it to fail there.
func TestSecretStoreSuiteCatchesDefects(t *testing.T) {
	if name := os.Getenv("MP_BROKEN_SECRET_STORE"); name != "" {
		porttest.SecretStore{
			New:    func(*testing.T) ports.SecretStore { return brokenStores[name].build() },
			Reopen: func(_ *testing.T, s ports.SecretStore) ports.SecretStore { return s },
		}.Run(t)
		return
	}
	for name, b := range brokenStores {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSecretStoreSuiteCatchesDefects$")
			cmd.Env = append(os.Environ(), "MP_BROKEN_SECRET_STORE="+name)
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), "--- FAIL: TestSecretStoreSuiteCatchesDefects/"+b.fails) {
				t.Fatalf("the suite's %s subtest did not catch a store that %s:\n%s", b.fails, name, out)
			}
		})
	}
}

type ignoreKind struct{ *inmem.SecretStore }

func (s ignoreKind) k(key ports.SecretKey) ports.SecretKey {
	key.Kind = ports.SecretServiceAccount
	return key
}

func (s ignoreKind) Get(ctx context.Context, key ports.SecretKey) ([]byte, error) {
	if err := ports.ValidateSecretKey(key); err != nil {
		return nil, err
	}
	return s.SecretStore.Get(ctx, s.k(key))
}

func (s ignoreKind) Set(ctx context.Context, key ports.SecretKey, v []byte) error {
	if err := ports.ValidateSecretKey(key); err != nil {
		return err
	}
	return s.SecretStore.Set(ctx, s.k(key), v)
}

func (s ignoreKind) Delete(ctx context.Context, key ports.SecretKey) error {
	if err := ports.ValidateSecretKey(key); err != nil {
		return err
	}
	return s.SecretStore.Delete(ctx, s.k(key))
}

type aliasing struct {
	mu sync.Mutex
	m  map[ports.SecretKey][]byte
}

func (s *aliasing) Get(ctx context.Context, key ports.SecretKey) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := ports.ValidateSecretKey(key); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok {
		return nil, ports.ErrNotFound
	}
	return v, nil
}

func (s *aliasing) Set(ctx context.Context, key ports.SecretKey, v []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ports.ValidateSecretKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = v
	return nil
}

func (s *aliasing) Delete(ctx context.Context, key ports.SecretKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ports.ValidateSecretKey(key); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, key)
	return nil
}

type ignoreCancel struct{ *inmem.SecretStore }

func (s ignoreCancel) Get(_ context.Context, key ports.SecretKey) ([]byte, error) {
	return s.SecretStore.Get(context.Background(), key)
}

func (s ignoreCancel) Set(_ context.Context, key ports.SecretKey, v []byte) error {
	return s.SecretStore.Set(context.Background(), key, v)
}

func (s ignoreCancel) Delete(_ context.Context, key ports.SecretKey) error {
	return s.SecretStore.Delete(context.Background(), key)
}

type strictDelete struct{ *inmem.SecretStore }

func (s strictDelete) Delete(ctx context.Context, key ports.SecretKey) error {
	if _, err := s.Get(ctx, key); err != nil {
		return err
	}
	return s.SecretStore.Delete(ctx, key)
}
