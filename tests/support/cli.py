"""Running ``quizkit`` as a user does, through ``main``, with captured output."""

from __future__ import annotations

import io

from quizkit.cli import main


def run_quizkit(*argv: str) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of ``quizkit ARGV``."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return int(status), out.getvalue(), err.getvalue()
