"""dashboard.data: reading incidents.geojson, and every way the file can be broken."""

from __future__ import annotations

import codecs
import copy
import json
from pathlib import Path
from typing import Literal

import msgspec
import pandas as pd
import pytest
from browser.datasets import (
    HOSTILE_ID,
    LASTING_ID,
    lasting_collection,
    small_collection,
    write_collection,
    write_raw,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import data as data_module
from dashboard import export, mapdata
from dashboard.data import (
    FRAME_COLUMNS,
    data_dir_from_env,
    file_signature,
    incidents_from_geojson,
    load_incidents,
)
from pipeline.errors import DataFileError, IncidentMapError


@pytest.fixture
def small_data_dir(tmp_path) -> Path:
    return write_collection(tmp_path / "data", small_collection())


def test_loads_every_incident_with_its_columns(small_data_dir):
    data = load_incidents(small_data_dir / "incidents.geojson")
    assert len(data) == 13
    assert list(data.frame.columns) == list(FRAME_COLUMNS)
    assert data.frame["event_date"].isna().sum() == 2
    assert data.frame["incident_id"].is_unique
    # GeoJSON is lon, lat: Jarinje is at about 20.7 E, 43.2 N
    jarinje = data.frame.set_index("incident_id").loc["inc-jarinje-2021-09-26"]
    assert (round(jarinje["lon"], 2), round(jarinje["lat"], 2)) == (20.69, 43.22)
    assert jarinje["article_ids"] == ("a-2021-09-26", "a-2021-09-27")
    assert data_module.feature(jarinje["feature"])["properties"]["incident_id"] == (
        "inc-jarinje-2021-09-26"
    )


def test_whether_an_incident_lasted_is_read_and_false_when_not_said(tmp_path):
    collection = lasting_collection()
    del collection["features"][0]["properties"]["lasting"]  # files of other tools may not say
    collection["features"][1]["properties"]["lasting"] = None
    frame = load_incidents(write_collection(tmp_path, collection) / "incidents.geojson").frame
    assert frame["lasting"].dtype == bool
    assert frame.loc[frame["lasting"], "incident_id"].tolist() == [LASTING_ID]


def test_event_types_are_most_frequent_first(small_data_dir):
    data = load_incidents(small_data_dir / "incidents.geojson")
    assert data.event_types[0] == "Strategic developments"
    assert set(data.event_types) == set(data.frame["event_type"])


def test_articles_and_places_tables(small_data_dir):
    data = load_incidents(small_data_dir / "incidents.geojson")
    articles = data.articles.set_index("article_id")
    assert articles.loc["a-2022-12-11", "incidents"] == 4
    assert articles.loc["a-undated", "published"] == ""
    places = data.places.set_index("place_key")
    assert places.loc["zvecan", "incidents"] == 3
    assert HOSTILE_ID in set(data.frame["incident_id"])


def test_reading_leaves_the_garbage_collector_as_it_was(small_data_dir, tmp_path):
    """Reading pauses Python's cycle collector (it makes many objects and no cycles): it is
    on again afterwards, after an error too, and stays off where it was off."""
    import gc

    broken = write_raw(tmp_path / "broken", "{not json")
    assert gc.isenabled()
    load_incidents(small_data_dir / "incidents.geojson")
    assert gc.isenabled()
    with pytest.raises(DataFileError):
        load_incidents(broken / "incidents.geojson")
    assert gc.isenabled()
    gc.disable()
    try:
        load_incidents(small_data_dir / "incidents.geojson")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_empty_feature_collection_is_valid_and_empty(tmp_path):
    folder = write_collection(tmp_path, {"type": "FeatureCollection", "features": []})
    data = load_incidents(folder / "incidents.geojson")
    assert len(data) == 0
    assert data.event_types == ()


def test_data_dir_comes_from_the_environment():
    assert data_dir_from_env({}) == Path("data")
    assert data_dir_from_env({"INCIDENT_MAP_DATA": "/srv/x"}) == Path("/srv/x")


def test_file_signature_changes_when_the_file_is_rewritten(small_data_dir):
    path = small_data_dir / "incidents.geojson"
    before = file_signature(path)
    path.write_text(path.read_text() + " ")
    assert file_signature(path) != before
    assert file_signature(small_data_dir / "nope.geojson")[1:] == (-1, -1)


BROKEN_FILES = {
    "empty": ("", "empty"),
    "blank": ("  \n\t ", "empty"),
    "truncated": (json.dumps(small_collection())[:500], "truncated"),
    "not json": ("incident_id,event_date\nx,2021-01-01\n", "not valid JSON"),
    "a list": ("[1, 2, 3]", "not a GeoJSON FeatureCollection"),
    "a feature": ('{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
    "no features": ('{"type": "FeatureCollection"}', "no 'features' list"),
}


@pytest.fixture(params=["typed", "generic"])
def parser(request, monkeypatch):
    """Run a test with the contract's msgspec types deciding first (the fast path) and with
    the generic path alone (a parsed document checked feature by feature), which says what
    is wrong whenever the types reject something."""
    if request.param == "generic":
        monkeypatch.setattr(data_module, "_typed_row", lambda body, cited: None)
        monkeypatch.setattr(
            data_module, "_COLLECTION", msgspec.json.Decoder(type=Literal["nothing decodes"])
        )
    return request.param


def test_both_parsers_read_the_same_incidents(tmp_path, parser):
    folder = write_collection(tmp_path / "data", small_collection())
    raw = (folder / "incidents.geojson").read_bytes()
    assert data_module.parse_json(raw) == json.loads(raw)
    assert data_module.parse_json(codecs.BOM_UTF8 + raw) == json.loads(raw)
    frame = load_incidents(folder / "incidents.geojson").frame
    assert list(frame.columns) == list(FRAME_COLUMNS) and len(frame) == 13
    bom = write_raw(tmp_path / "bom", (codecs.BOM_UTF8 + raw).decode("utf-8"))
    _assert_same(
        load_incidents(bom / "incidents.geojson"), load_incidents(folder / "incidents.geojson")
    )


def _assert_same(a, b) -> None:
    """The same incidents, articles and places; each feature the same JSON (as text it may
    differ: the fast path keeps the file's own)."""
    columns = [c for c in FRAME_COLUMNS if c != "feature"]
    pd.testing.assert_frame_equal(a.frame[columns], b.frame[columns])
    assert [data_module.feature(f) for f in a.frame["feature"]] == [
        data_module.feature(f) for f in b.frame["feature"]
    ]
    pd.testing.assert_frame_equal(a.articles, b.articles)
    pd.testing.assert_frame_equal(a.places, b.places)


def _both_paths(document):
    """``document`` read by the typed fast path (from its JSON text) and by the generic path:
    (incidents, error message) of each; the test asserts they agree."""
    outcomes = []
    for read in (
        lambda: data_module.incidents_from_bytes(
            json.dumps(document).encode(), Path("incidents.geojson")
        ),
        lambda: incidents_from_geojson(document, Path("incidents.geojson")),
    ):
        try:
            outcomes.append((read(), None))
        except DataFileError as error:
            outcomes.append((None, str(error)))
    (fast, fast_error), (generic, generic_error) = outcomes
    try:
        json.dumps(document, allow_nan=False)
    except ValueError:  # NaN or infinity: refused both ways, each saying it its own way
        assert fast_error and generic_error
        return fast, fast_error
    assert fast_error == generic_error
    if fast is not None:
        _assert_same(fast, generic)
    return fast, fast_error


MARK = "@@mark@@"
# Text that json.dumps cannot write, in feature 3 of a valid file: what the loader says.
RAW_PROBLEMS = {
    "bad UTF-8 in a title": ("title", b'"\xff"', "is not UTF-8 text"),
    "bad UTF-8 in an extra key": ("other", b'"\xff"', "is not UTF-8 text"),
    # where the types that name every key refuse a key or a value, and what they skip is checked
    "bad UTF-8 in a source's extra key": ("source other", b'"\xff"', "is not UTF-8 text"),
    "bad UTF-8 as a char_start": ("char_start", b'"\xff"', "is not UTF-8 text"),
    "bad UTF-8 in the geometry's extra key": ("geometry other", b'"\xff"', "is not UTF-8 text"),
    "bad UTF-8 as the feature's id": ("id", b'"\xff"', "is not UTF-8 text"),
    "bad UTF-8 in the collection's extra key": ("collection other", b'"\xff"', "is not UTF-8 text"),
    "NaN in an extra key": ("other", b"NaN", "NaN is not a JSON value"),
    "Infinity as a count": ("source_count", b"-Infinity", "-Infinity is not a JSON value"),
    "count beyond a float": ("source_count", b"1e400", "feature 3: holds a value JSON cannot"),
    "a lone surrogate in a quote": (
        "quote",
        b'"\\ud800"',
        "feature 3: holds text that is not Unicode",
    ),
    "an int beyond a float as longitude": (0, b"1" + b"0" * 400, "feature 3: Point coordinates"),
}


@pytest.mark.parametrize("name", sorted(RAW_PROBLEMS))
def test_text_json_dumps_cannot_write_is_refused_by_name(tmp_path, name):
    key, text, problem = RAW_PROBLEMS[name]
    collection = small_collection()
    feature = collection["features"][3]
    if key == 0:
        feature["geometry"]["coordinates"][0] = MARK
    elif key in ("title", "quote", "char_start", "source other"):
        feature["properties"]["sources"][0][key] = MARK
    elif key == "geometry other":
        feature["geometry"]["other"] = MARK
    elif key == "id":
        feature["id"] = MARK
    elif key == "collection other":
        collection["other"] = MARK
    else:
        feature["properties"][key] = MARK
    raw = json.dumps(collection).encode().replace(f'"{MARK}"'.encode(), text)
    (tmp_path / "incidents.geojson").write_bytes(raw)
    with pytest.raises(DataFileError) as caught:
        load_incidents(tmp_path / "incidents.geojson")
    assert problem in str(caught.value)


def test_a_number_beyond_a_float_in_a_property_nobody_reads_is_kept(tmp_path):
    """JSON has no range for numbers: the file loads, its text is kept for the GeoJSON export
    and read (as json does: inf) for the CSV and the popups."""
    collection = small_collection()
    collection["features"][3]["properties"]["other"] = MARK
    raw = json.dumps(collection).encode().replace(f'"{MARK}"'.encode(), b"1e400")
    (tmp_path / "incidents.geojson").write_bytes(raw)
    frame = load_incidents(tmp_path / "incidents.geojson").frame
    assert b'"other": 1e400' in frame["feature"].iloc[3]
    assert data_module.feature(frame["feature"].iloc[3])["properties"]["other"] == float("inf")
    assert json.loads(export.geojson_bytes(frame))["features"][3]["properties"]["other"] == float(
        "inf"
    )
    assert export.csv_bytes(frame).count(b"\n") == 14
    mapdata.map_data(frame, {})  # the popups read it
    # the generic path, given the parsed document (inf), cannot write it back: refused
    collection["features"][3]["properties"]["other"] = float("inf")
    with pytest.raises(DataFileError, match="feature 3: holds a value JSON cannot hold"):
        incidents_from_geojson(collection, Path("incidents.geojson"))


@pytest.mark.parametrize("value", [b"1e400", b'"3"', b"-1", b"null", b"2.5"])
def test_a_char_start_the_build_would_not_write_is_kept_as_it_is(tmp_path, value):
    """char_start and char_end are read as the build writes them (integers) only to check the
    file's text; any other value is the contract's business, not the dashboard's: kept."""
    collection = small_collection()
    collection["features"][3]["properties"]["sources"][0]["char_start"] = MARK
    raw = json.dumps(collection).encode().replace(f'"{MARK}"'.encode(), value)
    (tmp_path / "incidents.geojson").write_bytes(raw)
    frame = load_incidents(tmp_path / "incidents.geojson").frame
    assert b'"char_start": ' + value in frame["feature"].iloc[3]
    assert len(frame) == len(collection["features"])


def test_the_fast_path_keeps_each_features_text(tmp_path):
    """The exports write back the file's own text of each feature."""
    text = json.dumps(small_collection(), indent=1, ensure_ascii=False)
    folder = write_raw(tmp_path, text)
    frame = load_incidents(folder / "incidents.geojson").frame
    first = frame["feature"].iloc[0]
    assert isinstance(first, bytes) and first in text.encode("utf-8") and b"\n" in first


@pytest.mark.parametrize("name", sorted(BROKEN_FILES))
def test_broken_file_raises_data_file_error_naming_file_and_problem(tmp_path, name, parser):
    text, problem = BROKEN_FILES[name]
    folder = write_raw(tmp_path, text)
    with pytest.raises(DataFileError) as caught:
        load_incidents(folder / "incidents.geojson")
    assert problem in str(caught.value)
    assert str(folder / "incidents.geojson") in str(caught.value)
    assert isinstance(caught.value, (IncidentMapError, ValueError))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataFileError, match="no incidents file"):
        load_incidents(tmp_path / "incidents.geojson")
    (tmp_path / "dir.geojson").mkdir()
    with pytest.raises(DataFileError, match="is a folder"):
        load_incidents(tmp_path / "dir.geojson")


def test_not_utf8(tmp_path, parser):
    (tmp_path / "incidents.geojson").write_bytes(b'{"type": "FeatureCollection", "x": "\xff"}')
    with pytest.raises(DataFileError, match="UTF-8"):
        load_incidents(tmp_path / "incidents.geojson")


def _broken(mutate) -> dict:
    collection = copy.deepcopy(small_collection())
    mutate(collection["features"][3])
    return collection


FEATURE_PROBLEMS = {
    "polygon": (lambda f: f["geometry"].update(type="Polygon"), "not a Point"),
    "lat lon swapped out of range": (
        lambda f: f["geometry"].update(coordinates=[20.8, 142.9]),
        "outside",
    ),
    "string coordinate": (lambda f: f["geometry"].update(coordinates=["20", 42]), "[lon, lat]"),
    "no id": (lambda f: f["properties"].pop("incident_id"), "incident_id is missing"),
    "bad date": (lambda f: f["properties"].update(event_date="10/12/2022"), "YYYY-MM-DD"),
    "impossible date": (lambda f: f["properties"].update(event_date="2022-02-30"), "YYYY-MM-DD"),
    "precision": (lambda f: f["properties"].update(time_precision=7), "time_precision"),
    "sources not list": (lambda f: f["properties"].update(sources="x"), "sources is not a list"),
    "count mismatch": (lambda f: f["properties"].update(source_count=5), "source_count"),
    "no type": (lambda f: f["properties"].update(event_type=None), "event_type"),
    "numeric title": (lambda f: f["properties"]["sources"][0].update(title=3), "title"),
    "precision zero": (lambda f: f["properties"].update(time_precision=0), "time_precision"),
    "precision true": (lambda f: f["properties"].update(geo_precision=True), "geo_precision"),
    "precision 2.0": (lambda f: f["properties"].update(geo_precision=2.0), "geo_precision"),
    "empty id": (lambda f: f["properties"].update(incident_id=""), "incident_id is missing"),
    "source not object": (lambda f: f["properties"].update(sources=[1]), "source 0"),
    "four coordinates": (lambda f: f["geometry"].update(coordinates=[20, 42, 0, 1]), "[lon, lat]"),
    "text altitude": (lambda f: f["geometry"].update(coordinates=[20, 42, "x"]), "[lon, lat]"),
    "no geometry": (lambda f: f.pop("geometry"), "not a Point"),
    "not a feature": (lambda f: f.update(type="feature"), "not a GeoJSON Feature"),
    "no properties": (lambda f: f.update(properties=[]), "has no properties"),
    "lasting as text": (lambda f: f["properties"].update(lasting="yes"), "lasting 'yes' is not true"),
    "lasting as a number": (lambda f: f["properties"].update(lasting=1), "lasting 1 is not true"),
}

# Values that sit on the edges of the contract's types (ints that are bools or floats,
# empty text, impossible dates, huge numbers...), for the two paths to agree on.
EDGE_VALUES = [
    0, 1, 2, 3, 4, -1, True, False, 2.0, 1.5, None, "", "x", "2021-01-01", "2021-02-30",
    "2021-1-01", [], {}, [1], [{}], 10**20, 1e300, -180, 180.0001, 90, -90.5,
]  # fmt: skip
SOURCE_KEYS = [
    "article_id", "title", "outlet", "published", "url", "quote", "mention", "char_start", "other",
]  # fmt: skip
PROPERTY_KEYS_AND_MORE = sorted(small_collection()["features"][0]["properties"]) + ["other"]


@pytest.mark.parametrize("where", ["properties", "sources", "coordinates"])
def test_the_fast_path_and_the_generic_path_agree_on_edge_values(where):
    """Every edge value in every property, source field and coordinate of one feature."""
    keys = {"properties": PROPERTY_KEYS_AND_MORE, "sources": SOURCE_KEYS, "coordinates": [0, 1, 2]}
    outcomes = set()
    for key in keys[where]:
        for value in EDGE_VALUES:
            collection = small_collection()
            feature = collection["features"][3]
            if where == "coordinates":
                feature["geometry"]["coordinates"][key : key + 1] = [value]
            elif where == "sources":
                feature["properties"]["sources"][0][key] = value
            else:
                feature["properties"][key] = value
            data, _ = _both_paths(collection)
            outcomes.add(data is None)
    assert outcomes == {True, False}  # some load, some are refused


@pytest.mark.parametrize("name", sorted(FEATURE_PROBLEMS))
def test_feature_breaking_the_contract_is_named(name):
    mutate, problem = FEATURE_PROBLEMS[name]
    data, error = _both_paths(_broken(mutate))
    assert data is None
    assert "feature 3" in error
    assert problem in error


def test_duplicate_incident_ids():
    collection = small_collection()
    collection["features"].append(copy.deepcopy(collection["features"][0]))
    with pytest.raises(DataFileError, match="more than once"):
        incidents_from_geojson(collection, Path("incidents.geojson"))


def test_optional_text_may_be_null():
    def blank(feature):
        feature["properties"].update(sub_event_type=None, admin2=None)
        feature["properties"]["sources"][0].update(url=None, published=None, title=None)

    data = incidents_from_geojson(_broken(blank), Path("incidents.geojson"))
    assert data.frame.loc[3, "admin2"] == ""


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["type", "features", "geometry", "properties", "coordinates", "incident_id", "x"]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_either_loads_or_raises_data_file_error(document):
    _both_paths(document)  # loads or raises DataFileError, the same either way


PROPERTY_KEYS = sorted(small_collection()["features"][0]["properties"])


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 12), st.sampled_from(PROPERTY_KEYS + ["geometry"]), JSON)
def test_any_value_in_a_valid_file_loads_or_raises_data_file_error(index, key, value):
    collection = small_collection()
    feature = collection["features"][index]
    if key == "geometry":
        feature["geometry"] = value
    else:
        feature["properties"][key] = value
    data, error = _both_paths(collection)
    assert data is not None or error
    assert data is None or len(data) == 13
