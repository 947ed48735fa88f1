"""The ``quiz`` and ``quiz-answer-key`` directives.

Both check the edition while the document is read: the student edition never gets an
exam-pool item or an answer key, and asking for one is an error logged at the
directive's line (the build then fails once, at the end).
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..model import Bank
from .answer_key import answer_key_nodes
from .nodes import quiz_node
from .state import build_state, is_instructor_edition, note_quiz_page, report_in_document

POOL_CHOICES = ("self-check", "exam", "all")


def _pool(argument: str) -> str:
    return directives.choice(argument, POOL_CHOICES)


def _names(argument: str) -> list[str]:
    """``a, b c`` → ``["a", "b", "c"]``: commas or spaces both separate."""
    return [name for name in argument.replace(",", " ").split() if name]


class _QuizkitDirective(SphinxDirective):
    def report(self, message: str) -> None:
        report_in_document(self.env, self.lineno, message)

    @property
    def instructor(self) -> bool:
        return is_instructor_edition(self.config)

    def bank(self, name: str) -> Bank | None:
        """The loaded bank ``name`` (and a rebuild dependency on its file), or a report."""
        state = build_state(self.env.app)
        if name in state.banks:
            self.env.note_dependency(str(state.bank_paths[name]))
            return state.banks[name]
        if name in state.unreadable_banks:
            self.report(f"quiz bank {name} could not be loaded; see its errors above")
        else:
            known = ", ".join(sorted(state.banks)) or "none"
            self.report(f"unknown quiz bank {name} (banks in {state.bank_dir.name}/: {known})")
        return None


class QuizDirective(_QuizkitDirective):
    """```{quiz} operation``` with :ids:, :tags:, :count:, :pool: and :title:."""

    required_arguments = 1
    has_content = False
    option_spec = {
        "ids": _names,
        "tags": _names,
        "count": directives.positive_int,
        "pool": _pool,
        "title": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        bank = self.bank(self.arguments[0])
        if bank is None:
            return []
        ids, pool = self.options.get("ids"), self.options.get("pool", "self-check")
        if not self.instructor and pool != "self-check":
            self.report(f"pool {pool} is not allowed in the student edition "
                        "(exam-pool items are never published to students)")
            pool = "self-check"
        known_ids = {item.id for item in bank.items}
        for item_id in ids or ():
            if item_id not in known_ids:
                self.report(f"unknown item id {item_id} in quiz bank {bank.name}")
        items = bank.select(ids=ids, tags=self.options.get("tags"), pool=pool,
                            count=self.options.get("count"))
        if not self.instructor:
            for item in items:
                if item.pool == "exam":
                    self.report(f"exam-pool item {item.id} is not allowed in the "
                                "student edition")
            items = tuple(item for item in items if item.pool != "exam")
        if not items:
            self.report(f"this quiz selects no items from quiz bank {bank.name}")
            return []
        node = quiz_node()
        node["items"] = list(items)
        node["bank"] = bank.name
        node["quiz_title"] = self.options.get("title") or (
            f"Self-check: {bank.title}" if pool == "self-check" else f"Quiz: {bank.title}")
        self.set_source_info(node)
        note_quiz_page(self.env)
        return [node]


class AnswerKeyDirective(_QuizkitDirective):
    """```{quiz-answer-key} [bank ...]```: instructor edition only; no argument means
    every bank, in file-name order. :ids:, :tags: and :count: select items as ``quiz``
    does, so a printed quiz and its key can name the same items."""

    optional_arguments = 20
    has_content = False
    option_spec = {"pool": _pool, "ids": _names, "tags": _names,
                   "count": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        if not self.instructor:
            self.report("quiz-answer-key is only allowed in the instructor edition "
                        "(build with QUIZKIT_EDITION=instructor)")
            return []
        names = self.arguments or sorted(build_state(self.env.app).banks)
        pool = self.options.get("pool", "all")
        keys: list[nodes.Node] = []
        for name in names:
            bank = self.bank(name)
            if bank is None:
                continue
            items = bank.select(ids=self.options.get("ids"), tags=self.options.get("tags"),
                                pool=pool, count=self.options.get("count"))
            if items:
                keys.append(answer_key_nodes(bank, items))
        if not names:
            self.report("quiz-answer-key found no quiz banks")
        return keys
