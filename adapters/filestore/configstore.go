package filestore

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"reflect"
	"sync"
	"time"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// ConfigStore is a ports.ConfigStore over one config.toml file. It is safe
// for concurrent use by goroutines and processes: every Update holds the
// file lock.
type ConfigStore struct {
	path string
	home string
	// lockWait bounds the wait for another process's transaction; zero
	// means LockWait.
	lockWait time.Duration
	// validate checks the result of an Update; nil means
	// domain.Config.Validate. Tests replace it to exercise the refusal path,
	// which no sequence of domain methods can reach.
	validate func(domain.Config) error
	// last remembers the last decoded file, so that a Load of unchanged
	// bytes skips the TOML decoding.
	last loadCache
	// changes answers Version.
	changes changeTracker
}

// loadCache holds the bytes of the last config file Load decoded, the
// Config they gave and what the file was when it was read (fileStamp).
// Load hands out the cached Config (shared copy on write, see
// domain.Config.Share) when a stat of the path shows the very same file
// unchanged; otherwise it reads the file again with every safety check,
// and skips only the decoding of identical bytes.
type loadCache struct {
	mu    sync.Mutex
	data  []byte
	cfg   domain.Config
	stamp fileStamp
	// reads counts the reads of the file (ReadCount).
	reads int
}

// get returns the cached Config when data is what it was decoded from.
func (c *loadCache) get(data []byte) (domain.Config, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data == nil || !bytes.Equal(c.data, data) {
		return domain.Config{}, false
	}
	return c.cfg.Share(), true
}

// fresh returns the cached Config when stamp, taken of the path now, is
// the stamp of the file it was decoded from.
func (c *loadCache) fresh(stamp fileStamp) (domain.Config, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data == nil || !stamp.valid || stamp != c.stamp {
		return domain.Config{}, false
	}
	return c.cfg.Share(), true
}

// put remembers cfg as the decoding of data, read from the file stamp
// describes, and returns a shared copy of it. It keeps cfg and data
// themselves, not copies (a copy of 5,000 accounts costs as much as the
// rest of a command): the caller must change neither afterwards.
func (c *loadCache) put(data []byte, cfg domain.Config, stamp fileStamp) domain.Config {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.data = data
	c.cfg = cfg
	c.stamp = stamp
	return cfg.Share()
}

func (c *loadCache) countRead() {
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
}

var _ ports.ConfigStore = (*ConfigStore)(nil)

// LockWait is how long Update waits for another process's transaction
// before it gives up with an error naming the lock file. Transactions take
// milliseconds, so a longer wait means a process is stuck holding it.
const LockWait = 10 * time.Second

// NewConfigStore returns a store for the config file at path. home is the
// user's home directory: when path lies under it, no directory between
// home and the file may be a symlink (docs/reference/files.md); with an empty
// home, only the file's own directory is trusted. Nothing is read or
// created until the first call.
func NewConfigStore(path, home string) *ConfigStore {
	return &ConfigStore{path: path, home: home}
}

// Path returns the config file path the store was created with.
func (s *ConfigStore) Path() string { return s.path }

func (s *ConfigStore) opts() securefile.Options { return securefile.Options{Home: s.home} }

// Load reads and parses the config file. A missing or empty file is an
// empty Config. Errors: CREDENTIAL_FILE_UNSAFE when the file breaks the
// safety rules, CONFIG_ERROR for unreadable, malformed or invalid content
// (naming the file, the table or key and the line), LEGACY_CONFIG for a
// 0.3.x-era file.
func (s *ConfigStore) Load(ctx context.Context) (domain.Config, error) {
	if err := ctx.Err(); err != nil {
		return domain.Config{}, err
	}
	if cfg, ok := s.last.fresh(statPath(s.path)); ok {
		return cfg, nil
	}
	data, stamp, exists, err := s.readStamped()
	if err != nil || !exists {
		return domain.Config{}, err
	}
	if cfg, ok := s.last.get(data); ok {
		s.last.mu.Lock()
		s.last.stamp = stamp
		s.last.mu.Unlock()
		return cfg, nil
	}
	doc, err := decode(s.path, data)
	if err != nil {
		return domain.Config{}, err
	}
	return s.last.put(data, doc.config, stamp), nil
}

// Version implements ports.Versioned: a number that changes whenever the
// config file changes (appears, goes away, is replaced or written), from
// one lstat of the path. ok is false when the path cannot be stamped.
func (s *ConfigStore) Version() (v uint64, ok bool) {
	return s.changes.version(func() []string { return []string{s.path} })
}

// ReadCount returns how many times the store has read the config file
// (Load and Update). Load reads it only when a stat of the path shows a
// file other than the one it read last; benchmarks and tests count reads
// with it.
func (s *ConfigStore) ReadCount() int {
	s.last.mu.Lock()
	defer s.last.mu.Unlock()
	return s.last.reads
}

