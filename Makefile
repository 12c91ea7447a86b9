# mp — the one entry point for building, testing, linting and demoing.
#
# Every go command here runs under the same toolchain (GOTOOLCHAIN below):
# the machine's Go only bootstraps it through the module proxy. Run
# `make help` for the list of targets.

SHELL       := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS   += --no-builtin-rules

# The toolchain every go command (and every tool build) uses.
export GOTOOLCHAIN := go1.27.3
GO ?= go

# Modules of the workspace: the directories of go.work's `use` directives.
MODULES := $(shell sed -n -e 's/^[[:space:]]\{1,\}\(\.[^[:space:]]*\).*/\1/p' -e 's/^use[[:space:]]\{1,\}\(\.[^[:space:]]*\).*/\1/p' go.work)
$(if $(MODULES),,$(error no modules found in go.work))

# Pinned tool versions; tools are built into ./.tools under $(GOTOOLCHAIN).
STATICCHECK_VERSION := v0.8.2
GOFUMPT_VERSION     := v0.12.0
GOVULNCHECK_VERSION := v1.9.0
VULNDB_VERSION      := v0.0.0-20261105234957-e22db6528018

TOOLS_DIR := $(CURDIR)/.tools
CACHE_DIR := $(CURDIR)/.cache
BIN_DIR   := $(CURDIR)/bin

# Each tool binary is named after its version and toolchain, so a version
# bump (or a deleted binary) rebuilds it and an unchanged one never does.
TOOL = $(TOOLS_DIR)/$(1)-$(2)-$(GOTOOLCHAIN)
# wire is pinned by tools/go.mod (a module outside go.work, so no tool's
# requirements reach the published modules or the workspace's builds).
WIRE_VERSION := $(shell awk '$$1 == "github.com/google/wire" {print $$2}' tools/go.mod)
WIRE        := $(call TOOL,wire,$(WIRE_VERSION))
# GoReleaser and cyclonedx-gomod are pinned by tools/release/go.mod.
GORELEASER_VERSION := $(shell awk '$$1 == "github.com/goreleaser/goreleaser/v2" && $$2 ~ /^v/ {print $$2}' tools/release/go.mod)
CYCLONEDX_VERSION  := $(shell awk '$$1 == "github.com/CycloneDX/cyclonedx-gomod" {print $$2}' tools/release/go.mod)
GORELEASER  := $(call TOOL,goreleaser,$(GORELEASER_VERSION))
CYCLONEDX   := $(call TOOL,cyclonedx-gomod,$(CYCLONEDX_VERSION))
STATICCHECK := $(call TOOL,staticcheck,$(STATICCHECK_VERSION))
GOFUMPT     := $(call TOOL,gofumpt,$(GOFUMPT_VERSION))
GOVULNCHECK := $(call TOOL,govulncheck,$(GOVULNCHECK_VERSION))
INDEXDB     := $(call TOOL,indexdb,$(VULNDB_VERSION))
VULNDB_DIR  := $(CACHE_DIR)/vulndb-$(VULNDB_VERSION)

# Build identity, stamped into internal/version. Date is the commit time
# (UTC) so that two builds of one commit are identical.
VERSION_PKG := github.com/mpdata/mp/internal/version
# The version is the nearest release tag (vX.Y.Z, not the modules' DIR/vX.Y.Z
# tags), else VERSION with -dev and the commit.
VERSION ?= $(shell git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null || echo "$$(cat VERSION)-dev+$$(git rev-parse --short HEAD 2>/dev/null || echo unknown)")
COMMIT  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
DATE    ?= $(shell TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo unknown)
LDFLAGS := -X $(VERSION_PKG).Version=$(VERSION) -X $(VERSION_PKG).Commit=$(COMMIT) -X $(VERSION_PKG).Date=$(DATE)

# Commands built into bin/.
COMMANDS := mp mp-docs mp-sandbox
# Build tags of bin/mp: urfave_cli_no_docs leaves out urfave/cli's man and
# markdown generation (and blackfriday with it), which mp never calls —
# mp-docs does, so it is built without the tag. Release builds pass the
# same tags (docs/performance.md). Like release builds, bin/ is built with
# CGO_ENABLED=0: a static binary starts without the dynamic loader and libc
# (about 3 ms of every command's start-up here).
MP_TAGS := urfave_cli_no_docs

