package domain

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// maxSlugLen is the longest account name mp derives from an organisation.
const maxSlugLen = 32

// latinFold maps precomposed Latin letters to their ASCII base letters: the
// part of Unicode NFKD decomposition that organisation names use in
// practice (Latin-1 Supplement and Latin Extended-A). The domain imports
// only the standard library, which has no normalisation tables; anything
// else that is not ASCII becomes a separator, as NFKD followed by "keep
// ASCII" would make it. The map is built on first use, not when a program
// starts.
var latinFold = sync.OnceValue(func() map[rune]string {
	m := map[rune]string{}
	add := func(base string, letters string) {
		for _, r := range letters {
			m[r] = base
		}
	}
	add("a", "àáâãäåāăą")
	add("A", "ÀÁÂÃÄÅĀĂĄ")
	add("c", "çćĉċč")
	add("C", "ÇĆĈĊČ")
	add("d", "ďđ")
	add("D", "ĎĐ")
	add("e", "èéêëēĕėęě")
	add("E", "ÈÉÊËĒĔĖĘĚ")
	add("g", "ĝğġģ")
	add("G", "ĜĞĠĢ")
	add("h", "ĥħ")
	add("H", "ĤĦ")
	add("i", "ìíîïĩīĭįı")
	add("I", "ÌÍÎÏĨĪĬĮİ")
	add("j", "ĵ")
	add("J", "Ĵ")
	add("k", "ķ")
	add("K", "Ķ")
	add("l", "ĺļľŀł")
	add("L", "ĹĻĽĿŁ")
	add("n", "ñńņňŉ")
	add("N", "ÑŃŅŇ")
	add("o", "òóôõöøōŏő")
	add("O", "ÒÓÔÕÖØŌŎŐ")
	add("r", "ŕŗř")
	add("R", "ŔŖŘ")
	add("s", "śŝşš")
	add("S", "ŚŜŞŠ")
	add("t", "ţťŧ")
	add("T", "ŢŤŦ")
	add("u", "ùúûüũūŭůűų")
	add("U", "ÙÚÛÜŨŪŬŮŰŲ")
	add("w", "ŵ")
	add("W", "Ŵ")
	add("y", "ýÿŷ")
	add("Y", "ÝŶŸ")
	add("z", "źżž")
	add("Z", "ŹŻŽ")
	m['ß'] = "ss"
	m['æ'] = "ae"
	m['Æ'] = "AE"
	m['œ'] = "oe"
	m['Œ'] = "OE"
	return m
})

// Slug turns an organisation name into an account-name candidate
// (docs/reference/cli.md, `mp login`): letters folded to ASCII, lower case, every
// run of other characters becomes one "-", no leading or trailing "-", at
// most 32 characters. It returns "" when nothing usable is left.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		var s string
		switch {
		case r < utf8.RuneSelf:
			s = string(r)
		default:
			s = latinFold()[r]
		}
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
				if dash && b.Len() > 0 {
					b.WriteByte('-')
				}
				dash = false
				b.WriteByte(c)
				continue
			}
			dash = true
		}
		if s == "" {
			dash = true
		}
	}
	out := b.String()
	if len(out) > maxSlugLen {
		out = strings.TrimRight(out[:maxSlugLen], "-")
	}
	return out
}

// AccountNameFor derives the name of a new account from the first
// organisation of /me: its slug, else "org-<id>", else "account"; then
// "-2", "-3", … until the name is not taken. taken reports whether a name
// is in use.
func AccountNameFor(orgs []Organization, taken func(AccountName) bool) AccountName {
	base := ""
	if len(orgs) > 0 {
		base = Slug(orgs[0].Name)
		if base == "" && orgs[0].ID != 0 {
			base = "org-" + strconv.FormatInt(orgs[0].ID, 10)
		}
	}
	if base == "" {
		base = "account"
	}
	name := AccountName(base)
	for n := 2; taken(name); n++ {
		suffix := "-" + strconv.Itoa(n)
		b := base
		if len(b)+len(suffix) > maxNameLen {
			b = strings.TrimRight(b[:maxNameLen-len(suffix)], "-")
		}
		name = AccountName(b + suffix)
	}
	return name
}
