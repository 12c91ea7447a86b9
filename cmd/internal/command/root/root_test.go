package root

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
)

type noEnv struct{}

func (noEnv) LookupEnv(string) (string, bool) { return "", false }

// TestEveryCommandTakesFormat: -f/--format is accepted by every command a
// user can run (scripts want their errors as JSON everywhere), so that no
// command refuses it as an unknown flag.
func TestEveryCommandTakesFormat(t *testing.T) {
	ios := &iostreams.IOStreams{In: strings.NewReader(""), Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	f := command.NewFactory(ios, noEnv{}, nil, zap.NewAtomicLevel(), nil)
	var walk func(path string, cmds []*cli.Command)
	leaves := 0
	walk = func(path string, cmds []*cli.Command) {
		for _, c := range cmds {
			if c.Hidden {
				continue
			}
			p := path + " " + c.Name
			if len(c.Subcommands) > 0 {
				walk(p, c.Subcommands)
				continue
			}
			leaves++
			var names []string
			for _, fl := range c.Flags {
				names = append(names, fl.Names()...)
			}
			if !slices.Contains(names, "format") || !slices.Contains(names, "f") {
				t.Errorf("`%s` does not take -f/--format", p)
			}
		}
	}
	walk("mp", New(f).Commands)
	if leaves < 20 {
		t.Fatalf("walked only %d commands", leaves)
	}
}
