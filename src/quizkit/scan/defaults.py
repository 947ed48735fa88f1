"""Defaults of ``quizkit scan`` that the command line shows before any image library is
loaded (the command's start-up stays light)."""

from __future__ import annotations

import os

DEFAULT_DPI = 200


def default_jobs() -> int:
    """Worker processes: one per available core, at most four."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                      else os.cpu_count() or 1))
