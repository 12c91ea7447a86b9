package version

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestResolve(t *testing.T) {
	unstamped := Info{Version: "dev", Commit: "unknown", Date: "unknown"}
	vcs := []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abcd"},
		{Key: "vcs.time", Value: "2026-12-05T08:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH
	for _, tc := range []struct {
		name  string
		stamp Info
		bi    *debug.BuildInfo
		want  Info
	}{
		{
			name:  "stamped release build keeps every stamp",
			stamp: Info{Version: "v0.1.0", Commit: "c0ffee", Date: "2026-12-01T00:00:00Z"},
			bi:    &debug.BuildInfo{GoVersion: "go1.27.3", Main: debug.Module{Path: "github.com/mpdata/mp/cmd", Version: "(devel)"}, Settings: vcs},
			want:  Info{Version: "v0.1.0", Commit: "c0ffee", Date: "2026-12-01T00:00:00Z", GoVersion: "go1.27.3", Platform: platform},
		},
		{
			name:  "go install cmd/mp@v0.1.0 shows the module version",
			stamp: unstamped,
			bi:    &debug.BuildInfo{GoVersion: "go1.27.3", Main: debug.Module{Path: "github.com/mpdata/mp/cmd", Version: "v0.1.0"}},
			want:  Info{Version: "v0.1.0", Commit: "unknown", Date: "unknown", GoVersion: "go1.27.3", Platform: platform},
		},
		{
			name:  "a program using the library shows the library's version",
			stamp: unstamped,
			bi: &debug.BuildInfo{GoVersion: "go1.27.3", Main: debug.Module{Path: "example.com/app", Version: "v1.0.0"}, Deps: []*debug.Module{
				{Path: "github.com/mpdata/mp/domain", Version: "v0.2.0"},
				{Path: "github.com/mpdata/mp", Version: "v0.2.0"},
			}},
			want: Info{Version: "v0.2.0", Commit: "unknown", Date: "unknown", GoVersion: "go1.27.3", Platform: platform},
		},
		{
			name:  "a replaced library shows the replacement's version",
			stamp: unstamped,
			bi: &debug.BuildInfo{GoVersion: "go1.27.3", Main: debug.Module{Path: "example.com/app"}, Deps: []*debug.Module{
				{Path: "github.com/mpdata/mp", Version: "v0.2.0", Replace: &debug.Module{Path: "../mp"}},
			}},
			want: Info{Version: "dev", Commit: "unknown", Date: "unknown", GoVersion: "go1.27.3", Platform: platform},
		},
		{
			name:  "a build from a checkout is dev, with the VCS revision and time",
			stamp: unstamped,
			bi:    &debug.BuildInfo{GoVersion: "go1.27.3", Main: debug.Module{Path: "github.com/mpdata/mp/cmd", Version: "(devel)"}, Settings: vcs},
			want:  Info{Version: "dev", Commit: "0123abcd-dirty", Date: "2026-12-05T08:00:00Z", GoVersion: "go1.27.3", Platform: platform},
		},
		{
			name:  "no build information",
			stamp: unstamped,
			want:  Info{Version: "dev", Commit: "unknown", Date: "unknown", GoVersion: runtime.Version(), Platform: platform},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := resolve(tc.stamp, tc.bi); got != tc.want {
				t.Errorf("resolve = %+v\nwant       %+v", got, tc.want)
			}
		})
	}
}

func TestGetIsComplete(t *testing.T) {
	got := Get()
	if got.Version == "" || got.Commit == "" || got.Date == "" || got.GoVersion == "" || got.Platform == "" {
		t.Errorf("Get() = %+v: every field must be set", got)
	}
}
