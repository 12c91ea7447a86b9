package inmem_test

import (
	"context"
	"errors"
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
