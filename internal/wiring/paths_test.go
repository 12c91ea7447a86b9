package wiring_test

import (
	"testing"

	"github.com/mpdata/mp/internal/wiring"
	"github.com/mpdata/mp/ports/inmem"
)

func TestPaths(t *testing.T) {
	tests := []struct {
		name    string
		env     inmem.Env
		cfg     wiring.ConfigPath
		storage wiring.StorageDir
	}{
		{"defaults", inmem.Env{}, "/home/u/.mp/config.toml", "/home/u/.mp"},
		{"empty values are unset", inmem.Env{"MP_CONFIG_PATH": "", "MP_OAUTH_STORAGE_DIR": ""}, "/home/u/.mp/config.toml", "/home/u/.mp"},
		{"config override only", inmem.Env{"MP_CONFIG_PATH": "/etc/mp/c.toml"}, "/etc/mp/c.toml", "/home/u/.mp"},
		{"storage override only", inmem.Env{"MP_OAUTH_STORAGE_DIR": "/var/mp"}, "/home/u/.mp/config.toml", "/var/mp"},
		{"both", inmem.Env{"MP_CONFIG_PATH": "/a/c.toml", "MP_OAUTH_STORAGE_DIR": "/b"}, "/a/c.toml", "/b"},
		{"tilde expanded", inmem.Env{"MP_CONFIG_PATH": "~/x/c.toml", "MP_OAUTH_STORAGE_DIR": "~"}, "/home/u/x/c.toml", "/home/u"},
		{"cleaned", inmem.Env{"MP_CONFIG_PATH": "/a//b/../c.toml"}, "/a/c.toml", "/home/u/.mp"},
		{"relative kept relative", inmem.Env{"MP_CONFIG_PATH": "conf/c.toml"}, "conf/c.toml", "/home/u/.mp"},
		{"tilde user not expanded", inmem.Env{"MP_CONFIG_PATH": "~bob/c.toml"}, "~bob/c.toml", "/home/u/.mp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, storage := wiring.Paths(tt.env, "/home/u")
			if cfg != tt.cfg || storage != tt.storage {
				t.Fatalf("Paths = %q, %q; want %q, %q", cfg, storage, tt.cfg, tt.storage)
			}
		})
	}
}
