package main

// The redirector command of the end-to-end scripts: a server on a chosen
// loopback address that answers every request with a redirect, to test
// that mp's credentials never follow one to another origin.

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"

	"github.com/rogpeppe/go-internal/testscript"
)

// redirector ADDR STATUS TARGET: starts a server on ADDR (such as
// 127.0.0.2:0) answering every request with STATUS and Location
// TARGET+path+query; sets $REDIRECTOR_URL to its address and, when the
// script ends, nothing else.
func cmdRedirector(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: redirector ADDR STATUS TARGET")
	}
	status, err := strconv.Atoi(args[1])
	ts.Check(err)
	l, err := net.Listen("tcp", args[0])
	ts.Check(err)
	var hits atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Location", args[2]+r.URL.RequestURI())
		w.WriteHeader(status)
	}))
	_ = srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	ts.Defer(srv.Close)
	ts.Setenv("REDIRECTOR_URL", srv.URL)
}
