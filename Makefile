# One command to build, one to test. Both create .venv from requirements.lock on
# first use and reuse it afterwards (the stamp file is newer than the lock).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-lock
# Warnings are errors, missing references are errors, and every warning is shown
# before the build fails.
JB_STRICT := -W -n --keep-going
# The book's source folder and output folder (tests build small books through the
# same target to prove that warnings fail the build).
BOOK_DIR ?= .
OUT_DIR  ?= .
# Absolute, because the build runs from inside BOOK_DIR (sphinxcontrib-bibtex
# resolves data/references.bib against the working directory).
JB := $(abspath $(BIN))/jupyter-book

.PHONY: book book-instructor test env clean help

help:
	@echo "make book   build the HTML book into _build/html (warnings fail the build)"
	@echo "make book-instructor  build the instructor edition (answer key, exam pool, guide)"
	@echo "                      into _build/instructor/_build/html"
	@echo "make test   run the whole test suite (quizkit, data, notebooks with nbval)"
	@echo "make env    create .venv from requirements.lock (done by the targets above)"
	@echo "make clean  remove _build"

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@echo ">> creating $(VENV) from requirements.lock (first run takes a few minutes)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

book: $(STAMP)
	@echo ">> building the HTML book (student edition)"
	cd $(BOOK_DIR) && $(JB) build . --path-output $(OUT_DIR) --builder html $(JB_STRICT)
	@echo ">> open $(OUT_DIR)/_build/html/index.html"

# The instructor edition adds the answer key, the exam pool and the instructor guide.
# It has its own output folder so the two editions never share cached doctrees.
book-instructor: $(STAMP)
	@echo ">> building the HTML book (instructor edition)"
	cd $(BOOK_DIR) && QUIZKIT_EDITION=instructor $(JB) build . --path-output $(OUT_DIR)/_build/instructor --builder html $(JB_STRICT)
	@echo ">> open $(OUT_DIR)/_build/instructor/_build/html/index.html"

test: book book-instructor
	$(BIN)/python -m pytest -n auto

clean:
	rm -rf _build
