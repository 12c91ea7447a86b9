package filestore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"path/filepath"

	"github.com/mpdata/mp/adapters/internal/securefile"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// ClientCache is a ports.ClientCache over <root>/oauth/client_<region>.json
// (docs/reference/files.md): a JSON object with client_id, region, redirect_uri,
// scope and created_at (RFC 3339, written with "+00:00"). The file follows
// the credential-file rules of docs/reference/files.md like the tokens. It is a cache: a file
// that is not a client document, or that names another region, is a miss
// (the next registration replaces it); an unsafe file is an error
// (CREDENTIAL_FILE_UNSAFE), never a silent miss.
type ClientCache struct {
	root string
	home string
}

var _ ports.ClientCache = (*ClientCache)(nil)

// NewClientCache returns the cache under the storage root (~/.mp by
// default). home plays the same part as in NewConfigStore.
func NewClientCache(root, home string) *ClientCache {
	return &ClientCache{root: root, home: home}
}

// Path returns the cache file of region (region is not validated).
func (c *ClientCache) Path(region domain.Region) string {
	return filepath.Join(c.root, "oauth", "client_"+string(region)+".json")
}

// path validates the region and returns its cache file.
func (c *ClientCache) path(region domain.Region) (string, error) {
	if _, err := domain.ParseRegion(string(region)); err != nil {
		return "", err
	}
	return c.Path(region), nil
}

// Get returns the region's cached client; a missing or corrupt file is a
// miss.
func (c *ClientCache) Get(ctx context.Context, region domain.Region) (domain.OAuthClient, bool, error) {
	if err := ctx.Err(); err != nil {
		return domain.OAuthClient{}, false, err
	}
	p, err := c.path(region)
	if err != nil {
		return domain.OAuthClient{}, false, err
	}
	data, err := securefile.ReadFile(p, securefile.Options{Home: c.home})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return domain.OAuthClient{}, false, nil
	case domain.CodeOf(err) != "":
		return domain.OAuthClient{}, false, err
	case err != nil:
		return domain.OAuthClient{}, false, domain.NewError(domain.CodeConfigError, "cannot read the OAuth client cache of region %s at %s", region, p).
			WithDetail("region", string(region)).
			WithDetail("path", p).
			WithHint("check the permissions of %s, or delete it (it is only a cache)", p).
			WithCause(err)
	}
	client, ok := decodeClientFile(data)
	if !ok || client.Region != region {
		return domain.OAuthClient{}, false, nil
	}
	return client, true, nil
}

// Put stores the region's client atomically. A client without a client
// id or with an unknown region is refused (INVALID_ARGUMENT).
func (c *ClientCache) Put(ctx context.Context, client domain.OAuthClient) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if client.ClientID == "" {
		return domain.NewError(domain.CodeInvalidArgument, "cannot cache an OAuth client without a client_id (region %s)", client.Region).
			WithDetail("region", string(client.Region))
	}
	p, err := c.path(client.Region)
	if err != nil {
		return err
	}
	data, err := encodeClientFile(client)
	if err != nil {
		return err
	}
	if err := securefile.WriteFile(p, data, securefile.Options{Home: c.home}); err != nil {
		if domain.CodeOf(err) != "" {
			return err
		}
		return domain.NewError(domain.CodeConfigError, "cannot write the OAuth client cache of region %s at %s", client.Region, p).
			WithDetail("region", string(client.Region)).
			WithDetail("path", p).
			WithHint("check that %s is writable", filepath.Dir(p)).
			WithCause(err)
	}
	return nil
}

// clientFile is the JSON document of client_<region>.json.
type clientFile struct {
	ClientID    string `json:"client_id"`
	Region      string `json:"region"`
	RedirectURI string `json:"redirect_uri"`
	Scope       string `json:"scope"`
	CreatedAt   string `json:"created_at,omitempty"`
}

// encodeClientFile renders a client, indented.
func encodeClientFile(client domain.OAuthClient) ([]byte, error) {
	f := clientFile{
		ClientID:    client.ClientID,
		Region:      string(client.Region),
		RedirectURI: client.RedirectURI,
		Scope:       client.Scope,
	}
	if !client.CreatedAt.IsZero() {
		f.CreatedAt = formatTimestamp(client.CreatedAt)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, domain.NewError(domain.CodeInvalidArgument, "cannot encode the OAuth client of region %s", client.Region).WithCause(err)
	}
	return buf.Bytes(), nil
}

// decodeClientFile parses a cache file; ok is false when it is not a
// client document (no client_id, no known region). An unreadable
// created_at reads as zero.
func decodeClientFile(data []byte) (domain.OAuthClient, bool) {
	var f struct {
		ClientID    string          `json:"client_id"`
		Region      string          `json:"region"`
		RedirectURI string          `json:"redirect_uri"`
		Scope       *string         `json:"scope"`
		CreatedAt   json.RawMessage `json:"created_at"`
	}
	if err := json.Unmarshal(data, &f); err != nil || f.ClientID == "" {
		return domain.OAuthClient{}, false
	}
	region, err := domain.ParseRegion(f.Region)
	if err != nil {
		return domain.OAuthClient{}, false
	}
	client := domain.OAuthClient{ClientID: f.ClientID, Region: region, RedirectURI: f.RedirectURI}
	if f.Scope != nil {
		client.Scope = *f.Scope
	}
	var created string
	if json.Unmarshal(f.CreatedAt, &created) == nil && created != "" {
		if t, err := parseTimestamp(created); err == nil {
			client.CreatedAt = t
		}
	}
	return client, true
}
