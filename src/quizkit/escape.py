"""Escaping bank text for LaTeX (HTML escaping is ``html.escape`` from the standard
library). Bank text is plain text: a ``%`` or a ``\\`` in a stem is printed, not obeyed."""

from __future__ import annotations

_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # Straight quotes would print as curly ones, and '' or `` would form ligatures.
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
    # After \item a leading [ would open an optional argument.
    "[": "{[}",
    "]": "{]}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_TABLE = str.maketrans(_LATEX)


def escape_latex(text: str) -> str:
    """``50% of "A&B"`` → ``50\\% of \\textquotedbl{}A\\&B\\textquotedbl{}``."""
    return text.translate(_LATEX_TABLE)
