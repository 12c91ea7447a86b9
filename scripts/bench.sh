#!/usr/bin/env bash
# bench.sh — mp's performance figures against their targets, in one table.
#
# Each row: the figure measured, the floor it is compared with, the ratio
# and the target (docs/performance.md). It reports; it never fails on a
# missed target (benchmarks do not gate CI).
#
#  - start-up: each offline command over a 3-account config against a
#    hello-world Go binary built by the same toolchain, run in alternating
#    pairs (hello, mp, hello, mp, …) so that both see the same machine load;
#    and the floors under it: hello world linking net/http (what any Go
#    HTTPS client starts with), and a binary of mp's packages whose main
#    returns at once (runtime and package init only);
#  - size: each offline command over 5,000 accounts + 5,000 targets
#    (~840 KB) against 30 ms, and its growth from 2,500 to 5,000 (the two
#    sizes run alternately);
#  - one config read per command, Use to a seen session and Load of an
#    unchanged config (Go benchmarks), and the size of bin/mp.
#
# Usage: scripts/bench.sh [RUNS]   (default 41 pairs per command;
#        MP_BENCH_BIN overrides bin/mp)
set -euo pipefail

runs=${1:-41}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${MP_BENCH_BIN:-$root/bin/mp}
[ -x "$bin" ] || { echo "bench.sh: $bin not found; run 'make build' first" >&2; exit 1; }
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for v in $(env | sed -n 's/^\(MP_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export NO_COLOR=1 DBUS_SESSION_BUS_ADDRESS=disabled:

# The floor: hello world, same toolchain.
mkdir -p "$work/hello"
printf 'module hello\n\ngo 1.24\n' >"$work/hello/go.mod"
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' >"$work/hello/main.go"
(cd "$work/hello" && GOWORK=off go build -o "$work/hello/hello" .)
hello=$work/hello/hello

# The floor of any Go HTTPS client: hello world that links net/http (the
# runtime and package init of net/http, crypto/tls and crypto/x509, which
# mp needs for its API calls and OAuth).
mkdir -p "$work/hellohttp"
printf 'module hellohttp\n\ngo 1.24\n' >"$work/hellohttp/go.mod"
printf 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n\nvar _ = http.Get\n\nfunc main() { fmt.Println("hello") }\n' >"$work/hellohttp/main.go"
(cd "$work/hellohttp" && GOWORK=off CGO_ENABLED=0 go build -trimpath -o "$work/hellohttp/hello" .)
hellohttp=$work/hellohttp/hello

# The start-up floor of what mp links: a main in the cmd module that links
# every package of mp (cmd/internal/cli) and returns at once — the runtime
# and package init of mp's binary, without mp's work. Built in a directory
# the go tool's ./... patterns skip (leading _), removed on exit.
floordir=$root/cmd/_benchfloor$$
trap 'rm -rf "$work" "$floordir"' EXIT
mkdir -p "$floordir"
printf 'package main\n\nimport (\n\t"os"\n\n\t"github.com/mpdata/mp/cmd/internal/cli"\n)\n\nfunc main() {\n\tif len(os.Args) > 1<<20 {\n\t\tos.Exit(cli.Main())\n\t}\n}\n' >"$floordir/main.go"
floor=$work/floor
(cd "$root/cmd" && CGO_ENABLED=0 go build -trimpath -tags urfave_cli_no_docs -o "$floor" "./_benchfloor$$") || floor=
rm -rf "$floordir"

# home_with N — a HOME whose config holds N service accounts and N targets
# (N=3: the everyday config, with an active account).
home_with() {
  local n=$1 h=$work/home-$1
  mkdir -p "$h/.mp" && chmod 700 "$h/.mp"
  awk -v n="$n" 'BEGIN {
    print "[active]\naccount = \"a0\""
    for (i = 0; i < n; i++) printf "\n[accounts.a%d]\ntype = \"service_account\"\nregion = \"us\"\ndefault_project = \"%d\"\nusername = \"sa%d\"\nsecret = \"s%d\"\n", i, 1000 + i, i, i
    for (i = 0; i < n; i++) printf "\n[targets.t%d]\naccount = \"a%d\"\nproject = \"%d\"\nworkspace = %d\n", i, i, 1000 + i, 7 + i
  }' >"$h/.mp/config.toml"
  chmod 600 "$h/.mp/config.toml"
  echo "$h"
}

