"""Scoring built incidents against a gold file (pipeline/evaluate.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import GoldFileError
from pipeline.evaluate import evaluate, format_scores

ZVECAN = (42.9075, 20.8403)


def _gold(tmp_path: Path, incidents: list[tuple[str, str]]) -> Path:
    """Gold incidents at Zvečan: (a day, or "first..last" for a window with no day; type)."""
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"articles": ["a"], "must_not": [], "incidents": [
        {"article_id": "a", "place_id": "zvecan", "event_date": None if ".." in day else day,
         "date_start": day.split("..")[0], "date_end": day.split("..")[-1],
         "event_type": kind, "lat": ZVECAN[0], "lon": ZVECAN[1]} for day, kind in incidents]}), encoding="utf-8")
    return path


def _built(tmp_path: Path, incidents: list[tuple[str, str]]) -> Path:
    path = tmp_path / "incidents.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [ZVECAN[1], ZVECAN[0]]},
         "properties": {"place_id": "zvecan", "event_date": day, "date_start": day, "date_end": day,
                        "event_type": kind, "sources": [{"article_id": "a"}]}} for day, kind in incidents]}),
        encoding="utf-8")
    return path


def test_each_gold_incident_is_scored_against_the_report_that_agrees_with_it(tmp_path):
    """Two protests at one place on two days, built in the other order: each gold incident is
    paired with the report of its own day, not with the first report of the place."""
    gold = _gold(tmp_path, [("2022-12-10", "Protests"), ("2022-12-12", "Protests")])
    built = _built(tmp_path, [("2022-12-12", "Protests"), ("2022-12-10", "Protests")])
    s = evaluate(gold, built)
    assert (s["matched"], s["date_exact_accuracy"], s["date_window_accuracy"]) == (2, 1.0, 1.0)
    # the date counts before the type: a right day of the wrong type, over a wrong day of the right one
    gold = _gold(tmp_path, [("2022-12-10", "Riots"), ("2022-12-12", "Protests")])
    built = _built(tmp_path, [("2022-12-12", "Riots"), ("2022-12-10", "Protests")])
    s = evaluate(gold, built)
    assert (s["date_exact_accuracy"], s["event_type_accuracy"]) == (1.0, 0.0)
    # a report too many is spurious, whichever order
    built = _built(tmp_path, [("2022-12-11", "Riots"), ("2022-12-12", "Protests"), ("2022-12-10", "Riots")])
    s = evaluate(gold, built)
    assert (s["matched"], s["predicted"], s["date_exact_accuracy"], s["event_type_accuracy"]) == (2, 3, 1.0, 1.0)
    assert s["spurious"] == [{"article_id": "a", "place_id": "zvecan"}]


def test_the_pairing_is_the_best_in_all_not_the_best_first(tmp_path):
    """A window of five days and a day within it, reported on that day and on the window's
    first: the day goes with its own report, the window with the other (both in window, one
    exact), not the window with the first report that falls in it."""
    gold = _gold(tmp_path, [("2022-08-01..2022-08-05", "Protests"), ("2022-08-03", "Protests")])
    built = _built(tmp_path, [("2022-08-03", "Protests"), ("2022-08-01", "Protests")])
    s = evaluate(gold, built)
    assert (s["matched"], s["date_exact_accuracy"], s["date_window_accuracy"]) == (2, 0.5, 1.0)
    assert (s["exact_dates"], s["dates_in_window"], s["types_right"]) == (1, 2, 2)  # the counts behind them
    assert "0.500 (1 of 2)" in format_scores(s)
    # many reports of one place: still every gold incident paired with its own day
    days = [f"2022-08-{d:02d}" for d in range(1, 16)]
    gold = _gold(tmp_path, [(d, "Protests") for d in days[:12]])
    built = _built(tmp_path, [(d, "Protests") for d in reversed(days)])
    s = evaluate(gold, built)
    assert (s["matched"], s["predicted"], s["date_exact_accuracy"]) == (12, 15, 1.0)


def test_a_gold_window_needs_both_ends(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"articles": ["a"], "incidents": [
        {"article_id": "a", "place_id": "zvecan", "event_date": None, "date_start": "2022-08-01",
         "event_type": "Protests", "lat": ZVECAN[0], "lon": ZVECAN[1]}]}), encoding="utf-8")
    with pytest.raises(GoldFileError, match="date_end"):
        evaluate(path, _built(tmp_path, [("2022-08-01", "Protests")]))