##@ Main jobs

.PHONY: help
help: ## List the targets with a one-line description (default)
	@awk 'BEGIN {FS = ":.*## "} \
	  /^##@/ {printf "\n%s\n", substr($$0, 5); next} \
	  /^[a-zA-Z0-9_-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Toolchain: GOTOOLCHAIN=$(GOTOOLCHAIN) (exported to every recipe)."

.PHONY: demo
demo: build ## Tour mp against a local Mixpanel sandbox in a throw-away HOME (scripts/demo.sh)
	@MP_DEMO_BIN="$(BIN_DIR)/mp" MP_DEMO_SANDBOX_BIN="$(BIN_DIR)/mp-sandbox" ./scripts/demo.sh

# The tests run inside scripts/with-keyring.sh (a private D-Bus session
# with an unlocked gnome-keyring) when dbus and gnome-keyring are installed,
# so that the keychain contract suite and the keychain_* e2e scripts reach
# a real Secret Service; every other test sees
# DBUS_SESSION_BUS_ADDRESS=disabled:. Without them the keychain tests skip
# (naming gnome-keyring), except with CI=true, where they fail.
KEYRING_WRAP := $(shell command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1 && echo ./scripts/with-keyring.sh)

.PHONY: test
test: ## go test -race over the workspace (inside scripts/with-keyring.sh when gnome-keyring is installed); per-module GOWORK=off builds: make mod-check
	@[ -n "$(KEYRING_WRAP)" ] || echo "make test: dbus-run-session or gnome-keyring-daemon missing: the keychain tests skip (install dbus and gnome-keyring to run them)"
	@command -v chromium >/dev/null 2>&1 || echo "make test: chromium missing: the real-browser login tests skip (install chromium to run them)"
	@command -v zsh >/dev/null 2>&1 || echo "make test: zsh missing: the zsh completion test skips (install zsh to run it)"
	@command -v fish >/dev/null 2>&1 || echo "make test: fish missing: the fish completion test skips (install fish to run it)"
	@[ "$${CI:-}" != true ] || echo "make test: CI=true: tests that need a missing package fail instead of skipping"
	DBUS_SESSION_BUS_ADDRESS=disabled: $(KEYRING_WRAP) $(GO) test -race -count=1 -timeout 25m work

.PHONY: ci
ci: ## Everything CI runs, in order (what .ci/run calls)
	@for t in tools lint arch arch-selftest check-generated build test vuln demo release-check; do \
	  echo; echo "===== make $$t ====="; \
	  $(MAKE) --no-print-directory $$t || { echo "make ci: target '$$t' failed" >&2; exit 1; }; \
	done
	@echo; echo "make ci: all checks passed"

##@ Build

.PHONY: build
build: ## Build bin/mp (and bin/mp-docs, bin/mp-sandbox) with version stamping
	@mkdir -p $(BIN_DIR)
	@for c in $(COMMANDS); do \
	  tags=; [ "$$c" = mp ] && tags='$(MP_TAGS)'; \
	  echo "CGO_ENABLED=0 go build -tags '$$tags' -o bin/$$c github.com/mpdata/mp/cmd/$$c"; \
	  CGO_ENABLED=0 $(GO) build -trimpath -tags "$$tags" -ldflags '$(LDFLAGS)' -o $(BIN_DIR)/$$c github.com/mpdata/mp/cmd/$$c; \
	done

.PHONY: generate
generate: $(WIRE) ## Regenerate wire_gen.go (wire, pinned in tools/go.mod) and docs/cli.md
	$(WIRE) gen ./internal/wiring
	@$(MAKE) --no-print-directory docs

.PHONY: docs
docs: ## Generate docs/cli.md and the man pages in docs/man from the CLI definition (cmd/mp-docs)
	$(GO) run github.com/mpdata/mp/cmd/mp-docs -out docs/cli.md -man docs/man

.PHONY: check-generated
check-generated: $(WIRE) ## Regenerate and fail if any generated file drifted
	@WIRE=$(WIRE) ./scripts/check-generated.sh

.PHONY: bench
bench: build ## One table of the performance figures against their targets (scripts/bench.sh; reports, never fails)
	-./scripts/bench.sh

##@ Release (docs/releasing.md)

.PHONY: release-check
release-check: ## Prove the tree at VERSION works from a file:// module proxy (go get, go install, mp version), then the release artifacts
	@./scripts/release-check.sh

