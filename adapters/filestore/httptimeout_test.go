package filestore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
)

// [settings] http_timeout is read into Settings.HTTPTimeout in each
// accepted form; a bad value is CONFIG_ERROR naming the file, the line and
// the key (never echoing the value).
func TestConfigHTTPTimeout(t *testing.T) {
	tests := []struct {
		name, value string
		want        time.Duration
		wantErr     string // a part of the message; empty: no error
	}{
		{"duration", `"90s"`, 90 * time.Second, ""},
		{"minutes", `"2m"`, 2 * time.Minute, ""},
		{"compound", `"1m30s"`, 90 * time.Second, ""},
		{"seconds string", `"45"`, 45 * time.Second, ""},
		{"decimal seconds string", `" 2.5 "`, 2500 * time.Millisecond, ""},
		{"bare integer", `120`, 2 * time.Minute, ""},
		{"bare float", `0.5`, 500 * time.Millisecond, ""},
		{"zero", `"0s"`, 0, "greater than zero"},
		{"zero integer", `0`, 0, "greater than zero"},
		{"negative", `"-5s"`, 0, "greater than zero"},
		{"garbage", `"soon-s3cret"`, 0, "neither a duration nor a number of seconds"},
		{"empty", `""`, 0, "is empty"},
		{"boolean", `true`, 0, "must be a string or a number of seconds, not a boolean"},
		{"table", `{ s = 1 }`, 0, "not a table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.write(t, "[settings]\npython_only = 1\nhttp_timeout = "+tt.value+"\n")
			cfg, err := filestore.NewConfigStore(e.path, e.home).Load(context.Background())
			if tt.wantErr != "" {
				assertError(t, err, domain.CodeConfigError, tt.wantErr)
				var de *domain.Error
				if !errors.As(err, &de) || !strings.Contains(de.Message, e.path) || !strings.Contains(de.Message, "line 3") ||
					!strings.Contains(de.Message, "http_timeout") || strings.Contains(de.Error(), "s3cret") ||
					!strings.Contains(de.Hint, `http_timeout = "90s"`) {
					t.Fatalf("error = %v (hint %q)", err, de.Hint)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Settings().HTTPTimeout; got != tt.want {
				t.Fatalf("HTTPTimeout = %v, want %v", got, tt.want)
			}
		})
	}
}

// A rewrite keeps http_timeout as the user wrote it.
func TestConfigHTTPTimeoutPreserved(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	e.write(t, "[settings]\nhttp_timeout = \"90s\"\n")
	if err := e.store().Update(ctx, func(c *domain.Config) error {
		return c.SetSecretBackend(domain.SecretBackendFile)
	}); err != nil {
		t.Fatal(err)
	}
	out := string(e.read(t))
	if strings.Count(out, "http_timeout = \"90s\"") != 1 || !strings.Contains(out, "secret_backend = \"file\"") {
		t.Fatalf("rewritten config:\n%s", out)
	}
	cfg, err := e.store().Load(ctx)
	if err != nil || cfg.Settings().HTTPTimeout != 90*time.Second {
		t.Fatalf("reloaded: %v, %v", cfg.Settings().HTTPTimeout, err)
	}
}
