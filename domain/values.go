package domain

import "strconv"

// Region is a Mixpanel data-residency region: us, eu or in.
type Region string

// The three regions.
const (
	RegionUS Region = "us"
	RegionEU Region = "eu"
	RegionIN Region = "in"
)

// Regions returns the regions in probe order (us, eu, in).
func Regions() []Region { return []Region{RegionUS, RegionEU, RegionIN} }

// ParseRegion accepts exactly "us", "eu" or "in" (lower case).
func ParseRegion(s string) (Region, error) {
	switch r := Region(s); r {
	case RegionUS, RegionEU, RegionIN:
		return r, nil
	}
	return "", withSuggestion(invalidArgument("region", s, "must be one of us, eu, in (lower case)"), s, stringsOf(Regions()))
}

// String returns the region code.
func (r Region) String() string { return string(r) }

// maxNameLen is the longest account or target name.
const maxNameLen = 64

// validName reports whether s is 1–64 characters of A-Z a-z 0-9 _ -.
// Because names become directory names, this is also the path-traversal
// defence.
func validName(s string) bool {
	if len(s) == 0 || len(s) > maxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

const nameRule = "use 1-64 characters from A-Z a-z 0-9 _ -"

// AccountName names an account. It is also a directory name under the
// storage root.
type AccountName string

// ParseAccountName validates an account name.
func ParseAccountName(s string) (AccountName, error) {
	if !validName(s) {
		return "", invalidArgument("account name", s, nameRule)
	}
	return AccountName(s), nil
}

// String returns the name.
func (n AccountName) String() string { return string(n) }

// TargetName names a saved target.
type TargetName string

// ParseTargetName validates a target name.
func ParseTargetName(s string) (TargetName, error) {
	if !validName(s) {
		return "", invalidArgument("target name", s, nameRule)
	}
	return TargetName(s), nil
}

// String returns the name.
func (n TargetName) String() string { return string(n) }

// ProjectID is a Mixpanel project id: a non-empty string of ASCII digits,
// kept as a string. The zero value means "no project".
type ProjectID string

// ParseProjectID validates a project id.
func ParseProjectID(s string) (ProjectID, error) {
	if s == "" {
		return "", invalidArgument("project id", s, "must not be empty")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", invalidArgument("project id", s, "must contain only the digits 0-9")
		}
	}
	return ProjectID(s), nil
}

// IsSet reports whether the id is non-empty.
func (p ProjectID) IsSet() bool { return p != "" }

// String returns the id.
func (p ProjectID) String() string { return string(p) }

// WorkspaceID is a Mixpanel workspace id, an integer > 0. The zero value
// means "no workspace" (resolved lazily).
type WorkspaceID int64

// ParseWorkspaceID parses a workspace id: ASCII decimal digits only (no
// sign, no spaces), value between 1 and the largest int64. Leading zeros are
// accepted ("007" is 7).
func ParseWorkspaceID(s string) (WorkspaceID, error) {
	bad := s == ""
	for i := 0; i < len(s) && !bad; i++ {
		bad = s[i] < '0' || s[i] > '9'
	}
	if bad {
		return 0, invalidArgument("workspace id", s, "must be a positive integer")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, invalidArgument("workspace id", s, "must be a positive integer no larger than 9223372036854775807")
	}
	return NewWorkspaceID(n)
}

// NewWorkspaceID validates an integer workspace id.
func NewWorkspaceID(n int64) (WorkspaceID, error) {
	if n <= 0 {
		return 0, invalidArgument("workspace id", strconv.FormatInt(n, 10), "must be a positive integer")
	}
	return WorkspaceID(n), nil
}

// IsSet reports whether the id is set (> 0).
func (w WorkspaceID) IsSet() bool { return w > 0 }

// String returns the decimal id, or "" when unset.
func (w WorkspaceID) String() string {
	if w <= 0 {
		return ""
	}
	return strconv.FormatInt(int64(w), 10)
}

// AccountType is one of the three account variants.
type AccountType string

// The three account types.
const (
	TypeServiceAccount AccountType = "service_account"
	TypeOAuthBrowser   AccountType = "oauth_browser"
	TypeOAuthToken     AccountType = "oauth_token"
)

// AccountTypes returns the account types.
func AccountTypes() []AccountType {
	return []AccountType{TypeServiceAccount, TypeOAuthBrowser, TypeOAuthToken}
}

// ParseAccountType validates an account type.
func ParseAccountType(s string) (AccountType, error) {
	switch t := AccountType(s); t {
	case TypeServiceAccount, TypeOAuthBrowser, TypeOAuthToken:
		return t, nil
	}
	return "", withSuggestion(invalidArgument("account type", s, "must be one of service_account, oauth_browser, oauth_token"), s, stringsOf(AccountTypes()))
}

// String returns the type name.
func (t AccountType) String() string { return string(t) }

// ValidEnvVarName reports whether s is a portable environment variable name
// ([A-Za-z_][A-Za-z0-9_]*), as required for token_env.
func ValidEnvVarName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
