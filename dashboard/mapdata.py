"""The map's incidents for the browser: all of them once per data file, then a small view of
which are visible on every rerun.

Moving the date window used to rebuild the window's whole layer in Python (a loop over up to
100,000 incidents), send it through every rerun and rebuild every marker in the browser. Now:

- :func:`map_data` holds every incident of the file in a compact, column-wise form (fixed
  for the file, so built once and cached). The browser fetches it once
  (``IncidentMap.incidents`` in ``static/incident_map.js``) and creates markers only as they
  are first needed.
- :func:`view_data` is what a rerun sends: one bit per incident saying whether it passes the
  filters (:func:`visible_mask`, about 17 KB of base64 for 100,000 incidents) and the date
  window as day numbers (:func:`selection.day_number`). The browser shows an incident when
  its bit is set and its ``day`` is in the window, and adds and removes only the markers
  that changed.
- The date window is also read in the browser, straight from the page's date slider
  (``static/incident_map.js``): a slider step redraws the map at once, without waiting for the
  rerun (about half a second at 10,000 incidents, most of it Streamlit's own machinery). The
  rerun's view then carries the same window, and the map has nothing left to change.

Popups are concatenations of escaped HTML fragments from :mod:`dashboard.popup`, each
distinct fragment stored once. The sources (titles, quotes, links) of every incident travel
with the data when the whole file's source text fits ``DETAIL_BUDGET_CHARS``; above that the
data holds a summary per incident, and a rerun whose window holds at most
``WINDOW_DETAIL_BUDGET_CHARS`` of source text sends the full sources of the window's incidents
with its view (:func:`window_sources`), so narrow windows still show quotes on the map.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np
import pandas as pd

from dashboard import filters as flt
from dashboard import popup, selection
from dashboard.data import feature as decode_feature

# Above this many characters of source text in the whole file, the fetched data carries a
# summary instead of each incident's sources (it is parsed in full by the browser).
DETAIL_BUDGET_CHARS = 6_000_000
# Above this many in a window, a rerun sends no sources with its view (it is sent on every
# slider step, so it must stay well under a megabyte or two).
WINDOW_DETAIL_BUDGET_CHARS = 1_000_000
# Coordinates travel as integers of 1e-5 degree (about 1 m): shorter than decimals in JSON.
COORD_SCALE = 100_000
FORMAT_VERSION = 4
NO_COLOUR = "#888888"


@dataclass(frozen=True)
class MapData:
    """:func:`map_data` encoded for the browser: gzip-compressed JSON, named by its digest."""

    body: bytes
    digest: str
    count: int
    with_sources: bool

    @property
    def file_name(self) -> str:
        return _file_name("incidents", self.digest)


class _Parts:
    """Distinct popup fragments, each stored once; a fragment's index is its place here."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def intern(self, fragment: str) -> int:
        found = self.index.get(fragment)
        if found is None:
            found = self.index[fragment] = len(self.index)
        return found

    def per_group(
        self,
        table: Mapping[str, list[Any]],
        columns: Sequence[str],
        make: Callable[[dict[str, Any]], str],
    ) -> np.ndarray:
        """The fragment index of each row of ``table`` (each column's values, row by row),
        calling ``make`` once per distinct combination of ``columns`` (a place, a day, a type)
        rather than once per incident. (A dict of the combinations seen: pandas' groupby took
        three times as long at 100,000 incidents.)"""
        seen: dict[tuple[Any, ...], int] = {}
        found = seen.get
        indices = []
        for values in zip(*(table[column] for column in columns), strict=True):
            index = found(values)
            if index is None:
                record = _none_for_nan(dict(zip(columns, values, strict=True)))
                index = seen[values] = self.intern(make(record))
            indices.append(index)
        return np.array(indices, dtype=np.int64)


def _none_for_nan(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in record.items()}


def type_palette(
    event_types: pd.Series, colours: Mapping[str, str]
) -> tuple[list[str], np.ndarray]:
    """The colour list the browser indexes, and each row's index into it (types missing from
    ``colours`` get grey, after the known ones)."""
    names = list(colours)
    types = event_types.tolist()
    extra = sorted(set(types) - set(names))
    names += extra
    palette = list(colours.values()) + [NO_COLOUR] * len(extra)
    code = {name: number for number, name in enumerate(names)}
    return palette, np.fromiter((code[t] for t in types), dtype=np.int64, count=len(types))


