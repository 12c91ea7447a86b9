package oauthflow

import (
	"bufio"
	"io"
	"net/url"
	"strings"

	"github.com/mpdata/mp/domain"
)

// maxPasteLine is the longest pasted line read.
const maxPasteLine = 64 << 10

// pasted is what one pasted line holds: a code and a state, or an OAuth
// error.
type pasted struct {
	code, state         string
	errCode, errDetails string
}

// parsePaste reads a pasted redirect URL
// (http://localhost:PORT/callback?code=…&state=…), its path and query
// (/callback?code=…), or its query alone (code=…&state=…, with or without
// a leading "?"), optionally in quotes or angle brackets. A redirect with
// error=… parses as an OAuth error. ok is false when the line holds
// neither a code and a state nor an error.
func parsePaste(line string) (p pasted, ok bool) {
	s := strings.TrimSpace(line)
	for len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'' || s[0] == '<' && s[len(s)-1] == '>') {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return pasted{}, false
	}
	query := s
	switch {
	case strings.Contains(s, "://"):
		u, err := url.Parse(s)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" {
			return pasted{}, false
		}
		query = u.RawQuery
	case strings.Contains(s, "?"):
		query = s[strings.Index(s, "?")+1:]
	}
	if i := strings.IndexByte(query, '#'); i >= 0 {
		query = query[:i]
	}
	vals, err := url.ParseQuery(query)
	if err != nil {
		return pasted{}, false
	}
	p = pasted{code: vals.Get("code"), state: vals.Get("state")}
	if e := vals.Get("error"); e != "" {
		p.errCode, p.errDetails = e, vals.Get("error_description")
		return p, true
	}
	if p.code == "" || p.state == "" {
		return pasted{}, false
	}
	return p, true
}

// readPaste reads lines from r until one holds the redirect: a code with
// this login's state wins the race; an error= line ends the login denied;
// a line with another state ends it with OAUTH_STATE_MISMATCH. Other
// non-empty lines are skipped silently; if r ends after such lines and
// nothing else has won, the login ends with OAUTH_PASTE_ERROR. An r that
// ends without any line leaves the callback to finish the login. Once the
// race is over (the callback won) it stops at the next line it reads, so
// it consumes at most that one line of input meant for someone else (a
// Read in progress cannot be interrupted). Nothing pasted is ever quoted
// in an error.
func readPaste(r io.Reader, state string, won *race) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxPasteLine)
	bad := 0
	for sc.Scan() {
		if won.over() {
			return
		}
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		p, ok := parsePaste(line)
		switch {
		case !ok:
			bad++
			continue
		case p.errCode != "" && (p.state == "" || sameState(p.state, state)):
			won.deliver(outcome{err: denied(p.errCode, p.errDetails)})
		case !sameState(p.state, state):
			won.deliver(outcome{err: stateMismatch("pasted redirect")})
		default:
			won.deliver(outcome{code: p.code})
		}
		return
	}
	if sc.Err() != nil {
		bad++
	}
	if bad > 0 {
		won.deliver(outcome{err: domain.NewError(domain.CodeOAuthPasteError,
			"the pasted text holds no login redirect (%d unusable line(s) before the input ended)", bad).
			WithDetail("lines", bad).
			WithHint("paste the whole address the browser landed on after you approved access (http://localhost:PORT/callback?code=…&state=…), or its code=…&state=… part, then press Enter")})
	}
}
