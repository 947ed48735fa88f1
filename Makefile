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

.PHONY: book book-instructor pdf pdf-instructor handout linkcheck test unit lint env clean help

help:
	@echo "make book   build the HTML book into _build/html (warnings fail the build)"
	@echo "make book-instructor  build the instructor edition (answer key, exam pool, guide)"
	@echo "                      into _build/instructor/_build/html"
	@echo "make pdf              the whole module as a PDF, student edition -> _build/pdf/"
	@echo "make pdf-instructor   the same with solutions and the quiz answer key"
	@echo "make handout          a few-page class handout (student and instructor variants)"
	@echo "make linkcheck        check the bibliography's external links (needs a network)"
	@echo "make test   run the whole test suite (quizkit, data, notebooks with nbval)"
	@echo "make unit   the unit tests only (no book or PDF build; under a minute)"
	@echo "make lint   ruff, as configured in pyproject.toml"
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

# PDFs: XeLaTeX from Debian's TeX Live (see .ci/debian-packages.txt). Each edition
# builds in its own folder; the finished PDFs are copied to _build/pdf/.
PDF_DIR := _build/pdf
LATEX_NAME := resolve-for-stability

pdf: $(STAMP)
	@echo ">> building the PDF, student edition (exercises without solutions, no answer key)"
	$(JB) build . --builder pdflatex --path-output _build/latex-student $(JB_STRICT)
	@mkdir -p $(PDF_DIR)
	cp _build/latex-student/_build/latex/$(LATEX_NAME).pdf $(PDF_DIR)/$(LATEX_NAME)-student.pdf
	@echo ">> wrote $(PDF_DIR)/$(LATEX_NAME)-student.pdf"

pdf-instructor: $(STAMP)
	@echo ">> building the PDF, instructor edition (solutions and answer key)"
	QUIZKIT_EDITION=instructor $(JB) build . --builder pdflatex --path-output _build/latex-instructor $(JB_STRICT)
	@mkdir -p $(PDF_DIR)
	cp _build/latex-instructor/_build/latex/$(LATEX_NAME).pdf $(PDF_DIR)/$(LATEX_NAME)-instructor.pdf
	@echo ">> wrote $(PDF_DIR)/$(LATEX_NAME)-instructor.pdf"

# The handout is a small companion book in handout/, built from the same data and
# banks; its instructor variant adds the key to the printed questions.
handout: $(STAMP)
	@echo ">> building the class handout (student variant)"
	cd handout && $(JB) build . --builder pdflatex --path-output ../_build/handout-student $(JB_STRICT)
	@echo ">> building the class handout (instructor variant, with the key)"
	cd handout && QUIZKIT_EDITION=instructor $(JB) build . --builder pdflatex --path-output ../_build/handout-instructor $(JB_STRICT)
	@mkdir -p $(PDF_DIR)
	cp _build/handout-student/_build/latex/handout.pdf $(PDF_DIR)/handout-student.pdf
	cp _build/handout-instructor/_build/latex/handout.pdf $(PDF_DIR)/handout-instructor.pdf
	@echo ">> wrote $(PDF_DIR)/handout-student.pdf and $(PDF_DIR)/handout-instructor.pdf"

# External links of the bibliography; needs a network, so it is not part of `make test`.
# Report: _build/linkcheck/_build/html/output.txt (Jupyter Book names the folder html).
linkcheck: $(STAMP)
	@echo ">> checking the bibliography's external links (needs a network)"
	$(JB) build . --builder linkcheck --path-output _build/linkcheck $(JB_STRICT)

test: lint book book-instructor pdf pdf-instructor handout
	$(BIN)/python -m pytest -n auto

# The unit tests: quizkit, the data layer, the chapters' structure and small sample
# books; nothing that needs the built book, site or PDFs.
unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not build" -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check

clean:
	rm -rf _build
