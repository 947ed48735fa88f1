"""Read every page of every scan, in order, on up to ``jobs`` processes.

Pages are handed out in runs of consecutive pages of one file; each worker opens the
file itself and rasterises only its pages, so no page image crosses between
processes and memory stays at a few pages per worker. Results come back in input
order whatever the number of workers: the same scans give the same output.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from .paperset import Paper, SheetCode
from .read import Decision, UnreadableError, group_crop, read_page
from .sources import ScanPage, count_pages, iter_pages
from .defaults import default_jobs  # noqa: F401  (re-exported)

CHUNK = 8  # pages per task
THUMB_HEIGHT = 360  # px, the picture of an unreadable page in the review


@dataclass
class PageOutcome:
    """One scanned page as read (before corrections)."""

    ref: str
    name: str
    number: int
    problem: str = ""  # why the page is unreadable; "" when it was read
    code: SheetCode | None = None
    decisions: dict[str, Decision] = field(default_factory=dict)
    crops: dict[str, bytes] = field(default_factory=dict)
    on_paper: tuple[int, ...] = ()
    thumbnail: bytes = b""


def read_one(page: ScanPage, paper: Paper) -> PageOutcome:
    outcome = PageOutcome(page.ref, page.name, page.number)
    if page.image is None:
        outcome.problem = page.problem
        return outcome
    try:
        reading = read_page(page.image, paper)
    except UnreadableError as exc:
        outcome.problem = str(exc)
        outcome.thumbnail = thumbnail(page.image)
        return outcome
    outcome.code = reading.code
    outcome.decisions = reading.decisions
    outcome.crops = reading.crops
    outcome.on_paper = reading.layout.on_paper
    return outcome


def thumbnail(image: np.ndarray) -> bytes:
    h, w = image.shape[:2]
    scale = THUMB_HEIGHT / h
    small = cv2.resize(image, (max(1, int(w * scale)), THUMB_HEIGHT), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".png", small)
    return data.tobytes() if ok else b""


def _read_chunk(path: str, numbers: tuple[int, ...], dpi: float, paper: Paper) -> list[PageOutcome]:
    return [read_one(page, paper) for page in iter_pages(Path(path), dpi, set(numbers))]


def _tasks(files: Sequence[Path]) -> list[tuple[str, tuple[int, ...]]]:
    tasks = []
    for path in files:
        total = count_pages(path)
        for start in range(1, total + 1, CHUNK):
            tasks.append((str(path), tuple(range(start, min(total, start + CHUNK - 1) + 1))))
    return tasks


def total_pages(files: Sequence[Path]) -> int:
    return sum(count_pages(path) for path in files)


def read_all(files: Sequence[Path], paper: Paper, *, dpi: float, jobs: int,
             progress: Callable[[int], None] = lambda n: None) -> Iterator[PageOutcome]:
    """Every page's outcome, in input order."""
    tasks = _tasks(files)
    if jobs <= 1 or len(tasks) <= 1:
        for path, numbers in tasks:
            for outcome in _read_chunk(path, numbers, dpi, paper):
                progress(1)
                yield outcome
        return
    # Bounded look-ahead: at most 2 tasks per worker wait in memory. Workers are
    # spawned, not forked: the progress bar's thread must not be copied mid-write.
    with ProcessPoolExecutor(max_workers=jobs,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        pending = []
        queue = iter(tasks)
        for task in queue:
            pending.append(pool.submit(_read_chunk, *task, dpi, paper))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            outcomes = pending.pop(0).result()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append(pool.submit(_read_chunk, *nxt, dpi, paper))
            for outcome in outcomes:
                progress(1)
                yield outcome


def add_crops(wanted: Sequence[tuple[PageOutcome, str]], files: Sequence[Path], paper: Paper,
              dpi: float) -> None:
    """Crops of groups found doubtful only once every page was read (a student id on
    two sheets): those few pages are read from their files again."""
    by_name = {path.name: path for path in files}
    for outcome, field_name in wanted:
        if field_name in outcome.crops:
            continue
        for page in iter_pages(by_name[outcome.name], dpi, {outcome.number}):
            # Read once already; if it fails now, the review shows the reason alone.
            with contextlib.suppress(UnreadableError, StopIteration, KeyError):
                if page.image is not None:
                    outcome.crops[field_name] = group_crop(page.image, paper, field_name)
