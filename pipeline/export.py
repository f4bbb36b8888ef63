"""Write incidents as RFC 7946 GeoJSON, ACLED-like CSV and GeoPackage, plus ``report.json``.

Every file is written to a temporary file in the output folder and then renamed over the old
one, so a crash never leaves a half-written file in place of a good one. Output is
byte-identical for the same input (sorted keys where order is free, no timestamps).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

from pipeline.errors import OutputError
from pipeline.model import Incident

CSV_COLUMNS = (
    "incident_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
    "sub_event_type", "country", "admin2", "location", "place_id", "latitude", "longitude",
    "geo_precision", "source_count", "source", "article_ids", "notes",
)
_FIXED_GPKG_DATE = "2000-01-01T00:00:00.000Z"


def _iso(d) -> str | None:
    return d.isoformat() if d is not None else None


def feature(incident: Incident) -> dict:
    p = incident.place
    return {
        "type": "Feature",
        # GeoJSON is lon, lat
        "geometry": {"type": "Point", "coordinates": [round(p.lon, 6), round(p.lat, 6)]},
        "properties": {
            "incident_id": incident.incident_id,
            "event_date": _iso(incident.when.event_date),
            "date_start": _iso(incident.when.start),
            "date_end": _iso(incident.when.end),
            "time_precision": incident.when.precision,
            "event_type": incident.event_type,
            "sub_event_type": incident.sub_event_type,
            "place_id": p.place_id,
            "location": p.name,
            "admin2": p.admin2,
            "country": p.country,
            "geo_precision": incident.geo_precision,
            "sources": [
                {
                    "article_id": s.article_id, "title": s.title, "outlet": s.outlet,
                    "published": s.published, "url": s.url, "quote": s.quote,
                    "mention": s.mention, "char_start": s.char_start, "char_end": s.char_end,
                }
                for s in incident.sources
            ],
            "source_count": len(incident.sources),
        },
    }


def geojson_text(incidents: list[Incident]) -> str:
    """A FeatureCollection, one feature a line (readable, diff-friendly, still valid JSON)."""
    lines = [json.dumps(feature(i), ensure_ascii=False, separators=(",", ":")) for i in incidents]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def csv_text(incidents: list[Incident]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for i in incidents:
        p = i.place
        w.writerow([
            i.incident_id, _iso(i.when.event_date) or "", _iso(i.when.start) or "", _iso(i.when.end) or "",
            i.when.precision, i.event_type, i.sub_event_type, p.country, p.admin2, p.name, p.place_id,
            f"{p.lat:.6f}", f"{p.lon:.6f}", i.geo_precision, len(i.sources),
            "; ".join(dict.fromkeys(s.outlet or s.article_id for s in i.sources)),
            " ".join(s.article_id for s in i.sources),
            " | ".join(s.quote for s in i.sources),
        ])
    return out.getvalue()


def _write_gpkg(incidents: list[Incident], path: Path) -> None:
    import geopandas as gpd
    import pyogrio
    from shapely.geometry import Point

    rows = []
    for i in incidents:
        props = feature(i)["properties"]
        props["sources"] = json.dumps(props["sources"], ensure_ascii=False)
        rows.append(props)
    columns = list(feature_properties_order())
    frame = gpd.GeoDataFrame(
        rows or {c: [] for c in columns},
        geometry=[Point(i.place.lon, i.place.lat) for i in incidents],  # shapely is (x=lon, y=lat)
        crs="EPSG:4326",
    )
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_GPKG_DATE})
    try:
        frame.to_file(path, driver="GPKG", engine="pyogrio", layer="incidents")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def feature_properties_order() -> tuple[str, ...]:
    return (
        "incident_id", "event_date", "date_start", "date_end", "time_precision", "event_type",
        "sub_event_type", "place_id", "location", "admin2", "country", "geo_precision",
        "sources", "source_count",
    )


def write_outputs(out_dir: Path, incidents: list[Incident], report: dict) -> dict[str, Path]:
    """Write the four outputs atomically; on any failure the previous outputs stay as they were."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {out_dir}: {exc.strerror or exc}") from None
    targets = {
        "geojson": out_dir / "incidents.geojson",
        "csv": out_dir / "incidents.csv",
        "gpkg": out_dir / "incidents.gpkg",
        "report": out_dir / "report.json",
    }
    try:
        staging = Path(tempfile.mkdtemp(prefix=".incident-map-", dir=out_dir))
    except OSError as exc:
        raise OutputError(f"cannot write to the output folder {out_dir}: {exc.strerror or exc}") from None
    try:
        staged = {k: staging / v.name for k, v in targets.items()}
        _write_text(staged["geojson"], geojson_text(incidents))
        _write_text(staged["csv"], csv_text(incidents))
        _write_gpkg(incidents, staged["gpkg"])
        _write_text(staged["report"], json.dumps(report, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
        for key, path in staged.items():
            os.replace(path, targets[key])
    except OSError as exc:
        raise OutputError(f"cannot write the outputs in {out_dir}: {exc.strerror or exc}; the previous outputs are unchanged") from None
    finally:
        for leftover in staging.glob("*"):
            leftover.unlink(missing_ok=True)
        staging.rmdir()
    return targets


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
