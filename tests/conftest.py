"""Shared fixtures, named after what they return."""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TEST_ARTICLES = Path(__file__).resolve().parent / "articles"
GOLD = Path(__file__).resolve().parent / "gold"
TODAY = dt.date(2026, 11, 22)  # a fixed 'today' so year inference is reproducible
_EVAL_KEY = pytest.StashKey[list]()

# The dashboard keeps parsed copies of large incidents files in the user's cache folder
# (dashboard/snapshot.py): the tests, and the dashboards they start, keep theirs apart.
os.environ["INCIDENT_MAP_CACHE"] = _CACHE = tempfile.mkdtemp(prefix="incident-map-test-cache-")
atexit.register(shutil.rmtree, _CACHE, True)


@pytest.fixture(scope="session")
def eval_printouts(pytestconfig) -> list[str]:
    """`incident-map eval` outputs to show at the end of the run (so CI logs print them)."""
    return pytestconfig.stash.setdefault(_EVAL_KEY, [])


def pytest_terminal_summary(terminalreporter):
    for text in terminalreporter.config.stash.get(_EVAL_KEY, []):
        terminalreporter.write_sep("-", "incident-map eval")
        terminalreporter.write_line(text)


@pytest.fixture(scope="session")
def gazetteer():
    from geodata import gazetteer as g

    return g.load()


@pytest.fixture(scope="session")
def matcher(gazetteer):
    from pipeline.match import Matcher

    return Matcher(gazetteer)


def _build(paths, out: Path) -> dict:
    from pipeline.build import build

    build(paths, out, today=TODAY)
    return json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seeds_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seeds_out")
    _build([SEEDS], out)
    return out


@pytest.fixture(scope="session")
def seeds_geojson(seeds_out) -> dict:
    return json.loads((seeds_out / "incidents.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def new_articles_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("new_out")
    _build([TEST_ARTICLES], out)
    return out


def incidents_by(geojson: dict, place_id: str, article_prefix: str = "") -> list[dict]:
    return [
        f for f in geojson["features"]
        if f["properties"]["place_id"] == place_id
        and any(s["article_id"].startswith(article_prefix) for s in f["properties"]["sources"])
    ]


@pytest.fixture
def static_serving():
    """The app draws the map only when static serving is on, as `incident-map dashboard` sets."""
    from streamlit import config

    before = config.get_option("server.enableStaticServing")
    config.set_option("server.enableStaticServing", True)
    yield
    config.set_option("server.enableStaticServing", before)
