package inmem

import (
	"context"
	"io/fs"
	"sync"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// BridgeStore is an in-memory ports.BridgeStore: bridges are kept as the
// encoded bytes a file would hold, keyed by path, and discovered in the
// order of the candidate paths given to NewBridgeStore. Its locks are
// per-path channels that honour the caller's context.
type BridgeStore struct {
	candidates []string

	mu          sync.Mutex
	files       map[string][]byte
	locks       map[string]chan struct{}
	writes      int
	tokenWrites int
}

var _ ports.BridgeStore = (*BridgeStore)(nil)

// NewBridgeStore returns an empty store that discovers bridges at the
// candidate paths, first match wins.
func NewBridgeStore(candidates ...string) *BridgeStore {
	return &BridgeStore{
		candidates: candidates,
		files:      map[string][]byte{},
		locks:      map[string]chan struct{}{},
	}
}

// Discover returns the bridge at the first candidate path that holds one.
func (s *BridgeStore) Discover(ctx context.Context) (domain.Bridge, bool, error) {
	path, ok, err := s.Locate(ctx)
	if err != nil || !ok {
		return domain.Bridge{}, false, err
	}
	b, err := s.Load(ctx, path)
	if err != nil {
		return domain.Bridge{}, false, err
	}
	return b, true, nil
}

// Locate returns the first candidate path that holds something.
func (s *BridgeStore) Locate(ctx context.Context) (string, bool, error) {
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.candidates {
		if _, ok := s.files[p]; ok {
			return p, true, nil
		}
	}
	return "", false, nil
}

// Load parses the bridge stored at path.
func (s *BridgeStore) Load(ctx context.Context, path string) (domain.Bridge, error) {
	if err := ctx.Err(); err != nil {
		return domain.Bridge{}, err
	}
	s.mu.Lock()
	data, ok := s.files[path]
	s.mu.Unlock()
	if !ok {
		return domain.Bridge{}, domain.NewError(domain.CodeConfigError, "bridge file %s does not exist", path).
			WithDetail("path", path).
			WithHint("export one on the host with `mp account export-bridge --to %s`", path).
			WithCause(fs.ErrNotExist)
	}
	b, err := domain.ParseBridge(data)
	if err != nil {
		return domain.Bridge{}, named(path, err)
	}
	b.Path = path
	return b, nil
}

// named puts the path in front of a bridge parse error.
func named(path string, err error) error {
	e, ok := err.(*domain.Error)
	if !ok {
		return err
	}
	out := *e
	out.Message = path + ": " + e.Message
	return out.WithDetail("path", path)
}

// Write encodes b and stores it at path.
func (s *BridgeStore) Write(ctx context.Context, path string, b domain.Bridge) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	data, err := domain.EncodeBridge(b)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = data
	s.writes++
	return nil
}

// WriteTokens replaces the tokens of the bridge at path.
func (s *BridgeStore) WriteTokens(ctx context.Context, path string, tokens domain.Tokens) error {
	b, err := s.Load(ctx, path)
	if err != nil {
		return err
	}
	if b.Account.Type != domain.TypeOAuthBrowser {
		return domain.NewError(domain.CodeConfigError, "bridge %s holds a %s account, which keeps no OAuth tokens", path, b.Account.Type).
			WithDetail("path", path)
	}
	b.Tokens = &tokens
	data, err := domain.EncodeBridge(b)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = data
	s.tokenWrites++
	return nil
}

// Remove deletes the bridge at path.
func (s *BridgeStore) Remove(ctx context.Context, path string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.files[path]
	delete(s.files, path)
	return ok, nil
}

// Lock takes the path's lock, waiting until ctx is done at most.
func (s *BridgeStore) Lock(ctx context.Context, path string) (func(), error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	l, ok := s.locks[path]
	if !ok {
		l = make(chan struct{}, 1)
		s.locks[path] = l
	}
	s.mu.Unlock()
	select {
	case l <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() { once.Do(func() { <-l }) }, nil
}

// PutRaw stores data at path as it is, valid or not (for tests).
func (s *BridgeStore) PutRaw(path string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path] = append([]byte(nil), data...)
}

// Raw returns the bytes stored at path.
func (s *BridgeStore) Raw(path string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, ok := s.files[path]
	return append([]byte(nil), data...), ok
}

// Counts returns how many Writes and WriteTokens succeeded.
func (s *BridgeStore) Counts() (writes, tokenWrites int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes, s.tokenWrites
}
