//go:build !mp_nolock

package filestore

// refreshLockDisabled is false in every real build: LockRefresh takes the
// cross-process lock. Only a binary built with -tags mp_nolock skips it,
// which the end-to-end test of the 16-process refresh uses to prove that
// the test fails without the lock (see refreshlock_off.go).
const refreshLockDisabled = false
