package version

import (
	"runtime"
	"runtime/debug"
	"strings"
)

// Stamped at build time with -ldflags -X; the defaults mean "not stamped".
var (
	// Version is the release version (vX.Y.Z; a snapshot may carry a suffix).
	Version = "dev"
	// Commit is the full git commit hash.
	Commit = "unknown"
	// Date is the build date (the commit time, RFC 3339, UTC).
	Date = "unknown"
)

// Module is the path of the root module: the library, whose version names
// the release of every module of the repository.
const Module = "github.com/mpdata/mp"

// Info is the build identity of a binary, as `mp version` prints it.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"` // GOOS/GOARCH
}

// Get returns the build identity of the running binary: the stamped values,
// completed from the binary's build information where a value was not
// stamped.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return resolve(Info{Version: Version, Commit: Commit, Date: Date}, bi)
}

// GoVersion returns the Go version the binary was built with.
func GoVersion() string { return runtime.Version() }

// resolve completes the stamped identity st from the build information bi
// (nil when the binary has none).
func resolve(st Info, bi *debug.BuildInfo) Info {
	out := Info{
		Version:   st.Version,
		Commit:    st.Commit,
		Date:      st.Date,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
	if bi == nil {
		return out
	}
	if bi.GoVersion != "" {
		out.GoVersion = bi.GoVersion
	}
	if unset(out.Version, "dev") {
		out.Version = moduleVersion(bi)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if unset(out.Commit, "unknown") {
		out.Commit = "unknown"
		if rev := settings["vcs.revision"]; rev != "" {
			out.Commit = rev
			if settings["vcs.modified"] == "true" {
				out.Commit += "-dirty"
			}
		}
	}
	if unset(out.Date, "unknown") {
		out.Date = "unknown"
		if t := settings["vcs.time"]; t != "" {
			out.Date = t
		}
	}
	return out
}

// unset reports whether a stamped value v was left at its default.
func unset(v, def string) bool { return v == "" || v == def }

// moduleVersion is the version of mp's modules recorded in bi: the main
// module's when the binary is one of mp's commands (`go install
// github.com/mpdata/mp/cmd/mp@v0.1.0` records v0.1.0), else that of the
// library a program depends on; "dev" for a build from a checkout, where
// the toolchain records "(devel)".
func moduleVersion(bi *debug.BuildInfo) string {
	if ours(bi.Main.Path) && known(bi.Main.Version) {
		return bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path != Module {
			continue
		}
		if d.Replace != nil && known(d.Replace.Version) {
			return d.Replace.Version
		}
		if d.Replace == nil && known(d.Version) {
			return d.Version
		}
	}
	return "dev"
}

func ours(path string) bool { return path == Module || strings.HasPrefix(path, Module+"/") }

func known(v string) bool { return v != "" && v != "(devel)" }
