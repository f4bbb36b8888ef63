# incident-map: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DATA   ?= data
SEEDS  ?= seeds
CHROMIUM ?= /usr/bin/chromium

.PHONY: run build dashboard test test-fast bench bench-smoke lint clean venv browser fuzz

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

## build the incidents from seeds/ into data/
build: venv
	$(VENV)/bin/incident-map build $(SEEDS) --out $(DATA)

## set up, build, and open the dashboard
run: build
	$(VENV)/bin/incident-map dashboard --data $(DATA)

dashboard: venv
	$(VENV)/bin/incident-map dashboard --data $(DATA)

## the browser tests drive Debian's Chromium; install it when it is missing (needs root)
browser: $(CHROMIUM)

$(CHROMIUM):
	@echo "Chromium not found at $(CHROMIUM): installing Debian's chromium for the browser tests"
	apt-get update -qq && apt-get install -y -qq chromium

## the whole test suite, browser tests included
test: venv browser
	$(PY) -m pytest -q

## everything but the browser tests
test-fast: venv
	$(PY) -m pytest -q -m "not browser"

bench: venv browser
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) -m bench.run

bench-smoke: venv
	$(PY) -m bench.run --smoke

## coverage-guided fuzzing of the ingest-to-incidents path (10 minutes by default; not in CI)
fuzz: venv
	$(PY) -m pip install -q -e '.[fuzz]'
	FUZZ_COLLECT=1 $(PY) fuzz/fuzz_pipeline.py fuzz/corpus -dict=fuzz/pipeline.dict -max_total_time=$${FUZZ_SECONDS:-600} -max_len=4096 -timeout=30 -artifact_prefix=fuzz/artifacts/ -print_final_stats=1

lint: venv
	$(PY) -m pip install -q ruff
	$(VENV)/bin/ruff check pipeline geodata dashboard tests bench

clean:
	rm -rf $(VENV) $(DATA) .pytest_cache
