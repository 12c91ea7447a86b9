// Package workspace defines `mp workspace list`, `mp workspace use ID` and
// `mp workspace show`.
package workspace
