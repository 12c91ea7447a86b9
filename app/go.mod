module github.com/mpdata/mp/app

go 1.26

require (
	github.com/mpdata/mp/domain v0.0.0
	github.com/mpdata/mp/ports v0.0.0
	go.uber.org/zap v1.28.0
)

require go.uber.org/multierr v1.10.0 // indirect

replace github.com/mpdata/mp/domain => ../domain

replace github.com/mpdata/mp/ports => ../ports
