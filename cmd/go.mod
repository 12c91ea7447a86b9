module github.com/mpdata/mp/cmd

go 1.26.0

require (
	github.com/creack/pty v1.1.24
	github.com/google/go-cmp v0.6.0
	github.com/mpdata/mp v0.1.0
	github.com/mpdata/mp/adapters v0.1.0
	github.com/mpdata/mp/app v0.1.0
	github.com/mpdata/mp/domain v0.1.0
	github.com/mpdata/mp/mptest v0.1.0
	github.com/mpdata/mp/ports v0.1.0
	github.com/pelletier/go-toml/v2 v2.4.3
	github.com/rogpeppe/go-internal v1.16.0
	github.com/urfave/cli/v2 v2.27.7
	go.uber.org/zap v1.28.0
	golang.org/x/term v0.48.0
)

require (
	github.com/cli/browser v1.3.0 // indirect
	github.com/cpuguy83/go-md2man/v2 v2.0.7 // indirect
	github.com/danieljoos/wincred v1.2.3 // indirect
	github.com/godbus/dbus/v5 v5.2.2 // indirect
	github.com/gofrs/flock v0.13.2 // indirect
	github.com/google/wire v0.7.0 // indirect
	github.com/russross/blackfriday/v2 v2.1.0 // indirect
	github.com/xrash/smetrics v0.0.0-20240521201337-686a1a2994c1 // indirect
	github.com/zalando/go-keyring v0.2.8 // indirect
	go.uber.org/multierr v1.10.0 // indirect
	golang.org/x/oauth2 v0.38.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/tools v0.26.0 // indirect
)
