// Package porttest holds the exported contract suites of the ports. Every
// implementation of a port — the real adapters and the in-memory fakes
// alike — runs the same suite in its own tests, which is what makes a fake a
// verified fake:
//
//	func TestConfigStoreContract(t *testing.T) {
//		porttest.ConfigStore{
//			New:    func(t *testing.T) ports.ConfigStore { return newStore(t) },
//			Reopen: func(t *testing.T, s ports.ConfigStore) ports.ConfigStore { return reopen(t, s) },
//		}.Run(t)
//	}
//
// The suites use only the standard library testing package, the domain and
// the ports, so any module may import them.
package porttest
