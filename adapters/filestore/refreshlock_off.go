//go:build mp_nolock

package filestore

// refreshLockDisabled is true only in a binary built with -tags mp_nolock:
// LockRefresh then takes no lock at all. It exists so that the end-to-end
// test of concurrent refreshes can show that, without the lock, N processes
// holding the same expired token refresh more than once — proof that the
// test can fail. Never ship such a build.
const refreshLockDisabled = true
