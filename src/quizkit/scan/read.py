"""Read one scanned page: find the sheet, straighten it, read its code and its bubbles.

1. The four corner markers are found on a reduced copy of the page (solid, square,
   of the expected size, one nearest each corner of the image).
2. Which way up: of the four ways the markers can map onto the sheet's corners (the
   page may be turned by any quarter turn, or upside down), the one that puts the
   solid index square beside the top-left marker wins. The homography through the
   markers then also undoes skew, scale, shift and perspective.
3. The QR code is read from its own, sharper re-sampling of the page.
4. Each bubble's fill is the mean darkness of its inner disk (inside the printed
   ring), on a scale from the paper's white (0) to the markers' black (1), so a pale
   scan or a grey photocopy reads like a crisp one.
5. A bubble is marked from ``MARKED`` up, blank up to ``BLANK``, uncertain between
   (light marks, erasures, crosses, partial fills). A group with an uncertain bubble,
   two marks on a single-answer question or two digits in one column is never
   guessed: it goes to review with its crop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np
import zxingcpp

from .layout import (
    BUBBLE_RADIUS, INDEX_SIDE, MARKER_SIDE, Group, PageLayout, index_centre, marker_centres,
    qr_box,
)
from .paperset import Paper, SheetCode, parse_qr

PX_PER_MM = 5.0  # the straightened page
QR_PX_PER_MM = 8.0
WORK_SIDE = 1000  # long side of the reduced copy the markers are searched on
INNER = 0.72  # fraction of the bubble radius measured (inside the printed ring)
BLANK = 0.20
MARKED = 0.62
MIN_CONTRAST = 40  # grey levels between paper and markers


class Unreadable(Exception):
    """The page cannot be read; the message says why."""


@dataclass(frozen=True)
class Decision:
    """What one group of bubbles says, or why it is uncertain."""

    field: str
    value: str | None  # None: uncertain
    suggested: str
    reason: str
    fills: tuple[tuple[str, float], ...]  # (bubble label, fill) of the non-blank bubbles

    @property
    def certain(self) -> bool:
        return self.value is not None


@dataclass
class PageReading:
    code: SheetCode
    layout: PageLayout
    decisions: dict[str, Decision]
    crops: dict[str, bytes] = field(default_factory=dict)  # field → PNG, uncertain + id


# -- registration ---------------------------------------------------------------------


def find_markers(gray: np.ndarray, width_mm: float, height_mm: float) -> np.ndarray:
    """Centres of the four corner markers, in the order of the image's corners
    (top-left, top-right, bottom-right, bottom-left), in pixels of ``gray``."""
    h, w = gray.shape
    factor = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, (max(1, round(w * factor)), max(1, round(h * factor))),
                       interpolation=cv2.INTER_AREA) if factor < 1 else gray
    _, binary = cv2.threshold(cv2.GaussianBlur(small, (3, 3), 0), 0, 255,
                              cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    # The page fills most of a scan; allow for margins and a smaller print.
    px_per_mm = max(small.shape) / max(width_mm, height_mm)
    expected = (MARKER_SIDE * px_per_mm) ** 2
    candidates = []
    for contour in contours:
        area = cv2.contourArea(contour)
        if not 0.3 * expected <= area <= 2.5 * expected:
            continue
        (cx, cy), (rw, rh), _ = cv2.minAreaRect(contour)
        if min(rw, rh) / max(rw, rh) < 0.75 or area / (rw * rh) < 0.85:
            continue
        x, y, bw, bh = cv2.boundingRect(contour)
        mask = np.zeros((bh, bw), np.uint8)
        cv2.drawContours(mask, [contour - (x, y)], -1, 255, -1)
        inside = binary[y:y + bh, x:x + bw][mask > 0]
        if inside.size == 0 or np.count_nonzero(inside) / inside.size < 0.9:
            continue  # a hollow square (the QR code's finder patterns), not a marker
        candidates.append((cx, cy))
    if len(candidates) < 4:
        raise Unreadable(f"no answer sheet found: {len(candidates)} of the 4 corner "
                         "markers visible")
    points = np.array(candidates, dtype=np.float64)
    corners = np.array([(0, 0), (small.shape[1], 0), (small.shape[1], small.shape[0]),
                        (0, small.shape[0])], dtype=np.float64)
    chosen = []
    for corner in corners:
        distance = np.hypot(*(points - corner).T)
        best = int(np.argmin(distance))
        if distance[best] > 0.35 * np.hypot(*small.shape):
            raise Unreadable("no answer sheet found: a corner marker is missing")
        chosen.append(best)
    if len(set(chosen)) != 4:
        raise Unreadable("no answer sheet found: the corner markers are not at the corners")
    return points[chosen] / factor


def orient(gray: np.ndarray, image_points: np.ndarray, width_mm: float,
           height_mm: float) -> np.ndarray:
    """The image points reordered to match the sheet's top-left, top-right,
    bottom-right and bottom-left markers, found by the index square."""
    sheet = np.array(marker_centres(width_mm, height_mm), dtype=np.float32)
    ix, iy = index_centre()
    levels = []
    for turn in range(4):
        ordered = np.roll(image_points, -turn, axis=0).astype(np.float32)
        to_image = cv2.getPerspectiveTransform(sheet, ordered)
        probe = np.array([[[ix, iy]]], dtype=np.float32)
        px, py = cv2.perspectiveTransform(probe, to_image)[0, 0]
        scale = np.linalg.norm(ordered[1] - ordered[0]) / np.linalg.norm(sheet[1] - sheet[0])
        half = max(1, int(INDEX_SIDE * 0.3 * scale))
        x, y = int(round(px)), int(round(py))
        patch = gray[max(0, y - half):y + half + 1, max(0, x - half):x + half + 1]
        levels.append(float(patch.mean()) if patch.size else 255.0)
    darkest = int(np.argmin(levels))
    others = sorted(levels)[1]
    if others - levels[darkest] < MIN_CONTRAST:
        raise Unreadable("cannot tell which way up the sheet is (the index square beside "
                         "the top-left marker is not visible)")
    return np.roll(image_points, -darkest, axis=0)


def warp(gray: np.ndarray, ordered: np.ndarray, width_mm: float, height_mm: float,
         px_per_mm: float, box: tuple[float, float, float, float] | None = None) -> np.ndarray:
    """The sheet (or ``box`` of it, in mm) straightened at ``px_per_mm``."""
    x0, y0, x1, y1 = box or (0.0, 0.0, width_mm, height_mm)
    sheet = (np.array(marker_centres(width_mm, height_mm)) - (x0, y0)) * px_per_mm
    matrix = cv2.getPerspectiveTransform(ordered.astype(np.float32), sheet.astype(np.float32))
    size = (int(round((x1 - x0) * px_per_mm)), int(round((y1 - y0) * px_per_mm)))
    return cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def read_code(gray: np.ndarray, ordered: np.ndarray, width_mm: float,
              height_mm: float) -> str:
    x0, y0, x1, y1 = qr_box(width_mm)
    margin = 4.0
    for scale in (QR_PX_PER_MM, 2 * QR_PX_PER_MM):
        crop = warp(gray, ordered, width_mm, height_mm, scale,
                    (x0 - margin, y0 - margin, x1 + margin, y1 + margin))
        found = zxingcpp.read_barcodes(crop, formats=zxingcpp.BarcodeFormat.QRCode)
        if found and found[0].valid:
            return found[0].text
    raise Unreadable("the sheet's QR code cannot be read")


# -- bubbles ---------------------------------------------------------------------------


def _disk_offsets(radius_px: float) -> tuple[np.ndarray, np.ndarray]:
    r = int(np.ceil(radius_px))
    dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
    inside = dx ** 2 + dy ** 2 <= radius_px ** 2
    return dy[inside], dx[inside]


_DY, _DX = _disk_offsets(BUBBLE_RADIUS * INNER * PX_PER_MM)


def levels(straight: np.ndarray, width_mm: float, height_mm: float) -> tuple[float, float]:
    """Grey level of the paper and of the markers' black on the straightened page."""
    white = float(np.median(straight[::6, ::6]))
    inner = MARKER_SIDE * 0.3 * PX_PER_MM
    blacks = []
    for cx, cy in marker_centres(width_mm, height_mm):
        x, y = cx * PX_PER_MM, cy * PX_PER_MM
        blacks.append(straight[int(y - inner):int(y + inner), int(x - inner):int(x + inner)])
    black = float(np.median(np.concatenate([b.ravel() for b in blacks])))
    return white, black


