// Command mp-docs writes the CLI reference of mp from the command
// definitions, so the reference always matches the code: the Markdown
// reference (docs/cli.md) and the roff man pages (docs/man/mp.1 and one
// page per command group and command, e.g. mp-account-add.1):
//
//	go run github.com/mpdata/mp/cmd/mp-docs -out docs/cli.md -man docs/man
//
// Without -out (and without -man) it writes the Markdown to stdout. With
// -man it writes every page into the directory and removes the mp*.1
// pages there that the command tree no longer has.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mpdata/mp/cmd/internal/reference"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "mp-docs: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("out", "", "Markdown file to write (default: stdout, unless -man is given)")
	man := flag.String("man", "", "directory to write the man pages into")
	flag.Parse()
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (flags: -out FILE, -man DIR)", flag.Arg(0))
	}
	if *out != "" || *man == "" {
		var buf bytes.Buffer
		if err := reference.Write(&buf); err != nil {
			return err
		}
		if *out == "" {
			_, err := os.Stdout.Write(buf.Bytes())
			return err
		}
		if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if *man != "" {
		return writeMan(*man)
	}
	return nil
}

// writeMan writes the man pages into dir and removes stale mp*.1 files.
func writeMan(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, p := range reference.ManPages() {
		keep[p.Name] = true
		name := filepath.Join(dir, p.Name)
		if old, err := os.ReadFile(name); err == nil && string(old) == p.Text {
			continue
		}
		if err := os.WriteFile(name, []byte(p.Text), 0o644); err != nil {
			return err
		}
	}
	stale, err := filepath.Glob(filepath.Join(dir, "mp*.1"))
	if err != nil {
		return err
	}
	for _, s := range stale {
		if !keep[filepath.Base(s)] {
			if err := os.Remove(s); err != nil {
				return err
			}
		}
	}
	return nil
}
