"""Chapter 1's locator map, drawn with matplotlib from the committed ``data/geo/`` files.

Nothing is fetched, at build time or ever: ``data/geo/locator.geojson`` holds Natural
Earth's boundaries (cut by ``scripts/make_locator_map_data.py``) and the places shown,
and ``data/geo/README.md`` gives every input's source, commit and terms.

``draw_locator_map()`` returns the figure; ``locator_map_png()`` renders it as a small
palette PNG for the book (students may read it on a slow mobile connection).
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import matplotlib.patheffects as patheffects
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from quizkit.errors import QuizkitError
from quizkit.files import read_user_text

from .data import DATA_DIR

GEO_FILE = DATA_DIR / "geo" / "locator.geojson"

#: What each feature is; the drawing style hangs on it.
ROLES = ("neighbour", "country", "pakistan", "afghanistan", "kp", "former-fata",
         "balochistan", "khost", "paktika", "town", "site")
#: Roles that must be present for the map to show what the chapter needs.
REQUIRED_ROLES = ("country", "kp", "former-fata", "balochistan", "khost", "paktika", "town",
                  "site")

# The map's frame in degrees (west, east, south, north) and the latitude whose scale the
# plate carrée is corrected to (about the middle of the frame).
EXTENT = (63.2, 75.4, 27.4, 36.6)
MID_LATITUDE = 31.0

# Okabe-Ito hues as light tints, so that labels stay readable on them; the four
# highlighted areas differ in hue and in lightness, and the former FATA is hatched as
# well, so they survive colour-blindness and greyscale printing.
SEA = "#dcebf6"
STYLE = {  # role: (fill, edge colour, edge width, z-order)
    "neighbour": ("#ededed", "#a0a0a0", 0.5, 1),
    "afghanistan": ("#f7f7f4", "#b5b5b5", 0.4, 2),
    "pakistan": ("#fbf9f2", "#a8a8a8", 0.4, 2),
    "balochistan": ("#a6dbc8", "#6f6f6f", 0.5, 3),
    "kp": ("#f6c879", "#6f6f6f", 0.5, 3),
    "former-fata": ("#f6c879", "#6f6f6f", 0.5, 3),
    "khost": ("#e5b3d0", "#6f6f6f", 0.5, 3),
    "paktika": ("#e5b3d0", "#6f6f6f", 0.5, 3),
}
FATA_HATCH = ("////", "#8a5a00")
SITE_COLOUR = "#D55E00"  # Okabe-Ito vermillion

# Where each area's label sits (lon, lat), chosen by hand for legibility, and the point
# inside the area its arrow points to (None: the label sits inside the area itself). A
# test checks that each of those points lies inside its own area.
AREA_LABELS = {  # role: (text, label position, arrow target, font size)
    "kp": ("Khyber\nPakhtunkhwa", (71.75, 35.8), None, 9),
    "former-fata": ("former FATA\n(merged into\nKP in 2018)", (72.55, 32.35), (70.2, 32.6), 8),
    "balochistan": ("Balochistan", (65.9, 28.6), None, 9.5),
    "khost": ("Khost", (68.0, 33.75), (69.9, 33.4), 8.5),
    "paktika": ("Paktika", (67.0, 32.45), (68.75, 32.55), 8.5),
}
COUNTRY_LABELS = {
    "Pakistan": ("PAKISTAN", (69.6, 29.9)),
    "Afghanistan": ("AFGHANISTAN", (65.9, 34.9)),
    "India": ("INDIA", (74.4, 30.3)),
}
# Offsets (points) of town and site labels from their markers, for legibility.
PLACE_OFFSETS = {
    "Islamabad": (5, -9), "Peshawar": (-5, -7), "Quetta": (5, -3), "Kabul": (-5, 4),
    "Swat": (-5, 5), "Dasu": (5, 2), "Besham": (5, -6),
}
HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]


def load_locator_data(path: Path | str = GEO_FILE) -> list[dict]:
    """The map's features, checked: a readable GeoJSON FeatureCollection whose every
    feature has a known ``role`` and a ``name``, with every required role present."""
    text = read_user_text(path).text
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QuizkitError.at(path, exc.lineno, f"not valid JSON: {exc.msg}") from None
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise QuizkitError.at(path, None, "not a GeoJSON FeatureCollection")
    for number, item in enumerate(features, start=1):
        props = item.get("properties") or {}
        geometry = item.get("geometry") or {}
        where = f"feature {number} ({props.get('name', 'no name')})"
        if props.get("role") not in ROLES:
            raise QuizkitError.at(path, None, f"{where}: role {props.get('role')!r} is not "
                                              f"one of {', '.join(ROLES)}")
        if not props.get("name"):
            raise QuizkitError.at(path, None, f"{where}: has no name")
        point = props["role"] in ("town", "site")
        if geometry.get("type") not in (("Point",) if point else ("Polygon", "MultiPolygon")):
            raise QuizkitError.at(path, None, f"{where}: a {props['role']} cannot be a "
                                              f"{geometry.get('type')!r} geometry")
    missing = sorted(set(REQUIRED_ROLES) - {f["properties"]["role"] for f in features})
    if missing:
        raise QuizkitError.at(path, None, f"no feature with role {', '.join(missing)}")
    return features


def area_path(geometry: dict) -> MplPath:
    """One matplotlib path for a GeoJSON Polygon or MultiPolygon (holes included)."""
    polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                else geometry["coordinates"])
    vertices, codes = [], []
    for rings in polygons:
        for ring in rings:
            vertices.extend(ring)
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2)
                         + [MplPath.CLOSEPOLY])
    return MplPath(np.asarray(vertices, dtype=float), codes)


def draw_locator_map(features: list[dict] | None = None) -> Figure:
    """The locator map as a matplotlib figure (not attached to pyplot)."""
    features = load_locator_data() if features is None else features
    fig = Figure(figsize=(3.8, 3.45), facecolor="white")
    ax = fig.add_axes((0.005, 0.005, 0.99, 0.99))
    ax.set_facecolor(SEA)
    ax.set_xlim(EXTENT[0], EXTENT[1])
    ax.set_ylim(EXTENT[2], EXTENT[3])
    ax.set_aspect(1 / math.cos(math.radians(MID_LATITUDE)))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#777777")

    areas = [f for f in features if f["properties"]["role"] in STYLE]
    for item in sorted(areas, key=lambda f: STYLE[f["properties"]["role"]][3]):
        role = item["properties"]["role"]
        fill, edge, width, z = STYLE[role]
        ax.add_patch(PathPatch(area_path(item["geometry"]), facecolor=fill, edgecolor=edge,
                               linewidth=width, zorder=z))
        if role == "former-fata":
            ax.add_patch(PathPatch(area_path(item["geometry"]), facecolor="none",
                                   edgecolor=FATA_HATCH[1], hatch=FATA_HATCH[0],
                                   linewidth=0, zorder=z + 0.1))
    for item in features:  # the two countries' borders, drawn over their provinces
        if item["properties"]["role"] == "country":
            ax.add_patch(PathPatch(area_path(item["geometry"]), facecolor="none",
                                   edgecolor="#333333", linewidth=1.1, zorder=5))

    for role, (label, position, target, size) in AREA_LABELS.items():
        style = dict(ha="center", va="center", fontsize=size, zorder=8, linespacing=0.95,
                     fontweight="bold" if role in ("kp", "balochistan") else "normal",
                     color="#222222", path_effects=HALO)
        if target is None:
            ax.text(*position, label, **style)
        else:
            ax.annotate(label, target, xytext=position, textcoords="data", **style,
                        arrowprops=dict(arrowstyle="-", color="#222222", linewidth=0.8,
                                        shrinkA=2, shrinkB=0))
    present = {f["properties"]["name"] for f in features if f["properties"]["role"]
               in ("country", "neighbour")}
    for name, (label, (lon, lat)) in COUNTRY_LABELS.items():
        if name in present:
            ax.text(lon, lat, label, ha="center", va="center", fontsize=8, zorder=7,
                    color="#555555", path_effects=HALO)

    for item in features:
        props = item["properties"]
        if props["role"] not in ("town", "site"):
            continue
        lon, lat = item["geometry"]["coordinates"]
        label = props.get("label") or props["name"]
        attack_site = props["role"] == "site" and label != "Swat"
        if attack_site:
            ax.plot(lon, lat, marker="^", markersize=6.5, color=SITE_COLOUR,
                    markeredgecolor="black", markeredgewidth=0.6, zorder=9)
        else:
            ax.plot(lon, lat, marker="o", markersize=3.6, color="black", zorder=9)
        dx, dy = PLACE_OFFSETS.get(label, (5, 3))
        ax.annotate(label, (lon, lat), xytext=(dx, dy), textcoords="offset points",
                    ha="left" if dx >= 0 else "right", va="center", fontsize=8.5,
                    fontweight="bold" if props["role"] == "site" else "normal",
                    zorder=10, path_effects=HALO)

    scale_bar(ax, km=200)
    return fig


def scale_bar(ax, km: int) -> None:
    """A bar of ``km`` kilometres at the map's bottom right (true at its own latitude)."""
    lat = EXTENT[2] + 0.7
    length = km / (111.32 * math.cos(math.radians(lat)))
    east = EXTENT[1] - 0.5
    ax.plot([east - length, east], [lat, lat], color="black", linewidth=2,
            solid_capstyle="butt", zorder=9)
    ax.text(east - length / 2, lat + 0.25, f"{km} km", ha="center", va="bottom",
            fontsize=8, zorder=9, path_effects=HALO)


def locator_map_png(features: list[dict] | None = None, *, dpi: int = 180,
                    colours: int = 32) -> bytes:
    """The map as PNG bytes, reduced to a palette of ``colours`` (a few tens of KB)."""
    from PIL import Image  # Pillow comes with matplotlib

    fig = draw_locator_map(features)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    # Octree keeps the few saturated colours (the vermillion markers) that median cut
    # merges away, and no dithering keeps flat fills flat (and small).
    small = image.quantize(colors=colours, method=Image.Quantize.FASTOCTREE,
                           dither=Image.Dither.NONE)
    out = io.BytesIO()
    # The resolution is recorded in the file, so the PDF prints the map at its drawn
    # size (and dpi) instead of stretching it to the text width.
    small.save(out, format="PNG", optimize=True, dpi=(dpi, dpi))
    return out.getvalue()
