package domain

import "fmt"

// redacted is what every printable form of a Secret shows.
const redacted = "[REDACTED]"

// Secret holds a credential (service-account secret, static token, OAuth
// token). Every printable form — String, GoString, any fmt verb, JSON and
// text marshalling — is redacted. Reveal is the only way to the bytes and is
// called only where the secret is sent or written.
type Secret struct {
	v string
}

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{v: s} }

// Reveal returns the secret value. Call it only where the secret is sent
// (an HTTP header, the token endpoint) or written (a credential file).
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == "" }

// Equal reports whether two secrets hold the same value.
func (s Secret) Equal(o Secret) bool { return s.v == o.v }

// String implements fmt.Stringer with a redacted form.
func (s Secret) String() string {
	if s.v == "" {
		return ""
	}
	return redacted
}

// GoString implements fmt.GoStringer with a redacted form.
func (s Secret) GoString() string { return "domain.Secret{" + redacted + "}" }

// Format implements fmt.Formatter so that every verb (%v, %+v, %#v, %s, %q,
// %x …) prints the redacted form.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = f.Write([]byte(s.GoString()))
		return
	}
	_, _ = f.Write([]byte(s.String()))
}

// MarshalJSON implements json.Marshaler with a redacted form.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + s.String() + `"`), nil }

// MarshalText implements encoding.TextMarshaler with a redacted form.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
