package inmem

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"sync"
	"time"

	"github.com/mpdata/mp/domain"
)

// MeCache is an in-memory ports.MeCache. Like the file cache it keeps the
// /me document (Me.Raw) and the cache time, and parses the document again
// on Get, so an entry whose document does not parse reads as a miss.
type MeCache struct {
	mu      sync.Mutex
	entries map[domain.AccountName]meEntry
	gets    int
	puts    int
}

// meEntry is one stored document and its cache time.
type meEntry struct {
	raw      []byte
	cachedAt time.Time
}

// NewMeCache returns an empty cache.
func NewMeCache() *MeCache {
	return &MeCache{entries: map[domain.AccountName]meEntry{}}
}

// Get returns the entry of account; a missing or corrupt entry is a miss.
func (c *MeCache) Get(ctx context.Context, account domain.AccountName) (domain.CachedMe, bool, error) {
	if err := ctx.Err(); err != nil {
		return domain.CachedMe{}, false, err
	}
	c.mu.Lock()
	e, ok := c.entries[account]
	c.gets++
	c.mu.Unlock()
	if !ok {
		return domain.CachedMe{}, false, nil
	}
	me, err := domain.ParseMe(e.raw)
	if err != nil {
		return domain.CachedMe{}, false, nil
	}
	return domain.CachedMe{Me: me, CachedAt: e.cachedAt}, true, nil
}

// Put stores a copy of the entry's /me document and cache time. An entry
// whose Me.Raw is not a JSON object is refused (INVALID_ARGUMENT).
func (c *MeCache) Put(ctx context.Context, account domain.AccountName, entry domain.CachedMe) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkMeRaw(account, entry.Me.Raw); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[account] = meEntry{raw: slices.Clone(entry.Me.Raw), cachedAt: entry.CachedAt}
	c.puts++
	return nil
}

// Delete forgets the account's entry.
func (c *MeCache) Delete(ctx context.Context, account domain.AccountName) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, account)
	return nil
}

// PutRaw stores data as the account's document as is, the way a hand edit
// or a crash leaves a file; data that is not a /me document then reads as
// a miss.
func (c *MeCache) PutRaw(account domain.AccountName, data []byte, cachedAt time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[account] = meEntry{raw: slices.Clone(data), cachedAt: cachedAt}
}

// Has reports whether an entry (valid or not) is stored for account.
func (c *MeCache) Has(account domain.AccountName) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.entries[account]
	return ok
}

// Counts returns how many Gets and successful Puts the cache served.
func (c *MeCache) Counts() (gets, puts int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gets, c.puts
}

// checkMeRaw is the rule every MeCache applies on Put: the entry carries
// the /me results object it caches (Me.Raw, a JSON object).
func checkMeRaw(account domain.AccountName, raw []byte) error {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || trimmed[0] != '{' || !json.Valid(trimmed) {
		return domain.NewError(domain.CodeInvalidArgument,
			"cannot cache /me for account '%s': the entry carries no /me document (Me.Raw must be the JSON object /me answered)", account).
			WithDetail("account", string(account))
	}
	return nil
}
