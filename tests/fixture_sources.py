"""The tiny reference list and seed texts the fixture banks cite, standing in for the
project's data/references.bib and seed documents. (A plain module rather than
conftest.py, which other modules' owners may need for themselves.)"""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = FIXTURES / "sources"


def fixture_references() -> set[str]:
    lines = (SOURCES / "references.txt").read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def fixture_seed_texts() -> dict[str, str]:
    """Seed texts by source id: the file name is the id."""
    return {p.stem: p.read_text(encoding="utf-8") for p in (SOURCES / "seeds").glob("*.txt")}


def source_sets() -> dict:
    """Keyword arguments for the bank loader: references, seed ids and seed texts."""
    seeds = fixture_seed_texts()
    return {"references": fixture_references(), "seed_ids": set(seeds), "seed_texts": seeds}
