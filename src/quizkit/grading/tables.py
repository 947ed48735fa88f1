"""The result tables of a graded class (scores.csv, items.csv, test.csv,
exceptions.csv) and the summary ``quizkit grade`` prints."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from ..files import write_new_file
from ..model import format_number
from .analysis import ClassAnalysis
from .scoring import CHOICE_TYPES


def number(value: float, places: int = 3) -> str:
    """A statistic for a table: rounded, and empty when undefined (NaN)."""
    if value is None or math.isnan(value):
        return ""
    return f"{value:.{places}f}"


def write_tables(result: ClassAnalysis, folder: Path) -> list[Path]:
    """scores.csv, items.csv, test.csv and exceptions.csv in ``folder`` (which exists)."""
    writers = {"scores.csv": _score_rows, "items.csv": _item_rows, "test.csv": _test_rows,
               "exceptions.csv": _exception_rows}
    written = []
    for name, rows in writers.items():
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows(result))
        written.append(write_new_file(folder / name, buffer.getvalue()))
    return written


def _score_rows(result: ClassAnalysis) -> Iterable[list[str]]:
    graded = result.graded
    yield (["student_id", "version", "score", "max", "percent", "answered"]
           + [str(q) for q in range(1, graded.questions + 1)])
    # Built column-wise: a class of ten thousand is formatted in a blink.
    q = graded.question_scores
    marks = np.where(np.isnan(q), "", np.where(q > 0.5, "1", "0")).tolist()
    shown = {v: format_number(v) for v in set(graded.points.tolist())
             | set(graded.max_points.tolist())}
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = 100 * graded.points / graded.max_points
    for s, student in enumerate(graded.student_ids):
        yield ([student, graded.versions[s], shown[graded.points[s]],
                shown[graded.max_points[s]], number(percent[s], 1), str(graded.answered[s])]
               + marks[s])


def _item_rows(result: ClassAnalysis) -> Iterable[list[str]]:
    widest = max((len(r.item.options) for r in result.items
                  if r.item.type in CHOICE_TYPES), default=0)
    option_columns = [f"option{i}_{group}" for i in range(1, widest + 1)
                      for group in ("upper", "lower")]
    yield (["item_id", "bank", "type", "n", "difficulty", "point_biserial",
            "discrimination", "upper_p", "lower_p", "flags", "correct_options"]
           + option_columns + ["blank_upper", "blank_lower"])
    for r in result.items:
        chosen = [o for o in r.options if o.index is not None]
        correct = " ".join(str(o.index + 1) for o in chosen if o.correct)
        rates = []
        for i in range(widest):
            rates += ([number(chosen[i].upper), number(chosen[i].lower)] if i < len(chosen)
                      else ["", ""])
        blank = r.options[-1]
        yield ([r.item.id, r.bank, r.item.type, str(r.n), number(r.difficulty),
                number(r.point_biserial), number(r.discrimination), number(r.upper_p),
                number(r.lower_p), "; ".join(r.flags), correct]
               + rates + [number(blank.upper), number(blank.lower)])


def _test_rows(result: ClassAnalysis) -> Iterable[list[str]]:
    t, graded = result.test, result.graded
    yield ["statistic", "value", "meaning"]
    yield ["students", str(t.students), "students graded"]
    yield ["items", str(t.items), "distinct items across all versions"]
    yield ["rows_read", str(graded.rows_read), "student rows in the responses file"]
    yield ["rows_set_aside", str(len(graded.exceptions)), "rows listed in exceptions.csv"]
    yield ["mean", number(t.mean), "mean number of items right"]
    yield ["sd", number(t.sd), "standard deviation of the number right (population: divides by N)"]
    yield ["kr20", number(t.kr20), "KR-20 reliability (empty when undefined)"]
    yield ["sem", number(t.sem), "standard error of measurement = sd * sqrt(1 - kr20)"]
    yield ["group_size", str(result.groups.size), "students in each of the upper and lower 27% groups"]
    mean_points = float(graded.points.mean()) if len(graded.points) else math.nan
    yield ["mean_points", number(mean_points), "mean score in points"]


def _exception_rows(result: ClassAnalysis) -> Iterable[list[str]]:
    yield ["line", "student_id", "version", "reason"]
    for e in result.graded.exceptions:
        yield [str(e.line), e.student_id, e.version, e.reason]


def summary_lines(result: ClassAnalysis) -> list[str]:
    """What ``quizkit grade`` prints when it is done."""
    graded, t = result.graded, result.test
    aside = len(graded.exceptions)
    lines = [f"Graded {len(graded.student_ids)} of {graded.rows_read} rows"
             + (f"; {aside} set aside in exceptions.csv" if aside else "; none set aside")
             + f" ({len(graded.key.versions)} version{'s' if len(graded.key.versions) > 1 else ''},"
             f" {t.items} items)."]
    if t.students:
        line = (f"Mean {t.mean:.2f} of {t.items} items right, SD {t.sd:.2f}, KR-20 "
                f"{number(t.kr20, 2) or 'n/a'}, SEM {number(t.sem, 2) or 'n/a'}")
        if any(row.points != 1 for row in graded.key.rows):
            max_points = Counter(graded.max_points.tolist()).most_common(1)[0][0]
            line += (f"; mean score {graded.points.mean():.2f} of "
                     f"{format_number(max_points)} points")
        lines.append(line + ".")
    flagged = [r for r in result.items if r.flags]
    lines.append(f"{len(flagged)} item{'s' if len(flagged) != 1 else ''} flagged"
                 + (": " + ", ".join(f"{r.item.id} ({'; '.join(r.flags)})" for r in flagged)
                    if flagged else "."))
    return lines
