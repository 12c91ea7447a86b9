#!/usr/bin/env bash
# bench.sh — whole-process timings of bin/mp, the numbers a user feels.
#
# Runs each command RUNS times (default 200) in a throw-away HOME holding a
# config with three accounts and a target, and prints the mean and median
# wall time per run. Start-up (process exec, config load and checks,
# resolution, rendering) dominates; nothing here touches the network.
#
# Usage: scripts/bench.sh [RUNS]   (MP_BENCH_BIN overrides bin/mp)
set -euo pipefail

runs=${1:-200}
bin=${MP_BENCH_BIN:-$(cd "$(dirname "$0")/.." && pwd)/bin/mp}
[ -x "$bin" ] || { echo "bench.sh: $bin not found; run 'make build' first" >&2; exit 1; }

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME=$home NO_COLOR=1
for v in $(env | sed -n 's/^\(MP_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

mp() { "$bin" "$@"; }
printf %s 'bench-secret' | mp account add team --type service_account --username team.sa \
  --region us --project 3018488 --secret-stdin >/dev/null
mp account add ci --type oauth_token --region eu --project 1234567 --token-env MP_CI_TOKEN >/dev/null 2>&1
mp account add me --type oauth_browser --region us >/dev/null
mp target add ecom --account team --project 3018488 --workspace 3448414 >/dev/null

# time_cmd LABEL CMD… — runs CMD $runs times and prints mean and median (ms).
time_cmd() {
  local label=$1; shift
  local -a t=()
  local i s e
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s%N)
    t+=($(((e - s) / 1000)))
  done
  printf '%s\n' "${t[@]}" | sort -n | awk -v label="$label" -v n="$runs" '
    { v[NR] = $1; sum += $1 }
    END { printf "%-44s mean %6.2f ms   median %6.2f ms   (%d runs)\n", label, sum / n / 1000, v[int((n + 1) / 2)] / 1000, n }'
}

echo "bin: $bin ($("$bin" version 2>/dev/null | head -n 1))"
time_cmd "mp version"                            mp version
time_cmd "mp session --format json"              mp session --format json
time_cmd "mp -t ecom session --explain -f json"  mp -t ecom session --explain --format json
time_cmd "mp account list --format json"         mp account list --format json
time_cmd "mp account use (locked atomic write)"  mp account use team
