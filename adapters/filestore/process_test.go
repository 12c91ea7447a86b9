package filestore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pelletier/go-toml/v2"

	"github.com/mpdata/mp/adapters/filestore"
	"github.com/mpdata/mp/domain"
)

// The helper-process pattern: the test binary re-executes itself with
// these variables set, and TestHelperProcessAddAccount does one Update.
const (
	helperEnv     = "MP_FILESTORE_HELPER_PROCESS"
	helperPath    = "MP_FILESTORE_HELPER_PATH"
	helperHome    = "MP_FILESTORE_HELPER_HOME"
	helperAccount = "MP_FILESTORE_HELPER_ACCOUNT"
)

// TestHelperProcessAddAccount is not a test on its own: it runs only in a
// child process started by TestConcurrentProcessesLoseNothing.
func TestHelperProcessAddAccount(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	s := filestore.NewConfigStore(os.Getenv(helperPath), os.Getenv(helperHome))
	name := os.Getenv(helperAccount)
	err := s.Update(context.Background(), func(c *domain.Config) error {
		_, err := c.AddAccount(sa(name, "secret-of-"+name))
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func TestConcurrentProcessesLoseNothing(t *testing.T) {
	const processes = 32
	e := newEnv(t)
	cmds := make([]*exec.Cmd, processes)
	for i := range cmds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcessAddAccount$", "-test.count=1")
		cmd.Env = append(os.Environ(),
			helperEnv+"=1",
			helperPath+"="+e.path,
			helperHome+"="+e.home,
			helperAccount+"="+fmt.Sprintf("proc-%02d", i),
		)
		cmds[i] = cmd
	}
	outputs := make([]chan string, processes)
	for i, cmd := range cmds {
		outputs[i] = make(chan string, 1)
		go func() {
			out, err := cmd.CombinedOutput()
			if err != nil {
				outputs[i] <- fmt.Sprintf("process %d: %v\n%s", i, err, out)
				return
			}
			outputs[i] <- ""
		}()
	}
	for _, ch := range outputs {
		if msg := <-ch; msg != "" {
			t.Error(msg)
		}
	}

	data, err := os.ReadFile(e.path)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := toml.Unmarshal(data, &generic); err != nil {
		t.Fatalf("the file does not parse after %d concurrent writers: %v", processes, err)
	}
	cfg, err := e.store().Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := len(cfg.AccountNames()); got != processes {
		t.Fatalf("%d accounts after %d processes each added one: %v", got, processes, cfg.AccountNames())
	}
	for i := range processes {
		name := domain.AccountName(fmt.Sprintf("proc-%02d", i))
		a, ok := cfg.Account(name)
		if !ok {
			t.Errorf("account %s lost", name)
			continue
		}
		if !a.Secret.Equal(domain.NewSecret("secret-of-" + string(name))) {
			t.Errorf("account %s has the wrong secret", name)
		}
	}
	for _, n := range e.entries(t) {
		if n != "config.toml" && n != "config.toml.lock" {
			t.Errorf("leftover file %s", filepath.Join(e.dir, n))
		}
	}
}
