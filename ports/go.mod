module github.com/mpdata/mp/ports

go 1.26

require github.com/mpdata/mp/domain v0.1.0
