"""The tiny reference list and seed texts the fixture banks cite, standing in for the
project's data/references.bib and seed documents, and loading fixture banks with them."""

from __future__ import annotations

from pathlib import Path

from quizkit.catalog import Catalog
from quizkit.model import Bank
from quizkit.project import load_catalog
from quizkit.sources import SourceContext

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
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


def fixture_context() -> SourceContext:
    """The fixture sources as the loader takes them."""
    return SourceContext(**source_sets())


def load_fixture_catalog(*paths: Path, sources: bool = True) -> Catalog:
    """Valid fixture banks, checked against the fixture sources (or, with
    ``sources=False``, against none: the source checks are skipped)."""
    return load_catalog(paths, sources=fixture_context() if sources else SourceContext())


def load_fixture_bank(path: Path, sources: bool = True) -> Bank:
    return load_fixture_catalog(path, sources=sources).banks[0]
