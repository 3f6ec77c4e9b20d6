# Krai — the two commands: `make run` (set up and serve the demo) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
KRAI_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/krai
export KRAI_TEST_POSTGRES_URL

.PHONY: run test install system-packages assets messages migrate demo serve lint test-sqlite test-postgres test-production test-browser-deps clean

run: install assets messages migrate demo serve

install: $(VENV)/.installed system-packages

# Debian packages the platform needs at run time: gettext (catalogues), DejaVu fonts (Cyrillic in PDF reports),
# espeak-ng (pronunciations of staff's names for the voice recogniser's grammar)
system-packages:
	@command -v msgfmt >/dev/null && dpkg -s fonts-dejavu-core >/dev/null 2>&1 && command -v espeak-ng >/dev/null || \
		(apt-get update -qq && apt-get install -y -qq gettext fonts-dejavu-core espeak-ng >/dev/null)

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

assets: krai/static/vendor/.built

krai/static/vendor/.built: package.json package-lock.json scripts/vendor-assets.mjs
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/vendor-assets.mjs
	@touch $@

messages: install
	cd krai && ../$(BIN)/krai compilemessages --ignore=.venv -v 0

migrate: install
	$(BIN)/krai migrate --no-input -v 0

demo: install
	$(BIN)/krai demo

serve: install
	$(BIN)/krai collectstatic --no-input -v 0
	$(BIN)/krai serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check krai tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/krai makemigrations --check --dry-run -v 0

# Chromium for the browser tests; poppler (pdftoppm) and Tesseract with Russian read exported PDFs back as a person sees them
test-browser-deps:
	@test -x /usr/bin/chromium && command -v pdftoppm >/dev/null && dpkg -s tesseract-ocr-rus >/dev/null 2>&1 || \
		(apt-get update -qq && apt-get install -y -qq chromium poppler-utils tesseract-ocr tesseract-ocr-rus >/dev/null)

test: install assets messages test-browser-deps lint test-sqlite test-postgres test-production

test-sqlite:
	@echo "== tests on SQLite =="
	$(BIN)/pytest -q -n 2 --dist loadfile -m "not production"

test-postgres:
	@if $(BIN)/python scripts/pg_reachable.py; then \
		echo "== tests on PostgreSQL ($$KRAI_TEST_POSTGRES_URL) =="; \
		KRAI_DATABASE_URL=$$KRAI_TEST_POSTGRES_URL $(BIN)/pytest -q -n 2 --dist loadfile -m "not browser and not production"; \
	else \
		echo "PostgreSQL is not reachable at $$KRAI_TEST_POSTGRES_URL: the PostgreSQL leg is skipped."; \
	fi

# The deployed shape (docs/operations.md followed word for word: KRAI_ENV=production, collected static files,
# PostgreSQL, Redis, krai serve) crawled in Chromium: every area's pages from krai/<area>/crawl.py.
test-production:
	@echo "== the production-shape job =="
	$(BIN)/pytest -q -n 0 -m production tests/production

clean:
	rm -rf $(VENV) node_modules krai/static/vendor staticfiles var
