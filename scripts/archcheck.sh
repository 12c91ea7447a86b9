#!/usr/bin/env bash
# archcheck.sh — check the dependency rule of docs/architecture.md mechanically.
#
# For every module listed in go.work it runs `go list -deps` over the module's
# own packages (non-test imports, default build tags and the `wireinject` tag)
# and walks the import graph from those packages. Rules:
#
#   domain    imports only the standard library, and of it no I/O, environment,
#             logging, process or randomness package (os, net/http, syscall, log, flag,
#             crypto/rand, math/rand, unsafe, testing, …: see IMPURE below)
#   ports     imports only the standard library and domain
#   mptest    imports only the standard library
#   app       never reaches adapters, cmd, the root library, urfave/cli or wire;
#             its own direct imports are std (minus the IMPURE list), domain, ports,
#             app and go.uber.org/zap
#   adapters  never reach app, cmd, the root library, urfave/cli or wire; an adapter
#             package never imports another adapter (adapters/internal/... is shared)
#   everyone  only github.com/mpdata/mp/internal/wiring imports github.com/google/wire;
#             only github.com/mpdata/mp/cmd/... imports github.com/urfave/cli
#   library   the root package (default tags) does not link github.com/google/wire:
#             the provider sets live in wireinject-only files, so library users never
#             compile the wire tool's package
#
# On a violation it prints the rule and the import chain from the module's own
# package to the forbidden import, and exits 1. Usage: scripts/archcheck.sh [REPO_DIR]
set -euo pipefail

repo=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$repo"
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
GO=${GO:-go}
M=github.com/mpdata/mp

