"""The GeoPackage output (``pipeline.export._write_gpkg``): Arrow record batches streamed into
one write, every incident in order, the columns' types fixed by ``gpkg_schema`` whatever the
values, and an error met while the incidents are made raised as itself."""

from __future__ import annotations

import pyogrio
import pytest

from pipeline import export
from pipeline.export import Row, feature_properties_order


def _row(n: int) -> Row:
    props = {
        "incident_id": f"inc-{n}", "event_date": f"2022-12-{10 + n:02d}", "date_start": "2022-12-10",
        "date_end": f"2022-12-{10 + n:02d}", "time_precision": 1 + n % 3, "lasting": n % 2 == 0,
        "event_type": "Protests", "sub_event_type": None if n < 2 else "Peaceful protest",
        "place_id": None if n == 4 else "zvecan", "location": "Zvečan", "admin2": "Zveçan",
        "country": "XK", "geo_precision": 1 + n % 2, "sources": f'[{{"title":"t{n}"}}]',
        "source_count": n + 1,
    }  # fmt: skip
    return Row("", [], props, 20.8 + n / 100, 42.9 + n / 100)


def test_every_incident_in_order_over_several_batches_with_the_schemas_types(tmp_path, monkeypatch):
    monkeypatch.setattr(export, "GPKG_BATCH", 2)  # three batches; the first has no sub-event type
    rows = [_row(n) for n in range(5)]
    path = tmp_path / "incidents.gpkg"
    export._write_gpkg(iter(rows), path)

    info = pyogrio.read_info(path)
    assert info["layer_name"] == "incidents" and info["features"] == 5
    assert info["crs"] == "EPSG:4326" and info["geometry_type"] == "Point"
    assert list(info["fields"]) == list(feature_properties_order())
    types = dict(zip(info["fields"], zip(info["ogr_types"], info["ogr_subtypes"], strict=True), strict=True))
    assert types["lasting"] == ("OFTInteger", "OFSTBoolean")
    for column in ("time_precision", "geo_precision", "source_count"):
        assert types[column] == ("OFTInteger64", "OFSTNone"), column
    for column in ("sub_event_type", "place_id", "sources", "event_date"):
        assert types[column] == ("OFTString", "OFSTNone"), column

    frame = pyogrio.read_dataframe(path)
    for column in feature_properties_order():
        assert frame[column].tolist() == [r.props[column] for r in rows], column
    assert frame.geometry.x.tolist() == pytest.approx([r.lon for r in rows], abs=1e-12)
    assert frame.geometry.y.tolist() == pytest.approx([r.lat for r in rows], abs=1e-12)


def test_no_incidents_is_an_empty_layer_with_every_column(tmp_path):
    path = tmp_path / "incidents.gpkg"
    export._write_gpkg(iter([]), path)
    info = pyogrio.read_info(path)
    assert info["features"] == 0 and list(info["fields"]) == list(feature_properties_order())


def test_an_error_while_the_incidents_are_made_is_raised_as_itself(tmp_path, monkeypatch):
    """(GDAL reads the batches: pyarrow hands it an error raised in between as a failed read.)"""
    monkeypatch.setattr(export, "GPKG_BATCH", 2)

    def rows():
        yield from (_row(n) for n in range(3))
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    with pytest.raises(UnicodeEncodeError, match="surrogates not allowed"):
        export._write_gpkg(rows(), tmp_path / "incidents.gpkg")
