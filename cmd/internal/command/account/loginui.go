package account

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// flagNoBrowser is the --no-browser flag of `mp login` and `mp account
// login`.
const flagNoBrowser = "no-browser"

// noBrowserUsage is the help text of --no-browser.
const noBrowserUsage = "do not open a browser: print the login URL and accept the redirect URL pasted on stdin (the callback still works)"

// loginUI prints the progress of a browser login on stderr: the authorize
// URL when the user has to open it (no browser opened, --no-browser, or a
// headless session), a spinner while waiting (stderr on a terminal only),
// and, with --no-browser, the paste prompt. It is safe for the calls the
// OAuth flow makes from its own goroutines.
type loginUI struct {
	io        *iostreams.IOStreams
	noBrowser bool

	mu   sync.Mutex
	stop func()
	over bool // the login call returned or got its code: no more notes
}

// stdinClosed notes, once the paste reader saw stdin end without anything
// pasted, that the login now waits for the browser callback alone (it
// would otherwise wait its full timeout in silence: `mp login
// --no-browser </dev/null`).
func (u *loginUI) stdinClosed() {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.over {
		return
	}
	u.io.Notef("stdin closed: waiting for the browser callback only (Ctrl-C to cancel)")
}

// pasteReader is stdin as the paste source of a --no-browser login: it
// tells ui when stdin ends before anything but blank space was read (the
// paste reader then leaves the login to the callback; text that is not a
// redirect ends the login with its own error instead).
type pasteReader struct {
	r      io.Reader
	ui     *loginUI
	text   bool // something other than blank space was read
	closed bool
}

// Read implements io.Reader.
func (p *pasteReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if !p.text && len(strings.TrimSpace(string(b[:n]))) > 0 {
		p.text = true
	}
	if err != nil && !p.closed {
		p.closed = true
		if !p.text {
			p.ui.stdinClosed()
		}
	}
	return n, err
}

// notify is the LoginOptions.Notify callback.
func (u *loginUI) notify(ev ports.LoginEvent) {
	u.mu.Lock()
	defer u.mu.Unlock()
	switch ev.Kind {
	case ports.LoginURL:
		u.printURL(ev)
	case ports.LoginWaiting:
		if u.stop == nil && !u.noBrowser { // no spinner over a paste prompt
			u.stop = u.io.StartSpinner("Waiting for the login in the browser (Ctrl-C to cancel)…")
		}
	case ports.LoginCode:
		u.over = true
		u.stopSpinner()
	}
}

// printURL tells the user what to do with the authorize URL. The URL is
// written even with --quiet: without it the login cannot be completed.
func (u *loginUI) printURL(ev ports.LoginEvent) {
	w := u.io.ErrOut
	switch {
	case u.noBrowser:
		fmt.Fprintf(w, "Open this URL in a browser and log in:\n\n  %s\n\n", ev.URL)
		fmt.Fprintln(w, "Then paste the redirect URL here (the address the browser ends on, starting with http://localhost:) and press Enter:")
		return
	case !ev.BrowserOpened:
		if ev.BrowserError != "" {
			fmt.Fprintf(w, "Could not open a browser: %s\n", ev.BrowserError)
		}
		fmt.Fprintf(w, "Open this URL in a browser and log in:\n\n  %s\n\n", ev.URL)
	case ev.Headless:
		fmt.Fprintf(w, "Started a browser, but this session looks headless. If no browser window appeared, open this URL:\n\n  %s\n\n", ev.URL)
	default:
		u.io.Notef("Opened the browser to log in to Mixpanel.")
	}
}

func (u *loginUI) stopSpinner() {
	if u.stop != nil {
		u.stop()
		u.stop = nil
	}
}

// done stops the spinner, if any, once the login call has returned.
func (u *loginUI) done() {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.over = true
	u.stopSpinner()
}

// loginOptions returns the app's LoginOptions for a login run over ios:
// the progress callback, stdin as the paste source with --no-browser
// (noting on stderr when it ends with nothing pasted), and
// the project picker (interactive only, and only when pick is set).
func loginOptions(ctx context.Context, ios *iostreams.IOStreams, ui *loginUI, noBrowser, pick bool) app.LoginOptions {
	o := app.LoginOptions{NoBrowser: noBrowser, Notify: ui.notify}
	if noBrowser {
		o.Paste = &pasteReader{r: ios.In, ui: ui}
	}
	if pick && ios.IsStdinTTY() && ios.IsStderrTTY() {
		o.PickProject = projectPicker(ctx, ios)
	}
	return o
}

