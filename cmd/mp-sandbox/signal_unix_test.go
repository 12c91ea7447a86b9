//go:build unix

package main

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary act as mp-sandbox when re-executed.
func TestMain(m *testing.M) {
	if os.Getenv("MP_SANDBOX_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func TestProcessStopsCleanlyOnSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-consent")
			cmd.Env = append(os.Environ(), "MP_SANDBOX_TEST_MAIN=1")
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			first := make(chan string, 1)
			go func() {
				sc := bufio.NewScanner(out)
				sc.Scan()
				first <- sc.Text()
				for sc.Scan() { // drain
				}
			}()
			select {
			case line := <-first:
				if !strings.HasPrefix(line, "MP_API_BASE_URL=http://127.0.0.1:") {
					t.Fatalf("first line = %q", line)
				}
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("no MP_API_BASE_URL line within 30 s")
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit after %v: %v, want status 0", sig, err)
				}
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running 30 s after %v", sig)
			}
		})
	}
}
