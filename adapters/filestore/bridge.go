package filestore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// Bridge file names and places (docs/reference/files.md).
const (
	// BridgeHomePath is the bridge's place under the home directory.
	BridgeHomePath = ".claude/mixpanel/auth.json"
	// BridgeCwdName is the bridge's name in the current directory.
	BridgeCwdName = "mixpanel_auth.json"
)

// BridgeOptions say where BridgeStore looks for bridges.
type BridgeOptions struct {
	// Home is the user's home directory: ~/.claude/mixpanel/auth.json is the
	// second candidate, and below Home no directory on the way to a bridge
	// may be a symlink. Empty: no home candidate.
	Home string
	// Cwd is the current directory: ./mixpanel_auth.json is the last
	// candidate, and relative paths are taken relative to it. Empty: no
	// current-directory candidate, and relative paths are refused.
	Cwd string
	// AuthFile is the value of MP_AUTH_FILE; when not empty it is the only
	// candidate (exclusive), relative to Cwd when relative.
	AuthFile string
	// NoDiscovery looks for no bridge at all: Discover finds none, whatever
	// AuthFile, Home and Cwd say. Export and removal at a given path still
	// work.
	NoDiscovery bool
	// CurrentUser returns the id of the user running mp; nil means
	// os.Getuid. Tests replace it to play a file owned by someone else.
	CurrentUser func() int
	// FileOwner returns the id of the user owning a file, and whether the
	// platform tells; nil means the platform's (the stat owner on Unix).
	FileOwner func(fs.FileInfo) (uid int, ok bool)
}

// BridgeStore is a ports.BridgeStore over bridge files (docs/reference/bridge.md).
//
// Discovery (docs/reference/files.md): MP_AUTH_FILE exclusively when set — a missing file
// there means no bridge, the other places are not looked at — else
// ~/.claude/mixpanel/auth.json, else ./mixpanel_auth.json. The first place
// that holds anything wins; a bridge there that is unsafe (docs/reference/files.md: symlink,
// not a regular file, open to group or others, over 1 MiB, a symlinked
// directory under the home) or not a valid v2 document is an error naming
// the path, never skipped. ./mixpanel_auth.json must moreover be owned by
// the user running mp.
//
// Writes are atomic with mode 0600, creating missing directories with mode
// 0700 (securefile). Lock takes the flock on <bridge>.lock.
type BridgeStore struct {
	opts BridgeOptions
	// changes answers Version.
	changes changeTracker
}

var (
	_ ports.BridgeStore = (*BridgeStore)(nil)
	_ ports.Versioned   = (*BridgeStore)(nil)
	_ ports.Versioned   = (*ConfigStore)(nil)
)

// Version implements ports.Versioned: a number that changes whenever any
// candidate location of a bridge changes (a file appears, goes away, is
// replaced or written), from one lstat per candidate. Discover's answer
// can differ only when it does. ok is false when a candidate cannot be
// stamped.
func (s *BridgeStore) Version() (v uint64, ok bool) {
	return s.changes.version(func() []string {
		var paths []string
		for _, c := range s.candidates() {
			paths = append(paths, c.path)
		}
		return paths
	})
}

// NewBridgeStore returns the store for opts.
func NewBridgeStore(opts BridgeOptions) *BridgeStore {
	if opts.CurrentUser == nil {
		opts.CurrentUser = os.Getuid
	}
	if opts.FileOwner == nil {
		opts.FileOwner = fileOwner
	}
	return &BridgeStore{opts: opts}
}

// candidate is one place a bridge may be.
type candidate struct {
	path     string
	cwd      bool // ./mixpanel_auth.json: must be owned by the current user
	authFile bool // named by MP_AUTH_FILE
}

// Candidates returns the places Discover looks at, in order.
func (s *BridgeStore) Candidates() []string {
	var out []string
	for _, c := range s.candidates() {
		out = append(out, c.path)
	}
	return out
}