def fills(straight: np.ndarray, group: Group, white: float, black: float) -> np.ndarray:
    """Darkness 0 (paper) … 1 (marker black) of each bubble's inner disk."""
    xs = np.array([b.x for b in group.bubbles]) * PX_PER_MM
    ys = np.array([b.y for b in group.bubbles]) * PX_PER_MM
    rows = np.rint(ys).astype(int)[:, None] + _DY[None, :]
    cols = np.rint(xs).astype(int)[:, None] + _DX[None, :]
    grey = straight[rows, cols].astype(np.float32)
    return np.clip((white - grey) / (white - black), 0.0, 1.0).mean(axis=1)


def decide(group: Group, fill: np.ndarray) -> Decision:
    """The answer a group gives, or an uncertain decision with its reason."""
    labels = [(b.value if group.columns == 1 else f"{b.value}@{b.column + 1}")
              for b in group.bubbles]
    shown = tuple((label, round(float(f), 2)) for label, f in zip(labels, fill) if f > BLANK)
    columns: list[list[tuple[str, float]]] = [[] for _ in range(group.columns)]
    for bubble, f in zip(group.bubbles, fill):
        columns[bubble.column].append((bubble.value, float(f)))
    reasons, picked, guess = [], [], []
    for c, cells in enumerate(columns):
        where = f" in column {c + 1}" if group.columns > 1 else ""
        marked = [v for v, f in cells if f >= MARKED]
        unsure = [(v, f) for v, f in cells if BLANK < f < MARKED]
        for v, f in unsure:
            reasons.append(f"light, partial or erased mark at {v}{where} (fill {f:.2f})")
        single = group.kind != "multiple"
        if single and len(marked) > 1:
            reasons.append(f"{len(marked)} marks{where}: {', '.join(marked)}")
        picked.append(marked)
        best = max(cells, key=lambda cell: cell[1])
        if single:
            guess.append(best[0] if best[1] > (BLANK + MARKED) / 2 else "")
        else:
            guess.append("".join(v for v, f in cells if f > (BLANK + MARKED) / 2))
    suggested = _join(group, guess)
    if not reasons:
        reason = _shape_problem(group, picked)
        if reason:
            reasons.append(reason)
    if reasons:
        return Decision(group.field, None, suggested, "; ".join(reasons), shown)
    return Decision(group.field, _join(group, ["".join(m) for m in picked]), suggested, "",
                    shown)


