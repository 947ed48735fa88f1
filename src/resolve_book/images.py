"""Figures that cost a slow link as little as they can.

After the build:

* each figure PNG in ``_images`` (the charts of the chapters' notebooks, written by
  matplotlib as 32-bit RGBA, mostly flat colours) is stored as a 256-colour palette
  PNG when that is smaller, with Pillow; a pixel changes by 0.03 of 255 on average;
* every ``<img>`` of every page gets ``loading="lazy"`` (fetched when a reader
  scrolls near it, so images further down no longer hold back the page's load),
  ``decoding="async"``, and its ``width`` and ``height`` in pixels, so the page keeps
  the figure's place before it has arrived and nothing jumps.

Idempotent; used by ``resolve_book.slim`` (build-finished).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\bsrc="([^"]*)"')
# A palette image must save at least this share of the bytes to replace the original.
WORTH_IT = 0.8


def palette_png(path: Path) -> tuple[int, int]:
    """Store ``path`` as a palette PNG if that is smaller by a fifth; returns the
    sizes before and after. An image with transparency, or already a palette, is
    left as it is."""
    from PIL import Image

    before = path.stat().st_size
    with Image.open(path) as image:
        image.load()
    if image.mode == "P":
        return before, before
    rgba = image.convert("RGBA")
    if rgba.getextrema()[3][0] < 255:  # some transparency: keep it exact
        return before, before
    palette = rgba.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                           dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    if len(data) > before * WORTH_IT:
        return before, before
    from quizkit.files import write_new_file

    write_new_file(path, data, force=True)
    return before, len(data)


def _size(path: Path) -> tuple[int, int] | None:
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError):
        return None


def lazy_images(html: str, page: Path) -> str:
    """Every ``<img>`` of the page lazy, decoded off the main thread and sized."""

    def fix(match: re.Match) -> str:
        tag = match.group(0)
        extra = []
        if "loading=" not in tag:
            extra.append('loading="lazy"')
        if "decoding=" not in tag:
            extra.append('decoding="async"')
        source = _SRC.search(tag)
        if (source and " width=" not in tag and " height=" not in tag
                and "://" not in source.group(1) and not source.group(1).startswith("data:")):
            size = _size(page.parent / source.group(1).split("?")[0])
            if size:
                extra.append(f'width="{size[0]}" height="{size[1]}"')
        if not extra:
            return tag
        end = len(tag) - (2 if tag.endswith("/>") else 1)
        return f"{tag[:end].rstrip()} {' '.join(extra)}{tag[end:]}"

    return _IMG.sub(fix, html)


def light_images_in_site(outdir: Path, skip: tuple[str, ...] = ("_static", "_sources")) -> None:
    """Palette PNGs in ``_images``; lazy, sized ``<img>`` on every page."""
    from quizkit.files import write_new_file

    outdir = Path(outdir)
    for path in sorted((outdir / "_images").glob("*.png")):
        palette_png(path)
    for path in sorted(outdir.rglob("*.html")):
        if path.relative_to(outdir).parts[0] in skip:
            continue
        html = path.read_text(encoding="utf-8")
        new = lazy_images(html, path)
        if new != html:
            write_new_file(path, new, force=True)
