"""The chapters' structure: what a student relies on finding in every chapter.

Content rules live in ../shared/CONTENT.md; these tests check the parts a machine can
check: objectives, exercises with solutions, a figure with alt text, citations that
resolve, takeaways, discussion questions, further reading, the self-check quiz, and
glossary terms that exist and are used.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from quizkit.sources import reference_keys
from resolve_book.data import DATA_DIR, load_glossary

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"

# name of the notebook → name of its quiz bank (the chapter's short name)
NOTEBOOK_CHAPTERS = {
    "01_background": "background",
    "02_operation": "operation",
    "03_us_position": "us_position",
    "04_afghan_border": "afghan_border",
    "05_critiques": "critiques",
}

CITE_ROLE = re.compile(r"\{cite(?::[pt])?\}`([^`]+)`")
TERM_ROLE = re.compile(r"\{term\}`([^`<]+?)(?:\s*<([^>]+)>)?`")
EXERCISE = re.compile(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)")
SOLUTION = re.compile(r"```\{solution\}\s+(\S+)")
QUIZ = re.compile(r"```\{quiz\}\s+(\S+)")


def toc_files() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = {toc["root"]}

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.add(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def page_text(path: Path) -> str:
    """The authored text of a page: markdown cells and code of a notebook, or the file."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return "\n\n".join(cell.source for cell in nb.cells)
    return path.read_text(encoding="utf-8")


def markdown_text(nb) -> str:
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def prose_words(markdown: str) -> int:
    """Words of prose: directive fences' option lines and code blocks do not count."""
    text = re.sub(r"^:[a-z-]+:.*$", "", markdown, flags=re.M)
    text = re.sub(r"\{[a-z:-]+\}`[^`]*`", "x", text)
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", text))


@pytest.fixture(scope="module")
def bib_keys() -> set[str]:
    return reference_keys(DATA_DIR)


@pytest.fixture(scope="module", params=sorted(NOTEBOOK_CHAPTERS))
def chapter(request):
    path = CHAPTERS / f"{request.param}.ipynb"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing"
    return request.param, nbformat.read(path, as_version=4)


def test_every_chapter_is_in_the_toc():
    files = toc_files()
    for name in NOTEBOOK_CHAPTERS:
        assert f"chapters/{name}" in files, f"chapters/{name} is not in _toc.yml"


def test_chapter_has_the_standard_sections(chapter):
    name, nb = chapter
    md = markdown_text(nb)
    for heading in ("Learning objectives", "Key takeaways", "Discussion questions", "Further reading"):
        assert re.search(rf"^#+\s+{heading}", md, flags=re.M | re.I), f"{name}: no '{heading}' section"
    first = next(c for c in nb.cells if c.cell_type == "markdown").source
    assert re.search(r"learning objectives", first + md[:3000], flags=re.I), f"{name}: objectives must open the chapter"


def test_chapter_length_is_a_chapter(chapter):
    name, nb = chapter
    words = prose_words(markdown_text(nb))
    assert 1800 <= words <= 4200, f"{name}: {words} words of prose; a chapter has about 2,000–3,000"


def test_chapter_has_four_exercises_each_with_a_solution(chapter):
    name, nb = chapter
    md = markdown_text(nb)
    labels = EXERCISE.findall(md)
    solved = set(SOLUTION.findall(md))
    assert len(labels) >= 4, f"{name}: {len(labels)} exercises, at least 4 expected"
    assert len(set(labels)) == len(labels), f"{name}: duplicate exercise labels"
    bank = NOTEBOOK_CHAPTERS[name]
    for label in labels:
        assert label.startswith(f"{bank}-"), f"{name}: exercise label {label} must start with '{bank}-'"
        assert label in solved, f"{name}: exercise {label} has no solution"


def test_chapter_has_a_figure_or_table_computed_from_data(chapter):
    name, nb = chapter
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "resolve_book.data" in code, f"{name}: no code reads the data layer"
    assert "http://" not in code and "https://" not in code, f"{name}: code must not fetch URLs"
    figures = [
        c for c in nb.cells
        if c.cell_type == "code" and any("image/png" in o.get("data", {}) for o in c.get("outputs", []))
    ]
    assert figures, f"{name}: no figure in the committed outputs"
    for cell in figures:
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        assert len(alt) >= 40, f"{name}: a figure has no alt text (cell metadata mystnb.image.alt)"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.get("outputs") is not None
            assert not any(o.get("output_type") == "error" for o in cell.outputs), f"{name}: a cell errored"


def test_chapter_citations_resolve(chapter, bib_keys):
    name, nb = chapter
    keys = [k.strip() for group in CITE_ROLE.findall(markdown_text(nb)) for k in group.split(",")]
    assert len(keys) >= 20, f"{name}: only {len(keys)} citations; every factual claim is cited"
    unknown = sorted(set(keys) - bib_keys)
    assert not unknown, f"{name}: citations not in data/references.bib: {unknown}"


def test_chapter_ends_with_its_self_check_quiz(chapter):
    name, nb = chapter
    quizzes = QUIZ.findall(markdown_text(nb))
    assert NOTEBOOK_CHAPTERS[name] in quizzes, f"{name}: no {{quiz}} {NOTEBOOK_CHAPTERS[name]} directive"


def test_chapter_links_glossary_and_timeline(chapter):
    name, nb = chapter
    md = markdown_text(nb)
    assert TERM_ROLE.search(md), f"{name}: links no glossary term"
    assert re.search(r"\{doc\}`[^`]*timeline", md), f"{name}: does not link the timeline"


def test_glossary_terms_exist_and_each_is_used_in_a_chapter():
    glossary = load_glossary()
    known = set(glossary["term"]) | {a for a in glossary["abbreviation"].fillna("") if a}
    used: set[str] = set()
    for path in sorted(CHAPTERS.glob("*.ipynb")) + sorted(CHAPTERS.glob("*.md")):
        for term, target in TERM_ROLE.findall(page_text(path)):
            ref = (target or term).strip()
            assert ref in known, f"{path.name}: {{term}} '{ref}' is not in data/glossary.csv"
            used.add(ref)
    by_term = {row.term: {row.term, row.abbreviation} for row in glossary.itertuples()}
    unused = sorted(t for t, names in by_term.items() if not names & used)
    assert not unused, f"glossary terms never linked from a chapter: {unused}"


def test_notebooks_use_the_standard_kernel():
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernelspec must be python3"
