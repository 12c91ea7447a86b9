package oauthflow

import (
	"context"
	"crypto/subtle"
	"errors"
	"html"
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
	handler   *callbackHandler
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
	c.handler = &callbackHandler{state: state, port: c.port, won: won, log: logger}
	c.srv = &http.Server{
		Handler:           c.handler,
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
	port  int // the callback port, the only one a Host header may name
	won   *race
	log   *zap.Logger
	done  atomic.Bool
	// ignored counts callbacks refused for their state (missing or wrong),
	// named by the timeout error.
	ignored atomic.Int64
}

// ServeHTTP implements http.Handler: only GET /callback on a loopback Host
// with this login's state can end the login. Anything else — another Host
// (DNS rebinding), another path or method, a missing or wrong state, which
// any local process or web page can send — is answered and ignored: the
// login keeps waiting for the real callback.
func (h *callbackHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !loopbackHost(r.Host, h.port) {
		h.log.Debug("oauth: ignoring a request for another host", zap.String("host", clipText(r.Host, 64)))
		writePage(w, http.StatusMisdirectedRequest, page{Title: "Wrong address", Text: "This mp login only answers at localhost, 127.0.0.1 or [::1]."})
		return
	}
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
	if !sameState(q.Get("state"), h.state) {
		// Never ends the login: only the browser that was sent to the
		// authorize URL knows the state.
		h.ignored.Add(1)
		h.log.Debug("oauth: callback with a missing or wrong state; still waiting")
		writePage(w, http.StatusBadRequest, page{
			Title: "Not this login's callback",
			Text:  "This address does not carry the state of the login mp started, so it was ignored. mp is still waiting: finish the login in the browser tab mp opened.",
		})
		return
	}
	if e := q.Get("error"); e != "" {
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
	if code == "" {
		h.log.Debug("oauth: callback without a code; still waiting")
		writePage(w, http.StatusBadRequest, page{
			Title: "Incomplete login callback",
			Text:  "This address lacks the code Mixpanel sends back, so it cannot finish the login. mp is still waiting: go back to the Mixpanel page and approve access again.",
		})
		return
	}
	h.done.Store(true)
	writePage(w, http.StatusOK, page{Title: "mp is logged in", Text: "Login complete. You can close this tab and return to the terminal."})
	h.won.deliver(outcome{code: code})
}

// loopbackHost reports whether a Host header names the callback itself:
// 127.0.0.1, [::1] or localhost (any case) with the callback port. A page
// of another site whose name was re-pointed at 127.0.0.1 (DNS rebinding)
// sends its own name and is refused.
func loopbackHost(host string, port int) bool {
	name, p, err := net.SplitHostPort(host)
	if err != nil || p != strconv.Itoa(port) {
		return false
	}
	switch strings.ToLower(name) {
	case "127.0.0.1", "::1", "localhost":
		return true
	}
	return false
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

// pageHTML renders p; every field is escaped (html.EscapeString) and
// lands in element text only. A plain function rather than html/template:
// that package and its init would be linked into every mp command for
// these few lines.
func pageHTML(p page) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>")
	b.WriteString(html.EscapeString(p.Title))
	b.WriteString(" — mp</title>\n<style>body{font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;line-height:1.5}code{word-break:break-all}</style></head>\n<body>\n<h1>")
	b.WriteString(html.EscapeString(p.Title))
	b.WriteString("</h1>\n<p>")
	b.WriteString(html.EscapeString(p.Text))
	b.WriteString("</p>\n")
	if p.Detail != "" {
		b.WriteString("<p>Mixpanel said: <code>")
		b.WriteString(html.EscapeString(p.Detail))
		b.WriteString("</code></p>")
	}
	b.WriteString("\n</body>\n</html>\n")
	return b.String()
}

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
	_, _ = io.WriteString(w, pageHTML(p))
}
