package mixpanelhttp_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"

	"github.com/mpdata/mp/adapters/mixpanelhttp"
	"github.com/mpdata/mp/mptest"
	"github.com/mpdata/mp/ports"
)

// progressLog records what a ports.Progress in the context is told.
type progressLog struct {
	mu     sync.Mutex
	events []string
}

func (l *progressLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, fmt.Sprintf(format, args...))
}

func (l *progressLog) ctx() context.Context {
	return ports.WithProgress(context.Background(), &ports.Progress{
		CallStart: func(c ports.CallInfo) { l.add("start %s %s as %s", c.Method, c.Path, c.Account) },
		CallDone:  func(c ports.CallInfo) { l.add("done %s", c.Path) },
		Retry: func(r ports.RetryInfo) {
			l.add("retry %s: %s (status %d), attempt %d of %d in %s", r.Call.Path, r.Reason, r.Status, r.Attempt, r.MaxAttempts, r.Wait)
		},
	})
}

// TestProgressSeesCallsAndRetries: a Progress in the context is told when
// a call starts and ends and, before each wait, which attempt comes next,
// why and after how long — for answers (503) and for refused connections.
func TestProgressSeesCallsAndRetries(t *testing.T) {
	h := newHarness(t, nil)
	h.srv.Inject(mptest.RouteMe, mptest.ServerError(503), mptest.ServerError(503))
	var log progressLog
	if _, err := h.client.Me(log.ctx(), usScope()); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"start GET /api/app/me as demo",
		"retry /api/app/me: HTTP 503 (status 503), attempt 2 of 4 in 500ms",
		"retry /api/app/me: HTTP 503 (status 503), attempt 3 of 4 in 1s",
		"done /api/app/me",
	}
	if !slices.Equal(log.events, want) {
		t.Fatalf("progress events:\n%q\nwant\n%q", log.events, want)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c := mixpanelhttp.New(mixpanelhttp.Options{BaseURL: "http://" + addr, Sleep: (&sleeps{}).sleep, Rand: func() float64 { return 0.5 }})
	var refused progressLog
	if _, err := c.Me(refused.ctx(), usScope()); err == nil {
		t.Fatal("Me against a closed port succeeded")
	}
	want = []string{
		"start GET /api/app/me as demo",
		"retry /api/app/me: connection refused (status 0), attempt 2 of 4 in 500ms",
		"retry /api/app/me: connection refused (status 0), attempt 3 of 4 in 1s",
		"retry /api/app/me: connection refused (status 0), attempt 4 of 4 in 2s",
		"done /api/app/me",
	}
	if !slices.Equal(refused.events, want) {
		t.Fatalf("progress events:\n%q\nwant\n%q", refused.events, want)
	}
}
