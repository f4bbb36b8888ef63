"""The incidents the user is looking at, as files: GeoJSON and CSV bytes.

The GeoJSON writes each feature back exactly as it was read from ``incidents.geojson``
(same geometry, same properties), in an RFC 7946 FeatureCollection (no ``crs`` member;
coordinates stay lon, lat). The CSV has one row per incident with the ACLED-like columns of the pipeline's
``incidents.csv`` (same order, same list separators), plus the sources' titles and URLs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re

import pandas as pd

from dashboard.data import feature as decode_feature
from dashboard.filters import Filters, Window
from pipeline.export import inert_cell
from pipeline.textnorm import fold

CSV_COLUMNS = (
    "incident_id",
    "event_date",
    "date_start",
    "date_end",
    "time_precision",
    "event_type",
    "sub_event_type",
    "country",
    "admin2",
    "location",
    "place_id",
    "latitude",
    "longitude",
    "geo_precision",
    "source_count",
    "source",
    "article_ids",
    "notes",
    "titles",
    "urls",
)
_LIST_SEPARATOR = " | "


def geojson_bytes(incidents: pd.DataFrame) -> bytes:
    """A FeatureCollection of the incidents' features, each one's text as it was read."""
    return b'{"type":"FeatureCollection","features":[' + b",".join(incidents["feature"]) + b"]}"


def csv_rows(incidents: pd.DataFrame) -> list[dict[str, object]]:
    rows = []
    for text in incidents["feature"]:
        feature = decode_feature(text)
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"][:2]  # GeoJSON is lon, lat
        sources = props.get("sources") or []

        def joined(key: str, sources: list[dict] = sources) -> str:
            return _LIST_SEPARATOR.join(str(s.get(key) or "") for s in sources)

        rows.append(
            {
                **{k: props.get(k) for k in CSV_COLUMNS[:11]},
                "latitude": f"{lat:.6f}",
                "longitude": f"{lon:.6f}",
                "geo_precision": props.get("geo_precision"),
                "source_count": props.get("source_count"),
                "source": "; ".join(
                    dict.fromkeys(
                        str(s.get("outlet") or s.get("article_id") or "") for s in sources
                    )
                ),
                "article_ids": " ".join(str(s.get("article_id") or "") for s in sources),
                "notes": joined("quote"),
                "titles": joined("title"),
                "urls": joined("url"),
            }
        )
    return rows


def csv_bytes(incidents: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(incidents):
        writer.writerow({k: _safe_cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def _safe_cell(value: object) -> object:
    """Empty for None; text a spreadsheet would run as a formula made inert (CSV injection:
    article text can start so)."""
    return "" if value is None else inert_cell(value)


def file_name(window: Window | None, extension: str, filters: Filters | None = None) -> str:
    """``incidents_2021-09-20_2021-10-02.geojson`` (``incidents_all...`` with no window),
    and what the filters keep when they are on (``..._protests_jarinje-crossing.csv``), so
    that two exports of other views do not overwrite each other."""
    label = window.label() if window is not None else "all"
    if filters is not None and not filters.is_default:
        label += "_" + _filters_slug(filters)
    return f"incidents_{label}.{extension}"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 60


def _filters_slug(filters: Filters) -> str:
    """The filters' values as ASCII words of a file name (folded as the matcher folds names:
    "Đakovica" -> "dakovica"). Where that loses something (Cyrillic, symbols) or the words
    are long, a digest of the values tells two views apart."""
    words = [*filters.event_types, *filters.places, *filters.articles]
    if filters.max_geo_precision != 3:
        words.append(f"location-precision-{filters.max_geo_precision}")
    if filters.max_time_precision != 3:
        words.append(f"date-precision-{filters.max_time_precision}")
    folded = [fold(w) for w in words]
    slug = "_".join(s for s in (_NOT_SLUG.sub("-", w).strip("-") for w in folded) if s)
    lost = any(not ch.isascii() for w in folded for ch in w)
    if lost or len(slug) > _SLUG_MAX:
        digest = hashlib.sha256("\0".join(words).encode("utf-8")).hexdigest()[:8]
        slug = (slug[: _SLUG_MAX - 9].rstrip("-_") or "filtered") + "-" + digest
    return slug or "filtered"