func (s *BridgeStore) candidates() []candidate {
	if s.opts.NoDiscovery {
		return nil
	}
	if s.opts.AuthFile != "" {
		p, err := s.abs(s.opts.AuthFile)
		if err != nil {
			return []candidate{{path: s.opts.AuthFile, authFile: true}}
		}
		return []candidate{{path: p, authFile: true}}
	}
	var out []candidate
	if s.opts.Home != "" {
		out = append(out, candidate{path: filepath.Join(s.opts.Home, filepath.FromSlash(BridgeHomePath))})
	}
	if s.opts.Cwd != "" {
		out = append(out, candidate{path: filepath.Join(s.opts.Cwd, BridgeCwdName), cwd: true})
	}
	return out
}

// abs makes path absolute against Cwd.
func (s *BridgeStore) abs(path string) (string, error) {
	if path == "" {
		return "", domain.NewError(domain.CodeInvalidArgument, "empty bridge file path").
			WithHint("give the path of the bridge file")
	}
	if filepath.IsAbs(path) {
		return filepath.Clean(path), nil
	}
	if s.opts.Cwd == "" {
		return "", domain.NewError(domain.CodeInvalidArgument, "bridge file path %s is relative, and the current directory is unknown", path).
			WithHint("give an absolute path")
	}
	return filepath.Join(s.opts.Cwd, path), nil
}

func (s *BridgeStore) secure() securefile.Options { return securefile.Options{Home: s.opts.Home} }

// Locate returns the first candidate that holds anything.
func (s *BridgeStore) Locate(ctx context.Context) (string, bool, error) {
	c, ok, err := s.locate(ctx)
	return c.path, ok, err
}

func (s *BridgeStore) locate(ctx context.Context) (candidate, bool, error) {
	if err := ctx.Err(); err != nil {
		return candidate{}, false, err
	}
	for _, c := range s.candidates() {
		_, err := os.Lstat(c.path)
		switch {
		case err == nil:
			return c, true, nil
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			continue
		default:
			return candidate{}, false, fmt.Errorf("look for a bridge at %s: %w", c.path, err)
		}
	}
	return candidate{}, false, nil
}

// Discover reads the bridge at the first candidate that holds anything.
func (s *BridgeStore) Discover(ctx context.Context) (domain.Bridge, bool, error) {
	c, ok, err := s.locate(ctx)
	if err != nil || !ok {
		return domain.Bridge{}, false, err
	}
	opts := s.secure()
	if c.cwd {
		// The owner is checked on the file that is opened and read, so
		// that a file swapped in after a check of the path cannot slip by.
		opts.Check = func(fi fs.FileInfo) error { return s.checkOwner(c.path, fi) }
	}
	b, err := s.load(c.path, opts)
	if err != nil {
		if c.authFile {
			return domain.Bridge{}, false, fromAuthFile(c.path, err)
		}
		return domain.Bridge{}, false, err
	}
	return b, true, nil
}

// fromAuthFile marks an error about the bridge MP_AUTH_FILE names with
// detail source: MP_AUTH_FILE; for a directory, the hint says to point the
// variable at a file.
func fromAuthFile(path string, err error) error {
	var e *domain.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s (from %s): %w", path, domain.EnvAuthFile, err)
	}
	out := cloneDomainError(e)
	out.WithDetail("source", domain.EnvAuthFile)
	if fi, serr := os.Lstat(path); serr == nil && fi.IsDir() {
		out.Hint = fmt.Sprintf("%s names the directory %s: set it to the path of the bridge file (for example %s), or unset it",
			domain.EnvAuthFile, path, filepath.Join(path, "auth.json"))
	}
	return out
}

// checkOwner refuses the file fi, read from path, when another user owns it.
func (s *BridgeStore) checkOwner(path string, fi fs.FileInfo) error {
	uid, known := s.opts.FileOwner(fi)
	if !known {
		return nil
	}
	if me := s.opts.CurrentUser(); uid != me {
		return domain.NewError(domain.CodeCredentialFileUnsafe,
			"refusing to read bridge %s: it is owned by user id %d, not by you (user id %d); a bridge in the current directory is used only when it is yours", path, uid, me).
			WithDetail("path", path).
			WithHint("remove it or move away from this directory; if it is yours, take it over (cp it to a new file, chmod 600 it) or point MP_AUTH_FILE at a bridge you own")
	}
	return nil
}

