"""The GeoPackage output (``pipeline.export._write_gpkg``): Arrow record batches written by
``pyogrio.write_arrow`` a few batches a write, every incident in order, the columns' types
fixed by ``gpkg_schema`` whatever the values, and an error met while the incidents are made
raised as itself."""

from __future__ import annotations

import pyogrio
import pytest

from pipeline import export
from pipeline.errors import OutputError
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


def _assert_layer(path, features: int) -> None:
    """The layer's name, CRS, geometry and columns, each of the type the schema gives."""
    info = pyogrio.read_info(path)
    assert info["layer_name"] == "incidents" and info["features"] == features
    assert info["crs"] == "EPSG:4326" and info["geometry_type"] == "Point"
    assert info["geometry_name"] == "geom"
    assert list(info["fields"]) == list(feature_properties_order())
    types = dict(zip(info["fields"], zip(info["ogr_types"], info["ogr_subtypes"], strict=True), strict=True))
    assert types["lasting"] == ("OFTInteger", "OFSTBoolean")
    for column in ("time_precision", "geo_precision", "source_count"):
        assert types[column] == ("OFTInteger64", "OFSTNone"), column
    for column in ("sub_event_type", "place_id", "sources", "event_date"):
        assert types[column] == ("OFTString", "OFSTNone"), column


def test_every_incident_in_order_over_several_batches_and_writes(tmp_path, monkeypatch):
    # three batches (the first has no sub-event type at all), in two writes: the second appends
    monkeypatch.setattr(export, "GPKG_BATCH", 2)
    monkeypatch.setattr(export, "GPKG_BATCHES_PER_WRITE", 2)
    writes = []
    write_arrow = pyogrio.write_arrow
    monkeypatch.setattr(pyogrio, "write_arrow", lambda *a, **k: (writes.append(k["append"]), write_arrow(*a, **k)))
    rows = [_row(n) for n in range(5)]
    path = tmp_path / "incidents.gpkg"
    export._write_gpkg(iter(rows), path)

    assert writes == [False, True]
    _assert_layer(path, 5)
    frame = pyogrio.read_dataframe(path)
    for column in feature_properties_order():
        assert frame[column].tolist() == [r.props[column] for r in rows], column
    assert frame.geometry.x.tolist() == [r.lon for r in rows]
    assert frame.geometry.y.tolist() == [r.lat for r in rows]


def test_no_incidents_is_an_empty_layer_of_the_same_columns_and_types(tmp_path):
    path = tmp_path / "incidents.gpkg"
    export._write_gpkg(iter([]), path)
    _assert_layer(path, 0)


@pytest.mark.parametrize("after", [3, 4], ids=["while-a-write-reads", "between-writes"])
def test_an_error_while_the_incidents_are_made_is_raised_as_itself_with_its_cause(tmp_path, monkeypatch, after):
    """(pyogrio reads the batches through Arrow's C stream and would report an error raised in
    between as a RuntimeError of its own.) 3 rows: the error comes inside the first write; 4:
    the first write has ended, and the error comes as the next one starts."""
    monkeypatch.setattr(export, "GPKG_BATCH", 2)
    monkeypatch.setattr(export, "GPKG_BATCHES_PER_WRITE", 2)

    def rows():
        yield from (_row(n) for n in range(after))
        try:
            {}["spill"]
        except KeyError:
            try:
                raise OSError(28, "No space left on device")
            except OSError as exc:
                raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed") from exc

    with pytest.raises(UnicodeEncodeError, match="surrogates not allowed") as info:
        export._write_gpkg(rows(), tmp_path / "incidents.gpkg")
    assert isinstance(info.value.__cause__, OSError) and info.value.__cause__.errno == 28
    assert isinstance(info.value.__context__, OSError)  # not pyogrio's RuntimeError
    assert isinstance(info.value.__context__.__context__, KeyError)
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None  # the fixed date let go


def test_gdals_error_with_the_folder_gone_is_an_output_error_naming_the_file(tmp_path, monkeypatch):
    """(A full disk is told apart by the folder's free space, which a folder that is gone has
    none of to ask about.)"""
    folder = tmp_path / "staging"
    folder.mkdir()

    def fails(*args, **kwargs):
        folder.rmdir()
        raise pyogrio.errors.DataSourceError("sqlite3_open(incidents.gpkg) failed: unable to open database file")

    monkeypatch.setattr(pyogrio, "write_arrow", fails)
    with pytest.raises(OutputError, match="^incidents.gpkg: sqlite3_open.* failed: unable to open"):
        export._write_gpkg(iter([_row(0)]), folder / "incidents.gpkg")
    assert pyogrio.get_gdal_config_option("OGR_CURRENT_DATE") is None
