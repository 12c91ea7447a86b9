package filestore

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/pelletier/go-toml/v2"

	"github.com/mpdata/mp/domain"
)

// encode renders doc in the layout of the seed: unknown top-level keys
// (TOML needs them before the first table), [active], [accounts.*] and
// [targets.*] sorted by name, [settings], then unknown tables sorted by
// name. Every value, including every string, is encoded by go-toml.
//
// The work is linear in the size of the output: each table's key path is
// extended in place, never copied per level. A cancelled ctx stops the
// encoding between tables with ctx's error.
func encode(ctx context.Context, doc document) ([]byte, error) {
	e := &encoder{ctx: ctx}
	rootValues, rootTables := splitTableLike(doc.extra)
	e.keyValues(rootValues)

	if a := doc.config.Active(); a.Account != "" || a.Workspace.IsSet() {
		e.header(false, keyActive)
		if a.Account != "" {
			e.keyValue("account", string(a.Account))
		}
		if a.Workspace.IsSet() {
			e.keyValue("workspace", int64(a.Workspace))
		}
	}
	for a := range doc.config.AllAccounts() {
		e.header(false, keyAccounts, string(a.Name))
		e.keyValue("type", string(a.Type))
		e.keyValue("region", string(a.Region))
		if a.DefaultProject.IsSet() {
			e.keyValue("default_project", string(a.DefaultProject))
		}
		if a.Username != "" {
			e.keyValue("username", a.Username)
		}
		if !a.Secret.IsZero() {
			e.keyValue("secret", a.Secret.Reveal()) // written to the credential file
		} else if a.External && a.Type == domain.TypeServiceAccount {
			e.keyValue("secret", "") // kept in a secret store
		}
		if !a.Token.IsZero() {
			e.keyValue("token", a.Token.Reveal()) // written to the credential file
		} else if a.External && a.Type == domain.TypeOAuthToken {
			e.keyValue("token", "") // kept in a secret store
		}
		if a.TokenEnv != "" {
			e.keyValue("token_env", a.TokenEnv)
		}
	}
	for t := range doc.config.AllTargets() {
		e.header(false, keyTargets, string(t.Name))
		e.keyValue("account", string(t.Account))
		e.keyValue("project", string(t.Project))
		if t.Workspace.IsSet() {
			e.keyValue("workspace", int64(t.Workspace))
		}
	}

	settings := doc.config.Settings()
	header := settings.CustomHeader
	rest := secretSettings(settings, doc.settings)
	if header != nil || len(rest) > 0 {
		e.header(false, keySettings)
		if header != nil {
			e.line("custom_header = { name = " + e.value(header.Name) + ", value = " + e.value(header.Value) + " }")
		}
		values, tables := splitTableLike(rest)
		e.keyValues(values)
		e.tables(append(make([]string, 0, 8), keySettings), tables)
	}

	e.tables(make([]string, 0, 8), rootTables)
	if e.err != nil {
		return nil, e.err
	}
	return e.buf.Bytes(), nil
}

// encoder accumulates the file; the first error sticks.
type encoder struct {
	ctx context.Context
	buf bytes.Buffer
	err error
}

func (e *encoder) line(s string) {
	e.buf.WriteString(s)
	e.buf.WriteByte('\n')
}

// header starts a table ([a.b]) or an element of an array of tables
// ([[a.b]]), after a blank line unless it opens the file.
func (e *encoder) header(array bool, keyPath ...string) {
	if e.buf.Len() > 0 {
		e.buf.WriteByte('\n')
	}
	open, closing := "[", "]\n"
	if array {
		open, closing = "[[", "]]\n"
	}
	e.buf.WriteString(open)
	for i, k := range keyPath {
		if i > 0 {
			e.buf.WriteByte('.')
		}
		e.buf.WriteString(e.key(k))
	}
	e.buf.WriteString(closing)
}

func (e *encoder) keyValue(key string, v any) {
	e.line(e.key(key) + " = " + e.value(v))
}

// keyValues writes the entries of m (none of them table-like) sorted by key.
func (e *encoder) keyValues(m map[string]any) {
	for _, k := range sortedKeys(m) {
		e.keyValue(k, m[k])
	}
}

