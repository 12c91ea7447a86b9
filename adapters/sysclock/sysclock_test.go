package sysclock_test

import (
	"testing"
	"time"

	"github.com/mpdata/mp/adapters/sysclock"
)

func TestNowIsTheSystemTime(t *testing.T) {
	before := time.Now()
	got := sysclock.Clock{}.Now()
	after := time.Now()
	if got.Before(before) || got.After(after) {
		t.Fatalf("Now() = %v, want between %v and %v", got, before, after)
	}
}
