package oauthflow

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	"unicode"

	"go.uber.org/zap"

	"github.com/mpdata/mp/domain"
)

// shutdownGrace is how long closing the callback server waits for a page
// still being sent.
const shutdownGrace = 2 * time.Second

// callback is the loopback server that receives the redirect.
type callback struct {
	port      int
	listeners []net.Listener
	srv       *http.Server
}

// listen binds the first free port of f.ports on 127.0.0.1, and [::1] on
// the same port when the host has IPv6 loopback. A port whose [::1] side
// is taken by another program is skipped: a browser resolving localhost to
// ::1 would reach that program.
func (f *Flow) listen() (*callback, error) {
	var lastErr error
	for _, p := range f.ports {
		l4, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			lastErr = err
			f.log.Debug("oauth: callback port unavailable", zap.Int("port", p), zap.Error(err))
			continue
		}
		port := l4.Addr().(*net.TCPAddr).Port
		cb := &callback{port: port, listeners: []net.Listener{l4}}
		l6, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(port)))
		switch {
		case err == nil:
			cb.listeners = append(cb.listeners, l6)
		case errors.Is(err, syscall.EADDRINUSE):
			_ = l4.Close()
			lastErr = err
			f.log.Debug("oauth: callback port taken on [::1]", zap.Int("port", port))
			continue
		default:
			f.log.Debug("oauth: no IPv6 loopback; listening on 127.0.0.1 only", zap.Int("port", port), zap.Error(err))
		}
		return cb, nil
	}
	list := make([]string, len(f.ports))
	for i, p := range f.ports {
		list[i] = strconv.Itoa(p)
	}
	e := domain.NewError(domain.CodeOAuthPortError, "no free port for the login callback: 127.0.0.1 ports %s are all in use", strings.Join(list, ", ")).
		WithDetail("ports", list).
		WithHint("another mp login may be running: finish or stop it (or stop what listens on those ports) and try again")
	if lastErr != nil {
		e = e.WithCause(lastErr)
	}
	return nil, e
}

// redirectURI is the redirect URI of the bound port.
func (c *callback) redirectURI() string {
	return "http://localhost:" + strconv.Itoa(c.port) + "/callback"
}

// serve starts answering on every listener; outcomes go to won.
func (c *callback) serve(state string, won *race, logger *zap.Logger) {
	c.srv = &http.Server{
		Handler:           &callbackHandler{state: state, won: won, log: logger},
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
	for _, l := range c.listeners {
		go func() { _ = c.srv.Serve(l) }()
	}
}

// close stops the server, letting a page being sent finish, and releases
// the ports.
func (c *callback) close() {
	if c.srv == nil {
		for _, l := range c.listeners {
			_ = l.Close()
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := c.srv.Shutdown(ctx); err != nil {
		_ = c.srv.Close()
	}
}

// callbackHandler answers the loopback requests.
type callbackHandler struct {
	state string
	won   *race
	log   *zap.Logger
	done  atomic.Bool
}

// ServeHTTP implements http.Handler: only GET /callback can end the login.
func (h *callbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/callback" {
		h.log.Debug("oauth: ignoring a request to another path", zap.String("path", clipText(r.URL.Path, 64)))
		writePage(w, http.StatusNotFound, page{Title: "Not found", Text: "This address belongs to an mp login in progress; only /callback is served."})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writePage(w, http.StatusMethodNotAllowed, page{Title: "Method not allowed", Text: "The login callback only accepts GET."})
		return
	}
	if h.done.Load() {
		writePage(w, http.StatusOK, page{Title: "Login already finished", Text: "This mp login has already finished. You can close this tab."})
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	if e := q.Get("error"); e != "" {
		if state != "" && !sameState(state, h.state) {
			h.finish(w, outcome{err: stateMismatch("callback")})
			return
		}
		err := denied(e, q.Get("error_description"))
		h.done.Store(true)
		writePage(w, http.StatusForbidden, page{
			Title:  "Login denied",
			Text:   "Mixpanel did not grant access, so mp is not logged in. You can close this tab and run the login again.",
			Detail: providerText(e, q.Get("error_description")),
		})
		h.won.deliver(outcome{err: err})
		return
	}
	code := q.Get("code")
	if code == "" || state == "" {
		h.log.Debug("oauth: callback without code or state; still waiting")
		writePage(w, http.StatusBadRequest, page{
			Title: "Incomplete login callback",
			Text:  "This address lacks the code or the state Mixpanel sends back, so it cannot finish the login. mp is still waiting: go back to the Mixpanel page and approve access again.",
		})
		return
	}
	if !sameState(state, h.state) {
		h.finish(w, outcome{err: stateMismatch("callback")})
		return
	}
	h.done.Store(true)
	writePage(w, http.StatusOK, page{Title: "mp is logged in", Text: "Login complete. You can close this tab and return to the terminal."})
	h.won.deliver(outcome{code: code})
}

// finish ends the login with a state mismatch, never echoing a state.
func (h *callbackHandler) finish(w http.ResponseWriter, o outcome) {
	h.done.Store(true)
	writePage(w, http.StatusBadRequest, page{
		Title: "Login stopped",
		Text:  "This callback does not belong to the login mp started (its state does not match), so mp stopped the login. Run the login again from the terminal.",
	})
	h.won.deliver(o)
}

// sameState compares states in constant time.
func sameState(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// stateMismatch is the error of a callback or paste whose state is not
// this login's. Neither state is quoted.
func stateMismatch(via string) error {
	return domain.NewError(domain.CodeOAuthStateMismatch, "the %s's state does not match the login mp started; the login was stopped", via).
		WithDetail("via", via).
		WithHint("run the login again and finish it in the browser tab it opens; if this repeats, something else is calling the callback address")
}

// denied is the error of an error= redirect, with the provider's text
// sanitised.
func denied(code, description string) error {
	return domain.NewError(domain.CodeOAuthAuthDenied, "Mixpanel denied the login: %s", providerText(code, description)).
		WithDetail("error", clipText(code, 64)).
		WithHint("run the login again and approve access in the browser")
}

// providerText renders an OAuth error code and description as safe text.
func providerText(code, description string) string {
	s := clipText(code, 64)
	if d := clipText(description, 200); d != "" {
		s += " (" + d + ")"
	}
	return s
}

// clipText replaces control and other non-printable characters (terminal
// escapes included) with '?' and cuts s at limit runes.
func clipText(s string, limit int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		if !unicode.IsPrint(r) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// page is what the browser shows.
type page struct {
	Title  string
	Text   string
	Detail string // provider text, escaped like everything else
}

// pageTemplate escapes every field (html/template).
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{.Title}} — mp</title>
<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.5}code{word-break:break-all}</style></head>
<body>
<h1>{{.Title}}</h1>
<p>{{.Text}}</p>
{{with .Detail}}<p>Mixpanel said: <code>{{.}}</code></p>{{end}}
</body>
</html>
`))

// writePage sends a page that neither caches nor leaks its address (which
// may carry the code) through a referrer.
func writePage(w http.ResponseWriter, status int, p page) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, p); err != nil {
		_, _ = fmt.Fprintln(w, "mp login")
	}
}
