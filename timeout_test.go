package mp_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mp "github.com/mpdata/mp"
	"github.com/mpdata/mp/mptest"
)

// WithRequestTimeout beats MP_HTTP_TIMEOUT (even an invalid one), which
// Open refuses with CONFIG_ERROR on its own; a call that outlasts the
// timeout is NETWORK_UNREACHABLE naming it and its source, while the
// caller's own deadline stays context.DeadlineExceeded.
func TestWithRequestTimeout(t *testing.T) {
	f := newFixture(t, 1, 1)
	ctx := context.Background()
	env := func(kv ...string) mp.Option {
		m := map[string]string{"HOME": f.dir}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return mp.WithEnv(m)
	}

	for _, tt := range []struct {
		name string
		opts []mp.Option
		code mp.Code
		want string
	}{
		{"invalid env", []mp.Option{env("MP_HTTP_TIMEOUT", "later")}, mp.CodeConfigError, `MP_HTTP_TIMEOUT="later"`},
		{"zero option", []mp.Option{mp.WithRequestTimeout(0)}, mp.CodeInvalidArgument, "greater than zero"},
		{"negative option", []mp.Option{mp.WithRequestTimeout(-time.Second)}, mp.CodeInvalidArgument, "greater than zero"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mp.Open(ctx, append(append([]mp.Option{}, f.opts...), tt.opts...)...)
			var e *mp.Error
			if !errors.As(err, &e) || e.Code() != tt.code || !strings.Contains(e.Message(), tt.want) {
				t.Fatalf("Open = %v, want %s with %q", err, tt.code, tt.want)
			}
		})
	}

	f.srv.InjectAlways(mptest.RouteSegmentation, mptest.Delay(time.Minute))
	// The hint names what set the limit: the option for library callers,
	// the variable and the setting otherwise (never a library option to a
	// command-line user).
	hintNames := map[string]string{"mp.WithRequestTimeout": "mp.WithRequestTimeout", "MP_HTTP_TIMEOUT": "MP_HTTP_TIMEOUT"}
	for _, tt := range []struct {
		name   string
		opts   []mp.Option
		limit  string
		source string
	}{
		{"option", []mp.Option{mp.WithRequestTimeout(300 * time.Millisecond)}, "300ms", "mp.WithRequestTimeout"},
		{"option beats an invalid env", []mp.Option{env("MP_HTTP_TIMEOUT", "later"), mp.WithRequestTimeout(300 * time.Millisecond)}, "300ms", "mp.WithRequestTimeout"},
		{"option beats env", []mp.Option{env("MP_HTTP_TIMEOUT", "1h"), mp.WithRequestTimeout(200 * time.Millisecond)}, "200ms", "mp.WithRequestTimeout"},
		{"env", []mp.Option{env("MP_HTTP_TIMEOUT", "0.25")}, "250ms", "MP_HTTP_TIMEOUT"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ws := f.open(t, tt.opts...)
			_, err := ws.Segmentation(ctx, f.queries)
			var e *mp.Error
			if !errors.As(err, &e) || e.Code() != mp.CodeNetworkUnreachable ||
				!strings.Contains(e.Message(), "per-call timeout of "+tt.limit+" (set by "+tt.source+")") ||
				!strings.Contains(e.Hint(), hintNames[tt.source]) || e.Details()["per_call_timeout"] != tt.limit {
				t.Fatalf("Segmentation = %v", err)
			}
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("the per-call timeout reads as the caller's deadline: %v", err)
			}
		})
	}

	// The caller's deadline, shorter than the per-call timeout, is the
	// caller's.
	ws := f.open(t, mp.WithRequestTimeout(time.Hour))
	dctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := ws.Segmentation(dctx, f.queries); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Segmentation past the caller's deadline = %v, want context.DeadlineExceeded", err)
	}

	// [settings] http_timeout of the config WithConfigPath names, beaten
	// by MP_HTTP_TIMEOUT.
	cfg := filepath.Join(f.dir, "config.toml")
	raw, err := os.ReadFile(cfg)
	if err != nil || strings.Contains(string(raw), "[settings]") {
		t.Fatalf("config: %v\n%s", err, raw)
	}
	if err := os.WriteFile(cfg, append(raw, "\n[settings]\nhttp_timeout = \"300ms\"\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = f.open(t).Segmentation(ctx, f.queries)
	if !strings.Contains(fmt.Sprint(err), "per-call timeout of 300ms (set by [settings] http_timeout in "+cfg+")") {
		t.Fatalf("Segmentation with http_timeout = %v", err)
	}
	_, err = f.open(t, env("MP_HTTP_TIMEOUT", "200ms")).Segmentation(ctx, f.queries)
	if !strings.Contains(fmt.Sprint(err), "per-call timeout of 200ms (set by MP_HTTP_TIMEOUT)") {
		t.Fatalf("Segmentation with http_timeout and MP_HTTP_TIMEOUT = %v", err)
	}
}