# The frame's columns that the popup's fragments are made of (besides the event date).
_POPUP_COLUMNS = (
    "event_type", "sub_event_type", "location", "place_id", "admin2", "country",
    "geo_precision", "date_start", "date_end", "time_precision", "lasting",
)  # fmt: skip


def region_rows(frame: pd.DataFrame) -> np.ndarray:
    """The rows of ``frame`` whose location is only a region (geo_precision 3)."""
    return np.flatnonzero(frame["geo_precision"].to_numpy() == 3)


def map_data(
    frame: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    detail_budget: int = DETAIL_BUDGET_CHARS,
) -> dict[str, Any]:
    """Every incident of ``frame`` (:class:`~dashboard.data.IncidentData`'s frame, in its
    order: a view's bit ``i`` is row ``i``), column-wise:

    ``lat``/``lon`` (integers of 1/``COORD_SCALE`` degree), ``day`` (the event date as days
    since 1970-01-01, null when undated), ``lasting`` (the rows that lasted after their
    event date, ``at``, and their last days, ``until``), ``type`` (index into
    ``colours``), ``sources`` (source count), ``regions`` (the rows whose location is only a
    region, geo_precision 3), ``ids``, and the popup as four indices into
    ``parts`` per incident: ``head`` (type), ``place``, ``when`` and ``detail`` (the sources,
    or their summary when ``with_sources`` is false).
    """
    palette, type_codes = type_palette(frame["event_type"], colours)
    with_sources = int(frame["source_chars"].sum()) <= detail_budget
    parts = _Parts()
    table = {column: frame[column].tolist() for column in _POPUP_COLUMNS}
    table["_colour"] = [palette[c] for c in type_codes.tolist()]
    table["_day"] = frame["event_date"].dt.strftime("%Y-%m-%d").tolist()
    head = parts.per_group(
        table,
        ("event_type", "sub_event_type", "_colour"),
        lambda r: popup.type_part(r, r["_colour"]),
    )
    place = parts.per_group(
        table, ("location", "place_id", "admin2", "country", "geo_precision"), popup.place_part
    )
    when = parts.per_group(
        table,
        ("_day", "date_start", "date_end", "time_precision", "lasting"),
        lambda r: popup.when_part({**r, "event_date": r["_day"]}),
    )
    if with_sources:
        detail = [
            parts.intern(popup.sources_part(decode_feature(f)["properties"]))
            for f in frame["feature"]
        ]
    else:
        counts = frame["source_count"].tolist()
        # one fragment per number of sources, in the order first met (the parts' order)
        summary = {n: parts.intern(popup.sources_summary_part(n)) for n in dict.fromkeys(counts)}
        detail = [summary[n] for n in counts]
    return {
        "version": FORMAT_VERSION,
        "count": len(frame),
        "colours": palette,
        "with_sources": with_sources,
        "lat": _scaled(frame["lat"]),
        "lon": _scaled(frame["lon"]),
        "day": day_numbers(frame["event_date"]),
        # the incidents that lasted, and the last day of each (on the map every day of it)
        "lasting": lasting_days(frame),
        "type": type_codes.tolist(),
        "sources": frame["source_count"].astype(np.int64).tolist(),
        # the incidents known only by their region (drawn apart: see incident_map.js)
        "regions": region_rows(frame).tolist(),
        "ids": frame["incident_id"].tolist(),
        "head": head.tolist(),
        "place": place.tolist(),
        "when": when.tolist(),
        "detail": detail,
        "parts": list(parts.index),
    }


def _scaled(values: pd.Series) -> list[int]:
    return np.rint(values.to_numpy(dtype=np.float64) * COORD_SCALE).astype(np.int64).tolist()


