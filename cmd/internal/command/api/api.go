package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/app"
	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/domain"
)

// MaxInputSize is the largest request body --input accepts.
const MaxInputSize = 32 << 20

// Flag names of `mp api`.
const (
	flagMethod  = "method"
	flagField   = "field"
	flagInput   = "input"
	flagInclude = "include"
)

// Options are the inputs of `mp api`.
type Options struct {
	IO        *iostreams.IOStreams
	App       func() (*app.App, error)
	Selection domain.Selection

	// Method is the HTTP method as given ("" when -X is absent).
	Method string
	// Path is the endpoint path, e.g. /api/app/me.
	Path string
	// Fields are the -F key=value pairs, in order.
	Fields []string
	// Input is the --input file ("-": stdin; "": no body).
	Input string
	// Include prints the status line and content type on stderr.
	Include bool
}

// fieldList collects repeated -F values (commas inside a value are kept).
type fieldList struct{ items []string }

// serialPrefix marks the serialized form urfave/cli copies between a
// flag's names after parsing (-F and --field share one fieldList).
const serialPrefix = "\x00mp-fields:"

// Set implements cli.Generic: it appends one value, or restores the whole
// list from its serialized form.
func (l *fieldList) Set(v string) error {
	if rest, ok := strings.CutPrefix(v, serialPrefix); ok {
		var items []string
		if err := json.Unmarshal([]byte(rest), &items); err != nil {
			return fmt.Errorf("restore -F values: %w", err)
		}
		l.items = items
		return nil
	}
	l.items = append(l.items, v)
	return nil
}

// Serialize implements cli.Serializer, so that copying the flag's value to
// its other name does not append the values again.
func (l *fieldList) Serialize() string {
	b, _ := json.Marshal(l.items)
	return serialPrefix + string(b)
}

// String implements cli.Generic.
func (l *fieldList) String() string { return strings.Join(l.items, " ") }

// NewCmd returns `mp api [-X METHOD] PATH [-F k=v]… [--input FILE]`.
func NewCmd(f *command.Factory, runF func(context.Context, *Options) error) *cli.Command {
	const axes = command.AllAxes
	fields := &fieldList{}
	return &cli.Command{
		Name:      "api",
		Usage:     "Make an authenticated request to any Mixpanel /api/app/… or /api/query/… endpoint",
		ArgsUsage: "PATH",
		Description: "Sends the request with the credentials of the account in use and prints the response body\n" +
			"on stdout exactly as received (no re-formatting: pipe it to jq). project_id — and workspace_id\n" +
			"when a workspace is set — are added as query parameters unless PATH or -F already gives them;\n" +
			"the placeholders {project_id} and {workspace_id} in PATH are replaced.\n" +
			"\n" +
			"-F key=value: for GET, HEAD and DELETE (and whenever --input gives the body) a query\n" +
			"parameter; for POST, PUT and PATCH a field of a JSON object body, sent as a string. For other\n" +
			"JSON bodies use --input FILE (or --input - for stdin), sent as is (Content-Type\n" +
			"application/json when it parses as JSON). The method defaults to GET, or POST with --input.\n" +
			"\n" +
			"The exit code follows the HTTP status: 0 for 2xx, 2 for 401 and 403, 3 for a request the\n" +
			"API rejected as invalid (400, 422), 4 for 404, 5 for 429 after the retries, 1 for 5xx and\n" +
			"any other error; the error, with the API's error text, is reported on stderr. GET and HEAD are retried\n" +
			"on 429, 502, 503 and 504. --include prints the status line and the content type on stderr.\n" +
			"The body is printed as it comes — byte for byte in a pipe or a file; on a terminal a JSON\n" +
			"body is indented and every body ends with a newline. --format json only makes an error\n" +
			"without an answer (network, credentials) a JSON error object on stdout.",
		Flags: command.LeafFlagsRaw(axes,
			&cli.StringFlag{Name: flagMethod, Aliases: []string{"X"}, Usage: "HTTP method: GET, HEAD, POST, PUT, PATCH or DELETE (default: GET, or POST with --input)"},
			&cli.GenericFlag{Name: flagField, Aliases: []string{"F"}, Value: fields, Usage: "add a parameter key=value (repeatable): query parameter, or JSON body field for POST/PUT/PATCH"},
			&cli.StringFlag{Name: flagInput, Usage: "send the contents of `FILE` as the request body (- for stdin)"},
			&cli.BoolFlag{Name: flagInclude, Aliases: []string{"i"}, Usage: "print the HTTP status and content type on stderr"},
		),
		Action: func(c *cli.Context) error {
			g, err := f.ReadGlobals(c, axes)
			if err != nil {
				return err
			}
			args, err := command.Args(c, 1, 1, "PATH")
			if err != nil {
				return err
			}
			opts := &Options{
				IO: f.IO, App: f.App, Selection: g.Selection,
				Method: c.String(flagMethod), Path: args[0], Fields: slices.Clone(fields.items),
				Input: c.String(flagInput), Include: c.Bool(flagInclude),
			}
			fields.items = nil
			if runF != nil {
				return runF(c.Context, opts)
			}
			return run(c.Context, opts)
		},
	}
}

