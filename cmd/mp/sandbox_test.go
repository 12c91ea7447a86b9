package main

// Sandbox commands of the end-to-end scripts: a script starts an in-process
// Mixpanel-compatible server (mptest) and points mp at it through
// MP_API_BASE_URL, then asserts what the server received.

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mpdata/mp/mptest"
)

// sandboxKey is the key of a script's *sandboxHolder in its Values.
type sandboxKey struct{}

// sandboxHolder keeps the server a script started (one per script).
type sandboxHolder struct{ srv *mptest.Server }

// sandboxOf returns the script's running sandbox; the script fails when it
// has not started one.
func sandboxOf(ts *testscript.TestScript) *mptest.Server {
	h, _ := ts.Value(sandboxKey{}).(*sandboxHolder)
	if h == nil || h.srv == nil {
		ts.Fatalf("no sandbox: run the `sandbox` command first")
	}
	return h.srv
}

// sandbox starts the script's sandbox on a free loopback port, sets
// MP_API_BASE_URL to its region URL (…/{region}, so credentials are bound
// to their region), and exports the demo credentials:
//
//	SANDBOX_URL                               the server's root URL
//	SANDBOX_SA_USER, SANDBOX_SA_SECRET        us service account (3 projects)
//	SANDBOX_EU_SA_USER, SANDBOX_EU_SA_SECRET  eu service account (EU Shop)
//	SANDBOX_IN_SA_USER, SANDBOX_IN_SA_SECRET  in service account (India Payments)
//	SANDBOX_NODETAILS_USER, SANDBOX_NODETAILS_SECRET  us service account without user_details (/me 403)
//	SANDBOX_TOKEN, SANDBOX_EU_TOKEN           static bearer tokens (us, eu)
//
// Options (any order):
//
//	authorize=auto|consent|deny  how /oauth/authorize/ answers (default auto:
//	                             redirect with a code at once)
//	token-lifetime=DURATION      lifetime of issued access tokens (default 1h)
//	no-rotation                  the refresh grant keeps the refresh token
//
// The server is closed when the script ends.
func cmdSandbox(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: sandbox [authorize=auto|consent|deny] [token-lifetime=DURATION] [no-rotation]"
	if neg {
		ts.Fatalf("%s", usage)
	}
	var opts []mptest.Option
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "authorize":
			mode, ok := map[string]mptest.AuthorizeMode{"auto": mptest.AutoApprove, "consent": mptest.ConsentPage, "deny": mptest.AutoDeny}[v]
			if !ok {
				ts.Fatalf("%s", usage)
			}
			opts = append(opts, mptest.WithAuthorizeMode(mode))
		case "token-lifetime":
			d, err := time.ParseDuration(v)
			ts.Check(err)
			opts = append(opts, mptest.WithAccessTokenLifetime(d))
		case "no-rotation":
			opts = append(opts, mptest.WithoutRefreshRotation())
		default:
			ts.Fatalf("%s", usage)
		}
	}
	h, _ := ts.Value(sandboxKey{}).(*sandboxHolder)
	if h == nil {
		ts.Fatalf("sandbox: the script's environment has no sandbox slot (setupEnv)")
	}
	if h.srv != nil {
		ts.Fatalf("sandbox: already started")
	}
	srv, err := mptest.Start(opts...)
	ts.Check(err)
	h.srv = srv
	ts.Defer(srv.Close)
	for k, v := range map[string]string{
		"MP_API_BASE_URL":          srv.RegionURL(),
		"SANDBOX_URL":              srv.URL(),
		"SANDBOX_SA_USER":          mptest.DemoUsername,
		"SANDBOX_SA_SECRET":        mptest.DemoSecret,
		"SANDBOX_EU_SA_USER":       mptest.DemoEUUsername,
		"SANDBOX_EU_SA_SECRET":     mptest.DemoEUSecret,
		"SANDBOX_IN_SA_USER":       mptest.DemoINUsername,
		"SANDBOX_IN_SA_SECRET":     mptest.DemoINSecret,
		"SANDBOX_NODETAILS_USER":   mptest.DemoNoDetailsUsername,
		"SANDBOX_NODETAILS_SECRET": mptest.DemoNoDetailsSecret,
		"SANDBOX_TOKEN":            mptest.DemoToken,
		"SANDBOX_EU_TOKEN":         mptest.DemoEUToken,
	} {
		ts.Setenv(k, v)
	}
}

