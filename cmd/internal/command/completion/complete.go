package completion

import (
	"context"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// Candidate is one completion of the word being typed.
type Candidate struct {
	// Word is the completed word.
	Word string
	// Description says what the word is (may be empty).
	Description string
	// Bridge marks an account that comes from the bridge in effect and is
	// not in the config. It is not offered to commands that change the
	// config for the account they name: they refuse it.
	Bridge bool
}

// Line renders c as one output line of `mp __complete`: the word, and a
// tab and the description when there is one.
func (c Candidate) Line() string {
	if c.Description == "" {
		return c.Word
	}
	return c.Word + "\t" + c.Description
}

// Names gives the names the completer offers for accounts and targets. A
// failure (no config, a broken one) yields none: completion never reports
// errors.
type Names interface {
	// Accounts returns the account names.
	Accounts(ctx context.Context) []Candidate
	// Targets returns the target names.
	Targets(ctx context.Context) []Candidate
}

// kind is what a flag value or a positional argument names.
type kind int

const (
	kindNone kind = iota
	kindAccount
	// kindConfigAccount is an account the command changes in the config:
	// the bridge's account is left out.
	kindConfigAccount
	kindTarget
	kindFormat
	kindRegion
	kindType
	kindShell
)

// flagKind returns the kind of the value of the flag named name.
func flagKind(name string) kind {
	switch name {
	case command.FlagAccount:
		return kindAccount
	case command.FlagTarget:
		return kindTarget
	case command.FlagFormat:
		return kindFormat
	case "region":
		return kindRegion
	case "type":
		return kindType
	}
	return kindNone
}

// argKinds maps a command path (below mp) to the kind of its first
// positional argument.
func argKinds() map[string]kind {
	return map[string]kind{
		"account show":   kindAccount,
		"account use":    kindConfigAccount,
		"account update": kindConfigAccount,
		"account remove": kindConfigAccount,
		"account test":   kindAccount,
		"account login":  kindConfigAccount,
		"account logout": kindConfigAccount,
		"account token":  kindAccount,
		"target show":    kindTarget,
		"target use":     kindTarget,
		"target remove":  kindTarget,
		"completion":     kindShell,
	}
}

// configAccountFlagPaths returns the command paths whose --account names
// an account the command changes in the config (or saves in it): the
// bridge's account, which lives in the bridge file, is refused there.
func configAccountFlagPaths() []string {
	return []string{"target add", "project use", "workspace use", "account migrate-secrets"}
}

// ArgumentPaths returns the command paths (below mp, e.g. "account use")
// whose first positional argument is completed, sorted.
func ArgumentPaths() []string {
	kinds := argKinds()
	out := make([]string, 0, len(kinds))
	for p := range kinds {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Complete returns the candidates for the last of words, the words typed
// after `mp` (the last one is the word being completed, "" for a new one),
// over the command tree of a. Only candidates that start with the word
// being completed are returned.
func Complete(ctx context.Context, a *cli.App, names Names, words []string) []Candidate {
	if len(words) == 0 {
		words = []string{""}
	}
	done, cur := words[:len(words)-1], words[len(words)-1]
	w := walker{app: a, used: map[string]bool{}}
	for i := 0; i < len(done); i++ {
		i += w.consume(done[i:])
	}
	c := completer{names: names}
	switch {
	case w.pending != nil:
		return c.values(ctx, w.path(), w.pending, "", cur)
	case !w.dashdash && strings.HasPrefix(cur, "-"):
		if name, value, ok := strings.Cut(cur, "="); ok {
			if fl := lookupFlag(w.known(), strings.TrimLeft(name, "-")); fl != nil && takesValue(fl) {
				return c.values(ctx, w.path(), fl, name+"=", value)
			}
			return nil
		}
		return filter(flagCandidates(w.offered(), w.used), cur)
	case w.cmd != nil && len(w.cmd.Subcommands) == 0:
		if len(w.positional) > 0 {
			return nil
		}
		return filter(c.kindValues(ctx, argKinds()[w.path()]), cur)
	case len(w.positional) > 0:
		return nil
	default:
		return filter(subcommands(w.commands()), cur)
	}
}

// walker follows the typed words down the command tree.
type walker struct {
	app *cli.App
	// cmd is the deepest command named (nil: the app level); names its path.
	cmd   *cli.Command
	names []string
	// positional are the positional arguments typed after cmd.
	positional []string
	// dashdash: "--" was typed; every later word is positional.
	dashdash bool
	// pending is the flag whose value is the next word.
	pending cli.Flag
	// used holds every name of the flags typed.
	used map[string]bool
}

// consume reads the word words[0] and returns how many words after it it
// also consumed (a flag's value).
func (w *walker) consume(words []string) int {
	word := words[0]
	switch {
	case w.dashdash:
		w.positional = append(w.positional, word)
	case word == "--":
		w.dashdash = true
	case len(word) > 1 && word[0] == '-':
		name, _, hasValue := strings.Cut(strings.TrimLeft(word, "-"), "=")
		fl := lookupFlag(w.known(), name)
		if fl == nil {
			return 0
		}
		for _, n := range fl.Names() {
			w.used[n] = true
		}
		if hasValue || !takesValue(fl) {
			return 0
		}
		if len(words) == 1 {
			w.pending = fl
			return 0
		}
		return 1
	default:
		if len(w.positional) == 0 {
			if sub := findCommand(w.commands(), word); sub != nil {
				w.cmd = sub
				w.names = append(w.names, sub.Name)
				return 0
			}
		}
		w.positional = append(w.positional, word)
	}
	return 0
}

// commands returns the subcommands at the walker's level.
func (w *walker) commands() []*cli.Command {
	if w.cmd == nil {
		return w.app.Commands
	}
	return w.cmd.Subcommands
}

// path returns the command path below mp, e.g. "account use".
func (w *walker) path() string { return strings.Join(w.names, " ") }

// known returns every flag a word at this level may name: the app's, and
// those of the command and of the commands below it (a flag may be written
// at a group level for the leaf it belongs to).
func (w *walker) known() []cli.Flag {
	flags := slices.Clone(w.app.Flags)
	if w.cmd != nil {
		flags = append(flags, subtreeFlags(w.cmd)...)
	}
	return flags
}

// offered returns the flags offered at this level: a command's own (they
// include the global flags it honours), or the app's global flags at the
// app and group levels.
func (w *walker) offered() []cli.Flag {
	if w.cmd == nil {
		return w.app.Flags
	}
	if len(w.cmd.Subcommands) == 0 {
		return w.cmd.Flags
	}
	return append(slices.Clone(w.cmd.Flags), w.app.Flags...)
}

func subtreeFlags(cmd *cli.Command) []cli.Flag {
	out := slices.Clone(cmd.Flags)
	for _, s := range cmd.Subcommands {
		out = append(out, subtreeFlags(s)...)
	}
	return out
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

func lookupFlag(flags []cli.Flag, name string) cli.Flag {
	for _, f := range flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

func takesValue(f cli.Flag) bool {
	tv, ok := f.(interface{ TakesValue() bool })
	return ok && tv.TakesValue()
}

// subcommands returns the names of the visible commands of cmds.
func subcommands(cmds []*cli.Command) []Candidate {
	var out []Candidate
	for _, c := range cmds {
		if !c.Hidden {
			out = append(out, Candidate{Word: c.Name, Description: c.Usage})
		}
	}
	return out
}

// flagCandidates returns the long and short spellings of flags, but help
// and the flags already used.
func flagCandidates(flags []cli.Flag, used map[string]bool) []Candidate {
	var out []Candidate
	for _, f := range flags {
		names := f.Names()
		if slices.Contains(names, "help") || slices.ContainsFunc(names, func(n string) bool { return used[n] }) {
			continue
		}
		if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
			continue
		}
		usage := ""
		if df, ok := f.(cli.DocGenerationFlag); ok {
			usage = df.GetUsage()
		}
		for _, n := range names {
			dashes := "--"
			if len(n) == 1 {
				dashes = "-"
			}
			out = append(out, Candidate{Word: dashes + n, Description: usage})
		}
	}
	return out
}

// filter keeps the candidates that start with prefix.
func filter(cands []Candidate, prefix string) []Candidate {
	out := cands[:0:0]
	for _, c := range cands {
		if strings.HasPrefix(c.Word, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// completer produces value candidates.
type completer struct{ names Names }

// values returns the values of the flag fl of the command at path that
// start with typed, each prefixed with lead ("--format=" when the value is
// typed in the same word).
func (c completer) values(ctx context.Context, path string, fl cli.Flag, lead, typed string) []Candidate {
	k := kindNone
	for _, n := range fl.Names() {
		if k = flagKind(n); k != kindNone {
			break
		}
	}
	if k == kindAccount && slices.Contains(configAccountFlagPaths(), path) {
		k = kindConfigAccount
	}
	cands := filter(c.kindValues(ctx, k), typed)
	for i := range cands {
		cands[i].Word = lead + cands[i].Word
	}
	return cands
}

// kindValues returns every value of kind k.
func (c completer) kindValues(ctx context.Context, k kind) []Candidate {
	var out []Candidate
	switch k {
	case kindAccount:
		if c.names != nil {
			out = c.names.Accounts(ctx)
		}
	case kindConfigAccount:
		if c.names != nil {
			for _, a := range c.names.Accounts(ctx) {
				if !a.Bridge {
					out = append(out, a)
				}
			}
		}
	case kindTarget:
		if c.names != nil {
			out = c.names.Targets(ctx)
		}
	case kindFormat:
		for _, f := range render.Formats() {
			out = append(out, Candidate{Word: string(f), Description: brief(f.Description())})
		}
	case kindRegion:
		for _, r := range domain.Regions() {
			out = append(out, Candidate{Word: string(r), Description: "region"})
		}
	case kindType:
		for _, t := range domain.AccountTypes() {
			out = append(out, Candidate{Word: string(t), Description: "account type"})
		}
	case kindShell:
		for _, s := range Shells() {
			out = append(out, Candidate{Word: s, Description: "shell"})
		}
	}
	return out
}

// brief returns s up to its first colon or semicolon.
func brief(s string) string {
	if i := strings.IndexAny(s, ":;"); i >= 0 {
		return s[:i]
	}
	return s
}
