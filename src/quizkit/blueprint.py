"""The exam blueprint: how many items assess each objective at each cognitive level.

Rows are the objectives listed in ``objectives.csv`` (grouped by chapter, in the file's
order), columns the levels of ``quizkit.model.LEVELS``; each cell counts the items of
the chosen pool(s) that name the objective and have the level. An item that assesses
two objectives counts in both rows, so the bottom line counts items, each once.
Items naming an objective the list lacks, or none, get rows of their own; items with
no level a column of their own: a blueprint never hides an item.

``quizkit blueprint`` prints it (Markdown or CSV); the ``quiz-blueprint`` directive
(``quizkit.sphinx.blueprint``) puts it in the instructor edition, recounted from the
banks on every build.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .coverage import Objective
from .csvfiles import csv_text
from .model import LEVELS, POOLS, Bank, Item

NO_LEVEL = "no level"
UNLISTED_CHAPTER = "(not in objectives.csv)"
NO_OBJECTIVE = Objective("—", "", "(items naming no objective)")


@dataclass(frozen=True)
class Row:
    objective: Objective
    counts: tuple[int, ...]  # one per column of the blueprint

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Blueprint:
    pools: tuple[str, ...]
    columns: tuple[str, ...]  # the levels, then NO_LEVEL if any item lacks one
    rows: list[Row] = field(default_factory=list)
    items_per_column: tuple[int, ...] = ()  # items, each counted once
    items: int = 0

    @property
    def largest_cell(self) -> int:
        return max((n for row in self.rows for n in row.counts), default=0)

    def chapters(self) -> list[tuple[str, list[Row]]]:
        """Rows grouped by chapter, in order of first appearance."""
        groups: dict[str, list[Row]] = {}
        for row in self.rows:
            groups.setdefault(row.objective.chapter, []).append(row)
        return list(groups.items())

    def pool_name(self) -> str:
        return " and ".join(self.pools)


def blueprint(banks: Iterable[Bank], objectives: Iterable[Objective],
              pools: Iterable[str] = ("exam",)) -> Blueprint:
    """Count the items of ``pools`` in ``banks`` per objective and level."""
    pools = tuple(p for p in POOLS if p in set(pools))
    items: list[Item] = [i for bank in banks for i in bank.items if i.pool in pools]
    columns = LEVELS + ((NO_LEVEL,) if any(i.level not in LEVELS for i in items) else ())
    listed = {o.id: o for o in objectives}
    cells: Counter = Counter()
    unlisted: dict[str, Objective] = {}
    for item in items:
        level = item.level if item.level in LEVELS else NO_LEVEL
        for oid in item.objectives or (NO_OBJECTIVE.id,):
            if oid not in listed and oid != NO_OBJECTIVE.id:
                unlisted.setdefault(oid, Objective(oid, UNLISTED_CHAPTER, "(not listed)"))
            cells[oid, level] += 1
    extra = list(unlisted.values()) + ([NO_OBJECTIVE] if cells.keys() & {
        (NO_OBJECTIVE.id, c) for c in columns} else [])
    result = Blueprint(pools, columns)
    result.rows = [Row(o, tuple(cells[o.id, c] for c in columns))
                   for o in [*listed.values(), *extra]]
    per_column = Counter(i.level if i.level in LEVELS else NO_LEVEL for i in items)
    result.items_per_column = tuple(per_column[c] for c in columns)
    result.items = len(items)
    return result


SHADES = 4  # shading steps above zero, for a heat-map tint behind the numbers


def shade_steps(count: int, largest: int) -> int:
    """0 for nothing, else 1..SHADES by the count's share of the largest (rounded up)."""
    if count <= 0 or largest <= 0:
        return 0
    return max(1, -(-count * SHADES // largest))


def markdown(plan: Blueprint) -> str:
    """The blueprint as a Markdown table, with a line of totals."""
    head = ["Chapter", "Objective", *plan.columns, "Total"]
    lines = [f"Exam blueprint: {plan.pool_name()} pool, {plan.items} items", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * 2 + "---:|" * (len(head) - 2)]
    for chapter, rows in plan.chapters():
        for n, row in enumerate(rows):
            text = f"{row.objective.id} {row.objective.text}".replace("|", "\\|")
            lines.append("| " + " | ".join([chapter if n == 0 else "", text,
                                            *map(str, row.counts), str(row.total)]) + " |")
    lines.append("| " + " | ".join(["", "Items (each counted once)",
                                    *map(str, plan.items_per_column), str(plan.items)]) + " |")
    return "\n".join(lines) + "\n"


def csv_rows(plan: Blueprint) -> list[list[object]]:
    rows: list[list[object]] = [["chapter", "objective", "text", *plan.columns, "total"]]
    for row in plan.rows:
        rows.append([row.objective.chapter, row.objective.id, row.objective.text,
                     *row.counts, row.total])
    rows.append(["", "", "items (each counted once)", *plan.items_per_column, plan.items])
    return rows


def csv_table(plan: Blueprint) -> str:
    return csv_text(csv_rows(plan), text_columns=3)
