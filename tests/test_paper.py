"""`quizkit paper`: seeded versions, their keys, the LaTeX and the XeLaTeX build."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from quizkit.cli import paper as paper_command
from quizkit.errors import QuizkitError
from quizkit.escape import escape_latex
from quizkit.grading.key import read_key, to_model_response
from quizkit.notation import LETTERS
from quizkit.paper import make_versions, output
from quizkit.paper.key import KEY_COLUMNS
from quizkit.paper.latex import render_version
from quizkit.paper.xelatex import (
    DEBIAN_PACKAGES, Toolchain, compile_pdf, find_toolchain, first_error,
)
from quizkit.project import load_catalog
from quizkit.select import Selection, select_items
from support.cli import run_quizkit
from support.disk import fill_disk_after

FIXTURE = Path(__file__).parent / "fixtures" / "paper"
QUIZZES = FIXTURE / "quizzes"
HAVE_XELATEX = shutil.which("xelatex") is not None and shutil.which("pdftotext") is not None
_skip_without_xelatex = pytest.mark.skipif(
    not HAVE_XELATEX, reason="xelatex or pdftotext is not installed (Debian packages: "
                             f"{DEBIAN_PACKAGES} poppler-utils); CI installs them")


def needs_xelatex(test):
    """A real XeLaTeX run: skipped without TeX, and left out of `make unit` (slow)."""
    return pytest.mark.build(_skip_without_xelatex(test))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog([QUIZZES])


@pytest.fixture(scope="module")
def items(catalog):
    return select_items(catalog, Selection(pool="exam"))


def run_paper(*argv: str) -> tuple[int, str, str]:
    return run_quizkit("paper", "--quizzes", str(QUIZZES), *argv)


def questions_in(tex: str) -> dict[int, str]:
    """The body of each ``question`` environment of a version, by number."""
    found = re.findall(r"\\begin\{question\}\{(\d+)\}(.*?)\\end\{question\}", tex, re.S)
    return {int(number): body for number, body in found}



# -- choosing and shuffling --------------------------------------------------------


def test_versions_are_permutations_that_differ(items, catalog):
    versions = make_versions(items, catalog, 3, seed=7)
    assert [v.letter for v in versions] == ["A", "B", "C"]
    for version in versions:
        assert sorted(q.item.id for q in version.questions) == sorted(i.id for i in items)
        assert [q.number for q in version.questions] == list(range(1, len(items) + 1))
        for q in version.questions:
            size = {"single": len(q.item.options), "multiple": len(q.item.options),
                    "order": len(q.item.events), "match": len(q.item.pairs)}.get(q.item.type, 0)
            assert sorted(q.option_order) == list(range(size))
            if q.item.type in ("order", "match"):
                # In bank order the answer would read "ABCD".
                assert list(q.option_order) != sorted(q.option_order)
    arrangements = {tuple((q.item.id, q.option_order) for q in v.questions) for v in versions}
    assert len(arrangements) == 3
    orders = {tuple(q.item.id for q in v.questions) for v in versions}
    assert len(orders) == 3  # the question order itself differs, not only the letters


def test_the_same_seed_gives_the_same_versions(items, catalog):
    assert make_versions(items, catalog, 2, "7") == make_versions(items, catalog, 2, "7")
    assert make_versions(items, catalog, 2, 7) != make_versions(items, catalog, 2, 8)
    with pytest.raises(QuizkitError, match="1 to 26"):
        make_versions(items, catalog, 27, 7)


def test_each_key_scores_its_own_answers_full_marks(items, catalog):
    for version in make_versions(items, catalog, 4, seed=3):
        for question, row in zip(version.questions, version.key_rows()):
            response = to_model_response(question.item, row, row.answer)
            assert question.item.is_correct(response), (version.letter, row)


# -- the command, without compiling ---------------------------------------------------


def test_no_sheets_leaves_the_answer_sheets_out(tmp_path):
    folder = tmp_path / "paper"
    status, out, err = run_paper("--versions", "2", "--seed", "7", "-o", str(folder),
                                 "--tex-only", "--no-sheets")
    assert status == 0, err
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["version-A.tex", "version-B.tex", "key-A.tex", "key-B.tex", "key.csv"])


def test_tex_only_writes_versions_keys_and_key_csv(tmp_path):
    folder = tmp_path / "paper"
    status, out, err = run_paper("--versions", "2", "--seed", "7", "-o", str(folder),
                                 "--tex-only")
    assert status == 0, err
    # The answer sheets come by default: they need no TeX.
    names = ["version-A.tex", "version-B.tex", "key-A.tex", "key-B.tex", "key.csv",
             "sheet-A.pdf", "sheet-B.pdf", "sheets.json"]
    assert [Path(line).name for line in out.splitlines()] == names
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert "2 versions (A, B) of 8 questions, seed 7" in err
    header = (folder / "key.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(KEY_COLUMNS)


def test_the_same_seed_gives_byte_identical_files(tmp_path):
    for name in ("one", "two"):
        status, _, err = run_paper("--versions", "3", "--seed", "42", "--count", "6",
                                   "-o", str(tmp_path / name), "--tex-only")
        assert status == 0, err
    files = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    run_paper("--versions", "3", "--seed", "43", "--count", "6", "-o",
              str(tmp_path / "three"), "--tex-only")
    assert ((tmp_path / "one" / "key.csv").read_bytes()
            != (tmp_path / "three" / "key.csv").read_bytes())


def test_the_written_key_matches_the_printed_paper(tmp_path, catalog):
    """Read key.csv back as the grader does, and check it against the letters in the .tex:
    the option a letter prints is the one the key says, and the key's answer is right."""
    by_id = catalog.items
    status, _, err = run_paper("--versions", "3", "--seed", "5", "-o", str(tmp_path / "p"),
                               "--tex-only")
    assert status == 0, err
    rows = read_key(tmp_path / "p" / "key.csv")
    assert sorted({r.version for r in rows}) == ["A", "B", "C"]
    for version in "ABC":
        questions = questions_in((tmp_path / "p" / f"version-{version}.tex")
                                 .read_text(encoding="utf-8"))
        version_rows = [r for r in rows if r.version == version]
        assert len(version_rows) == len(questions) == 8
        scored = 0
        for row in version_rows:
            item = by_id[row.item_id]
            body = questions[row.question]
            assert escape_latex(item.stem) in body
            shown = {"single": [o.text for o in item.options],
                     "multiple": [o.text for o in item.options],
                     "order": list(item.events),
                     "match": [p.right for p in item.pairs]}.get(item.type, [])
            for position, bank_index in enumerate(row.option_order):
                assert f"\\option{{{LETTERS[position]}}}{{{escape_latex(shown[bank_index])}}}" \
                    in body, (version, row)
            scored += item.is_correct(to_model_response(item, row, row.answer))
        assert scored == len(version_rows)  # 100%


