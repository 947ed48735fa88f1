"""Compile a ``.tex`` file to PDF with XeLaTeX, offline, in a throw-away folder.

``latexmk -xelatex`` reruns until the page references ("page 2 of 5") settle; without
latexmk, ``xelatex`` runs twice, which is enough for ``lastpage``. The date of the
PDF comes from ``SOURCE_DATE_EPOCH`` with ``FORCE_SOURCE_DATE=1``, so the same ``.tex``
gives the same PDF bytes on every run and in any folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, QuizkitError, display_path

DEBIAN_PACKAGES = ("texlive-xetex latexmk texlive-latex-extra texlive-fonts-recommended "
                   "fonts-freefont-otf")
TIMEOUT_SECONDS = 300  # a runaway document must not hang the command forever
# With -file-line-error, errors read "./version-A.tex:57: <message>" (or name the
# package file the error arose in); a few fatal ones still start with "! ".
_ERROR_LINE = re.compile(r"^(?:! (?P<bang>.+)|(?P<file>[^:\s]+\.[A-Za-z]+):(?P<line>\d+): "
                         r"(?P<msg>.+))$", re.MULTILINE)
_TEX_LINE = re.compile(r"^l\.(\d+)", re.MULTILINE)
_MISSING_CHARACTER = re.compile(r"^Missing character: There is no (.+?) in font (.+?)!$",
                                re.MULTILINE)


@dataclass(frozen=True)
class Toolchain:
    xelatex: str
    latexmk: str | None = None


def find_toolchain() -> Toolchain | None:
    """XeLaTeX (and latexmk when installed), or ``None`` without XeLaTeX."""
    xelatex = shutil.which("xelatex")
    if xelatex is None:
        return None
    return Toolchain(xelatex, shutil.which("latexmk"))


def missing_toolchain_message() -> str:
    return ("quizkit paper: xelatex is not installed, so no PDF can be built; install the "
            f"Debian packages {DEBIAN_PACKAGES}, or use --tex-only to write the .tex files "
            "and key.csv without compiling")


def reproducible_environment() -> dict[str, str]:
    """The same seed gives the same PDF bytes: no build date inside."""
    env = dict(os.environ)
    env.update({
        "SOURCE_DATE_EPOCH": "0",
        "FORCE_SOURCE_DATE": "1",
        # Long lines in the log stay whole, so errors and missing characters parse.
        "max_print_line": "10000",
        "error_line": "254",
        "half_error_line": "238",
    })
    return env


def compile_pdf(tex_path: Path, toolchain: Toolchain, *, log_dir: Path | None = None,
                keep_log: bool = False) -> Path:
    """Build ``tex_path`` into ``<same folder>/<stem>.pdf``.

    On failure, or when the font lacks a character, the log is kept as
    ``<log_dir>/<stem>.log`` (default: beside the .tex; always with ``keep_log``) and a
    ``QuizkitError`` names the .tex file, the line and the first LaTeX error.
    """
    tex_path = Path(tex_path)
    log_dir = Path(log_dir) if log_dir else tex_path.parent
    with tempfile.TemporaryDirectory(prefix="quizkit-paper-") as build:
        build_dir = Path(build)
        source = build_dir / tex_path.name
        shutil.copyfile(tex_path, source)
        try:
            completed = subprocess.run(_commands(toolchain, source.name)[0], cwd=build_dir,
                                       env=reproducible_environment(),
                                       stdin=subprocess.DEVNULL, capture_output=True,
                                       timeout=TIMEOUT_SECONDS, check=False)
            if completed.returncode == 0 and toolchain.latexmk is None:
                # Without latexmk: a second run resolves "page X of Y".
                completed = subprocess.run(_commands(toolchain, source.name)[1],
                                           cwd=build_dir, env=reproducible_environment(),
                                           stdin=subprocess.DEVNULL, capture_output=True,
                                           timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise QuizkitError(Problem(display_path(tex_path), None, f"XeLaTeX did not "
                                       f"finish within {TIMEOUT_SECONDS} s")) from None
        log_path = build_dir / f"{tex_path.stem}.log"
        log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
        pdf = build_dir / f"{tex_path.stem}.pdf"
        problem = None
        if completed.returncode != 0 or not pdf.exists():
            problem = (first_error(log, tex_path.name)
                       or (None, "XeLaTeX failed: " + _last_words(completed)))
        else:
            missing = _MISSING_CHARACTER.search(log)
            if missing:
                problem = (None, f"the font {missing.group(2)} has no {missing.group(1)}; "
                                 "the PDF would show a blank there")
        if problem:
            kept = log_dir / f"{tex_path.stem}.log"
            if log:
                kept.write_text(log, encoding="utf-8")
            line, rule = problem
            suffix = f" (log: {display_path(kept)})" if log else ""
            raise QuizkitError(Problem(display_path(tex_path), line, rule + suffix))
        if keep_log and log:
            (log_dir / f"{tex_path.stem}.log").write_text(log, encoding="utf-8")
        target = tex_path.with_suffix(".pdf")
        shutil.copyfile(pdf, target)
        return target


def _commands(toolchain: Toolchain, name: str) -> tuple[list[str], list[str]]:
    xelatex = [toolchain.xelatex, "-interaction=nonstopmode", "-halt-on-error",
               "-file-line-error", "-no-shell-escape", name]
    if toolchain.latexmk:
        return ([toolchain.latexmk, "-xelatex", "-interaction=nonstopmode", "-halt-on-error",
                 "-file-line-error", "-no-shell-escape", "-norc", "-quiet", name], [])
    return xelatex, xelatex


def first_error(log: str, tex_name: str) -> tuple[int | None, str] | None:
    """The line (in ``tex_name``) and message of the first LaTeX error in ``log``."""
    match = _ERROR_LINE.search(log)
    if not match:
        return None
    message = (match.group("msg") or match.group("bang")).strip()
    if match.group("file"):
        # An error inside a package names the package file; its line is no help.
        if Path(match.group("file")).name != tex_name:
            return None, f"LaTeX error in {Path(match.group('file')).name}: {message}"
        return int(match.group("line")), f"LaTeX error: {message}"
    after = _TEX_LINE.search(log, match.end())
    return (int(after.group(1)) if after else None), f"LaTeX error: {message}"


def _last_words(completed: subprocess.CompletedProcess) -> str:
    text = (completed.stderr or completed.stdout or b"").decode("utf-8", "replace").strip()
    return text.splitlines()[-1] if text else f"exit status {completed.returncode}"
