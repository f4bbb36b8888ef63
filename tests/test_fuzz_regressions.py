"""Every crash found by fuzzing the ingest-to-incidents path (fuzz/fuzz_pipeline.py, see
fuzz/README.md), kept as a regression test, plus what the fixes promise for each.

An input is the fuzzer's: the first byte picks the format (0 .txt, 1 .md, 2 .html, 3 .jsonl,
4 a sources.csv applied to an article), the rest is the file. ``check`` is the fuzz harness's
own: bytes -> decode/parse -> extract -> merge -> GeoJSON/CSV text, with the contract's
invariants (offsets point at their mention, every date inside its window, only InputErrors,
output encodable as UTF-8). atheris is not needed to run it.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("fuzz_pipeline", ROOT / "fuzz" / "fuzz_pipeline.py")
harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(harness)
TODAY = harness.TODAY

# Found by the fuzzer (fuzz/README.md says which run); each once crashed ``check``.
# A first byte 0xF0 marks a structured input: a recipe that fuzz_pipeline.structured() expands.
FUZZ_CRASHES = {
    # ValueError: year 0 is out of range -- an undated JSONL article anchored on its explicit
    # "0001-08-27", then "in December" taken as December of the year before (structured mode)
    "anchor-year-1-in-month": b"\xf0\xc1\xe7\xab\xa1\x04\x08\xc1\x1b[\xd1)\xb6D\xaa\xa9\xb95s+\xd3\x17r\xa1\x1fA "
                              b"\xcfp\xd8\x9c\x87\x0f\x08.\x8c\xa5\xb3&\xb0@\x02NN\xd8s\x8c\x13E\x0f\x8a\x82\x9fJ"
                              b"\xf0\x10\xc8\xe1\xe2",
    # AssertionError: future publication date 7579-12-12, taken from an HTML <meta name="date">
    "html-meta-future-date": b'\x02<html><head><title>Serbia has heightened alert.</title><meta name="date" '
                             b'content="7579-12-12"><script>alert(1)</script></head><body><p>In the area there are '
                             b"predominantly members of the minority \xff\xffhn<p>police in the border region",
}

# Found while writing the harness's invariants and probing the paths it covers (listed in
# fuzz/README.md with the fuzzer's): each crashed ``check`` before its fix.
REVIEW_CRASHES = {
    # UnicodeEncodeError at write time: JSON escapes a lone surrogate no UTF-8 file can hold; one
    # such article made the whole build fail ("cannot write the outputs")
    "jsonl-lone-surrogate-text": b'\x03{"text": "Serbs set up barricades in Zve\\u010dan on Sunday \\ud800.", "published": "2022-12-12"}',
    "jsonl-lone-surrogate-title": b'\x03{"text": "Serbs set up barricades in Zvecan on Sunday.", "title": "\\udc80", "published": "2022-12-12"}',
    # csv.Error: field larger than field limit (131072)
    "sources-csv-huge-field": b'\x04article_id,title\na,"' + b"x" * 200_000 + b'"\n',
    # OverflowError: counting "last week" back from a publication date in year 1
    "date-line-year-1": b"\x00date 0001-01-01 x\n\nbarricades in Zvecan last week on Sunday.",
    "date-line-year-1-weekend": b"\x00date 0001-01-02 x\n\nbarricades in Zvecan at the weekend. barricades in Zvecan yesterday.",
    # OverflowError: timedelta(days=9999999999999)
    "huge-day-span": b"\x00date 2022-12-12 x\n\nbarricades in Zvecan for the past 9999999999999 days.",
    # OverflowError: an undated article anchored on 0001-01-01, "at the weekend" counted back from it
    "anchor-year-1": b"\x00On 0001-01-01 barricades in Zvecan at the weekend. Barricades in Zvecan on Sunday.",
}


@pytest.mark.parametrize("data", list(FUZZ_CRASHES.values()) + list(REVIEW_CRASHES.values()),
                         ids=list(FUZZ_CRASHES) + list(REVIEW_CRASHES))
def test_crash_input_passes_the_harness(data):
    harness.check(data)


def _raws(data: bytes, name: str):
    from pipeline.ingest import read_bytes

    return list(read_bytes(data, Path(name), TODAY))


def test_html_meta_date_in_the_future_is_ignored_with_a_warning():
    page = b'<meta name="date" content="7579-12-12"><p>Serbs set up barricades in Zvecan on Sunday.</p>'
    (raw,) = _raws(page, "a.html")
    assert raw.article.published is None
    assert any("in the future" in w for w in raw.warnings)


def test_placeholder_publication_dates_before_1900_are_ignored():
    (raw,) = _raws(b"date 0001-01-01 T\n\nSerbs set up barricades in Zvecan last week.", "a.txt")
    assert raw.article.published is None and any("before 1900" in w for w in raw.warnings)
    (raw,) = _raws(b'{"text": "Barricades in Zvecan.", "published": "0001-01-01"}', "a.jsonl")
    assert raw.article.published is None and any("before 1900" in w for w in raw.warnings)


def test_lone_surrogates_in_jsonl_become_replacement_characters_with_a_warning():
    line = b'{"id": "x\\ud800", "text": "Barricades in Zvecan \\udfff on Sunday.", "title": "\\ud800T"}\n'
    ok = b'{"id": "y", "text": "Barricades in Zvecan on Sunday."}\n'
    first, second = _raws(line + ok, "a.jsonl")
    assert first.article.text == "Barricades in Zvecan \ufffd on Sunday."
    assert (first.article.article_id, first.article.title) == ("x\ufffd", "\ufffdT")
    assert any("lone surrogate" in w for w in first.warnings)
    assert not any("lone surrogate" in w for w in second.warnings)  # the warning is per line


def test_unreadable_sources_csv_is_an_error_naming_the_line():
    from pipeline.errors import SourcesTableError
    from pipeline.ingest import parse_sources_table

    data = b"article_id,title\na,ok\nb,\"" + b"x" * 200_000 + b"\"\n"
    table = parse_sources_table(data, Path("sources.csv"))
    assert isinstance(table.error, SourcesTableError) and table.rows == {}
    assert str(table.error).startswith("sources.csv: line 3 is not readable CSV") and "field limit" in str(table.error)


def test_explicit_dates_outside_the_news_era_are_not_dates():
    """Like "in 1905" and "May 2078", an ISO or numeric date counts only in 1900..2100."""
    from pipeline import dates

    for text in ("on 0001-08-27", "on 27.8.0001", "on 2150-01-01"):
        (expr,) = dates.find_expressions(text)
        assert dates.resolve(expr, dates.DateContext(published=None)) is None, text
    ctx = dates.article_context("On 0001-08-27 police came. Barricades in Zvecan in December.", None, TODAY)
    assert ctx.anchor is None
    (expr,) = dates.find_expressions("on 1999-12-31")
    assert dates.resolve(expr, dates.DateContext(published=None)).event_date == dt.date(1999, 12, 31)


def test_dates_off_the_calendar_resolve_to_nothing_rather_than_crash():
    from pipeline import dates

    ctx = dates.DateContext(published=dt.date(2022, 12, 12))
    (expr,) = dates.find_expressions("for the past 9999999999999 days")
    assert dates.resolve(expr, ctx) is None
    ctx = dates.DateContext(published=None, anchor=dt.date(1, 1, 1))
    (expr,) = dates.find_expressions("at the weekend")
    assert dates.resolve(expr, ctx) is None


def test_a_lone_surrogate_article_does_not_stop_the_build(tmp_path):
    """Before the fix, one such JSONL line made the whole build fail at write time."""
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_bytes(REVIEW_CRASHES["jsonl-lone-surrogate-text"][1:] + b"\n")
    (src / "b.txt").write_text("date 2022-12-12 T\n\nSerbs set up barricades in Leposavić on Sunday.\n", encoding="utf-8")
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "build", str(src), "--out", str(out),  # noqa: PLW1510
                          "--today", TODAY.isoformat()], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert "lone surrogate" in res.stderr
    geo = json.loads((out / "incidents.geojson").read_text(encoding="utf-8"))
    assert {f["properties"]["place_id"] for f in geo["features"]} == {"zvecan", "leposavic"}
