"""Simulated classes answering on paper: the sample class in data/sample/ (a key and
the answers of 60 students), the classes of the tests and of the grading benchmarks.

    .venv/bin/python -m quizkit.grading.simulate            # into data/sample/
    .venv/bin/python -m quizkit.grading.simulate -o /tmp/s  # anywhere else

The key is exactly the key.csv of

    quizkit paper --versions 3 --seed 7 --count 20 --pool exam

(the same functions, the same seed), so the walkthrough can print that paper and grade
this class against it. The answers are simulated, not collected: each student has an
ability, each item a difficulty from its bank label, and a student answers right with
the Rasch probability 1 / (1 + exp(-(ability - difficulty))). One item, the last
single-answer question of version A, is simulated as a trap that well-prepared
students fall into (the probability runs the other way), so that the report has a
negatively discriminating item to show. Wrong answers are the
mistakes students make on paper: a plausible wrong option (each item's wrong options
have fixed, unequal appeal), one letter too many or too few, two events swapped, a
number slightly off. Some answers are left blank, some written in lower case or as
"A, C". Three extra rows break the rules on purpose, to show exceptions.csv at work.

Everything comes from ``random.Random`` seeded with fixed strings, so the files are
the same bytes on every machine and Python version. Existing files are never
overwritten: remove them first to regenerate.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from ..catalog import Catalog
from ..errors import display_path
from ..files import write_new_file
from ..model import Item, format_number
from ..notation import LETTERS
from ..paper.key import KeyRow, write_key
from ..paper.versions import make_versions
from ..project import load_catalog
from ..select import Selection, select_items

SAMPLE_DIR = Path("data") / "sample"
PAPER = {"versions": 3, "seed": 7, "count": 20, "pool": "exam"}
STUDENTS = 60
SEED = "quizkit-sample-class"
LABEL_DIFFICULTY = {"easy": -1.5, "medium": 0.0, "hard": 1.0}
ABILITY_MEAN = 0.6
BLANK_RATE = 0.03
WRONG_WORDS = ("security", "dialogue", "terrorism", "negotiation")


def sample_key(catalog: Catalog) -> tuple[list[KeyRow], dict[str, Item]]:
    """The key of the sample paper, built as ``quizkit paper`` builds it."""
    chosen = select_items(catalog, Selection(pool=PAPER["pool"], count=PAPER["count"],
                                             seed=f"quizkit-paper:{PAPER['seed']}"))
    versions = make_versions(chosen, catalog, PAPER["versions"], PAPER["seed"])
    rows = [row for version in versions for row in version.key_rows()]
    return rows, {item.id: item for item in chosen}


class ClassSimulator:
    """Rasch-like answers on paper for a key; every draw comes from one seeded stream."""

    def __init__(self, key: Sequence[KeyRow], items: dict[str, Item], seed: str = SEED,
                 trap: str | None = None):
        self.rng = random.Random(seed)
        self.trap = trap
        self.items = items
        self.by_version: dict[str, list[KeyRow]] = {}
        for row in key:
            self.by_version.setdefault(row.version, []).append(row)
        for rows in self.by_version.values():
            rows.sort(key=lambda row: row.question)
        # Per item, fixed for the whole class: its difficulty and how attractive each
        # wrong option is (so distractor analysis has something to find).
        self.difficulty = {}
        self.appeal = {}
        for item_id in sorted(items):
            item = items[item_id]
            self.difficulty[item_id] = LABEL_DIFFICULTY[item.difficulty] + self.rng.gauss(0, 0.4)
            self.appeal[item_id] = [self.rng.random() ** 2 + 0.05 for _ in item.options]

    def student(self, version: str) -> list[str]:
        """What one student of ``version`` writes, question by question."""
        ability = self.rng.gauss(ABILITY_MEAN, 1)
        answers = []
        for row in self.by_version[version]:
            if self.rng.random() < BLANK_RATE:
                answers.append("")
                continue
            item = self.items[row.item_id]
            logit = ability - self.difficulty[item.id]
            if item.id == self.trap:
                logit = -logit
            p_right = 1 / (1 + math.exp(-logit))
            if self.rng.random() < p_right:
                answers.append(self._styled(row.answer, item))
            else:
                answers.append(self._styled(self._wrong(item, row), item))
        return answers

    def _styled(self, answer: str, item: Item) -> str:
        """Handwriting as typed in: sometimes lower case, sometimes "A, C"."""
        if item.type not in ("single", "multiple") or self.rng.random() > 0.1:
            return answer
        if item.type == "multiple" and len(answer) > 1 and self.rng.random() < 0.5:
            return ", ".join(answer)
        return answer.lower()

    def _wrong(self, item: Item, row: KeyRow) -> str:
        rng = self.rng
        letter_of = {bank: LETTERS[pos] for pos, bank in enumerate(row.option_order)}
        if item.type == "single":
            wrong = [i for i in range(len(item.options)) if not item.options[i].correct]
            pick = rng.choices(wrong, [self.appeal[item.id][i] for i in wrong])[0]
            return letter_of[pick]
        if item.type == "multiple":
            chosen = set(item.correct_indices)
            flip = rng.choices(range(len(item.options)), self.appeal[item.id])[0]
            chosen ^= {flip}
            if not chosen:  # removed the only right option: pick a wrong one instead
                chosen = {i for i in range(len(item.options)) if not item.options[i].correct}
                chosen = {rng.choice(sorted(chosen))}
            return "".join(sorted(letter_of[i] for i in chosen))
        if item.type in ("order", "match"):
            letters = list(row.answer)
            i = rng.randrange(len(letters) - 1)
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
            return "".join(letters)
        if item.type == "numeric" and item.answer is not None:
            value = item.answer.value
            step = max(1.0, abs(value) * 0.1) + item.answer.tolerance
            return format_number(round(value + rng.choice((-1, 1)) * step, 2))
        return rng.choice(WRONG_WORDS)


def class_rows(simulator: ClassSimulator, students: int, prefix: str = "S") -> list[list[str]]:
    """Rows of a responses file, versions dealt A, B, C, A … like papers in a room."""
    versions = sorted(simulator.by_version)
    width = len(str(students))
    rows = []
    for n in range(students):
        version = versions[n % len(versions)]
        rows.append([f"{prefix}{n + 1:0{max(3, width)}d}", version,
                     *simulator.student(version)])
    return rows


def rule_breaking_rows(simulator: ClassSimulator, key: Sequence[KeyRow]) -> list[list[str]]:
    """Three rows that exceptions.csv must catch: an unknown version, an answer that
    is not an option, an empty student id."""
    unknown_version = ["S061", "D", *simulator.student("A")]
    not_an_option = ["S062", "B", *simulator.student("B")]
    four_options = next(row for row in key if row.version == "B" and row.type == "single"
                        and len(row.option_order) == 4)
    not_an_option[1 + four_options.question] = "E"
    no_id = ["", "C", *simulator.student("C")]
    return [unknown_version, not_an_option, no_id]


def sample_class(catalog: Catalog) -> tuple[list[KeyRow], list[list[str]]]:
    """The sample's key rows and response rows (60 students, then 3 broken rows)."""
    key, items = sample_key(catalog)
    trap = [row.item_id for row in key if row.version == "A" and row.type == "single"][-1]
    simulator = ClassSimulator(key, items, trap=trap)
    return key, class_rows(simulator, STUDENTS) + rule_breaking_rows(simulator, key)


def responses_csv(rows: Sequence[Sequence[str]], questions: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "version", *map(str, range(1, questions + 1))])
    writer.writerows(rows)
    return buffer.getvalue()


def write_responses(rows: Sequence[Sequence[str]], questions: int, path: Path) -> Path:
    return write_new_file(path, responses_csv(rows, questions))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, default=SAMPLE_DIR,
                        help="folder for key.csv and responses.csv (default: data/sample)")
    parser.add_argument("--quizzes", type=Path, default=Path("quizzes"),
                        help="folder of the banks (default: quizzes)")
    args = parser.parse_args(argv)
    targets = [args.output / "key.csv", args.output / "responses.csv"]
    existing = [str(p) for p in targets if p.exists()]
    if existing:
        print(f"{', '.join(map(display_path, existing))}: already there; remove first to "
              "regenerate",
              file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    key, rows = sample_class(load_catalog([args.quizzes]))
    write_key(key, targets[0])
    write_responses(rows, PAPER["count"], targets[1])
    for path in targets:
        print(display_path(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
