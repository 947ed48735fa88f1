"""What the banks assess: the spread of cognitive levels and the objectives covered.

``quizkit check`` prints this after its summary. The objectives an item may name are
listed once, in ``objectives.csv`` of the data folder (columns ``id``, ``chapter``,
``objective``); without that file only the levels are counted.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem, display_path
from .model import LEVELS, POOLS, Bank

OBJECTIVES_FILE = "objectives.csv"
MIN_ITEMS_PER_OBJECTIVE = 2
# Shares of items beyond recall ("understand" and above) that each pool should reach.
TARGET_BEYOND_RECALL = {"exam": 0.40, "self-check": 0.30}


@dataclass
class Coverage:
    levels: dict[str, Counter] = field(default_factory=dict)  # pool -> level -> count
    objectives: dict[str, str] = field(default_factory=dict)  # id -> text, as listed
    items_per_objective: Counter = field(default_factory=Counter)
    without_objective: int = 0
    # pool -> passage id -> items of its set (context-dependent item sets)
    sets: dict[str, Counter] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def beyond_recall(self, pool: str) -> float:
        counts = self.levels.get(pool, Counter())
        rated = sum(n for level, n in counts.items() if level in LEVELS)
        return sum(counts[level] for level in LEVELS[1:]) / rated if rated else 0.0

    def lines(self) -> list[str]:
        out = []
        for pool in POOLS:
            counts = self.levels.get(pool, Counter())
            spread = ", ".join(f"{level} {counts[level]}" for level in LEVELS)
            unrated = counts[None]
            share = self.beyond_recall(pool)
            target = TARGET_BEYOND_RECALL[pool]
            verdict = "meets" if share >= target else "below"
            out.append(f"levels ({pool}): {spread}"
                       + (f", no level {unrated}" if unrated else "")
                       + f"; beyond recall {share:.0%} ({verdict} the {target:.0%} target)")
        for pool in POOLS:
            sets = self.sets.get(pool, Counter())
            if sets:
                out.append(f"item sets ({pool}): {len(sets)}, with {sum(sets.values())} items "
                           f"({', '.join(f'{pid} {n}' for pid, n in sets.items())})")
        if self.objectives:
            covered = ", ".join(f"{oid} {self.items_per_objective[oid]}"
                                for oid in self.objectives)
            out.append(f"objectives (items each): {covered}")
            out.append(f"items naming no objective: {self.without_objective}")
        return out


@dataclass(frozen=True)
class Objective:
    """One listed objective: ``B1``, its chapter (``01_background``) and its text."""

    id: str
    chapter: str
    text: str


def load_objective_list(data_dir: Path | None) -> tuple[list[Objective], list[Problem]]:
    """The objectives listed in the data folder, in file order; ([], []) if there is no list."""
    if data_dir is None or not (Path(data_dir) / OBJECTIVES_FILE).is_file():
        return [], []
    path = Path(data_dir) / OBJECTIVES_FILE
    objectives: dict[str, Objective] = {}
    problems = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            oid, text = (row.get("id") or "").strip(), (row.get("objective") or "").strip()
            if not oid or not text:
                problems.append(Problem(display_path(path), line, "an objective needs an id and a text"))
            elif oid in objectives:
                problems.append(Problem(display_path(path), line, f"objective id {oid} is listed twice"))
            else:
                objectives[oid] = Objective(oid, (row.get("chapter") or "").strip(), text)
    return list(objectives.values()), problems


def load_objectives(data_dir: Path | None) -> tuple[dict[str, str], list[Problem]]:
    """The objective ids and texts listed in the data folder; ({}, []) if there is no list."""
    objectives, problems = load_objective_list(data_dir)
    return {o.id: o.text for o in objectives}, problems


def coverage(banks: Iterable[Bank], data_dir: Path | None) -> Coverage:
    """Count levels per pool and items per objective; report ids no list defines
    (errors, at the item) and listed objectives with too few items (warnings)."""
    objectives, problems = load_objectives(data_dir)
    result = Coverage(objectives=objectives, problems=problems)
    for bank in banks:
        for item in bank.items:
            result.levels.setdefault(item.pool, Counter())[item.level] += 1
            if item.passage is not None:
                result.sets.setdefault(item.pool, Counter())[item.passage.id] += 1
            if not item.objectives:
                result.without_objective += 1
            for oid in item.objectives:
                result.items_per_objective[oid] += 1
                if objectives and oid not in objectives:
                    result.problems.append(Problem(
                        bank.path, item.line_of("objectives"),
                        f"{item.id}: objective {oid} is not listed in {OBJECTIVES_FILE}"))
    if objectives:
        path = display_path(Path(data_dir) / OBJECTIVES_FILE)
        for oid in objectives:
            if result.items_per_objective[oid] < MIN_ITEMS_PER_OBJECTIVE:
                result.problems.append(Problem(
                    path, None, f"objective {oid} is assessed by "
                                f"{result.items_per_objective[oid]} item(s); write at least "
                                f"{MIN_ITEMS_PER_OBJECTIVE}", severity="warning"))
    return result
