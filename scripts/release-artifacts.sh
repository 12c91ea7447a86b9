#!/usr/bin/env bash
# release-artifacts.sh — build the release artifacts (make release-snapshot:
# GoReleaser in snapshot mode into dist/) and prove they work. Part of
# `make release-check`; each step prints one "release-check:" line.
#
#  - file(1): linux/arm64 is an aarch64 ELF, darwin binaries are Mach-O,
#    windows a PE32+.
#  - .deb: dpkg -i, the installed mp version says the stamped version,
#    man -w finds mp(1), the bash completion is where bash-completion loads
#    it from and completes, dpkg -r removes every file. Needs root and dpkg;
#    skipped (failed with CI=true) otherwise, and never touches an mp package
#    that is already installed.
#  - Wine: the windows/amd64 binary runs `mp version`, `mp account add
#    --secret-stdin`, `mp account list --format json` in a throw-away
#    WINEPREFIX (its user profile holds .mp\config.toml), and the config it
#    wrote is read back. Wine 8 (Debian 12) lacks bcryptprimitives.dll, which
#    the Go runtime loads for ProcessPrng; the check puts a forwarder DLL
#    (ProcessPrng -> advapi32.SystemFunction036, linked with mingw binutils
#    from a .def file, no code) into the prefix. Wine 9 and Windows have it.
#  - Reproducibility: a second snapshot of the same commit gives the same
#    sha256 for every binary, and an independent `go build -a` (everything
#    recompiled) of linux/amd64 with GoReleaser's flags gives the same bytes.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
MAKE=${MAKE:-make}
say() { echo "release-check: $*"; }
need() { # need WHAT: skip, or fail on CI
  if [ "${CI:-}" = true ]; then
    echo "release-check: $1 is missing (CI=true: failing; .ci/run installs it)" >&2
    exit 1
  fi
  say "  skipped: $1 is missing"
}
tmp=$(mktemp -d)
cleanup() {
  if [ -n "${installed:-}" ]; then dpkg -r mp >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'echo "release-check: ${BASH_SOURCE[0]}:$LINENO: command failed: $BASH_COMMAND" >&2' ERR

version=$(tr -d '[:space:]' <VERSION)
$MAKE --no-print-directory release-snapshot >"$tmp/snapshot.log" 2>&1 || { cat "$tmp/snapshot.log" >&2; exit 1; }
bins=$(find dist -mindepth 2 -maxdepth 2 -type f \( -name mp -o -name mp.exe \) | sort)
stamped=$(jq -r .version dist/metadata.json 2>/dev/null || sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)
say "snapshot: v$stamped, $(echo "$bins" | wc -l) binaries, $(ls dist/*.tar.gz dist/*.zip | wc -l) archives, $(ls dist/*.cdx.json | wc -l) SBOMs, $(ls dist/*.deb dist/*.rpm | wc -l) packages, checksums.txt with $(wc -l <dist/checksums.txt) entries"
for a in dist/*.tar.gz dist/*.zip; do
  case "$a" in *.zip) list=$(unzip -Z1 "$a") ;; *) list=$(tar -tzf "$a") ;; esac
  for want in LICENSE README.md manpages/mp.1 completions/mp.bash completions/_mp completions/mp.fish; do
    grep -qx "$want" <<<"$list" || { echo "release-check: $a lacks $want" >&2; exit 1; }
  done
  grep -Eqx 'mp(\.exe)?' <<<"$list" || { echo "release-check: $a lacks the binary" >&2; exit 1; }
done
(cd dist && sha256sum -c --quiet checksums.txt) || { echo "release-check: dist/checksums.txt does not match" >&2; exit 1; }
say "archives: each holds mp, LICENSE, README.md, manpages/, completions/; checksums.txt verifies"

# file(1)
if command -v file >/dev/null 2>&1; then
  f() { file -b "$(ls dist/mp_"$1"_*/mp* | head -1)"; }
  grep -q 'ELF 64-bit.*ARM aarch64' <<<"$(f linux_arm64)" || { echo "release-check: linux/arm64: $(f linux_arm64)" >&2; exit 1; }
  grep -q 'ELF 64-bit.*x86-64' <<<"$(f linux_amd64)" || { echo "release-check: linux/amd64: $(f linux_amd64)" >&2; exit 1; }
  grep -q 'Mach-O 64-bit x86_64' <<<"$(f darwin_amd64)" || { echo "release-check: darwin/amd64: $(f darwin_amd64)" >&2; exit 1; }
  grep -q 'Mach-O 64-bit arm64' <<<"$(f darwin_arm64)" || { echo "release-check: darwin/arm64: $(f darwin_arm64)" >&2; exit 1; }
  grep -q 'PE32+ executable.*x86-64' <<<"$(f windows_amd64)" || { echo "release-check: windows/amd64: $(f windows_amd64)" >&2; exit 1; }
  say "file: linux/arm64 $(f linux_arm64 | cut -d, -f1-2); darwin/arm64 $(f darwin_arm64 | cut -d, -f1); darwin/amd64 $(f darwin_amd64 | cut -d, -f1); windows/amd64 $(f windows_amd64 | cut -d, -f1)"
