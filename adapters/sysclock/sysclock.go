package sysclock

import (
	"time"

	"github.com/mpdata/mp/ports"
)

// Clock tells the system time. Its zero value is ready to use.
type Clock struct{}

var _ ports.Clock = Clock{}

// Now returns time.Now().
func (Clock) Now() time.Time { return time.Now() }
