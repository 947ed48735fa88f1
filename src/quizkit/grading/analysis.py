"""Classical item analysis of a scored test: the numbers (first part, on one matrix),
then the same tied to the items, their options and the class (``analyse``).

Everything works on one matrix of 0/1 scores, students × items, where ``NaN`` marks an
item that was not on a student's paper (versions may hold different items). All
statistics are computed column-wise with numpy, so a class of ten thousand costs
milliseconds.

Definitions (the grading report and the instructors' guide quote them):

- total: a student's number of correct items (0/1 scores summed; points do not enter
  the analysis, which is about items, not marks).
- difficulty p: the proportion of the students who had the item and got it right.
- corrected point-biserial: Pearson's r between the item's 0/1 score and the total
  *minus that item*, over the students who had the item. Undefined (``NaN``) when
  either side has no variance (everyone right, everyone wrong, one student).
- upper–lower index D: p in the upper 27 % of totals minus p in the lower 27 %.
  Each group holds g = round(0.27·N) students, rounded half up (N = 60 → 16). When
  students tie on the total at a group's cut, they share the remaining places: each
  counts with weight (places left)/(students tied), so the result never depends on
  the order of the rows. g = 0 (N = 1) leaves D undefined.
- test: mean and SD of the totals, the SD being the *population* SD (divide by N),
  as KR-20 uses p·q, the population variance of each item;
  KR-20 = k/(k−1) · (1 − Σ p·q / SD²); SEM = SD · √(1 − KR-20). KR-20 needs every
  student to have taken every item, k ≥ 2 and SD > 0; otherwise it is undefined.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..model import Item
from .scoring import CHOICE_TYPES, GradedClass

GROUP_FRACTION = 0.27
TOO_EASY = 0.9   # p above this: almost everyone knows it; it tells students apart little
TOO_HARD = 0.2   # p below this: close to guessing on a 4-option item (0.25)

FLAG_TOO_EASY = "too easy"
FLAG_TOO_HARD = "too hard"
FLAG_NEGATIVE = "negative discrimination"


@dataclass(frozen=True)
class Groups:
    """Fractional membership of each student in the upper and lower groups."""

    upper: np.ndarray  # weight in [0, 1] per student; sums to ``size``
    lower: np.ndarray
    size: int


@dataclass(frozen=True)
class ItemStatistics:
    """One value per item (column), in the matrix's column order."""

    n: np.ndarray               # students who had the item
    difficulty: np.ndarray      # p
    point_biserial: np.ndarray  # corrected (item vs total minus item); NaN if undefined
    upper_p: np.ndarray
    lower_p: np.ndarray
    discrimination: np.ndarray  # D = upper_p − lower_p; NaN if undefined


@dataclass(frozen=True)
class ScoreStatistics:
    students: int
    items: int
    mean: float
    sd: float      # population SD of the totals (divide by N), consistent with KR-20
    kr20: float    # NaN when undefined
    sem: float     # NaN when KR-20 is undefined


def totals(scores: np.ndarray) -> np.ndarray:
    """Number correct per student (items not taken count as nothing)."""
    return np.nansum(scores, axis=1)


def group_size(students: int, fraction: float = GROUP_FRACTION) -> int:
    """round(fraction · N), rounded half up (Python's round() would round half to even)."""
    return int(math.floor(fraction * students + 0.5))


def upper_lower_groups(student_totals: np.ndarray,
                       fraction: float = GROUP_FRACTION) -> Groups:
    """The upper and lower groups by total, ties at each cut sharing the places left."""
    t = np.asarray(student_totals, dtype=float)
    size = group_size(len(t), fraction)
    return Groups(_top_weights(t, size), _top_weights(-t, size), size)


def _top_weights(values: np.ndarray, size: int) -> np.ndarray:
    weights = np.zeros(len(values))
    if size == 0:
        return weights
    cut = np.sort(values)[::-1][size - 1]  # the size-th highest value
    above = values > cut
    tied = values == cut
    weights[above] = 1.0
    weights[tied] = (size - above.sum()) / tied.sum()
    return weights


def item_statistics(scores: np.ndarray, groups: Groups | None = None) -> ItemStatistics:
    """Difficulty, corrected point-biserial and D for each column of ``scores``."""
    x = np.asarray(scores, dtype=float)
    taken = ~np.isnan(x)
    x0 = np.where(taken, x, 0.0)
    n = taken.sum(axis=0)
    student_totals = x0.sum(axis=1)
    if groups is None:
        groups = upper_lower_groups(student_totals)
    with np.errstate(invalid="ignore", divide="ignore"):
        difficulty = x0.sum(axis=0) / n
        point_biserial = _corrected_point_biserial(x0, taken, student_totals, n)
        upper_p = weighted_rates(x0, taken, groups.upper)
        lower_p = weighted_rates(x0, taken, groups.lower)
    return ItemStatistics(n=n, difficulty=difficulty, point_biserial=point_biserial,
                          upper_p=upper_p, lower_p=lower_p,
                          discrimination=upper_p - lower_p)


