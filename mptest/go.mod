module github.com/mpdata/mp/mptest

go 1.26
