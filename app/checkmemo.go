package app

import (
	"context"
	"time"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// maxChecks bounds the checks an App remembers; past it they are all
// dropped and remembered again as they come.
const maxChecks = 1024

// checkKey is what a remembered check answered: a selection, the ids
// checked and the bridge pin of the caller's session.
type checkKey struct {
	sel domain.Selection
	ids IDCheck
	pin BridgePin
}

// checkEntry is a remembered check: its answer and what it depended on —
// the versions of the config and of the bridge locations
// (ports.Versioned), the generation of the App's /me and workspace
// memory, and the interval in which the /me answer it was checked against
// is fresh (zero when it checked no id).
type checkEntry struct {
	cfgVer, bridgeVer uint64
	gen               uint64
	from, until       time.Time
	checked           CheckedSession
}

// versions returns the versions of the config and of the bridge
// locations; ok is false when a store cannot tell (it is not a
// ports.Versioned, or it could not stamp its files).
func (c *core) versions() (cfg, bridge uint64, ok bool) {
	cv, ok := c.deps.Config.(ports.Versioned)
	if !ok {
		return 0, 0, false
	}
	if cfg, ok = cv.Version(); !ok {
		return 0, 0, false
	}
	if c.deps.Bridges == nil {
		return cfg, 0, true
	}
	bv, ok := c.deps.Bridges.(ports.Versioned)
	if !ok {
		return 0, 0, false
	}
	bridge, ok = bv.Version()
	return cfg, bridge, ok
}

// rememberedCheck returns the remembered answer of key when nothing it
// depended on changed.
func (c *core) rememberedCheck(key checkKey, cfgVer, bridgeVer uint64) (CheckedSession, bool) {
	c.mu.Lock()
	e, ok := c.checks[key]
	gen := c.gen
	c.mu.Unlock()
	if !ok || e.cfgVer != cfgVer || e.bridgeVer != bridgeVer || e.gen != gen {
		return CheckedSession{}, false
	}
	if !e.until.IsZero() {
		now, err := c.now()
		if err != nil || now.Before(e.from) || !now.Before(e.until) {
			return CheckedSession{}, false
		}
	}
	return e.checked, true
}

// rememberCheck keeps e as the answer of key.
func (c *core) rememberCheck(key checkKey, e checkEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.checks == nil || len(c.checks) >= maxChecks {
		c.checks = make(map[checkKey]checkEntry)
	}
	c.checks[key] = e
}

// memoryGen returns the generation of the /me and workspace memory.
func (c *core) memoryGen() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// meFreshness returns the interval in which the /me answer held in memory
// for acct is fresh; ok is false when none is held.
func (c *core) meFreshness(acct domain.AccountName) (from, until time.Time, ok bool) {
	c.mu.Lock()
	m, ok := c.mem[acct]
	c.mu.Unlock()
	if !ok || m.entry.CachedAt.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	at := m.entry.CachedAt
	return at.Add(-time.Minute), at.Add(domain.MeTTL), true
}

// pinKey is the bridge pin ctx carries, for a checkKey.
func pinKey(ctx context.Context) BridgePin {
	p, _ := bridgePinOf(ctx)
	return p
}
