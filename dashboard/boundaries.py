"""The offline basemap's shapes: the geoBoundaries files in ``geodata/``, made light.

The files are read as plain GeoJSON, simplified a little more (they travel to the browser
on every page load) and rounded to 4 decimals (about 10 m). Municipality labels sit on a
point inside each municipality.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import Point, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from pipeline.textnorm import fold

GEODATA_DIR = Path(__file__).resolve().parent.parent / "geodata"
FILES = {
    "kosovo": "geoBoundaries-XKX-ADM0_simplified.geojson",
    "kosovo_municipalities": "geoBoundaries-XKX-ADM2_simplified.geojson",
    "serbia": "geoBoundaries-SRB-ADM0_simplified.geojson",
    "serbia_districts": "geoBoundaries-SRB-ADM1_simplified.geojson",
}
# Simplification tolerance in degrees (0.0005 deg is about 50 m; 0.002 deg about 200 m).
TOLERANCE = {
    "kosovo": 0.0005,
    "kosovo_municipalities": 0.0005,
    "serbia": 0.002,
    "serbia_districts": 0.002,
}
ATTRIBUTION = "Boundaries: geoBoundaries / OpenStreetMap contributors (CC BY-SA 2.0)"


# Which name gives way where two would overlap on the map: the lower rank is kept.
RANK_LANDMARK = 0  # border crossings, mountains: the places the reports name
RANK_MUNICIPALITY = 1
RANK_VILLAGE = 2
# The curated places a reader looks for on the map that no municipality name shows.
LANDMARK_RANKS = {"border_crossing": RANK_LANDMARK, "mountain": RANK_LANDMARK, "village": RANK_VILLAGE}


@dataclass(frozen=True)
class Label:
    lat: float
    lon: float
    text: str
    rank: int = RANK_MUNICIPALITY


@dataclass(frozen=True)
class Boundaries:
    """GeoJSON FeatureCollections (dicts) for each layer, and the municipality labels."""

    kosovo: dict[str, Any]
    kosovo_municipalities: dict[str, Any]
    serbia: dict[str, Any]
    serbia_districts: dict[str, Any]
    municipality_labels: tuple[Label, ...]
    landmarks: tuple[Label, ...] = ()


GAZETTEER = GEODATA_DIR / "gazetteer.csv"


def _gazetteer_rows(path: Path) -> list[dict[str, str]]:
    """The curated gazetteer's rows; none when the file cannot be read (the map then names
    no landmark and only the boundary file's names)."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, ValueError, csv.Error):
        return []


def load_landmarks(path: Path = GAZETTEER) -> tuple[Label, ...]:
    """The curated gazetteer's border crossings, mountains and villages ("Jarinje border
    crossing"), to be named on the map; none when the file cannot be read."""
    labels = []
    for row in _gazetteer_rows(path):
        try:
            if row.get("kind") not in LANDMARK_RANKS:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
        except (KeyError, TypeError, ValueError):
            continue
        if -90 <= lat <= 90 and -180 <= lon <= 180 and row.get("name"):  # (no nan, no inf)
            labels.append(Label(lat, lon, row["name"], LANDMARK_RANKS[row["kind"]]))
    return tuple(labels)


LABEL_TOLERANCE = 0.001  # degrees: ~100 m, well under a label's size at any zoom it shows at


def label_point(area: BaseGeometry) -> Point:
    """Where an area's name goes: the pole of inaccessibility of its largest part, the point
    farthest inside from its edges (a centroid may fall outside a bent area; a
    representative point may hug an edge, as Zvečan's did, on Banjska)."""
    parts = getattr(area, "geoms", (area,))
    return polylabel(max(parts, key=lambda part: part.area), tolerance=LABEL_TOLERANCE)


def clean_name(shape_name: str) -> str:
    """``Municipality of Zveçan`` -> ``Zveçan``."""
    prefix = "Municipality of "
    return shape_name.removeprefix(prefix)


@lru_cache(maxsize=4)
def load_boundaries(geodata_dir: Path = GEODATA_DIR) -> Boundaries:
    """Read the four boundary files; a missing file gives an empty layer, not an error."""
    layers = {
        name: _light_collection(Path(geodata_dir) / filename, TOLERANCE[name])
        for name, filename in FILES.items()
    }
    labels = []
    also = gazetteer_town_names(Path(geodata_dir) / GAZETTEER.name)
    for feature in layers["kosovo_municipalities"]["features"]:
        point = label_point(shape(feature["geometry"]))
        name = feature["properties"]["name"]
        text = name
        if name in also:  # "Leposavić / Leposaviq"; "Zvečan", not "Zvečan / Zveçan"
            text = also[name] if fold(also[name]) == fold(name) else f"{also[name]} / {name}"
        labels.append(Label(round(point.y, 4), round(point.x, 4), text))
    return Boundaries(
        **layers,
        municipality_labels=tuple(labels),
        landmarks=load_landmarks(Path(geodata_dir) / GAZETTEER.name),
    )


def gazetteer_town_names(path: Path = GAZETTEER) -> dict[str, str]:
    """Municipality name (as the boundary file spells it, in Albanian: "Leposaviq") -> the
    curated gazetteer's name of its town when that is another spelling of it ("Leposavić"),
    the name the incidents carry: the map shows both, as the table and the filters name
    the town. Empty when the file cannot be read."""
    names = {}
    for row in _gazetteer_rows(path):
        name, admin2 = row.get("name") or "", row.get("admin2") or ""
        aliases = (row.get("aliases") or "").split("|")
        # another spelling, not another place named after it ("South Mitrovica")
        if row.get("kind") == "town" and admin2 in aliases and admin2 not in name:
            names[admin2] = name
    return names


def _light_collection(path: Path, tolerance: float) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"type": "FeatureCollection", "features": []}
    features = []
    for feature in document.get("features", []):
        geometry = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        geometry = shapely.set_precision(geometry, 0.0001)
        if geometry.is_empty:
            continue
        name = clean_name(str(feature.get("properties", {}).get("shapeName", "")))
        features.append(
            {"type": "Feature", "properties": {"name": name}, "geometry": mapping(geometry)}
        )
    return {"type": "FeatureCollection", "features": features}