def lasting_days(frame: pd.DataFrame) -> dict[str, list[int]]:
    """The rows of ``frame`` on the map after their event date (``at``), and the last day
    each is on it (``until``, :func:`selection.day_number`): those that lasted."""
    days, dated = selection.epoch_days(frame["event_date"])
    until, _ = selection.epoch_days(flt.last_dates(frame))
    rows = np.flatnonzero(dated & (until > days))
    return {"at": rows.tolist(), "until": until[rows].tolist()}


def day_numbers(dates: pd.Series) -> list[int | None]:
    """Each date as days since 1970-01-01 (:func:`selection.day_number`), None where there
    is none."""
    days, dated = selection.epoch_days(dates)
    return [int(d) if ok else None for d, ok in zip(days.tolist(), dated.tolist(), strict=True)]


def gzip_json(data: Any) -> bytes:
    """JSON, gzip-compressed: the browser inflates it with ``DecompressionStream``; served as
    ``application/gzip``, so Streamlit does not compress it again on every request.

    Encoded by msgspec (for the map's data, the same text as ``json.dumps(data,
    ensure_ascii=False, separators=(",", ":"))``, tested; ten times faster) and compressed
    at level 1: at 100,000 incidents 0.1 s instead of 0.7 s of the dashboard's start, for a
    file of 1.5 MB instead of 1.3 MB, fetched once a page load.
    """
    return gzip.compress(msgspec.json.encode(data), compresslevel=1, mtime=0)


def json_file_name(prefix: str, body: bytes) -> str:
    """``prefix-<digest>.json.gz``: a name that changes with the content."""
    return _file_name(prefix, hashlib.sha256(body).hexdigest())


def _file_name(prefix: str, digest: str) -> str:
    return f"{prefix}-{digest[:20]}.json.gz"


def encode(data: Mapping[str, Any]) -> MapData:
    """:func:`map_data` as a file for the browser (:func:`gzip_json`)."""
    body = gzip_json(data)
    return MapData(
        body=body,
        digest=hashlib.sha256(body).hexdigest(),
        count=int(data["count"]),
        with_sources=bool(data["with_sources"]),
    )


def visible_mask(keep: np.ndarray) -> str:
    """One bit per incident (bit ``i`` is bit ``i % 8`` of byte ``i // 8``), base64."""
    bits = np.packbits(np.asarray(keep, dtype=bool), bitorder="little")
    return base64.b64encode(bits.tobytes()).decode("ascii")


def mask_from_base64(text: str, count: int) -> np.ndarray:
    """The inverse of :func:`visible_mask` (for tests and checks)."""
    bits = np.frombuffer(base64.b64decode(text), dtype=np.uint8)
    return np.unpackbits(bits, bitorder="little")[:count].astype(bool)


def window_sources(
    frame: pd.DataFrame, keep: np.ndarray, *, budget: int = WINDOW_DETAIL_BUDGET_CHARS
) -> dict[str, list[Any]] | None:
    """The full sources of the visible incidents (``at``: row numbers, ``html``: escaped
    fragments), or None when they hold more than ``budget`` characters of source text."""
    rows = np.flatnonzero(keep)
    if int(frame["source_chars"].to_numpy()[rows].sum()) > budget:
        return None
    features = frame["feature"].to_numpy()[rows]
    return {
        "at": rows.tolist(),
        "html": [popup.sources_part(decode_feature(f)["properties"]) for f in features],
    }


def view_data(
    passing: np.ndarray,
    window: tuple[dt.date, dt.date],
    keep: np.ndarray,
    details: dict[str, list[Any]] | None = None,
    focus: int | None = None,
    fit: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """What a rerun tells the map: which incidents pass the filters (``mask``), the date
    window (``window``: first and last day, :func:`selection.day_number`), how many
    incidents that leaves (``count``: those of ``keep``, for checks), their sources
    (``details``), the incident selected in the table (``focus``: its row, or None) and
    the bounds to show (``fit``: [[south, west], [north, east]], or None to leave the view)."""
    return {
        "mask": visible_mask(passing),
        "window": [selection.day_number(window[0]), selection.day_number(window[1])],
        "count": int(np.count_nonzero(keep)),
        "details": details,
        "focus": focus,
        "fit": [list(corner) for corner in fit] if fit is not None else None,
    }
