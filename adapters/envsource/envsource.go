package envsource

import (
	"os"

	"github.com/mpdata/mp/ports"
)

// OS reads the real process environment. Its zero value is ready to use.
type OS struct{}

var _ ports.Env = OS{}

// LookupEnv returns the variable's value and whether it is set (an empty
// value counts as set), as os.LookupEnv does.
func (OS) LookupEnv(key string) (string, bool) { return os.LookupEnv(key) }
