package root

import (
	"strings"

	"github.com/urfave/cli/v2"
)

// examples are the examples of every command and command group, by
// command path: a "# what it does" line, then the command line ("$ mp …").
// They end each command's Description under a line "Examples:", so that
// --help, docs/cli.md and the man pages show them from this one source;
// TestEveryCommandHasExamples checks that every command has some and that
// each command line names commands and flags that exist.
func examples() map[string][]string {
	return map[string][]string{
		"login": {
			"# log in with the browser (PKCE); the account is named after the organisation",
			"$ mp login",
			"# a service account from the environment, its region found by asking each one",
			"$ MP_USERNAME=team.sa MP_SECRET=… mp login --service-account",
			"# a CI bearer read from a variable at request time, never stored",
			"$ mp login --token-env MP_CI_TOKEN --region eu --project 4100001",
		},
		"account": {
			"$ mp account list",
			"$ mp account add team --type service_account --username team.sa --secret-stdin < secret.txt",
			"$ mp account use team",
		},
		"account list": {
			"$ mp account list",
			"# the names only, for a script",
			"$ mp account list --format json | jq -r '.[].name'",
		},
		"account show": {
			"# the active account",
			"$ mp account show",
			"$ mp account show team --format json",
		},
		"account add": {
			"# a service account; its region is found by asking us, eu and in",
			"$ printf %s \"$SECRET\" | mp account add team --type service_account --username team.sa --secret-stdin",
			"# a bearer read from $MP_CI_TOKEN at request time (checked now when it is set)",
			"$ mp account add ci --type oauth_token --region eu --project 4100001 --token-env MP_CI_TOKEN",
			"# a browser login: add it, then log in",
			"$ mp account add personal --type oauth_browser --region us && mp account login personal",
		},
		"account update": {
			"$ mp account update team --project 3018488",
			"# rotate a service account's secret",
			"$ printf %s \"$NEW_SECRET\" | mp account update team --secret-stdin",
		},
		"account use": {
			"$ mp account use team",
		},
		"account remove": {
			"$ mp account remove old",
			"# also when targets still use it (they are listed as orphaned)",
			"$ mp account remove old --force",
		},
		"account test": {
			"$ mp account test team",
			"# in a script: exit 0 when the credentials work",
			"$ mp account test ci >/dev/null && echo ok",
		},
		"account login": {
			"$ mp account login personal",
			"# on a machine without a browser: open the printed address elsewhere, paste the result",
			"$ mp account login personal --no-browser",
		},
		"account logout": {
			"$ mp account logout personal",
		},
		"account token": {
			"$ curl -H \"Authorization: Bearer $(mp account token personal)\" https://mixpanel.com/api/app/me",
			"$ mp account token personal --format json",
		},
		"account export-bridge": {
			"# hand the active session to a VM or container",
			"$ mp account export-bridge --to ./mixpanel_auth.json",
			"$ mp account export-bridge -a team -p 3018488 --to /mnt/vm/home/.claude/mixpanel/auth.json",
		},
		"account remove-bridge": {
			"$ mp account remove-bridge",
			"$ mp account remove-bridge --at ./mixpanel_auth.json",
		},
		"account migrate-secrets": {
			"# move every secret out of config.toml into the OS keychain",
			"$ mp account migrate-secrets --to keychain",
			"$ mp account migrate-secrets --to file --account team",
		},
		"target": {
			"$ mp target add ecom --account team --project 3018488 --workspace 3448414",
			"$ mp target use ecom",
		},
		"target add": {
			"$ mp target add ecom --account team --project 3018488 --workspace 3448414",
			"$ mp target add ai --account team --project 3713224",
		},
		"target list": {
			"$ mp target list",
			"$ mp target list --format csv",
		},
		"target show": {
			"$ mp target show ecom",
		},
		"target use": {
			"# make ecom's account, project and workspace the session",
			"$ mp target use ecom",
			"# or just for one command",
			"$ mp -t ecom query segmentation -e Purchase --from 2026-04-01 --to 2026-04-07",
		},
		"target remove": {
			"$ mp target remove ecom",
		},
		"project": {
			"$ mp project list",
			"$ mp project use 3018488",
		},
		"project list": {
			"$ mp project list",
			"# ask Mixpanel again instead of the 24-hour /me cache",
			"$ mp project list --refresh --format json",
		},
		"project use": {
			"$ mp project use 3018488",
			"# another account's default project",
			"$ mp -a team project use 3713224",
		},
		"project show": {
			"$ mp project show",
		},
		"workspace": {
			"$ mp workspace list",
			"$ mp workspace use 3448414",
		},
		"workspace list": {
			"$ mp workspace list",
			"$ mp workspace list -p 3713224 --format json",
		},
		"workspace use": {
			"$ mp workspace use 3448414",
		},
		"workspace show": {
			"$ mp workspace show",
		},
		"session": {
			"$ mp session",
			"# where each of account, project and workspace comes from",
			"$ mp session --explain",
			"$ mp -a team session --format json",
		},
		"query": {
			"$ mp query segmentation -e Login --from 2026-04-01 --to 2026-04-07",
		},
		"query segmentation": {
			"$ mp query segmentation -e Login --from 2026-04-01 --to 2026-04-07",
			"# weekly purchases by plan, as JSON",
			"$ mp query segmentation -e Purchase --from 2026-04-01 --to 2026-04-28 --unit week --on plan --format json",
		},
		"inspect": {
			"$ mp inspect events --limit 10",
		},
		"inspect events": {
			"$ mp inspect events",
			"$ mp -t ecom inspect events --limit 10 --format plain",
		},
		"api": {
			"$ mp api /api/app/me",
			"# project_id is added; {project_id} in the path is replaced",
			"$ mp api '/api/app/projects/{project_id}/workspaces/public'",
			"$ mp api /api/query/events/names -F limit=3 --include",
		},
		"config": {
			"$ mp config migrate --dry-run",
		},
		"config migrate": {
			"# see what would change, then convert (a backup is kept)",
			"$ mp config migrate --dry-run",
			"$ mp config migrate",
		},
		"version": {
			"$ mp version",
			"$ mp version --format json",
		},
		"completion": {
			"$ source <(mp completion bash)",
			"$ mp completion fish > ~/.config/fish/completions/mp.fish",
		},
	}
}

