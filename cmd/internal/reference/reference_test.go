package reference

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
	"go.uber.org/zap"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/command/root"
	"github.com/mpdata/mp/cmd/internal/exitcode"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
)

func TestReferenceCoversTheCommandTree(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	ios, _, _, _ := iostreams.Test()
	a := root.New(command.NewFactory(ios, nil, nil, zap.NewAtomicLevel(), nil))
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := prefix + " " + c.Name
			if c.Hidden {
				if strings.Contains(doc, "`"+path+"`") {
					t.Errorf("reference documents the hidden command %q", path)
				}
				continue
			}
			if !strings.Contains(doc, "`"+path+"`") {
				t.Errorf("reference lacks command %q", path)
			}
			for _, f := range c.Flags {
				if !strings.Contains(doc, "`--"+f.Names()[0]+"`") {
					t.Errorf("reference lacks flag --%s of %q", f.Names()[0], path)
				}
			}
			walk(path, c.Subcommands)
		}
	}
	walk("mp", a.Commands)
	for _, cl := range exitcode.Classes() {
		if !strings.Contains(doc, fmt.Sprintf("| %d | %s |", cl.Exit, cl.Meaning)) {
			t.Errorf("reference lacks exit code %d", cl.Exit)
		}
		for _, c := range cl.Codes {
			if !strings.Contains(doc, "`"+string(c)+"`") {
				t.Errorf("reference lacks error code %s", c)
			}
		}
	}
	for _, f := range render.Formats() {
		if !strings.Contains(doc, "| `"+string(f)+"` |") {
			t.Errorf("reference lacks format %s", f)
		}
	}
	var again bytes.Buffer
	if err := Write(&again); err != nil || again.String() != doc {
		t.Error("the reference is not deterministic")
	}
}
