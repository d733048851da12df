# Every target installs what it needs: a fresh clone needs only python3, pip, git (and apt for browser tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PLOTLY_BUNDLE := node_modules/plotly.js-basic-dist-min/plotly-basic.min.js
AXE := node_modules/axe-core/axe.min.js
PACKAGED_BUNDLE := coros_dashboard/site/static/plotly-basic.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install bytecode browser demo test lint serve bench screenshots clean

help:
	@echo "make demo   run the whole pipeline against the bundled COROS emulator (no credentials, no network)"
	@echo "make test   lint, type-check and run every test (installs what it needs)"
	@echo "make serve  serve site/ on http://127.0.0.1:8000"
	@echo "make bench  measure the pipeline on 10- and 20-year histories"

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(MAKE) --no-print-directory bytecode
	touch $@

# Bytecode for the tests too, pytest's assertion-rewritten modules included (the test workers would
# each rewrite ~125 modules, ~2.4 CPU-s a worker); stale files are ignored and rewritten by pytest.
bytecode:
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest --collect-only -q > /dev/null || echo "bytecode: collecting the tests failed; the test run will say why"

# The smallest official plotly.js bundle, matching the plotly package (build_site falls back to the
# full one), and axe-core for the accessibility tests.
$(PLOTLY_BUNDLE) $(AXE) &: package.json
	@if command -v npm >/dev/null; then npm install --no-audit --no-fund --no-package-lock --silent; \
	else echo "npm not found: the site will ship plotly's full bundle"; fi

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here);
# CHROMIUM_PATH names another Chromium-based browser instead (GitHub's runners have Chrome).
browser:
	@if [ -n "$$CHROMIUM_PATH" ] || [ -x /usr/bin/chromium ]; then :; else \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; fi

# package data: an installed coros-dashboard ships the small bundle too
$(PACKAGED_BUNDLE): $(PLOTLY_BUNDLE)
	@if [ -f $(PLOTLY_BUNDLE) ]; then mkdir -p $(@D) && cp $(PLOTLY_BUNDLE) $@; fi

install: $(VENV)/.installed $(PLOTLY_BUNDLE) $(PACKAGED_BUNDLE)

demo: install
	$(PY) -m coros_dashboard.demo

serve:
	$(PY) -m coros_dashboard.serve --dir $${SITE_DIR:-site}

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# One worker per core: a third was as fast alone but cost ~15 % more CPU, and with a second suite
# running beside it, ~10 s more; each xdist_group runs on one worker.
test: install lint browser $(AXE)
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -n 2 --dist loadgroup -q

clean:
	rm -rf $(VENV) node_modules site demo-data bench-out .pytest_cache .ruff_cache

screenshots: demo browser
	$(PY) scripts/screenshots.py site docs

bench: install browser
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(PY) benchmarks/run.py
