package filestore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// meFileName is the name of the /me cache file in an account directory.
const meFileName = "me.json"

// cachedAtKey is the key the cache time is stored under, beside the /me
// fields (the Python tool's format).
const cachedAtKey = "cached_at"

// MeCache is a ports.MeCache over <root>/accounts/<name>/me.json
// (docs/reference/files.md): the /me results object, unknown fields kept, plus
// "cached_at" in Unix seconds as a float. The file follows the credential
// file rules of docs/reference/files.md: written atomically with mode 0600 in directories of
// mode 0700, and read only when safe — an unsafe file is an error
// (CREDENTIAL_FILE_UNSAFE), never a silent miss. A file that is not a /me
// document is a miss; the next Put replaces it. An entry without a valid
// cached_at reads with a zero CachedAt, which counts as stale.
type MeCache struct {
	root string
	home string
}

var _ ports.MeCache = (*MeCache)(nil)

// NewMeCache returns the cache under the storage root (~/.mp by default).
// home plays the same part as in NewConfigStore.
func NewMeCache(root, home string) *MeCache {
	return &MeCache{root: root, home: home}
}

// Path returns the cache file of account.
func (c *MeCache) Path(account domain.AccountName) string {
	return filepath.Join(c.root, "accounts", string(account), meFileName)
}

// path validates the account name (the path-traversal defence) and returns
// its cache file.
func (c *MeCache) path(account domain.AccountName) (string, error) {
	if _, err := domain.ParseAccountName(string(account)); err != nil {
		return "", err
	}
	p := c.Path(account)
	if filepath.Dir(filepath.Dir(p)) != filepath.Join(c.root, "accounts") {
		return "", domain.NewError(domain.CodeInvalidArgument, "account name '%s' does not map to a directory under %s", account, filepath.Join(c.root, "accounts"))
	}
	return p, nil
}

// Get reads the account's cache file. A missing or corrupt file is a miss;
// an unsafe one is an error.
func (c *MeCache) Get(ctx context.Context, account domain.AccountName) (domain.CachedMe, bool, error) {
	if err := ctx.Err(); err != nil {
		return domain.CachedMe{}, false, err
	}
	p, err := c.path(account)
	if err != nil {
		return domain.CachedMe{}, false, err
	}
	data, err := securefile.ReadFile(p, securefile.Options{Home: c.home})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return domain.CachedMe{}, false, nil
	case domain.CodeOf(err) != "":
		return domain.CachedMe{}, false, err
	case err != nil:
		return domain.CachedMe{}, false, domain.NewError(domain.CodeConfigError, "cannot read the /me cache of account '%s' at %s", account, p).
			WithDetail("account", string(account)).
			WithDetail("path", p).
			WithHint("check the permissions of %s, or delete it (it is only a cache)", p).
			WithCause(err)
	}
	entry, ok := decodeMeFile(data)
	return entry, ok, nil
}

// Put writes the entry atomically, replacing the previous file.
func (c *MeCache) Put(ctx context.Context, account domain.AccountName, entry domain.CachedMe) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := c.path(account)
	if err != nil {
		return err
	}
	data, err := encodeMeFile(account, entry)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := securefile.WriteFile(p, data, securefile.Options{Home: c.home}); err != nil {
		if domain.CodeOf(err) != "" {
			return err
		}
		return domain.NewError(domain.CodeConfigError, "cannot write the /me cache of account '%s' at %s", account, p).
			WithDetail("account", string(account)).
			WithDetail("path", p).
			WithHint("check that %s is writable", filepath.Dir(p)).
			WithCause(err)
	}
	return nil
}

// Delete removes the account's cache file; a missing file is not an error.
// A symlink, a directory or any other non-regular file at that path is
// refused (CREDENTIAL_FILE_UNSAFE naming it), never removed or followed.
func (c *MeCache) Delete(ctx context.Context, account domain.AccountName) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p, err := c.path(account)
	if err != nil {
		return err
	}
	if _, err := securefile.RemoveFile(p, securefile.Options{Home: c.home}); err != nil {
		if domain.CodeOf(err) != "" {
			return err
		}
		return domain.NewError(domain.CodeConfigError, "cannot remove the /me cache of account '%s' at %s", account, p).
			WithDetail("account", string(account)).
			WithDetail("path", p).
			WithHint("remove it by hand: rm %s", p).
			WithCause(err)
	}
	return nil
}

// encodeMeFile renders the /me document with cached_at added, indented
// like the Python tool writes it. A zero CachedAt writes no cached_at (the
// entry reads back as stale).
func encodeMeFile(account domain.AccountName, entry domain.CachedMe) ([]byte, error) {
	var doc map[string]json.RawMessage
	raw := bytes.TrimSpace(entry.Me.Raw)
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &doc) != nil || doc == nil {
		return nil, domain.NewError(domain.CodeInvalidArgument,
			"cannot cache /me for account '%s': the entry carries no /me document (Me.Raw must be the JSON object /me answered)", account).
			WithDetail("account", string(account))
	}
	delete(doc, cachedAtKey)
	if !entry.CachedAt.IsZero() {
		secs := float64(entry.CachedAt.UnixMicro()) / 1e6
		doc[cachedAtKey] = json.RawMessage(strconv.FormatFloat(secs, 'f', 6, 64))
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, domain.NewError(domain.CodeInvalidArgument, "cannot encode the /me cache of account '%s'", account).WithCause(err)
	}
	return append(out, '\n'), nil
}

// decodeMeFile parses a cache file. ok is false when it is not a /me
// document.
func decodeMeFile(data []byte) (domain.CachedMe, bool) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil || doc == nil {
		return domain.CachedMe{}, false
	}
	cachedAt := parseCachedAt(doc[cachedAtKey])
	delete(doc, cachedAtKey)
	results, err := json.Marshal(doc)
	if err != nil {
		return domain.CachedMe{}, false
	}
	me, err := domain.ParseMe(results)
	if err != nil {
		return domain.CachedMe{}, false
	}
	return domain.CachedMe{Me: me, CachedAt: cachedAt}, true
}

// parseCachedAt reads Unix seconds (a JSON number, fractional or not). Any
// other value — absent, null, a string, negative, not finite — is the zero
// time: the entry is stale.
func parseCachedAt(raw json.RawMessage) time.Time {
	if len(raw) == 0 {
		return time.Time{}
	}
	var secs float64
	if err := json.Unmarshal(raw, &secs); err != nil || secs <= 0 || math.IsInf(secs, 0) || math.IsNaN(secs) || secs > 1e12 {
		return time.Time{}
	}
	whole, frac := math.Modf(secs)
	return time.Unix(int64(whole), int64(math.Round(frac*1e6))*1e3).UTC()
}
