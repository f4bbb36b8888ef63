"""dashboard.export: the filtered incidents as RFC 7946 GeoJSON and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from browser.datasets import HOSTILE_ID, small_collection, write_collection

from dashboard import export
from dashboard import filters as flt
from dashboard.data import incidents_from_geojson, load_incidents
from dashboard.filters import Filters, Window


@pytest.fixture(scope="module")
def small_frame(tmp_path_factory):
    folder = write_collection(tmp_path_factory.mktemp("data"), small_collection())
    return load_incidents(folder / "incidents.geojson").frame


def test_geojson_writes_each_features_text_as_it_was_read(tmp_path):
    text = json.dumps(small_collection(), indent=2, ensure_ascii=False)
    (tmp_path / "incidents.geojson").write_text(text, encoding="utf-8")
    frame = load_incidents(tmp_path / "incidents.geojson").frame
    out = export.geojson_bytes(frame.iloc[[4, 1]])
    for body in frame["feature"].iloc[[4, 1]]:
        assert body in out and body in text.encode("utf-8")
    assert [f["properties"]["incident_id"] for f in json.loads(out)["features"]] == list(
        frame["incident_id"].iloc[[4, 1]]
    )
    # the generic path (a parsed document) writes the same features
    generic = incidents_from_geojson(small_collection(), Path("incidents.geojson")).frame
    assert json.loads(export.geojson_bytes(generic.iloc[[4, 1]])) == json.loads(out)


def test_geojson_is_the_same_features_as_read(small_frame):
    window = Window(dt.date(2022, 12, 10), dt.date(2022, 12, 31))
    chosen = flt.in_window(flt.apply_filters(small_frame, Filters()), window)
    out = json.loads(export.geojson_bytes(chosen))
    assert out["type"] == "FeatureCollection"
    assert "crs" not in out  # RFC 7946
    originals = {f["properties"]["incident_id"]: f for f in small_collection()["features"]}
    assert [f["properties"]["incident_id"] for f in out["features"]] == list(chosen["incident_id"])
    for feature in out["features"]:
        assert feature == originals[feature["properties"]["incident_id"]]


def test_geojson_round_trips_through_the_loader(small_frame, tmp_path):
    (tmp_path / "incidents.geojson").write_bytes(export.geojson_bytes(small_frame))
    again = load_incidents(tmp_path / "incidents.geojson")
    assert list(again.frame["incident_id"]) == list(small_frame["incident_id"])


def test_empty_export_is_a_valid_collection(small_frame):
    out = json.loads(export.geojson_bytes(small_frame.iloc[0:0]))
    assert out == {"type": "FeatureCollection", "features": []}
    assert export.csv_bytes(small_frame.iloc[0:0]).decode().strip() == ",".join(export.CSV_COLUMNS)


def test_csv_has_one_row_per_incident(small_frame):
    rows = list(csv.DictReader(io.StringIO(export.csv_bytes(small_frame).decode("utf-8"))))
    assert len(rows) == 13
    assert tuple(rows[0]) == export.CSV_COLUMNS
    jarinje = next(r for r in rows if r["incident_id"] == "inc-jarinje-2021-09-26")
    assert (jarinje["latitude"], jarinje["longitude"]) == ("43.218610", "20.691670")
    assert jarinje["source_count"] == "2"
    assert jarinje["article_ids"] == "a-2021-09-26 a-2021-09-27"
    assert jarinje["source"] == "Balkan Monitor; Danube Wire"
    undated = next(r for r in rows if r["incident_id"] == "inc-undated-pristina")
    assert undated["event_date"] == ""


def test_csv_cells_cannot_run_as_spreadsheet_formulas(small_frame):
    frame = small_frame.copy()
    hostile = frame.index[frame["incident_id"] == HOSTILE_ID][0]
    feature = json.loads(frame.at[hostile, "feature"])
    feature["properties"]["sources"][0]["title"] = '=HYPERLINK("http://evil")'
    frame.at[hostile, "feature"] = json.dumps(feature).encode()
    rows = list(csv.DictReader(io.StringIO(export.csv_bytes(frame).decode("utf-8"))))
    row = next(r for r in rows if r["incident_id"] == HOSTILE_ID)
    assert row["titles"].startswith("'=")


def test_file_names_follow_the_window():
    window = Window(dt.date(2021, 9, 20), dt.date(2021, 10, 2))
    assert export.file_name(window, "geojson") == "incidents_2021-09-20_2021-10-02.geojson"
    assert export.file_name(None, "csv") == "incidents_all.csv"


def test_file_names_say_what_the_filters_keep():
    from dashboard.filters import Filters

    window = Window(dt.date(2021, 9, 20), dt.date(2021, 10, 2))
    assert export.file_name(window, "csv", Filters()) == "incidents_2021-09-20_2021-10-02.csv"
    name = export.file_name(window, "csv", Filters(event_types=("Protests",), places=("Zvečan",)))
    assert name == "incidents_2021-09-20_2021-10-02_protests_zvecan.csv"
    precise = export.file_name(None, "csv", Filters(max_geo_precision=1, max_time_precision=2))
    assert precise == "incidents_all_location-precision-1_date-precision-2.csv"
    # hostile or long values: a file name of ASCII words, cut, and told apart by a digest
    many = Filters(articles=tuple(f"../../etc/passwd {i} <script>" for i in range(20)))
    other = Filters(articles=tuple(f"../../etc/passwd {i} <script>" for i in range(21)))
    a, b = export.file_name(None, "csv", many), export.file_name(None, "csv", other)
    assert a != b and len(a) < 100 and len(b) < 100
    assert all(ch.isascii() and (ch.isalnum() or ch in "_-.") for ch in a + b)
    # what folding loses (Cyrillic, symbols) is told apart by a digest; Latin letters fold
    cyrillic = {export.file_name(None, "csv", Filters(places=(p,))) for p in ("Приштина", "Митровица", "☃")}
    assert len(cyrillic) == 3 and all(n.startswith("incidents_all_filtered-") for n in cyrillic)
    assert export.file_name(None, "csv", Filters(places=("Đakovica",))) == "incidents_all_dakovica.csv"
