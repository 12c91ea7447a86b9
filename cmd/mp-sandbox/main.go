// Command mp-sandbox serves a local, Mixpanel-compatible API (package
// mptest) on a loopback address, for `make demo` and manual testing of mp
// without a Mixpanel account or network.
//
// It prints, on stdout, first the line
//
//	MP_API_BASE_URL=http://127.0.0.1:PORT/{region}
//
// (so a script can `read` it), then a few "#" lines saying how to use the
// rest, then the demo credentials as SANDBOX_*=VALUE lines (fake,
// sandbox-only; under names mp never reads, so that exporting them changes
// nothing), and serves until SIGINT or SIGTERM.
//
// Usage:
//
//	mp-sandbox [-addr 127.0.0.1:0] [-consent]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mpdata/mp/mptest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "mp-sandbox:", err)
		os.Exit(1)
	}
}

// errUsage marks a command-line error (already reported on stderr).
var errUsage = errors.New("usage error")

// run serves until ctx ends, then shuts down gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("mp-sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "loopback `address` to listen on (port 0 picks a free port)")
	consent := fs.Bool("consent", false, "answer OAuth authorize requests with an HTML consent page (Allow/Deny) instead of approving at once")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: mp-sandbox [-addr 127.0.0.1:0] [-consent]")
		fmt.Fprintln(stderr, "Serves a local Mixpanel-compatible API; prints MP_API_BASE_URL and demo credentials.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "mp-sandbox: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	opts := []mptest.Option{mptest.WithAddr(*addr)}
	if *consent {
		opts = append(opts, mptest.WithAuthorizeMode(mptest.ConsentPage))
	}
	srv, err := mptest.Start(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()

	// Only MP_API_BASE_URL is meant to be exported. The credentials are
	// data under names mp does not read: exported as MP_USERNAME and
	// MP_SECRET they would make every mp command use an environment
	// account, and `mp login` pick them up.
	lines := []string{
		"MP_API_BASE_URL=" + srv.RegionURL(),
		"# Sandbox-only fake credentials, as data (mp reads none of these names). Give them to mp",
		"# yourself, for example:",
		`#   printf %s "$SANDBOX_US_SECRET" | mp account add demo --type service_account --region us --username "$SANDBOX_US_USERNAME" --secret-stdin`,
		"# (exported as MP_USERNAME/MP_SECRET they would make every mp command use an environment account).",
		"SANDBOX_US_USERNAME=" + mptest.DemoUsername,
		"SANDBOX_US_SECRET=" + mptest.DemoSecret,
		"SANDBOX_US_TOKEN=" + mptest.DemoToken,
		"SANDBOX_EU_USERNAME=" + mptest.DemoEUUsername,
		"SANDBOX_EU_SECRET=" + mptest.DemoEUSecret,
		"SANDBOX_IN_USERNAME=" + mptest.DemoINUsername,
		"SANDBOX_IN_SECRET=" + mptest.DemoINSecret,
		"SANDBOX_NO_DETAILS_USERNAME=" + mptest.DemoNoDetailsUsername,
		"SANDBOX_NO_DETAILS_SECRET=" + mptest.DemoNoDetailsSecret,
		"SANDBOX_EU_TOKEN=" + mptest.DemoEUToken,
	}
	for _, l := range lines {
		if _, err := fmt.Fprintln(stdout, l); err != nil {
			return fmt.Errorf("writing to stdout: %w", err)
		}
	}
	mode := "auto-approve"
	if *consent {
		mode = "consent page"
	}
	fmt.Fprintf(stderr, "mp-sandbox: serving %s (regions under /us, /eu, /in; OAuth authorize: %s); the credentials above are sandbox-only fake data; Ctrl-C stops it\n", srv.URL(), mode)

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
