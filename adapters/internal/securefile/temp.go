package securefile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix is the start of the name of every temporary file WriteFile
// makes for path: "." + base + ".tmp-", followed by a random suffix. Only
// files of exactly this naming are ever swept.
func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// IsTempName reports whether name (a base name) is one of the temporary
// files WriteFile makes for some target in the same directory.
func IsTempName(name string) bool {
	i := strings.LastIndex(name, ".tmp-")
	return strings.HasPrefix(name, ".") && i > 1 && len(name) > i+len(".tmp-")
}

// createTemp makes the temporary file for path, mode 0600, and marks it as
// held by a live writer (see holdTemp) before anyone else may sweep it. A
// sweeper that raced in between creation and marking took the file away;
// then a fresh one is made.
func createTemp(path string) (*os.File, error) {
	dir := filepath.Dir(path)
	for attempt := 0; ; attempt++ {
		tmp, err := os.CreateTemp(dir, tempPrefix(path)+"*")
		if err != nil {
			return nil, err
		}
		held, err := holdTemp(tmp)
		if err == nil && held {
			return tmp, nil
		}
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		if err != nil {
			return nil, err
		}
		if attempt == 3 {
			return nil, fmt.Errorf("temporary file %s was removed while it was being created", tmp.Name())
		}
	}
}

// sweepTemps removes the temporary files of path that no live writer
// holds: those a crashed or killed mp left behind. Files of any other
// naming, symlinks and non-regular files are never touched. Errors are
// ignored: a sweep is housekeeping, and the write it precedes reports its
// own problems.
func sweepTemps(path string) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(path)
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || len(name) == len(prefix) || !e.Type().IsRegular() {
			continue
		}
		removeIfAbandoned(filepath.Join(dir, name))
	}
}
