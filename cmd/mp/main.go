// Command mp manages Mixpanel credentials and context: accounts, projects,
// workspaces and saved targets. See docs/cli.md for the reference.
package main

import (
	"os"

	"github.com/mpdata/mp/cmd/internal/cli"
)

func main() { os.Exit(cli.Main()) }
