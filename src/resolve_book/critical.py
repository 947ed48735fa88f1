"""Critical CSS: the rules of a page's stylesheets that style its own elements.

A page's first paint waits for every stylesheet in its ``<head>``; on a slow link each
one costs a round trip and its bytes. ``first_paint.py`` puts this subset inline in the
page instead and loads the stylesheets without blocking. As the tools that do this for
JavaScript sites (beasties, formerly critters), a rule is kept when one of its
selectors, less its pseudo-elements (``::before``), matches an element of the page.
Left to the full stylesheets, which follow a moment later: rules for what only
scripts create (tooltips), for what a reader must first open (the contents of menus
and dialogs; the menus' own rules, which keep them hidden, stay), for pointer and
keyboard states (``:hover``, ``:focus``), and for print.

Two things differ from a plain match. The theme's colours hang on
``html[data-theme="light"|"dark"]`` and its mode switch on ``html[data-mode=…]``,
which a script in the ``<head>`` sets before the first paint, so the page is matched
with each value they can take. And of the theme's several
hundred custom properties (``--pst-color-…``) only those that the kept rules use,
directly or through other properties, are kept.

Selectors are parsed with tinycss2 and matched with soupsieve (Beautiful Soup's
selector engine); a selector that soupsieve cannot read is kept.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections.abc import Iterable
from pathlib import Path

import soupsieve
import tinycss2
from bs4 import BeautifulSoup

# What the page cannot show before a reader acts, or what soupsieve cannot match:
# stripped from a selector before it is matched (the rule is kept whole).
_PSEUDO_ELEMENT = re.compile(
    r"::?(?:before|after|first-letter|first-line|marker|placeholder|selection|backdrop|"
    r"file-selector-button|-webkit-[\w-]+|-moz-[\w-]+|-ms-[\w-]+)(?:\([^()]*\))?", re.I)
_STATE = re.compile(
    r":(?:visited|target|autofill|-webkit-[\w-]+|-moz-[\w-]+)(?![\w-])(?:\([^()]*\))?",
    re.I)
# A reader's pointer or keyboard: nothing to show before the first paint, and the
# full stylesheets bring these rules a moment later.
_INTERACTION = re.compile(r":(?:hover|focus|focus-visible|focus-within|active)(?![\w-])", re.I)
# What the page does not show until a reader opens it: the containers' own rules
# count (a menu must stay hidden), the rules of what they contain do not.
CLOSED = "dialog:not([open]), .dropdown-menu, [hidden], template, noscript"
# Functional pseudo-classes whose arguments do not have to be on the page.
_FUNCTIONAL = re.compile(r":(?:not|is|where|has)\([^()]*(?:\([^()]*\)[^()]*)*\)", re.I)
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ID = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
_TAG = re.compile(r"^([a-zA-Z][\w-]*)")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_NAME = re.compile(r"-?[A-Za-z_][\w-]*")
# Where a script gives an element a class: classList.add("x"), className = "x y",
# class="x" in the HTML it writes, setAttribute("class", "x").
_ADDS_CLASS = re.compile(
    r"""classList\.(?:add|toggle|replace)\(([^)]*)\)"""
    r"""|className\s*\+?=\s*(["'`][^"'`]*["'`])"""
    r"""|\bclass=\\?["']([^"'\\]*)"""
    r"""|setAttribute\(\s*["']class["']\s*,\s*(["'][^"']*["'])""")
_STRING = re.compile(r"""["'`]([^"'`]*)["'`]""")
_WRITTEN_TAG = re.compile(r"""["'`]\s*<([a-zA-Z][\w-]*)""")


def added_classes(script: str) -> set[str]:
    """The class names that ``script`` gives elements and the tags of the elements
    it writes as HTML (as written in its text)."""
    names: set[str] = {tag.lower() for tag in _WRITTEN_TAG.findall(script)}
    for match in _ADDS_CLASS.finditer(script):
        call, assigned, attribute, set_attribute = match.groups()
        if attribute is not None:
            names.update(attribute.split())
            continue
        for literal in _STRING.findall(call or assigned or set_attribute or ""):
            names.update(name for name in literal.split() if _NAME.fullmatch(name))
    return names
# Set by the theme's inline script in <head> before the first paint, so absent from the
# page as written: the page is matched with each value they can take.
ROOT_STATES = {"data-theme": ("light", "dark"), "data-mode": ("auto", "light", "dark")}


class Page:
    """One page's elements, indexed by class, id and tag for quick matching."""

    def __init__(self, html: str, script_names: Iterable[str] = ()) -> None:
        self.script_names = set(script_names)
        self.soup = BeautifulSoup(html, "html.parser")
        for closed in self.soup.select(CLOSED):
            closed.clear()
        self.by_class: dict[str, list] = {}
        self.by_id: dict[str, list] = {}
        self.by_tag: dict[str, list] = {}
        self.elements = list(self.soup.find_all(True))
        for element in self.elements:
            self.by_tag.setdefault(element.name, []).append(element)
            for name in element.get("class") or ():
                self.by_class.setdefault(name, []).append(element)
            if element.get("id"):
                self.by_id.setdefault(element["id"], []).append(element)
        self._matched: dict[str, bool] = {}

    def _candidates(self, compound: str) -> list | None:
        """The elements that a compound selector could match (None: any element)."""
        plain = _FUNCTIONAL.sub("", compound)
        if ids := _ID.findall(plain):
            return self.by_id.get(ids[0], [])
        if classes := _CLASS.findall(plain):
            return min((self.by_class.get(name, []) for name in classes), key=len)
        if tag := _TAG.match(plain):
            return self.by_tag.get(tag.group(1).lower(), [])
        return None

    def matches(self, selector: str) -> bool:
        """True if the selector (pseudo-classes and -elements aside) matches an
        element, with the page in its light or its dark theme; True if unreadable."""
        if selector in self._matched:
            return self._matched[selector]
        if _INTERACTION.search(selector):
            self._matched[selector] = False
            return False
        base = _STATE.sub("", _PSEUDO_ELEMENT.sub("", selector)).strip()
        if not base or base[-1] in ">+~":
            base = (base + " *").strip() if base else "*"
        compounds = _split_compounds(base)
        plain = _FUNCTIONAL.sub("", base)
        added = {name for name in _CLASS.findall(plain) if name not in self.by_class}
        added |= {match.group(1).lower() for compound in compounds
                  if (match := _TAG.match(_FUNCTIONAL.sub("", compound)))
                  and match.group(1).lower() not in self.by_tag}
        if added and added <= self.script_names:
            # A class or an element that the page's scripts add as it loads
            # (sphinx-togglebutton's "toggle-hidden", copybutton's <svg>): kept if the
            # selector's other parts are on the page.
            found = not any(self._candidates(_without(compound, added)) == []
                            for compound in compounds)
        elif any(self._candidates(compound) == [] for compound in compounds):
            found = False  # a class, id or tag that the page does not have
        elif self._candidates(compounds[-1]) is None:
            # "dd > :first-child": what it matches has no class, id or tag to look
            # up, and trying every element is slow: kept, as its other parts are here.
            found = True
        else:
            found = self._match(base, self._candidates(compounds[-1]))
        self._matched[selector] = found
        return found

    def _match(self, base: str, candidates: list) -> bool:
        try:
            compiled = _compile(base)
        except (soupsieve.SelectorSyntaxError, NotImplementedError, ValueError):
            # a selector that soupsieve cannot read is kept
            return True
        html = self.soup.find("html")
        states = [(name, values) for name, values in ROOT_STATES.items() if name in base]
        if html is None or not states:
            return any(compiled.match(element) for element in candidates)
        original = {name: html.get(name) for name, _ in states}
        try:
            for combination in itertools.product(*(values for _, values in states)):
                for (name, _), value in zip(states, combination):
                    html[name] = value
                if any(compiled.match(element) for element in candidates):
                    return True
            return False
        finally:
            for name, value in original.items():
                if value is None:
                    del html[name]
                else:
                    html[name] = value


@functools.lru_cache(maxsize=8192)
def _compile(selector: str):
    return soupsieve.compile(selector)


def _without(compound: str, names: set[str]) -> str:
    """``compound`` less its classes and its tag that are in ``names``."""
    compound = re.sub(r"\.(-?[_a-zA-Z][\w-]*)",
                      lambda m: "" if m.group(1) in names else m.group(0), compound)
    tag = _TAG.match(compound)
    if tag and tag.group(1).lower() in names:
        compound = compound[tag.end():]
    return compound or "*"


def _split_outside_brackets(text: str, separators: str) -> list[str]:
    """``text`` cut at each of ``separators`` that stands outside () and [] (empty
    pieces kept)."""
    pieces, current, depth = [], "", 0
    for character in text:
        if character in "([":
            depth += 1
        elif character in ")]":
            depth -= 1
        if depth == 0 and character in separators:
            pieces.append(current)
            current = ""
        else:
            current += character
    pieces.append(current)
    return pieces


def _split_compounds(selector: str) -> list[str]:
    """``"a > .b c"`` -> ``["a", ".b", "c"]`` (combinators outside brackets)."""
    return [part for part in _split_outside_brackets(selector, " >+~\t\n") if part] or [selector]


def _selectors(prelude: list) -> list[str]:
    """The comma-separated selectors of a rule's prelude."""
    text = tinycss2.serialize(prelude).strip()
    return [part.strip() for part in _split_outside_brackets(text, ",") if part.strip()]


def _kept_rules(rules: Iterable, page: Page) -> list:
    """``[(prelude text or None, declarations or nested list)]`` of what the page uses."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if any(page.matches(selector) for selector in _selectors(rule.prelude)):
                kept.append((tinycss2.serialize(rule.prelude).strip(),
                             tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True,
                                                            skip_comments=True)))
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in (
                "media", "supports", "layer", "container") and not _print_only(rule):
            inner = _kept_rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True,
                                                         skip_comments=True), page)
            if inner:
                kept.append((f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}",
                             inner))
        # @font-face, @keyframes, @page, @import: left to the full stylesheets.
    return kept


def _print_only(rule) -> bool:
    """``@media print``: not for the screen's first paint."""
    return (rule.lower_at_keyword == "media"
            and tinycss2.serialize(rule.prelude).strip().lower() == "print")


def _declarations(kept: list) -> Iterable:
    for _, body in kept:
        if body and isinstance(body[0], tuple):
            yield from _declarations(body)
        else:
            yield from (item for item in body if item.type == "declaration")


def _used_properties(kept: list) -> set[str]:
    """Custom properties that the kept rules use, directly or through other ones."""
    definitions: dict[str, set[str]] = {}
    needed: set[str] = set()
    for declaration in _declarations(kept):
        refs = set(_VAR.findall(tinycss2.serialize(declaration.value)))
        if declaration.name.startswith("--"):
            definitions.setdefault(declaration.name, set()).update(refs)
        else:
            needed |= refs
    todo = list(needed)
    while todo:
        for ref in definitions.get(todo.pop(), ()):
            if ref not in needed:
                needed.add(ref)
                todo.append(ref)
    return needed


def _serialize(kept: list, properties: set[str]) -> str:
    out = []
    for prelude, body in kept:
        if body and isinstance(body[0], tuple):
            inner = _serialize(body, properties)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
            continue
        declarations = [
            f"{item.name}:{tinycss2.serialize(item.value).strip()}"
            + ("!important" if item.important else "")
            for item in body if item.type == "declaration"
            and (not item.name.startswith("--") or item.name in properties)]
        if declarations:
            out.append(f"{prelude}{{{';'.join(declarations)}}}")
    return "".join(out)


@functools.lru_cache(maxsize=64)
def _parsed(path: Path, mtime_ns: int) -> tuple:
    """A stylesheet's rules, ``@import``s of local files taken in where they stand."""
    rules = []
    for rule in tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"),
                                          skip_whitespace=True, skip_comments=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            target = next((token.value for token in rule.prelude
                           if token.type in ("string", "url")), None)
            if target is None:  # @import url("file.css")
                target = next((argument.value for token in rule.prelude
                               if token.type == "function" and token.lower_name == "url"
                               for argument in token.arguments if argument.type == "string"),
                              None)
            imported = (path.parent / target) if target and "://" not in target else None
            if imported is not None and imported.is_file():
                rules.extend(stylesheet_rules(imported))
            continue
        rules.append(rule)
    return tuple(rules)


def stylesheet_rules(path: Path) -> tuple:
    path = Path(path).resolve()
    return _parsed(path, path.stat().st_mtime_ns)


_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _rebase_urls(css: str, sheet: Path, page_folder: Path) -> str:
    """``url(...)`` of a rule taken from ``sheet``, made relative to the page."""

    def rebase(match: re.Match) -> str:
        url = match.group(2)
        if re.match(r"^(?:[a-z][\w+.-]*:|/|#)", url, re.I):
            return match.group(0)
        target = os.path.relpath(sheet.parent / url, page_folder)
        return f'url("{Path(target).as_posix()}")'

    return _URL.sub(rebase, css)


def critical_css(html: str, stylesheets: Iterable[Path], page_folder: Path,
                 scripts: Iterable[str] = ()) -> str:
    """The rules of ``stylesheets`` (in their order) that style the page ``html``,
    which lives in ``page_folder`` (relative URLs in the rules are rebased to it), or
    the page once its ``scripts`` (their texts) have added their classes."""
    page = Page(html, {name for text in scripts for name in added_classes(text)})
    sheets = [Path(path).resolve() for path in stylesheets]
    kept = [_kept_rules(stylesheet_rules(path), page) for path in sheets]
    properties = _used_properties([rule for rules in kept for rule in rules])
    return "".join(_rebase_urls(_serialize(rules, properties), sheet, Path(page_folder).resolve())
                    for rules, sheet in zip(kept, sheets))


__all__ = ["critical_css", "stylesheet_rules", "Page"]
