package browser

import (
	"os/exec"
	"strings"
	"sync"

	clibrowser "github.com/cli/browser"

	"github.com/mpdata/mp/domain"
)

// Browser opens URLs, with an MP_BROWSER-style command or the system
// browser. It is safe for concurrent use.
type Browser struct {
	argv []string // the command and its arguments; nil: the system browser
	// raw is the command as given, for error messages.
	raw string
}

// New returns a Browser that runs command (split on spaces, no shell, the
// URL appended as the last argument), or that opens the system browser
// when command is empty or only spaces.
func New(command string) *Browser {
	return &Browser{argv: strings.Fields(command), raw: strings.TrimSpace(command)}
}

// Command returns the command and arguments Open runs before the URL; nil
// means the system browser.
func (b *Browser) Command() []string {
	if len(b.argv) == 0 {
		return nil
	}
	return append([]string(nil), b.argv...)
}

// Open starts the browser on url. It returns once the command has started
// (an MP_BROWSER command) or once the system opener has handed the URL over
// (the system browser); failures are OAUTH_BROWSER_ERROR.
func (b *Browser) Open(url string) error {
	if len(b.argv) == 0 {
		return openSystem(url)
	}
	args := append(append([]string(nil), b.argv[1:]...), url)
	cmd := exec.Command(b.argv[0], args...)
	// Stdin, Stdout and Stderr stay nil: the null device.
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return domain.NewError(domain.CodeOAuthBrowserError, "cannot start the browser command %q (MP_BROWSER)", b.raw).
			WithDetail("command", b.raw).
			WithHint("set MP_BROWSER to a program that opens a URL given as its last argument, or unset it to use the system browser").
			WithCause(err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// systemMu serialises the use of github.com/cli/browser, whose output
// writers are package variables.
var systemMu sync.Mutex

// openSystem opens url with github.com/cli/browser, its opener's output on
// the null device: a nil writer makes os/exec use the null device rather
// than a pipe, so a browser that the opener leaves running holds neither
// mp's stdout nor a pipe Open would wait on.
func openSystem(url string) error {
	systemMu.Lock()
	defer systemMu.Unlock()
	clibrowser.Stdout, clibrowser.Stderr = nil, nil
	if err := clibrowser.OpenURL(url); err != nil {
		return domain.NewError(domain.CodeOAuthBrowserError, "cannot open the system browser").
			WithHint("open the URL yourself, or set MP_BROWSER to a command that opens it").
			WithCause(err)
	}
	return nil
}
