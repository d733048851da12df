# Every target installs what it needs: a fresh clone needs only python3, pip, git (and apt for browser tests).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PLOTLY_BUNDLE := node_modules/plotly.js-basic-dist-min/plotly-basic.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help install demo test lint unit serve bench clean

help:
	@echo "make demo   run the whole pipeline against the bundled COROS emulator (no credentials, no network)"
	@echo "make test   lint and run every test (installs what it needs)"
	@echo "make serve  serve site/ on http://127.0.0.1:8000"
	@echo "make bench  measure the pipeline on 10- and 20-year histories"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) -m coros_dashboard.demo

lint: install
	$(PY) -m ruff check .

test: install lint
	$(PY) -m pytest -n 2 -q

clean:
	rm -rf $(VENV) node_modules site demo-data bench-out .pytest_cache .ruff_cache
