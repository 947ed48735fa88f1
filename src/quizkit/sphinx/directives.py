"""The ``quiz`` and ``quiz-answer-key`` directives.

Both check the edition while the document is read: the student edition never gets an
exam-pool item or an answer key, and asking for one is an error logged at the
directive's line (the build then fails once, at the end).
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..errors import QuizkitError
from ..model import Bank, Item
from ..select import POOL_CHOICES, Selection, select_items
from .answer_key import answer_key_sections, chapter_of, compact_key_table, in_book_order, toc_docnames
from .nodes import quiz_node
from .state import build_state, is_instructor_edition, report_in_document


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
        if state.catalog.has_bank(name):
            self.env.note_dependency(str(state.bank_paths[name]))
            return state.catalog.bank(name)
        if name in state.unreadable_banks:
            self.report(f"quiz bank {name} could not be loaded; see its errors above")
        else:
            known = ", ".join(sorted(state.catalog.names)) or "none"
            self.report(f"unknown quiz bank {name} (banks in {state.bank_dir.name}/: {known})")
        return None

    def select(self, bank: Bank, pool: str) -> list[Item]:
        """The items of ``bank`` the directive's options ask for, or a report per problem."""
        ids = self.options.get("ids") or ()
        selection = Selection(banks=(bank.name,), pool=pool, tags=tuple(self.options.get("tags") or ()),
                              ids=tuple(ids), count=self.options.get("count"))
        try:
            return select_items(build_state(self.env.app).catalog, selection)
        except QuizkitError as exc:
            for problem in exc.problems:
                self.report(f"{problem.rule} in quiz bank {bank.name}")
            return []


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
        pool = self.options.get("pool", "self-check")
        if not self.instructor and pool != "self-check":
            self.report(f"pool {pool} is not allowed in the student edition "
                        "(exam-pool items are never published to students)")
            pool = "self-check"
        # Items named by id are taken whatever their pool, unless :pool: says otherwise.
        chosen_pool = "all" if self.options.get("ids") and "pool" not in self.options else pool
        items = self.select(bank, chosen_pool)
        if not self.instructor:
            for item in items:
                if item.pool == "exam":
                    self.report(f"exam-pool item {item.id} is not allowed in the "
                                "student edition")
            items = [item for item in items if item.pool != "exam"]
        if not items:
            self.report(f"this quiz selects no items from quiz bank {bank.name}")
            return []
        node = quiz_node()
        node["items"] = list(items)
        node["quiz_title"] = self.options.get("title") or (
            f"Self-check: {bank.title}" if pool == "self-check" else f"Quiz: {bank.title}")
        self.set_source_info(node)
        return [node]


class AnswerKeyDirective(_QuizkitDirective):
    """```{quiz-answer-key} [bank ...]```: instructor edition only. No argument means
    every bank, in the book's chapter order (see ``answer_key``); each bank is a section
    with a section per pool. :ids:, :tags: and :count: select items as ``quiz`` does, so
    that a printed quiz and its key can name the same items; :compact: makes the key
    one table row per item, numbered like that quiz."""

    optional_arguments = 20
    has_content = False
    option_spec = {"pool": _pool, "ids": _names, "tags": _names,
                   "count": directives.positive_int, "compact": directives.flag}

    def run(self) -> list[nodes.Node]:
        if not self.instructor:
            self.report("quiz-answer-key is only allowed in the instructor edition "
                        "(build with QUIZKIT_EDITION=instructor)")
            return []
        docnames = toc_docnames(self.config)
        names = self.arguments or in_book_order(build_state(self.env.app).catalog.names,
                                                docnames)
        pool = self.options.get("pool", "all")
        keys: list[nodes.Node] = []
        for name in names:
            bank = self.bank(name)
            if bank is None:
                continue
            items = self.select(bank, pool)
            if not items:
                continue
            if "compact" in self.options:
                keys.append(compact_key_table(items))
            else:
                keys.append(answer_key_sections(self.state.document, bank, items,
                                                chapter=chapter_of(name, docnames),
                                                current=self.env.docname))
        if not names:
            self.report("quiz-answer-key found no quiz banks")
        return keys
