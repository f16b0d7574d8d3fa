# MLPlayground — the two commands: `make demo` and `make test`. Both install missing system packages first.
SHELL := /bin/bash
SYSTEM_PACKAGES := zlib1g-dev liblzma-dev libzstd-dev liblz4-dev pkg-config
FIXTURES := Tests/Fixtures/dqmio
FUZZ_SECONDS ?= 60
FUZZ_BUILD := .build-fuzz

.PHONY: demo test build system-packages fuzz bench bench-big clean

## Installs the codec libraries the reader links (Debian packages) when any is missing.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: system-packages
	swift build --product mlplayground

## Runs the main job on the shipped fixtures: inspect every file, dump a few MEs.
demo: build
	@for f in $$(find $(FIXTURES)/store -name '*.root' | sort); do \
	  echo; .build/debug/mlplayground inspect "$$f"; \
	done
	@echo; echo "== first two MEs of the 380008 fixture, as JSON lines (cut to 300 characters) =="
	@.build/debug/mlplayground dump $$(find $(FIXTURES)/store -name '8A2D4C11*.root') | head -2 | cut -c1-300
	@echo; echo "== every file's checksum line =="
	@for f in $$(find $(FIXTURES)/store -name '*.root' | sort); do \
	  printf '%s  ' "$$(basename $$f)"; .build/debug/mlplayground dump --summary "$$f"; \
	done
	@echo; echo "== a malformed file =="
	@.build/debug/mlplayground dump $(FIXTURES)/bad/corrupt_payload.root >/dev/null || echo "(exit status $$?)"

test: system-packages
	swift build --build-tests
	swift test

## libFuzzer on the reader for FUZZ_SECONDS, seeded with the fixtures; prints the number of executions.
fuzz: system-packages
	swift build --scratch-path $(FUZZ_BUILD) --product dqmio-fuzz -c release \
	  -Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
	@mkdir -p $(FUZZ_BUILD)/corpus && cp $$(find $(FIXTURES) -name '*.root' -size +0) $(FUZZ_BUILD)/corpus/
	$(FUZZ_BUILD)/release/dqmio-fuzz $(FUZZ_BUILD)/corpus -max_total_time=$(FUZZ_SECONDS) -max_len=120000 \
	  -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 2>&1 | grep -E 'stat::number_of_executed_units|Done|ERROR|SUMMARY'

## Reader throughput against ROOT (release build, bench files generated with PyROOT on first use).
bench:
	bench/bench_reader.sh

bench-big:
	bench/bench_reader.sh --big

clean:
	rm -rf .build $(FUZZ_BUILD)
