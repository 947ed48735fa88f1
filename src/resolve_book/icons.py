"""Icons without the icon font: each page draws the Font Awesome icons it uses from
their SVG paths, in a small ``<style>`` of its own.

The theme draws its toolbar icons (about fifteen) with the Font Awesome solid and
brands fonts: 150 kB or more on a first visit, 40 % of a chapter's bytes on a slow
link. After the build, every page gets one CSS mask per icon it uses, made from
the SVG path in the theme's own copy of Font Awesome Free (CC BY 4.0), and the icon
elements stop using the font, so the browser never downloads it. Used by
``resolve_book.slim`` (build-finished); ``tests/test_browser.py`` checks that no
font file is loaded and that every icon is drawn.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

# The classes that pick a Font Awesome style, and the pack each one draws from.
STYLES = {"fa": "fas", "fas": "fas", "fa-solid": "fas", "far": "far", "fa-regular": "far",
          "fab": "fab", "fa-brands": "fab"}
_PACK_END = re.compile(r'\(function\(\)\{\w+\("(fa[bsr])",(\w+)\)')
_ICON = re.compile(r'(?:[{,])"?([a-z0-9-]+)"?:\[(\d+),(\d+),\[[^\]]*\],"([0-9a-f]+)","([^"]+)"\]')
_CLASS = re.compile(r'\bclass="([^"]*)"')
_STYLE_BLOCK = re.compile(r'\n?<style id="resolve-icons">.*?</style>', re.S)
STYLE_ID = "resolve-icons"


def _fontawesome_script() -> Path | None:
    try:
        import pydata_sphinx_theme
    except ImportError:
        return None
    path = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
            / "static" / "scripts" / "fontawesome.js")
    return path if path.exists() else None


@functools.lru_cache(maxsize=1)
def icon_paths() -> dict[str, dict[str, tuple[int, int, str]]]:
    """``{pack: {name: (width, height, svg path)}}`` for the packs fas, far and fab."""
    return {pack: {name: (w, h, path) for name, (w, h, _, path) in icons.items()}
            for pack, icons in _icon_data().items()}


@functools.lru_cache(maxsize=1)
def _icon_data() -> dict[str, dict[str, tuple[int, int, str, str]]]:
    """``{pack: {name: (width, height, code point in hex, svg path)}}``."""
    script = _fontawesome_script()
    if script is None:
        return {}
    text = script.read_text(encoding="utf-8")
    packs: dict[str, dict[str, tuple[int, int, str]]] = {}
    for end in _PACK_END.finditer(text):
        pack, variable = end.group(1), end.group(2)
        start = text.rfind(f"var {variable}={{", 0, end.start())
        if start < 0:
            continue
        packs[pack] = {m.group(1): (int(m.group(2)), int(m.group(3)), m.group(4), m.group(5))
                       for m in _ICON.finditer(text, start, end.start())}
    return packs


# Stylesheets draw some icons themselves (an admonition's title, an external link):
# a rule whose content is a Font Awesome code point, directly or through a variable.
_RULE = re.compile(r"([^{}@;]+)\{([^{}]*)\}")
# A code point written as an escape ("\\f05a") or as the character itself.
_CODE = r'"(?:\\([ef][0-9a-f]{3})|([\ue000-\uf8ff]))"'
_VARIABLE = re.compile(r"(--[\w-]+):\s*" + _CODE)
_ALIAS = re.compile(r"(--[\w-]+):\s*var\((--[\w-]+)\)")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CONTENT = re.compile(r"content:\s*(?:var\((--[\w-]+)\)|" + _CODE + ")")


def _hex(escaped: str, character: str) -> str:
    return escaped or f"{ord(character):x}"


def css_drawn_icons(stylesheets: list[str]) -> list[tuple[str, str, str]]:
    """``(selector, pack, name)`` for each rule of ``stylesheets`` that draws a Font
    Awesome icon as its content."""
    by_code = {}
    for pack in ("fab", "far", "fas"):  # solid wins where a code is in several packs
        by_code.update({code: (pack, name)
                        for name, (_, _, code, _) in _icon_data().get(pack, {}).items()})
    stylesheets = [_COMMENT.sub("", css) for css in stylesheets]
    variables = {name: _hex(*code) for css in stylesheets for name, *code in _VARIABLE.findall(css)}
    aliases = dict(alias for css in stylesheets for alias in _ALIAS.findall(css))
    for _ in range(5):  # a variable may name another: --admonition-note: var(--info-circle)
        variables.update({name: variables[target] for name, target in aliases.items()
                          if target in variables})
    found = []
    for css in stylesheets:
        for selectors, body in _RULE.findall(css):
            match = _CONTENT.search(body)
            if not match:
                continue
            code = (variables.get(match.group(1)) if match.group(1)
                    else _hex(match.group(2), match.group(3)))
            if code in by_code:
                # Font Awesome's own ".fa-NAME:before" rules: see icon_css.
                found += [(selector.strip(), *by_code[code]) for selector in selectors.split(",")
                          if not selector.strip().startswith(".fa-")]
    return found


def icons_in(page: str) -> set[tuple[str, str]]:
    """The (pack, name) pairs of the icon elements in an HTML page."""
    packs = icon_paths()
    found = set()
    for classes in _CLASS.findall(page):
        tokens = classes.split()
        styles = {STYLES[t] for t in tokens if t in STYLES}
        for style in styles:
            for token in tokens:
                name = token[3:] if token.startswith("fa-") else ""
                if name and name in packs.get(style, {}):
                    found.add((style, name))
    return found


def _selectors(pack: str, name: str, suffix: str = "") -> str:
    return ",".join(f".{cls}.fa-{name}{suffix}" for cls, p in STYLES.items() if p == pack)


def _mask(pack: str, name: str) -> str | None:
    width, height, path = icon_paths()[pack][name]
    if not re.fullmatch(r"[0-9A-Za-z .,-]+", path):
        return None  # only plain path data goes into a data: URI unescaped
    svg = (f"%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'%3E"
           f"%3Cpath d='{path}'/%3E%3C/svg%3E")
    return f'--rb-icon:url("data:image/svg+xml,{svg}");width:{width / height:.3f}em'


_DRAW = ("content:\"\"!important;display:inline-block;height:1em;vertical-align:-0.125em;"
         "background-color:currentColor;-webkit-mask:var(--rb-icon) no-repeat center/contain;"
         "mask:var(--rb-icon) no-repeat center/contain")


def drawn_css(page: str, drawn: list[tuple[str, str, str]]) -> str:
    """CSS for the stylesheet-drawn icons whose selectors may match in ``page``
    (every class the selector names occurs in the page)."""
    classes = {token for value in _CLASS.findall(page) for token in value.split()}
    rules = []
    for selector, pack, name in drawn:
        if not set(re.findall(r"\.([\w-]+)", selector)) <= classes:
            continue
        mask = _mask(pack, name)
        if mask:
            rules.append(f"{selector}{{font-family:inherit!important;{_DRAW};{mask}}}")
    return "\n".join(rules)


def icon_css(icons: set[tuple[str, str]]) -> str:
    """CSS drawing ``icons`` as masks filled with the text colour."""
    if not icons:
        return ""
    elements = ",".join(_selectors(pack, name) for pack, name in sorted(icons))
    before = ",".join(_selectors(pack, name, "::before") for pack, name in sorted(icons))
    rules = [f"{elements}{{font-family:inherit!important}}",
             f"{before}{{{_DRAW}}}"]
    for pack, name in sorted(icons):
        mask = _mask(pack, name)
        if mask:
            rules.append(f"{_selectors(pack, name, '::before')}{{{mask}}}")
    return "\n".join(rules)


def inline_icons(page: str, drawn: list[tuple[str, str, str]] = ()) -> str:
    """``page`` with a ``<style>`` drawing its icons at the end of its head (any
    earlier one replaced); unchanged if it uses no icon. ``drawn``: see
    ``css_drawn_icons``."""
    page = _STYLE_BLOCK.sub("", page)
    css = "\n".join(filter(None, [icon_css(icons_in(page)), drawn_css(page, list(drawn))]))
    if not css or "</head>" not in page:
        return page
    return page.replace("</head>", f'<style id="{STYLE_ID}">\n{css}\n</style>\n</head>', 1)


def inline_icons_in_site(outdir: Path) -> None:
    """Every page of a built site (the theme's HTML fragments in ``_static`` too)."""
    static = Path(outdir) / "_static"
    # Not the bundles of first_paint.py: they hold the same rules again.
    stylesheets = [path.read_text(encoding="utf-8", errors="replace")
                   for path in sorted(static.rglob("*.css"))
                   if "bundles" not in path.relative_to(static).parts]
    drawn = list(dict.fromkeys(css_drawn_icons(stylesheets)))
    for path in Path(outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        new = inline_icons(text, drawn)
        if new != text:
            path.write_text(new, encoding="utf-8")
