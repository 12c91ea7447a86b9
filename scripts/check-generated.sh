#!/usr/bin/env bash
# check-generated.sh — `wire diff` (fails when wire_gen.go is stale), then
# regenerate every generated file (`make generate`:
# internal/wiring/wire_gen.go through wire, docs/cli.md and the man pages
# under docs/man through cmd/mp-docs) and fail if anything in the tree
# changed. WIRE names the wire binary (the Makefile builds it from
# tools/go.mod into .tools/).
#
# It compares checksums of every tracked or untracked-but-not-ignored file
# before and after generation, so it works on a clean clone (CI) and on a
# work tree with uncommitted edits alike. Generated files that drifted are
# left regenerated (as `make generate` would leave them) and their diff is shown.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
MAKE=${MAKE:-make}
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT

# files: checksums of every regular file git would consider (tracked, or
# untracked and not ignored), sorted by path.
files() {
  git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [ -f "$f" ] && [ ! -L "$f" ] && printf '%s\0' "$f"; done |
    xargs -0 -r sha256sum | sort -k2
}

files >"$before/sums"

# wire diff first: it names the injector file whose generated code is stale
# (exit 1) or fails when the wire graph itself is broken (exit 2).
wire_rc=0
"${WIRE:-$repo/.tools/wire}" diff ./internal/wiring >&2 || wire_rc=$?
if [ "$wire_rc" -ne 0 ]; then
  if [ "$wire_rc" -eq 1 ]; then
    echo "check-generated: internal/wiring/wire_gen.go is stale (wire diff above); run 'make generate' and commit it" >&2
  else
    echo "check-generated: wire diff failed (exit $wire_rc): the provider graph does not build" >&2
  fi
  exit 1
fi
# Keep a copy of what could change, for the diff.
git ls-files -z --cached --others --exclude-standard -- '*.go' '*.md' 'docs/man/*' |
  while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | tar -C "$before" -xf -

$MAKE --no-print-directory generate

files >"$before/sums.after"
if cmp -s "$before/sums" "$before/sums.after"; then
  echo "check-generated: OK — generated files are up to date"
  exit 0
fi

echo "check-generated: generated files drifted from the tree; run 'make generate' and commit the result:" >&2
diff <(awk '{print $2, $1}' "$before/sums") <(awk '{print $2, $1}' "$before/sums.after") |
  awk '/^[<>]/ {print $2}' | sort -u | while read -r f; do
    if [ -e "$before/$f" ] && [ -e "$f" ]; then
      diff -u --label "$f (before)" --label "$f (regenerated)" "$before/$f" "$f" >&2 || true
    elif [ -e "$f" ]; then
      echo "new file: $f" >&2
    else
      echo "removed: $f" >&2
    fi
  done
exit 1
