package filestore

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/mpdata/mp/domain"
)

// document is a parsed config file: the part mp understands and the parts
// it keeps without understanding them.
type document struct {
	config domain.Config
	// extra holds the top-level keys and tables other than active,
	// accounts, targets and settings, as go-toml decoded them.
	extra map[string]any
	// settings holds the [settings] keys other than custom_header.
	settings map[string]any
}

// The top-level tables of the schema.
const (
	keyActive   = "active"
	keyAccounts = "accounts"
	keyTargets  = "targets"
	keySettings = "settings"
)

// The keys each table of the schema allows. The Python tool rejects any
// other key in [active], [accounts.*] and [targets.*]; so does mp.
var (
	activeKeys  = []string{"account", "workspace"}
	accountKeys = []string{"type", "region", "default_project", "username", "secret", "token", "token_env"}
	targetKeys  = []string{"account", "project", "workspace"}
	headerKeys  = []string{"name", "value"}
)

// decode parses the config file at path (for messages) holding data. The
// strings of the document may be substrings of data, which must not change
// afterwards.
func decode(path string, data []byte) (document, error) {
	if doc, err := decodeFast(path, data); err == nil {
		return doc, nil
	}
	return decodeGeneral(path, data)
}

// decodeGeneral decodes any document, and words every error.
func decodeGeneral(path string, data []byte) (document, error) {
	raw, err := buildTOML(data)
	var deep *tooDeepError
	if errors.As(err, &deep) {
		return document{}, nestingError(path, lineAt(newlineOffsets(data), deep.offset))
	}
	if err != nil {
		// buildTOML stopped at an expression it refuses; what follows it
		// has not been measured, so check the nesting of the whole file
		// before go-toml's decoder (which builds a map per level) sees it.
		if err := checkNesting(path, data); err != nil {
			return document{}, err
		}
		// go-toml's decoder says what is wrong, with line and column.
		if err := toml.Unmarshal(data, &raw); err != nil {
			return document{}, syntaxError(path, err)
		}
	}
	d := &decoder{path: path, data: data}
	if err := d.checkLegacy(raw); err != nil {
		return document{}, err
	}
	return d.document(raw)
}

// decoder turns the generic map go-toml produced into a document, with
// errors that name the file, the table, the key and the line.
type decoder struct {
	path  string
	data  []byte
	lines lineIndex // built on the first error: finding lines costs more than decoding
}

// lineOf returns the line of keyPath (see lineIndex.lineOf).
func (d *decoder) lineOf(keyPath []string) int {
	if d.lines == nil {
		d.lines = indexLines(d.data)
	}
	return d.lines.lineOf(keyPath)
}

// fail builds a CONFIG_ERROR about the key at keyPath: "config file PATH,
// line N: [table] key: problem".
func (d *decoder) fail(keyPath []string, problem, hint string) *domain.Error {
	table, key := splitKeyPath(keyPath)
	where := "config file " + d.path
	line := d.lineOf(keyPath)
	if line > 0 {
		where += ", line " + strconv.Itoa(line)
	}
	subject := strings.TrimSpace(table + " " + key)
	if subject != "" {
		where += ": " + subject
	}
	e := domain.NewError(domain.CodeConfigError, "%s: %s", where, problem).WithDetail("file", d.path)
	if line > 0 {
		e.WithDetail("line", line)
	}
	if table != "" {
		e.WithDetail("table", table)
	}
	if key != "" {
		e.WithDetail("key", key)
	}
	if hint == "" {
		// The flag-oriented hints of domain errors cannot work here: no
		// command can change a file that does not load.
		hint = "edit " + d.path + " by hand"
		if line > 0 {
			hint += " (line " + strconv.Itoa(line) + ")"
		}
		hint += " to fix it, then run the command again"
	}
	e.WithHint("%s", hint)
	return e
}

// failWith is fail with the message of a domain error (which never holds
// a secret) as the problem. The domain error's own hint speaks of flags, so
// it is not used.
func (d *decoder) failWith(keyPath []string, err error, hint string) *domain.Error {
	problem := err.Error()
	var de *domain.Error
	if errors.As(err, &de) {
		problem = de.Message
	}
	return d.fail(keyPath, problem, hint)
}

