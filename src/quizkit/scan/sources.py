"""The scanned pages, one at a time: PDFs rasterised page by page (pdfium), images
decoded by OpenCV (PNG, JPEG, multi-page TIFF). Nothing holds more than one page in
memory, so a 500-page PDF costs what one page costs.

Each page is named ``<file name>#<page>`` (``scans.pdf#12``): the name the pages
table, the review page and the corrections file use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pypdfium2

from ..errors import Problem, QuizkitError, display_path
from .defaults import DEFAULT_DPI

PDF_SUFFIXES = (".pdf",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
REDUCE_FROM_DPI = 190


@dataclass(frozen=True)
class ScanPage:
    name: str  # the file's name, as in page references
    number: int  # 1-based, within the file
    image: np.ndarray | None  # greyscale; None when the page could not be decoded
    problem: str = ""

    @property
    def ref(self) -> str:
        return f"{self.name}#{self.number}"


def check_inputs(paths: Sequence[str | Path]) -> list[Path]:
    """Every input exists and is a PDF or an image; file names are unique (they name
    the pages in the corrections file)."""
    problems, seen, files = [], {}, []
    for raw in paths:
        path = Path(raw)
        shown = display_path(path)
        if path.is_dir():
            inside = sorted(p for p in path.iterdir()
                            if p.suffix.lower() in PDF_SUFFIXES + IMAGE_SUFFIXES)
            if not inside:
                problems.append(Problem(shown, None, "the folder holds no PDF or image"))
            files.extend(inside)
            continue
        if not path.is_file():
            problems.append(Problem(shown, None, "no such scan file"))
            continue
        if path.suffix.lower() not in PDF_SUFFIXES + IMAGE_SUFFIXES:
            problems.append(Problem(shown, None, "not a PDF, PNG, JPEG or TIFF file (by its "
                                    "name)"))
            continue
        files.append(path)
    for path in files:
        if path.name in seen and seen[path.name] != path.resolve():
            problems.append(Problem(display_path(path), None, f"two scans are named "
                                    f"{path.name}; rename one (page references use the "
                                    "file name)"))
        seen[path.name] = path.resolve()
    if problems:
        raise QuizkitError(problems)
    return list(dict.fromkeys(files))


def count_pages(path: Path) -> int:
    """Pages in a file, for the progress bar (1 for a file that cannot be opened)."""
    try:
        if path.suffix.lower() in PDF_SUFFIXES:
            document = pypdfium2.PdfDocument(str(path))
            try:
                return len(document)
            finally:
                document.close()
        if path.suffix.lower() in (".tif", ".tiff"):
            return max(1, cv2.imcount(str(path)))
    except Exception:  # reported again, with its reason, when the page is read
        return 1
    return 1


def iter_pages(path: Path, dpi: float = DEFAULT_DPI, only: set[int] | None = None
               ) -> Iterator[ScanPage]:
    """The pages of one file, in order (``only``: these 1-based page numbers)."""
    if path.suffix.lower() in PDF_SUFFIXES:
        yield from _pdf_pages(path, dpi, only)
    elif path.suffix.lower() in (".tif", ".tiff"):
        yield from _tiff_pages(path, only)
    else:
        image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        yield ScanPage(path.name, 1, image, "" if image is not None else
                       "the image cannot be decoded")


def _pdf_pages(path: Path, dpi: float, only: set[int] | None) -> Iterator[ScanPage]:
    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        yield ScanPage(path.name, 1, None, f"the PDF cannot be opened ({exc})")
        return
    try:
        for index in range(len(document)):
            if only is not None and index + 1 not in only:
                continue
            try:
                page = document[index]
                image = scanned_image(page)
                if image is None:
                    bitmap = page.render(scale=dpi / 72, grayscale=True)
                    image = _grey(bitmap)
                page.close()
            except pypdfium2.PdfiumError as exc:
                yield ScanPage(path.name, index + 1, None, f"the page cannot be rendered "
                                                           f"({exc})")
                continue
            yield ScanPage(path.name, index + 1, image)
    finally:
        document.close()


def _grey(bitmap) -> np.ndarray:
    array = bitmap.to_numpy().reshape(bitmap.height, bitmap.width, -1)
    if array.shape[2] == 1:
        return np.ascontiguousarray(array[:, :, 0])
    return cv2.cvtColor(np.ascontiguousarray(array[:, :, :3]), cv2.COLOR_BGR2GRAY)


def scanned_image(page: pypdfium2.PdfPage) -> np.ndarray | None:
    """The page's picture, when the page is one upright image covering it (what a
    scanner writes), decoded at its own resolution without rasterising the page:
    several times faster. ``None`` for any other page, which is then rendered."""
    if page.get_rotation() != 0:
        return None
    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or not isinstance(objects[0], pypdfium2.PdfImage):
        return None
    picture = objects[0]
    a, b, c, d, _, _ = picture.get_matrix().get()
    width, height = page.get_size()
    if b or c or a < 0.95 * width or d < 0.95 * height:
        return None
    filters = picture.get_filters()
    if filters and filters[-1] == "DCTDecode" and all(
            f in ("ASCII85Decode", "ASCIIHexDecode", "FlateDecode") for f in filters[:-1]):
        data = np.frombuffer(bytes(picture.get_data(decode_simple=True)), np.uint8)
        pixels_wide, _ = picture.get_px_size()
        # JPEG decodes at a half or a quarter of its size directly, several times
        # faster; the reader needs no more than about 100 dpi (a bubble is then
        # still ~16 pixels wide, a QR module ~3.5).
        dpi = pixels_wide / (width / 72)
        mode = (cv2.IMREAD_REDUCED_GRAYSCALE_4 if dpi >= REDUCE_FROM_DPI * 2 else
                cv2.IMREAD_REDUCED_GRAYSCALE_2 if dpi >= REDUCE_FROM_DPI else
                cv2.IMREAD_GRAYSCALE)
        image = cv2.imdecode(data, mode)
        if image is not None:
            return image
    try:
        return _grey(picture.get_bitmap(render=False))
    except (pypdfium2.PdfiumError, ValueError):
        return None


def _tiff_pages(path: Path, only: set[int] | None) -> Iterator[ScanPage]:
    count = cv2.imcount(str(path))
    if count < 1:
        yield ScanPage(path.name, 1, None, "the TIFF file cannot be decoded")
        return
    for index in range(count):
        if only is not None and index + 1 not in only:
            continue
        ok, images = cv2.imreadmulti(str(path), start=index, count=1,
                                     flags=cv2.IMREAD_GRAYSCALE)
        if not ok or not images:
            yield ScanPage(path.name, index + 1, None, "the page cannot be decoded")
        else:
            yield ScanPage(path.name, index + 1, images[0])
