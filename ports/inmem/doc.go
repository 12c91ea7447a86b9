// Package inmem provides in-memory implementations of the ports: for tests
// of the core, and as the storage of the library's in-memory handles
// (mp.WithInMemoryConfig). The storage fakes (ConfigStore, MeCache, TokenStore,
// ClientCache, BridgeStore, SecretStore) are verified: each passes the same contract suite in package
// porttest as the real adapters. MixpanelAPI and OAuthFlow are scripted
// stubs: the real adapters are tested against the mptest server.
package inmem
