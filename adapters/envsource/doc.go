// Package envsource implements ports.Env over the process environment.
package envsource
