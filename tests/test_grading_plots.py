"""quizkit.grading.plots: the report's SVG plots."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from quizkit.grading.plots import Point, histogram_svg, scatter_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_a_hundred_items_get_labels_that_never_overlap_and_a_tooltip_each():
    points = [Point(0.5 + (i % 10) / 100, 0.3 + (i // 10) / 200, str(i + 1), f"{i + 1}. item-{i}",
                    flagged=i % 17 == 0) for i in range(100)]
    svg, left_out = scatter_svg(points, title="t", x_title="x", y_title="y", y_low=-0.2)
    root = ET.fromstring(svg)
    labels = [t for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d+", t.text or "")
              and t.get("font-size") == "11" and not t.get("text-anchor")]
    assert left_out > 0 and len(labels) + left_out == 100
    boxes = [(float(t.get("x")), float(t.get("y")) - 10, float(t.get("x")) + 7 * len(t.text),
              float(t.get("y"))) for t in labels]
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    tips = [t.text for t in root.iter(f"{SVG}title")]
    assert sorted(tips) == sorted(p.tooltip for p in points)
    first_flagged = next(p for p in points if p.flagged)
    assert first_flagged.label in {t.text for t in labels}  # flagged points are labelled first


def test_histogram_bars_are_as_tall_as_their_counts():
    svg = histogram_svg([1, 4, 0, 2], [-0.5, 0.5, 1.5, 2.5, 3.5], title="t", x_title="x",
                        y_title="y", x_range=(-0.5, 3.5))
    heights = [float(r.get("height")) for r in ET.fromstring(svg).iter(f"{SVG}rect")
               if r.get("fill") == "#3b6ea5"]
    assert len(heights) == 3  # no bar for a count of 0
    assert abs(heights[1] / heights[0] - 4) < 0.01 and abs(heights[2] / heights[0] - 2) < 0.01