# paired_us HOME CMD… — medians of hello and of mp CMD, run alternately.
paired_us() {
  local home=$1; shift
  local -a th=() tm=()
  local i s
  for ((i = 0; i < runs; i++)); do
    s=$EPOCHREALTIME; "$hello" >/dev/null; th+=($(( ${EPOCHREALTIME/./} - ${s/./} )))
    s=$EPOCHREALTIME; HOME=$home "$bin" "$@" >/dev/null 2>&1 || true; tm+=($(( ${EPOCHREALTIME/./} - ${s/./} )))
  done
  local mh mm
  mh=$(printf '%s\n' "${th[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  mm=$(printf '%s\n' "${tm[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  echo "$mh $mm"
}

# alternate_us HOME_A HOME_B CMD… — medians of mp CMD over HOME_A and over
# HOME_B, run alternately (so that a change in load hits both sizes alike
# and the growth ratio stays meaningful on a shared machine).
alternate_us() {
  local a=$1 b=$2; shift 2
  local -a ta=() tb=()
  local i s
  for ((i = 0; i < runs; i++)); do
    s=$EPOCHREALTIME; HOME=$a "$bin" "$@" >/dev/null 2>&1 || true; ta+=($(( ${EPOCHREALTIME/./} - ${s/./} )))
    s=$EPOCHREALTIME; HOME=$b "$bin" "$@" >/dev/null 2>&1 || true; tb+=($(( ${EPOCHREALTIME/./} - ${s/./} )))
  done
  local ma mb
  ma=$(printf '%s\n' "${ta[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  mb=$(printf '%s\n' "${tb[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
  echo "$ma $mb"
}

rows=()
# row FIGURE VALUE FLOOR RATIO TARGET MET
row() { rows+=("$(printf '%-56s|%12s|%14s|%8s|%18s|%s' "$@")"); }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f ms", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "yes" : "NO" }'; }

cmds=("session" "session --format json" "account list" "account list --format json"
  "target list" "target list --format json" "account show a1" "account show a1 --format json")

small=$(home_with 3)
read -r h m < <(bin=$hellohttp paired_us "$small")
row "start-up floor: hello world linking net/http" "$(ms "$m")" "hello $(ms "$h")" "$(ratio "$m" "$h")" "(floor)" "-"
if [ -n "$floor" ]; then
  read -r h m < <(bin=$floor paired_us "$small")
  r=$(ratio "$m" "$h")
  row "start-up floor: mp's packages, empty main (no work)" "$(ms "$m")" "hello $(ms "$h")" "$r" "(floor)" "-"
fi
for c in "${cmds[@]}"; do
  read -r h m < <(paired_us "$small" $c)
  r=$(ratio "$m" "$h")
  row "start-up: mp $c (3 accounts)" "$(ms "$m")" "hello $(ms "$h")" "$r" "<= 1.50" "$(le "$r" 1.5)"
done

mid=$(home_with 2500)
big=$(home_with 5000)
for c in "${cmds[@]}"; do
  read -r m5 m25 < <(alternate_us "$big" "$mid" $c)
  r=$(ratio "$m5" 30000)
  row "5k: mp $c" "$(ms "$m5")" "30 ms" "$r" "<= 1.00" "$(le "$r" 1)"
  g=$(ratio "$m5" "$m25")
  row "  growth 2.5k -> 5k" "x$g" "$(ms "$m25")" "$g" "<= 2.20" "$(le "$g" 2.2)"
done

# Go benchmarks: one config read per command, Use and Load unchanged.
gobench() { (cd "$root" && nice go test -run='^$' -bench="$2" -benchtime="${3:-2000x}" -benchmem "$1" 2>/dev/null | grep '^Benchmark' || true); }
while read -r name _ ns _ rest; do
  reads=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "reads/op") print $(i - 1) }' <<<"$rest")
  row "config reads per command (${name##*/})" "$reads" "1" "$(ratio "$reads" 1)" "= 1" "$(le "$reads" 1)"
done < <(gobench ./internal/wiring 'BenchmarkConfigReads' 3x | sed 's/-[0-9]*  */ /')
while read -r name _ ns _ _ _ allocs _; do
  us=$(awk -v n="$ns" 'BEGIN { printf "%.2f", n / 1000 }')
  row "Use to a seen session (${name##*/})" "$us us" "2 us" "$(ratio "$us" 2)" "<= 2 us, 2 allocs" "$(le "$us" 2) ($allocs allocs)"
done < <(gobench . 'BenchmarkUseSeenBySize' 2000x | sed 's/-[0-9]*  */ /')
while read -r name _ ns _ _ _ allocs _; do
  us=$(awk -v n="$ns" 'BEGIN { printf "%.2f", n / 1000 }')
  row "Load of an unchanged config (${name##*/})" "$us us" "2 us" "$(ratio "$us" 2)" "<= 2 us, 2 allocs" "$(le "$us" 2) ($allocs allocs)"
done < <(gobench ./adapters/filestore 'BenchmarkLoadUnchanged' 20000x | sed 's/-[0-9]*  */ /')

size=$(stat -c %s "$bin" 2>/dev/null || stat -f %z "$bin")
mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
row "bin/mp size (unstripped)" "$mb MiB" "15 MiB" "$(ratio "$mb" 15)" "<= 15 MiB" "$(le "$mb" 15)"

echo "bin: $bin ($("$bin" version 2>/dev/null | head -n 1)); $runs runs per figure; $(nproc 2>/dev/null || echo '?') CPUs; load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
printf '%-56s|%12s|%14s|%8s|%18s|%s\n' "figure" "measured" "floor" "ratio" "target" "met"
printf '%s\n' "${rows[@]}"