// sandbox-count ROUTE N: the sandbox received exactly N requests on ROUTE
// (a route such as /api/app/me, across regions, or a region-prefixed path
// such as /eu/api/app/me) since it started or was last reset.
func cmdSandboxCount(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: sandbox-count ROUTE N")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	if got := sandboxOf(ts).Count(args[0]); got != want {
		ts.Fatalf("sandbox received %d requests on %s, want %d", got, args[0], want)
	}
}

// sandbox-reset clears the sandbox's request counters and log.
func cmdSandboxReset(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: sandbox-reset")
	}
	sandboxOf(ts).Reset()
}

// sandbox-request ROUTE PARAM [VALUE]: the most recent request on ROUTE
// carried the query parameter PARAM (with exactly VALUE when given).
// `! sandbox-request ROUTE PARAM` asserts it did not carry PARAM.
func cmdSandboxRequest(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 || len(args) > 3 || (neg && len(args) != 2) {
		ts.Fatalf("usage: sandbox-request ROUTE PARAM [VALUE] | ! sandbox-request ROUTE PARAM")
	}
	route, param := args[0], args[1]
	var last *mptest.Request
	srv := sandboxOf(ts)
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if matchesRoute(reqs[i], route) {
			last = &reqs[i]
			break
		}
	}
	if last == nil {
		ts.Fatalf("sandbox received no request on %s; it received:\n%s", route, describeRequests(srv))
	}
	values, ok := last.Query[param]
	switch {
	case neg && ok:
		ts.Fatalf("the last request on %s (%s) carried %s=%q", route, last.Path, param, values)
	case neg:
		return
	case !ok:
		ts.Fatalf("the last request on %s (%s?%s) did not carry %s", route, last.Path, last.Query.Encode(), param)
	case len(args) == 3 && (len(values) != 1 || values[0] != args[2]):
		ts.Fatalf("the last request on %s carried %s=%q, want %q", route, param, values, args[2])
	}
}

// matchesRoute reports whether r is a request on route: a Route constant
// (any region), a region-prefixed route, or a concrete path.
func matchesRoute(r mptest.Request, route string) bool {
	if r.Route == route || r.Path == route {
		return true
	}
	if r.Region != "" && "/"+r.Region+r.Route == route {
		return true
	}
	return strings.TrimPrefix(r.Path, "/"+r.Region) == route
}

// json-sum SOURCE PATH SUMPATH: the number at PATH equals the sum of every
// number anywhere under SUMPATH (e.g. `json-sum stdout .total .series`).
func cmdJSONSum(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: json-sum SOURCE PATH SUMPATH")
	}
	doc := readJSON(ts, args[0])
	v, err := jsonPath(doc, args[1])
	ts.Check(err)
	total, ok := number(v)
	if !ok {
		ts.Fatalf("%s %s is %s, not a number", args[0], args[1], canonical(ts, v))
	}
	under, err := jsonPath(doc, args[2])
	ts.Check(err)
	sum, n := sumNumbers(under)
	if n == 0 {
		ts.Fatalf("%s %s holds no numbers", args[0], args[2])
	}
	if math.Abs(sum-total) > 1e-9*math.Max(1, math.Abs(total)) {
		ts.Fatalf("%s %s = %v, but the %d numbers under %s sum to %v", args[0], args[1], total, n, args[2], sum)
	}
}

func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

// sumNumbers adds every number in v (recursively) and counts them.
func sumNumbers(v any) (float64, int) {
	switch x := v.(type) {
	case json.Number:
		f, _ := number(x)
		return f, 1
	case []any:
		var s float64
		var n int
		for _, e := range x {
			es, en := sumNumbers(e)
			s, n = s+es, n+en
		}
		return s, n
	case map[string]any:
		var s float64
		var n int
		for _, e := range x {
			es, en := sumNumbers(e)
			s, n = s+es, n+en
		}
		return s, n
	}
	return 0, 0
}

