"""The paper set: which printed test a sheet belongs to, and what its code says.

A paper folder written by ``quizkit paper --sheets`` holds ``key.csv`` and
``sheets.json`` (the sheet settings). The paper set is a hash of both: a sheet
printed for another test, or for this test before its key changed, carries another
code and is reported, never graded against this key.

The QR code of each page reads ``QK1 <paper set> <version> <page> <pages>``.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import Problem, QuizkitError, display_path
from ..files import write_new_file
from ..grading.key import read_key
from ..model import format_number
from ..paper.key import KeyRow
from .layout import LAYOUT_VERSION, PAPER_SIZES_MM, PageLayout, SheetSettings, sheet_pages

SHEETS_FILE = "sheets.json"
KEY_FILE = "key.csv"
CODE_PREFIX = "QK1"
FORMAT = "quizkit-answer-sheets/1"


def paper_set_code(rows: list[KeyRow], settings: SheetSettings) -> str:
    """Twelve hex digits naming the key, the sheet settings and the layout together."""
    digest = hashlib.sha256()
    digest.update(f"layout {LAYOUT_VERSION}\n".encode())
    digest.update(json.dumps(asdict(settings), sort_keys=True).encode())
    for row in sorted(rows, key=lambda r: (r.version, r.question)):
        cells = (row.version, str(row.question), row.item_id, row.bank, row.type, row.answer,
                 " ".join(map(str, row.option_order)), format_number(row.points))
        digest.update(("\x1f".join(cells) + "\x1e").encode())
    return digest.hexdigest()[:12]


def qr_text(code: str, version: str, page: int, pages: int) -> str:
    return f"{CODE_PREFIX} {code} {version} {page} {pages}"


@dataclass(frozen=True)
class SheetCode:
    paper_set: str
    version: str
    page: int
    pages: int


def parse_qr(text: str) -> SheetCode | None:
    """The parts of a sheet code, or ``None`` for a code that is not a quizkit sheet's."""
    parts = text.split()
    if len(parts) != 5 or parts[0] != CODE_PREFIX:
        return None
    _, code, version, page, pages = parts
    if not (page.isdigit() and pages.isdigit()):
        return None
    return SheetCode(code, version, int(page), int(pages))


def write_settings(folder: Path, rows: list[KeyRow], settings: SheetSettings) -> Path:
    """``sheets.json`` beside the key (never over an existing file)."""
    data = {"format": FORMAT, "paper_set": paper_set_code(rows, settings), **asdict(settings)}
    return write_new_file(folder / SHEETS_FILE, json.dumps(data, indent=2, ensure_ascii=False)
                          + "\n")


@dataclass(frozen=True)
class Paper:
    """A paper folder as the scanner needs it: the key and every page's layout."""

    folder: str
    code: str
    settings: SheetSettings
    rows: tuple[KeyRow, ...]
    layouts: dict[tuple[str, int], PageLayout]  # (version, page) → layout
    pages: dict[str, int]  # version → number of pages
    questions: int  # questions per version

    @property
    def width(self) -> float:
        return PAPER_SIZES_MM[self.settings.paper_size][0]

    @property
    def height(self) -> float:
        return PAPER_SIZES_MM[self.settings.paper_size][1]

    def rows_of(self, version: str) -> dict[int, KeyRow]:
        return {row.question: row for row in self.rows if row.version == version}


def load_paper(folder: str | Path) -> Paper:
    """Read ``key.csv`` and ``sheets.json`` of a paper folder, checked."""
    folder = Path(folder)
    shown = display_path(folder)
    if not folder.is_dir():
        raise QuizkitError(Problem(shown, None, "no such paper folder (the folder "
                                   "'quizkit paper --sheets' wrote)"))
    settings_path = folder / SHEETS_FILE
    if not settings_path.is_file():
        raise QuizkitError(Problem(display_path(settings_path), None,
                                   "not found: this paper was printed without answer "
                                   "sheets (run 'quizkit paper' with --sheets)"))
    rows = read_key(folder / KEY_FILE)
    where = display_path(settings_path)
    try:
        data = json.loads(settings_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise QuizkitError(Problem(where, line, f"not a readable sheet settings file "
                                   f"({exc})")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise QuizkitError(Problem(where, None, f"expected \"format\": \"{FORMAT}\""))
    fields = {"paper_size": str, "id_digits": int, "numeric_digits": int, "title": str}
    unknown = sorted(set(data) - set(fields) - {"format", "paper_set"})
    wrong = [name for name, kind in fields.items() if not isinstance(data.get(name), kind)]
    if unknown or wrong:
        rule = (f"unknown key {', '.join(unknown)}" if unknown else
                f"{', '.join(wrong)} missing or of the wrong type")
        raise QuizkitError(Problem(where, None, rule))
    settings = SheetSettings(**{name: data[name] for name in fields})
    if settings.problems():
        raise QuizkitError([Problem(where, None, rule) for rule in settings.problems()])
    code = paper_set_code(rows, settings)
    if data.get("paper_set") != code:
        raise QuizkitError(Problem(where, None, f"paper set {data.get('paper_set')!r} does "
                                   f"not match key.csv and these settings ({code}); was "
                                   "key.csv edited after printing, or the sheets printed by "
                                   "another version of quizkit?"))
    by_version: dict[str, list[KeyRow]] = defaultdict(list)
    for row in rows:
        by_version[row.version].append(row)
    layouts, pages = {}, {}
    for version, version_rows in sorted(by_version.items()):
        laid = sheet_pages(version, version_rows, settings)
        pages[version] = len(laid)
        for layout in laid:
            layouts[(version, layout.page)] = layout
    questions = max(row.question for row in rows)
    return Paper(shown, code, settings, tuple(rows), layouts, pages, questions)


__all__ = ["Paper", "SheetCode", "load_paper", "paper_set_code", "parse_qr",
           "qr_text", "write_settings"]
