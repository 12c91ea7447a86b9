package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mpdata/mp/cmd/internal/command"
	"github.com/mpdata/mp/cmd/internal/iostreams"
	"github.com/mpdata/mp/cmd/internal/render"
	"github.com/mpdata/mp/domain"
)

// Codes the CLI itself reports in JSON error objects, besides the stable
// codes of domain.
const (
	// CodeInterrupted is the code of a run interrupted by a signal.
	CodeInterrupted = "INTERRUPTED"
	// CodeGeneric is the code of an error that carries no domain code.
	CodeGeneric = "ERROR"
)

// output is how a failure is reported.
type output struct {
	format render.Format
	debug  bool
}

// outputOf returns the output settings of the run: those recorded when the
// global flags were read, or, when parsing failed before that, those found
// by scanning the raw arguments.
func outputOf(f *command.Factory, args []string) output {
	o := output{format: f.Format(), debug: f.Debug()}
	scanned, debug := scanArgs(args)
	if o.format == render.Table && scanned != "" {
		o.format = scanned
	}
	o.debug = o.debug || debug
	return o
}

// scanArgs finds --format/-f and --debug in raw arguments (the last
// --format wins; anything after "--" is ignored).
func scanArgs(args []string) (render.Format, bool) {
	var format render.Format
	debug := false
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return format, debug
		case a == "--debug" || a == "-debug" || a == "--debug=true":
			debug = true
		case a == "--format" || a == "-f" || a == "-format":
			if i+1 < len(args) {
				if f, err := render.ParseFormat(args[i+1]); err == nil {
					format = f
				}
				i++
			}
		case strings.HasPrefix(a, "--format=") || strings.HasPrefix(a, "-f=") || strings.HasPrefix(a, "-format="):
			if f, err := render.ParseFormat(a[strings.IndexByte(a, '=')+1:]); err == nil {
				format = f
			}
		}
	}
	return format, debug
}

// errorJSON is the JSON error object of docs/reference/errors.md.
type errorJSON struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
	// Hint is printed on stderr only: the JSON object has exactly code,
	// message and details.
	Hint string `json:"-"`
}

// report writes err on stderr (`Error: <message>` and a `hint:` line — only
// the hint when the command's result states the error: command.Stated; with
// --debug also the indented details and the cause chain) and, with --format json
// or jsonl, the JSON error object on stdout — unless the command already
// wrote its result there (command.Shown).
func report(ios *iostreams.IOStreams, o output, err error) {
	body := describe(err)
	var b strings.Builder
	if !command.IsStated(err) || o.debug {
		fmt.Fprintf(&b, "%s %s\n", iostreams.Red(ios.ColorErr(), "Error:"), body.Message)
	}
	if o.debug {
		// The details are for --debug (and the JSON error object): by
		// default an error is one line and its fix.
		writeDetails(&b, body.Details)
	}
	if body.Hint != "" {
		fmt.Fprintf(&b, "hint: %s\n", body.Hint)
	}
	if o.debug {
		writeChain(&b, err)
	}
	_, _ = io.WriteString(ios.ErrOut, b.String())

	if command.IsShown(err) {
		return // the command's result is on stdout already
	}
	switch o.format {
	case render.JSON:
		_ = render.WriteJSON(ios.Out, errorJSON{Error: body})
	case render.JSONL:
		_ = render.List(ios.Out, render.JSONL, []errorJSON{{Error: body}}, nil)
	}
}

// describe extracts code, message, details and hint from err.
func describe(err error) errorBody {
	body := errorBody{Code: CodeGeneric, Message: err.Error(), Details: map[string]any{}}
	if isInterrupted(err) {
		body.Code = CodeInterrupted
		body.Message = "interrupted"
		return body
	}
	var de *domain.Error
	if errors.As(err, &de) {
		body.Code = string(de.Code)
		for k, v := range de.Details {
			body.Details[k] = v
		}
		body.Hint = de.Hint
	}
	return body
}

// writeDetails writes details as indented "key: value" lines, sorted by
// key; a list of phrases becomes a bulleted block.
func writeDetails(b *strings.Builder, details map[string]any) {
	keys := make([]string, 0, len(details))
	for k := range details {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch v := details[k].(type) {
		case []string:
			if len(v) == 0 {
				fmt.Fprintf(b, "  %s: (none)\n", k)
				continue
			}
			if !anyContains(v, " ") {
				fmt.Fprintf(b, "  %s: %s\n", k, strings.Join(v, ", "))
				continue
			}
			fmt.Fprintf(b, "  %s:\n", k)
			for _, item := range v {
				fmt.Fprintf(b, "    - %s\n", item)
			}
		case []byte:
			fmt.Fprintf(b, "  %s: %s\n", k, printable(string(v)))
		case json.RawMessage:
			fmt.Fprintf(b, "  %s: %s\n", k, printable(string(v)))
		default:
			fmt.Fprintf(b, "  %s: %s\n", k, printable(fmt.Sprint(v)))
		}
	}
}

// maxDetailLen bounds one detail line on stderr (a raw error body can be
// large; `mp api` prints it whole on stdout anyway).
const maxDetailLen = 2000

// printable makes a detail value safe for the terminal: control characters
// (ESC among them) become spaces, and a long value is cut.
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if len(s) > maxDetailLen {
		cut := maxDetailLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func anyContains(items []string, sub string) bool {
	for _, s := range items {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// writeChain writes the wrapped cause chain of err, outermost first, with
// the Go type of each link (--debug).
func writeChain(b *strings.Builder, err error) {
	b.WriteString("debug: cause chain:\n")
	for i := 1; err != nil; i++ {
		fmt.Fprintf(b, "  %d. %T: %s\n", i, err, err.Error())
		next := errors.Unwrap(err)
		if next == nil {
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				for _, e := range j.Unwrap() {
					fmt.Fprintf(b, "     + %T: %s\n", e, e.Error())
				}
			}
		}
		err = next
	}
}