.PHONY: release-snapshot
release-snapshot: $(GORELEASER) $(CYCLONEDX) ## GoReleaser snapshot into dist/: archives, checksums, SBOMs, .deb/.rpm (nothing is published)
	@./scripts/release-prep.sh
	@# GoReleaser drops all git information (commit, date, tag) when the
	@# clone has no remote; give it one through the environment then.
	@if [ -z "$$(git remote)" ]; then export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url GIT_CONFIG_VALUE_0=https://github.com/mpdata/mp.git; fi; \
	set -x; PATH=$(TOOLS_DIR):$$PATH GORELEASER_CURRENT_TAG=$$(cat VERSION) $(GORELEASER) release --snapshot --clean

.PHONY: release-tools
release-tools: $(GORELEASER) $(CYCLONEDX) ## Build GoReleaser and cyclonedx-gomod (tools/release/go.mod) into ./.tools (minutes the first time)

.PHONY: mod-check
mod-check: ## Each module tidy, building and vetting with GOWORK=off against its own requirements (siblings from a proxy of the tree)
	@./scripts/gomod.sh check

.PHONY: tidy
tidy: ## go mod tidy in every module (GOWORK=off; siblings resolved from a proxy of the work tree)
	@./scripts/gomod.sh tidy

.PHONY: bump
bump: ## Set the release version: make bump NEW=vX.Y.Z (VERSION, every sibling requirement, go.work)
	@[ -n "$(NEW)" ] || { echo "usage: make bump NEW=vX.Y.Z" >&2; exit 2; }
	@GOWORK=off $(GO) run -C tools ./relmod -repo $(CURDIR) bump $(NEW)

##@ Checks

.PHONY: lint
lint: tools ## gofumpt -l (must be empty), go vet work (and the tools module), staticcheck work
	@echo "gofumpt -l"
	@files=$$(git ls-files -co --exclude-standard -- '*.go' | xargs -r $(GOFUMPT) -l); \
	if [ -n "$$files" ]; then \
	  echo "These files are not gofumpt-formatted (run: $(GOFUMPT) -w FILE):" >&2; \
	  echo "$$files" >&2; exit 1; \
	fi
	$(GO) vet work
	$(STATICCHECK) work
	@echo "go vet ./... and staticcheck ./...   (in tools, GOWORK=off)"
	@cd tools && GOWORK=off $(GO) vet ./... && GOWORK=off $(STATICCHECK) ./...

.PHONY: arch
arch: ## Check the dependency rule mechanically (scripts/archcheck.sh)
	@./scripts/archcheck.sh

.PHONY: arch-selftest
arch-selftest: ## Prove `make arch` fails on planted violations (and passes without)
	@./scripts/archcheck-selftest.sh

.PHONY: vuln
vuln: tools $(VULNDB_DIR)/index/db.json build ## govulncheck every module (GOWORK=off, its own requirements), and bin/mp, against a local vulndb
	@rm -rf $(CACHE_DIR)/vulnmod && mkdir -p $(CACHE_DIR)/vulnmod
	@eval "$$(./scripts/gomod.sh env $(CACHE_DIR)/vulnmod)"; \
	for m in $(MODULES); do \
	  echo "govulncheck -db file://$(VULNDB_DIR) ./...   (in $$m, GOWORK=off, siblings from the work tree's module proxy)"; \
	  w=$(CACHE_DIR)/vulnmod/mod/$$m; mkdir -p $$w; cp $$m/go.mod $$w/go.mod; cp $$m/go.sum $$w/go.sum 2>/dev/null || : >$$w/go.sum; \
	  (cd $$m && GOFLAGS="$$GOFLAGS -modfile=$$w/go.mod" $(GOVULNCHECK) -db file://$(VULNDB_DIR) ./...) || exit 1; \
	done; rm -rf $(CACHE_DIR)/vulnmod
	@echo "govulncheck -db file://$(VULNDB_DIR) -mode binary bin/mp   (what ships, built in workspace mode)"
	@$(GOVULNCHECK) -db file://$(VULNDB_DIR) -mode binary $(BIN_DIR)/mp

##@ Tools and housekeeping

.PHONY: tools
tools: $(STATICCHECK) $(GOFUMPT) $(GOVULNCHECK) $(INDEXDB) $(WIRE) ## Build the pinned tools into ./.tools (idempotent)

$(STATICCHECK):
	$(call install-tool,honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION),staticcheck)
