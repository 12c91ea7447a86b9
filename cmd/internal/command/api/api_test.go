package api

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/mpdata/mp/cmd/internal/command/commandtest"
	"github.com/mpdata/mp/domain"
)

// parse runs `mp api ARGS…` with a capturing run function.
func parse(t *testing.T, args ...string) (*Options, error) {
	t.Helper()
	env := commandtest.New(domain.Config{}, nil)
	var got *Options
	cmd := NewCmd(env.Factory, func(_ context.Context, o *Options) error {
		got = o
		return nil
	})
	err := commandtest.Run(env.Factory, []*cli.Command{cmd}, append([]string{"api"}, args...)...)
	return got, err
}

func TestFlagsCaptured(t *testing.T) {
	got, err := parse(t, "-X", "post", "/api/app/x", "-F", "a=1,2", "-F", "b=x=y", "-i", "--input", "-", "-w", "5", "-p", "9")
	if err != nil {
		t.Fatal(err)
	}
	want := &Options{
		IO: got.IO, App: got.App, Selection: domain.Selection{Project: "9", Workspace: 5},
		Method: "post", Path: "/api/app/x", Fields: []string{"a=1,2", "b=x=y"}, Input: "-", Include: true,
	}
	if got, err := parse(t, "/api/app/me", "--field", "a=1", "--field", "b=2"); err != nil || !reflect.DeepEqual(got.Fields, []string{"a=1", "b=2"}) {
		t.Errorf("--field twice: %v, %+v", err, got)
	}
	if got.Path != want.Path || got.Method != want.Method || got.Input != want.Input || !got.Include ||
		got.Selection != want.Selection || !reflect.DeepEqual(got.Fields, want.Fields) {
		t.Errorf("options = %+v", got)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},                               // no PATH
		{"/api/app/me", "/api/app/me"},   // two
		{"/api/app/me", "--format=yaml"}, // no such format
		{"/api/app/me", "-F"},            // -F needs a value
		{"/api/app/me", "--frobnicate"},  // unknown flag
		{"/api/app/me", "-F", "a=1", "--field", "b=2"}, // urfave/cli: one form of a flag per command line
	} {
		if _, err := parse(t, args...); domain.CodeOf(err) != domain.CodeInvalidArgument {
			t.Errorf("%q: %v, want INVALID_ARGUMENT", args, err)
		}
	}
}

func TestBuildRequest(t *testing.T) {
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "body.json")
	if err := os.WriteFile(jsonFile, []byte(`{"name":"x"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	textFile := filepath.Join(dir, "body.txt")
	if err := os.WriteFile(textFile, []byte("a=b"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		opts  Options
		stdin string
		want  domain.RawRequest
	}{
		{
			"GET with query parameters",
			Options{Path: "/api/query/events/names", Fields: []string{"limit=3", "type=general"}},
			"",
			domain.RawRequest{Method: "GET", Path: "/api/query/events/names", Params: []domain.Param{{Key: "limit", Value: "3"}, {Key: "type", Value: "general"}}},
		},
		{
			"DELETE keeps fields in the query",
			Options{Method: "delete", Path: "/api/app/x", Fields: []string{"a=1"}},
			"",
			domain.RawRequest{Method: "DELETE", Path: "/api/app/x", Params: []domain.Param{{Key: "a", Value: "1"}}},
		},
		{
			"POST fields become a JSON body",
			Options{Method: "POST", Path: "/api/app/x", Fields: []string{"name=a,b", "n=2"}},
			"",
			domain.RawRequest{Method: "POST", Path: "/api/app/x", Body: []byte(`{"n":"2","name":"a,b"}`), ContentType: "application/json"},
		},
		{
			"POST without fields has no body",
			Options{Method: "POST", Path: "/api/app/x"},
			"",
			domain.RawRequest{Method: "POST", Path: "/api/app/x"},
		},
		{
			"--input defaults to POST; fields go to the query",
			Options{Path: "/api/app/x", Input: jsonFile, Fields: []string{"a=1"}},
			"",
			domain.RawRequest{Method: "POST", Path: "/api/app/x", Body: []byte(`{"name":"x"}`), ContentType: "application/json", Params: []domain.Param{{Key: "a", Value: "1"}}},
		},
		{
			"--input of non-JSON",
			Options{Method: "PUT", Path: "/api/app/x", Input: textFile},
			"",
			domain.RawRequest{Method: "PUT", Path: "/api/app/x", Body: []byte("a=b"), ContentType: "application/octet-stream"},
		},
		{
			"--input - reads stdin unchanged",
			Options{Method: "PATCH", Path: "/api/app/x", Input: "-"},
			"[1]\n\n",
			domain.RawRequest{Method: "PATCH", Path: "/api/app/x", Body: []byte("[1]\n\n"), ContentType: "application/json"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := commandtest.New(domain.Config{}, nil)
			env.Stdin.WriteString(tt.stdin)
			tt.opts.IO = env.IO
			got, err := buildRequest(context.Background(), &tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("request = %+v (body %q)\nwant      %+v (body %q)", got, got.Body, tt.want, tt.want.Body)
			}
		})
	}
}

func TestBuildRequestErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"bad method", Options{Method: "TRACE", Path: "/api/app/me"}, "flag -X"},
		{"field without =", Options{Path: "/api/app/me", Fields: []string{"limit"}}, "flag -F"},
		{"empty key", Options{Path: "/api/app/me", Fields: []string{"=1"}}, "flag -F"},
		{"body on GET", Options{Method: "GET", Path: "/api/app/me", Input: "-"}, "--input"},
		{"missing file", Options{Method: "POST", Path: "/api/app/x", Input: "/nonexistent/body.json"}, "--input"},
		{"a directory", Options{Method: "POST", Path: "/api/app/x", Input: os.TempDir()}, "regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := commandtest.New(domain.Config{}, nil)
			tt.opts.IO = env.IO
			_, err := buildRequest(context.Background(), &tt.opts)
			if domain.CodeOf(err) != domain.CodeInvalidArgument || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want INVALID_ARGUMENT mentioning %q", err, tt.want)
			}
		})
	}
}

// TestForTerminal: bytes untouched off a terminal; on one, JSON indented
// and every body ended with a newline.
func TestForTerminal(t *testing.T) {
	for _, tt := range []struct {
		body string
		tty  bool
		want string
	}{
		{`{"a":1,"b":[1,2]}`, false, `{"a":1,"b":[1,2]}`},
		{`{"a":1}` + "\n", false, `{"a":1}` + "\n"},
		{`{"a":1,"b":[1,2]}`, true, "{\n  \"a\": 1,\n  \"b\": [\n    1,\n    2\n  ]\n}\n"},
		{"not json", true, "not json\n"},
		{"line\n", true, "line\n"},
		{"", true, ""},
	} {
		if got := string(forTerminal([]byte(tt.body), tt.tty)); got != tt.want {
			t.Errorf("forTerminal(%q, tty=%v) = %q, want %q", tt.body, tt.tty, got, tt.want)
		}
	}
}
