//go:build unix

package browser

import (
	"os/exec"
	"syscall"
)

// detach puts the command in its own process group, so that a Ctrl-C in
// mp's terminal does not reach the browser.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
