package inmem_test

import (
	"testing"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
	"github.com/mpdata/mp/ports/porttest"
)

func TestConfigStoreContract(t *testing.T) {
	porttest.ConfigStore{
		New: func(*testing.T) ports.ConfigStore { return inmem.NewConfigStore(domain.Config{}) },
		// An in-memory store's state lives in the value itself.
		Reopen: func(_ *testing.T, s ports.ConfigStore) ports.ConfigStore { return s },
	}.Run(t)
}
