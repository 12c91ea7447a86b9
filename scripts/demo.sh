#!/usr/bin/env bash
# demo.sh — the guided tour of mp (`make demo`).
#
# Starts bin/mp-sandbox (a local Mixpanel-compatible server, package mptest)
# on a free loopback port and points mp at it through MP_API_BASE_URL, so the
# tour works offline and needs no Mixpanel account. mp runs in a throw-away
# HOME (your own ~/.mp is never touched) with every MP_* variable of the
# caller's environment removed. Each step prints the command as `$ mp …`
# followed by its output (stdout and stderr).
#
# A step that exits with another status than expected, or whose output lacks
# what it must show, stops the demo with exit 1. At the end it checks that
# no secret given to mp (the sandbox service accounts' secrets, a wrong one)
# appeared in any output, and that the static bearer appeared only where
# `mp account token` prints it (and never in config.toml). The OAuth part
# sticks to what runs headless everywhere: `mp login --token-env` and
# `mp account token`; the browser login is exercised by the e2e tests in a
# real headless Chromium. The sandbox is stopped on exit, whatever happens.
#
# MP_DEMO_BIN and MP_DEMO_SANDBOX_BIN select other binaries (default: bin/mp
# and bin/mp-sandbox, built with `make build` when missing).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
mp_bin=${MP_DEMO_BIN:-$repo/bin/mp}
sandbox_bin=${MP_DEMO_SANDBOX_BIN:-$repo/bin/mp-sandbox}
if [ ! -x "$mp_bin" ] || [ ! -x "$sandbox_bin" ]; then
  make -C "$repo" --no-print-directory build >&2
fi
[ -x "$mp_bin" ] || { echo "demo: no mp binary at $mp_bin" >&2; exit 1; }
[ -x "$sandbox_bin" ] || { echo "demo: no mp-sandbox binary at $sandbox_bin" >&2; exit 1; }

# A clean environment: no MP_* variable of the caller leaks into the tour.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep '^MP_' || true)
export NO_COLOR=1

demo_home=$(mktemp -d "${TMPDIR:-/tmp}/mp-demo.XXXXXX")
sandbox_pid=
cleanup() {
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$demo_home"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export HOME=$demo_home
# Work from inside the temporary HOME: mp also looks for ./mixpanel_auth.json.
cd "$demo_home"

# --- the sandbox -----------------------------------------------------------
# It prints MP_API_BASE_URL=… first, then its fake demo credentials.
sandbox_out=$demo_home/.sandbox.out
"$sandbox_bin" >"$sandbox_out" 2>"$demo_home/.sandbox.err" &
sandbox_pid=$!
for _ in $(seq 100); do
  grep -q '^MP_API_BASE_URL=' "$sandbox_out" 2>/dev/null && grep -q '^SANDBOX_EU_TOKEN=' "$sandbox_out" && break
  kill -0 "$sandbox_pid" 2>/dev/null || { echo "demo: mp-sandbox exited:" >&2; cat "$demo_home/.sandbox.err" >&2; exit 1; }
  sleep 0.1
done
sandbox_value() { sed -n "s/^$1=//p" "$sandbox_out" | head -n 1; }
base_url=$(sandbox_value MP_API_BASE_URL)
sa_user=$(sandbox_value SANDBOX_US_USERNAME)
sa_secret=$(sandbox_value SANDBOX_US_SECRET)
eu_user=$(sandbox_value SANDBOX_EU_USERNAME)
eu_secret=$(sandbox_value SANDBOX_EU_SECRET)
token=$(sandbox_value SANDBOX_US_TOKEN)
if [ -z "$base_url" ] || [ -z "$sa_user" ] || [ -z "$sa_secret" ] || [ -z "$eu_user" ] || [ -z "$eu_secret" ] || [ -z "$token" ]; then
  echo "demo: mp-sandbox did not print MP_API_BASE_URL and the demo credentials" >&2
  exit 1
fi
case $base_url in
  http://127.0.0.1:* | http://localhost:* | http://\[::1\]:*) ;;
  *) echo "demo: mp-sandbox is not on a loopback address: $base_url" >&2; exit 1 ;;
