# Charte IA. `make serve`: set up, build and serve on http://127.0.0.1:8000. `make test`: all tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MKDOCS := NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs
STAMP := $(VENV)/.installed

.PHONY: setup build serve check test clean offline npm

# One virtual environment, the pinned versions of constraints.txt.
setup: $(STAMP)
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

# Strict build into site/ (any warning fails), with the offline site's zip as a download
# (OFFLINE_ZIP=false to skip it: it is made from the written site, not by a second build) and the PDFs
# (PDF_DOWNLOADS=false to skip them: they cost about two seconds a charter). The PDFs need
# Pango: without it they are skipped, and the build says what to install.
PANGO := $(shell ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 && echo true || echo false)
PDF_DOWNLOADS ?= $(PANGO)
OFFLINE_ZIP ?= true
build: setup
	@if [ "$(PDF_DOWNLOADS)" != true ]; then echo "Sans PDF : Pango introuvable (apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core), ou PDF_DOWNLOADS=false."; fi
	OFFLINE_ZIP=$(OFFLINE_ZIP) PDF_DOWNLOADS=$(PDF_DOWNLOADS) $(MKDOCS) build --strict

# Build, then serve with live reload on http://127.0.0.1:8000.
serve: build
	$(MKDOCS) serve --strict -a 127.0.0.1:8000

# The site for file:// into site-offline/ and its zip in dist/: a build into a temporary folder,
# whose zip (`make build` ships it as telechargements/charte-ia-hors-ligne.zip) is kept and unpacked.
offline: setup
	PDF_DOWNLOADS=$(PDF_DOWNLOADS) $(PY) -m charte_ia.mkdocs.offline --site site-offline --zip dist/charte-ia-hors-ligne.zip

# Pinned npm dev tools for the tests (axe-core), from package-lock.json; skipped
# without npm (the accessibility tests then say what to install).
NPM_STAMP := node_modules/.installed
npm: $(NPM_STAMP)
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(NPM_STAMP); \
	else echo "npm introuvable : les tests d'accessibilité (axe-core) en ont besoin (apt-get install npm)."; fi

# Check every data file without building the site.
check: setup
	$(PY) -m charte_ia check

# Every test: unit, build, documents and (with Chromium) browser tests.
test: setup npm
	$(PY) -m pytest

# Benchmarks (bench/README.md): build cost for 10, 100 and 1,000 synthetic organisations against
# a plain-Markdown baseline (long: BENCH_ARGS="--sizes 10,100" for a short run), and Lighthouse
# on the built site (pinned in bench/package-lock.json). Results in bench/results/.
.PHONY: bench lighthouse
bench: setup
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/build_scaling.py $(BENCH_ARGS)

BENCH_NPM_STAMP := bench/node_modules/.installed
$(BENCH_NPM_STAMP): bench/package.json bench/package-lock.json
	npm ci --prefix bench --no-audit --no-fund --loglevel=error && touch $(BENCH_NPM_STAMP)

lighthouse: build $(BENCH_NPM_STAMP)
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

clean:
	rm -rf site site-offline dist test-artifacts
