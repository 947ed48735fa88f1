"""Item and test statistics, checked against values computed here by hand or with
plain-Python loops (never with quizkit.grading.analysis's own helpers)."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from quizkit.grading import analysis

# Ten students, five items. Item 5 is right for everyone (its point-biserial is
# undefined). Totals 5,4,4,4,3,3,2,2,2,1: the upper and lower 27 % groups (3
# students each) both cut through a three-way tie.
CLASS = [
    [1, 1, 1, 1, 1],
    [1, 1, 1, 0, 1],
    [1, 1, 0, 1, 1],
    [1, 0, 1, 1, 1],
    [1, 1, 0, 0, 1],
    [0, 1, 1, 0, 1],
    [1, 0, 0, 0, 1],
    [0, 0, 1, 0, 1],
    [0, 0, 0, 1, 1],
    [0, 0, 0, 0, 1],
]


def column(j: int) -> list[int]:
    return [row[j] for row in CLASS]


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy)


@pytest.fixture(scope="module")
def stats() -> analysis.ItemStatistics:
    return analysis.item_statistics(np.array(CLASS, dtype=float))


def test_difficulty_is_the_proportion_correct(stats):
    assert stats.difficulty.tolist() == pytest.approx([0.6, 0.5, 0.5, 0.4, 1.0])
    assert stats.n.tolist() == [10] * 5


def test_corrected_point_biserial_excludes_the_item_from_the_total(stats):
    totals = [sum(row) for row in CLASS]
    for j in range(4):
        item = column(j)
        rest = [t - x for t, x in zip(totals, item)]
        assert stats.point_biserial[j] == pytest.approx(pearson(item, rest))
    # Item 1 by hand: rest = 4,3,3,3,2,3,1,2,2,1; mean 2.4; Sxy = 1.6, Sxx = 2.4, Syy = 8.4.
    assert stats.point_biserial[0] == pytest.approx(1.6 / math.sqrt(2.4 * 8.4))


def test_an_item_everyone_got_right_has_no_point_biserial(stats):
    assert math.isnan(stats.point_biserial[4])
    assert stats.discrimination[4] == 0.0


def test_upper_lower_index_shares_tied_places(stats):
    # g = round(0.27 * 10) = 3. Upper: the 5 and two of the three 4s (weight 2/3 each);
    # lower: the 1 and two of the three 2s.
    # Item 1: upper (1 + 2/3 * 3) / 3 = 1; lower (0 + 2/3 * (0 + 1 + 0)) / 3 = 2/9.
    assert stats.upper_p[0] == pytest.approx(1.0)
    assert stats.lower_p[0] == pytest.approx(2 / 9)
    assert stats.discrimination[0] == pytest.approx(7 / 9)
    # Item 4: upper (1 + 2/3 * (0 + 1 + 1)) / 3 = 7/9; lower (0 + 2/3 * (0 + 0 + 1)) / 3 = 2/9.
    assert stats.discrimination[3] == pytest.approx(5 / 9)


def test_upper_lower_index_does_not_depend_on_row_order(stats):
    shuffled = np.array(CLASS, dtype=float)[np.random.default_rng(3).permutation(10)]
    again = analysis.item_statistics(shuffled)
    np.testing.assert_allclose(again.discrimination, stats.discrimination)


@pytest.mark.parametrize("students, size", [(1, 0), (2, 1), (10, 3), (60, 16), (50, 14),
                                            (100, 27), (10_000, 2700)])
def test_group_size_is_27_percent_rounded_half_up(students, size):
    assert analysis.group_size(students) == size


def test_groups_without_ties_take_exactly_the_top_and_bottom():
    groups = analysis.upper_lower_groups(np.array([3, 9, 1, 7, 5, 8, 2, 6, 4, 0]))
    assert groups.upper.tolist() == [0, 1, 0, 1, 0, 1, 0, 0, 0, 0]
    assert groups.lower.tolist() == [0, 0, 1, 0, 0, 0, 1, 0, 0, 1]


def test_test_statistics_against_plain_python():
    totals = [sum(row) for row in CLASS]
    k = 5
    ps = [sum(column(j)) / 10 for j in range(k)]
    variance = statistics.pvariance(totals)
    kr20 = k / (k - 1) * (1 - sum(p * (1 - p) for p in ps) / variance)
    result = analysis.score_statistics(np.array(CLASS, dtype=float))
    assert (result.students, result.items) == (10, 5)
    assert result.mean == pytest.approx(3.0)
    assert result.sd == pytest.approx(statistics.pstdev(totals))  # population SD
    assert result.sd == pytest.approx(math.sqrt(1.4))
    # By hand: variance 14/10; Σpq = .24 + .25 + .25 + .24 + 0 = .98;
    # KR-20 = 5/4 · (1 − .98/1.4) = 0.375.
    assert result.kr20 == pytest.approx(kr20) == pytest.approx(0.375)
    assert result.sem == pytest.approx(math.sqrt(1.4 * 0.625))


def test_one_student_leaves_the_spread_statistics_undefined():
    one = np.array([[1, 0, 1]], dtype=float)
    stats = analysis.item_statistics(one)
    test = analysis.score_statistics(one)
    assert stats.difficulty.tolist() == [1.0, 0.0, 1.0]
    assert np.isnan(stats.point_biserial).all() and np.isnan(stats.discrimination).all()
    assert (test.mean, test.sd) == (2.0, 0.0)
    assert math.isnan(test.kr20) and math.isnan(test.sem)


def test_all_blank_class_gives_zeros_and_undefined_values():
    blank = np.zeros((6, 4))
    stats = analysis.item_statistics(blank)
    test = analysis.score_statistics(blank)
    assert stats.difficulty.tolist() == [0.0] * 4
    assert np.isnan(stats.point_biserial).all()
    assert stats.discrimination.tolist() == [0.0] * 4
    assert (test.mean, test.sd) == (0.0, 0.0) and math.isnan(test.kr20)


def test_items_not_on_every_version_count_only_their_takers():
    # Item 2 was not on the last two students' papers.
    scores = np.array([[1, 1], [1, 0], [0, 1], [0, np.nan], [1, np.nan]], dtype=float)
    stats = analysis.item_statistics(scores)
    assert stats.n.tolist() == [5, 3]
    assert stats.difficulty.tolist() == pytest.approx([0.6, 2 / 3])
    assert math.isnan(analysis.score_statistics(scores).kr20)


def test_choice_rates_by_group():
    # Three students; option columns A, B, blank. g = round(0.81) = 1.
    choices = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=float)
    groups = analysis.upper_lower_groups(np.array([2, 1, 0]))
    everyone, upper, lower = analysis.choice_rates(choices, groups)
    assert everyone.tolist() == pytest.approx([1 / 3] * 3)
    assert upper.tolist() == [1, 0, 0] and lower.tolist() == [0, 0, 1]


def test_flags_use_the_documented_thresholds():
    stats = analysis.ItemStatistics(
        n=np.array([10] * 4), difficulty=np.array([0.95, 0.9, 0.1, 0.5]),
        point_biserial=np.array([0.3, np.nan, 0.2, -0.1]),
        upper_p=np.zeros(4), lower_p=np.zeros(4), discrimination=np.zeros(4))
    assert analysis.item_flags(stats) == [["too easy"], [], ["too hard"],
                                          ["negative discrimination"]]
