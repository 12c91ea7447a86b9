module github.com/mpdata/mp/adapters

go 1.26.0

require (
	github.com/cli/browser v1.3.0
	github.com/gofrs/flock v0.13.2
	github.com/mpdata/mp/domain v0.1.0
	github.com/mpdata/mp/mptest v0.1.0
	github.com/mpdata/mp/ports v0.1.0
	github.com/pelletier/go-toml/v2 v2.4.3
	github.com/zalando/go-keyring v0.2.8
	go.uber.org/zap v1.28.0
	golang.org/x/oauth2 v0.38.0
)

require (
	github.com/danieljoos/wincred v1.2.3 // indirect
	github.com/godbus/dbus/v5 v5.2.2 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