$(GOFUMPT):
	$(call install-tool,mvdan.cc/gofumpt@$(GOFUMPT_VERSION),gofumpt)
$(GOVULNCHECK):
	$(call install-tool,golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION),govulncheck)
$(INDEXDB):
	$(call install-tool,golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION),indexdb)
$(GORELEASER): tools/release/go.mod tools/release/go.sum
	@echo "go build -C tools/release -o .tools/goreleaser github.com/goreleaser/goreleaser/v2   (GOWORK=off, nice; takes minutes)"
	@mkdir -p $(TOOLS_DIR)
	@GOWORK=off nice -n 10 $(GO) build -C tools/release -trimpath -o $@.tmp github.com/goreleaser/goreleaser/v2 && mv $@.tmp $@
	@ln -sf $(notdir $@) $(TOOLS_DIR)/goreleaser
$(CYCLONEDX): tools/release/go.mod tools/release/go.sum
	@echo "go build -C tools/release -o .tools/cyclonedx-gomod github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod   (GOWORK=off)"
	@mkdir -p $(TOOLS_DIR)
	@GOWORK=off nice -n 10 $(GO) build -C tools/release -trimpath -o $@.tmp github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod && mv $@.tmp $@
	@ln -sf $(notdir $@) $(TOOLS_DIR)/cyclonedx-gomod
$(WIRE): tools/go.mod tools/go.sum
	@echo "go build -C tools -o .tools/wire github.com/google/wire/cmd/wire   (GOWORK=off)"
	@mkdir -p $(TOOLS_DIR)
	@GOWORK=off $(GO) build -C tools -o $@.tmp github.com/google/wire/cmd/wire && mv $@.tmp $@
	@ln -sf $(notdir $@) $(TOOLS_DIR)/wire

# install-tool PKG@VERSION,NAME: go install (outside the workspace) into a
# scratch GOBIN, then move the binary to its versioned name ($@) and point
# .tools/NAME at it for interactive use.
define install-tool
	@echo "GOBIN=.tools go install $(1)"
	@rm -rf $(TOOLS_DIR)/.gobin && mkdir -p $(TOOLS_DIR)/.gobin
	@cd $(TOOLS_DIR) && GOWORK=off GOBIN=$(TOOLS_DIR)/.gobin $(GO) install $(1)
	@mv $(TOOLS_DIR)/.gobin/$(2) $@ && rm -rf $(TOOLS_DIR)/.gobin
	@ln -sf $(notdir $@) $(TOOLS_DIR)/$(2)
endef

# The local vulnerability database: indexdb over data/osv of the pinned
# golang.org/x/vulndb module (the online database is unreachable).
$(VULNDB_DIR)/index/db.json: | $(INDEXDB)
	@echo "building the vulnerability database from golang.org/x/vulndb@$(VULNDB_VERSION)"
	@src=$$(cd $(TOOLS_DIR) && GOWORK=off $(GO) mod download -json golang.org/x/vulndb@$(VULNDB_VERSION) \
	  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	test -d "$$src/data/osv" || { echo "vulndb: no data/osv under '$$src'" >&2; exit 1; }; \
	rm -rf $(VULNDB_DIR).tmp; \
	$(INDEXDB) -vulns "$$src/data/osv" -out $(VULNDB_DIR).tmp; \
	n=$$(ls $(VULNDB_DIR).tmp/ID | grep -c '\.json$$'); \
	[ "$$n" -ge 1000 ] || { echo "vulndb: only $$n entries; refusing a database that small" >&2; exit 1; }; \
	rm -rf $(VULNDB_DIR); mv $(VULNDB_DIR).tmp $(VULNDB_DIR); \
	echo "vulndb: $$n entries, $$(du -sh $(VULNDB_DIR) | cut -f1) in $(VULNDB_DIR)"

.PHONY: clean
clean: ## Remove build outputs (bin/, dist/) and caches (.cache/)
	rm -rf $(BIN_DIR) $(CACHE_DIR) $(CURDIR)/dist

.PHONY: distclean
distclean: clean ## Also remove the built tools (.tools/)
	rm -rf $(TOOLS_DIR)
