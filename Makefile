# ecsdiagd — the two set-up commands of the README are `make demo` and `make test`.
SWIFT ?= swift
SAMPLE ?= SampleLogs/scenarios/anti-primer-story

.PHONY: deps demo test build release install bench samplelogs

## Installs what a fresh Debian 12 machine with Swift lacks (libsystemd-dev, zlib1g-dev).
deps:
	@bash scripts/install-deps.sh

## Builds a release binary and replays the bundled anti-primer story.
demo: deps
	$(SWIFT) build -c release --product ecsdiagd
	.build/release/ecsdiagd replay $(SAMPLE)

## Runs every test (starts a real systemd-journald when none runs).
test: deps
	@bash scripts/start-journald.sh
	$(SWIFT) test

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product ecsdiagd

## Installs binary, unit, catalog and default config (DESTDIR/PREFIX honoured).
install:
	@bash scripts/install.sh

## Benchmarks ecsdiagd against cat, grep and rg on a generated corpus (see README, Performance).
bench: deps
	@bash scripts/bench.sh

## Regenerates SampleLogs/ and the decoder fixtures.
samplelogs:
	python3 scripts/samplelogs.py
