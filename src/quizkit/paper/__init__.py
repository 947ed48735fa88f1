"""Seeded paper versions of a quiz, with their keys: ``quizkit paper``.

``versions`` picks the items and arranges each version (question order, option
letters); ``latex`` renders a version and its key from the templates in ``templates``;
``xelatex`` compiles them to PDF; ``output`` writes a whole paper test into its folder.
``key`` writes key.csv, which the grader reads back (``quizkit.grading.key``).
"""

from .latex import DEFAULT_TITLE, render_key, render_version
from .output import compile_all, default_folder, prepare_folder, write_sources
from .versions import PaperQuestion, PaperVersion, make_versions
from .xelatex import Toolchain, compile_pdf, find_toolchain

__all__ = [
    "DEFAULT_TITLE", "PaperQuestion", "PaperVersion", "Toolchain", "compile_all", "compile_pdf",
    "default_folder", "find_toolchain", "make_versions", "prepare_folder", "render_key",
    "render_version", "write_sources",
]
