# One command per job. Every target creates .venv (pinned by constraints.txt) if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BUILD  := _build
JBFLAGS := -n -W --keep-going

SITE_STAMP := $(VENV)/.installed-site-stamp
CHROMIUM ?= /usr/bin/chromium

.PHONY: book test test-site check bench figures publish clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

## book: validate the data, build the HTML book (warnings are errors), print where to open it
book: $(STAMP)
	$(BIN)/reviewfigs check
	$(BIN)/jupyter-book build . $(JBFLAGS)
	@echo ""
	@echo "Book built. Open: file://$(CURDIR)/$(BUILD)/html/index.html"

## test: run the test suite (includes building the real book into a temporary folder)
test: $(STAMP)
	$(BIN)/python -m pytest

$(SITE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev,site]"
	touch $(SITE_STAMP)

## test-site: build the book, then test it in Debian's chromium (Playwright): errors, offline, links, a11y, dark mode
test-site: $(SITE_STAMP) book
	@test -x $(CHROMIUM) || (echo "installing Debian's chromium (needs root)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests_site

## publish: push the built HTML to the gh-pages branch (ghp-import); set REMOTE to choose the remote
publish: book
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ghp-import==2.1.0
	$(BIN)/ghp-import --no-jekyll --force --push --remote $${REMOTE:-origin} $(BUILD)/html

## check: validate data/ and references.bib
check: $(STAMP)
	$(BIN)/reviewfigs check

## bench: report build, rebuild and validation timings
bench: $(STAMP)
	$(BIN)/python -m reviewfigs.bench

clean:
	rm -rf $(BUILD) .jupyter_cache jupyter_execute