def test_student_versions_carry_no_answers(tmp_path, catalog):
    status, _, err = run_paper("--versions", "2", "--seed", "9", "-o", str(tmp_path / "p"),
                               "--tex-only")
    assert status == 0, err
    items = [item for bank in catalog for item in bank.items if item.pool == "exam"]
    secrets = ["Explanation-", "Feedback-", "Answer-india", "Answer-juliett", "1947",
               "demo-q", "correct: true"]
    for item in items:
        secrets.append(escape_latex(item.explanation))
        secrets += [escape_latex(o.feedback) for o in item.options if o.feedback]
    for version in "AB":
        tex = (tmp_path / "p" / f"version-{version}.tex").read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in tex, (version, secret)
        key = (tmp_path / "p" / f"key-{version}.tex").read_text(encoding="utf-8")
        assert "Explanation-charlie" in key and "demo-q01" in key  # the key does carry them


def test_bank_text_is_escaped_for_latex(items, catalog):
    tex = render_version(make_versions(items, catalog, 1, 1)[0], title="50% & $5 #1")
    assert (r"50\% of “A\&B” costs \$5 – not \#1\_\{x\} \textbackslash{} "
            r"\textasciitilde{}y\textasciicircum{}2?") in tex
    assert r"\fancyhead[L]{\small 50\% \& \$5 \#1}" in tex
    assert "Café ‘quoted’ — Müller’s 3 × 4 ≈ 12 − 0" in tex


def test_cover_instructions_name_only_the_types_on_the_paper(items, catalog):
    singles = [i for i in items if i.type == "single"]
    tex = render_version(make_versions(singles, catalog, 1, 1)[0])
    assert "One answer:" in tex and "This paper has 3 questions" in tex
    assert "All that apply:" not in tex and "Matching:" not in tex


