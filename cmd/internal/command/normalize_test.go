package command

import (
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func testApp() *cli.App {
	return &cli.App{
		Name:  "mp",
		Flags: RootFlags(),
		Commands: []*cli.Command{
			{Name: "account", Subcommands: []*cli.Command{
				{Name: "add", Flags: LeafFlags(NoAxes,
					&cli.StringFlag{Name: "type"}, &cli.StringFlag{Name: "project", Aliases: []string{"p"}},
					&cli.BoolFlag{Name: "secret-stdin"})},
				{Name: "show", Flags: LeafFlags(AccountAxes)},
			}},
			{Name: "session", Flags: LeafFlags(AllAxes, &cli.BoolFlag{Name: "explain"})},
		},
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"empty", []string{"mp"}, []string{"mp"}},
		{"root flags stay", []string{"mp", "-a", "x", "--debug", "session"}, []string{"mp", "-a", "x", "--debug", "session"}},
		{
			"flags after positional move before it",
			[]string{"mp", "account", "add", "team", "--type", "service_account", "--secret-stdin", "-p", "12"},
			[]string{"mp", "account", "add", "--type", "service_account", "--secret-stdin", "-p", "12", "team"},
		},
		{
			"equals form",
			[]string{"mp", "account", "show", "team", "--format=json"},
			[]string{"mp", "account", "show", "--format=json", "team"},
		},
		{
			"flag between group and leaf moves to the leaf",
			[]string{"mp", "account", "-f", "json", "show", "team"},
			[]string{"mp", "account", "show", "-f", "json", "team"},
		},
		{
			"bool flag does not eat the positional",
			[]string{"mp", "account", "add", "--secret-stdin", "team"},
			[]string{"mp", "account", "add", "--secret-stdin", "team"},
		},
		{
			"dash-dash keeps dashed positionals",
			[]string{"mp", "account", "show", "--", "-odd", "-f"},
			[]string{"mp", "account", "show", "--", "-odd", "-f"},
		},
		{
			"dashed positional after flags gets a dash-dash",
			[]string{"mp", "account", "show", "x", "-f", "json", "--", "-y"},
			[]string{"mp", "account", "show", "-f", "json", "--", "x", "-y"},
		},
		{
			"value that looks like a command stays a value",
			[]string{"mp", "account", "add", "show", "--type", "show"},
			[]string{"mp", "account", "add", "--type", "show", "show"},
		},
		{"unknown command left alone", []string{"mp", "bogus", "-x", "y"}, []string{"mp", "bogus", "-x", "y"}},
		{
			"unknown flag kept, treated as bool",
			[]string{"mp", "account", "add", "n", "--secret", "v"},
			[]string{"mp", "account", "add", "--secret", "n", "v"},
		},
		{"help", []string{"mp", "account", "--help"}, []string{"mp", "account", "--help"}},
		{"trailing value flag without value", []string{"mp", "session", "-f"}, []string{"mp", "session", "-f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(testApp(), slices.Clone(tt.in))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Normalize(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("account add team --type x -p 1 -- -y")
	f.Add("-a b session --explain")
	f.Fuzz(func(t *testing.T, line string) {
		in := append([]string{"mp"}, strings.Fields(line)...)
		out := Normalize(testApp(), slices.Clone(in))
		// Normalization only reorders and may add one "--".
		if len(out) < len(in) || len(out) > len(in)+1 {
			t.Fatalf("Normalize(%q) = %q: length changed by more than one", in, out)
		}
		count := func(s []string) map[string]int {
			m := map[string]int{}
			for _, x := range s {
				m[x]++
			}
			return m
		}
		ci, co := count(in), count(out)
		for k, v := range ci {
			if co[k] != v && (k != "--" || co[k] != v+1) {
				t.Fatalf("Normalize(%q) = %q: token %q count %d → %d", in, out, k, v, co[k])
			}
		}
	})
}
