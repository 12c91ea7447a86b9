package filestore

import "sync"

// changeTracker tells cheaply whether any of a fixed set of paths changed:
// Version takes a stamp of each path (one lstat, no read, no allocation
// where the platform allows) and returns a number that changes whenever
// one of the stamps does — a file appearing, going away, being replaced
// or written. It backs the Version methods of the stores, which let the
// use cases skip a full Load or Discover when nothing changed.
type changeTracker struct {
	once   sync.Once
	cpaths []cpath

	mu     sync.Mutex
	stamps []pathStamp
	ver    uint64
}

// pathStamp is what one lstat of a path saw: a file's stamp, or absent.
type pathStamp struct {
	absent bool
	stamp  fileStamp
}

// version returns the tracker's number over the paths that paths gives
// (asked once, on the first call) and true, or false when a path
// could not be stamped (an error other than "not there", or a platform
// without stamps): then the caller must read as if it had changed.
func (t *changeTracker) version(paths func() []string) (uint64, bool) {
	t.once.Do(func() {
		for _, p := range paths() {
			t.cpaths = append(t.cpaths, newCPath(p))
		}
		t.stamps = make([]pathStamp, len(t.cpaths))
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	changed := false
	for i := range t.cpaths {
		ps, ok := lstatStamp(&t.cpaths[i])
		if !ok {
			return 0, false
		}
		if ps != t.stamps[i] {
			t.stamps[i] = ps
			changed = true
		}
	}
	if changed || t.ver == 0 {
		t.ver++
	}
	return t.ver, true
}
