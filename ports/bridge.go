package ports

import (
	"context"

	"github.com/mpdata/mp/domain"
)

// BridgeStore finds, reads, writes and removes bridge files
// (docs/reference/bridge.md) and holds the lock that serialises token refreshes
// inside one.
//
// Paths are the store's business: Discover applies the discovery order of
// docs/reference/files.md (MP_AUTH_FILE exclusively when set, else
// ~/.claude/mixpanel/auth.json, else ./mixpanel_auth.json), and the other
// methods take the path of one bridge. A bridge that is present but unsafe
// or invalid is always an error naming the path — never skipped.
type BridgeStore interface {
	// Discover returns the bridge in effect, with its Path set; ok is false
	// when no candidate location holds a file.
	Discover(ctx context.Context) (bridge domain.Bridge, ok bool, err error)
	// Locate returns the path of the first candidate location that holds
	// something (a file, a symlink …), without reading it; ok is false when
	// none does. It is what `remove-bridge` removes by default.
	Locate(ctx context.Context) (path string, ok bool, err error)
	// Load reads and validates the bridge at path (Path set). A missing file
	// is a CONFIG_ERROR that matches fs.ErrNotExist with errors.Is.
	Load(ctx context.Context, path string) (domain.Bridge, error)
	// Write validates b and writes it to path atomically (mode 0600,
	// missing parent directories 0700), replacing any file there.
	Write(ctx context.Context, path string, b domain.Bridge) error
	// WriteTokens re-reads the bridge at path, replaces its tokens with
	// tokens and writes it back atomically; everything else in the file
	// stays as it was. The bridge's account must be oauth_browser. Callers
	// hold Lock(path) around the re-read, refresh and WriteTokens.
	WriteTokens(ctx context.Context, path string, tokens domain.Tokens) error
	// Remove deletes the bridge at path; removed says whether there was
	// one. It refuses (CREDENTIAL_FILE_UNSAFE) to remove anything but a
	// regular file.
	Remove(ctx context.Context, path string) (removed bool, err error)
	// Lock takes the exclusive, cross-process lock on path+".lock",
	// waiting until ctx is done at most. Call unlock to release it.
	Lock(ctx context.Context, path string) (unlock func(), err error)
}
