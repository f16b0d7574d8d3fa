# MLPlayground — the two commands: `make demo` and `make test`. Both install missing system packages first.
SHELL := /bin/bash
SYSTEM_PACKAGES := zlib1g-dev liblzma-dev libzstd-dev liblz4-dev libsqlite3-dev pkg-config postgresql
# What `make test` needs beyond that: the browser for the UI test, and Python venvs for it and schemathesis.
TEST_PACKAGES := chromium chromium-driver python3-venv
FIXTURES := Tests/Fixtures/dqmio
FUZZ_SECONDS ?= 60
FUZZ_BUILD := .build-fuzz

.PHONY: demo test build system-packages test-packages fuzz bench bench-big bench-api bench-export clean

## Installs the Debian packages in PACKAGES that are missing (default: what the build links).
PACKAGES ?= $(SYSTEM_PACKAGES)
system-packages:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: system-packages
	swift build --product mlplayground

DEMO_DIR := .demo
DEMO_PORT ?= 8080
MLP := $(CURDIR)/.build/debug/mlplayground

## Runs the main job on the embedded default (SQLite in .demo/): index the shipped fixture tree, load every file,
## show the catalog; then the reader on its own; then serve the API and UI until Ctrl-C (`run`: server, scheduler
## and workers).
demo: build
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	@echo "== DFI: index the fixture tree (good and malformed files) into $(DEMO_DIR)/mlplayground.sqlite =="
	@cd $(DEMO_DIR) && $(MLP) index --storage $(CURDIR)/$(FIXTURES)
	@echo; echo "== DETL: load every pending file =="
	@cd $(DEMO_DIR) && $(MLP) ingest --pending 2>/dev/null || true
	@echo; echo "== files =="
	@cd $(DEMO_DIR) && $(MLP) files
	@echo; echo "== jobs =="
	@cd $(DEMO_DIR) && $(MLP) jobs
	@echo; echo "== inspect one file =="
	@$(MLP) inspect $$(find $(FIXTURES)/store -name '8A2D4C11*.root')
	@echo; echo "== first two MEs of the 380008 fixture, as JSON lines (cut to 300 characters) =="
	@.build/debug/mlplayground dump $$(find $(FIXTURES)/store -name '8A2D4C11*.root') | head -2 | cut -c1-300
	@echo; echo "== every file's checksum line =="
	@for f in $$(find $(FIXTURES)/store -name '*.root' | sort); do \
	  printf '%s  ' "$$(basename $$f)"; .build/debug/mlplayground dump --summary "$$f"; \
	done
	@echo; echo "== a malformed file =="
	@.build/debug/mlplayground dump $(FIXTURES)/bad/corrupt_payload.root >/dev/null || echo "(exit status $$?)"
	@echo; echo "== serving the API and UI: open http://127.0.0.1:$(DEMO_PORT)/ (sign in with the token 'demo'); Ctrl-C stops =="
	@cd $(DEMO_DIR) && $(MLP) run --storage $(CURDIR)/$(FIXTURES) --token demo --port $(DEMO_PORT)

test-packages:
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(SYSTEM_PACKAGES) $(TEST_PACKAGES)"

## Every test, the PostgreSQL ones against a throwaway server on loopback (scripts/with-postgres.sh): the Swift
## suites; the PostgreSQL-restart test alone (it cuts every connection to the server); then schemathesis and the
## headless-browser UI test against running servers (scripts/test-http.sh).
test: test-packages
	swift build --build-tests
	MLP_REQUIRE_POSTGRES=1 scripts/with-postgres.sh bash -c 'swift test && \
	  MLP_TEST_RESTART_POSTGRES=1 swift test --skip-build --filter aPostgreSQLRestart && scripts/test-http.sh'

## libFuzzer on the reader for FUZZ_SECONDS, seeded with the fixtures; prints the number of executions.
fuzz: system-packages
	swift build --scratch-path $(FUZZ_BUILD) --product dqmio-fuzz -c release \
	  -Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	@mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/findings && cp $$(find $(FIXTURES) -name '*.root' -size +0) Tests/Fixtures/fuzz/* $(FUZZ_BUILD)/corpus/
	set -o pipefail; $(FUZZ_BUILD)/release/dqmio-fuzz $(FUZZ_BUILD)/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=120000 \
	  -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/findings/ 2>&1 \
	  | grep -E 'stat::number_of_executed_units|Done|ERROR|SUMMARY'

## Reader throughput against ROOT (release build, bench files generated with PyROOT on first use).
bench:
	bench/bench_reader.sh

bench-big:
	bench/bench_reader.sh --big

## The th1 list endpoint under load (wrk, hey) on PostgreSQL and SQLite, release build.
bench-api:
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(SYSTEM_PACKAGES) wrk hey"
	bench/bench_api_run.sh

## The export against cmsdials' list_all and a trimmed JSON pull, on PostgreSQL (release build; the bench file is
## generated with PyROOT on first use).
bench-export: system-packages
	bench/bench_export.sh

clean:
	rm -rf .build $(FUZZ_BUILD) $(DEMO_DIR)
