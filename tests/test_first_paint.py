"""The build steps that make a first visit fast (src/resolve_book: critical.py,
first_paint.py, bundle.py, home.py, images.py), on small sites written here.
The built book in a real browser: tests/test_browser.py; the times:
bench/page_weight.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from resolve_book.bundle import Bundles, stylesheet_text
from resolve_book.critical import added_classes, critical_css
from resolve_book.first_paint import CRITICAL_ID, first_paint_site, merged
from resolve_book.home import home_page, rebase, write_home_page
from resolve_book.images import lazy_images, palette_png

PAGE = """<!DOCTYPE html>
<html lang="en" data-content_root="../" data-theme="auto">
<head>
<meta charset="utf-8" />
<title>A chapter</title>
<link rel="preload" as="script" href="../_static/theme.js" />
<link href="../_static/theme.css" rel="stylesheet" />
<link rel="stylesheet" type="text/css" href="../_static/extra.css?v=1" />
<link rel="stylesheet" href="../_static/print.css" media="print" />
<script src="../_static/documentation_options.js?v=2"></script>
<script src="../_static/doctools.js?v=3"></script>
<script>DOCUMENTATION_OPTIONS.pagename = 'chapters/one';</script>
</head>
<body>
<nav class="menu"><a class="reference internal" href="two.html">Two</a>
<a href="../genindex.html">Index</a> <a href="#part">Part</a>
<a href="https://example.org/x.html">Out</a></nav>
<div class="dropdown-menu"><a class="dropdown-item" href="one.html">Hidden item</a></div>
<main><h1 class="title">One</h1><p class="lead">Text <img src="../_images/chart.png" alt="A chart"></p>
<div class="admonition dropdown">Solution</div></main>
<script defer src="../_static/theme.js"></script>
</body>
</html>
"""

THEME_CSS = """@import url("basic.css");
:root { --unused: red; --accent: var(--base); --base: #123456; }
html[data-theme="dark"] { --text: #eeeeee; --spare: #000; }
html[data-theme="light"] { --text: #111111; }
html[data-mode="auto"] .title { letter-spacing: 1px; }
.title { color: var(--text); border-color: var(--accent); }
.lead::before { content: "*"; }
.missing { color: blue; }
nav.menu > a { color: green; }
nav.menu > p { color: purple; }
.title:hover { color: orange; }
.dropdown-menu { display: none; }
.dropdown-item { color: pink; }
.toggle-hidden { visibility: hidden; }
.admonition.toggle-hidden > * { display: none; }
@media (min-width: 960px) { .lead { font-size: 2rem; } .missing { margin: 0; } }
@media print { .title { color: black; } }
.logo { background: url(../images/logo.png); }
h1 { background: url("data:image/png;base64,AAAA"); }
"""


def write_site(root: Path) -> Path:
    """A built site: one chapter, its stylesheets and scripts."""
    static = root / "_static"
    (static / "images").mkdir(parents=True)
    (root / "chapters").mkdir()
    (root / "_images").mkdir()
    (static / "theme.css").write_text(THEME_CSS, encoding="utf-8")
    (static / "basic.css").write_text("p { margin: 0 } .logo2 { background: url(x.png) }",
                                      encoding="utf-8")
    (static / "extra.css").write_text(".lead { color: gray }", encoding="utf-8")
    (static / "print.css").write_text(".lead { color: black }", encoding="utf-8")
    (static / "documentation_options.js").write_text(
        "const DOCUMENTATION_OPTIONS = {VERSION: ''};", encoding="utf-8")
    (static / "doctools.js").write_text(
        '"use strict"; if (typeof Search === "undefined") { window.noSearch = true; }\n'
        "document.querySelectorAll('.dropdown').forEach(e => e.classList.add('toggle-hidden'));",
        encoding="utf-8")
    (static / "theme.js").write_text("const Search = {};\n//# sourceMappingURL=theme.js.map",
                                     encoding="utf-8")
    (root / "chapters" / "one.html").write_text(PAGE, encoding="utf-8")
    from PIL import Image

    Image.new("RGBA", (40, 20), (10, 200, 30, 255)).save(root / "_images" / "chart.png")
    return root


# -- critical.py ------------------------------------------------------------------------


@pytest.fixture()
def site(tmp_path) -> Path:
    return write_site(tmp_path / "html")


def _critical(site: Path, scripts=()) -> str:
    static = site / "_static"
    return critical_css(PAGE, [static / "theme.css", static / "extra.css"],
                        site / "chapters", scripts)


def test_critical_css_keeps_the_rules_the_page_uses_and_no_others(site):
    css = _critical(site)
    for kept in (".title{", ".lead::before", "nav.menu > a", ".dropdown-menu{",
                 "@media (min-width: 960px){.lead{", ".lead{color:gray}", "p{margin:0}",
                 'html[data-mode="auto"] .title'):
        assert kept.replace(" ", "") in css.replace(" ", ""), kept
    for left_out in (".missing", "nav.menu > p", ":hover", "@media print", ".dropdown-item",
                     ".toggle-hidden", ".logo{", ".logo2"):
        assert left_out not in css, left_out


def test_critical_css_keeps_both_colour_modes_and_only_the_custom_properties_used(site):
    css = _critical(site)
    assert "--text:#eeeeee" in css.replace(" ", "") and "--text:#111111" in css.replace(" ", "")
    # --accent is used, and through it --base; --unused and --spare are used by no rule.
    assert "--accent:" in css and "--base:" in css
    assert "--unused" not in css and "--spare" not in css


def test_critical_css_keeps_what_the_page_scripts_add(site):
    script = (site / "_static" / "doctools.js").read_text(encoding="utf-8")
    assert "toggle-hidden" in added_classes(script)
    css = _critical(site, [script])
    assert ".toggle-hidden{" in css.replace(" ", "")
    assert ".admonition.toggle-hidden > *" in css or ".admonition.toggle-hidden>*" in css


def test_added_classes_reads_the_ways_scripts_set_classes():
    script = ("e.classList.add('a-one', \"b-two\"); e.className = 'c d'; "
              "x.innerHTML = `<svg class=\"e-five\">`; y.setAttribute('class', 'f');"
              " const notAClass = 'g';")
    assert added_classes(script) == {"a-one", "b-two", "c", "d", "e-five", "f", "svg"}


def test_critical_css_rebases_relative_urls_to_the_page(tmp_path):
    static = tmp_path / "_static" / "styles"
    static.mkdir(parents=True)
    (static / "a.css").write_text(".x { background: url(../img/a.png) } "
                                  ".y { background: url('data:image/png;base64,AA') }",
                                  encoding="utf-8")
    css = critical_css('<p class="x y">t</p>', [static / "a.css"], tmp_path / "chapters")
    assert 'url("../_static/img/a.png")' in css
    assert "data:image/png;base64,AA" in css


# -- first_paint.py and bundle.py -------------------------------------------------------


def test_first_paint_rewrites_the_head(site):
    assert first_paint_site(site) == 1
    html = (site / "chapters" / "one.html").read_text(encoding="utf-8")
    head = html.split("</head>")[0]
    manifest = json.loads((site / "_static" / "bundles" / "manifest.json").read_text("utf-8"))
    css_bundle = next(name for name in manifest if name.endswith(".css"))
    js_bundle = next(name for name in manifest if name.endswith(".js"))
    # The critical CSS inline, before the one stylesheet bundle, which does not block.
    assert head.index(f'<style id="{CRITICAL_ID}">') < head.index(css_bundle)
    link = re.search(rf'<link rel="stylesheet" href="\.\./_static/bundles/{css_bundle}\?v=\w+"'
                     rf'([^>]*)/>', head)
    assert link and 'media="print"' in link.group(1) and "this.media='all'" in link.group(1)
    assert re.search(rf'<noscript><link rel="stylesheet" href="\.\./_static/bundles/'
                     rf'{css_bundle}\?v=\w+" /></noscript>', head)
    assert 'href="../_static/theme.css"' not in html and "extra.css" not in html
    # A stylesheet for print only is left alone.
    assert '<link rel="stylesheet" href="../_static/print.css" media="print" />' in head
    # documentation_options.js inline, before the inline script that extends it.
    assert head.index("const DOCUMENTATION_OPTIONS") < head.index("DOCUMENTATION_OPTIONS.pagename")
    # One deferred script bundle; the files it holds are linked and preloaded no more.
    assert re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html) == [
        f"../_static/bundles/{js_bundle}?v=" + re.search(
            rf"{js_bundle}\?v=(\w+)", html).group(1)]
    assert re.search(rf'<script defer src="[^"]*{js_bundle}', head)
    assert 'rel="preload"' not in html
    assert manifest[js_bundle] == ["_static/doctools.js", "_static/theme.js"]
    assert manifest[css_bundle] == ["_static/theme.css", "_static/extra.css"]


def test_first_paint_leaves_a_rewritten_page_as_it_is(site):
    first_paint_site(site)
    page = site / "chapters" / "one.html"
    once = page.read_text(encoding="utf-8")
    assert first_paint_site(site) == 0
    assert page.read_text(encoding="utf-8") == once
    # The bundles are written again from the current files.
    (site / "_static" / "extra.css").write_text(".lead { color: teal }", encoding="utf-8")
    first_paint_site(site)
    bundle = next((site / "_static" / "bundles").glob("css-*.css"))
    assert "teal" in bundle.read_text(encoding="utf-8")


def test_the_stylesheet_bundle_takes_in_imports_and_rebases_urls(site):
    text = stylesheet_text(site / "_static" / "theme.css", site / "_static" / "bundles")
    assert "@import" not in text and "p { margin: 0 }" in text
    assert 'url("../x.png")' in text and 'url("../../images/logo.png")' in text


def test_the_script_bundle_runs_each_script_as_a_script_of_its_own(site):
    bundles = Bundles(site)
    path = bundles.add("js", [site / "_static" / "doctools.js", site / "_static" / "theme.js"])
    bundles.write()
    text = (site / path.split("?")[0]).read_text(encoding="utf-8")
    # Each file is a string run as its own <script>: a "typeof Search" in the first does
    # not meet the second's "const Search" before it is declared; no source map comment.
    assert json.dumps((site / "_static" / "doctools.js").read_text(encoding="utf-8")) in text
    assert '"const Search = {};"' in text and "sourceMappingURL" not in text
    assert 'createElement("script")' in text


def test_merged_keeps_every_list_in_its_order():
    a, b, c, d, e = map(Path, "abcde")
    assert merged([[a, c, e], [a, b, c], [d, e]]) == [a, b, c, d, e]
    assert merged([]) == []


# -- home.py ----------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "expected"), [
    ("two.html", "chapters/two.html"),
    ("../genindex.html", "genindex.html"),
    ("../_static/a.css?v=1", "_static/a.css?v=1"),
    ("two.html#part", "chapters/two.html#part"),
    ("../", "./"),
    ("#part", "#part"),
    ("https://example.org/x.html", "https://example.org/x.html"),
    ("mailto:a@b.org", "mailto:a@b.org"),
    ("/top.html", "/top.html"),
    ("", ""),
])
def test_rebase_makes_a_chapter_address_relative_to_the_top(url, expected):
    assert rebase(url, "chapters") == expected


def test_the_home_page_is_the_root_document_with_rebased_addresses(tmp_path):
    html = home_page("chapters/one.html", PAGE)
    assert 'data-content_root="./"' in html
    assert 'href="chapters/two.html"' in html and 'href="genindex.html"' in html
    assert 'src="_images/chart.png"' in html and 'href="_static/theme.css"' in html
    assert 'href="#part"' in html and 'href="https://example.org/x.html"' in html
    assert '<link rel="canonical" href="chapters/one.html" />' in html
    assert "Refresh" not in html
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "one.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "index.html").write_text('<meta http-equiv="Refresh" content="0; '
                                         'url=chapters/one.html" />\n', encoding="utf-8")
    assert write_home_page(tmp_path, "chapters/one")
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == html
    assert not write_home_page(tmp_path, "index")
    assert not write_home_page(tmp_path, "chapters/missing")


# -- images.py --------------------------------------------------------------------------


def test_images_are_lazy_and_sized(site):
    page = site / "chapters" / "one.html"
    html = lazy_images(PAGE, page)
    tag = re.search(r"<img[^>]*>", html).group(0)
    assert 'loading="lazy"' in tag and 'decoding="async"' in tag
    assert 'width="40" height="20"' in tag
    assert lazy_images(html, page) == html


def test_figures_become_palette_pngs_only_when_that_pays(tmp_path):
    from PIL import Image

    # A chart-like image: 32-bit RGBA, opaque, some 200 colours in a busy pattern.
    flat = tmp_path / "flat.png"
    image = Image.new("RGBA", (400, 300), (255, 255, 255, 255))
    for x in range(400):
        for y in range(300):
            if (x * 7 + y * 13) % 5:
                image.putpixel((x, y), ((x * y) % 200, 30, 90, 255))
    image.save(flat)
    before, after = palette_png(flat)
    assert after < before * 0.8
    with Image.open(flat) as saved:
        assert saved.mode == "P"
        assert saved.convert("RGB").getpixel((5, 7)) == image.convert("RGB").getpixel((5, 7))
    assert palette_png(flat) == (after, after)
    transparent = tmp_path / "transparent.png"
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(transparent)
    size = transparent.stat().st_size
    assert palette_png(transparent) == (size, size)
