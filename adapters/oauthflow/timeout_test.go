package oauthflow_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/oauthflow"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/mptest"
	"github.com/mpdata/mp/ports"
)

// Options.RequestTimeout bounds the refresh and the registration (the
// code exchange shares the code path of the refresh): a hanging endpoint
// ends at it with NETWORK_UNREACHABLE naming the timeout, its source and
// MP_HTTP_TIMEOUT / http_timeout; the caller's own deadline stays a
// context error.
func TestRequestTimeout(t *testing.T) {
	for _, tt := range []struct {
		name, route string
		call        func(f *oauthflow.Flow, fx *fixture, ctx context.Context) error
	}{
		{"refresh", mptest.RouteToken, func(f *oauthflow.Flow, fx *fixture, ctx context.Context) error {
			_, err := f.Refresh(ctx, domain.RegionUS, issued(t, fx.srv, "us", "c1"))
			return err
		}},
		{"register", mptest.RouteRegister, func(f *oauthflow.Flow, _ *fixture, ctx context.Context) error {
			_, err := f.Login(ctx, ports.LoginRequest{Region: domain.RegionUS, NoBrowser: true})
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.srv.InjectAlways(tt.route, mptest.Delay(time.Minute))
			fx.opts.RequestTimeout, fx.opts.RequestTimeoutSource = 200*time.Millisecond, "MP_HTTP_TIMEOUT"
			err := tt.call(fx.flow(), fx, context.Background())
			de := codeOf(t, err, domain.CodeNetworkUnreachable)
			if !strings.Contains(de.Message, "per-call timeout of 200ms (set by MP_HTTP_TIMEOUT) ran out before the OAuth endpoint") ||
				!strings.Contains(de.Hint, "MP_HTTP_TIMEOUT") || !strings.Contains(de.Hint, "http_timeout") ||
				de.Details["per_call_timeout"] != "200ms" || de.Details["timeout"] != true {
				t.Fatalf("error = %v (hint %q, details %v)", err, de.Hint, de.Details)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("reads as the caller's deadline: %v", err)
			}

			fx.opts.RequestTimeout = time.Hour
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			if err := tt.call(fx.flow(), fx, ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("the caller's deadline: %v, want context.DeadlineExceeded", err)
			}
		})
	}
}
