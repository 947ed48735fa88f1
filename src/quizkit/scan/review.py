"""review.html: every decision a person must take, each beside its picture.

One self-contained file (images inline as base64 PNG, no script or style from
elsewhere; a Content-Security-Policy forbids loading anything). For each page that
needs review or could not be read: the crop of each uncertain bubble group (or of the
page), the reason, the fills, a suggestion, and a box for the answer. "Download
corrections.csv" saves what was typed in the corrections format that a re-run with
``--corrections`` applies. Every text is escaped: a file name or a code read from a
sheet never becomes markup.
"""

from __future__ import annotations

import base64
import html
import json

from .corrections import COLUMNS, PAGE_FIELD
from .layout import ID_FIELD
from .results import REVIEW, UNREADABLE, PageResult, ScanResult, review_entries

_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'")

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:62rem;padding:0 1rem;color:#111}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin:2rem 0 .5rem;border-top:1px solid #bbb;padding-top:1rem}
.summary td,.summary th{padding:.15rem .8rem;text-align:left}
.decision{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:1rem;margin:.8rem 0;align-items:start}
.decision img{border:1px solid #888;min-width:14rem;max-width:28rem;height:auto}
.reason{color:#8a1c00}.fills{font-family:monospace;font-size:.9em;color:#333}
label{font-weight:600}input{font:inherit;width:9rem;padding:.15rem .3rem}
button{font:inherit;padding:.4rem 1rem;margin:1rem 0}
"""

_SCRIPT = """
document.getElementById('download').addEventListener('click', function () {
  var quote = function (s) { return /[",\\n\\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
  var lines = [%s.join(',')];
  document.querySelectorAll('input[data-page]').forEach(function (box) {
    var value = box.value.trim();
    if (value === '?') return;
    lines.push([box.dataset.page, box.dataset.field, value].map(quote).join(','));
  });
  var blob = new Blob([lines.join('\\n') + '\\n'], {type: 'text/csv'});
  var link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'corrections.csv';
  link.click();
});
"""


def _img(data: bytes, alt: str) -> str:
    if not data:
        return "<p>(no picture)</p>"
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(alt)}">'


def _label(field: str) -> str:
    if field == ID_FIELD:
        return "Student id"
    if field == PAGE_FIELD:
        return "Whole page"
    return f"Question {field}"


def _page_section(page: PageResult, index: int) -> str:
    e = html.escape
    code = page.outcome.code
    where = (f"version {code.version}, page {code.page} of {code.pages}" if code else
             "no sheet code read")
    parts = [f'<section id="p{index}"><h2>{e(page.ref)} \u2014 {e(page.status)} '
             f"({e(where)})</h2>"]
    if page.reasons:
        parts.append(f'<p class="reason">{e("; ".join(page.reasons))}</p>')
    for field, value, suggested, reason, fills in review_entries(page):
        if field == PAGE_FIELD:
            picture = _img(page.outcome.thumbnail, f"page {page.ref}")
            hint = 'type "skip" to leave the page out, or scan it again'
        else:
            picture = _img(page.outcome.crops.get(field, b""), f"{_label(field)} on {page.ref}")
            hint = ("the id read from the sheet; correct it if it is wrong"
                    if field == ID_FIELD and not reason.startswith("light") else
                    "letters (B, AC), digits, or empty for blank")
        box_id = f"c{index}-{field}"
        parts.append(
            f'<div class="decision"><div>{picture}</div><div>'
            f"<div><strong>{e(_label(field))}</strong></div>"
            f'<div class="reason">{e(reason)}</div>'
            + (f'<div class="fills">fills: {e(fills)}</div>' if fills else "")
            + (f"<div>suggested: <strong>{e(suggested) or '(blank)'}</strong></div>"
               if field != PAGE_FIELD else "")
            + f'<div><label for="{e(box_id)}">Decision</label> '
            f'<input id="{e(box_id)}" data-page="{e(page.ref)}" data-field="{e(field)}" '
            f'value="{e(value)}" title="{e(hint)}"> <small>{e(hint)}</small></div>'
            "</div></div>")
    parts.append("</section>")
    return "\n".join(parts)


def review_html(result: ScanResult, *, title: str = "Scan review") -> bytes:
    e = html.escape
    todo = [page for page in result.pages if page.status in (REVIEW, UNREADABLE)]
    counts = "".join(f"<tr><th>{e(status)}</th><td>{result.count(status)}</td></tr>"
                     for status in ("read", REVIEW, UNREADABLE, "skipped"))
    body = [f"<h1>{e(title)}</h1>",
            f'<table class="summary"><tr><th>pages</th><td>{len(result.pages)}</td></tr>'
            f"{counts}<tr><th>responses rows</th><td>{len(result.rows)}</td></tr></table>"]
    if todo:
        body.append("<p>Each box below starts as \u201c?\u201d (not decided). Type the "
                    "answer the sheet shows, then download the corrections and run the "
                    "scan again with <code>--corrections corrections.csv</code>.</p>")
        body.append('<button type="button" id="download">Download corrections.csv</button>')
        body.extend(_page_section(page, i) for i, page in enumerate(todo, start=1))
    else:
        body.append("<p>Nothing to review: every page was read.</p>")
    script = (f"<script>{_SCRIPT % json.dumps(list(COLUMNS))}</script>" if todo else "")
    document = (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>"
        + "\n".join(body) + script + "</body></html>\n")
    return document.encode("utf-8")
