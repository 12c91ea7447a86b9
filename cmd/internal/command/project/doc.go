// Package project defines `mp project list`, `mp project use ID` and
// `mp project show`. The project lives on the account as its default
// project; the list comes from Mixpanel's /me (cached).
package project
