package oauthflow

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// maxAnswer bounds how much of a registration answer is read.
const maxAnswer = 1 << 20

// registration is the JSON body of dynamic client registration
// (mixpanel-api.md), field for field.
type registration struct {
	RedirectURIs            []string `json:"redirect_uris"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	Scope                   string   `json:"scope"`
}

// ensureClient returns the region's cached client when it was registered
// for redirect, else registers a new one and caches it.
func (f *Flow) ensureClient(ctx context.Context, region domain.Region, origin, redirect string) (domain.OAuthClient, error) {
	if f.clients != nil {
		c, ok, err := f.clients.Get(ctx, region)
		if err != nil {
			return domain.OAuthClient{}, err
		}
		if ok && c.ClientID != "" && c.RedirectURI == redirect {
			f.log.Debug("oauth: reusing the cached client", zap.String("region", string(region)))
			return c, nil
		}
	}
	c, err := f.register(ctx, region, origin, redirect)
	if err != nil {
		return domain.OAuthClient{}, err
	}
	if f.clients != nil {
		if err := f.clients.Put(ctx, c); err != nil {
			// Not fatal: the next login registers again.
			f.log.Warn("oauth: cannot cache the registered client", zap.String("region", string(region)), zap.Error(err))
		}
	}
	return c, nil
}

// register runs dynamic client registration: POST {oauth}mcp/register/.
func (f *Flow) register(ctx context.Context, region domain.Region, origin, redirect string) (domain.OAuthClient, error) {
	endpoint := origin + "/oauth/mcp/register/"
	body, err := json.Marshal(registration{
		RedirectURIs:            []string{redirect},
		GrantTypes:              []string{"authorization_code", "refresh_token"},
		ResponseTypes:           []string{"code"},
		TokenEndpointAuthMethod: "none",
		Scope:                   domain.OAuthScope,
	})
	if err != nil {
		return domain.OAuthClient{}, regError(region, endpoint, "cannot encode the registration request").WithCause(err)
	}
	rctx, cancel := f.requestContext(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return domain.OAuthClient{}, regError(region, endpoint, "cannot build the registration request").WithCause(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if f.ua != "" {
		req.Header.Set("User-Agent", f.ua)
	}
	// Registration never follows a redirect (docs/security.md).
	resp, err := withoutRedirects(f.http).Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return domain.OAuthClient{}, ctx.Err()
		}
		if rr, ok := asRedirect(err); ok {
			e := redirectError(domain.CodeOAuthRegistrationError, "registration endpoint", endpoint, rr).
				WithDetail("region", string(region))
			return domain.OAuthClient{}, e
		}
		if terr := f.timedOut(ctx, rctx, endpoint); terr != nil {
			return domain.OAuthClient{}, terr
		}
		return domain.OAuthClient{}, regError(region, endpoint, "cannot reach the registration endpoint").
			WithDetail("retryable", true).
			WithHint("check the network connection (and MP_API_BASE_URL if set), then try again").
			WithCause(err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		if ctx.Err() != nil {
			return domain.OAuthClient{}, ctx.Err()
		}
		if terr := f.timedOut(ctx, rctx, endpoint); terr != nil {
			return domain.OAuthClient{}, terr
		}
		return domain.OAuthClient{}, regError(region, endpoint, "cannot read the registration answer").
			WithDetail("retryable", true).WithCause(err)
	}
	if len(data) > maxAnswer {
		return domain.OAuthClient{}, tooLargeError(domain.CodeOAuthRegistrationError, "registration endpoint", endpoint).
			WithDetail("region", string(region)).WithDetail("status", resp.StatusCode)
	}
	var answer struct {
		ClientID    string `json:"client_id"`
		Scope       string `json:"scope"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	decodeErr := json.Unmarshal(data, &answer)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		what := "the endpoint answered HTTP " + strconv.Itoa(resp.StatusCode)
		if answer.Error != "" {
			what += ": " + providerText(answer.Error, answer.Description)
		}
		e := regError(region, endpoint, what).WithDetail("status", resp.StatusCode)
		if answer.Error != "" {
			e = e.WithDetail("error", clipText(answer.Error, 64))
		}
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			e = e.WithDetail("retryable", true).WithHint("Mixpanel is rate-limiting registrations; try again in a minute")
			if ra := resp.Header.Get("Retry-After"); ra != "" {
				e = e.WithDetail("retry_after", clipText(ra, 40))
			}
		case resp.StatusCode >= 500:
			e = e.WithDetail("retryable", true).WithHint("Mixpanel's OAuth service is failing; try again later")
		default:
			e = e.WithHint("check MP_API_BASE_URL if set; otherwise report this answer of Mixpanel's registration endpoint")
		}
		return domain.OAuthClient{}, e
	}
	if decodeErr != nil || answer.ClientID == "" {
		cause := decodeErr
		if cause == nil {
			cause = errors.New("the answer has no client_id")
		}
		return domain.OAuthClient{}, regError(region, endpoint, "the registration answer is not a client (JSON with client_id)").
			WithDetail("status", resp.StatusCode).WithCause(cause)
	}
	scope := strings.TrimSpace(answer.Scope)
	if scope == "" {
		scope = domain.OAuthScope
	}
	f.log.Debug("oauth: registered a client", zap.String("region", string(region)), zap.String("redirect_uri", redirect))
	return domain.OAuthClient{
		ClientID:    answer.ClientID,
		Region:      region,
		RedirectURI: redirect,
		Scope:       scope,
		CreatedAt:   f.clock().UTC(),
	}, nil
}

// regError is an OAUTH_REGISTRATION_ERROR naming the region and endpoint.
func regError(region domain.Region, endpoint, what string) *domain.Error {
	return domain.NewError(domain.CodeOAuthRegistrationError, "OAuth client registration in region %s failed: %s", region, what).
		WithDetail("region", string(region)).
		WithDetail("endpoint", endpoint)
}