def _corrected_point_biserial(x0: np.ndarray, taken: np.ndarray,
                              student_totals: np.ndarray, n: np.ndarray) -> np.ndarray:
    mask = taken.astype(float)
    rest = (student_totals[:, None] - x0) * mask
    # Centre before multiplying: sums of squares of raw totals lose digits for big classes.
    x_c = (x0 - x0.sum(axis=0) / n) * mask
    rest_c = (rest - rest.sum(axis=0) / n) * mask
    covariance = (x_c * rest_c).sum(axis=0)
    spread = np.sqrt((x_c ** 2).sum(axis=0) * (rest_c ** 2).sum(axis=0))
    # A zero variance on either side leaves r undefined; tiny round-off counts as zero.
    defined = spread > 1e-12 * np.maximum(n, 1)
    return np.where(defined, covariance / np.where(defined, spread, 1.0), np.nan)


def weighted_rates(values: np.ndarray, taken: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per column, the weighted mean of ``values`` over the students who had the item
    (``NaN`` when the group holds none of them)."""
    present = taken * weights[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return (values * present).sum(axis=0) / present.sum(axis=0)


def choice_rates(choices: np.ndarray, groups: Groups) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """How often each option (column) was chosen: by everyone, the upper and the lower
    group. ``choices`` is students × options of 0/1, ``NaN`` where the student did not
    have the item."""
    c = np.asarray(choices, dtype=float)
    taken = ~np.isnan(c)
    c0 = np.where(taken, c, 0.0)
    everyone = np.ones(len(c))
    return (weighted_rates(c0, taken, everyone), weighted_rates(c0, taken, groups.upper),
            weighted_rates(c0, taken, groups.lower))


def score_statistics(scores: np.ndarray) -> ScoreStatistics:
    """Mean, population SD, KR-20 and SEM of the totals."""
    x = np.asarray(scores, dtype=float)
    students, items = x.shape
    t = totals(x)
    mean = float(t.mean()) if students else math.nan
    variance = float(t.var()) if students else math.nan  # ddof=0: population
    sd = math.sqrt(variance) if students else math.nan
    kr20 = math.nan
    if items >= 2 and students and variance > 1e-12 and not np.isnan(x).any():
        p = x.mean(axis=0)
        kr20 = items / (items - 1) * (1.0 - float((p * (1 - p)).sum()) / variance)
    sem = sd * math.sqrt(1.0 - kr20) if not math.isnan(kr20) else math.nan
    return ScoreStatistics(students=students, items=items, mean=mean, sd=sd,
                          kr20=kr20, sem=sem)


def item_flags(stats: ItemStatistics) -> list[list[str]]:
    """Plain-language flags per item: too easy, too hard, negative discrimination."""
    flags: list[list[str]] = []
    for p, r in zip(stats.difficulty, stats.point_biserial):
        found = []
        if p > TOO_EASY:
            found.append(FLAG_TOO_EASY)
        if p < TOO_HARD:
            found.append(FLAG_TOO_HARD)
        if r < 0:  # NaN compares False: an undefined r is not flagged
            found.append(FLAG_NEGATIVE)
        flags.append(found)
    return flags


# -- the analysis of a graded class -------------------------------------------------


@dataclass(frozen=True)
class OptionUse:
    """How often one bank option (or a blank) was chosen."""

    index: int | None  # the bank option's index, or None for a blank
    text: str
    correct: bool
    everyone: float
    upper: float
    lower: float


@dataclass(frozen=True)
class ItemResult:
    number: int  # 1.. in the analysis order (the key's question order)
    item: Item
    bank: str
    n: int
    difficulty: float
    point_biserial: float
    discrimination: float
    upper_p: float
    lower_p: float
    options: tuple[OptionUse, ...]  # bank options (choice items), then blank
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ClassAnalysis:
    graded: GradedClass
    items: list[ItemResult]
    test: ScoreStatistics
    groups: Groups


def analyse(graded: GradedClass) -> ClassAnalysis:
    """Item statistics, option use by group and test statistics for a graded class."""
    groups = upper_lower_groups(totals(graded.scores))
    stats = item_statistics(graded.scores, groups)
    flags = item_flags(stats)
    results = []
    for j, item_id in enumerate(graded.item_ids):
        item = graded.key.item(item_id)
        everyone, upper, lower = choice_rates(graded.choices[item_id], groups)
        labels = [(i, o.text, o.correct) for i, o in enumerate(item.options)
                  ] if item.type in CHOICE_TYPES else []
        labels.append((None, "(no answer)", False))
        options = tuple(OptionUse(index, text, correct, float(a), float(u), float(lo))
                        for (index, text, correct), a, u, lo in zip(labels, everyone, upper,
                                                                   lower))
        results.append(ItemResult(
            number=j + 1, item=item, bank=graded.key.bank_name(item_id),
            n=int(stats.n[j]), difficulty=float(stats.difficulty[j]),
            point_biserial=float(stats.point_biserial[j]),
            discrimination=float(stats.discrimination[j]), upper_p=float(stats.upper_p[j]),
            lower_p=float(stats.lower_p[j]), options=options, flags=tuple(flags[j])))
    return ClassAnalysis(graded, results, score_statistics(graded.scores), groups)