func (d *decoder) document(raw map[string]any) (document, error) {
	return d.documentWith(raw, nil, nil)
}

// documentWith is document for a raw map without accounts and targets
// keys, whose accounts and targets were decoded already (decodeFast).
func (d *decoder) documentWith(raw map[string]any, accounts []domain.Account, targets []domain.Target) (document, error) {
	doc := document{extra: map[string]any{}, settings: map[string]any{}}
	data := domain.ConfigData{Accounts: accounts, Targets: targets}
	for _, k := range sortedKeys(raw) {
		v := raw[k]
		var err error
		switch k {
		case keyActive:
			data.Active, err = d.active(v)
		case keyAccounts:
			data.Accounts, err = d.accounts(v)
		case keyTargets:
			data.Targets, err = d.targets(v)
		case keySettings:
			data.Settings, doc.settings, err = d.settingsTable(v)
		default:
			doc.extra[k] = v
		}
		if err != nil {
			return document{}, err
		}
	}
	cfg, err := domain.NewConfigTaking(data) // data's slices were built for it
	if err != nil {
		// The checks above mirror the domain's, so this is a safety net.
		return document{}, d.failWith(nil, err, "")
	}
	doc.config = cfg
	return doc, nil
}

// table checks that v, found at keyPath, is a table and holds only the
// allowed keys.
func (d *decoder) table(keyPath []string, v any, allowed []string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, d.fail(keyPath, "must be a table, not "+tomlType(v),
			fmt.Sprintf("write it as a [%s] section", joinKey(keyPath)))
	}
	if allowed == nil || onlyAllowed(m, allowed) {
		return m, nil
	}
	for _, k := range sortedKeys(m) { // the first unknown key by name
		if slices.Contains(allowed, k) {
			continue
		}
		hint := fmt.Sprintf("remove it; the keys allowed in [%s] are %s (the Python tool rejects any other key there too)",
			joinKey(keyPath), strings.Join(allowed, ", "))
		if k == "project_id" && len(keyPath) == 2 && keyPath[0] == keyAccounts {
			hint = "project_id is a key of the 0.3.x config format; rename it to default_project and quote the value (default_project = \"123\")"
		}
		return nil, d.fail(append(slices.Clone(keyPath), k), "unknown key", hint)
	}
	return m, nil
}

// onlyAllowed reports whether every key of m is one of allowed, without
// sorting the keys (table sorts them only to name the first unknown one).
func onlyAllowed(m map[string]any, allowed []string) bool {
	for k := range m {
		if !slices.Contains(allowed, k) {
			return false
		}
	}
	return true
}

// str reads an optional string key.
func (d *decoder) str(keyPath []string, m map[string]any, key string) (string, bool, error) {
	v, ok := m[key]
	if !ok {
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		hint := "quote the value"
		if key == "default_project" || key == "project" {
			hint = fmt.Sprintf("project ids are strings: write %s = \"123\" with quotes", key)
		}
		return "", true, d.fail(append(slices.Clone(keyPath), key), "must be a string, not "+tomlType(v), hint)
	}
	return s, true, nil
}

// workspace reads an optional workspace id, a TOML integer > 0.
func (d *decoder) workspace(keyPath []string, m map[string]any) (domain.WorkspaceID, error) {
	v, ok := m["workspace"]
	if !ok {
		return 0, nil
	}
	n, isInt := v.(int64)
	if !isInt {
		hint := "write the id as a bare integer, e.g. workspace = 3448414"
		return 0, d.fail(append(slices.Clone(keyPath), "workspace"), "must be an integer, not "+tomlType(v), hint)
	}
	id, err := domain.NewWorkspaceID(n)
	if err != nil {
		return 0, d.failWith(append(slices.Clone(keyPath), "workspace"), err, "workspace ids are positive integers")
	}
	return id, nil
}

