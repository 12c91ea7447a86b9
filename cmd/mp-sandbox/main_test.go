package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mpdata/mp/mptest"
)

// startRun runs run in the background and returns the stdout lines as they
// come, and a channel with run's result.
func startRun(t *testing.T, ctx context.Context, args ...string) (<-chan string, <-chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	lines := make(chan string, 64)
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, io.Discard)
		_ = pw.Close()
		done <- err
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	return lines, done
}

func nextLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatal("stdout closed early")
		}
		return l
	case <-time.After(10 * time.Second):
		t.Fatal("no output within 10 s")
	}
	return ""
}

func TestRunPrintsBaseURLAndCredentialsThenServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lines, done := startRun(t, ctx)

	first := nextLine(t, lines)
	base, ok := strings.CutPrefix(first, "MP_API_BASE_URL=")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") || !strings.HasSuffix(base, "/{region}") {
		t.Fatalf("first line = %q, want MP_API_BASE_URL=http://127.0.0.1:PORT/{region}", first)
	}
	vars := map[string]string{}
	for len(vars) < 10 {
		l := nextLine(t, lines)
		if strings.HasPrefix(l, "#") {
			continue
		}
		k, v, _ := strings.Cut(l, "=")
		if strings.HasPrefix(k, "MP_") {
			t.Errorf("credential line %q uses a name mp reads", k)
		}
		vars[k] = v
	}
	want := map[string]string{
		"SANDBOX_US_USERNAME": mptest.DemoUsername,
		"SANDBOX_US_SECRET":   mptest.DemoSecret,
		"SANDBOX_US_TOKEN":    mptest.DemoToken,
		"SANDBOX_EU_USERNAME": mptest.DemoEUUsername,
		"SANDBOX_EU_SECRET":   mptest.DemoEUSecret,
	}
	for k, v := range want {
		if vars[k] != v {
			t.Errorf("%s = %q, want %q", k, vars[k], v)
		}
	}

	// The printed credentials work against the printed URL.
	req, _ := http.NewRequest(http.MethodGet, strings.Replace(base, "{region}", "us", 1)+"/api/app/me", nil)
	req.SetBasicAuth(vars["SANDBOX_US_USERNAME"], vars["SANDBOX_US_SECRET"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Status  string `json:"status"`
		Results struct {
			UserEmail string `json:"user_email"`
		} `json:"results"`
	}
	err = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || body.Status != "ok" || body.Results.UserEmail == "" {
		t.Fatalf("/me: status %d, body %+v, err %v", resp.StatusCode, body, err)
	}
	http.DefaultClient.CloseIdleConnections()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestRunRejectsBadArguments(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want error
	}{
		{"non-loopback address", []string{"-addr", "0.0.0.0:0"}, nil},
		{"unknown flag", []string{"-nope"}, errUsage},
		{"extra argument", []string{"serve"}, errUsage},
		{"help", []string{"-h"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), tc.args, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("run succeeded, want an error")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}
