"""Read one scanned page: find the sheet, straighten it, read its code and its bubbles.

1. The four corner markers are found on a reduced copy of the page (solid, square,
   of the expected size, one nearest each corner of the image).
2. Which way up: of the four ways the markers can map onto the sheet's corners (the
   page may be turned by any quarter turn, or upside down), the one that puts the
   solid index square beside the top-left marker wins. The homography through the
   markers then also undoes skew, scale, shift and perspective.
3. The QR code is read from a straightened, sharp re-sampling of its corner.
4. Each bubble's fill is the mean darkness of its inner disk (inside the printed
   ring), measured in the scan itself at the place the homography gives, on a scale
   from the paper's white (0) to the markers' black (1), so a pale scan or a grey
   photocopy reads like a crisp one. Only the crops shown for review are
   straightened (at ``PX_PER_MM``).
5. A bubble is marked from ``MARKED`` up, blank up to ``BLANK``, uncertain between
   (light marks, erasures, crosses, partial fills). A student who fills with a soft
   pencil marks every bubble lighter than a pen does: the threshold for "marked"
   follows that student's own full marks on the page (``ink_threshold``), down to
   ``MARKED_PENCIL``, so a pencil's full marks read and its light ones still go to
   review. A group with an uncertain bubble,
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

PX_PER_MM = 5.0  # the crops shown for review
QR_PX_PER_MM = 8.0
WORK_SIDE = 700  # long side of the reduced copy the markers are searched on
INNER = 0.72  # fraction of the bubble radius measured (inside the printed ring)
BLANK = 0.20
MARKED = 0.62
MARKED_PENCIL = 0.45
MIN_CONTRAST = 40  # grey levels between paper and markers


class UnreadableError(Exception):
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
    crops: dict[str, bytes] = field(default_factory=dict)  # field → PNG, when uncertain


# -- registration ---------------------------------------------------------------------


def find_markers(gray: np.ndarray, width_mm: float, height_mm: float) -> np.ndarray:
    """Centres of the four corner markers, in the order of the image's corners
    (top-left, top-right, bottom-right, bottom-left), in pixels of ``gray``."""
    h, w = gray.shape
    factor = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, (max(1, round(w * factor)), max(1, round(h * factor))),
                       interpolation=cv2.INTER_LINEAR) if factor < 1 else gray
    _, binary = cv2.threshold(cv2.GaussianBlur(small, (3, 3), 0), 0, 255,
                              cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, centres = cv2.connectedComponentsWithStats(binary, connectivity=8)
    # The page fills most of a scan; allow for margins and a smaller print.
    px_per_mm = max(small.shape) / max(width_mm, height_mm)
    expected = (MARKER_SIDE * px_per_mm) ** 2
    area = stats[:, cv2.CC_STAT_AREA].astype(np.float64)
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    solid = (
        (area >= 0.3 * expected) & (area <= 2.5 * expected)
        & (np.minimum(bw, bh) >= 0.75 * np.maximum(bw, bh))
        # A square turned by a few degrees still fills most of its bounding box; the
        # QR code's hollow finder patterns fill half of theirs.
        & (area >= 0.75 * bw * bh))
    solid[0] = False  # the background
    candidates = centres[solid]
    if len(candidates) < 4:
        raise UnreadableError(f"no answer sheet found: {len(candidates)} of the 4 corner "
                         "markers visible")
    points = np.asarray(candidates, dtype=np.float64)
    corners = np.array([(0, 0), (small.shape[1], 0), (small.shape[1], small.shape[0]),
                        (0, small.shape[0])], dtype=np.float64)
    chosen = []
    for corner in corners:
        distance = np.hypot(*(points - corner).T)
        best = int(np.argmin(distance))
        if distance[best] > 0.35 * np.hypot(*small.shape):
            raise UnreadableError("no answer sheet found: a corner marker is missing")
        chosen.append(best)
    if len(set(chosen)) != 4:
        raise UnreadableError("no answer sheet found: the corner markers are not at the corners")
    return (points[chosen] + 0.5) / factor - 0.5


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
        raise UnreadableError("cannot tell which way up the sheet is (the index square beside "
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
    raise UnreadableError("the sheet's QR code cannot be read")


# -- bubbles ---------------------------------------------------------------------------


def _disk(radius_px: float) -> tuple[np.ndarray, np.ndarray]:
    r = int(np.ceil(radius_px))
    dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
    inside = dx ** 2 + dy ** 2 <= radius_px ** 2
    return dy[inside], dx[inside]


def _sample(gray: np.ndarray, to_image: np.ndarray, points_mm: np.ndarray,
            radius_mm: float, scale: float) -> np.ndarray:
    """Mean grey of a disk of ``radius_mm`` around each point (mm on the sheet),
    measured in the scan itself: no resampling of the page. Rotation keeps a disk a
    disk; the mild perspective of a scanner or a phone held square barely bends it."""
    centres = cv2.perspectiveTransform(points_mm.reshape(-1, 1, 2).astype(np.float64),
                                       to_image).reshape(-1, 2)
    dy, dx = _disk(radius_mm * scale)
    h, w = gray.shape
    rows = np.clip(np.rint(centres[:, 1]).astype(int)[:, None] + dy[None, :], 0, h - 1)
    cols = np.clip(np.rint(centres[:, 0]).astype(int)[:, None] + dx[None, :], 0, w - 1)
    return gray[rows, cols].astype(np.float32).mean(axis=1)


def levels(gray: np.ndarray, to_image: np.ndarray, scale: float, width_mm: float,
           height_mm: float) -> tuple[float, float]:
    """Grey level of the paper and of the markers' black."""
    markers = np.array(marker_centres(width_mm, height_mm))
    black = float(np.median(_sample(gray, to_image, markers, MARKER_SIDE * 0.3, scale)))
    # The paper: a grid of points over the sheet, most of which fall on white.
    xs, ys = np.meshgrid(np.linspace(20, width_mm - 20, 24), np.linspace(20, height_mm - 20, 32))
    grid = np.stack([xs.ravel(), ys.ravel()], axis=1)
    white = float(np.percentile(_sample(gray, to_image, grid, 0.6, scale), 75))
    return white, black