# Modules from go.work: the directories of its `use` directives.
mapfile -t modules < <(awk '
  /^use[ \t]*\(/ {inuse=1; next}
  inuse && /^\)/ {inuse=0; next}
  inuse && NF {print $1; next}
  /^use[ \t]+[^(]/ {print $2}
' go.work)
[ "${#modules[@]}" -gt 0 ] || { echo "archcheck: no modules found in $repo/go.work" >&2; exit 2; }

errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT
violations=0
checked=0
for dir in "${modules[@]}"; do
  modpath=$(awk '$1 == "module" {print $2; exit}' "$dir/go.mod")
  for tags in "" wireinject; do
    # One line per package: path, standard?, DepOnly?, direct imports.
    if ! graph=$(cd "$dir" && $GO list -deps ${tags:+-tags "$tags"} \
      -f '{{.ImportPath}}	{{.Standard}}	{{.DepOnly}}	{{join .Imports " "}}' ./... 2>"$errfile"); then
      echo "archcheck: go list failed in module $modpath (dir $dir${tags:+, tags $tags}):" >&2
      cat "$errfile" >&2
      exit 2
    fi
    [ -n "$tags" ] || checked=$((checked + $(awk -F'\t' '$3 == "false"' <<<"$graph" | wc -l)))
    out=$(awk -v MOD="$modpath" -v M="$M" -v TAGS="${tags:-default}" '
      function under(p, root) { return p == root || index(p, root "/") == 1 }
      # The rule for a package reached from module MOD: "" when allowed, else why not.
      function forbidden(p,    a) {
        if (std[p]) return ""
        if (MOD == M "/domain") return under(p, M "/domain") ? "" : "domain may import only the standard library"
        if (MOD == M "/ports")  return (under(p, M "/domain") || under(p, M "/ports")) ? "" : "ports may import only the standard library and domain"
        if (MOD == M "/mptest") return under(p, M "/mptest") ? "" : "mptest may import only the standard library"
        if (MOD == M "/app") {
          if (under(p, M "/adapters")) return "app must not import adapters"
          if (under(p, M "/cmd")) return "app must not import cmd"
          if (p == M || under(p, M "/internal")) return "app must not import the root library or its internals"
        }
        if (MOD == M "/adapters") {
          if (under(p, M "/app")) return "adapters must not import app"
          if (under(p, M "/cmd")) return "adapters must not import cmd"
          if (p == M || under(p, M "/internal")) return "adapters must not import the root library or its internals"
        }
        if (MOD == M "/app" || MOD == M "/adapters") {
          if (under(p, "github.com/urfave/cli") || p ~ /^github\.com\/urfave\/cli\/v[0-9]+(\/|$)/) return "only cmd may import urfave/cli"
          if (under(p, "github.com/google/wire")) return "only internal/wiring may import wire"
        }
        return ""
      }
      # Rules on one direct import edge (importer -> p).
      function edge_forbidden(importer, p,    ai, bi) {
        if ((MOD == M "/domain" || MOD == M "/app") && own[importer] && std[p] && p ~ IMPURE)
          return substr(MOD, length(M) + 2) " is pure: no I/O, environment, logging, process or randomness packages (" p ")"
        if (under(p, "github.com/google/wire") && !under(importer, M "/internal/wiring") && !under(importer, "github.com/google/wire"))
          return "only " M "/internal/wiring may import github.com/google/wire"
        if (p ~ /^github\.com\/urfave\/cli(\/v[0-9]+)?(\/|$)/ && !under(importer, M "/cmd") && importer !~ /^github\.com\/urfave\/cli/)
          return "only " M "/cmd/... may import urfave/cli"
        if (MOD == M "/app" && own[importer] && !std[p] && !under(p, M "/domain") && !under(p, M "/ports") && !under(p, M "/app") && !under(p, "go.uber.org/zap"))
          return "app may import only std, domain, ports, app and go.uber.org/zap"
        if (MOD == M "/adapters" && own[importer] && under(p, M "/adapters")) {
          ai = adapter_of(importer); bi = adapter_of(p)
          if (ai != bi && bi != "internal" && ai != "")
            return "adapters must not import each other (share through domain/ports or adapters/internal)"
        }
        return ""
      }
      function adapter_of(p,    rest, n, parts) {
        rest = substr(p, length(M "/adapters/") + 1)
        if (p == M "/adapters") return ""
        n = split(rest, parts, "/")
        return parts[1]
      }
      BEGIN {
        FS = "\t"
        IMPURE = "^(os|os/.+|net|net/http|net/http/.+|net/rpc|net/rpc/.+|net/smtp|syscall|io/ioutil|log|log/.+|flag|unsafe|plugin|crypto/rand|math/rand|math/rand/v2|runtime/cgo|database/sql|database/sql/.+|testing|testing/.+)$"
      }
      {
        pkgs[++np] = $1
        std[$1] = ($2 == "true")
        if ($3 == "false") { own[$1] = 1; roots[++nr] = $1 }
        imports[$1] = $4
      }
      END {
        # Breadth-first walk from the module packages through allowed packages.
        head = 1; tail = 0
        for (i = 1; i <= nr; i++) { q[++tail] = roots[i]; seen[roots[i]] = 1; parent[roots[i]] = "" }
        while (head <= tail) {
          cur = q[head++]
          n = split(imports[cur], im, " ")
          for (j = 1; j <= n; j++) {
            p = im[j]
            if (p == "C" || p == "unsafe") continue
            why = edge_forbidden(cur, p)
            if (why == "" && !(p in seen)) why = forbidden(p)
            if (why != "") {
              key = cur SUBSEP p
              if (key in reported) continue
              reported[key] = 1
              chain = p; x = cur
              while (x != "") { chain = x " -> " chain; x = parent[x] }
              printf "VIOLATION [%s, tags=%s] %s\n    %s\n", MOD, TAGS, why, chain
              continue
            }
            if (!(p in seen)) { seen[p] = 1; parent[p] = cur; q[++tail] = p }
          }
        }
      }' <<<"$graph")
    if [ -n "$out" ]; then
      echo "$out"
      violations=$((violations + $(grep -c '^VIOLATION' <<<"$out")))
    fi
  done
done

# The library (root package, default tags) must not link wire.
if chain=$(cd "$repo" && $GO list -deps -f '{{.ImportPath}}' . 2>"$errfile" | grep -x 'github.com/google/wire'); then
  echo "VIOLATION [$M, tags=default] the library links github.com/google/wire (keep wire.NewSet in wireinject-only files of internal/wiring)"
  echo "    $M -> ... -> github.com/google/wire"
  violations=$((violations + 1))
fi

if [ "$violations" -gt 0 ]; then
  echo "archcheck: $violations violation(s) of the dependency rule (see docs/architecture.md)" >&2
  exit 1
fi
echo "archcheck: OK — ${#modules[@]} modules, $checked packages of their own, checked with default and wireinject tags"
