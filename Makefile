# One command per job. Every target creates .venv (pinned by constraints.txt) if needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
BUILD  := _build
JBFLAGS := -n -W --keep-going

CHROMIUM ?= /usr/bin/chromium
# the tests that build no book run in parallel (pytest-xdist); the book tests share three builds in one process
TEST_WORKERS ?= 2

.PHONY: lint book test test-grown test-fast test-site chromium lab check bench publish clean slides answers teaching serve

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

## lint: ruff (pyflakes, bugbear, import order, pyupgrade) and mypy (strict on data/, analysis/, models/); config in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

## book: validate the data, build the HTML book (warnings are errors), the slides and the student handout
## that its pages link to, and its PDF; print where to open it. Slides and PDFs are redone only when their
## inputs changed, so a second `make book` with nothing changed does no work.
book: $(STAMP)
	$(BIN)/reviewfigs check
	$(BIN)/jupyter-book build . $(JBFLAGS)
	$(BIN)/python tools/slides.py --if-changed
	$(BIN)/python tools/answers.py --handout
	$(BIN)/python tools/pdf.py
	@echo ""
	@echo "Book built. Open: file://$(CURDIR)/$(BUILD)/html/index.html"

## test: run the whole test suite (three book builds into temporary folders, several minutes)
test: $(STAMP)
	@status=0; \
	$(BIN)/python -m pytest -m "not book" -n $(TEST_WORKERS) || status=1; \
	$(BIN)/python -m pytest -m book || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: a phase failed (both phases ran; see above)"; fi; \
	exit $$status

## test-grown: the no-book tests again, on a copy of the book whose data also hold generated papers (fixed seed)
GROWN_SEED ?= 20261204
test-grown: $(STAMP)
	rm -rf $(BUILD)/grown
	$(BIN)/python tests/support/generated_papers.py $(BUILD)/grown/book --papers 3 --seed $(GROWN_SEED)
	cd $(BUILD)/grown/book && REVIEWFIGS_SEED=$${REVIEWFIGS_SEED:-$(abspath ../shared/seed/000_b5f91239bd130748.txt)} \
	  $(CURDIR)/$(BIN)/python -m pytest -m "not book" -n $(TEST_WORKERS) -p no:cacheprovider

## test-fast: for everyday work (under a minute): every test that builds neither the book nor a Sphinx project,
## draws every figure or starts chromium (markers book, slow), and the generated-paper tests draw a tenth of
## their papers (Hypothesis profile "everyday"). `make test` runs everything, every paper drawn.
test-fast: $(STAMP)
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-everyday} $(BIN)/python -m pytest -m "not book and not slow" -n $(TEST_WORKERS)

## chromium: Debian's chromium for the PDF and the browser tests (Playwright's own download does not work here)
chromium:
	@test -x $(CHROMIUM) || (echo "installing Debian's chromium (needs root)"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## test-site: build the book, then test it in chromium: errors, offline, links, alt text, dark mode, weight
test-site: $(STAMP) chromium
	$(MAKE) book
	$(MAKE) teaching
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest tests_site

## publish: check the built site against its manifest (whole, no caches), then push it to the gh-pages
## branch (ghp-import); set REMOTE to choose the remote. Needs chromium, which prints the handout that the
## problem set links to.
publish: chromium book
	$(BIN)/python -m reviewfigs.sphinxext.manifest $(BUILD)/html  # refuses an incomplete or damaged site, or caches in it
	$(BIN)/python -m pip install --quiet --disable-pip-version-check ghp-import==2.1.0
	$(BIN)/ghp-import --no-jekyll --force --push --remote $${REMOTE:-origin} $(BUILD)/html

## lab: open the chapters as notebooks in JupyterLab (installs jupyterlab + jupytext on first use);
## the .md chapters open as notebooks (jupytext) and run as they are, with the library on the path
lab: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt jupyterlab==4.6.6 jupytext==1.19.6
	REVIEWFIGS_ROOT=$(CURDIR) $(BIN)/jupyter lab --notebook-dir=$(CURDIR) \
	  --ServerApp.default_url=/lab/tree/chapters/introduction.md \
	  --LabApp.default_notebook_viewers='{"markdown": "Jupytext Notebook"}' chapters/

## slides: one offline reveal.js deck per chapter into _build/html/slides/ (sphinx-revealjs), prints slides per deck
slides: $(STAMP)
	$(BIN)/python tools/slides.py

## answers: the student handout (_build/html/downloads/problems.pdf) and the instructors' answer key
## (_build/answers/answer-key.pdf, not published with the site); needs chromium, not the built book
answers: $(STAMP) chromium
	$(BIN)/python tools/answers.py

## teaching: slides and PDFs for instructors
teaching: slides answers

## serve: live preview for authors: rebuilds on save (chapters, data/, references.bib, the library) and reloads the browser
SERVE_PORT ?= 8000
serve: $(STAMP)
	$(BIN)/reviewfigs check
	$(BIN)/jupyter-book config sphinx . >/dev/null  # conf.py (git-ignored) from _config.yml, read by sphinx-autobuild
	$(BIN)/sphinx-autobuild . $(BUILD)/html -d $(BUILD)/.doctrees -n --keep-going --port $(SERVE_PORT) \
		--watch data --watch references.bib --watch src/reviewfigs \
		--ignore "$(CURDIR)/$(BUILD)/*" --ignore "*/.jupyter_cache/*" --ignore "*/jupyter_execute/*" --ignore "*/.venv/*" \
		--ignore "*/.git/*" --ignore "*/__pycache__/*" --ignore "*/tests/*" --ignore "*/tests_site/*" --ignore "$(CURDIR)/conf.py"

## check: validate data/ and references.bib
check: $(STAMP)
	$(BIN)/reviewfigs check

## bench: report build, rebuild and validation timings (BENCH_FLAGS=--with-tests also times the suite)
bench: $(STAMP)
	$(BIN)/python tools/bench.py $(BENCH_FLAGS)

clean:
	rm -rf $(BUILD) .jupyter_cache jupyter_execute
