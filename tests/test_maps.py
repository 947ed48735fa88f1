"""Chapter 1's locator map: its data, its drawing and its page.

The map must show every place the chapter names, each where it really is; it must be
drawn only from the committed files in data/geo/ (no network, no other data file); it
must stay small enough for a slow phone connection; and its provenance must be written
down next to the data.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from quizkit.errors import QuizkitError
from resolve_book import maps

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "data" / "geo"
SCRIPT = ROOT / "scripts" / "make_locator_map_data.py"
CHAPTER = ROOT / "chapters" / "01_background.ipynb"
PAGE = ROOT / "_build" / "html" / "chapters" / "01_background.html"
FIGURE_ID = "background-fig-locator"
MAX_BYTES = 35 * 1024  # students on slow mobile connections

# Every label the chapter needs on the map (issue 19: KP, former FATA, Balochistan,
# Swat, Dasu/Besham, Khost/Paktika; towns for orientation).
REQUIRED_LABELS = ("Khyber Pakhtunkhwa", "former FATA", "merged into KP in 2018",
                   "Balochistan", "Swat", "Dasu", "Besham", "Khost", "Paktika",
                   "Islamabad", "Peshawar", "Quetta")
# Each place and the area it must fall in: catches swapped or mistyped coordinates.
PLACE_IN_AREA = {
    "Mingora": ("kp", None), "Dasu": ("kp", None), "Besham": ("kp", None),
    "Peshawar": ("kp", None), "Quetta": ("balochistan", None),
    "Islamabad": ("pakistan", "F.C.T."), "Kabul": ("afghanistan", "Kabul"),
}


@pytest.fixture(scope="module")
def features():
    return maps.load_locator_data()


@pytest.fixture(scope="module")
def figure(features):
    return maps.draw_locator_map(features)


def one_line(text: str) -> str:
    return " ".join(text.split())


def area(features, role, name=None):
    (found,) = [f for f in features if f["properties"]["role"] == role
                and (name is None or f["properties"]["ne_name"] == name)]
    return maps.area_path(found["geometry"])


def place(features, name):
    (found,) = [f for f in features if f["properties"]["name"] == name
                and f["properties"]["role"] in ("town", "site")]
    return tuple(found["geometry"]["coordinates"])


def test_the_map_draws_every_required_label(figure):
    (ax,) = figure.axes
    drawn = " | ".join(one_line(t.get_text()) for t in ax.texts)
    missing = [label for label in REQUIRED_LABELS if label not in drawn]
    assert not missing, f"labels missing from the map: {missing} (drawn: {drawn})"


def test_place_labels_point_at_their_coordinates(features, figure):
    (ax,) = figure.axes
    annotations = {one_line(t.get_text()): t.xy for t in ax.texts if hasattr(t, "xy")}
    for name, label in (("Mingora", "Swat"), ("Dasu", "Dasu"), ("Besham", "Besham"),
                        ("Islamabad", "Islamabad"), ("Peshawar", "Peshawar"),
                        ("Quetta", "Quetta")):
        assert annotations[label] == pytest.approx(place(features, name)), label


@pytest.mark.parametrize("name", sorted(PLACE_IN_AREA))
def test_each_place_lies_in_its_own_area(features, name):
    role, ne_name = PLACE_IN_AREA[name]
    assert area(features, role, ne_name).contains_point(place(features, name)), (
        f"{name} {place(features, name)} is not inside {ne_name or role}")


@pytest.mark.parametrize("role", sorted(maps.AREA_LABELS))
def test_each_area_label_points_into_its_area(features, role):
    _, position, target, _ = maps.AREA_LABELS[role]
    point = target or position
    assert area(features, role).contains_point(point), f"{role} label points at {point}"


def test_former_fata_and_kp_are_neighbours_along_the_afghan_border(features):
    """The former FATA lies between KP and Afghanistan, where Khost borders it."""
    fata = [f for f in features if f["properties"]["role"] == "former-fata"]
    assert len(fata) == 1 and fata[0]["properties"]["iso_3166_2"] == "PK-TA"
    kp = area(features, "kp").get_extents()
    khost = area(features, "khost").get_extents()
    fata_box = area(features, "former-fata").get_extents()
    assert khost.x1 <= fata_box.x1 and fata_box.overlaps(kp) and fata_box.overlaps(khost)


def test_drawing_reads_only_the_committed_map_file_and_opens_no_connection():
    """An audit hook records every file opened and every socket used while the map is
    loaded, drawn and saved: inside the repository only data/geo/locator.geojson (and
    Python sources) may be read, and no connection may be attempted."""
    opened: list[str] = []
    sockets: list[tuple] = []
    recording = [True]

    def hook(event, args):
        if not recording[0]:
            return
        if event == "open" and isinstance(args[0], (str, bytes, Path)):
            opened.append(str(args[0]))
        elif event.startswith("socket.") and event != "socket.__new__":
            sockets.append((event, args))

    sys.addaudithook(hook)  # cannot be removed; the flag switches it off
    try:
        maps.locator_map_png(maps.load_locator_data())
    finally:
        recording[0] = False
    assert not sockets, f"the map opened network connections: {sockets}"
    environment = Path(sys.prefix).resolve()  # the installed packages (.venv may be in ROOT)
    in_repo = {Path(p).resolve() for p in opened if not p.endswith((".py", ".pyc"))
               and Path(p).resolve().is_relative_to(ROOT)
               and not Path(p).resolve().is_relative_to(environment)}
    assert in_repo == {(GEO / "locator.geojson").resolve()}, in_repo
    assert "http" not in (ROOT / "src" / "resolve_book" / "maps.py").read_text(encoding="utf-8")


def test_the_png_is_small_and_sharp_enough_for_print():
    png = maps.locator_map_png()
    assert len(png) <= MAX_BYTES, f"map PNG is {len(png)} bytes"
    image = Image.open(io.BytesIO(png))
    width_inches = maps.draw_locator_map().get_figwidth()
    assert image.size[0] / width_inches >= 150, "under 150 dpi at the figure's print width"
    # The PDF build sizes the image from the resolution stored in the PNG: without it
    # the map would be stretched to the text width, and printed under 150 dpi.
    stored = image.info.get("dpi", (0, 0))[0]
    assert stored >= 150 and image.size[0] / stored == pytest.approx(width_inches, rel=0.01)


def test_bad_map_data_is_one_line_naming_the_file_and_rule(tmp_path):
    broken = tmp_path / "locator.geojson"
    broken.write_text('{"type": "FeatureCollection",\n"features": [,]}\n', encoding="utf-8")
    with pytest.raises(QuizkitError, match=r"locator\.geojson, line 2: not valid JSON"):
        maps.load_locator_data(broken)
    good = json.loads((GEO / "locator.geojson").read_text(encoding="utf-8"))
    good["features"][0]["properties"]["role"] = "capital"
    broken.write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(QuizkitError, match=r"feature 1 \(.+\): role 'capital' is not one of"):
        maps.load_locator_data(broken)
    good["features"] = [f for f in good["features"] if f["properties"]["role"] != "khost"]
    broken.write_text(json.dumps(good).replace('"capital"', '"neighbour"'), encoding="utf-8")
    with pytest.raises(QuizkitError, match=r"no feature with role khost"):
        maps.load_locator_data(broken)


def test_provenance_names_source_commits_and_terms():
    readme = (GEO / "README.md").read_text(encoding="utf-8")
    for needed in ("Natural Earth", "public domain", "CC0", "ODbL", "de facto",
                   "scripts/make_locator_map_data.py"):
        assert needed in readme, f"data/geo/README.md does not mention {needed!r}"
    # The commits and blobs the script pins are the ones the README records.
    pinned = re.findall(r'"([0-9a-f]{40})"', SCRIPT.read_text(encoding="utf-8"))
    assert len(pinned) == 4
    for sha in pinned:
        assert sha in readme, f"{sha} pinned by the script is not in data/geo/README.md"


def test_every_place_has_a_source(features):
    with (GEO / "places_manual.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    readme = (GEO / "README.md").read_text(encoding="utf-8")
    for row in rows:
        assert row["source"].strip(), row["name"]
        assert row["name"] in readme or row["label"] in readme, row["name"]
    for item in features:
        if item["properties"]["role"] in ("town", "site"):
            assert item["properties"]["source"], item["properties"]["name"]


def test_the_chapter_cell_uses_the_map_module_and_gives_alt_text():
    nb = json.loads(CHAPTER.read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if c["metadata"].get("mystnb", {}).get("figure", {})
               .get("name") == FIGURE_ID]
    assert "locator_map_png" in "".join(cell["source"])
    meta = cell["metadata"]["mystnb"]
    assert "Natural Earth" in meta["figure"]["caption"]
    assert len(meta["image"]["alt"]) >= 40


@pytest.mark.build
def test_the_built_chapter_shows_the_map_with_alt_text_and_caption():
    if not PAGE.exists():
        pytest.fail(f"{PAGE} is not built: run `make book` first")
    soup = BeautifulSoup(PAGE.read_text(encoding="utf-8"), "lxml")
    figure = soup.find(id=FIGURE_ID)
    assert figure is not None and figure.name == "figure"
    img = figure.find("img")
    nb = json.loads(CHAPTER.read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if c["metadata"].get("mystnb", {}).get("figure", {})
               .get("name") == FIGURE_ID]
    assert img["alt"] == cell["metadata"]["mystnb"]["image"]["alt"]
    image_file = (PAGE.parent / img["src"]).resolve()
    assert image_file.stat().st_size <= MAX_BYTES, f"{image_file} is too large for slow phones"
    caption = figure.find("figcaption").get_text(" ", strip=True)
    assert "Natural Earth" in caption and "Khost" in caption and "[" in caption  # cited
