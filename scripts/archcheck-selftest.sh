#!/usr/bin/env bash
# archcheck-selftest.sh — prove that scripts/archcheck.sh catches violations.
#
# Copies the repository's files (tracked plus untracked-but-not-ignored) to a
# temporary directory and runs the arch check there:
#   1. unchanged copy                        -> must pass
#   2. domain imports "os"                    -> must fail, naming domain -> os
#   3. ports imports a third-party module     -> must fail, naming the import
#   4. app imports an adapters package        -> must fail, naming app -> adapters/...
#   5. an adapter imports github.com/google/wire -> must fail (only internal/wiring may)
#   6. one adapter imports another adapter    -> must fail
# Each negative case runs in a fresh copy, so the cases cannot mask each other.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mp-archcheck-selftest.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

failures=0
n=0

# fresh_copy DIR: copy the repository's files into DIR.
fresh_copy() {
  mkdir -p "$1"
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -) | tar -C "$1" -xf -
}

# expect_pass NAME: the arch check must succeed on the copy in $dir.
expect_pass() {
  local out rc=0
  out=$("$dir/scripts/archcheck.sh" "$dir" 2>&1) || rc=$?
  if [ "$rc" -eq 0 ]; then
    echo "ok   $1 (exit 0)"
  else
    echo "FAIL $1: expected exit 0, got $rc:" >&2
    sed 's/^/     | /' <<<"$out" >&2
    failures=$((failures + 1))
  fi
}

# expect_violation NAME PATTERN: the arch check must exit 1 and print a
# VIOLATION line whose chain matches PATTERN (an extended regexp).
expect_violation() {
  local out rc=0
  out=$("$dir/scripts/archcheck.sh" "$dir" 2>&1) || rc=$?
  if [ "$rc" -eq 1 ] && grep -A1 '^VIOLATION' <<<"$out" | grep -Eq -- "$2"; then
    echo "ok   $1 (exit 1; reported: $(grep -A1 '^VIOLATION' <<<"$out" | grep -E -- "$2" | head -1 | sed 's/^ *//'))"
  else
    echo "FAIL $1: expected exit 1 and a chain matching /$2/, got exit $rc:" >&2
    sed 's/^/     | /' <<<"$out" >&2
    failures=$((failures + 1))
  fi
}

new_case() { n=$((n + 1)); dir="$scratch/case$n"; fresh_copy "$dir"; }

M=github.com/mpdata/mp

new_case
expect_pass "unchanged tree passes"

new_case
cat >"$dir/domain/zz_violation.go" <<'EOF'
package domain

import "os"

var _ = os.Getenv
EOF
expect_violation "domain importing os is refused" "$M/domain -> os$"

new_case
cat >"$dir/ports/zz_violation.go" <<'EOF'
package ports

import _ "go.uber.org/zap"
EOF
expect_violation "ports importing zap is refused" "$M/ports -> go.uber.org/zap$"

new_case
mkdir -p "$dir/adapters/zzfake" "$dir/adapters/zzother"
cat >"$dir/adapters/zzfake/zzfake.go" <<'EOF'
// Package zzfake is a planted adapter for the arch self-test.
package zzfake

// Name is exported so that importers have something to use.
const Name = "zzfake"
EOF
cat >"$dir/app/zz_violation.go" <<'EOF'
package app

import "github.com/mpdata/mp/adapters/zzfake"

var _ = zzfake.Name
EOF
expect_violation "app importing an adapter is refused" "$M/app -> $M/adapters/zzfake$"

new_case
mkdir -p "$dir/adapters/zzfake"
cat >"$dir/adapters/zzfake/zzfake.go" <<'EOF'
// Package zzfake is a planted adapter for the arch self-test.
package zzfake

import _ "github.com/google/wire"
EOF
expect_violation "an adapter importing wire is refused" "$M/adapters/zzfake -> github.com/google/wire$"

new_case
mkdir -p "$dir/adapters/zzfake" "$dir/adapters/zzother"
cat >"$dir/adapters/zzfake/zzfake.go" <<'EOF'
// Package zzfake is a planted adapter for the arch self-test.
package zzfake

// Name is exported so that importers have something to use.
const Name = "zzfake"
EOF
cat >"$dir/adapters/zzother/zzother.go" <<'EOF'
// Package zzother is a planted adapter that imports another adapter.
package zzother

import "github.com/mpdata/mp/adapters/zzfake"

var _ = zzfake.Name
EOF
expect_violation "an adapter importing another adapter is refused" "$M/adapters/zzother -> $M/adapters/zzfake$"

new_case
cat >"$dir/internal/wiring/zz_violation.go" <<'EOF'
package wiring

import "github.com/google/wire"

// zzSet is a provider set outside the wireinject-only files.
var zzSet = wire.NewSet(NewClock)
EOF
expect_violation "a provider set compiled into the library is refused" "$M -> \\.\\.\\. -> github.com/google/wire$"

if [ "$failures" -gt 0 ]; then
  echo "arch-selftest: $failures of $n cases failed" >&2
  exit 1
fi
echo "arch-selftest: OK — all $n cases behaved as expected"
