// Package query defines `mp query` and its subcommand segmentation: event
// counts over a date range from Mixpanel's query API, printed as the
// result object (JSON) or as DATE SEGMENT COUNT rows.
package query
