# One command per job. Every target creates .venv (pinned by constraints.txt) if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BUILD  := _build
JBFLAGS := -n -W --keep-going

.PHONY: book test check bench figures clean

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

## check: validate data/ and references.bib
check: $(STAMP)
	$(BIN)/reviewfigs check

## bench: report build, rebuild and validation timings
bench: $(STAMP)
	$(BIN)/python -m reviewfigs.bench

clean:
	rm -rf $(BUILD) .jupyter_cache jupyter_execute