def test_selection_by_bank_tag_pool_and_count(tmp_path):
    status, _, err = run_paper("--tag", "symbols", "--seed", "1", "-o", str(tmp_path / "t"),
                               "--tex-only")
    assert status == 0, err
    ids = [r.item_id for r in read_key(tmp_path / "t" / "key.csv")]
    assert sorted(ids) == ["demo-q02", "demo-q08"]
    status, _, _ = run_paper("--pool", "all", "--seed", "1", "-o", str(tmp_path / "all"),
                             "--tex-only")
    assert "demo-q09" in {r.item_id for r in read_key(tmp_path / "all" / "key.csv")}
    assert "demo-q09" not in ids  # exam is the default pool


@pytest.mark.parametrize("argv, message", [
    (["--bank", "nosuch"], "no bank named 'nosuch'"),
    (["--count", "20"], "quizkit paper: asked for 20 items, but the selection holds only 8"),
    (["--versions", "0"], "the number of versions must be 1 to 26"),
    (["--seed", "-3"], "--seed must be 0 or more"),
])
def test_bad_options_are_one_line_errors(tmp_path, argv, message):
    folder = tmp_path / "p"
    status, out, err = run_paper(*argv, "-o", str(folder), "--tex-only")
    assert status == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert out == "" and not folder.exists()


def test_a_folder_with_files_is_never_written_into(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "paper-exam-seed7").mkdir()
    (tmp_path / "paper-exam-seed7" / "key.csv").write_text("last week's key", encoding="utf-8")
    status, out, err = run_paper("--seed", "7", "--tex-only")
    assert status == 2
    assert err.strip() == ("In paper-exam-seed7: the folder is not empty; choose another -o "
                           "or remove it (nothing was written)")
    assert (tmp_path / "paper-exam-seed7" / "key.csv").read_text(encoding="utf-8") == \
        "last week's key"
    (tmp_path / "empty").mkdir()
    status, out, err = run_paper("--seed", "7", "--tex-only", "-o", "empty")
    assert status == 0, err
    assert out.splitlines()[0] == str(Path("empty") / "version-A.tex")


def test_without_xelatex_the_command_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    status, out, err = run_paper("--seed", "7", "-o", str(tmp_path / "p"))
    assert status == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "xelatex is not installed" in err and DEBIAN_PACKAGES in err and "--tex-only" in err
    assert not (tmp_path / "p").exists()


def test_a_failed_build_stops_with_one_line_and_reports_what_was_built(tmp_path, monkeypatch):
    def fake_compile(tex, toolchain, **kwargs):
        if tex.name == "key-A.tex":
            raise QuizkitError.at(tex, 12, "LaTeX error: Undefined control sequence. "
                                           "(log: key-A.log)")
        return tex.with_suffix(".pdf")

    monkeypatch.setattr(paper_command, "find_toolchain", lambda: Toolchain("xelatex"))
    monkeypatch.setattr(output, "compile_pdf", fake_compile)
    monkeypatch.chdir(tmp_path)
    status, out, err = run_paper("--seed", "7", "-o", "p")
    assert status == 2
    assert err.splitlines() == [  # a progress line, then the one error
        "compiling 2 PDFs with XeLaTeX...",
        "In p/key-A.tex, line 12: LaTeX error: Undefined control sequence. (log: key-A.log)"]
    assert out.splitlines()[-1] == str(Path("p") / "version-A.pdf")


def test_first_error_reads_the_log():
    log = ("(./version-A.tex\n./version-A.tex:57: Undefined control sequence.\n"
           "l.57 \\oops\n")
    assert first_error(log, "version-A.tex") == (57, "LaTeX error: Undefined control sequence.")
    log = "! Emergency stop.\n<*> version-A.tex\n"
    assert first_error(log, "version-A.tex") == (None, "LaTeX error: Emergency stop.")
    log = "/usr/share/texmf/fontspec.sty:12: Package fontspec Error: no font\n"
    assert first_error(log, "version-A.tex") == (
        None, "LaTeX error in fontspec.sty: Package fontspec Error: no font")
    assert first_error("all fine\n", "version-A.tex") is None


# -- a real XeLaTeX build ---------------------------------------------------------------


