# Schakel: `make run` starts everything, `make test` runs every test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# `make run BROKERS=3`: a cluster of three brokers, every topic replicated 3 times (2 in sync)
BROKERS ?= 1

.PHONY: install run start stop test test-fast demo bench token contracts replay-dlq console-picture helm clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'schakel.pth').write_text('$(CURDIR)/libs\n$(CURDIR)/services\n$(CURDIR)\n')"
	touch $(STAMP)

run: install  ## broker + topics + the four services in the foreground; Ctrl-C stops all
	SCHAKEL_KAFKA_BROKERS=$(BROKERS) $(PY) -m deploy.run

start: install  ## the same in the background; `make stop` ends it
	SCHAKEL_KAFKA_BROKERS=$(BROKERS) $(PY) -m deploy.run --background

stop:
	@if [ -x $(PY) ]; then $(PY) -m deploy.run --stop; fi

test: install  ## every tier: the fast one and the integration tests on the real broker and databases
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: install  ## rules, use cases against in-memory ports, in-process API and library tests; no broker
	$(PY) -m pytest -m "not integration" $(PYTEST_ARGS)

demo: install  ## with `make run` going: cases, a polis delivery with a correction, settlements
	$(PY) -m deploy.demo

bench: install
	$(PY) -m deploy.bench
	$(PY) -m deploy.bench_levering
	$(PY) -m deploy.bench_http

token: install  ## make token ROLE=municipality GEMEENTE=GM0363 [OIN=...] [SUB=...]; ROLE=burger BSN=...
	@SCHAKEL_ENVIRONMENT=development $(PY) -m deploy.token --role "$(ROLE)" --gemeente "$(GEMEENTE)" --oin "$(OIN)" --sub "$(SUB)" --bsn "$(BSN)"

contracts: install  ## regenerate contracts/openapi/*.yaml from the apps
	$(PY) -m deploy.contracts

replay-dlq: install  ## make replay-dlq TOPIC=uitkeringen.dlq [OVERSLAAN=0@12,3@7: dead letters not to send back]
	$(PY) -m schakel.messaging.replay "$(TOPIC)" --config "$${SCHAKEL_KAFKA_CONFIG:-data/kafka/clients/operator.properties}" --overslaan "$(OVERSLAAN)"

console-picture: install  ## with `make run` going (after `make demo`): the README's picture of the console, docs/console.png
	$(PY) -m tests.support.console_picture docs/console.png

helm: install  ## builds Helm from its Go module once (.cache/helm) and checks the chart: make helm ARGS="template schakel deploy/helm/schakel"
	$(PY) -m deploy.helm $(or $(ARGS),lint deploy/helm/schakel)

clean: stop
	rm -rf data .run
