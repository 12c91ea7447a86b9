package inmem_test

import (
	"testing"
	"time"

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

func TestMeCacheContract(t *testing.T) {
	porttest.MeCache{
		New:    func(*testing.T) ports.MeCache { return inmem.NewMeCache() },
		Reopen: func(_ *testing.T, c ports.MeCache) ports.MeCache { return c },
		Corrupt: func(_ *testing.T, c ports.MeCache, account domain.AccountName) {
			c.(*inmem.MeCache).PutRaw(account, []byte(`{"projects": [`), time.Now())
		},
	}.Run(t)
}