else
  need "file (apt-get install file)"
fi

# .deb
deb=$(ls dist/mp_*_amd64.deb)
if [ "$(id -u)" -ne 0 ] || ! command -v dpkg >/dev/null 2>&1; then
  need "root and dpkg (the .deb install check)"
elif dpkg -s mp >/dev/null 2>&1; then
  need "a machine without an installed mp package (not touching it)"
else
  dpkg -i "$deb" >/dev/null
  installed=1
  files=$(dpkg -L mp | while read -r p; do if [ -f "$p" ]; then echo "$p"; fi; done)
  got=$(/usr/bin/mp version --format plain | cut -f1)
  [ "$got" = "v$stamped" ] || { echo "release-check: installed mp version says '$got', want v$stamped" >&2; exit 1; }
  manpage=$(man -w mp) || { echo "release-check: man -w mp finds no page after dpkg -i" >&2; exit 1; }
  compdir=/usr/share/bash-completion/completions
  if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists bash-completion; then compdir=$(pkg-config --variable=completionsdir bash-completion); fi
  [ -f "$compdir/mp" ] || { echo "release-check: no bash completion at $compdir/mp" >&2; exit 1; }
  comp=none
  if [ -f /usr/share/bash-completion/bash_completion ]; then
    comp=$(HOME="$tmp" bash -c 'source /usr/share/bash-completion/bash_completion; _completion_loader mp; COMP_WORDS=(mp acc); COMP_CWORD=1; COMP_LINE="mp acc"; COMP_POINT=6; f=$(complete -p mp | sed -n "s/.*-F \([^ ]*\) .*/\1/p"); "$f" mp acc mp; echo "${COMPREPLY[*]}"')
    grep -qw account <<<"$comp" || { echo "release-check: bash-completion did not complete 'mp acc' (got '$comp')" >&2; exit 1; }
  fi
  dpkg -r mp >/dev/null
  installed=
  left=$(for p in $files; do if [ -e "$p" ]; then echo "$p"; fi; done)
  [ -z "$left" ] || { echo "release-check: dpkg -r mp left $left" >&2; exit 1; }
  say "deb: dpkg -i $(basename "$deb") → mp version v$stamped; man -w mp → $manpage; bash completion $compdir/mp ('mp acc' → $comp); dpkg -r removed all $(echo "$files" | wc -l) files"
fi
command -v rpm >/dev/null 2>&1 && say "rpm: $(rpm -qlp dist/mp-*.x86_64.rpm 2>/dev/null | grep -c .) files in $(basename dist/mp-*.x86_64.rpm) ($(rpm -qlp dist/mp-*.x86_64.rpm 2>/dev/null | grep -E 'completion|site-functions|vendor_completions' | tr '\n' ' '))"

# Wine
exe=$(ls dist/mp_windows_amd64_*/mp.exe)
if ! command -v wine >/dev/null 2>&1 || ! command -v x86_64-w64-mingw32-ld >/dev/null 2>&1; then
  need "wine64 and binutils-mingw-w64-x86-64 (the Windows check)"
