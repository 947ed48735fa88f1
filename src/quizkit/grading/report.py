"""The grading report: one self-contained HTML file (styles inline, plots as base64 PNG).

It opens from a USB stick or an e-mail attachment with nothing else beside it, and
reads with a screen reader: headings in order, captions on tables, header cells with
scopes, and alt text that states what each plot shows.
"""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path

import numpy as np

from ..files import write_new_file
from ..model import format_number
from . import analysis
from .analysis import ClassAnalysis, ItemResult
from .scoring import CHOICE_TYPES
from .tables import number

# What each flag means for the next run of the test, in plain words.
ADVICE = {
    analysis.FLAG_TOO_EASY: (
        "Almost everyone answered this correctly, so it tells students apart very little. "
        "Keep it if it checks an essential point; otherwise make the wrong options more "
        "plausible or ask about a finer point."),
    analysis.FLAG_TOO_HARD: (
        "Fewer than one student in five answered this correctly. Check the key first (a "
        "wrong key looks exactly like this), then the wording, and whether the topic was "
        "taught before the test."),
    analysis.FLAG_NEGATIVE: (
        "Students who did well on the rest of the test did worse on this item than those "
        "who did poorly. Check the key first, then look for an ambiguous stem or a wrong "
        "option that a well-prepared student could defend."),
}

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5;
       max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; }