esac
export MP_API_BASE_URL=$base_url

wrong_secret='demo-wrong-secret-4e1b'
transcript=$demo_home/.transcript
steps=0
last=

# say TEXT: a narration line.
say() { printf '\n# %s\n' "$*"; }

# run EXPECT [VAR=VALUE …] mp ARGS…
# Runs mp with the given extra environment and requires exit status EXPECT.
# With $SECRET set, its value is piped to mp's stdin (the command is shown
# with "$SECRET", never the value).
run() {
  local expect=$1 shown out rc
  shift
  local envs=()
  while [ $# -gt 0 ] && [[ $1 == [A-Z_]*=* ]]; do envs+=("$1"); shift; done
  [ "${1:-}" = mp ] || { echo "demo.sh: bad step: $*" >&2; exit 2; }
  shift
  shown="mp$(printf ' %q' "$@")"
  [ ${#envs[@]} -eq 0 ] || shown="${envs[*]} $shown"
  [ -z "${SECRET+x}" ] || shown="printf %s \"\$SECRET\" | $shown"
  printf '$ %s\n' "$shown"
  set +e
  if [ -n "${SECRET+x}" ]; then
    out=$(printf %s "$SECRET" | env "${envs[@]}" "$mp_bin" "$@" 2>&1)
  else
    out=$(env "${envs[@]}" "$mp_bin" "$@" </dev/null 2>&1)
  fi
  rc=$?
  set -e
  [ -z "$out" ] || printf '%s\n' "$out"
  printf '%s\n' "$out" >>"$transcript"
  last=$out
  steps=$((steps + 1))
  if [ "$rc" -ne 0 ] || [ "$expect" -ne 0 ]; then
    printf '(exit %d)\n' "$rc"
  fi
  if [ "$rc" -ne "$expect" ]; then
    # shellcheck disable=SC2016 # the backquotes are literal
    printf '\ndemo: FAILED at step %d: `%s` exited %d, expected %d\n' "$steps" "$shown" "$rc" "$expect" >&2
    exit 1
  fi
}

# expect TEXT…: the output of the last step contains every TEXT.
expect() {
  local t
  for t in "$@"; do
    if [[ $last != *"$t"* ]]; then
      printf '\ndemo: FAILED at step %d: the output lacks %q\n' "$steps" "$t" >&2
      exit 1
    fi
  done
}

# shell CMD…: show and run a plain shell command (not mp).
shell() {
  printf '$%s\n' "$(printf ' %q' "$@")"
  "$@"
}

echo "mp demo — a tour against a local Mixpanel-compatible sandbox"
echo "(HOME=$HOME, config in ~/.mp; MP_API_BASE_URL=$MP_API_BASE_URL)"
run 0 mp version

say "Add a service account. The secret comes from stdin — never a flag. No --region: mp probes us → eu → in with /me."
SECRET=$sa_secret run 0 mp account add team --type service_account --username "$sa_user" --secret-stdin
expect "Found account in region us." "Added account 'team' (service_account, us). Set as active."

say "An eu credential: the us cluster refuses it (401), eu accepts it, so the account is saved with region eu."
SECRET=$eu_secret run 0 mp account add shop --type service_account --username "$eu_user" --secret-stdin
expect "Probing region us… 401" "Probing region eu… ok" "Added account 'shop' (service_account, eu)."

say "Check the credentials: JSON by default, exit 0 when ok."
run 0 mp account test
expect '"ok": true' '"accessible_project_count": 3'

say "A wrong secret with --region: checked there before anything is written, and refused (2: authentication)."
SECRET=$wrong_secret run 2 mp account add wrong --type service_account --region us --username "$sa_user" --secret-stdin
expect "check the username and secret and the region" "--no-verify adds it unchecked"
say "Added anyway with --no-verify, account test says what is wrong."
SECRET=$wrong_secret run 0 mp account add wrong --type service_account --region us --username "$sa_user" --secret-stdin --no-verify
run 2 mp account test wrong
expect '"ok": false' '"error_code": "AUTH_FAILED"'

say "The projects the account can see (from /me, cached for 24 h in ~/.mp/accounts/team/me.json)."
run 0 mp project list
expect "3713224  AI Demo"
run 0 mp project list --format csv

say "A target saves account + project + workspace; using it makes it the session."
run 0 mp target add ai --account team --project 3713224 --workspace 3448414
run 0 mp target use ai
run 0 mp workspace list
expect "3448414  All Project Data  *        *"

say "Queries run on the session's project and workspace (project_id and workspace_id are sent)."
run 0 mp query segmentation -e Login --from 2026-04-01 --to 2026-04-07
expect "DATE        SEGMENT  COUNT" "2026-04-07  Login"
run 0 mp query segmentation -e Purchase --from 2026-04-01 --to 2026-04-14 --unit week --on plan --format json
expect '"segment_property": "plan"' '"total":'
run 0 mp inspect events --limit 5

say "Where does each axis come from? --explain shows the winner and what it shadowed; names come from the /me cache."
run 0 mp session --explain
expect "AI Demo"

say "Any endpoint, raw: project_id is injected, the body is printed as it comes."
run 0 mp api /api/query/events/names -F limit=3 --include
expect "HTTP 200 OK" '["Page View","Login","Sign Up"]'

say "Two more kinds of account: a bearer token read from a variable at request time, and a browser (PKCE) login."
run 0 mp account add ci --type oauth_token --region eu --project 4100001 --token-env MP_CI_TOKEN
run 0 mp account add personal --type oauth_browser --region us
run 0 mp account list
expect "team      service_account  us      3713224  *"

say "Errors have stable codes and exit codes: an unknown project is 4 (not found)…"
run 4 mp query segmentation -p 999999 -e Login --from 2026-04-01 --to 2026-04-07
expect "project 999999 was not found"
say "…flags conflicting with --target are 3 (usage), an unknown account is 4."
run 3 mp -t ai -p 3018488 session
run 4 mp account use nope --format json
expect '"code": "ACCOUNT_NOT_FOUND"'

say "…and an account that targets still use is not removed (1) unless --force."
run 1 mp account remove team
expect "ai"

say "One-step setup: mp login detects the credential — here --token-env DEMO_TOKEN, a static bearer read at request time (DEMO_TOKEN holds the sandbox's token) — probes the region, names the account after the first organisation in /me, and makes it active."
export DEMO_TOKEN=$token
run 0 mp login --token-env DEMO_TOKEN --project 3018488
expect "Probing region us… ok" "Logged in as jo@example.com → acme-corp · E-Commerce Demo"
run 0 mp session
expect "acme-corp"
say "The config keeps the variable's name, never the token."
shell grep -n 'token_env' "$HOME/.mp/config.toml"

say "mp account token prints the bearer alone (for curl and friends); a service account has none (1); a browser account that never logged in says how to (2)."
run 0 mp account token
expect "$token"
run 1 mp account token team
expect "service accounts use Basic auth; no bearer"
run 2 mp account token personal
expect "mp account login personal"

say "Files live under ~/.mp: directories 0700, files 0600 (the /me cache too)."
shell stat -c '%a %n' "$HOME/.mp" "$HOME/.mp/config.toml" "$HOME/.mp/accounts/team/me.json"

for s in "$sa_secret" "$eu_secret" "$wrong_secret"; do
  if grep -qF -- "$s" "$transcript"; then
    echo "demo: FAILED: a secret given to mp appeared in its output" >&2
    exit 1
  fi
done
# The bearer appears once: printed by `mp account token`, whose job that is.
if [ "$(grep -cF -- "$token" "$transcript")" -ne 1 ] || grep -qF -- "$token" "$HOME/.mp/config.toml"; then
  echo "demo: FAILED: the bearer token appeared outside \`mp account token\` (or in config.toml)" >&2
  exit 1
fi
printf '\ndemo: OK — %d mp commands behaved as expected against the sandbox; no secret appeared in any output.\n' "$steps"
