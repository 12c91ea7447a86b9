module github.com/mpdata/mp/domain

go 1.26