func (d *decoder) active(v any) (domain.Active, error) {
	at := []string{keyActive}
	m, err := d.table(at, v, activeKeys)
	if err != nil {
		return domain.Active{}, err
	}
	var a domain.Active
	name, ok, err := d.str(at, m, "account")
	if err != nil {
		return a, err
	}
	if ok {
		if a.Account, err = domain.ParseAccountName(name); err != nil {
			return a, d.failWith(append(at, "account"), err, "")
		}
	}
	a.Workspace, err = d.workspace(at, m)
	return a, err
}

func (d *decoder) accounts(v any) ([]domain.Account, error) {
	all, err := d.table([]string{keyAccounts}, v, nil)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Account, 0, len(all))
	for name, v := range all {
		a, err := d.account(name, v)
		if err != nil {
			return nil, firstError(all, d.account, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// firstError returns the error of the first entry of all, by name, that
// check refuses: the entries are read in map order (no sort of 5,000
// names), and sorted only to report the same error every time. found is
// the error met in map order.
func firstError[T any](all map[string]any, check func(string, any) (T, error), found error) error {
	for _, name := range sortedKeys(all) {
		if _, err := check(name, all[name]); err != nil {
			return err
		}
	}
	return found
}

func (d *decoder) account(name string, v any) (domain.Account, error) {
	at := []string{keyAccounts, name}
	m, err := d.table(at, v, accountKeys)
	if err != nil {
		return domain.Account{}, err
	}
	return d.accountFrom(name, mapFields{d: d, at: at, m: m})
}

// fields reads the keys of one [accounts.NAME] or [targets.NAME] table:
// from the generic map go-toml's decoder (or buildTOML) gives, or from the
// typed record decodeFast fills.
type fields interface {
	// str reads an optional string key; found says whether it is there.
	str(key string) (s string, found bool, err error)
	// workspace reads the optional workspace id (0 when absent).
	workspace() (domain.WorkspaceID, error)
}

// mapFields reads the keys of a table decoded into a generic map, with
// errors that name the key and its line.
type mapFields struct {
	d  *decoder
	at []string
	m  map[string]any
}

func (f mapFields) str(key string) (string, bool, error) { return f.d.str(f.at, f.m, key) }

func (f mapFields) workspace() (domain.WorkspaceID, error) { return f.d.workspace(f.at, f.m) }

// accountFrom checks the keys of the account name, read by f, and builds
// the account. The checks run in the order of the keys in accountKeys, so
// that a table with several faults always reports the same one.
func (d *decoder) accountFrom(name string, f fields) (domain.Account, error) {
	at := []string{keyAccounts, name}
	var a domain.Account
	var err error
	if a.Name, err = domain.ParseAccountName(name); err != nil {
		return a, d.failWith(at, err, "rename the account: names are 1-64 characters from A-Z a-z 0-9 _ -")
	}
	typ, ok, err := f.str("type")
	if err != nil {
		return a, err
	}
	if !ok {
		return a, d.fail(at, "has no type", `add type = "service_account", "oauth_browser" or "oauth_token"`)
	}
	if a.Type, err = domain.ParseAccountType(typ); err != nil {
		return a, d.failWith(append(at, "type"), err, "")
	}
	region, ok, err := f.str("region")
	if err != nil {
		return a, err
	}
	if !ok {
		return a, d.fail(at, "has no region", `add region = "us", "eu" or "in"`)
	}
	if a.Region, err = domain.ParseRegion(region); err != nil {
		return a, d.failWith(append(at, "region"), err, "")
	}
	project, ok, err := f.str("default_project")
	if err != nil {
		return a, err
	}
	if ok {
		if a.DefaultProject, err = domain.ParseProjectID(project); err != nil {
			return a, d.failWith(append(at, "default_project"), err, "")
		}
	}
	if a.Username, _, err = f.str("username"); err != nil {
		return a, err
	}
	secret, hasSecret, err := f.str("secret")
	if err != nil {
		return a, err
	}
	a.Secret = domain.NewSecret(secret)
	token, hasToken, err := f.str("token")
	if err != nil {
		return a, err
	}
	a.Token = domain.NewSecret(token)
	// An empty secret or token is one kept in a secret store (the OS
	// keychain, or a secret command).
	switch a.Type {
	case domain.TypeServiceAccount:
		a.External = hasSecret && secret == ""
	case domain.TypeOAuthToken:
		a.External = hasToken && token == ""
	}
	if a.TokenEnv, _, err = f.str("token_env"); err != nil {
		return a, err
	}
	// The domain's message would quote token_env; someone may have pasted a
	// token there, so say it without the value.
	if a.TokenEnv != "" && !domain.ValidEnvVarName(a.TokenEnv) {
		return a, d.fail(append(at, "token_env"), "is not a valid environment variable name",
			"token_env names a variable (letters, digits and _, not starting with a digit), such as MP_CI_TOKEN; put an inline token in token instead")
	}
	if err := a.Validate(); err != nil {
		return a, d.failWith(at, err, "")
	}
	return a, nil
}

func (d *decoder) targets(v any) ([]domain.Target, error) {
	all, err := d.table([]string{keyTargets}, v, nil)
	if err != nil {
		return nil, err
	}
	out := make([]domain.Target, 0, len(all))
	for name, v := range all {
		t, err := d.target(name, v)
		if err != nil {
			return nil, firstError(all, d.target, err)
		}
		out = append(out, t)
	}
	return out, nil
}

func (d *decoder) target(name string, v any) (domain.Target, error) {
	at := []string{keyTargets, name}
	m, err := d.table(at, v, targetKeys)
	if err != nil {
		return domain.Target{}, err
	}
	return d.targetFrom(name, mapFields{d: d, at: at, m: m})
}

// targetFrom checks the keys of the target name, read by f, and builds the
// target, in the order of targetKeys.
func (d *decoder) targetFrom(name string, f fields) (domain.Target, error) {
	at := []string{keyTargets, name}
	var t domain.Target
	var err error
	if t.Name, err = domain.ParseTargetName(name); err != nil {
		return t, d.failWith(at, err, "rename the target: names are 1-64 characters from A-Z a-z 0-9 _ -")
	}
	account, ok, err := f.str("account")
	if err != nil {
		return t, err
	}
	if !ok {
		return t, d.fail(at, "has no account", `add account = "NAME"`)
	}
	if t.Account, err = domain.ParseAccountName(account); err != nil {
		return t, d.failWith(append(at, "account"), err, "")
	}
	project, ok, err := f.str("project")
	if err != nil {
		return t, err
	}
	if !ok {
		return t, d.fail(at, "has no project", `add project = "ID"`)
	}
	if t.Project, err = domain.ParseProjectID(project); err != nil {
		return t, d.failWith(append(at, "project"), err, "")
	}
	if t.Workspace, err = f.workspace(); err != nil {
		return t, err
	}
	if err := t.Validate(); err != nil {
		return t, d.failWith(at, err, "")
	}
	return t, nil
}

// settingsTable splits [settings] into the custom header and the keys mp
// keeps as written (those it does not understand, and http_timeout, which
// it reads into the settings too so that a rewrite keeps its spelling).
func (d *decoder) settingsTable(v any) (domain.Settings, map[string]any, error) {
	at := []string{keySettings}
	m, err := d.table(at, v, nil)
	if err != nil {
		return domain.Settings{}, nil, err
	}
	var s domain.Settings
	rest := make(map[string]any, len(m))
	for k, val := range m {
		if k != "custom_header" && k != "secret_backend" && k != "secret_commands" && k != "token_backends" {
			rest[k] = val
		}
	}
	if err := d.secretSettings(at, m, &s); err != nil {
		return s, nil, err
	}
	if err := d.httpTimeout(at, m, &s); err != nil {
		return s, nil, err
	}
	hv, ok := m["custom_header"]
	if !ok {
		return s, rest, nil
	}
	hat := []string{keySettings, "custom_header"}
	hm, isTable := hv.(map[string]any)
	if !isTable {
		return s, nil, d.fail(hat, "must be a table, not "+tomlType(hv), `write custom_header = { name = "X-Name", value = "value" }`)
	}
	if _, err := d.table(hat, hm, headerKeys); err != nil {
		return s, nil, err
	}
	var h domain.Header
	var has bool
	if h.Name, has, err = d.str(hat, hm, "name"); err != nil {
		return s, nil, err
	} else if !has {
		return s, nil, d.fail(hat, "has no name", `write custom_header = { name = "X-Name", value = "value" }`)
	}
	if h.Value, has, err = d.str(hat, hm, "value"); err != nil {
		return s, nil, err
	} else if !has {
		return s, nil, d.fail(hat, "has no value", `write custom_header = { name = "X-Name", value = "value" }`)
	}
	var probe domain.Config
	if err := probe.SetCustomHeader(&h); err != nil {
		if probe.SetCustomHeader(&domain.Header{Name: h.Name}) == nil {
			// The name is fine, so the value is at fault; the domain's
			// message does not quote it.
			return s, nil, d.failWith(append(slices.Clone(hat), "value"), err, "")
		}
		// Said without the name: a misplaced credential must not be echoed.
		return s, nil, d.fail(append(slices.Clone(hat), "name"), "is not a valid HTTP header name",
			"use a header name made of letters, digits and - (such as X-Team), without spaces or separators")
	}
	s.CustomHeader = &h
	return s, rest, nil
}

// quotedPattern matches a double-quoted span in a go-toml message, which
// may echo part of the document (and so, in principle, a secret). It is
// compiled only when a message needs it: every command starts faster.
const quotedPattern = `"(?:[^"\\]|\\.)*"`

// syntaxError turns a go-toml decode error into a CONFIG_ERROR that names
// the file, line and column. It never includes document text.
func syntaxError(path string, err error) error {
	var de *toml.DecodeError
	if !errors.As(err, &de) {
		return domain.NewError(domain.CodeConfigError, "config file %s is not valid TOML", path).
			WithDetail("file", path).
			WithHint("fix the file by hand, or move it aside (mv %s %s.bak) to start over; mp never overwrites a file it cannot read", path, path)
	}
	line, col := de.Position()
	msg := strings.TrimPrefix(de.Error(), "toml: ")
	msg = regexp.MustCompile(quotedPattern).ReplaceAllString(msg, `"…"`)
	return domain.NewError(domain.CodeConfigError, "config file %s has a TOML syntax error at line %d, column %d: %s", path, line, col, msg).
		WithDetail("file", path).
		WithDetail("line", line).
		WithDetail("column", col).
		WithHint("fix line %d of %s by hand, or move the file aside (mv %s %s.bak) to start over; mp never overwrites a file it cannot read", line, path, path, path)
}

// tomlType names the TOML type of a decoded value, for messages.
func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time, toml.LocalDate, toml.LocalTime, toml.LocalDateTime:
		return "a date or time"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	default:
		return fmt.Sprintf("a %T", v)
	}
}

// splitKeyPath renders a key path as a table header and a key: [accounts.x]
// and region for accounts.x.region; [active] and "" for active.
func splitKeyPath(keyPath []string) (table, key string) {
	switch len(keyPath) {
	case 0:
		return "", ""
	case 1:
		switch keyPath[0] {
		case keyActive, keyAccounts, keyTargets, keySettings:
			return "[" + keyPath[0] + "]", ""
		}
		return "", keyPath[0]
	}
	// Accounts and targets are tables two levels down; everything else in
	// the schema sits one level down.
	depth := 1
	if (keyPath[0] == keyAccounts || keyPath[0] == keyTargets) && len(keyPath) >= 2 {
		depth = 2
	}
	if len(keyPath) <= depth {
		return "[" + joinKey(keyPath) + "]", ""
	}
	return "[" + joinKey(keyPath[:depth]) + "]", joinKey(keyPath[depth:])
}

// joinKey renders a dotted key, quoting parts that are not bare keys.
func joinKey(parts []string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if isBareKey(p) {
			out[i] = p
		} else {
			out[i] = strconv.Quote(p)
		}
	}
	return strings.Join(out, ".")
}

