// Package securefile reads, writes, locks and removes credential files under
// the safety rules of docs/reference/files.md.
//
// Reads refuse a symlink at the leaf (dangling ones too), a symlinked
// directory between the trust root and the file, anything that is not a
// regular file, files over MaxSize and files that group or others may read
// or write. The trust root is Options.Home when the file lies under it, and
// the file's own directory otherwise. Every refusal is a *domain.Error with
// code CREDENTIAL_FILE_UNSAFE naming the path and the fix. A missing file is
// reported with an error matching fs.ErrNotExist, so callers can tell
// "absent" from "unsafe".
//
// Writes create missing directories with mode 0700, write a temporary file
// (O_EXCL, mode 0600) in the target's directory, fsync it, rename it over
// the target and fsync the directory. They never write through a symlink; on
// failure the old file is intact and no temporary file is left. A writer
// holds an exclusive flock on its temporary file until the rename (the
// kernel drops it when the process dies), and every write and removal of a
// target first removes the temporary files of that target nobody holds —
// what a killed writer left — so no copy of a secret outlives its process
// for longer than the next write.
//
// RemoveFile refuses what ReadFile refuses (symlink, FIFO, directory …).
//
// Lock takes the exclusive advisory lock (github.com/gofrs/flock) on a
// ".lock" file beside a target, waiting no longer than its context allows.
// A target that holds a symlink, a directory or any other non-regular file
// is refused before anything is created beside it.
//
// Hints never suggest removing a directory: for a directory where a file
// is expected they ask for the path of a file.
package securefile