else
  export WINEPREFIX="$tmp/wine" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  wineboot -i >/dev/null 2>&1 || true
  sys32="$WINEPREFIX/drive_c/windows/system32"
  if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
    printf 'LIBRARY bcryptprimitives\nEXPORTS\nProcessPrng = advapi32.SystemFunction036\n' >"$tmp/bcp.def"
    x86_64-w64-mingw32-as -o "$tmp/empty.o" </dev/null
    x86_64-w64-mingw32-ld --dll -e 0 --no-insert-timestamp -o "$sys32/bcryptprimitives.dll" "$tmp/bcp.def" "$tmp/empty.o"
  fi
  w() { wine "$exe" "$@" 2>"$tmp/wine.err" | tr -d '\r'; }
  wv=$(w version --format plain) || { cat "$tmp/wine.err" >&2; exit 1; }
  printf 'wine-secret-value' | wine "$exe" account add ci --type service_account --username ci.sa --project 3018488 --region us --secret-stdin --no-verify >"$tmp/add.out" 2>&1 ||
    { cat "$tmp/add.out" >&2; echo "release-check: wine: mp account add failed" >&2; exit 1; }
  list=$(w account list --format json) || { cat "$tmp/wine.err" >&2; exit 1; }
  grep -q '"name": "ci"' <<<"$list" || { echo "release-check: wine: account list lacks ci: $list" >&2; exit 1; }
  cfg=$(ls "$WINEPREFIX"/drive_c/users/*/.mp/config.toml)
  grep -q '^\[accounts.ci\]' "$cfg" || { echo "release-check: wine: $cfg has no [accounts.ci]" >&2; exit 1; }
  show=$(w account show ci --format json) || { cat "$tmp/wine.err" >&2; exit 1; }
  if grep -q wine-secret-value <<<"$wv$list$show$(cat "$tmp/add.out")"; then echo "release-check: wine: the secret shows in output" >&2; exit 1; fi
  say "wine: windows/amd64 mp version → $(cut -f1,5 <<<"$wv" | tr '\t' ' '); account add --secret-stdin ok; account list --format json → ci ($(sed -n 's/.*"secret_store": "\([^"]*\)".*/\1/p' <<<"$list")); config read back from C:\\users\\$(basename "$(dirname "$(dirname "$cfg")")")\\.mp\\config.toml"
  wineserver -k >/dev/null 2>&1 || true
fi

# Reproducibility
first=$(sha256sum $bins)
cp dist/checksums.txt "$tmp/checksums1.txt"
$MAKE --no-print-directory release-snapshot >"$tmp/snapshot2.log" 2>&1 || { cat "$tmp/snapshot2.log" >&2; exit 1; }
second=$(sha256sum $bins)
if [ "$first" != "$second" ]; then
  echo "release-check: two snapshot builds differ:" >&2
  diff <(echo "$first") <(echo "$second") >&2
  exit 1
fi
linux=$(ls dist/mp_linux_amd64_*/mp)
ldflags=$(jq -r '.[] | select(.type == "Binary" and .goos == "linux" and .goarch == "amd64") | .extra.Ldflags // empty' dist/artifacts.json 2>/dev/null || true)
if [ -z "$ldflags" ]; then
  commit=$(git rev-parse HEAD)
  date=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ)
  p=github.com/mpdata/mp/internal/version
  ldflags="-s -w -X $p.Version=v$stamped -X $p.Commit=$commit -X $p.Date=$date"
fi
(cd cmd && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 nice -n 10 go build -a -trimpath -tags urfave_cli_no_docs -ldflags "$ldflags" -o "$tmp/mp-rebuilt" ./mp)
a=$(sha256sum "$linux" | cut -d' ' -f1)
b=$(sha256sum "$tmp/mp-rebuilt" | cut -d' ' -f1)
[ "$a" = "$b" ] || { echo "release-check: go build -a of linux/amd64 gives $b, GoReleaser's is $a (ldflags: $ldflags)" >&2; exit 1; }
say "reproducible: two snapshot builds of $(git rev-parse --short HEAD) give identical binaries (sha256 build 1 = build 2):"
paste -d' ' <(echo "$first") <(echo "$second") | while read -r h1 p h2 _; do
  printf 'release-check:   %s = %s  %s\n' "$h1" "$h2" "$p"
done
same=$(grep -v '\.cdx\.json$' dist/checksums.txt | grep -cxFf "$tmp/checksums1.txt" || true)
say "reproducible: $same of $(grep -vc '\.cdx\.json$' dist/checksums.txt) archives and packages identical too (SBOMs carry a timestamp and serial number)"
say "reproducible: go build -a (all recompiled) of linux/amd64 = $b (GoReleaser: $a)"