// tables writes the table-like entries of m below keyPath, sorted by key:
// tables as [keyPath.k] and arrays of tables as [[keyPath.k]], each
// followed by its own nested tables. keyPath is extended in place (its
// elements past len are scratch space), so a path costs one append per
// level, not a copy.
func (e *encoder) tables(keyPath []string, m map[string]any) {
	for _, k := range sortedKeys(m) {
		if e.err != nil {
			return
		}
		if err := e.ctx.Err(); err != nil {
			e.err = err
			return
		}
		p := append(keyPath, k)
		switch v := m[k].(type) {
		case map[string]any:
			values, sub := splitTableLike(v)
			// A table holding only tables is defined by their headers.
			if len(values) > 0 || len(sub) == 0 {
				e.header(false, p...)
				e.keyValues(values)
			}
			e.tables(p, sub)
		case []any:
			for _, elem := range v {
				values, sub := splitTableLike(elem.(map[string]any))
				e.header(true, p...)
				e.keyValues(values)
				e.tables(p, sub)
			}
		}
	}
}

// splitTableLike separates the entries of m written as key = value from
// those written as tables: tables and non-empty arrays made only of tables
// (the classification go-toml's own encoder uses).
func splitTableLike(m map[string]any) (values, tables map[string]any) {
	values, tables = map[string]any{}, map[string]any{}
	for k, v := range m {
		if isTableLike(v) {
			tables[k] = v
		} else {
			values[k] = v
		}
	}
	return values, tables
}

func isTableLike(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return true
	case []any:
		if len(v) == 0 {
			return false
		}
		for _, elem := range v {
			if _, ok := elem.(map[string]any); !ok {
				return false
			}
		}
		return true
	}
	return false
}

// key renders a key: bare when it can be, otherwise a quoted string.
func (e *encoder) key(k string) string {
	if isBareKey(k) {
		return k
	}
	return e.value(k)
}

// value renders one value (never table-like) with go-toml. A string that
// go-toml renders as a literal ('...') is shown as a basic string ("...")
// when that needs no escape, as the seed and the Python tool write them.
func (e *encoder) value(v any) string {
	out, err := toml.Marshal(map[string]any{"v": v})
	if err != nil {
		e.fail(fmt.Errorf("encode a %T value: %w", v, err))
		return ""
	}
	s, ok := strings.CutPrefix(string(out), "v = ")
	if !ok || !strings.HasSuffix(s, "\n") || strings.Count(s, "\n") != 1 {
		e.fail(fmt.Errorf("encode a %T value: go-toml did not produce a single key/value line", v))
		return ""
	}
	s = strings.TrimSuffix(s, "\n")
	if _, isString := v.(string); isString && len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		if inner := s[1 : len(s)-1]; !strings.ContainsAny(inner, `"\`) {
			s = `"` + inner + `"`
		}
	}
	return s
}

func (e *encoder) fail(err error) {
	if e.err == nil {
		e.err = domain.NewError(domain.CodeConfigError, "cannot render the config file").WithCause(err)
	}
}

// secretSettings returns the [settings] keys to write besides
// custom_header: the preserved ones plus secret_backend, secret_commands
// and token_backends.
func secretSettings(s domain.Settings, preserved map[string]any) map[string]any {
	if s.SecretBackend == "" && len(s.SecretCommands) == 0 && len(s.TokenBackends) == 0 {
		return preserved
	}
	out := make(map[string]any, len(preserved)+3)
	for k, v := range preserved {
		out[k] = v
	}
	if s.SecretBackend != "" {
		out["secret_backend"] = string(s.SecretBackend)
	}
	if len(s.SecretCommands) > 0 {
		cmds := make(map[string]any, len(s.SecretCommands))
		for name, argv := range s.SecretCommands {
			list := make([]any, len(argv))
			for i, a := range argv {
				list[i] = a
			}
			cmds[string(name)] = list
		}
		out["secret_commands"] = cmds
	}
	if len(s.TokenBackends) > 0 {
		backends := make(map[string]any, len(s.TokenBackends))
		for name, b := range s.TokenBackends {
			backends[string(name)] = string(b)
		}
		out["token_backends"] = backends
	}
	return out
}
