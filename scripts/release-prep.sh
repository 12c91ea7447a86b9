#!/usr/bin/env bash
# release-prep.sh — the files .goreleaser.yaml packs besides the binary,
# generated from the work tree into .cache/release/:
#   completions/mp.bash, completions/_mp, completions/mp.fish  (mp completion SHELL)
#   man/*.1.gz                                                  (docs/man, gzip -n)
# Deterministic: the same tree gives the same bytes (gzip -n stores no name
# or time), so the archives and packages stay reproducible.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
GO=${GO:-go}
out=.cache/release
rm -rf "$out" && mkdir -p "$out/completions" "$out/man"
$GO build -o "$out/mp-host" github.com/mpdata/mp/cmd/mp
HOME="$repo/$out" "$out/mp-host" completion bash >"$out/completions/mp.bash"
HOME="$repo/$out" "$out/mp-host" completion zsh >"$out/completions/_mp"
HOME="$repo/$out" "$out/mp-host" completion fish >"$out/completions/mp.fish"
rm -f "$out/mp-host"
rm -rf "$out/.mp"
for f in docs/man/*.1; do
  gzip -n -9 -c "$f" >"$out/man/$(basename "$f").gz"
done
echo "release-prep: $(ls "$out/completions" | wc -l) completion scripts, $(ls "$out/man" | wc -l) man pages in $out"
