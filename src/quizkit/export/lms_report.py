"""The LMS report (``quizkit export --report``): per question and per LMS format, whether
the LMS imports it and what the LMS does differently from the book (spellings it
accepts, feedback it drops, a type it lacks), so an instructor sees the limits before
importing. Built from the exporters' own results (``Output.skipped`` and
``Output.limits``), never from a second opinion of what they wrote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import Item
from .common import Output

SUFFIX = "-lms-report.md"
LMS_FORMATS = ("moodle", "gift", "qti")  # the formats an LMS imports

# What holds for every question of a format, said once above the table.
FORMAT_NOTES = {
    "moodle": "Moodle compares typed answers ignoring case and outer spaces only, so each "
              "accepted answer is exported with its typographic variants (\"N spellings "
              "accepted\" below).",
    "gift": "As Moodle XML; order questions cannot be written in GIFT; match questions "
            "lose their correct/incorrect feedback.",
    "qti": "Canvas (classic quizzes) compares typed answers as Moodle does, and has no "
           "ordering question type.",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def lms_report(items: Sequence[Item], outputs: Mapping[str, Output],
               labels: Mapping[str, str], title: str) -> Output:
    """``outputs``: format name → its export, for the LMS formats chosen."""
    names = [name for name in LMS_FORMATS if name in outputs]
    lines = [f"# What each LMS imports: {title}", "",
             "For each question: imported or not (and why), and what the LMS does "
             "differently from the book.", ""]
    lines += [f"- **{labels[name]}**: {FORMAT_NOTES[name]}" for name in names]
    lines += ["", "| question | type | " + " | ".join(labels[n] for n in names) + " |",
              "|---|---|" + "---|" * len(names)]
    for item in items:
        cells = []
        for name in names:
            output = outputs[name]
            skip = next((s for s in output.skipped if s.item_id == item.id), None)
            if skip is not None:
                cells.append(f"**not imported**: {skip.reason}")
                continue
            limits = [limit.text for limit in output.limits if limit.item_id == item.id]
            cells.append("; ".join(["imported", *limits]))
        lines.append(f"| {item.id} | {item.type} | " + " | ".join(_cell(c) for c in cells) + " |")
    return Output(("\n".join(lines) + "\n").encode("utf-8"), tuple(i.id for i in items))
