"""Synthetic scans of answer sheets: pen marks drawn where the layout puts bubbles,
then what scanners and copiers do to a page (rotation, shift, scale, perspective,
blur, noise, JPEG artefacts). Used by the scan tests and bench/bench_scan.py.

Mark styles, and what the scanner must make of them:

    clear (read as marked)     full, scribble, pencil (a soft pencil's grey fill)
    clear (read as blank)      none, stray (a dot or a short line inside the ring)
    ambiguous (flagged)        faint, erased, partial, cross
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2
from PIL import Image

from quizkit.paper.key import KeyRow, write_key
from quizkit.paper.sheet import write_sheets
from quizkit.scan.layout import BUBBLE_RADIUS, Group, PageLayout

MARKED_STYLES = ("full", "scribble", "pencil")
BLANK_STYLES = ("stray",)
AMBIGUOUS_STYLES = ("faint", "erased", "partial", "cross")


def render_pdf_page(pdf: bytes | str, index: int, dpi: float) -> np.ndarray:
    """One page of a PDF as a greyscale image at ``dpi``."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[index]
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = np.array(bitmap.to_numpy()).reshape(bitmap.height, bitmap.width, -1)[:, :, 0]
        return image.copy()
    finally:
        document.close()


def _px(value_mm: float, dpi: float) -> int:
    return int(round(value_mm * dpi / 25.4))


