// Package ports declares the interfaces the core of mp needs from the
// outside world — config storage, the environment, the clock — in terms of
// domain types only. The storage ports (ConfigStore, MeCache, TokenStore,
// ClientCache, BridgeStore, SecretStore) have contract suites in package porttest that each
// implementation, real or fake, must pass; MixpanelAPI and OAuthFlow are
// tested against the mptest server instead, and their fakes in package
// inmem are scripted stubs.
package ports
