"""Draw answer sheets as PDF, exactly where ``quizkit.scan.layout`` puts things.

reportlab writes the PDF directly (no TeX run), so each mark lands at the millimetre
the reader measures. Black on white only, no greys that a photocopier would lose: the
sheet survives copying. ``invariant=1`` makes the same sheet give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path

import numpy as np
import zxingcpp
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..errors import Problem, QuizkitError
from ..files import write_new_file
from ..scan.layout import (
    BUBBLE_RADIUS, INDEX_SIDE, MARKER_SIDE, PageLayout, SheetSettings, index_centre, qr_box,
    sheet_pages,
)
from ..scan.paperset import paper_set_code, qr_text, write_settings
from .key import KeyRow

FONT, BOLD, ITALIC = "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"


def check_settings(settings: SheetSettings) -> None:
    """Before anything is written: settings a sheet can be drawn with. The sheet's
    font (PDF standard Helvetica) covers Windows-1252 only."""
    problems = settings.problems()
    if problems:
        raise QuizkitError([Problem("quizkit paper", None, rule) for rule in problems])
    title = settings.title
    try:
        title.encode("cp1252")
    except UnicodeEncodeError as exc:
        raise QuizkitError(Problem("--title", None, f"the answer sheet's font cannot print "
                                   f"{title[exc.start]!r}; use Latin letters in the title "
                                   "or add --no-sheets")) from None


def qr_modules(text: str) -> np.ndarray:
    """The QR code of ``text`` as a boolean matrix, True for a dark module."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128


def render_sheet(pages: Sequence[PageLayout], code: str) -> bytes:
    """The PDF of one version's answer sheet."""
    first = pages[0]
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(first.width * mm, first.height * mm), invariant=1,
                    pageCompression=1)
    canvas.setTitle(f"Answer sheet, version {first.version}")
    canvas.setAuthor("quizkit")
    for page in pages:
        _draw_page(canvas, page, code)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_page(canvas: Canvas, page: PageLayout, code: str) -> None:
    height = page.height

    def at(x: float, y: float) -> tuple[float, float]:
        return x * mm, (height - y) * mm

    canvas.setFillGray(0)
    canvas.setStrokeGray(0)
    for cx, cy in page.markers:
        _square(canvas, at, cx, cy, MARKER_SIDE)
    _square(canvas, at, *index_centre(), INDEX_SIDE)

    x0, y0, x1, _ = qr_box(page.width)
    modules = qr_modules(qr_text(code, page.version, page.page, page.pages))
    size = (x1 - x0) / modules.shape[0]
    for r, row in enumerate(modules):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            left, top = at(x0 + start * size, y0 + r * size)
            canvas.rect(left, top - size * mm, (c - start) * size * mm, size * mm, stroke=0,
                        fill=1)

    for text in page.texts:
        font = BOLD if text.bold else ITALIC if text.italic else FONT
        canvas.setFont(font, text.size)
        draw = {"start": canvas.drawString, "middle": canvas.drawCentredString,
                "end": canvas.drawRightString}[text.anchor]
        draw(*at(text.x, text.y), text.text)

    canvas.setLineWidth(0.5)
    for bx0, by0, bx1, by1 in page.write_in:
        left, bottom = at(bx0, by1)
        canvas.rect(left, bottom, (bx1 - bx0) * mm, (by1 - by0) * mm, stroke=1, fill=0)
    canvas.setLineWidth(0.6)
    for group in page.groups:
        for bubble in group.bubbles:
            canvas.circle(*at(bubble.x, bubble.y), BUBBLE_RADIUS * mm, stroke=1, fill=0)


def _square(canvas: Canvas, at: Callable, cx: float, cy: float, side: float) -> None:
    left, bottom = at(cx - side / 2, cy + side / 2)
    canvas.rect(left, bottom, side * mm, side * mm, stroke=0, fill=1)


def write_sheets(key_rows: Sequence[KeyRow], folder: Path, settings: SheetSettings, *,
                 wrote: Callable[[Path], None] = lambda path: None) -> list[Path]:
    """``sheet-A.pdf`` … for every version of ``key_rows``, then ``sheets.json``."""
    check_settings(settings)
    rows = list(key_rows)
    code = paper_set_code(rows, settings)
    written = []
    for version in sorted({row.version for row in rows}):
        pages = sheet_pages(version, [r for r in rows if r.version == version], settings)
        path = write_new_file(folder / f"sheet-{version}.pdf", render_sheet(pages, code))
        wrote(path)
        written.append(path)
    written.append(write_settings(folder, rows, settings))
    wrote(written[-1])
    return written