// maxPickAttempts is how many answers the project picker accepts before it
// gives up.
const maxPickAttempts = 3

// projectPicker returns the interactive project choice of `mp login`: a
// numbered list on stderr and a prompt reading the number from stdin.
func projectPicker(ctx context.Context, ios *iostreams.IOStreams) func([]domain.Project) (domain.ProjectID, error) {
	return func(projects []domain.Project) (domain.ProjectID, error) {
		w := ios.ErrOut
		fmt.Fprintf(w, "This account can see %d projects:\n", len(projects))
		width := len(strconv.Itoa(len(projects)))
		for i, p := range projects {
			region := ""
			if r, ok := p.Region(); ok {
				region = " (" + string(r) + ")"
			}
			fmt.Fprintf(w, "  %*d) %s  %s%s\n", width, i+1, p.ID, p.Name, region)
		}
		for attempt := 0; attempt < maxPickAttempts; attempt++ {
			line, err := ios.ReadLine(ctx, fmt.Sprintf("Choose the default project [1-%d]: ", len(projects)))
			if ctx.Err() != nil {
				return "", ctx.Err()
			}
			line = strings.TrimSpace(line)
			if n, convErr := strconv.Atoi(line); convErr == nil && n >= 1 && n <= len(projects) {
				return projects[n-1].ID, nil
			}
			if err != nil { // end of input: nobody to ask again
				break
			}
			fmt.Fprintf(w, "%q is not a number between 1 and %d.\n", line, len(projects))
		}
		return "", command.Usagef("pass --project ID with one of the listed ids",
			"no project was chosen")
	}
}

// loginColumns are the fields of a LoginResult, flattened for csv, plain
// and record tables.
func loginColumns() []render.Column[app.LoginResult] {
	type col = render.Column[app.LoginResult]
	return []col{
		{Title: "ACCOUNT", Key: "account", Value: func(r app.LoginResult) string { return r.Account }},
		{Title: "TYPE", Key: "type", Value: func(r app.LoginResult) string { return r.Type }},
		{Title: "REGION", Key: "region", Value: func(r app.LoginResult) string { return r.Region }},
		{Title: "USER ID", Key: "user_id", Value: func(r app.LoginResult) string { return strconv.FormatInt(r.User.ID, 10) }},
		{Title: "EMAIL", Key: "user_email", Value: func(r app.LoginResult) string { return r.User.Email }},
		{Title: "PROJECT", Key: "project_id", Value: func(r app.LoginResult) string {
			if r.Project == nil {
				return ""
			}
			return r.Project.ID
		}},
		{Title: "PROJECT NAME", Key: "project_name", Value: func(r app.LoginResult) string {
			if r.Project == nil {
				return ""
			}
			return r.Project.Name
		}},
		{Title: "EXPIRES AT", Key: "expires_at", Value: func(r app.LoginResult) string { return render.Optional(r.ExpiresAt) }},
		{Title: "CREATED", Key: "created", Value: func(r app.LoginResult) string { return render.Bool(r.Created) }},
		{Title: "ACTIVE", Key: "active", Value: func(r app.LoginResult) string { return render.Bool(r.Active) }},
	}
}

// loginMessage is the one line a successful login prints:
// "Logged in as <email> → <account> · <project name>".
func loginMessage(r app.LoginResult) string {
	who := r.User.Email
	if who == "" {
		who = "user " + strconv.FormatInt(r.User.ID, 10)
	}
	msg := fmt.Sprintf("Logged in as %s → %s", who, r.Account)
	if r.Project != nil {
		name := r.Project.Name
		if name == "" {
			name = r.Project.ID
		}
		return msg + " · " + name
	}
	return msg + " · no default project"
}

// writeLogin reports a successful login: the one line in table format,
// the LoginResult in the others.
func writeLogin(w io.Writer, f render.Format, r app.LoginResult) error {
	return render.Outcome(w, f, loginMessage(r), r, loginColumns())
}
