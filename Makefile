# Charte IA. `make serve`: set up, build and serve on http://127.0.0.1:8000. `make test`: all tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MKDOCS := NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs
STAMP := $(VENV)/.installed

.PHONY: setup build serve check test clean

# One virtual environment, the pinned versions of constraints.txt.
setup: $(STAMP)
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

# Strict build into site/ (any warning fails).
build: setup
	$(MKDOCS) build --strict

# Build, then serve with live reload on http://127.0.0.1:8000.
serve: build
	$(MKDOCS) serve --strict -a 127.0.0.1:8000

# Check every data file without building the site.
check: setup
	$(PY) -m charte_ia check

# Every test: unit, build, documents and (with Chromium) browser tests.
test: setup
	$(PY) -m pytest

clean:
	rm -rf site site-offline dist test-artifacts
