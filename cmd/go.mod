module github.com/mpdata/mp/cmd

go 1.26

require (
	github.com/mpdata/mp v0.0.0
	github.com/mpdata/mp/adapters v0.0.0
	github.com/mpdata/mp/app v0.0.0
	github.com/mpdata/mp/domain v0.0.0
	github.com/mpdata/mp/ports v0.0.0
)

replace github.com/mpdata/mp/domain => ../domain

replace github.com/mpdata/mp/ports => ../ports

replace github.com/mpdata/mp/app => ../app

replace github.com/mpdata/mp/adapters => ../adapters

replace github.com/mpdata/mp => ..
