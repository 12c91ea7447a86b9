package wiring_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/ports/inmem"
)

// MP_HTTP_TIMEOUT (blank counts as unset) beats [settings] http_timeout,
// which beats none; an
// invalid MP_HTTP_TIMEOUT is never replaced by a default: Build refuses it
// with a CONFIG_ERROR naming the variable, the value and the accepted
// forms. A config that cannot be read gives no timeout (the use cases
// report the config).
func TestResolveRequestTimeout(t *testing.T) {
	tests := []struct {
		name     string
		env      inmem.Env
		config   string // [settings] body; "-" for no config file
		want     time.Duration
		source   string // "config" stands for the config's source text
		buildErr string
	}{
		{"none", inmem.Env{}, "-", 0, "", ""},
		{"none in the config", inmem.Env{}, `secret_backend = "file"`, 0, "", ""},
		{"config", inmem.Env{}, `http_timeout = "90s"`, 90 * time.Second, "config", ""},
		{"config seconds", inmem.Env{}, `http_timeout = 45`, 45 * time.Second, "config", ""},
		{"env", inmem.Env{"MP_HTTP_TIMEOUT": "2m"}, "-", 2 * time.Minute, "MP_HTTP_TIMEOUT", ""},
		{"env seconds", inmem.Env{"MP_HTTP_TIMEOUT": " 90 "}, "-", 90 * time.Second, "MP_HTTP_TIMEOUT", ""},
		{"env beats config", inmem.Env{"MP_HTTP_TIMEOUT": "5s"}, `http_timeout = "90s"`, 5 * time.Second, "MP_HTTP_TIMEOUT", ""},
		{"invalid env beats config", inmem.Env{"MP_HTTP_TIMEOUT": "soon"}, `http_timeout = "90s"`, 0, "", `MP_HTTP_TIMEOUT="soon" is neither`},
		{"zero env", inmem.Env{"MP_HTTP_TIMEOUT": "0"}, "-", 0, "", `MP_HTTP_TIMEOUT="0" must be greater than zero`},
		{"negative env", inmem.Env{"MP_HTTP_TIMEOUT": "-1s"}, "-", 0, "", "greater than zero"},
		{"empty env is unset", inmem.Env{"MP_HTTP_TIMEOUT": " "}, `http_timeout = "90s"`, 90 * time.Second, "config", ""},
		{"broken config", inmem.Env{}, `http_timeout = "never"`, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := t.TempDir()
			cfgPath := filepath.Join(home, ".mp", "config.toml")
			if tt.config != "-" {
				if err := os.MkdirAll(filepath.Dir(cfgPath), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(cfgPath, []byte("[settings]\n"+tt.config+"\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			s := wiring.Resolve(tt.env, home)
			if direct := wiring.ResolveAt(tt.env, home, s.ConfigPath, s.StorageDir).RequestTimeout; direct.Limit != s.RequestTimeout.Limit ||
				direct.Source != s.RequestTimeout.Source || (direct.Err == nil) != (s.RequestTimeout.Err == nil) {
				t.Errorf("ResolveAt gave %+v, Resolve gave %+v", direct, s.RequestTimeout)
			}
			source := tt.source
			if source == "config" {
				source = "[settings] http_timeout in " + cfgPath
			}
			if s.RequestTimeout.Limit != tt.want || s.RequestTimeout.Source != source {
				t.Fatalf("RequestTimeout = %+v, want %v from %q", s.RequestTimeout, tt.want, source)
			}
			s.UserAgent, s.Log = wiring.NewUserAgent("test", "lib"), zap.NewNop()
			_, err := wiring.Build(s)
			if tt.buildErr == "" {
				if err != nil {
					t.Fatalf("Build: %v", err)
				}
				return
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.CodeConfigError || !strings.Contains(de.Message, tt.buildErr) ||
				!strings.Contains(de.Hint, "MP_HTTP_TIMEOUT") || !strings.Contains(de.Hint, `"90s"`) || de.Details["variable"] != "MP_HTTP_TIMEOUT" {
				t.Fatalf("Build = %v (hint %q, details %v), want CONFIG_ERROR with %q", err, de.Hint, de.Details, tt.buildErr)
			}

			// A library option replaces the whole value, error included.
			s.RequestTimeout = wiring.RequestTimeout{Limit: time.Second, Source: "mp.WithRequestTimeout"}
			if _, err := wiring.Build(s); err != nil {
				t.Fatalf("Build with the option: %v", err)
			}
		})
	}
}
