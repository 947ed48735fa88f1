"""Sphinx extension ``quizkit.sphinx``: self-check quizzes and answer keys in the book.

In ``_config.yml`` (Jupyter Book): ``sphinx: extra_extensions: [quizkit.sphinx]``.

Configuration values:

``quizkit_bank_dir``
    Folder of the banks, relative to the source folder (default ``"quizzes"``).
``quizkit_edition``
    ``"student"`` (default) or ``"instructor"``; the environment variable
    ``QUIZKIT_EDITION`` overrides it.
``quizkit_seeds_dir``
    Folder of the seed texts for the verbatim-quote check (default:
    ``$QUIZKIT_SEEDS``, else ``../shared/seeds`` beside the source folder if present).
``quizkit_instructor_pages``
    Patterns of pages built only in the instructor edition
    (default ``["chapters/instructors/**"]``).
``quizkit_course``, ``quizkit_paper_title``
    The course's name and the title of its printed quizzes: not used by the build,
    but kept with the book's settings, where ``quizkit export`` and ``quizkit paper``
    read them as their defaults for ``--course`` and ``--title``.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .. import __version__
from . import assets, edition, state
from .blueprint import BlueprintDirective
from .directives import AnswerKeyDirective, QuizDirective
from .fallback import QuizFallback
from .nodes import depart_quiz, quiz_node, visit_quiz_html, visit_quiz_latex


def setup(app: Sphinx) -> dict:
    app.add_config_value("quizkit_bank_dir", "quizzes", "env", [str])
    app.add_config_value("quizkit_edition", "student", "env", [str])
    app.add_config_value("quizkit_seeds_dir", "", "env", [str])
    app.add_config_value("quizkit_instructor_pages", ["chapters/instructors/**"], "env",
                         [list, tuple])
    app.add_config_value("quizkit_course", "", "", [str])
    app.add_config_value("quizkit_paper_title", "", "", [str])

    app.add_node(quiz_node, html=(visit_quiz_html, depart_quiz),
                 latex=(visit_quiz_latex, depart_quiz))
    app.add_directive("quiz", QuizDirective)
    app.add_directive("quiz-answer-key", AnswerKeyDirective)
    app.add_directive("quiz-blueprint", BlueprintDirective)
    app.add_post_transform(QuizFallback)

    app.connect("config-inited", edition.choose_edition)
    # After sphinx-external-toc (priority 900) has read _toc.yml into the config.
    app.connect("config-inited", edition.prune_external_toc, priority=950)
    app.connect("builder-inited", state.load_banks_for_build)
    app.connect("builder-inited", assets.copy_assets)
    app.connect("env-before-read-docs", state.init_env)
    app.connect("env-purge-doc", state.purge_doc)
    app.connect("env-merge-info", state.merge_info)
    app.connect("html-page-context", assets.link_assets)
    app.connect("build-finished", state.fail_if_problems)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
