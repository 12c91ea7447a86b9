//go:build !unix

package securefile

import "os"

// renameWhileOpen: an open file cannot be renamed here.
const renameWhileOpen = false

// holdTemp: where flock does not exist, the open file itself holds the
// temporary file (Windows refuses to delete a file another handle has
// open).
func holdTemp(*os.File) (bool, error) { return true, nil }

// removeIfAbandoned removes the temporary file at p; the removal fails, and
// the file stays, while a live writer has it open.
func removeIfAbandoned(p string) { _ = os.Remove(p) }
