"""From page outcomes to what the instructor gets: every page accounted for, sheets
joined, duplicates flagged, and a responses row only for a sheet read in full.

Page status:

* ``read``: code, id and every bubbled answer decided (by the scan or a correction);
* ``needs review``: the code was read but something is uncertain: a bubble group, the
  id, an id found on another sheet too, a page of a several-page sheet missing;
* ``unreadable``: no sheet found, code unreadable, another paper set, unknown version,
  a file that cannot be decoded; the reason is given;
* ``skipped``: left out by a ``page,skip`` correction.

A sheet (a version's pages with one student id) becomes a responses row only when all
its pages are ``read``. Its answer cells hold what the sheet says ("B", "AC", "292",
empty for a blank); questions answered on the question paper are left empty for the
instructor to type before grading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..csvfiles import csv_text
from ..notation import LETTERS
from .batch import PageOutcome
from .corrections import PAGE_FIELD, SKIP, Correction, Corrections
from .layout import ID_FIELD
from .paperset import Paper
from .read import Decision

READ, REVIEW, UNREADABLE, SKIPPED = "read", "needs review", "unreadable", "skipped"
PAGE_COLUMNS = ("page", "status", "reason", "version", "sheet_page", "student_id",
                "to_review")
REVIEW_COLUMNS = ("page", "field", "value", "suggested", "reason", "fills")


@dataclass
class PageResult:
    outcome: PageOutcome
    status: str
    reasons: list[str]
    decisions: dict[str, Decision]
    corrected: set[str] = field(default_factory=set)
    sheet_problems: list[str] = field(default_factory=list)

    @property
    def ref(self) -> str:
        return self.outcome.ref

    @property
    def student_id(self) -> str | None:
        decision = self.decisions.get(ID_FIELD)
        return decision.value if decision and decision.certain else None

    def uncertain(self) -> list[Decision]:
        return [d for d in self.decisions.values() if not d.certain]


@dataclass
class ScanResult:
    pages: list[PageResult]
    rows: list[list[str]]  # responses rows, without the header
    questions: int
    duplicates: dict[str, list[str]]  # student id → page refs
    correction_problems: list[tuple[int, str]]  # (line, rule)

    def count(self, status: str) -> int:
        return sum(1 for page in self.pages if page.status == status)


def apply_corrections(outcome: PageOutcome, corrections: dict[str, Correction], paper: Paper,
                      problems: list[tuple[int, str]]) -> PageResult:
    if PAGE_FIELD in corrections:
        return PageResult(outcome, SKIPPED, [f"skipped by correction (line "
                                             f"{corrections[PAGE_FIELD].line})"], {})
    if outcome.code is None:
        for correction in corrections.values():
            problems.append((correction.line, f"{outcome.ref} is unreadable ({outcome.problem})"
                             "; only \"page,skip\" applies to it"))
        return PageResult(outcome, UNREADABLE, [outcome.problem], {})
    decisions = dict(outcome.decisions)
    corrected = set()
    rows = paper.rows_of(outcome.code.version)
    for name, correction in corrections.items():
        rule = _correction_rule(correction, decisions, rows, outcome, paper)
        if rule:
            problems.append((correction.line, rule))
            continue
        old = decisions[name]
        decisions[name] = Decision(name, correction.value, old.suggested,
                                   f"corrected (line {correction.line})", old.fills)
        corrected.add(name)
    return PageResult(outcome, READ, [], decisions, corrected)


def _correction_rule(correction: Correction, decisions: dict[str, Decision], rows, outcome,
                     paper: Paper) -> str:
    name, value = correction.field, correction.value
    if name not in decisions:
        where = f"version {outcome.code.version} page {outcome.code.page}"
        if name != ID_FIELD and name.isdigit() and int(name) in outcome.on_paper:
            return (f"question {name} is answered on the question paper, not on the "
                    "sheet; type it into responses.csv")
        return f"{outcome.ref} ({where}) has no question {name} on its sheet"
    if name == ID_FIELD:
        if len(value) != paper.settings.id_digits:
            return f"student_id {value} must have {paper.settings.id_digits} digits"
        return ""
    row = rows[int(name)]
    if row.type in ("single", "multiple"):
        allowed = LETTERS[:len(row.option_order)]
        if not set(value) <= set(allowed):
            return f"question {name} has the letters {allowed}; got {value!r}"
        if row.type == "single" and len(value) > 1:
            return f"question {name} takes one letter; got {value!r}"
        if len(set(value)) != len(value):
            return f"question {name}: a letter is repeated in {value!r}"
    elif row.type == "numeric" and value and not value.isdigit():
        return f"question {name} takes a number; got {value!r}"
    return ""


def assemble(outcomes: Iterable[PageOutcome], paper: Paper,
             corrections: Corrections) -> ScanResult:
    problems: list[tuple[int, str]] = []
    seen: set[str] = set()
    pages = []
    for outcome in outcomes:
        seen.add(outcome.ref)
        result = apply_corrections(outcome, corrections.for_page(outcome.ref), paper, problems)
        pages.append(result)
    for ref, fields in corrections.by_page.items():
        if ref not in seen:
            line = min(c.line for c in fields.values())
            problems.append((line, f"no scanned page {ref} (pages are named <file name>#"
                                   "<page number>)"))

    for page in pages:
        if page.status != READ:
            continue
        uncertain = page.uncertain()
        if uncertain:
            page.status = REVIEW
            page.reasons.append(f"{len(uncertain)} uncertain: "
                                + ", ".join(_field_name(d.field) for d in uncertain))

    # Sheets: pages of one version with one student id.
    by_id: dict[str, list[PageResult]] = defaultdict(list)
    for page in pages:
        if page.status in (READ, REVIEW) and page.student_id:
            by_id[page.student_id].append(page)
    duplicates = {}
    for student, found in by_id.items():
        keys = [(p.outcome.code.version, p.outcome.code.page) for p in found]
        versions = {p.outcome.code.version for p in found}
        if len(versions) > 1 or len(set(keys)) != len(keys):
            duplicates[student] = [p.ref for p in found]
            for p in found:
                others = ", ".join(r for r in duplicates[student] if r != p.ref)
                p.sheet_problems.append(f"student id {student} is also on {others}")
            continue
        version = found[0].outcome.code.version
        have = {p.outcome.code.page for p in found}
        missing = sorted(set(range(1, paper.pages[version] + 1)) - have)
        if missing:
            for p in found:
                p.sheet_problems.append(f"page {', '.join(map(str, missing))} of "
                                        f"{paper.pages[version]} of this sheet (version "
                                        f"{version}, id {student}) was not found")
    for page in pages:
        if page.sheet_problems:
            page.status = REVIEW
            page.reasons.extend(page.sheet_problems)

    rows = []
    written: set[str] = set()
    for page in pages:
        student = page.student_id
        if page.status != READ or student in written or student in duplicates:
            continue
        found = by_id[student]
        if any(p.status != READ for p in found):
            continue
        written.add(student)
        version = page.outcome.code.version
        answers = {name: d.value for p in found for name, d in p.decisions.items()
                   if name != ID_FIELD}
        rows.append([student, version] + [answers.get(str(q), "")
                                          for q in range(1, paper.questions + 1)])
    return ScanResult(pages, rows, paper.questions, duplicates, sorted(problems))


def _field_name(name: str) -> str:
    return "student id" if name == ID_FIELD else f"question {name}"


# -- tables ----------------------------------------------------------------------------


def _csv(rows: Iterable[Iterable[str]]) -> bytes:
    return csv_text(rows).encode("utf-8")


def responses_csv(result: ScanResult) -> bytes:
    header = ["student_id", "version"] + [str(q) for q in range(1, result.questions + 1)]
    return _csv([header, *result.rows])


def pages_csv(result: ScanResult) -> bytes:
    rows = [PAGE_COLUMNS]
    for page in result.pages:
        code = page.outcome.code
        rows.append([page.ref, page.status, "; ".join(page.reasons) or "",
                     code.version if code else "",
                     f"{code.page}/{code.pages}" if code else "",
                     page.student_id or "", str(len(review_entries(page)))])
    return _csv(rows)


def review_entries(page: PageResult) -> list[tuple[str, str, str, str, str]]:
    """(field, value, suggested, reason, fills) of everything to decide on a page."""
    entries = []
    if page.status == UNREADABLE:
        entries.append((PAGE_FIELD, "?", "", page.reasons[0] if page.reasons else "", ""))
        return entries
    if page.status == SKIPPED:
        return entries
    for decision in page.uncertain():
        entries.append((decision.field, "?", decision.suggested, decision.reason,
                        fills_text(decision)))
    if page.sheet_problems and page.student_id is not None:
        entries.append((ID_FIELD, "?", page.student_id, "; ".join(page.sheet_problems),
                        ""))
    return entries


def fills_text(decision: Decision) -> str:
    return " ".join(f"{label}={value:.2f}" for label, value in decision.fills)


def review_csv(result: ScanResult) -> bytes:
    rows = [REVIEW_COLUMNS]
    for page in result.pages:
        for entry in review_entries(page):
            rows.append([page.ref, *entry])
    return _csv(rows)


__all__ = ["READ", "REVIEW", "SKIP", "SKIPPED", "UNREADABLE", "PageResult", "ScanResult",
           "assemble", "pages_csv", "responses_csv", "review_csv", "review_entries"]