def mark(image: np.ndarray, x_mm: float, y_mm: float, dpi: float, style: str,
         rng: random.Random) -> None:
    """Draw one pen mark of ``style`` on the bubble centred at (x_mm, y_mm)."""
    cx, cy = _px(x_mm + rng.uniform(-0.2, 0.2), dpi), _px(y_mm + rng.uniform(-0.2, 0.2), dpi)
    r = BUBBLE_RADIUS * dpi / 25.4
    ink = rng.randint(15, 45)
    pen = max(1, _px(0.45, dpi))
    if style == "full":
        cv2.ellipse(image, (cx, cy), (int(r * 0.95), int(r * 0.9)), rng.uniform(0, 180), 0,
                    360, ink, -1, cv2.LINE_AA)
    elif style == "pencil":  # graphite: grey, grainy, filling the ring
        cv2.ellipse(image, (cx, cy), (int(r * 0.95), int(r * 0.92)), 0, 0, 360,
                    rng.randint(100, 115), -1, cv2.LINE_AA)
    elif style == "scribble":
        for k in range(9):
            dy = int(r * 0.8 * (k / 4 - 1))
            half = int(math.sqrt(max(0.0, (r * 0.92) ** 2 - dy ** 2)))
            cv2.line(image, (cx - half, cy + dy), (cx + half, cy + dy + pen), ink, pen + 2,
                     cv2.LINE_AA)
    elif style == "faint":  # a light pencil touch over the whole bubble
        cv2.ellipse(image, (cx, cy), (int(r * 0.9), int(r * 0.85)), 0, 0, 360,
                    rng.randint(175, 190), -1, cv2.LINE_AA)
    elif style == "erased":  # the grey left by rubbing out a full mark, with specks
        cv2.ellipse(image, (cx, cy), (int(r * 0.9), int(r * 0.9)), 0, 0, 360,
                    rng.randint(170, 185), -1, cv2.LINE_AA)
        for _ in range(6):
            sx, sy = cx + rng.randint(-int(r / 2), int(r / 2)), cy + rng.randint(-int(r / 2), int(r / 2))
            cv2.circle(image, (sx, sy), max(1, pen // 2), ink + 60, -1)
    elif style == "partial":  # half the bubble filled
        cv2.ellipse(image, (cx, cy), (int(r * 0.9), int(r * 0.9)), rng.choice((0, 90, 180, 270)),
                    0, 180, ink, -1, cv2.LINE_AA)
    elif style == "cross":
        d = int(r * 0.75)
        cv2.line(image, (cx - d, cy - d), (cx + d, cy + d), ink, pen, cv2.LINE_AA)
        cv2.line(image, (cx - d, cy + d), (cx + d, cy - d), ink, pen, cv2.LINE_AA)
    elif style == "stray":  # a short pen touch, not an answer
        cv2.circle(image, (cx + int(r * 0.3), cy - int(r * 0.2)), pen, ink, -1, cv2.LINE_AA)
    elif style != "none":
        raise ValueError(style)


def stray_outside(image: np.ndarray, dpi: float, rng: random.Random, count: int = 6) -> None:
    """Doodles in the margins and between the bubbles' columns."""
    h, w = image.shape
    for _ in range(count):
        x, y = rng.randint(int(w * 0.15), int(w * 0.85)), rng.randint(int(h * 0.15), int(h * 0.9))
        cv2.line(image, (x, y), (x + _px(rng.uniform(2, 6), dpi), y + _px(rng.uniform(-1, 1), dpi)),
                 40, max(1, _px(0.3, dpi)), cv2.LINE_AA)


@dataclass(frozen=True)
class Answers:
    """What a synthetic student marked on one page."""

    student_id: str
    choices: dict[str, str]  # question → letters ("B", "AC") or digits ("292")
    styles: dict[tuple[str, str], str] | None = None  # (question, value) → style


def bubbles_for(group: Group, answer: str) -> list[tuple[float, float, str]]:
    """(x, y, value) of the bubbles ``answer`` fills in ``group``."""
    if group.columns == 1:
        return [(b.x, b.y, b.value) for b in group.bubbles if b.value in answer]
    chosen = []
    start = group.columns - len(answer) if group.kind == "numeric" else 0
    for position, digit in enumerate(answer):
        for b in group.bubbles:
            if b.column == start + position and b.value == digit:
                chosen.append((b.x, b.y, f"{digit}@{b.column + 1}"))
    return chosen


def fill_sheet(image: np.ndarray, layout: PageLayout, dpi: float, answers: Answers,
               rng: random.Random, *, style: str = "full",
               extra: Iterable[tuple[str, str, str]] = ()) -> None:
    """Mark ``answers`` on a rendered page; ``extra`` adds (field, value, style) marks
    on single bubbles (value "A" or "digit@column")."""
    groups = {g.field: g for g in layout.groups}
    for field, answer in [("student_id", answers.student_id), *answers.choices.items()]:
        if field not in groups:
            continue
        for x, y, _ in bubbles_for(groups[field], answer):
            mark(image, x, y, dpi, style, rng)
    for field, value, kind in extra:
        group = groups[field]
        for b in group.bubbles:
            label = b.value if group.columns == 1 else f"{b.value}@{b.column + 1}"
            if label == value:
                mark(image, b.x, b.y, dpi, kind, rng)


def degrade(image: np.ndarray, rng: random.Random, *, angle: float = 0.0,
            shift: tuple[float, float] = (0.0, 0.0), scale: float = 1.0,
            perspective: float = 0.0, blur: float = 0.0, noise: float = 0.0,
            turn: int = 0, bed: float = 0.06) -> np.ndarray:
    """What a scanner does: the page on a bed ``bed`` (a fraction of its size) larger
    on each side, rotated by ``angle`` degrees, shifted (fractions of the page),
    scaled, tilted (``perspective``, fraction of the width), blurred (sigma in pixels),
    with noise (sigma in grey levels), turned by ``turn`` quarter turns."""
    if bed:
        pad_y, pad_x = int(image.shape[0] * bed), int(image.shape[1] * bed)
        image = cv2.copyMakeBorder(image, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_CONSTANT,
                                   value=235)
    h, w = image.shape
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    matrix[:, 2] += (shift[0] * w, shift[1] * h)
    target = cv2.transform(source[None], matrix)[0]
    if perspective:
        target[0, 0] += perspective * w
        target[1, 0] -= perspective * w
    warp = cv2.getPerspectiveTransform(source, target.astype(np.float32))
    out = cv2.warpPerspective(image, warp, (w, h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=250)
    if blur:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if noise:
        noisy = out.astype(np.float32) + np.random.default_rng(rng.randint(0, 2**31)).normal(
            0, noise, out.shape).astype(np.float32)
        out = np.clip(noisy, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(np.rot90(out, -turn)) if turn else out


def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def to_pdf(images: Sequence[np.ndarray], dpi: float, quality: int = 85) -> bytes:
    """A multi-page PDF of greyscale scans, JPEG-compressed as scanners write them."""
    pages = [Image.fromarray(image) for image in images]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=pages[1:],
                  quality=quality)
    return buffer.getvalue()


# -- papers ------------------------------------------------------------------------------

def write_paper(folder, rows, settings) -> None:
    """A paper folder as ``quizkit paper --sheets`` leaves it, from key rows alone (the
    scanner needs no bank): key.csv, sheet-X.pdf, sheets.json."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_key(rows, folder / "key.csv")
    write_sheets(rows, folder, settings)


def choice_rows(version: str, count: int, options: int = 4, kind: str = "single"):
    """Key rows of ``count`` choice questions (answer A, options in bank order)."""
    return [KeyRow(version, q, f"synthetic-q{q:03d}", "synthetic", kind,
                   "A" if kind == "single" else "AB", tuple(range(options)))
            for q in range(1, count + 1)]


def scan_page(pdf_path, layout: PageLayout, dpi: float, answers: Answers, seed: int = 0,
              *, style: str = "full", extra=(), **scanner) -> np.ndarray:
    """One sheet page, filled in and passed through a scanner."""
    rng = random.Random(seed)
    image = render_pdf_page(str(pdf_path), layout.page - 1, dpi)
    fill_sheet(image, layout, dpi, answers, rng, style=style, extra=extra)
    return degrade(image, rng, **scanner)
