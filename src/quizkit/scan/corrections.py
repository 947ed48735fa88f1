"""The corrections file: the instructor's decisions, applied again on every re-run.

A UTF-8 CSV with the columns ``page,field,value`` (other columns are ignored, so the
``review.csv`` a scan writes can be filled in and passed back as it is)::

    page,field,value
    scans.pdf#3,student_id,20240017     the id on that page
    scans.pdf#3,12,B                    question 12 on that page is B
    scans.pdf#3,14,                     question 14 is blank
    scans.pdf#7,page,skip               leave the page out (a test print, a duplicate)

``page`` names a page as ``<scan file name>#<page number>``; ``value`` "?" means
"not decided yet" and leaves the decision in review. A correction replaces what was
read, whether it was uncertain or not.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, QuizkitError, display_path
from ..files import read_user_text
from .layout import ID_FIELD

COLUMNS = ("page", "field", "value")
UNDECIDED = "?"
PAGE_FIELD = "page"
SKIP = "skip"
_REF = re.compile(r".+#[1-9][0-9]*\Z")
_QUESTION = re.compile(r"[1-9][0-9]*\Z")


@dataclass(frozen=True)
class Correction:
    page: str
    field: str
    value: str
    line: int


@dataclass(frozen=True)
class Corrections:
    path: str
    by_page: dict[str, dict[str, Correction]]

    def for_page(self, ref: str) -> dict[str, Correction]:
        return self.by_page.get(ref, {})


NO_CORRECTIONS = Corrections("", {})


def read_corrections(path: str | Path) -> Corrections:
    shown = display_path(path)
    reader = csv.reader(io.StringIO(read_user_text(path).text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise QuizkitError(Problem(shown, 1, f"missing column {', '.join(missing)} (the "
                                   "header starts page,field,value)"))
    at = {name: header.index(name) for name in COLUMNS}
    problems, by_page = [], {}
    line = 1
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        page, field, value = (cells[at[name]].strip() for name in COLUMNS)
        if value == UNDECIDED:
            continue
        rule = _rule(page, field, value)
        if rule:
            problems.append(Problem(shown, line, rule))
            continue
        fields = by_page.setdefault(page, {})
        if field in fields:
            problems.append(Problem(shown, line, f"{page} {field} is corrected twice (first "
                                    f"on line {fields[field].line})"))
            continue
        fields[field] = Correction(page, field, value.upper(), line)
    if problems:
        raise QuizkitError(problems)
    return Corrections(shown, by_page)


def _rule(page: str, field: str, value: str) -> str:
    if not _REF.match(page):
        return (f"page {page!r} must name a scanned page as <file name>#<page number>, "
                "e.g. scans.pdf#3")
    if field == PAGE_FIELD:
        return "" if value.lower() == SKIP else (f"the only correction of a whole page is "
                                                 f"\"{SKIP}\" (got {value!r})")
    if field == ID_FIELD:
        return "" if value.isdigit() else f"student_id {value!r} must be digits"
    if not _QUESTION.match(field):
        return (f"field {field!r} must be student_id, page or a question number")
    if value and not re.fullmatch(r"[A-Za-z]+|[0-9]+", value):
        return f"answer {value!r} must be letters (A, AC) or digits (292), or empty for blank"
    return ""
