// Package sysclock implements ports.Clock over the system clock.
package sysclock
