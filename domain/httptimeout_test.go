package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/domain"
)

func TestParseHTTPTimeout(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{"90s", 90 * time.Second, ""},
		{"2m", 2 * time.Minute, ""},
		{"1m30s", 90 * time.Second, ""},
		{"1500ms", 1500 * time.Millisecond, ""},
		{"90", 90 * time.Second, ""},
		{" 90 \n", 90 * time.Second, ""},
		{"0.25", 250 * time.Millisecond, ""},
		{"+3", 3 * time.Second, ""},
		{"", 0, "is empty"},
		{"  ", 0, "is empty"},
		{"0", 0, "greater than zero"},
		{"0s", 0, "greater than zero"},
		{"-1", 0, "greater than zero"},
		{"-2m", 0, "greater than zero"},
		{"1e3", 0, "neither"},
		{"NaN", 0, "neither"},
		{"Inf", 0, "neither"},
		{"0x10", 0, "neither"},
		{"ninety", 0, "neither"},
		{"90 s", 0, "neither"},
		{"1.2.3", 0, "neither"},
		{"99999999999999999999", 0, "too large"},
		{"9999999999h", 0, "neither"},
	}
	for _, tt := range tests {
		got, err := domain.ParseHTTPTimeout(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseHTTPTimeout(%q) = %v, %v; want an error with %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseHTTPTimeout(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func FuzzParseHTTPTimeout(f *testing.F) {
	for _, s := range []string{"90s", "90", "2.5", "-1", "1e9", "", "1h2m3s4ms"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := domain.ParseHTTPTimeout(s)
		if err == nil && d <= 0 {
			t.Fatalf("ParseHTTPTimeout(%q) = %v without an error", s, d)
		}
		if err != nil && d != 0 {
			t.Fatalf("ParseHTTPTimeout(%q) = %v with error %v", s, d, err)
		}
	})
}
