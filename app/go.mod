module github.com/mpdata/mp/app

go 1.26

require (
	github.com/mpdata/mp/domain v0.1.0
	github.com/mpdata/mp/ports v0.1.0
	go.uber.org/zap v1.28.0
)

require go.uber.org/multierr v1.10.0 // indirect
