package secretexec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"
	"time"

	"github.com/mpdata/mp/adapters/internal/secreterr"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// DefaultTimeout bounds each command.
const DefaultTimeout = 10 * time.Second

// maxOutput is the most standard output a command may print (1 MiB).
const maxOutput = 1 << 20

// stderrLimit is how much of a failed command's standard error an error
// quotes.
const stderrLimit = 300

// Options configure a Store.
type Options struct {
	// Commands maps an account to the argv of its command.
	Commands map[domain.AccountName][]string
	// Default, when not empty, is the command of accounts without one.
	Default []string
	// Timeout bounds each command (DefaultTimeout when zero).
	Timeout time.Duration
	// Env, when not nil, is the environment of the commands ("KEY=value"
	// entries); nil inherits mp's.
	Env []string
}

// Store is a read-only ports.SecretStore over external commands.
type Store struct {
	o Options
}

var _ ports.SecretStore = (*Store)(nil)

// New returns a store configured by o (the maps and slices are copied).
func New(o Options) *Store {
	cmds := make(map[domain.AccountName][]string, len(o.Commands))
	for k, v := range o.Commands {
		cmds[k] = append([]string(nil), v...)
	}
	o.Commands = cmds
	o.Default = append([]string(nil), o.Default...)
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	return &Store{o: o}
}

// Has reports whether account has a command.
func (s *Store) Has(account domain.AccountName) bool {
	_, ok := s.command(ports.SecretKey{Account: account})
	return ok
}

// command returns the argv for key with the placeholders replaced.
func (s *Store) command(key ports.SecretKey) ([]string, bool) {
	argv, ok := s.o.Commands[key.Account]
	if !ok || len(argv) == 0 {
		argv = s.o.Default
	}
	if len(argv) == 0 {
		return nil, false
	}
	r := strings.NewReplacer("{account}", string(key.Account), "{kind}", string(key.Kind))
	out := make([]string, len(argv))
	for i, a := range argv {
		if i == 0 {
			out[i] = a
			continue
		}
		out[i] = r.Replace(a)
	}
	return out, true
}

// Get runs the account's command and returns its trimmed output.
func (s *Store) Get(ctx context.Context, key ports.SecretKey) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := ports.ValidateSecretKey(key); err != nil {
		return nil, err
	}
	argv, ok := s.command(key)
	if !ok {
		return nil, secreterr.Matching(domain.NewError(domain.CodeConfigError, "account '%s' has no secret command", key.Account).
			WithDetail("account", string(key.Account)), ports.ErrNotFound)
	}
	cctx, cancel := context.WithTimeout(ctx, s.o.Timeout)
	defer cancel()
	cmd := exec.CommandContext(cctx, argv[0], argv[1:]...)
	cmd.Env = s.o.Env
	cmd.WaitDelay = time.Second
	var stdout, stderr limited
	stdout.max, stderr.max = maxOutput, 4096
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	where := fmt.Sprintf("the secret command of account '%s' (%s)", key.Account, argv[0])
	switch {
	case cctx.Err() != nil:
		return nil, s.fail(key, argv, fmt.Sprintf("%s did not finish within %s", where, s.o.Timeout), "", &stdout)
	case errors.Is(err, exec.ErrNotFound), isNotExist(err):
		return nil, domain.NewError(domain.CodeConfigError, "%s cannot be started: %s is not installed or not on PATH", where, argv[0]).
			WithDetail("account", string(key.Account)).
			WithDetail("command", argv[0]).
			WithHint("install %s, or fix [settings.secret_commands] %s in config.toml", argv[0], key.Account)
	case err != nil:
		return nil, s.fail(key, argv, fmt.Sprintf("%s failed (%v)", where, exitText(err)), stderr.String(), &stdout)
	case stdout.over:
		return nil, secreterr.Matching(domain.NewError(domain.CodeConfigError, "%s printed more than %d bytes", where, maxOutput).
			WithDetail("account", string(key.Account)).
			WithHint("make the command print only the secret"), ports.ErrTooLarge)
	}
	v := bytes.TrimSpace(stdout.buf.Bytes())
	if len(v) == 0 {
		return nil, secreterr.Matching(domain.NewError(domain.CodeConfigError, "%s printed nothing", where).
			WithDetail("account", string(key.Account)).
			WithHint("run the command yourself and check that it prints the secret"), ports.ErrNotFound)
	}
	return bytes.Clone(v), nil
}

// fail is the SECRET_STORE_UNAVAILABLE error of a failed command, quoting
// its standard error cut and cleaned, without anything it printed on
// standard output (which may be the secret).
func (s *Store) fail(key ports.SecretKey, argv []string, msg, stderr string, stdout *limited) error {
	e := domain.NewError(domain.CodeSecretStoreUnavailable, "%s", msg).
		WithDetail("account", string(key.Account)).
		WithDetail("backend", "exec").
		WithDetail("command", argv[0]).
		WithHint("run the command yourself (%s …) to see what it needs, e.g. an unlocked vault", argv[0])
	if text := cleanStderr(stderr, stdout.buf.Bytes()); text != "" {
		e.Message += ": " + text
		e.WithDetail("stderr", text)
	}
	return secreterr.Matching(e, ports.ErrUnavailable)
}

// cleanStderr removes the output's lines from stderr, replaces control
// characters and cuts it to stderrLimit bytes.
func cleanStderr(stderr string, stdout []byte) string {
	for _, line := range strings.Split(string(stdout), "\n") {
		if line = strings.TrimSpace(line); len(line) >= 4 {
			stderr = strings.ReplaceAll(stderr, line, "[REDACTED]")
		}
	}
	var b strings.Builder
	for _, r := range strings.TrimSpace(stderr) {
		if r < 0x20 || r == 0x7f {
			r = ' '
		}
		b.WriteRune(r)
	}
	out := b.String()
	if len(out) > stderrLimit {
		cut := stderrLimit
		for cut > 0 && !utf8Start(out[cut]) {
			cut--
		}
		out = out[:cut] + "…"
	}
	return out
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// isNotExist reports whether the command's program does not exist.
func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

func exitText(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Sprintf("exit status %d", ee.ExitCode())
	}
	return err.Error()
}

// Set implements ports.SecretStore: the store is read-only.
func (s *Store) Set(ctx context.Context, key ports.SecretKey, _ []byte) error {
	return s.readOnly(ctx, key)
}

// Delete implements ports.SecretStore: the store is read-only.
func (s *Store) Delete(ctx context.Context, key ports.SecretKey) error {
	return s.readOnly(ctx, key)
}

func (s *Store) readOnly(ctx context.Context, key ports.SecretKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := ports.ValidateSecretKey(key); err != nil {
		return err
	}
	return secreterr.Matching(domain.NewError(domain.CodeConfigError, "the secrets of account '%s' come from a command, which mp cannot change", key.Account).
		WithDetail("account", string(key.Account)).
		WithHint("change the secret where the command reads it, or remove [settings.secret_commands] %s from config.toml", key.Account), ports.ErrReadOnly)
}

// limited is a buffer that keeps at most max bytes and notes overflow.
type limited struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); len(p) > room {
		l.over = true
		if room > 0 {
			l.buf.Write(p[:room])
		}
		return len(p), nil
	}
	return l.buf.Write(p)
}

func (l *limited) String() string { return l.buf.String() }
