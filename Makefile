# diplograph developer commands. The README names two: `make demo` and `make test`.
# Each creates .venv when missing and installs what it needs from pyproject.toml.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
WORK ?= work
EXTRAS ?= dev,web,ray,ml
PIP_FLAGS ?= --disable-pip-version-check -q
comma := ,
STAMP := $(VENV)/.installed-$(subst $(comma),-,$(EXTRAS))

.PHONY: demo test bench eval train lint venv clean docs browser

# The venv is (re)filled whenever pyproject.toml changes or the extras differ.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_FLAGS) -e '.[$(EXTRAS)]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

demo: venv
	mkdir -p $(WORK)
	$(VENV)/bin/diplograph run examples/corpus --db $(WORK)/demo.duckdb --report $(WORK)/demo-report.html
	COLUMNS=$${COLUMNS:-140} $(VENV)/bin/diplograph actors --db $(WORK)/demo.duckdb --limit 12
	COLUMNS=$${COLUMNS:-140} $(VENV)/bin/diplograph contradictions --db $(WORK)/demo.duckdb
	COLUMNS=$${COLUMNS:-140} $(VENV)/bin/diplograph sources --db $(WORK)/demo.duckdb
	COLUMNS=$${COLUMNS:-140} $(VENV)/bin/diplograph relation AZE NATO --db $(WORK)/demo.duckdb
	@echo "Report: $(WORK)/demo-report.html"
	@echo "Web UI: $(VENV)/bin/diplograph serve --db $(WORK)/demo.duckdb  (http://127.0.0.1:8000)"

test: venv browser
	$(PY) -m pytest -q

# Debian's Chromium and ChromeDriver drive the web UI tests (tests/test_web_browser.py).
browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	  echo "warning: chromium could not be installed; browser tests will be skipped"

bench: venv
	$(PY) -m pytest -q -m bench -p no:cacheprovider -o addopts="" benchmarks

eval: venv
	$(PY) -m pytest -q -m eval -o addopts=""

# Every shipped model file is rebuilt from ../shared/eval by these scripts (CPU is enough;
# the event encoder takes about an hour on 2 cores, the quote encoder's head 15 minutes).
# Never part of `make test`.
train: venv
	$(PY) scripts/train_events.py
	$(PY) scripts/train_quotes.py --train ../shared/eval/polnear/train --cache $(WORK)/quotes-cache
	$(PY) scripts/train_quotes.py --train ../shared/eval/polnear/train --cache $(WORK)/quotes-cache --encoder

lint: venv
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/mypy src

clean:
	rm -rf $(WORK) .pytest_cache
