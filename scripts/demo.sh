#!/usr/bin/env bash
# demo.sh — the offline tour of mp (`make demo`).
#
# Runs the real bin/mp in a throw-away HOME (so the default ~/.mp is used and
# your own configuration is never touched), with every MP_* variable of the
# caller's environment removed. Each step prints the command as `$ mp …`
# followed by its output. A step that should succeed and does not (or a step
# that should fail with a given exit code and does not) stops the demo with
# exit 1. At the end it checks that the service-account secret given at add
# time never appeared in any output.
#
# Until the HTTP issue lands the tour is offline: no command here talks to
# Mixpanel. Set MP_DEMO_BIN to run another binary (default: bin/mp, built
# with `make build` when missing).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
mp_bin=${MP_DEMO_BIN:-$repo/bin/mp}
if [ ! -x "$mp_bin" ]; then
  make -C "$repo" --no-print-directory build >&2
fi
[ -x "$mp_bin" ] || { echo "demo: no mp binary at $mp_bin" >&2; exit 1; }

# A clean environment: no MP_* variable of the caller leaks into the tour.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^MP_' || true)
export NO_COLOR=1

demo_home=$(mktemp -d "${TMPDIR:-/tmp}/mp-demo.XXXXXX")
trap 'rm -rf "$demo_home"' EXIT
export HOME=$demo_home
# Work from inside the temporary HOME: mp also looks for ./mixpanel_auth.json.
cd "$demo_home"

secret='demo-secret-7f3a9c'
transcript=$demo_home/.transcript
steps=0

# say TEXT: a narration line.
say() { printf '\n# %s\n' "$*"; }

# run EXPECT [VAR=VALUE …] mp ARGS…
# Runs mp with the given extra environment (stdin from $STDIN when set) and
# requires exit status EXPECT.
run() {
  local expect=$1 shown out rc
  shift
  local envs=()
  while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do envs+=("$1"); shift; done
  [ "${1:-}" = mp ] || { echo "demo.sh: bad step: $*" >&2; exit 2; }
  shift
  shown="mp$(printf ' %q' "$@")"
  [ ${#envs[@]} -eq 0 ] || shown="${envs[*]} $shown"
  [ -z "${STDIN+x}" ] || shown="printf %s '$STDIN' | $shown"
  printf '$ %s\n' "$shown"
  set +e
  if [ -n "${STDIN+x}" ]; then
    out=$(printf %s "$STDIN" | env "${envs[@]}" "$mp_bin" "$@" 2>&1)
  else
    out=$(env "${envs[@]}" "$mp_bin" "$@" </dev/null 2>&1)
  fi
  rc=$?
  set -e
  [ -z "$out" ] || printf '%s\n' "$out"
  printf '%s\n' "$out" >>"$transcript"
  steps=$((steps + 1))
  if [ "$rc" -ne 0 ] || [ "$expect" -ne 0 ]; then
    printf '(exit %d)\n' "$rc"
  fi
  if [ "$rc" -ne "$expect" ]; then
    printf '\ndemo: FAILED at step %d: `%s` exited %d, expected %d\n' "$steps" "$shown" "$rc" "$expect" >&2
    exit 1
  fi
}

# shell CMD…: show and run a plain shell command (not mp).
shell() {
  printf '$%s\n' "$(printf ' %q' "$@")"
  "$@"
}

echo "mp demo — the offline tour (HOME=$HOME, config in ~/.mp)"
run 0 mp version

say "Three kinds of account. Secrets come from stdin, an env var name, or (later) a browser login — never from a flag value."
STDIN=$secret run 0 mp account add team --type service_account --username team.sa --region us --project 3018488 --secret-stdin
run 0 mp account add ci --type oauth_token --region eu --project 1234567 --token-env MP_CI_TOKEN
run 0 mp account add personal --type oauth_browser --region us

say "The first account became the active one. Lists come in every format."
run 0 mp account list
run 0 mp account list --format json
run 0 mp account list --format csv
run 0 mp account show team

say "A target is a saved cursor: account + project + workspace."
run 0 mp target add ecom --account team --project 3018488 --workspace 3448414
run 0 mp target list
run 0 mp target use ecom
run 0 mp session

say "Switching the account clears the active workspace (workspaces belong to a project)."
run 0 mp account use ci
run 0 mp session
run 0 mp workspace show
run 0 mp project show

say "Where does each axis come from? --explain shows the winner and what it shadowed."
run 0 mp session --explain --format json

say "Environment beats a target's project; env-only values never conflict with --target."
run 0 MP_PROJECT_ID=42 mp -t ecom session --explain

say "…but flags do conflict with --target (usage error, exit 3)."
run 3 mp -t ecom -p 42 session

say "Unknown names are not-found errors (exit 4) that list what exists; --format json adds an error envelope on stdout."
run 4 mp account use nope
run 4 mp account use nope --format json

say "An account that targets still use is not removed (exit 1) unless --force; the JSON shows who uses it."
run 1 mp account remove team
run 0 mp account show team --format json

say "Files live under ~/.mp: directories 0700, files 0600."
shell stat -c '%a %n' "$HOME/.mp" "$HOME/.mp/config.toml"

if grep -qF -- "$secret" "$transcript"; then
  echo "demo: FAILED: the service-account secret appeared in mp's output" >&2
  exit 1
fi
printf '\ndemo: OK — %d mp commands behaved as expected; the secret never appeared in any output.\n' "$steps"
