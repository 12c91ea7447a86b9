#!/usr/bin/env bash
# gomod.sh — work on the go.mod files as a consumer sees them, outside the
# workspace. The modules require each other at the VERSION and carry no
# replace directive (docs/releasing.md), so a GOWORK=off go command can only
# resolve a sibling through a module proxy: this script builds one from the
# work tree (tools/relmod proxy) and points the go command at it, with a
# throw-away module cache (a version in a module cache never changes, and
# these zips change with every edit) fed from the machine's own module cache
# before the public proxy, so it works offline once the workspace has built.
#
#   scripts/gomod.sh tidy    go mod tidy in every module (writes go.mod/go.sum;
#                            no sibling hash is kept in go.sum)
#   scripts/gomod.sh check   for every module: go.mod is tidy, and
#                            GOWORK=off go build ./... and go vet ./... pass
#                            (in temp copies of go.mod/go.sum; the tree is not
#                            touched)
#   scripts/gomod.sh env DIR build the proxy into DIR/proxy and print the
#                            environment (export lines) that resolves it
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
GO=${GO:-go}

# Modules from go.work: the directories of its `use` directives.
mapfile -t modules < <(awk '
  /^use[ \t]*\(/ {inuse=1; next}
  inuse && /^\)/ {inuse=0; next}
  inuse && NF {print $1; next}
  /^use[ \t]+[^(]/ {print $2}
' go.work)

# setup DIR: build relmod and the proxy into DIR, export the environment.
setup() {
  local dir=$1 cache
  cache=$(GOWORK=off $GO env GOMODCACHE)
  GOWORK=off $GO build -C tools -o "$dir/relmod" ./relmod
  # The pinned toolchain lives in the machine's module cache: run its go
  # binary directly, so the empty module cache does not fetch it again.
  GO="$(GOWORK=off $GO env GOROOT)/bin/go"
  export GOTOOLCHAIN=local
  "$dir/relmod" -repo "$repo" proxy -out "$dir/proxy" >"$dir/proxy.log"
  # A fresh module cache path every time: the go command indexes the packages
  # of a module cache directory in its build cache (GOCACHE, which outlives
  # this run) keyed by that path, trusting that a version never changes. These
  # zips change with every edit, so a reused path would list a stale set of
  # files (a file added since is "undefined").
  local modcache
  modcache=$(mktemp -d "$dir/modcache.XXXXXX")
  export GOWORK=off GOFLAGS="-mod=mod -modcacherw" GOMODCACHE="$modcache"
  export GOPROXY="file://$dir/proxy,file://$cache/cache/download,https://proxy.golang.org"
  export GONOSUMDB='github.com/mpdata/*' GOSUMDB=off
}

# strip FILE: delete the go.sum lines of the repository's own modules.
strip() { sed -i -E '/^github\.com\/mpdata\/mp(\/[a-z]+)? /d' "$1"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case "${1:-}" in
tidy)
  setup "$tmp"
  for m in "${modules[@]}"; do
    echo "GOWORK=off go mod tidy   (in $m, siblings from the work tree's proxy)"
    (cd "$m" && $GO mod tidy)
    [ ! -f "$m/go.sum" ] || strip "$m/go.sum"
    [ -s "$m/go.sum" ] || rm -f "$m/go.sum"
  done
  "$tmp/relmod" -repo "$repo" check
  ;;
check)
  setup "$tmp"
  fail=0
  for m in "${modules[@]}"; do
    w="$tmp/mod/$m"
    mkdir -p "$w"
    cp "$m/go.mod" "$w/go.mod"
    if [ -f "$m/go.sum" ]; then cp "$m/go.sum" "$w/go.sum"; else : >"$w/go.sum"; fi
    echo "GOWORK=off go mod tidy, go build ./..., go vet ./...   (in $m)"
    (cd "$m" && $GO mod tidy -modfile="$w/go.mod") || { fail=1; continue; }
    strip "$w/go.sum"
    if ! diff -u --label "$m/go.mod" --label "$m/go.mod (tidy)" "$m/go.mod" "$w/go.mod" >&2 ||
      ! diff -u --label "$m/go.sum" --label "$m/go.sum (tidy)" <(cat "$m/go.sum" 2>/dev/null) "$w/go.sum" >&2; then
      echo "gomod: $m/go.mod or go.sum is not tidy (diff above); run: make tidy" >&2
      fail=1
      continue
    fi
    (cd "$m" && GOFLAGS="$GOFLAGS -modfile=$w/go.mod" $GO build ./... && GOFLAGS="$GOFLAGS -modfile=$w/go.mod" $GO vet ./...) || fail=1
  done
  [ "$fail" -eq 0 ] || { echo "gomod: check failed" >&2; exit 1; }
  echo "gomod: ${#modules[@]} modules tidy and building with GOWORK=off against their own requirements"
  ;;
env)
  [ -n "${2:-}" ] || { echo "usage: scripts/gomod.sh env DIR" >&2; exit 2; }
  trap - EXIT
  rm -rf "$tmp"
  mkdir -p "$2"
  setup "$(cd "$2" && pwd)"
  for v in GOWORK GOFLAGS GOMODCACHE GOPROXY GONOSUMDB GOSUMDB GOTOOLCHAIN; do printf 'export %s=%q\n' "$v" "${!v}"; done
  printf 'export PATH=%q\n' "$(dirname "$GO"):$PATH"
  ;;
*)
  echo "usage: scripts/gomod.sh tidy | check | env DIR" >&2
  exit 2
  ;;
esac
