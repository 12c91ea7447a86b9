// Package project defines `mp project use ID` and `mp project show`. The
// project lives on the account as its default project.
package project
