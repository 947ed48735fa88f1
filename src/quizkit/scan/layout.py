"""Where everything sits on an answer sheet: one geometry for drawing and reading.

``paper.sheet`` draws exactly what ``sheet_pages`` lays out, and the reader measures
the bubbles at exactly those places, so the two can never drift apart. Lengths are in
millimetres from the page's top-left corner.

A page carries four solid corner markers (registration), a small index square beside
the top-left marker (which way up the page is), a QR code naming the paper set, the
version and the page, the student-id digit bubbles, and the questions in columns:

* single and multiple: one bubble per option, lettered A, B, C … as on the version;
* numeric with ``numeric_digits``: one column of digit bubbles 0–9 per digit, when
  the key's answer is a whole number of at most that many digits (a negative or
  decimal answer cannot be bubbled, so that question is answered on the paper);
* order, match, text, and numeric without digit bubbles: "answer on the question
  paper"; the scanner leaves their cells empty for the instructor to type.

A version whose questions do not fit one page continues on the next, each page with
its own id bubbles: pages are joined by version and student id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..notation import LETTERS
from ..paper.key import KeyRow

# Part of every paper set's code: a change to the geometry below must change it, so
# that sheets printed with one layout are never measured with another.
LAYOUT_VERSION = 1
PAPER_SIZES_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}

MARKER_SIDE = 6.0
MARKER_INSET = 12.0  # from each edge to a marker's centre
INDEX_SIDE = 3.0
INDEX_OFFSET = 9.0  # from the top-left marker's centre to the index square's centre
QR_SIDE = 22.0
BUBBLE_RADIUS = 2.0
OPTION_PITCH = 5.5  # between bubbles of one question
ROW_PITCH = 6.0  # between questions
DIGIT_PITCH = 5.0  # between the rows 0–9 of a digit column
LABEL_WIDTH = 9.0  # question number left of the bubbles
COLUMN_GAP = 5.0
MARGIN = 15.0
ID_TOP = 48.0
QUESTIONS_TOP = ID_TOP + 14.0 + 10 * DIGIT_PITCH
BOTTOM = 22.0  # from the bottom edge: the markers and the footer live below

MIN_ID_DIGITS, MAX_ID_DIGITS = 1, 20
MAX_NUMERIC_DIGITS = 8
MAX_BUBBLED_CHOICES = 10

ID_FIELD = "student_id"
ON_PAPER = "answer on the question paper"
_WHOLE = re.compile(r"[0-9]+\Z")


@dataclass(frozen=True)
class SheetSettings:
    """What the drawing and the reader must agree on besides the key."""

    paper_size: str = "a4"
    id_digits: int = 8
    numeric_digits: int = 0  # 0: numeric items are answered on the question paper
    title: str = ""

    def problems(self) -> list[str]:
        rules = []
        if self.paper_size not in PAPER_SIZES_MM:
            rules.append(f"paper size {self.paper_size!r} is not one of "
                         f"{', '.join(PAPER_SIZES_MM)}")
        if not MIN_ID_DIGITS <= self.id_digits <= MAX_ID_DIGITS:
            rules.append(f"the student id must have {MIN_ID_DIGITS} to {MAX_ID_DIGITS} "
                         f"digits (got {self.id_digits})")
        if not 0 <= self.numeric_digits <= MAX_NUMERIC_DIGITS:
            rules.append(f"numeric bubbles take 1 to {MAX_NUMERIC_DIGITS} digits (got "
                         f"{self.numeric_digits})")
        return rules


@dataclass(frozen=True)
class Bubble:
    column: int  # digit position for ids and numbers, 0 for options
    value: str  # "A" … or "0" … "9"
    x: float
    y: float


@dataclass(frozen=True)
class Group:
    """The bubbles that together give one answer (or the student id)."""

    field: str  # "student_id" or the question number as text
    kind: str  # "id", "single", "multiple" or "numeric"
    columns: int
    bubbles: tuple[Bubble, ...]
    box: tuple[float, float, float, float]  # x0, y0, x1, y1: what a reviewer is shown


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 8.0
    bold: bool = False
    italic: bool = False
    anchor: str = "start"  # "start", "middle" or "end"


@dataclass(frozen=True)
class PageLayout:
    version: str
    page: int
    pages: int
    width: float
    height: float
    groups: tuple[Group, ...]
    texts: tuple[Text, ...]
    write_in: tuple[tuple[float, float, float, float], ...]  # boxes for handwriting
    on_paper: tuple[int, ...]  # questions answered on the question paper

    @property
    def markers(self) -> tuple[tuple[float, float], ...]:
        """Marker centres: top-left, top-right, bottom-right, bottom-left."""
        return marker_centres(self.width, self.height)

    @property
    def questions(self) -> tuple[int, ...]:
        return tuple(sorted([int(g.field) for g in self.groups if g.kind != "id"]
                            + list(self.on_paper)))


def marker_centres(width: float, height: float) -> tuple[tuple[float, float], ...]:
    i = MARKER_INSET
    return ((i, i), (width - i, i), (width - i, height - i), (i, height - i))


def index_centre() -> tuple[float, float]:
    return (MARKER_INSET + INDEX_OFFSET, MARKER_INSET)


def qr_box(width: float) -> tuple[float, float, float, float]:
    x0 = width - MARKER_INSET - QR_SIDE - 4.0
    y0 = MARKER_INSET + MARKER_SIDE / 2 + 3.0
    return (x0, y0, x0 + QR_SIDE, y0 + QR_SIDE)


def bubbled_kind(row: KeyRow, settings: SheetSettings) -> str | None:
    """How the question is answered on the sheet, or ``None`` (on the question paper)."""
    if row.type in ("single", "multiple") and len(row.option_order) <= MAX_BUBBLED_CHOICES:
        return row.type
    if (row.type == "numeric" and settings.numeric_digits
            and _WHOLE.match(row.answer) and len(row.answer) <= settings.numeric_digits):
        return "numeric"
    return None


# -- laying out ------------------------------------------------------------------------


@dataclass
class _Cursor:
    column: int
    y: float


def sheet_pages(version: str, rows: Sequence[KeyRow], settings: SheetSettings) -> list[PageLayout]:
    """The pages of the answer sheet of ``version`` whose key rows are ``rows``."""
    width, height = PAPER_SIZES_MM[settings.paper_size]
    rows = sorted(rows, key=lambda row: row.question)
    widest = max([len(r.option_order) for r in rows if bubbled_kind(r, settings)
                  in ("single", "multiple")] + [settings.numeric_digits, 5])
    column_width = LABEL_WIDTH + widest * OPTION_PITCH + COLUMN_GAP
    usable = width - 2 * MARGIN
    columns = max(1, int((usable + COLUMN_GAP) // column_width))
    bottom = height - BOTTOM

    placed: list[list[tuple[KeyRow, str | None, int, float]]] = [[]]
    cursor = _Cursor(0, QUESTIONS_TOP + 5.0)
    for row in rows:
        kind = bubbled_kind(row, settings)
        need = _height(kind)
        if cursor.y + need > bottom:
            cursor = _Cursor(cursor.column + 1, QUESTIONS_TOP + 5.0)
            if cursor.column == columns:
                placed.append([])
                cursor = _Cursor(0, QUESTIONS_TOP + 5.0)
        placed[-1].append((row, kind, cursor.column, cursor.y))
        cursor.y += need

    pages = []
    for number, content in enumerate(placed, start=1):
        pages.append(_page(version, number, len(placed), width, height, settings, content,
                           column_width))
    return pages


def _height(kind: str | None) -> float:
    if kind == "numeric":
        return 6.0 + 10 * DIGIT_PITCH + 6.0
    return ROW_PITCH


def _page(version: str, number: int, pages: int, width: float, height: float,
          settings: SheetSettings, content, column_width: float) -> PageLayout:
    texts: list[Text] = []
    boxes: list[tuple[float, float, float, float]] = []
    groups: list[Group] = []
    on_paper: list[int] = []

    left = MARGIN + 12.0
    texts.append(Text(left, 14.0, settings.title, 11.0, bold=True))
    texts.append(Text(left, 20.0, f"Version {version} \u2014 answer sheet \u2014 page "
                                  f"{number} of {pages}", 9.0))
    texts.append(Text(MARGIN, 28.0, "Fill each chosen bubble completely with a dark pen "
                                    "or pencil. To change an answer, erase it fully.", 7.5))
    texts.append(Text(MARGIN, 32.0, "Do not fold or write near the black squares or the "
                                    "code. Write your student id in the boxes and fill "
                                    "one bubble per digit.", 7.5))
    texts.append(Text(MARGIN, 41.0, "Name:", 9.0, bold=True))
    boxes.append((MARGIN + 11.0, 36.0, qr_box(width)[0] - 6.0, 42.0))

    groups.append(_digit_group(ID_FIELD, "id", settings.id_digits, MARGIN, ID_TOP, texts,
                               boxes, "Student id"))

    for row, kind, column, y in content:
        x = MARGIN + column * column_width
        label = Text(x + LABEL_WIDTH - 2.5, y + 1.2, f"{row.question}", 8.0, bold=True,
                     anchor="end")
        if kind is None:
            texts.append(label)
            texts.append(Text(x + LABEL_WIDTH - 1.0, y + 1.2, ON_PAPER, 6.5, italic=True))
            on_paper.append(row.question)
        elif kind == "numeric":
            groups.append(_digit_group(str(row.question), "numeric",
                                       settings.numeric_digits, x, y - 2.0, texts, boxes,
                                       None, label))
        else:
            bubbles = []
            for k in range(len(row.option_order)):
                bx = x + LABEL_WIDTH + BUBBLE_RADIUS + k * OPTION_PITCH
                bubbles.append(Bubble(0, LETTERS[k], bx, y))
                texts.append(Text(bx, y - BUBBLE_RADIUS - 0.6, LETTERS[k], 4.5,
                                  anchor="middle"))
            texts.append(label)
            last = bubbles[-1].x + BUBBLE_RADIUS
            groups.append(Group(str(row.question), kind, 1, tuple(bubbles),
                                (x, y - ROW_PITCH / 2 - 0.5, last + 1.5, y + ROW_PITCH / 2)))
    footer = (f"Answer sheet {version}, page {number} of {pages}. Questions "
              "marked \u201canswer on the question paper\u201d are written there.")
    texts.append(Text(width / 2, height - MARKER_INSET + 1.0, footer, 6.5, anchor="middle"))
    return PageLayout(version, number, pages, width, height, tuple(groups), tuple(texts),
                      tuple(boxes), tuple(on_paper))


def _digit_group(field: str, kind: str, digits: int, x: float, top: float,
                 texts: list[Text], boxes: list, heading: str | None,
                 label: Text | None = None) -> Group:
    """``digits`` columns of bubbles 0–9 under a row of write-in boxes."""
    if heading:
        texts.append(Text(x, top, heading, 8.0, bold=True))
    if label:
        texts.append(label)
    first_x = x + LABEL_WIDTH + BUBBLE_RADIUS
    boxes_top = top + 1.5
    for c in range(digits):
        cx = first_x + c * OPTION_PITCH
        boxes.append((cx - 2.5, boxes_top, cx + 2.5, boxes_top + 5.0))
    first_y = boxes_top + 5.0 + 4.0
    bubbles = []
    for d in range(10):
        y = first_y + d * DIGIT_PITCH
        texts.append(Text(first_x - BUBBLE_RADIUS - 1.2, y + 1.0, str(d), 5.5, anchor="end"))
        for c in range(digits):
            bubbles.append(Bubble(c, str(d), first_x + c * OPTION_PITCH, y))
    x1 = first_x + (digits - 1) * OPTION_PITCH + BUBBLE_RADIUS + 1.5
    return Group(field, kind, digits, tuple(bubbles),
                 (x, boxes_top - 1.0 if label else top - 3.5, x1,
                  first_y + 9 * DIGIT_PITCH + BUBBLE_RADIUS + 1.5))