def _join(group: Group, parts: list[str]) -> str:
    if group.kind in ("single", "multiple"):
        return "".join(sorted(parts[0]))
    text = "".join(parts)
    if group.kind == "numeric":
        return text.lstrip("0") or ("0" if text else "")
    return text


def _shape_problem(group: Group, picked: list[list[str]]) -> str:
    """Columns of digits must be whole: every id column filled, a number without gaps."""
    if group.kind == "id":
        empty = [str(c + 1) for c, m in enumerate(picked) if not m]
        if empty:
            return f"no digit marked in column {', '.join(empty)} of the student id"
    if group.kind == "numeric":
        filled = [c for c, m in enumerate(picked) if m]
        if filled and len(filled) != filled[-1] - filled[0] + 1:
            return "a blank column between the digits of the number"
    return ""


# -- one page --------------------------------------------------------------------------


def read_page(gray: np.ndarray, paper: Paper) -> PageReading:
    """Read one page of ``paper``; ``Unreadable`` says why a page cannot be read."""
    if gray.ndim != 2 or min(gray.shape) < 200:
        raise Unreadable("the image is too small to hold an answer sheet")
    width, height = paper.layouts[next(iter(paper.layouts))].width, \
        paper.layouts[next(iter(paper.layouts))].height
    points = find_markers(gray, width, height)
    ordered = orient(gray, points, width, height)
    text = read_code(gray, ordered, width, height)
    code = parse_qr(text)
    if code is None:
        raise Unreadable(f"the QR code ({text[:40]!r}) is not a quizkit answer sheet's")
    if code.paper_set != paper.code:
        raise Unreadable(f"the sheet belongs to another paper set ({code.paper_set}; this "
                         f"paper is {paper.code}): not graded")
    layout = paper.layouts.get((code.version, code.page))
    if layout is None or paper.pages.get(code.version) != code.pages:
        known = ", ".join(sorted(paper.pages))
        raise Unreadable(f"the code names version {code.version} page {code.page} of "
                         f"{code.pages}, which this paper does not have (versions {known})")
    straight = warp(gray, ordered, width, height, PX_PER_MM)
    white, black = levels(straight, width, height)
    if white - black < MIN_CONTRAST:
        raise Unreadable("too little contrast between the paper and the markers")
    decisions, crops = {}, {}
    for group in layout.groups:
        decision = decide(group, fills(straight, group, white, black))
        decisions[group.field] = decision
        if not decision.certain or group.kind == "id":
            crops[group.field] = crop_png(straight, group.box)
    return PageReading(code, layout, decisions, crops)


def crop_png(straight: np.ndarray, box: tuple[float, float, float, float]) -> bytes:
    x0, y0, x1, y1 = (int(round(v * PX_PER_MM)) for v in box)
    ok, data = cv2.imencode(".png", straight[max(0, y0):y1, max(0, x0):x1])
    return data.tobytes() if ok else b""
