// Package mptest will hold an in-process, Mixpanel-compatible HTTP server
// for tests, the demo and library users' own tests (like net/http/httptest).
//
// It is empty until the HTTP client arrives (issue 3): nothing in mp talks
// to the network yet.
package mptest
