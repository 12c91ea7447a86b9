package inmem_test

import (
	"testing"

	"github.com/mpdata/mp/ports"
	"github.com/mpdata/mp/ports/inmem"
	"github.com/mpdata/mp/ports/porttest"
)

func TestBridgeStoreContract(t *testing.T) {
	porttest.BridgeStore{
		New: func(*testing.T) (ports.BridgeStore, []string) {
			paths := []string{"/env/auth.json", "/home/.claude/mixpanel/auth.json", "/cwd/mixpanel_auth.json"}
			return inmem.NewBridgeStore(paths...), paths
		},
		Reopen: func(_ *testing.T, s ports.BridgeStore) ports.BridgeStore { return s },
		Corrupt: func(_ *testing.T, s ports.BridgeStore, path string) {
			s.(*inmem.BridgeStore).PutRaw(path, []byte(`{"version":1}`))
		},
	}.Run(t)
}
