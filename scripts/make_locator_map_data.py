#!/usr/bin/env python3
"""Cut ``data/geo/locator.geojson``, the data of chapter 1's locator map, from Natural Earth.

Run by hand, offline, from two local git snapshots; the book build never runs it and
never fetches anything. ``data/geo/README.md`` says what each input is, why it was
chosen and under which terms it is used.

    .venv/bin/python scripts/make_locator_map_data.py \\
        --ems /path/to/elastic+ems-file-service/repo \\
        --ne-geojson /path/to/martynafford+natural-earth-geojson/repo

Needs the ``geo`` extra (shapely), which ``make env`` installs from requirements.lock.

What it does:

1. reads Natural Earth's 1:10m admin-1 layer (TopoJSON, as kept in elastic/ems-file-service)
   at a pinned commit and checks the blob's hash, so a different file is refused;
2. keeps Pakistan's and Afghanistan's provinces and every other country that reaches the
   map's frame (those dissolved into one outline each and cut to the frame);
3. simplifies each shared border once (a TopoJSON arc), so neighbours still meet exactly;
4. adds Natural Earth's 1:50m populated places for the orientation towns, and the few
   places Natural Earth lacks from ``data/geo/places_manual.csv`` (each with its source);
5. writes the result atomically, one feature per line.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from quizkit.errors import QuizkitError  # noqa: E402
from quizkit.files import write_new_file  # noqa: E402

OUT = ROOT / "data" / "geo" / "locator.geojson"
MANUAL = ROOT / "data" / "geo" / "places_manual.csv"

# (commit, path, blob): the exact inputs. The blob hash pins the content itself.
ADMIN1 = ("3f1043e85222710e461c02923e4113cd6a05dc23",
          "sources/world/ne_10m_admin_1_states_provinces.topo.json.gz",
          "360336bb36925c46f1de4d0bea29e58d9cedf493")
PLACES = ("0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e",
          "50m/cultural/ne_50m_populated_places.json",
          "d311f8ad0d3b065d0a11e595be80366a1c8e54da")

# Everything outside this frame (degrees: west, south, east, north) is cut away; the map
# shows a little less.
FRAME = (60.0, 23.0, 78.5, 37.6)
# Douglas-Peucker tolerance in degrees (about 1.5 km): far below a pixel of the figure.
TOLERANCE = 0.015
DECIMALS = 3

# Natural Earth's names -> the module's house spellings (CONTENT.md rule 6).
PAKISTAN = {
    "PK-KP": ("kp", "Khyber Pakhtunkhwa"),
    "PK-TA": ("former-fata", "Federally Administered Tribal Areas (former)"),
    "PK-BA": ("balochistan", "Balochistan"),
}
# Matched by name: this copy of Natural Earth gives Paktika the ISO code of Paktia.
AFGHANISTAN = {"Khost": "khost", "Paktika": "paktika"}
TOWNS = ("Islamabad", "Peshawar", "Quetta", "Kabul")


def git_blob(git_dir: Path, commit: str, path: str, blob: str) -> bytes:
    """The file at ``commit:path`` of a git directory, checked against its blob hash."""
    def git(*args: str) -> bytes:
        done = subprocess.run(["git", "--git-dir", str(git_dir), *args],
                              capture_output=True, check=False)
        if done.returncode:
            reason = done.stderr.decode(errors="replace").strip().splitlines()
            raise QuizkitError.at(git_dir, None, f"git {' '.join(args)}: "
                                                 f"{reason[-1] if reason else 'failed'}")
        return done.stdout
    found = git("rev-parse", f"{commit}:{path}").decode().strip()
    if found != blob:
        raise QuizkitError.at(git_dir, None, f"{path} at {commit[:12]} is blob {found}, "
                                             f"not the expected {blob}")
    return git("cat-file", "blob", blob)


class Topology:
    """Decode a quantized TopoJSON topology; simplify every arc once, on first use."""

    def __init__(self, topology: dict):
        self.arcs = topology["arcs"]
        (self.sx, self.sy), (self.tx, self.ty) = (topology["transform"]["scale"],
                                                  topology["transform"]["translate"])
        self.simplified: dict[int, list[tuple[float, float]]] = {}

    def arc(self, index: int) -> list[tuple[float, float]]:
        i = index if index >= 0 else ~index
        if i not in self.simplified:
            x = y = 0
            points = []
            for dx, dy in self.arcs[i]:
                x, y = x + dx, y + dy
                points.append((x * self.sx + self.tx, y * self.sy + self.ty))
            line = LineString(points)
            # Endpoints stay put, so the arcs of one ring still join after simplifying.
            self.simplified[i] = list(line.simplify(TOLERANCE, preserve_topology=False).coords)
        points = self.simplified[i]
        return points if index >= 0 else points[::-1]

    def ring(self, indices: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indices:
            arc = self.arc(index)
            points.extend(arc if not points else arc[1:])
        return points

    def geometry(self, geometry: dict) -> Polygon | MultiPolygon | None:
        kind = geometry.get("type")
        polygons = ([geometry["arcs"]] if kind == "Polygon"
                    else geometry["arcs"] if kind == "MultiPolygon" else [])
        shapes = []
        for rings in polygons:
            coords = [self.ring(r) for r in rings]
            if len(coords[0]) < 4:  # an islet simplified away
                continue
            shape = Polygon(coords[0], [c for c in coords[1:] if len(c) >= 4]).buffer(0)
            if not shape.is_empty:
                shapes.append(shape)
        return unary_union(shapes) if shapes else None


def rounded(geometry) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)) and value and isinstance(value[0], float):
            return [round(v, DECIMALS) for v in value]
        return [walk(v) for v in value]
    shape = mapping(geometry)
    return {"type": shape["type"], "coordinates": walk(shape["coordinates"])}


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": rounded(geometry)}


def boundary_features(topology: dict) -> list[dict]:
    decoder = Topology(topology)
    frame = box(*FRAME)
    (layer,) = topology["objects"].values()
    provinces: list[dict] = []
    by_country: dict[str, list] = {}
    for geometry in layer["geometries"]:
        props = geometry.get("properties") or {}
        country = props.get("admin") or ""
        shape = decoder.geometry(geometry)
        if shape is None or not shape.intersects(frame):
            continue
        by_country.setdefault(country, []).append(shape)
        if country == "Pakistan":
            role, name = PAKISTAN.get(props["iso_3166_2"], ("pakistan", props["name"]))
        elif country == "Afghanistan":
            role, name = AFGHANISTAN.get(props["name"], "afghanistan"), props["name"]
        else:
            continue
        provinces.append(feature(shape, role=role, name=name, ne_name=props["name"],
                                 iso_3166_2=props["iso_3166_2"], country=country))
    countries = []
    for country, shapes in sorted(by_country.items()):
        outline = unary_union(shapes).intersection(frame)
        if outline.is_empty or outline.area < 0.05:
            continue
        role = "country" if country in ("Pakistan", "Afghanistan") else "neighbour"
        countries.append(feature(outline, role=role, name=country))
    return countries + provinces


def town_features(places: dict) -> list[dict]:
    found = {}
    for item in places["features"]:
        props = item["properties"]
        if props.get("NAME") in TOWNS and props.get("ADM0NAME") in ("Pakistan", "Afghanistan"):
            lon, lat = props["LONGITUDE"], props["LATITUDE"]
            found[props["NAME"]] = {
                "type": "Feature",
                "properties": {"role": "town", "name": props["NAME"], "label": props["NAME"],
                               "approximate": False,
                               "source": "Natural Earth 1:50m populated places"},
                "geometry": {"type": "Point", "coordinates": [round(lon, DECIMALS),
                                                              round(lat, DECIMALS)]},
            }
    missing = [t for t in TOWNS if t not in found]
    if missing:
        raise QuizkitError.at(PLACES[1], None, f"towns not found: {', '.join(missing)}")
    return [found[t] for t in TOWNS]


def manual_features(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return [{
        "type": "Feature",
        "properties": {"role": "site", "name": row["name"], "label": row["label"],
                       "approximate": row["approximate"] == "yes", "source": row["source"]},
        "geometry": {"type": "Point", "coordinates": [float(row["lon"]), float(row["lat"])]},
    } for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ems", type=Path, required=True,
                        help="git directory of a snapshot of elastic/ems-file-service")
    parser.add_argument("--ne-geojson", type=Path, required=True,
                        help="git directory of a snapshot of martynafford/natural-earth-geojson")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        topology = json.loads(gzip.decompress(git_blob(args.ems, *ADMIN1)))
        places = json.loads(git_blob(args.ne_geojson, *PLACES))
        features = boundary_features(topology) + town_features(places) + manual_features(MANUAL)
        lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":"))
                           for f in features)
        text = ('{"type":"FeatureCollection",\n"features":[\n' + lines + "\n]}\n")
        write_new_file(args.output, text, force=True)
    except QuizkitError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"wrote {args.output} ({len(text.encode()) // 1024} KB, {len(features)} features)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
