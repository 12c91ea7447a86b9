package version

import (
	"context"
	"runtime"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

func TestVersion(t *testing.T) {
	e := commandtest.New(domain.Config{}, nil)
	var got *Options
	cmd := NewCmd(e.Factory, func(_ context.Context, o *Options) error { got = o; return nil })
	if err := commandtest.Run(e.Factory, []*cli.Command{cmd}, "version", "-f", "json"); err != nil {
		t.Fatal(err)
	}
	if got.Format != render.JSON || got.Info.GoVersion != runtime.Version() || got.Info.Platform != runtime.GOOS+"/"+runtime.GOARCH || got.Info.Version == "" {
		t.Errorf("options = %+v", got)
	}
	got.Info = Info{Version: "v1.2.3", Commit: "abc", Date: "2026-01-02T03:04:05Z", GoVersion: "go1.27.3", Platform: "linux/arm64"}
	for f, want := range map[render.Format]string{
		render.Table: "version     v1.2.3\ncommit      abc\ndate        2026-01-02T03:04:05Z\ngo_version  go1.27.3\nplatform    linux/arm64\n",
		render.JSONL: `{"version":"v1.2.3","commit":"abc","date":"2026-01-02T03:04:05Z","go_version":"go1.27.3","platform":"linux/arm64"}` + "\n",
		render.Plain: "v1.2.3\tabc\t2026-01-02T03:04:05Z\tgo1.27.3\tlinux/arm64\n",
	} {
		e.Stdout.Reset()
		got.Format = f
		if err := run(context.Background(), got); err != nil {
			t.Fatal(err)
		}
		if e.Stdout.String() != want {
			t.Errorf("%s: %q, want %q", f, e.Stdout.String(), want)
		}
	}
	if err := commandtest.Run(e.Factory, []*cli.Command{NewCmd(e.Factory, nil)}, "-a", "x", "version"); domain.CodeOf(err) != domain.CodeInvalidArgument {
		t.Errorf("version with --account: %v", err)
	}
}