// Load reads the bridge at path.
func (s *BridgeStore) Load(ctx context.Context, path string) (domain.Bridge, error) {
	if err := ctx.Err(); err != nil {
		return domain.Bridge{}, err
	}
	p, err := s.abs(path)
	if err != nil {
		return domain.Bridge{}, err
	}
	return s.load(p, s.secure())
}

func (s *BridgeStore) load(path string, opts securefile.Options) (domain.Bridge, error) {
	data, err := securefile.ReadFile(path, opts)
	if errors.Is(err, fs.ErrNotExist) {
		return domain.Bridge{}, domain.NewError(domain.CodeConfigError, "bridge file %s does not exist", path).
			WithDetail("path", path).
			WithHint("export one on the host with `mp account export-bridge --to %s`", path).
			WithCause(err)
	}
	if err != nil {
		return domain.Bridge{}, err
	}
	b, err := domain.ParseBridge(data)
	if err != nil {
		return domain.Bridge{}, atPath(path, err)
	}
	b.Path = path
	return b, nil
}

// atPath puts the bridge's path in front of a parse error.
func atPath(path string, err error) error {
	var e *domain.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s: %w", path, err)
	}
	out := cloneDomainError(e)
	out.Message = path + ": " + e.Message
	out.WithDetail("path", path)
	if e.Hint != "" {
		out.Hint = e.Hint + ", or remove " + path
	}
	return out
}

// cloneDomainError copies e so that its details can change.
func cloneDomainError(e *domain.Error) *domain.Error {
	out := *e
	out.Details = make(map[string]any, len(e.Details)+1)
	for k, v := range e.Details {
		out.Details[k] = v
	}
	return &out
}

// Write encodes b and writes it to path atomically.
func (s *BridgeStore) Write(ctx context.Context, path string, b domain.Bridge) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := s.abs(path)
	if err != nil {
		return err
	}
	data, err := domain.EncodeBridge(b)
	if err != nil {
		return err
	}
	return securefile.WriteFile(p, data, s.secure())
}

// WriteTokens re-reads the bridge at path and writes it back with tokens.
func (s *BridgeStore) WriteTokens(ctx context.Context, path string, tokens domain.Tokens) error {
	b, err := s.Load(ctx, path)
	if err != nil {
		return err
	}
	if b.Account.Type != domain.TypeOAuthBrowser {
		return domain.NewError(domain.CodeConfigError, "bridge %s holds a %s account, which keeps no OAuth tokens", b.Path, b.Account.Type).
			WithDetail("path", b.Path)
	}
	b.Tokens = &tokens
	return s.Write(ctx, b.Path, b)
}

// Remove deletes the bridge file at path.
func (s *BridgeStore) Remove(ctx context.Context, path string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	p, err := s.abs(path)
	if err != nil {
		return false, err
	}
	return securefile.RemoveFile(p, s.secure())
}

// Lock takes the flock on path+".lock", after checking that path could be
// written (CREDENTIAL_FILE_UNSAFE otherwise, creating nothing). A binary built with -tags
// mp_nolock takes none (see refreshlock_off.go): the end-to-end test of
// concurrent refreshes inside a bridge uses it to show that it can fail.
func (s *BridgeStore) Lock(ctx context.Context, path string) (func(), error) {
	p, err := s.abs(path)
	if err != nil {
		return nil, err
	}
	// A target that could not be written (a directory, a symlink …) is
	// refused before the lock file is created beside it.
	if err := securefile.CheckWritable(p, s.secure()); err != nil {
		return nil, err
	}
	if refreshLockDisabled {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return func() {}, nil
	}
	unlock, err := securefile.Lock(ctx, p, s.secure())
	if err != nil {
		return nil, err
	}
	var once sync.Once
	return func() { once.Do(func() { _ = unlock() }) }, nil
}