// describeRequests lists the sandbox's requests (for failures).
func describeRequests(srv *mptest.Server) string {
	var b strings.Builder
	for _, r := range srv.Requests() {
		fmt.Fprintf(&b, "  %s %s?%s\n", r.Method, r.Path, r.Query.Encode())
	}
	return b.String()
}

// sandbox-fault ROUTE KIND [ARGS…] [xN | always] queues a fault for the
// requests on ROUTE (as sandbox-count takes it). KIND and ARGS:
//
//	ratelimit SECS        429 with Retry-After: SECS (-1: no header)
//	status CODE           CODE with an error body of the route's shape
//	server-error CODE     a 5xx
//	close                 close the connection without answering
//	body STATUS TYPE TEXT exactly this answer
//	delay DURATION        answer normally, DURATION late
//
// The fault applies to the next request only, to the next N with xN, or to
// every request with always. `sandbox-fault clear` removes every fault.
func cmdSandboxFault(ts *testscript.TestScript, neg bool, args []string) {
	const usage = "usage: sandbox-fault ROUTE ratelimit SECS|status CODE|server-error CODE|close|body STATUS TYPE TEXT|delay DURATION [xN|always] | sandbox-fault clear"
	if neg || len(args) == 0 {
		ts.Fatalf("%s", usage)
	}
	srv := sandboxOf(ts)
	if args[0] == "clear" && len(args) == 1 {
		srv.ClearFaults()
		return
	}
	if len(args) < 2 {
		ts.Fatalf("%s", usage)
	}
	route, kind, rest := args[0], args[1], args[2:]
	repeat, always := 1, false
	if n := len(rest); n > 0 {
		last := rest[n-1]
		switch {
		case last == "always":
			always, rest = true, rest[:n-1]
		case strings.HasPrefix(last, "x"):
			r, err := strconv.Atoi(last[1:])
			if err == nil && r > 0 {
				repeat, rest = r, rest[:n-1]
			}
		}
	}
	intArg := func() int {
		if len(rest) != 1 {
			ts.Fatalf("%s", usage)
		}
		n, err := strconv.Atoi(rest[0])
		ts.Check(err)
		return n
	}
	var f mptest.Fault
	switch kind {
	case "ratelimit":
		f = mptest.RateLimit(intArg())
	case "status":
		f = mptest.Status(intArg())
	case "server-error":
		f = mptest.ServerError(intArg())
	case "close":
		if len(rest) != 0 {
			ts.Fatalf("%s", usage)
		}
		f = mptest.CloseConnection()
	case "delay":
		if len(rest) != 1 {
			ts.Fatalf("%s", usage)
		}
		d, err := time.ParseDuration(rest[0])
		ts.Check(err)
		f = mptest.Delay(d)
	case "body":
		if len(rest) != 3 {
			ts.Fatalf("%s", usage)
		}
		status, err := strconv.Atoi(rest[0])
		ts.Check(err)
		f = mptest.Body(status, rest[1], rest[2])
	default:
		ts.Fatalf("sandbox-fault: unknown kind %q\n%s", kind, usage)
	}
	if always {
		srv.InjectAlways(route, f)
		return
	}
	faults := make([]mptest.Fault, repeat)
	for i := range faults {
		faults[i] = f
	}
	srv.Inject(route, faults...)
}

// sandbox-header ROUTE NAME PATTERN: the most recent request on ROUTE
// carried the header NAME with a value matching the regexp PATTERN.
func cmdSandboxHeader(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: sandbox-header ROUTE NAME PATTERN")
	}
	re, err := regexp.Compile(args[2])
	ts.Check(err)
	srv := sandboxOf(ts)
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if !matchesRoute(reqs[i], args[0]) {
			continue
		}
		if v := reqs[i].Header.Get(args[1]); !re.MatchString(v) {
			ts.Fatalf("the last request on %s carried %s: %q, which does not match %q", args[0], args[1], v, args[2])
		}
		return
	}
	ts.Fatalf("sandbox received no request on %s; it received:\n%s", args[0], describeRequests(srv))
}
