// Package api defines `mp api`: an authenticated raw call to any Mixpanel
// /api/app/… or /api/query/… endpoint, printing the response body as it
// comes.
package api