// addExamples ends the Description of every command of cmds (below path)
// with its examples (what docs/cli.md and the man pages read), and gives
// the command a help template that shows them in an EXAMPLES section of
// their own, after the DESCRIPTION, as gh does.
func addExamples(path string, cmds []*cli.Command, ex map[string][]string) {
	for _, c := range cmds {
		p := strings.TrimSpace(path + " " + c.Name)
		if lines, ok := ex[p]; ok {
			desc := strings.TrimRight(c.Description, "\n")
			var b strings.Builder
			b.WriteString(desc)
			if desc != "" {
				b.WriteString("\n\n")
			}
			b.WriteString("Examples:\n")
			for _, l := range lines {
				b.WriteString("  " + l + "\n")
			}
			c.Description = strings.TrimRight(b.String(), "\n")
			c.CustomHelpTemplate = helpTemplate(c, desc, lines)
		}
		addExamples(p, c.Subcommands, ex)
	}
}

// descriptionBlock is the DESCRIPTION part of urfave/cli's help templates.
const descriptionBlock = `{{if .Description}}

DESCRIPTION:
   {{template "descriptionTemplate" .}}{{end}}`

// helpTemplate is urfave/cli's help template for c with its DESCRIPTION
// part replaced by desc and an EXAMPLES section, written out as text (""
// — the default template — if urfave's template has no such part).
func helpTemplate(c *cli.Command, desc string, examples []string) string {
	base := cli.CommandHelpTemplate
	if len(c.Subcommands) > 0 {
		base = cli.SubcommandHelpTemplate
	}
	if !strings.Contains(base, descriptionBlock) {
		return ""
	}
	var b strings.Builder
	if desc != "" {
		b.WriteString("\n\nDESCRIPTION:\n")
		for _, l := range strings.Split(desc, "\n") {
			b.WriteString(strings.TrimRight("   "+l, " ") + "\n")
		}
		b.WriteString("\nEXAMPLES:")
	} else {
		b.WriteString("\n\nEXAMPLES:")
	}
	for _, l := range examples {
		b.WriteString("\n   " + l)
	}
	// The text is taken literally: no template action in it.
	text := strings.ReplaceAll(b.String(), "{{", `{{"{{"}}`)
	return strings.Replace(base, descriptionBlock, text, 1)
}
