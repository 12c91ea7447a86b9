package inmem

import (
	"context"
	"sync"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// ClientCache is an in-memory ports.ClientCache.
type ClientCache struct {
	mu      sync.Mutex
	clients map[domain.Region]domain.OAuthClient
	gets    int
	puts    int
}

var _ ports.ClientCache = (*ClientCache)(nil)

// NewClientCache returns an empty cache.
func NewClientCache() *ClientCache {
	return &ClientCache{clients: map[domain.Region]domain.OAuthClient{}}
}

// Get returns the region's client. An unknown region is INVALID_ARGUMENT.
func (c *ClientCache) Get(ctx context.Context, region domain.Region) (domain.OAuthClient, bool, error) {
	if err := ctx.Err(); err != nil {
		return domain.OAuthClient{}, false, err
	}
	if _, err := domain.ParseRegion(string(region)); err != nil {
		return domain.OAuthClient{}, false, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gets++
	client, ok := c.clients[region]
	return client, ok, nil
}

// Put stores the region's client. A client without a client id or with an
// unknown region is refused (INVALID_ARGUMENT).
func (c *ClientCache) Put(ctx context.Context, client domain.OAuthClient) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if client.ClientID == "" {
		return domain.NewError(domain.CodeInvalidArgument, "cannot cache an OAuth client without a client_id (region %s)", client.Region).
			WithDetail("region", string(client.Region))
	}
	if _, err := domain.ParseRegion(string(client.Region)); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clients[client.Region] = client
	c.puts++
	return nil
}

// Counts returns how many Gets and successful Puts the cache served.
func (c *ClientCache) Counts() (gets, puts int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gets, c.puts
}