func run(ctx context.Context, opts *Options) error {
	req, err := buildRequest(ctx, opts)
	if err != nil {
		return err
	}
	a, err := opts.App()
	if err != nil {
		return err
	}
	resp, err := a.API.Do(ctx, opts.Selection, req)
	if resp.Status == 0 {
		// No answer at all (network, credentials, a refused path).
		return err
	}
	if opts.Include {
		_, _ = fmt.Fprintf(opts.IO.ErrOut, "HTTP %d %s\nContent-Type: %s\n", resp.Status, http.StatusText(resp.Status), resp.ContentType)
	}
	if _, werr := opts.IO.Out.Write(forTerminal(resp.Body, opts.IO.IsStdoutTTY())); werr != nil {
		return werr
	}
	// An error status comes back with its typed error (ports.MixpanelAPI),
	// whose code sets the exit code.
	return command.Shown(err)
}

// forTerminal is the body as printed: in a pipe or a file, the bytes
// exactly as they came (scripts may hash them); on a terminal, a JSON body
// indented, and any body ended with a newline so that the prompt starts on
// a line of its own.
func forTerminal(body []byte, tty bool) []byte {
	if !tty || len(body) == 0 {
		return body
	}
	var out bytes.Buffer
	if json.Valid(body) && json.Indent(&out, bytes.TrimSpace(body), "", "  ") == nil {
		out.WriteByte('\n')
		return out.Bytes()
	}
	if body[len(body)-1] != '\n' {
		return append(slices.Clip(body), '\n')
	}
	return body
}

// buildRequest parses the -F fields and hands the request to the rules of
// app.BuildRawRequest (default method, fields as query parameters or a
// JSON body, --input as the body, no body on GET/HEAD); --input is read
// only when the method allows a body.
func buildRequest(ctx context.Context, opts *Options) (domain.RawRequest, error) {
	params, err := parseFields(opts.Fields)
	if err != nil {
		return domain.RawRequest{Path: opts.Path}, err
	}
	in := app.RawInput{Method: opts.Method, Path: opts.Path, Fields: params}
	if opts.Input != "" {
		in.Body = func() ([]byte, error) { return readInput(ctx, opts) }
	}
	return app.BuildRawRequest(in)
}

// parseFields parses -F key=value pairs.
func parseFields(fields []string) ([]domain.Param, error) {
	var out []domain.Param
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return nil, domain.NewError(domain.CodeInvalidArgument, "flag -F: %q is not key=value", f).
				WithDetail("flag", "-F").
				WithHint("write -F key=value, e.g. -F limit=10")
		}
		out = append(out, domain.Param{Key: k, Value: v})
	}
	return out, nil
}

// readInput reads the --input body from a file or stdin.
func readInput(ctx context.Context, opts *Options) ([]byte, error) {
	if opts.Input == "-" {
		b, err := opts.IO.ReadStdin(ctx, MaxInputSize)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, command.FlagError("--input", err)
		}
		return b, nil
	}
	fi, err := os.Stat(opts.Input)
	if err != nil {
		return nil, domain.NewError(domain.CodeInvalidArgument, "flag --input: cannot read %s", opts.Input).
			WithDetail("flag", "--input").WithDetail("file", opts.Input).
			WithHint("check the path, or pass --input - to read the body from stdin").WithCause(err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > MaxInputSize {
		return nil, domain.NewError(domain.CodeInvalidArgument, "flag --input: %s is not a regular file of at most %d bytes", opts.Input, MaxInputSize).
			WithDetail("flag", "--input").WithDetail("file", opts.Input).
			WithHint("pass a regular file, or pipe the body to --input -")
	}
	b, err := os.ReadFile(opts.Input)
	if err != nil {
		return nil, domain.NewError(domain.CodeInvalidArgument, "flag --input: cannot read %s", opts.Input).
			WithDetail("flag", "--input").WithDetail("file", opts.Input).WithCause(err)
	}
	return b, nil
}
