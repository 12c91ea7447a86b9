package iostreams

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/mpdata/mp/ports"
)

// ShowAfter is how long a call to Mixpanel runs before the spinner shows:
// quick answers never flash one.
const ShowAfter = 200 * time.Millisecond

// Progress returns what the run puts in its context (ports.WithProgress)
// so that a person waiting sees what is going on: once a call to Mixpanel
// has run for ShowAfter, a spinner on stderr saying what is being fetched;
// before each retry, a line saying why and when ("Mixpanel answered 503;
// retrying in 2s (attempt 2 of 4)"), the spinner going on below it.
// Nothing is written unless stderr is a terminal, quiet mode is off and
// active reports true at the time (the run's output format is known only
// once its flags are read: JSON output shows none of it).
func (s *IOStreams) Progress(active func() bool) *ports.Progress {
	w := &waiting{io: s, active: active}
	return &ports.Progress{CallStart: w.start, CallDone: w.done, Retry: w.retry}
}

// waiting is the state behind Progress: at most one spinner at a time.
type waiting struct {
	io     *IOStreams
	active func() bool

	mu    sync.Mutex
	calls int         // calls under way
	timer *time.Timer // shows the spinner after ShowAfter
	stop  func()      // stops the spinner on screen; nil when none
	msg   string      // what the spinner says
}

func (w *waiting) enabled() bool {
	return w.io.errTTY && !w.io.quiet && (w.active == nil || w.active())
}

func (w *waiting) start(c ports.CallInfo) {
	if !w.enabled() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls++
	w.msg = describeCall(c)
	if w.stop != nil || w.timer != nil {
		return
	}
	w.timer = time.AfterFunc(ShowAfter, func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.timer == nil || w.calls == 0 {
			return
		}
		w.timer = nil
		w.stop = w.io.StartSpinner(w.msg)
	})
}

func (w *waiting) done(ports.CallInfo) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.calls == 0 {
		return
	}
	w.calls--
	if w.calls > 0 {
		return
	}
	w.hideLocked()
}

// hideLocked cancels a pending spinner and erases a shown one.
func (w *waiting) hideLocked() {
	if w.timer != nil {
		w.timer.Stop()
		w.timer = nil
	}
	if w.stop != nil {
		w.stop()
		w.stop = nil
	}
}

func (w *waiting) retry(r ports.RetryInfo) {
	if !w.enabled() {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hideLocked()
	_, _ = io.WriteString(w.io.ErrOut, fitWidth(describeRetry(r), w.io.width())+"\n")
	if w.calls > 0 {
		w.stop = w.io.StartSpinner(w.msg)
	}
}

// describeCall says what a call fetches, for the spinner.
func describeCall(c ports.CallInfo) string {
	as := ""
	if c.Account != "" {
		as = " (account " + string(c.Account) + ")"
	}
	switch {
	case c.Path == "/api/app/me" && c.Account != "":
		return "Fetching the projects account " + string(c.Account) + " can see…"
	case c.Path == "/api/app/me":
		return "Fetching the projects this account can see…"
	case strings.HasPrefix(c.Path, "/api/app/projects/") && strings.HasSuffix(c.Path, "/workspaces/public"):
		return fmt.Sprintf("Fetching the workspaces of project %s%s…", c.Project, as)
	case c.Path == "/api/query/segmentation":
		return fmt.Sprintf("Running the segmentation query on project %s%s…", c.Project, as)
	case c.Path == "/api/query/events/names":
		return fmt.Sprintf("Fetching the event names of project %s%s…", c.Project, as)
	default:
		return fmt.Sprintf("Waiting for Mixpanel: %s %s%s…", c.Method, c.Path, as)
	}
}

// describeRetry is the line printed before a retry.
func describeRetry(r ports.RetryInfo) string {
	why := "Mixpanel could not be reached (" + r.Reason + ")"
	if r.Status != 0 {
		why = fmt.Sprintf("Mixpanel answered %d", r.Status)
	}
	return fmt.Sprintf("%s; retrying in %s (attempt %d of %d)", why, roundWait(r.Wait), r.Attempt, r.MaxAttempts)
}

// roundWait shows a wait the way a person reads it: 1.2s, 2s, 500ms.
func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

// fitWidth cuts s to width columns (runes; an ellipsis marks the cut).
// A width ≤ 0 means unknown: s is kept whole.
func fitWidth(s string, width int) string {
	if width <= 0 {
		return s
	}
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	if width == 1 {
		return "…"
	}
	return string(r[:width-1]) + "…"
}
