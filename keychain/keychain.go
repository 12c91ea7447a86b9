package keychain

import (
	"context"

	mp "github.com/mpdata/mp"
	oskeychain "github.com/mpdata/mp/adapters/keychain"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Enable returns the option that gives a handle the OS keychain, the same
// store the mp command uses (service "mp", 3 s per call).
func Enable() mp.Option { return mp.WithKeychain(New()) }

// New returns the OS keychain as an mp.Keychain, for programs that pass
// it to mp.WithKeychain themselves.
func New() mp.Keychain { return store{oskeychain.New(oskeychain.Options{})} }

// store is the OS keychain adapter behind the mp.Keychain interface.
type store struct{ s *oskeychain.Store }

func (k store) Get(ctx context.Context, account, kind string) ([]byte, error) {
	return k.s.Get(ctx, key(account, kind))
}

func (k store) Set(ctx context.Context, account, kind string, value []byte) error {
	return k.s.Set(ctx, key(account, kind), value)
}

func (k store) Delete(ctx context.Context, account, kind string) error {
	return k.s.Delete(ctx, key(account, kind))
}

// key is the port's key; the adapter validates it (INVALID_ARGUMENT).
func key(account, kind string) ports.SecretKey {
	return ports.SecretKey{Account: domain.AccountName(account), Kind: ports.SecretKind(kind)}
}