def page_fills(gray: np.ndarray, to_image: np.ndarray, scale: float, layout: PageLayout,
               white: float, black: float) -> list[np.ndarray]:
    """Darkness 0 (paper) … 1 (marker black) of each bubble's inner disk, by group."""
    points = np.array([(b.x, b.y) for g in layout.groups for b in g.bubbles])
    grey = _sample(gray, to_image, points, BUBBLE_RADIUS * INNER, scale)
    dark = np.clip((white - grey) / (white - black), 0.0, 1.0)
    bounds = np.cumsum([0] + [len(g.bubbles) for g in layout.groups])
    return [dark[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def ink_threshold(fills: list[np.ndarray]) -> float:
    """The fill from which a bubble counts as marked on this page: 3/4 of the page's
    typical full mark (its upper quartile of clear marks), between ``MARKED_PENCIL``
    and ``MARKED``."""
    every = np.concatenate(fills) if fills else np.zeros(0)
    clear = every[every >= MARKED_PENCIL]
    if not clear.size:
        return MARKED
    return float(np.clip(0.75 * np.percentile(clear, 75), MARKED_PENCIL, MARKED))


def decide(group: Group, fill: np.ndarray, marked_from: float = MARKED) -> Decision:
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
        marked = [v for v, f in cells if f >= marked_from]
        unsure = [(v, f) for v, f in cells if BLANK < f < marked_from]
        for v, f in unsure:
            reasons.append(f"light, partial or erased mark at {v}{where} (fill {f:.2f})")
        single = group.kind != "multiple"
        if single and len(marked) > 1:
            reasons.append(f"{len(marked)} marks{where}: {', '.join(marked)}")
        picked.append(marked)
        best = max(cells, key=lambda cell: cell[1])
        if single:
            guess.append(best[0] if best[1] > (BLANK + marked_from) / 2 else "")
        else:
            guess.append("".join(v for v, f in cells if f > (BLANK + marked_from) / 2))
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
    """Read one page of ``paper``; ``UnreadableError`` says why a page cannot be read."""
    if gray.ndim != 2 or min(gray.shape) < 200:
        raise UnreadableError("the image is too small to hold an answer sheet")
    width, height = paper.width, paper.height
    points = find_markers(gray, width, height)
    ordered = orient(gray, points, width, height)
    text = read_code(gray, ordered, width, height)
    code = parse_qr(text)
    if code is None:
        raise UnreadableError(f"the QR code ({text[:40]!r}) is not a quizkit answer sheet's")
    if code.paper_set != paper.code:
        raise UnreadableError(f"the sheet belongs to another paper set ({code.paper_set}; this "
                         f"paper is {paper.code}): not graded")
    layout = paper.layouts.get((code.version, code.page))
    if layout is None or paper.pages.get(code.version) != code.pages:
        known = ", ".join(sorted(paper.pages))
        raise UnreadableError(f"the code names version {code.version} page {code.page} of "
                         f"{code.pages}, which this paper does not have (versions {known})")
    sheet = np.array(marker_centres(width, height), dtype=np.float32)
    to_image = cv2.getPerspectiveTransform(sheet, ordered.astype(np.float32))
    scale = float(np.mean([np.linalg.norm(ordered[i] - ordered[(i + 1) % 4])
                           / np.linalg.norm(sheet[i] - sheet[(i + 1) % 4]) for i in range(4)]))
    white, black = levels(gray, to_image, scale, width, height)
    if white - black < MIN_CONTRAST:
        raise UnreadableError("too little contrast between the paper and the markers")
    decisions, crops = {}, {}
    fills = page_fills(gray, to_image, scale, layout, white, black)
    marked_from = ink_threshold(fills)
    for group, fill in zip(layout.groups, fills):
        decision = decide(group, fill, marked_from)
        decisions[group.field] = decision
        if not decision.certain:
            crops[group.field] = crop_png(warp(gray, ordered, width, height, PX_PER_MM,
                                               group.box))
    return PageReading(code, layout, decisions, crops)


def group_crop(gray: np.ndarray, paper: Paper, field_name: str) -> bytes:
    """The picture of one group of a page read before (for a problem found only once
    every page was read, such as a student id on two sheets)."""
    points = find_markers(gray, paper.width, paper.height)
    ordered = orient(gray, points, paper.width, paper.height)
    code = parse_qr(read_code(gray, ordered, paper.width, paper.height))
    layout = paper.layouts[(code.version, code.page)]
    group = next(g for g in layout.groups if g.field == field_name)
    return crop_png(warp(gray, ordered, paper.width, paper.height, PX_PER_MM, group.box))


def crop_png(crop: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", crop, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    return data.tobytes() if ok else b""
