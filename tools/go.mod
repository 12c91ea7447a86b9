module github.com/mpdata/mp/tools

go 1.26.0

tool github.com/google/wire/cmd/wire

require golang.org/x/mod v0.42.0

require (
	github.com/google/subcommands v1.2.0 // indirect
	github.com/google/wire v0.7.0 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	golang.org/x/sync v0.23.0 // indirect
	golang.org/x/tools v0.51.0 // indirect
)
