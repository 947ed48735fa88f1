"""Write a whole paper test into its folder: the versions, their keys and key.csv.

Files are written in a fixed order and named after their version, so a folder is
complete or the command said which step failed. A folder that already holds files is
never written into: last week's printed key must not be replaced by a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import Problem, QuizkitError, display_path
from ..files import write_new_file
from .key import write_key
from .latex import DEFAULT_TITLE, render_key, render_version
from .versions import PaperVersion
from .xelatex import Toolchain, compile_pdf

KEY_CSV = "key.csv"


def default_folder(pool: str, seed: int) -> Path:
    return Path(f"paper-{pool}-seed{seed}")


def prepare_folder(folder: Path) -> None:
    """Create ``folder``, or accept it empty; refuse one that holds anything."""
    if folder.exists():
        if not folder.is_dir():
            raise QuizkitError(Problem(display_path(folder), None,
                                       "exists and is not a folder; choose another -o"))
        if any(folder.iterdir()):
            raise QuizkitError(Problem(display_path(folder), None,
                                       "the folder is not empty; choose another -o or remove "
                                       "it (nothing was written)"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QuizkitError(Problem(display_path(folder), None,
                                   f"cannot create the folder: {exc.strerror}")) from None


def write_sources(versions: Sequence[PaperVersion], folder: Path, *,
                  title: str = DEFAULT_TITLE, paper: str = "a4",
                  wrote: Callable[[Path], None] = lambda path: None) -> list[Path]:
    """``version-X.tex`` and ``key-X.tex`` for each version, then ``key.csv``.

    Returns the .tex files to compile (versions first, then keys)."""
    students, keys = [], []
    for version in versions:
        students.append(_write_text(folder / f"version-{version.letter}.tex",
                                    render_version(version, title=title, paper=paper), wrote))
    for version in versions:
        keys.append(_write_text(folder / f"key-{version.letter}.tex",
                                render_key(version, title=title, paper=paper), wrote))
    key_csv = folder / KEY_CSV
    write_key([row for version in versions for row in version.key_rows()], key_csv)
    wrote(key_csv)
    return students + keys


def compile_all(tex_files: Sequence[Path], toolchain: Toolchain, *,
                wrote: Callable[[Path], None] = lambda path: None,
                progress: Callable[[str], None] = lambda message: None) -> list[Path]:
    """PDFs of ``tex_files``, built side by side (each XeLaTeX run uses one core), and
    reported in the order given. The first failure is raised once all runs have ended
    (the PDFs that did build are kept and reported)."""
    progress(f"compiling {len(tex_files)} PDF{'s' if len(tex_files) != 1 else ''} "
             "with XeLaTeX...")
    with ThreadPoolExecutor(max_workers=min(len(tex_files), 8) or 1) as pool:
        futures = [pool.submit(compile_pdf, tex, toolchain) for tex in tex_files]
    pdfs, errors = [], []
    for future in futures:
        try:
            pdfs.append(future.result())
            wrote(pdfs[-1])
        except QuizkitError as exc:
            errors.extend(exc.problems)
    if errors:
        raise QuizkitError(errors[0])
    return pdfs


def _write_text(path: Path, text: str, wrote: Callable[[Path], None]) -> Path:
    write_new_file(path, text)
    wrote(path)
    return path
