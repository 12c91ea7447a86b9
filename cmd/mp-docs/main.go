// Command mp-docs writes the CLI reference of mp (docs/cli.md) from the
// command definitions, so the reference always matches the code:
//
//	go run github.com/mpdata/mp/cmd/mp-docs -out docs/cli.md
//
// Without -out it writes to stdout.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/mpdata/mp/cmd/internal/reference"
)

func main() {
	out := flag.String("out", "", "file to write (default: stdout)")
	flag.Parse()
	var buf bytes.Buffer
	if err := reference.Write(&buf); err != nil {
		fmt.Fprintf(os.Stderr, "mp-docs: %v\n", err)
		os.Exit(1)
	}
	if *out == "" {
		_, _ = os.Stdout.Write(buf.Bytes())
		return
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "mp-docs: %v\n", err)
		os.Exit(1)
	}
}
