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

.PHONY: book test env clean help

help:
	@echo "make book   build the HTML book into _build/html (warnings fail the build)"
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

test: $(STAMP)
	$(BIN)/python -m pytest -n auto

clean:
	rm -rf _build
