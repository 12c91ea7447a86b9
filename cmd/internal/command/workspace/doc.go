// Package workspace defines `mp workspace use ID` and `mp workspace show`.
package workspace
