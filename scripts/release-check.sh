#!/usr/bin/env bash
# release-check.sh — prove that the work tree, tagged at VERSION, is usable
# the ways a release is used (docs/releasing.md). Every step prints one
# "release-check:" summary line; the first failure stops it.
#
#  1. modules   tools/relmod check: every go.mod requires its siblings at
#               VERSION, no replace, no tool directive; scripts/gomod.sh
#               check: each module is tidy and builds and vets with
#               GOWORK=off against its own requirements.
#  2. go get    a file:// module proxy of the tree at VERSION (the layout of
#               `go help goproxy`, zips made with golang.org/x/mod/zip); a
#               fresh module with an empty module cache, GOWORK=off
#               GOFLAGS=-mod=mod GONOSUMDB=github.com/mpdata/* GOSUMDB=off,
#               runs `go get github.com/mpdata/mp@VERSION`, builds and runs
#               internal/releasecheck/consumer (every namespace of the
#               library against mptest: accounts, bridge, secrets, targets,
#               session, data, HTTP client, errors; one "consumer:" line
#               each) and reports the modules linked and the size.
#  3. go install `go install github.com/mpdata/mp/cmd/mp@VERSION` from that
#               proxy; the installed `mp version` must say VERSION.
#  4. artifacts (unless RELEASE_CHECK_ARTIFACTS=0) scripts/release-artifacts.sh:
#               GoReleaser snapshot, .deb install/remove, Wine, reproducibility.
#
# Third-party modules come from the machine's module cache first, then the
# public proxy; the repository's own modules only from the file proxy.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
GO=${GO:-go}
version=$(tr -d '[:space:]' <VERSION)
say() { echo "release-check: $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. modules
GOWORK=off $GO build -C tools -o "$tmp/relmod" ./relmod
"$tmp/relmod" -repo "$repo" check
./scripts/gomod.sh check >"$tmp/gomod.log" 2>&1 || { cat "$tmp/gomod.log" >&2; exit 1; }
say "modules: $(tail -1 "$tmp/gomod.log" | sed 's/^gomod: //')"

# 2. go get, in a fresh module with an empty module cache
cache=$(GOWORK=off $GO env GOMODCACHE)
gobin="$(GOWORK=off $GO env GOROOT)/bin"
"$tmp/relmod" -repo "$repo" proxy -out "$tmp/proxy" >"$tmp/proxy.log"
say "proxy: $(wc -l <"$tmp/proxy.log") modules at $version in file://$tmp/proxy (tags: $("$tmp/relmod" -repo "$repo" tags | tr '\n' ' '))"
consumer_env=(
  PATH="$gobin:$PATH" GOTOOLCHAIN=local GOWORK=off GOFLAGS="-mod=mod -modcacherw"
  GOMODCACHE="$tmp/modcache" GOPATH="$tmp/gopath" GOBIN="$tmp/bin"
  GOPROXY="file://$tmp/proxy,file://$cache/cache/download,https://proxy.golang.org"
  GONOSUMDB='github.com/mpdata/*' GOSUMDB=off GOPRIVATE= GONOPROXY=
)
mkdir -p "$tmp/consumer"
cp internal/releasecheck/consumer/main.go "$tmp/consumer/main.go"
(
  cd "$tmp/consumer"
  env "${consumer_env[@]}" go mod init example.com/consumer >/dev/null 2>&1
  env "${consumer_env[@]}" go get "github.com/mpdata/mp@$version" "github.com/mpdata/mp/mptest@$version" 2>"$tmp/get.log" ||
    { cat "$tmp/get.log" >&2; echo "release-check: go get github.com/mpdata/mp@$version failed" >&2; exit 1; }
  env "${consumer_env[@]}" go build -trimpath -o consumer . 2>&1
) || exit 1
say "go get github.com/mpdata/mp@$version: ok ($(grep -c '^go: added github.com/mpdata/' "$tmp/get.log") mp modules from the file proxy)"
"$tmp/consumer/consumer" | sed 's/^consumer: /release-check: consumer ran: /'
linked=$(env "${consumer_env[@]}" go version -m "$tmp/consumer/consumer" | awk '$1 == "dep"' | wc -l)
graph=$(cd "$tmp/consumer" && env "${consumer_env[@]}" go list -m all | tail -n +2 | wc -l)
size=$(stat -c %s "$tmp/consumer/consumer")
say "library consumer: $linked modules linked into the binary ($graph in its module graph), binary $((size / 1024)) KiB"
env "${consumer_env[@]}" go version -m "$tmp/consumer/consumer" | awk '$1 == "dep" {printf "release-check:   dep %s %s\n", $2, $3}'
# The library links no CLI and, without keychain.Enable(), no keychain stack.
for heavy in github.com/zalando/go-keyring github.com/godbus/dbus github.com/danieljoos/wincred github.com/urfave/cli; do
  if env "${consumer_env[@]}" go version -m "$tmp/consumer/consumer" | awk '$1 == "dep" {print $2}' | grep -q "^$heavy"; then
    echo "release-check: the library consumer links $heavy, which only the mp command (or keychain.Enable) should bring" >&2
    exit 1
  fi
done
say "library consumer links no keychain stack (go-keyring, godbus, wincred) and no urfave/cli"

# 3. go install
env "${consumer_env[@]}" go install "github.com/mpdata/mp/cmd/mp@$version" 2>"$tmp/install.log" ||
  { cat "$tmp/install.log" >&2; echo "release-check: go install github.com/mpdata/mp/cmd/mp@$version failed" >&2; exit 1; }
got=$(HOME="$tmp/home" "$tmp/bin/mp" version --format json)
grep -q "\"version\": \"$version\"" <<<"$got" || { echo "release-check: the installed mp version does not say $version:" >&2; echo "$got" >&2; exit 1; }
say "go install github.com/mpdata/mp/cmd/mp@$version: ok, binary $(($(stat -c %s "$tmp/bin/mp") / 1024)) KiB; mp version: $(HOME="$tmp/home" "$tmp/bin/mp" version --format plain)"

# 4. release artifacts
if [ "${RELEASE_CHECK_ARTIFACTS:-1}" = 0 ]; then
  say "artifacts: skipped (RELEASE_CHECK_ARTIFACTS=0)"
elif [ -x scripts/release-artifacts.sh ]; then
  ./scripts/release-artifacts.sh
fi
say "OK"
