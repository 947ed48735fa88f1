"""LMS exports: one module per format, each a function
``to_<format>(items, banks, options) -> Output`` that returns the file's bytes and
says which items it carried and which it skipped (and why); ``save`` writes an
``Output`` to disk, apart from the formats.

``FORMATS`` is the registry the ``quizkit export`` command offers, by name.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import QuizkitError
from ..model import Bank, Item
from . import csv_key, gift, markdown, moodle_xml, qti
from .common import DEFAULT_COURSE, Options, Output, Skip

__all__ = ["DEFAULT_COURSE", "FORMATS", "Format", "Options", "Output", "Skip", "save"]


@dataclass(frozen=True)
class Format:
    name: str  # as given to --format
    label: str  # as shown to people
    suffix: str  # appended to the default file stem
    build: Callable[[Sequence[Item], Sequence[Bank], Options], Output]

    def file_suffix(self, options: Options) -> str:
        if self.name == "markdown" and not options.answers:
            return markdown.SUFFIX_NO_ANSWERS
        return self.suffix


FORMATS: dict[str, Format] = {
    "gift": Format("gift", "Moodle GIFT", gift.SUFFIX, gift.to_gift),
    "moodle": Format("moodle", "Moodle XML", moodle_xml.SUFFIX, moodle_xml.to_moodle_xml),
    "qti": Format("qti", "Canvas QTI 1.2 package", qti.SUFFIX, qti.to_qti),
    "csv": Format("csv", "CSV answer key", csv_key.SUFFIX, csv_key.to_csv_key),
    "markdown": Format("markdown", "Markdown", markdown.SUFFIX, markdown.to_markdown),
}


def save(output: Output, path: str | Path, *, force: bool = False) -> None:
    """Write ``output`` to ``path`` atomically: to a temporary file beside it, then moved
    into place, so that a reader never sees half a file. An existing file is replaced
    only with ``force``."""
    path = Path(path)
    temporary = None
    try:
        candidate = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        # os.open with 0o666 so that the file gets the user's usual permissions (umask).
        descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        temporary = candidate
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(output.data)
        if force:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails, atomically, if the file exists
    except FileExistsError:
        raise QuizkitError.at(path, None, "the file already exists and is never overwritten "
                                          "without --force") from None
    except OSError as exc:
        raise QuizkitError.at(path, None, f"cannot write the file: {exc.strerror or exc}") from None
    finally:
        if temporary is not None and temporary.exists():
            temporary.unlink()
