"""The build's report as the dashboard reads it: real builds with bad inputs, and the app's
sidebar saying which inputs failed and why."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import buildreport
from pipeline.build import build
from pipeline.errors import DataFileError
from pipeline.wording import counted

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
HOSTILE = "<img src=x onerror=alert(1)>.jsonl"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    """The seeds, a truncated JSON Lines file, a file that is not UTF-8, and a JSON Lines file
    with a hostile name: built for real."""
    articles = tmp_path_factory.mktemp("articles")
    for seed in (ROOT / "seeds").iterdir():
        shutil.copy(seed, articles / seed.name)
    (articles / "bad.jsonl").write_text('{"id": 1', encoding="utf-8")
    (articles / "latin.txt").write_bytes("Protest in Zve\xe8an, 12 December 2022.".encode("latin-1"))
    (articles / HOSTILE).write_text("[1, 2]\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("built") / "data"
    result = build([articles], out, today=dt.date(2026, 11, 22))
    return out, result


def test_the_report_names_the_failed_inputs_and_the_warnings(built):
    out, result = built
    report = buildreport.read_build_report(out / buildreport.REPORT_FILE)
    assert report is not None
    seeds = len(list((ROOT / "seeds").iterdir()))
    assert report.articles == result.articles_ok == seeds + 1  # the seeds and latin.txt
    assert report.incidents == result.incidents
    failed = {Path(p.path).name: p.problem for p in report.failed}
    assert set(failed) == {"bad.jsonl:1", f"{HOSTILE}:1"}
    assert "not valid JSON" in failed["bad.jsonl:1"]
    assert [Path(p.path).name for p in report.warned] == ["latin.txt"]
    assert "not UTF-8" in report.warned[0].problem
    assert report.summary() == (
        f"Built from {report.inputs} inputs, {seeds + 1} articles built, 2 failed, 1 warning."
    )


def test_an_unusable_sources_table_is_named_apart(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    seed = min((ROOT / "seeds").iterdir())
    shutil.copy(seed, articles / seed.name)
    (articles / "sources.csv").write_text("nothing,here\n1,2\n", encoding="utf-8")
    build([articles], tmp_path / "data", today=dt.date(2026, 11, 22))
    report = buildreport.read_build_report(tmp_path / "data" / buildreport.REPORT_FILE)
    assert report is not None and report.failed_tables == 1
    assert [(Path(p.path).name, p.problem) for p in report.failed] == [
        ("sources.csv", ("has no article_id column (its first line: 'nothing,here'; expected: "
                        "article_id,published,outlet,url,title): metadata not applied"))
    ]
    assert report.summary() == "Built from 1 input, 1 article built, 1 sources table unusable."


def test_no_report_is_none_and_a_broken_one_is_named(tmp_path):
    assert buildreport.read_build_report(tmp_path / "report.json") is None
    for text in ("", "{", '{"summary": {}}', "[1]"):
        (tmp_path / "report.json").write_text(text, encoding="utf-8")
        with pytest.raises(DataFileError, match=r"report\.json: is not a build report"):
            buildreport.read_build_report(tmp_path / "report.json")


def test_problems_are_listed_as_text(built):
    from dashboard import app  # (the app module, imported: its helpers only)

    out, _ = built
    report = buildreport.read_build_report(out / buildreport.REPORT_FILE)
    listed = app.problems_html(report.failed, 1, report.path)
    assert listed.count("<li") == 1 and "The first 1" in listed
    every = app.problems_html(report.failed, 10, report.path)
    assert "<img" not in every and "&lt;img src=x onerror=alert(1)&gt;.jsonl:1" in every


def sidebar(data_dir: Path, monkeypatch) -> tuple[list[str], list[str]]:
    monkeypatch.setenv("INCIDENT_MAP_DATA", str(data_dir))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["_page_whole"] = True  # (dashboard.app.K_PAGE_WHOLE) the whole page
    at.run()
    assert not at.exception
    return [c.value for c in at.sidebar.caption], [e.label for e in at.sidebar.expander]


def test_the_sidebar_says_which_inputs_failed(built, monkeypatch, static_serving):
    out, _ = built
    captions, expanders = sidebar(out, monkeypatch)
    assert any(c.startswith("Built from ") and "2 failed" in c for c in captions), captions
    # the seeds' articles that gave no incident are counted (the header counts the others)
    data = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    cited = {s["article_id"] for f in data["features"] for s in f["properties"]["sources"]}
    report = buildreport.read_build_report(out / buildreport.REPORT_FILE)
    quiet = report.articles - len(cited)
    assert quiet > 0
    assert any(f" {quiet} of the articles reported no incident (below: why)" in c for c in captions), captions
    assert expanders == ["Inputs that failed (2)", f"Articles with no incident ({quiet})", "Warnings (1)"]
    # which ones, and why: the places they name, each with what became of it
    assert report.quiet_count == quiet == len(report.quiet)
    (entry,) = [e for e in json.loads((out / "report.json").read_text(encoding="utf-8"))["inputs"]
                if e["status"] == "ok" and not e["incidents"]]
    (why,) = report.quiet
    assert why.path == entry["path"]
    assert why.problem.startswith(f"“{entry['title']}”: {counted(len(entry['dropped']), 'mention')} of places, none an incident (")
    first = next(d for d in entry["dropped"] if not d["reason"].startswith("country name"))
    assert f"{first['mention']}: {first['reason']}" in why.problem
    assert not any("another build" in c for c in captions)


def test_the_sidebar_says_when_the_report_is_from_another_build(built, tmp_path, monkeypatch, static_serving):
    out, _ = built
    other = shutil.copytree(out, tmp_path / "data")
    report = other / "report.json"
    report.write_text(report.read_text(encoding="utf-8").replace('"incidents": ', '"incidents": 1', 1), encoding="utf-8")
    captions, _ = sidebar(other, monkeypatch)
    assert any("it is from another build" in c for c in captions), captions
    report.write_text("{", encoding="utf-8")
    captions, expanders = sidebar(other, monkeypatch)
    assert any(c.startswith("⚠️ The build's report is unusable: ") and "report.json: is not a build report" in c
               for c in captions), captions
    assert expanders == []
    report.unlink()
    captions, expanders = sidebar(other, monkeypatch)
    assert not any("report" in c.lower() or c.startswith("Built from") for c in captions), captions
