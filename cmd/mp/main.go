// Command mp manages Mixpanel credentials and context: accounts, projects,
// workspaces and saved targets. See docs/cli.md for the reference.
package main

import (
	"os"
	"runtime/debug"

	"github.com/mpdata/mp/cmd/internal/cli"
)

func main() {
	tuneGC()
	os.Exit(cli.Main())
}

// tuneGC lets the heap grow to five times the live data before a
// collection (GOGC=400) instead of twice, under a soft limit of 256 MiB.
// mp lives for milliseconds and its live data is the config it read: with
// the default, a config of 5,000 accounts cost a collection or two, whose
// marking and write barriers took about 8 ms of CPU and touched 200 more
// pages. A GOGC or GOMEMLIMIT in the environment wins.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(256 << 20)
	}
}
