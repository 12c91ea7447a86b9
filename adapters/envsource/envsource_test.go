package envsource_test

import (
	"testing"

	"github.com/mpdata/mp/adapters/envsource"
	"github.com/mpdata/mp/ports"
)

func TestLookupEnv(t *testing.T) {
	t.Setenv("MP_ENVSOURCE_SET", "value")
	t.Setenv("MP_ENVSOURCE_EMPTY", "")
	tests := []struct {
		key    string
		want   string
		wantOK bool
	}{
		{"MP_ENVSOURCE_SET", "value", true},
		{"MP_ENVSOURCE_EMPTY", "", true},
		{"MP_ENVSOURCE_UNSET_FOR_SURE", "", false},
	}
	var env ports.Env = envsource.OS{}
	for _, tt := range tests {
		got, ok := env.LookupEnv(tt.key)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("LookupEnv(%q) = %q, %t; want %q, %t", tt.key, got, ok, tt.want, tt.wantOK)
		}
	}
	snap := ports.EnvSnapshot(env, "MP_ENVSOURCE_SET", "MP_ENVSOURCE_UNSET_FOR_SURE")
	if len(snap) != 1 || snap["MP_ENVSOURCE_SET"] != "value" {
		t.Errorf("EnvSnapshot = %v, want only MP_ENVSOURCE_SET", snap)
	}
}
