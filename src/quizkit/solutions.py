"""Exercise solutions in a book's pages, and which of them the student edition holds back.

A book's exercises (sphinx-exercise's ``exercise`` directive, each with a ``:label:``)
are followed by their ``solution``, which the student HTML shows in a dropdown. An
instructor who grades some exercises holds their solutions back from the student
edition with one setting, ``hold_solutions`` in ``_config.yml`` (under
``sphinx: config:``) or the environment variable ``HOLD_SOLUTIONS``, which wins:

* ``all``: every solution;
* exercise labels (``us_position-ex3``) and chapters (``chapters/05_critiques`` or
  ``05_critiques``), separated by commas or spaces (a list in ``_config.yml``);
* ``none`` (or nothing): none.

The instructor edition always prints every solution. ``resolve_book.solutions`` applies
the setting to the build; ``quizkit check`` uses it to know which solutions a student
can read (``quizkit.exam_security``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import display_path

HOLD_ENV = "HOLD_SOLUTIONS"
HOLD_CONFIG = "hold_solutions"
ALL = "all"
NONE = "none"

_NAMES = re.compile(r"[\s,;]+")
# ```{solution} label … ``` or :::{solution} label … ::: (MyST's colon fence), the
# closing fence as long as the opening one.
_SOLUTION = re.compile(r"^(?P<fence>`{3,}|:{3,})\{solution\}[ \t]+(?P<label>\S+)[^\n]*\n"
                       r"(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S)


class HoldSettingError(ValueError):
    """A hold-back setting that cannot be read (a wrong type in ``_config.yml``)."""


@dataclass(frozen=True)
class HoldBack:
    """Which solutions the student edition leaves out."""

    everything: bool = False
    names: tuple[str, ...] = ()  # exercise labels and chapters, as written

    def __bool__(self) -> bool:
        return self.everything or bool(self.names)

    def holds(self, label: str, docname: str) -> bool:
        """Whether the solution to exercise ``label`` on page ``docname`` is held back."""
        return self.everything or any(name in (label, docname, docname.rsplit("/", 1)[-1])
                                      for name in self.names)

    def unknown(self, labels: Iterable[str], docnames: Iterable[str]) -> list[str]:
        """The names that are neither an exercise label nor a page of the book."""
        known = set(labels)
        for docname in docnames:
            known.update((docname, docname.rsplit("/", 1)[-1]))
        return [name for name in self.names if name not in known]

    def describe(self) -> str:
        return ALL if self.everything else ", ".join(self.names) or NONE


def parse_hold(value: object) -> HoldBack:
    """``"all"``, ``"none"``, names separated by commas or spaces, a list of names,
    ``True``/``False`` or nothing."""
    if value is None or value is False:
        return HoldBack()
    if value is True:
        return HoldBack(everything=True)
    if isinstance(value, str):
        names = [n for n in _NAMES.split(value.strip()) if n]
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        names = [n for v in value for n in _NAMES.split(v.strip()) if n]
    else:
        raise HoldSettingError(f"{HOLD_CONFIG} must be 'all', 'none' or a list of exercise "
                               f"labels and chapters, not {value!r}")
    lowered = [n.lower() for n in names]
    if ALL in lowered:
        return HoldBack(everything=True)
    return HoldBack(names=tuple(dict.fromkeys(n for n in names if n.lower() != NONE)))


def hold_setting(config_value: object, environ: Mapping[str, str] = os.environ) -> HoldBack:
    """The setting in force: ``$HOLD_SOLUTIONS`` if set and not empty, else the config."""
    if environ.get(HOLD_ENV, "").strip():
        return parse_hold(environ[HOLD_ENV])
    return parse_hold(config_value)


@dataclass(frozen=True)
class Solution:
    """One exercise's solution as written in a page."""

    label: str  # the exercise it solves
    docname: str  # "chapters/03_us_position"
    path: Path
    cell: int | None  # notebook cell (1-based), None in a Markdown page
    line: int  # 1-based, within the cell for a notebook
    text: str

    def where(self) -> str:
        cell = f", cell {self.cell}" if self.cell is not None else ""
        return f"{display_path(self.path)}{cell}, line {self.line}"


def page_solutions(path: Path, docname: str) -> list[Solution]:
    """The solutions written in a Markdown page or a notebook's Markdown cells."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        texts = [(n, "".join(c.get("source", ""))) for n, c in enumerate(cells, start=1)
                 if c.get("cell_type") == "markdown"]
    else:
        texts = [(None, path.read_text(encoding="utf-8"))]
    found = []
    for cell, text in texts:
        for match in _SOLUTION.finditer(text):
            found.append(Solution(match.group("label"), docname, path, cell,
                                  text.count("\n", 0, match.start()) + 1, match.group(0)))
    return found


def without_held(text: str, suffix: str, docname: str, hold: HoldBack, note: str) -> str:
    """A page's source (Markdown, or a notebook's JSON) with each held solution replaced
    by ``note``: the copy of the source a student can download."""
    def strip(markdown: str) -> str:
        return _SOLUTION.sub(lambda m: note if hold.holds(m.group("label"), docname)
                             else m.group(0), markdown)

    if suffix != ".ipynb":
        return strip(text)
    notebook = json.loads(text)
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", ""))
            stripped = strip(source)
            if stripped != source:
                cell["source"] = stripped.splitlines(keepends=True)
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
