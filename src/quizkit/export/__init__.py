"""LMS exports: one module per format, each a function
``to_<format>(items, banks, options) -> Output`` that returns the file's bytes and
says which items it carried and which it skipped (and why); ``save`` writes an
``Output`` to disk, apart from the formats.

``FORMATS`` is the registry the ``quizkit export`` command offers, by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..files import write_new_file
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
    """Write ``output`` to ``path``. An existing file is replaced only with ``force``."""
    write_new_file(path, output.data, force=force)