@needs_xelatex
def test_xelatex_builds_a_small_paper_reproducibly(tmp_path, monkeypatch):
    """One build of a 4-question paper (kept to one test so that it runs once per session,
    whichever worker takes it): every page names the version, the cover has the
    instructions, no character is missing from the font, and the bytes are reproducible."""
    monkeypatch.chdir(tmp_path)
    status, out, err = run_paper("--seed", "5", "--count", "4", "-o", "built",
                                 "--title", "Week 6 – “quiz” 50%")
    assert status == 0, err
    built = tmp_path / "built"
    assert [Path(line).name for line in out.splitlines()] == [
        "version-A.tex", "key-A.tex", "key.csv", "sheet-A.pdf", "sheets.json",
        "version-A.pdf", "key-A.pdf"]
    ids = {r.item_id for r in read_key(built / "key.csv")}
    assert "demo-q02" in ids  # the item full of characters to escape and to find in the font

    text = subprocess.run(["pdftotext", "-layout", str(built / "version-A.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Version A" in page, f"page {number} does not name the version"
        assert f"Page {number} of {len(pages)}" in page
    cover = " ".join(pages[0].split())
    assert "Week 6 – “quiz” 50%" in cover
    assert "This paper has 4 questions on" in cover and "Student ID" in cover
    for rule in ("One answer:", "Short answer:", "Order:", "Matching:"):
        assert rule in cover
    flat = " ".join(text.split())
    assert "50% of “A&B” costs $5 – not #1_{x} \\ ~y^2?" in flat
    assert "Café ‘quoted’ — Müller’s 3 × 4 ≈ 12 − 0" in flat
    assert "Explanation-" not in flat and "Answer-india" not in flat
    key_text = subprocess.run(["pdftotext", str(built / "key-A.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    assert "Answer key, version A" in key_text and "demo-q02" in key_text

    # The same .tex compiled again, elsewhere, with its log kept.
    again = tmp_path / "again"
    again.mkdir()
    shutil.copyfile(built / "version-A.tex", again / "version-A.tex")
    pdf = compile_pdf(again / "version-A.tex", find_toolchain(), keep_log=True)
    log = (again / "version-A.log").read_text(encoding="utf-8")
    assert "Missing character" not in log
    assert pdf.read_bytes() == (built / "version-A.pdf").read_bytes()


@needs_xelatex
def test_a_latex_error_is_one_line_naming_the_file_and_keeping_the_log(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("broken.tex").write_text("\\documentclass{article}\n\\begin{document}\n"
                                  "Hello\n\\oops\n\\end{document}\n", encoding="utf-8")
    with pytest.raises(QuizkitError) as caught:
        compile_pdf(Path("broken.tex"), find_toolchain())
    assert str(caught.value) == ("In broken.tex, line 4: LaTeX error: Undefined control "
                                 "sequence. (log: broken.log)")
    assert "Undefined control sequence" in Path("broken.log").read_text(encoding="utf-8")
    assert not Path("broken.pdf").exists()


@needs_xelatex
def test_a_character_missing_from_the_font_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("emoji.tex").write_text("\\documentclass{article}\n\\usepackage{fontspec}\n"
                                 "\\setmainfont{FreeSerif}[Extension=.otf]\n"
                                 "\\tracinglostchars=2\n\\begin{document}\n"
                                 "Smile \U0001F642\n\\end{document}\n", encoding="utf-8")
    with pytest.raises(QuizkitError, match=r"In emoji.tex: the font .*FreeSerif.* has no "
                                           "\U0001F642 .*PDF would show a blank"):
        compile_pdf(Path("emoji.tex"), find_toolchain())


def test_a_full_disk_leaves_no_half_written_paper(tmp_path, monkeypatch):
    fill_disk_after(monkeypatch, 2)  # two .tex files, then the disk is full
    status, out, err = run_paper("--seed", "7", "--versions", "2", "--tex-only",
                                 "-o", str(tmp_path / "p"))
    assert status == 2
    assert err.strip().endswith("cannot write the file: No space left on device")
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "p").exists()  # the next run will not be refused


def test_a_full_disk_empties_a_folder_it_was_given_empty(tmp_path, monkeypatch):
    (tmp_path / "p").mkdir()
    fill_disk_after(monkeypatch, 1)
    status, _, _ = run_paper("--seed", "7", "--tex-only", "-o", str(tmp_path / "p"))
    assert status == 2 and list((tmp_path / "p").iterdir()) == []