// Update runs one transaction: lock config.toml.lock beside the file,
// re-read, call fn on a copy, validate, write atomically, unlock. When
// reading fails (unsafe, malformed or legacy file) the error is returned
// and the file is left as it is; when fn or validation fails its error is
// returned unchanged and nothing is written. An Update that changes
// nothing does not rewrite (or create) the file. A ctx cancelled before
// the write stops the transaction with ctx's error; waiting for the lock
// is bounded by ctx and by LockWait.
func (s *ConfigStore) Update(ctx context.Context, fn func(*domain.Config) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	wait := s.lockWait
	if wait <= 0 {
		wait = LockWait
	}
	lockCtx, cancel := context.WithTimeout(ctx, wait)
	unlock, err := securefile.Lock(lockCtx, s.path, s.opts())
	timedOut := lockCtx.Err() != nil && ctx.Err() == nil
	cancel()
	if timedOut {
		return domain.NewError(domain.CodeConfigError, "another process has held the lock on config file %s for %s", s.path, wait).
			WithDetail("file", s.path).
			WithDetail("lock_file", s.path+".lock").
			WithHint("another mp (or the Python tool) is changing the config; wait for it or stop it, then run the command again")
	}
	if err != nil {
		return s.lockError(ctx, err)
	}
	defer func() { _ = unlock() }()

	doc, exists, err := s.read()
	if err != nil {
		return err
	}
	next := doc.config.Clone()
	if err := fn(&next); err != nil {
		return err
	}
	validate := domain.Config.Validate
	if s.validate != nil {
		validate = s.validate
	}
	if err := validate(next); err != nil {
		return err
	}
	updated := document{config: next, extra: doc.extra, settings: doc.settings}
	out, err := encode(ctx, updated)
	if err != nil {
		return err
	}
	if !exists && len(out) == 0 {
		return nil // nothing to keep: do not create an empty file
	}
	if exists {
		if before, err := encode(ctx, doc); err == nil && bytes.Equal(before, out) {
			return nil
		}
	}
	if err := s.checkReadsBack(out, updated); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := securefile.WriteFile(s.path, out, s.opts()); err != nil {
		if domain.CodeOf(err) != "" {
			return err
		}
		return domain.NewError(domain.CodeConfigError, "cannot write config file %s", s.path).
			WithDetail("file", s.path).
			WithHint("check that the directory is writable and the disk is not full; the previous file is unchanged").
			WithCause(err)
	}
	return nil
}

// read reads and decodes the file; exists is false when it is missing.
func (s *ConfigStore) read() (doc document, exists bool, err error) {
	data, exists, err := s.readBytes()
	if err != nil || !exists {
		return document{}, false, err
	}
	doc, err = decode(s.path, data)
	if err != nil {
		return document{}, true, err
	}
	return doc, true, nil
}

// readBytes reads the config file with the safety checks of
// docs/reference/files.md; exists is false when there is no file.
func (s *ConfigStore) readBytes() (data []byte, exists bool, err error) {
	data, _, exists, err = s.readStamped()
	return data, exists, err
}

// readStamped is readBytes that also returns the stamp of the file read.
func (s *ConfigStore) readStamped() (data []byte, stamp fileStamp, exists bool, err error) {
	s.last.countRead()
	data, fi, err := securefile.ReadFileInfo(s.path, s.opts())
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fileStamp{}, false, nil
	case domain.CodeOf(err) != "":
		return nil, fileStamp{}, false, err
	case err != nil:
		return nil, fileStamp{}, false, domain.NewError(domain.CodeConfigError, "cannot read config file %s", s.path).
			WithDetail("file", s.path).
			WithHint("check the permissions of the file and of its directory").
			WithCause(err)
	}
	return data, stampOf(fi), true, nil
}

// checkReadsBack refuses to write bytes that would not load back as the
// same document — a guard against an encoding bug destroying a user's file.
func (s *ConfigStore) checkReadsBack(out []byte, want document) error {
	got, err := decode(s.path, out)
	if err == nil && reflect.DeepEqual(got.config.Data(), want.config.Data()) {
		return nil
	}
	e := domain.NewError(domain.CodeConfigError, "refusing to write config file %s: the new content would not read back the same (this is a bug in mp)", s.path).
		WithDetail("file", s.path).
		WithHint("the previous file is unchanged; please report this")
	if err != nil {
		e.WithCause(err)
	}
	return e
}

func (s *ConfigStore) lockError(ctx context.Context, err error) error {
	if ctx.Err() != nil || domain.CodeOf(err) != "" {
		return err
	}
	return domain.NewError(domain.CodeConfigError, "cannot lock config file %s", s.path).
		WithDetail("file", s.path).
		WithHint("check that %s.lock can be created in that directory", s.path).
		WithCause(err)
}