func isBareKey(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// secretSettings reads secret_backend, [settings.secret_commands] and
// [settings.token_backends] into s.
func (d *decoder) secretSettings(at []string, m map[string]any, s *domain.Settings) error {
	if err := d.tokenBackends(at, m, s); err != nil {
		return err
	}
	backend, ok, err := d.str(at, m, "secret_backend")
	if err != nil {
		return err
	}
	if ok {
		b, err := domain.ParseSecretBackend(backend)
		if err != nil {
			return d.fail(append(slices.Clone(at), "secret_backend"), `must be "file" or "keychain"`, `write secret_backend = "file" or secret_backend = "keychain"`)
		}
		s.SecretBackend = b
	}
	v, ok := m["secret_commands"]
	if !ok {
		return nil
	}
	cat := append(slices.Clone(at), "secret_commands")
	const example = `write NAME = ["pass", "show", "mp/NAME"] under [settings.secret_commands]`
	table, isTable := v.(map[string]any)
	if !isTable {
		return d.fail(cat, "must be a table, not "+tomlType(v), example)
	}
	cmds := make(domain.SecretCommands, len(table))
	for name, argv := range table {
		nat := append(slices.Clone(cat), name)
		acct, err := domain.ParseAccountName(name)
		if err != nil {
			return d.failWith(nat, err, "use the name of an account")
		}
		list, isList := argv.([]any)
		if !isList || len(list) == 0 {
			return d.fail(nat, "must be a non-empty array of strings (the command and its arguments)", example)
		}
		args := make([]string, len(list))
		for i, a := range list {
			str, isStr := a.(string)
			if !isStr || (i == 0 && str == "") {
				return d.fail(nat, "must be a non-empty array of strings (the command and its arguments)", example)
			}
			args[i] = str
		}
		cmds[acct] = args
	}
	s.SecretCommands = cmds
	return nil
}

// httpTimeout reads http_timeout (mp only; the Python tool ignores it):
// a string holding a Go duration or a number of seconds, or a bare
// number of seconds, greater than zero.
func (d *decoder) httpTimeout(at []string, m map[string]any, s *domain.Settings) error {
	v, ok := m["http_timeout"]
	if !ok {
		return nil
	}
	kat := append(slices.Clone(at), "http_timeout")
	const hint = `write http_timeout = "90s" (` + domain.HTTPTimeoutForms + `)`
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case int64:
		text = strconv.FormatInt(x, 10)
	case float64:
		text = strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return d.fail(kat, "must be a string or a number of seconds, not "+tomlType(v), hint)
	}
	t, err := domain.ParseHTTPTimeout(text)
	if err != nil {
		// The line points at the value; it is not echoed (a misplaced
		// credential must not be).
		return d.fail(kat, err.Error(), hint)
	}
	s.HTTPTimeout = t
	return nil
}

// tokenBackends reads [settings.token_backends] (NAME = "keychain") into s.
func (d *decoder) tokenBackends(at []string, m map[string]any, s *domain.Settings) error {
	v, ok := m["token_backends"]
	if !ok {
		return nil
	}
	tat := append(slices.Clone(at), "token_backends")
	const example = `write NAME = "keychain" under [settings.token_backends] (mp writes it when it moves OAuth tokens)`
	table, isTable := v.(map[string]any)
	if !isTable {
		return d.fail(tat, "must be a table, not "+tomlType(v), example)
	}
	out := make(domain.TokenBackends, len(table))
	for name, bv := range table {
		nat := append(slices.Clone(tat), name)
		acct, err := domain.ParseAccountName(name)
		if err != nil {
			return d.failWith(nat, err, "use the name of an account")
		}
		str, isStr := bv.(string)
		if !isStr || str == "" {
			return d.fail(nat, `must be "file" or "keychain"`, example)
		}
		b, err := domain.ParseSecretBackend(str)
		if err != nil {
			return d.fail(nat, `must be "file" or "keychain"`, example)
		}
		if b != domain.SecretBackendFile {
			out[acct] = b
		}
	}
	if len(out) > 0 {
		s.TokenBackends = out
	}
	return nil
}
