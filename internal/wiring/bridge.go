package wiring

import (
	"os"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
	"github.com/mpdata/mp/ports"
)

// EnvAuthFile names the bridge file to use instead of the default places
// (docs/reference/files.md): when set, it is the only place looked at.
const EnvAuthFile = domain.EnvAuthFile

// WorkDir is the current directory: ./mixpanel_auth.json is the last place
// a bridge is looked for, and relative bridge paths are taken relative to
// it. Empty means unknown (no current-directory bridge).
type WorkDir string

// CurrentDir returns the process's current directory; empty when it
// cannot be told (then no current-directory bridge is looked for). Resolve
// fills Settings.WorkDir with it, before injection: the injectors never
// read the process's surroundings themselves.
func CurrentDir() WorkDir {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return WorkDir(wd)
}

// BridgeChoice says where bridge files are looked for. The zero value is
// the usual discovery (MP_AUTH_FILE, else ~/.claude/mixpanel/auth.json,
// else ./mixpanel_auth.json).
type BridgeChoice struct {
	// Off looks for no bridge at all (mp.WithoutBridge); MP_AUTH_FILE is
	// ignored. Bridges can still be exported to and removed from a path.
	Off bool
	// Path, when set, is the only place looked at, as MP_AUTH_FILE would
	// be, which it overrides (mp.WithBridgePath).
	Path string
}

// NewFileBridgeStore provides the bridge store for a user whose home is
// home, in the directory cwd, with MP_AUTH_FILE read from env (trimmed; a
// leading "~" expanded to home; empty counts as unset), unless choice
// says otherwise.
func NewFileBridgeStore(home HomeDir, cwd WorkDir, env ports.Env, choice BridgeChoice) *filestore.BridgeStore {
	authFile := trimmed(env, EnvAuthFile)
	if choice.Path != "" {
		authFile = choice.Path
	}
	if authFile != "" {
		authFile = expandHome(authFile, string(home))
	}
	return filestore.NewBridgeStore(filestore.BridgeOptions{
		Home: string(home), Cwd: string(cwd), AuthFile: authFile, NoDiscovery: choice.Off,
	})
}