table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: .92rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #eef1f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 1.5rem; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: .92rem; color: #333; }
.flag { font-weight: 600; color: #8a1c1c; }
.note { background: #f6f6f0; border-left: 4px solid #b59a00; padding: .4rem .8rem; }
details { margin: .4rem 0; } summary { cursor: pointer; }
dt { font-weight: 600; margin-top: .5rem; }
"""


def render_report(result: ClassAnalysis) -> str:
    """The whole report as one HTML document."""
    graded = result.graded
    heading = f"Grading report: {Path(graded.responses).name}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(heading)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_e(heading)}</h1>",
        _overview(result),
        _test_section(result),
        _flagged_section(result),
        _items_section(result),
        _options_section(result),
        _exceptions_section(result),
        _definitions(result),
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def write_report(result: ClassAnalysis, path: Path) -> Path:
    """Write the report to ``path``, which must not exist yet."""
    return write_new_file(path, render_report(result))


# -- sections ---------------------------------------------------------------------


def _overview(result: ClassAnalysis) -> str:
    graded = result.graded
    aside = len(graded.exceptions)
    versions = ", ".join(graded.key.versions)
    lines = [
        "<p>",
        f"Responses: <code>{_e(graded.responses)}</code>; key: {_e(_key_label(result))} "
        f"(version{'s' if len(graded.key.versions) > 1 else ''} {_e(versions)}).<br>",
        f"{graded.rows_read} student row{'s' if graded.rows_read != 1 else ''} read: "
        f"<strong>{len(graded.student_ids)} graded</strong>, ",
        (f'<strong><a href="#exceptions">{aside} set aside</a></strong> (see below and '
         "exceptions.csv)." if aside else "none set aside."),
        "</p>",
    ]
    for note in graded.notes:
        lines.append(f'<p class="note">Note: {_e(note)}</p>')
    return "\n".join(lines)


def _key_label(result: ClassAnalysis) -> str:
    key = result.graded.key
    if key.columns_are_item_ids:
        return "straight from the banks (options in bank order)"
    return key.source


def _test_section(result: ClassAnalysis) -> str:
    t, graded = result.test, result.graded
    rows = [
        ("Students graded", str(t.students)),
        ("Items (across all versions)", str(t.items)),
        ("Mean number right", number(t.mean, 2) or "n/a"),
        ("Standard deviation (population)", number(t.sd, 2) or "n/a"),
        ("KR-20 reliability", number(t.kr20, 2) or "n/a"),
        ("Standard error of measurement", number(t.sem, 2) or "n/a"),
        ("Mean score in points", number(float(graded.points.mean()), 2)
         if t.students else "n/a"),
        ("Upper and lower group size (27%)", str(result.groups.size)),
    ]
    body = "".join(f'<tr><th scope="row">{_e(name)}</th><td class="num">{_e(value)}</td></tr>'
                   for name, value in rows)
    table = (f"<table><caption>Test statistics for {t.students} students</caption>"
             f"<tbody>{body}</tbody></table>")
    reading = ""
    if not math.isnan(t.kr20):
        reading = (f"<p>{_kr20_reading(t.kr20)} A student's number right is uncertain by "
                   f"about &plusmn;{t.sem:.1f} items (one SEM).</p>")
    return "\n".join(['<section aria-labelledby="test">', '<h2 id="test">The test as a whole</h2>',
                      table, reading, _histogram_figure(result), "</section>"])


def _kr20_reading(kr20: float) -> str:
    if kr20 >= 0.8:
        return "KR-20 is high: the items rank students consistently."
    if kr20 >= 0.7:
        return "KR-20 is acceptable for a classroom test."
    if kr20 >= 0.5:
        return ("KR-20 is modest: fine for a short quiz, but scores from this test alone "
                "should not decide much.")
    return ("KR-20 is low: the items do not rank students consistently; look at the "
            "flagged items and consider a longer test.")


def _flagged_section(result: ClassAnalysis) -> str:
    flagged = [r for r in result.items if r.flags]
    parts = ['<section aria-labelledby="flagged">',
             '<h2 id="flagged">Items to review</h2>']
    if not flagged:
        parts.append("<p>No item is too easy, too hard or negatively discriminating.</p>")
    for r in flagged:
        parts.append(f"<h3>{r.number}. {_e(r.item.id)} "
                     f'<span class="flag">({_e("; ".join(r.flags))})</span></h3>')
        parts.append(f"<p><strong>Question:</strong> {_e(r.item.stem)}</p>")
        parts.append(f"<p><strong>Key:</strong> {_e(r.item.answer_text())}</p>")
        parts.append(f"<p>p = {number(r.difficulty, 2) or 'n/a'}, point-biserial = "
                     f"{number(r.point_biserial, 2) or 'n/a'}, D = "
                     f"{number(r.discrimination, 2) or 'n/a'} ({r.n} students).</p>")
        parts.append("<ul>" + "".join(f"<li>{_e(ADVICE[flag])}</li>" for flag in r.flags)
                     + "</ul>")
        if r.item.type in CHOICE_TYPES:
            parts.append(_option_table(r))
    parts.append("</section>")
    return "\n".join(parts)


def _items_section(result: ClassAnalysis) -> str:
    head = ("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in (
        "#", "Item", "Type", "n", "Difficulty p", "Point-biserial", "D", "Flags")) + "</tr></thead>")
    rows = []
    for r in result.items:
        cells = [f'<td class="num">{r.number}</td>', f'<th scope="row">{_e(r.item.id)}</th>',
                 f"<td>{_e(r.item.type)}</td>", f'<td class="num">{r.n}</td>']
        cells += [f'<td class="num">{number(v, 2) or "n/a"}</td>'
                  for v in (r.difficulty, r.point_biserial, r.discrimination)]
        cells.append(f"<td>{_e('; '.join(r.flags))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    table = (f"<table><caption>Item statistics ({len(result.items)} items; the number # "
             f"labels each point of the plot)</caption>{head}<tbody>{''.join(rows)}</tbody></table>")
    return "\n".join(['<section aria-labelledby="items">', '<h2 id="items">Items</h2>',
                      _scatter_figure(result), table, "</section>"])


def _options_section(result: ClassAnalysis) -> str:
    choice = [r for r in result.items if r.item.type in CHOICE_TYPES]
    parts = ['<section aria-labelledby="options">',
             '<h2 id="options">Options chosen, by group</h2>',
             "<p>For each single- and multiple-answer item: how often each option (in bank "
             "order, whatever letter it had on a version) was chosen by the whole class, "
             "the upper 27% and the lower 27%. A good wrong option attracts more of the "
             "lower group than of the upper group; one that nobody chooses does no work.</p>"]
    if not choice:
        parts.append("<p>This test has no single- or multiple-answer items.</p>")
    for r in choice:
        parts.append(f"<details><summary>{r.number}. {_e(r.item.id)}</summary>"
                     f"{_option_table(r)}</details>")
    parts.append("</section>")
    return "\n".join(parts)


def _option_table(r: ItemResult) -> str:
    head = ("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in (
        "Option", "Text", "Correct", "All", "Upper 27%", "Lower 27%")) + "</tr></thead>")
    rows = []
    for o in r.options:
        label = "blank" if o.index is None else str(o.index + 1)
        rows.append(f'<tr><th scope="row">{_e(label)}</th><td>{_e(o.text)}</td>'
                    f"<td>{'yes' if o.correct else ''}</td>"
                    + "".join(f'<td class="num">{_percent(v)}</td>'
                              for v in (o.everyone, o.upper, o.lower)) + "</tr>")
    return (f"<table><caption>Options of {_e(r.item.id)}, in bank order</caption>{head}"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _exceptions_section(result: ClassAnalysis) -> str:
    exceptions = result.graded.exceptions
    parts = ['<section aria-labelledby="exceptions">',
             '<h2 id="exceptions">Rows not graded</h2>']
    if not exceptions:
        parts.append("<p>Every row was graded.</p>")
    else:
        parts.append(f"<p>{len(exceptions)} row{'s' if len(exceptions) != 1 else ''} of the "
                     "responses file could not be graded. Fix them in the responses file and "
                     "grade again into a new folder.</p>")
        head = ("<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in (
            "Line", "Student", "Version", "Reason")) + "</tr></thead>")
        rows = "".join(f'<tr><td class="num">{e.line}</td><td>{_e(e.student_id)}</td>'
                       f"<td>{_e(e.version)}</td><td>{_e(e.reason)}</td></tr>"
                       for e in exceptions)
        parts.append(f"<table><caption>Rows set aside, with their line in the responses "
                     f"file</caption>{head}<tbody>{rows}</tbody></table>")
    parts.append("</section>")
    return "\n".join(parts)


def _definitions(result: ClassAnalysis) -> str:
    return f"""<section aria-labelledby="definitions">
<h2 id="definitions">How these figures are computed</h2>
<dl>
<dt>Difficulty p</dt><dd>The share of the students who had the item and answered it
correctly (a blank counts as wrong). Flagged <em>too easy</em> above
{analysis.TOO_EASY:g} and <em>too hard</em> below {analysis.TOO_HARD:g}.</dd>
<dt>Point-biserial (corrected)</dt><dd>The correlation between the item (right or wrong)
and the number right on the <em>other</em> items. Above 0.2 is usual for a good item;
below 0 is flagged. It is undefined (n/a) when everyone, or no one, got the item right.</dd>
<dt>D (upper&ndash;lower index)</dt><dd>p in the upper 27% of the class (by number right)
minus p in the lower 27%; each group holds round(0.27&nbsp;&times;&nbsp;N) =
{result.groups.size} students. Students tied at a group's cut share its remaining places
equally, so the order of the rows never matters.</dd>
<dt>Mean, SD</dt><dd>Of the number of items right. SD is the population standard deviation
(dividing by N), as KR-20 requires.</dd>
<dt>KR-20</dt><dd>k/(k&minus;1)&nbsp;&times;&nbsp;(1 &minus; &Sigma;pq / SD&sup2;): how
consistently the items rank students (0 to 1; higher is better). Undefined when versions
hold different items, for fewer than two items, or when every student has the same total.</dd>
<dt>SEM</dt><dd>SD&nbsp;&times;&nbsp;&radic;(1 &minus; KR-20): the typical distance between a
student's observed number right and the one a perfectly reliable test would give.</dd>
</dl>
</section>"""


# -- plots ------------------------------------------------------------------------


def _histogram_figure(result: ClassAnalysis) -> str:
    graded = result.graded
    if not len(graded.points):
        return "<p>No student was graded, so there is no score distribution to show.</p>"
    points = graded.points
    top = float(graded.max_points.max())
    fig, ax = _figure()
    if np.allclose(points, np.round(points)) and float(top).is_integer():
        bins = np.arange(-0.5, top + 1.5, 1.0)
    else:
        bins = "auto"
    ax.hist(points, bins=bins, color="#3b6ea5", edgecolor="white")
    ax.set_xlabel(f"Score (points, out of {format_number(top)})")
    ax.set_ylabel("Number of students")
    ax.set_title("Distribution of scores")
    ax.set_xlim(-0.5, top + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.get_major_locator().set_params(integer=True)
    image = _png(fig)
    alt = (f"Histogram of the scores of {len(points)} students, out of {format_number(top)} "
           f"points: lowest {format_number(points.min())}, median "
           f"{format_number(float(np.median(points)))}, highest {format_number(points.max())}, "
           f"mean {points.mean():.1f}.")
    return _figure_html(image, alt, "Figure 1. Number of students at each score.")


def _scatter_figure(result: ClassAnalysis) -> str:
    items = result.items
    plotted = [r for r in items if not (math.isnan(r.difficulty) or math.isnan(r.point_biserial))]
    left_out = [r for r in items if r not in plotted]
    if not plotted:
        return ("<p>No item has a defined difficulty and point-biserial, so there is no "
                "plot of items.</p>")
    fig, ax = _figure()
    ax.axvspan(0, analysis.TOO_HARD, color="#f3e3e3", zorder=0)
    ax.axvspan(analysis.TOO_EASY, 1, color="#f3e3e3", zorder=0)
    ax.axhline(0, color="#8a1c1c", linewidth=1, zorder=1)
    for flagged, marker, colour, label in ((False, "o", "#3b6ea5", "not flagged"),
                                           (True, "^", "#8a1c1c", "flagged")):
        group = [r for r in plotted if bool(r.flags) == flagged]
        if group:
            ax.scatter([r.difficulty for r in group], [r.point_biserial for r in group],
                       marker=marker, color=colour, s=36, label=label, zorder=3)
    for r in plotted:
        ax.annotate(str(r.number), (r.difficulty, r.point_biserial), textcoords="offset points",
                    xytext=(4, 4), fontsize=8)
    low = min(-0.2, min(r.point_biserial for r in plotted) - 0.05)
    ax.set_xlim(0, 1)
    ax.set_ylim(low, 1)
    ax.set_xlabel("Difficulty p (proportion correct)")
    ax.set_ylabel("Discrimination (corrected point-biserial)")
    ax.set_title("Items: difficulty against discrimination")
    ax.legend(loc="upper left", fontsize=8)
    image = _png(fig)
    flagged = [r for r in plotted if r.flags]
    alt = (f"Scatter plot of {len(plotted)} items, difficulty from "
           f"{min(r.difficulty for r in plotted):.2f} to {max(r.difficulty for r in plotted):.2f}"
           f" and point-biserial from {min(r.point_biserial for r in plotted):.2f} to "
           f"{max(r.point_biserial for r in plotted):.2f}; "
           + (f"{len(flagged)} flagged: " + ", ".join(f"{r.number} ({r.item.id})" for r in flagged)
              if flagged else "none flagged")
           + ". Each point is labelled with the item's number in the table below.")
    caption = ("Figure 2. Each item's difficulty and discrimination; points are numbered as in "
               "the table below. Shaded: too hard (p &lt; "
               f"{analysis.TOO_HARD:g}) or too easy (p &gt; {analysis.TOO_EASY:g}); below the "
               "line: negative discrimination.")
    if left_out:
        caption += (" Not plotted (point-biserial undefined): "
                    + _e(", ".join(f"{r.number} ({r.item.id})" for r in left_out)) + ".")
    return _figure_html(image, alt, caption)


def _figure():
    # A bare Figure, not pyplot: no window, no display, no global state shared between
    # reports, and a faster import. Saving to PNG uses the Agg renderer.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4.2), dpi=100, layout="constrained")
    return fig, fig.subplots()


def _png(fig) -> str:
    buffer = io.BytesIO()
    # No timestamp or software tag: the same data gives the same bytes.
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure_html(image: str, alt: str, caption: str) -> str:
    return (f'<figure><img src="data:image/png;base64,{image}" alt="{_e(alt)}" '
            f'width="700" height="420"><figcaption>{caption}</figcaption></figure>')


def _percent(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{100 * value:.0f}%"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)

