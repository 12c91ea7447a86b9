package domain

import (
	"fmt"
	"io"
)

// redacted is what every printable form of a Secret shows.
const redacted = "[REDACTED]"

// Secret holds a credential (service-account secret, static token, OAuth
// token). Every printable form — String, GoString, any fmt verb, JSON and
// text marshalling — is redacted. Reveal is the only way to the bytes and is
// called only where the secret is sent or written.
//
// The value is held behind a pointer rather than as a string field, so
// that code paths which bypass the methods above — fmt printing a struct
// that holds a Secret in an unexported field, fmt's error path for a bad
// verb such as %p, reflection-based dumpers — see only a pointer, never
// the bytes. Secrets are not comparable with == (the compiler refuses it,
// and so any struct holding one): compare them with Equal. The zero value
// is the empty secret.
//
// (An interned handle, unique.Make, kept == working, but cost a weak
// pointer and a cleanup per secret: 13 ms of the 55 a command took over a
// config of 5,000 accounts.)
type Secret struct {
	// v points to the value. A pointer to a string, not to a struct: fmt
	// prints a pointer to a struct it meets outside the methods (a bad
	// verb) as &{…}, with the fields, but a pointer to a string as an
	// address.
	v *string   // nil: the empty secret
	_ [0]func() // not comparable: see Equal
}

// NewSecret wraps s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	v := new(string) // not &s: that moves s to the heap on every call, "" too
	*v = s
	return Secret{v: v}
}

// Reveal returns the secret value. Call it only where the secret is sent
// (an HTTP header, the token endpoint) or written (a credential file).
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == nil }

// Equal reports whether two secrets hold the same value.
func (s Secret) Equal(o Secret) bool { return s.Reveal() == o.Reveal() }

// String implements fmt.Stringer with a redacted form: "[REDACTED]", or ""
// for the empty secret.
func (s Secret) String() string {
	if s.IsZero() {
		return ""
	}
	return redacted
}

// GoString implements fmt.GoStringer with a redacted form
// ("domain.Secret{[REDACTED]}", or "domain.Secret{}" for the empty secret).
func (s Secret) GoString() string {
	if s.IsZero() {
		return "domain.Secret{}"
	}
	return "domain.Secret{" + redacted + "}"
}

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s, %q,
// %x, %d …) prints the redacted form. %v, %s and %q honour width and flags
// (%q quotes the redacted form); every other verb prints it verbatim.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			_, _ = io.WriteString(f, s.GoString())
			return
		}
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
	case 's', 'q':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
	default:
		_, _ = io.WriteString(f, s.String())
	}
}

// MarshalJSON implements json.Marshaler with a redacted form.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// MarshalText implements encoding.TextMarshaler with a redacted form.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
