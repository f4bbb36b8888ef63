"""Read and validate the ``incidents.geojson`` that ``incident-map build`` writes.

The dashboard reads only this file (the contract in DESIGN.md), never the pipeline's
internals. Everything wrong with the file -- missing, empty, truncated, not GeoJSON, a
feature that breaks the contract -- becomes one :class:`~pipeline.errors.DataFileError`
naming the file and the problem, so the app can say what to do next instead of failing.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import functools
import gc
import json
import math
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
import pandas as pd

from pipeline.errors import DataFileError

DATA_ENV_VAR = "INCIDENT_MAP_DATA"
DEFAULT_DATA_DIR = "data"
INCIDENTS_FILE = "incidents.geojson"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TEXT_PROPERTIES = ("sub_event_type", "place_id", "location", "admin2", "country")
_SOURCE_TEXT = ("article_id", "title", "outlet", "published", "url", "quote", "mention")

# The columns of IncidentData.frame, in order; "feature" holds the feature's JSON text as it
# was read (bytes: :func:`feature` decodes it).
FRAME_COLUMNS = (
    "incident_id",
    "event_date",
    "date_start",
    "date_end",
    "time_precision",
    "lasting",
    "event_type",
    "sub_event_type",
    "place_id",
    "place_key",
    "location",
    "admin2",
    "country",
    "geo_precision",
    "source_count",
    "lon",
    "lat",
    "article_ids",
    "source_titles",
    "source_chars",
    "feature",
)


@dataclass(frozen=True)
class IncidentData:
    """The incidents of one file, validated.

    ``frame`` has one row per incident (columns :data:`FRAME_COLUMNS`; ``event_date`` is a
    ``datetime64`` day or ``NaT`` when undated; ``feature`` is the GeoJSON feature's JSON
    text exactly as read, which the exports write back unchanged and :func:`feature`
    decodes). ``articles`` and ``places`` list the source articles and places the incidents
    cite, for the filters.
    """

    path: Path
    frame: pd.DataFrame
    articles: pd.DataFrame
    places: pd.DataFrame

    @cached_property
    def event_types(self) -> tuple[str, ...]:
        """Event types, most frequent first (ties by name)."""
        counts = self.frame["event_type"].value_counts()
        return tuple(sorted(counts.index, key=lambda t: (-counts[t], t)))

    def __len__(self) -> int:
        return len(self.frame)


def data_dir_from_env(environ: dict[str, str] | None = None) -> Path:
    """The folder the app reads: ``$INCIDENT_MAP_DATA``, else ``data/``."""
    env = os.environ if environ is None else environ
    return Path(env.get(DATA_ENV_VAR) or DEFAULT_DATA_DIR)


def incidents_path(data_dir: Path) -> Path:
    return Path(data_dir) / INCIDENTS_FILE


def file_signature(path: Path) -> tuple[str, int, int]:
    """(path, mtime_ns, size): changes whenever the file is rewritten; a cache key."""
    try:
        stat = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_mtime_ns, stat.st_size)


def load_incidents(path: Path) -> IncidentData:
    """Read ``path`` (an ``incidents.geojson``) into :class:`IncidentData`.

    Raises :class:`DataFileError` when the file is missing, empty, not JSON, not a GeoJSON
    FeatureCollection, or when a feature breaks the contract.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(str(path), "no incidents file here yet")
    if path.is_dir():
        raise DataFileError(str(path), "is a folder, not an incidents file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise DataFileError(str(path), "the file is empty")
    with _collector_paused():
        return incidents_from_bytes(raw, path)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: reading 100,000 incidents makes millions of objects,
    none of them in a cycle, and each collection they set off walks the server's whole heap
    (0.1-0.2 s of the 1.2 s that reading takes)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def feature(text: bytes) -> dict[str, Any]:
    """A frame's ``feature`` (the feature's JSON text) as a dict."""
    try:
        return msgspec.json.decode(text)
    except msgspec.MsgspecError:  # JSON that msgspec does not read: a number beyond a float's
        return json.loads(text)  # range in a property the dashboard does not use (json: inf)


def parse_json(raw: bytes) -> Any:
    """The JSON document in ``raw`` (UTF-8, a BOM allowed).

    Raises UnicodeDecodeError when ``raw`` is not UTF-8, json.JSONDecodeError (with the
    line and column) when it is not JSON and ValueError for NaN or Infinity. Parsed with
    msgspec; the standard library has the last word on what msgspec rejects (a number
    beyond a float's range is JSON).
    """
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return msgspec.json.decode(raw)
    except msgspec.MsgspecError:
        # the error that says where; NaN and Infinity are not JSON, whatever json reads
        return json.loads(raw.decode("utf-8"), parse_constant=_not_json)


def _not_json(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON value")


# The contract as msgspec types (DESIGN.md): a feature these decode is checked in C, in one
# pass, and what they cannot check (the dates, coordinate ranges, the source count) is
# checked after. A date is any string to them: _is_date checks its form and its day, once
# per distinct value (a pattern in the type ran a regular expression on every date of every
# feature, 0.15 s of the 1.2 s a file of 100,000 incidents took). They accept no feature that
# _row rejects; any feature they reject goes to _row, which says what is wrong (or accepts
# it: the types are the stricter, e.g. about a source_count of 2.0).
_Precision = Annotated[int, msgspec.Meta(ge=1, le=3)]
_Text = Annotated[str, msgspec.Meta(min_length=1)]


class _Source(msgspec.Struct, gc=False):
    article_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    url: str | None = None
    quote: str | None = None
    mention: str | None = None


class _Properties(msgspec.Struct, gc=False):
    incident_id: _Text
    event_type: _Text
    time_precision: _Precision
    geo_precision: _Precision
    sources: list[_Source]
    source_count: int
    event_date: str | None = None
    date_start: str | None = None
    date_end: str | None = None
    lasting: bool | None = None
    sub_event_type: str | None = None
    place_id: str | None = None
    location: str | None = None
    admin2: str | None = None
    country: str | None = None


class _Point(msgspec.Struct, gc=False):
    type: Literal["Point"]
    coordinates: Annotated[list[float], msgspec.Meta(min_length=2, max_length=3)]


class _Feature(msgspec.Struct, gc=False):
    type: Literal["Feature"]
    geometry: _Point
    properties: _Properties


class _Collection(msgspec.Struct, gc=False):
    type: Literal["FeatureCollection"]
    features: list[msgspec.Raw]  # each feature's text, decoded one by one


# The same types naming every key that `incident-map build` writes, and refusing any other.
# msgspec checks that the text it reads is UTF-8, not the text it skips: a file these read
# whole was checked in full, and needs no check of its own (0.13 s at 100,000 incidents).
# Whatever they refuse goes to the types above, after a UTF-8 check of what they skip.
class _BuiltSource(_Source, forbid_unknown_fields=True, gc=False):
    char_start: int | None = None
    char_end: int | None = None


class _BuiltProperties(_Properties, forbid_unknown_fields=True, gc=False):
    sources: list[_BuiltSource]


class _BuiltPoint(_Point, forbid_unknown_fields=True, gc=False):
    pass


class _BuiltFeature(_Feature, forbid_unknown_fields=True, gc=False):
    geometry: _BuiltPoint
    properties: _BuiltProperties


class _BuiltCollection(_Collection, forbid_unknown_fields=True, gc=False):
    pass


_COLLECTION = msgspec.json.Decoder(_Collection)
_FEATURE = msgspec.json.Decoder(_Feature)
_BUILT_COLLECTION = msgspec.json.Decoder(_BuiltCollection)
_BUILT_FEATURE = msgspec.json.Decoder(_BuiltFeature)


def incidents_from_bytes(raw: bytes, path: Path) -> IncidentData:
    """Validate the GeoJSON text ``raw``; ``path`` only names it in errors.

    The same incidents and the same errors as ``incidents_from_geojson(parse_json(raw))``
    for any text ``json.dumps`` writes (tests/test_dashboard_data.py), a few times faster (at
    100,000 incidents, 2.5 s instead of 5 s of the dashboard's start). It also keeps a
    number beyond a float's range in a property it does not read, which the generic path,
    having only the parsed value (inf), cannot write back, and refuses.
    """
    where = str(path)
    body_text = raw.removeprefix(codecs.BOM_UTF8)
    try:
        try:
            collection = _BUILT_COLLECTION.decode(body_text)  # no key skipped but the features'
        except msgspec.ValidationError:  # another key: skipped below, so checked here
            _check_utf8(body_text)
            collection = _COLLECTION.decode(body_text)
        rows: list[tuple[Any, ...]] = []
        cited: list[tuple[str, str, str, str]] = []
        for index, text in enumerate(collection.features):
            body = bytes(text)
            row = _typed_row(body, cited)
            if row is None:  # _row says what is wrong (a text msgspec cannot read goes below)
                row = _row(msgspec.json.decode(body), index, where, body, cited)
            rows.append(row)
    except (msgspec.MsgspecError, UnicodeDecodeError):
        # not UTF-8, not JSON, not a FeatureCollection, a number beyond a float's range, a lone
        # surrogate...: the generic path says exactly what
        return incidents_from_geojson(_parse(raw, where), path)
    return _incident_data(rows, cited, path)


def _check_utf8(text: bytes) -> None:
    """Raises UnicodeDecodeError unless ``text`` is UTF-8 (msgspec does not check the text it
    skips)."""
    if not text.isascii():
        text.decode("utf-8")


def _parse(raw: bytes, where: str) -> Any:
    try:
        return parse_json(raw)
    except UnicodeDecodeError as exc:
        raise DataFileError(where, "is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(
            where,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "the file may be truncated",
        ) from exc
    except ValueError as exc:  # NaN, Infinity
        raise DataFileError(where, f"is not valid JSON ({exc})") from exc


def incidents_from_geojson(document: Any, path: Path) -> IncidentData:
    """Validate a parsed GeoJSON document; ``path`` only names it in errors."""
    where = str(path)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise DataFileError(where, "is not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list):
        raise DataFileError(where, "the FeatureCollection has no 'features' list")
    cited: list[tuple[str, str, str, str]] = []
    rows = [
        _row(item, index, where, _encode(item, index, where), cited)
        for index, item in enumerate(features)
    ]
    return _incident_data(rows, cited, path)


def _encode(item: Any, index: int, where: str) -> bytes:
    """A parsed feature's JSON text (what the exports write back)."""
    try:
        text = json.dumps(item, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:  # NaN, a number beyond a float's range
        raise DataFileError(
            where, f"feature {index}: holds a value JSON cannot hold ({exc})"
        ) from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise DataFileError(
            where, f"feature {index}: holds text that is not Unicode (a lone surrogate)"
        ) from None


def _incident_data(
    rows: list[tuple[Any, ...]], cited: list[tuple[str, str, str, str]], path: Path
) -> IncidentData:
    # Rows as tuples in FRAME_COLUMNS order: building the frame from 100,000 dicts took
    # about a second of a cold start.
    where = str(path)
    frame = pd.DataFrame.from_records(rows, columns=list(FRAME_COLUMNS))
    frame["event_date"] = pd.to_datetime(frame["event_date"], format="%Y-%m-%d")
    for column in ("time_precision", "geo_precision", "source_count", "source_chars"):
        frame[column] = frame[column].astype("int64")
    for column in ("lon", "lat"):
        frame[column] = frame[column].astype("float64")
    frame["lasting"] = frame["lasting"].astype(bool)
    duplicated = frame["incident_id"].duplicated()
    if duplicated.any():
        first = frame.loc[duplicated, "incident_id"].iloc[0]
        raise DataFileError(where, f"incident_id {first!r} appears more than once")
    return IncidentData(
        path=Path(path), frame=frame, articles=_articles(cited), places=_places(frame)
    )


def _typed_row(body: bytes, cited: list[tuple[str, str, str, str]]) -> tuple[Any, ...] | None:
    """:func:`_row` of a feature that the contract's types decode, or None: let _row say why.
    Raises UnicodeDecodeError when ``body`` is not UTF-8."""
    try:
        item = _BUILT_FEATURE.decode(body)
    except msgspec.ValidationError:  # another key (skipped below, so checked here), or a value
        _check_utf8(body)  # the types refuse (below too)
        try:
            item = _FEATURE.decode(body)
        except msgspec.MsgspecError:
            return None
    except msgspec.MsgspecError:
        return None
    coordinates = item.geometry.coordinates
    lon, lat = coordinates[0], coordinates[1]
    props = item.properties
    sources = props.sources
    if not (
        -180.0 <= lon <= 180.0
        and -90.0 <= lat <= 90.0
        and (len(coordinates) == 2 or math.isfinite(coordinates[2]))
        and props.source_count == len(sources)
        and (props.event_date is None or _is_date(props.event_date))
        and (props.date_start is None or _is_date(props.date_start))
        and (props.date_end is None or _is_date(props.date_end))
    ):
        return None
    source_chars = 0
    article_ids = []
    titles = []
    for source in sources:  # as _row's loop, unrolled: 100,000s of sources
        article_id = source.article_id or ""
        title = source.title or ""
        outlet = source.outlet or ""
        published = source.published or ""
        source_chars += (
            len(article_id) + len(title) + len(outlet) + len(published)
            + len(source.url or "") + len(source.quote or "") + len(source.mention or "")
        )  # fmt: skip
        article_ids.append(article_id)
        titles.append(title)
        cited.append((article_id, title, outlet, published))
    return _frame_row(
        props.incident_id,
        props.event_date,
        props.date_start,
        props.date_end,
        props.time_precision,
        bool(props.lasting),
        props.event_type,
        props.sub_event_type or "",
        props.place_id or "",
        props.location or "",
        props.admin2 or "",
        props.country or "",
        props.geo_precision,
        float(lon),
        float(lat),
        article_ids,
        titles,
        source_chars,
        body,
    )


def _frame_row(
    incident_id: str,
    event_date: str | None,
    date_start: str | None,
    date_end: str | None,
    time_precision: int,
    lasting: bool,
    event_type: str,
    sub_event_type: str,
    place_id: str,
    location: str,
    admin2: str,
    country: str,
    geo_precision: int,
    lon: float,
    lat: float,
    article_ids: list[str],
    titles: list[str],
    source_chars: int,
    body: bytes,
) -> tuple[Any, ...]:
    """A row of FRAME_COLUMNS, in their order (both checks end here)."""
    return (
        incident_id,
        event_date,
        date_start,
        date_end,
        time_precision,
        lasting,
        event_type,
        sub_event_type,
        place_id,
        place_id or location,  # place_key
        location,
        admin2,
        country,
        geo_precision,
        len(article_ids),  # source_count: one article id a source
        lon,
        lat,
        tuple(article_ids),
        " | ".join(titles),
        source_chars,
        body,
    )


def _row(
    feature: Any, index: int, where: str, body: bytes, cited: list[tuple[str, str, str, str]]
) -> tuple[Any, ...]:
    """One feature checked against the contract, as a row of FRAME_COLUMNS (``body``: its
    JSON text); each of its sources' (article_id, title, outlet, published) goes to ``cited``."""

    def fail(problem: str) -> DataFileError:
        return DataFileError(where, f"feature {index}: {problem}")

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise fail("is not a GeoJSON Feature")
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise fail("geometry is not a Point")
    coordinates = geometry.get("coordinates")
    if not (
        isinstance(coordinates, list)
        and len(coordinates) in (2, 3)
        and _is_number(coordinates[0])
        and _is_number(coordinates[1])
        and (len(coordinates) == 2 or _is_number(coordinates[2]))
    ):
        raise fail("Point coordinates are not [lon, lat]")
    lon, lat = float(coordinates[0]), float(coordinates[1])  # GeoJSON is lon, lat
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise fail(f"coordinates [{lon}, {lat}] are outside [lon, lat] ranges")

    props = feature.get("properties")
    if not isinstance(props, dict):
        raise fail("has no properties")
    incident_id = props.get("incident_id")
    if not isinstance(incident_id, str) or not incident_id:
        raise fail("incident_id is missing")

    def fail_in(problem: str) -> DataFileError:
        return fail(f"(incident {incident_id}) {problem}")

    event_type = props.get("event_type")
    if not isinstance(event_type, str) or not event_type:
        raise fail_in("event_type is missing")
    dates = {}
    for key in ("event_date", "date_start", "date_end"):
        value = props.get(key)
        if value is not None and not (isinstance(value, str) and _is_date(value)):
            raise fail_in(f"{key} {value!r} is not a YYYY-MM-DD date or null")
        dates[key] = value
    precisions = {}
    for key in ("time_precision", "geo_precision"):
        value = props.get(key)
        if not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 3):
            raise fail_in(f"{key} {value!r} is not 1, 2 or 3")
        precisions[key] = value
    lasting = props.get("lasting")
    if lasting is not None and not isinstance(lasting, bool):
        raise fail_in(f"lasting {lasting!r} is not true, false or null")
    texts = {}
    for key in _TEXT_PROPERTIES:
        value = props.get(key)
        if value is not None and not isinstance(value, str):
            raise fail_in(f"{key} is not text")
        texts[key] = value or ""
    sources = props.get("sources")
    if not isinstance(sources, list):
        raise fail_in("sources is not a list")
    # One pass over the sources checks them and gathers what the frame needs.
    article_ids = []
    titles = []
    source_chars = 0
    for number, source in enumerate(sources):
        if not isinstance(source, dict):
            raise fail_in(f"source {number} is not an object")
        for key in _SOURCE_TEXT:
            value = source.get(key)
            if value is not None:
                if not isinstance(value, str):
                    raise fail_in(f"source {number}: {key} is not text")
                source_chars += len(value)
        article_ids.append(source.get("article_id") or "")
        titles.append(source.get("title") or "")
    source_count = props.get("source_count")
    if source_count != len(sources):
        raise fail_in(f"source_count {source_count!r} differs from the {len(sources)} sources")
    cited.extend(
        (
            s.get("article_id") or "",
            s.get("title") or "",
            s.get("outlet") or "",
            s.get("published") or "",
        )
        for s in sources
    )

    return _frame_row(
        incident_id,
        dates["event_date"],
        dates["date_start"],
        dates["date_end"],
        precisions["time_precision"],
        bool(lasting),
        event_type,
        texts["sub_event_type"],
        texts["place_id"],
        texts["location"],
        texts["admin2"],
        texts["country"],
        precisions["geo_precision"],
        lon,
        lat,
        article_ids,
        titles,
        source_chars,
        body,
    )


def _is_number(value: Any) -> bool:
    """A finite int or float (not a bool), which ``float()`` converts."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int beyond a float's range
        return False


@functools.lru_cache(maxsize=65_536)  # a file has a few thousand distinct days
def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _articles(cited: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """One row per cited article: its first-seen metadata and how many incidents cite it
    (``cited``: every source's (article_id, title, outlet, published), in the file's order)."""
    return _first_and_count(cited, ["article_id", "title", "outlet", "published"])


def _places(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per place (``place_key``: the place_id, else the location name): its display
    name, municipality and country (the first incident's) and incident count."""
    columns = ["place_key", "location", "admin2", "country"]
    return _first_and_count(zip(*(frame[c].tolist() for c in columns), strict=True), columns)


def _first_and_count(rows: Iterable[tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
    """For each distinct first value of ``rows``, the first row that has it and how many do
    (the column ``incidents``), in the order first seen. (A dict: pandas' groupby took three
    times as long at 100,000 incidents.)"""
    seen: dict[Any, list[Any]] = {}
    for row in rows:
        entry = seen.get(row[0])
        if entry is None:
            seen[row[0]] = [*row, 1]
        else:
            entry[-1] += 1
    return pd.DataFrame(list(seen.values()), columns=[*columns, "incidents"])
