"""Load the gazetteer: the curated ``gazetteer.csv`` plus every settlement of Kosovo from the
GeoNames dump, joined to their municipalities.

Which of two same-named places wins (``Gazetteer.lookup`` returns candidates best first):
1. a curated place beats any GeoNames place (the curated file is the project's decision);
2. a GeoNames record that repeats a curated place (its main name is one of the curated names
   and it lies within ``MERGE_KM``) is folded into the curated place, its alternate names
   becoming aliases; other GeoNames records lose any alternate name a curated place owns
   (Gornje Jarinje keeps its name but not the bare "Jarinje", which means the crossing);
3. among GeoNames places: seat of government (PPLC, PPLA...) before village, then population,
   then the lower geonameid (stable).
Article context may still choose between GeoNames candidates (see ``pipeline.match``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from geopy.distance import geodesic

from geodata.boundaries import HERE, assign_admin2
from pipeline.errors import GazetteerError
from pipeline.model import PLACE_KINDS, Place
from pipeline.textnorm import fold
from pipeline.wording import nouns

CURATED = HERE / "gazetteer.csv"
GEONAMES = HERE / "XK_geonames_2012.txt"
COLUMNS = ("place_id", "name", "aliases", "kind", "lat", "lon", "country", "admin2", "source")
MERGE_KM = 5.0
CURATED_RANK = 10**12  # above any GeoNames rank

# GeoNames feature codes kept (settlements) and how they rank among same-named places.
_FEATURE_RANK = {"PPLC": 50, "PPLA": 40, "PPLA2": 38, "PPLA3": 36, "PPL": 20, "PPLX": 15, "PPLL": 10}
_FEATURE_KIND = {"PPLC": "capital", "PPLA": "town", "PPLA2": "town", "PPLA3": "town", "PPLX": "city_part"}
_MIN_ALIAS = 3
# The municipalities each region of the curated file covers, which its columns have no room
# for (the region's source names them): a place lies within a region when its municipality
# (admin2, from geoBoundaries) is one of these.
REGION_MUNICIPALITIES: dict[str, frozenset[str]] = {
    "northern_kosovo": frozenset({"Leposaviq", "Zveçan", "Zubin Potok", "North Mitrovica"}),
}
_PLACE_ID = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Gazetteer:
    """Places by id, and every folded name to the ids it may mean (best first)."""

    places: dict[str, Place]
    names: dict[str, tuple[str, ...]] = field(repr=False)

    def lookup(self, name: str) -> tuple[Place, ...]:
        return tuple(self.places[i] for i in self.names.get(fold(name).strip(), ()))

    @staticmethod
    def within(place: Place, region: Place) -> bool:
        """Whether ``place`` lies in ``region`` (a region's municipalities:
        :data:`REGION_MUNICIPALITIES`; False for any other kind of place)."""
        parts = REGION_MUNICIPALITIES.get(region.place_id, ())
        return region.kind == "region" and place.country == region.country and place.admin2 in parts

    def __len__(self) -> int:
        return len(self.places)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GazetteerError(str(path), line, f"not UTF-8 (byte 0x{data[exc.start]:02x})") from None


def _unreadable(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, IsADirectoryError):
        return "is a folder: give the gazetteer's CSV file"
    return f"cannot be read ({exc.strerror or exc})"


def read_curated(path: Path = CURATED) -> list[Place]:
    """Read and validate ``gazetteer.csv``; every problem names the file and the line."""
    try:
        text = _decode(path)
    except OSError as exc:
        raise GazetteerError(str(path), None, _unreadable(exc)) from None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise GazetteerError(str(path), 1, f"missing {nouns(len(missing), 'column')}: {', '.join(missing)}")
    places: list[Place] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:
            raise GazetteerError(str(path), line, f"more fields than the {len(header)} columns (an unquoted comma?)")
        if any(v is None for v in row.values()):
            raise GazetteerError(str(path), line, f"fewer fields than the {len(header)} columns")
        pid = (row["place_id"] or "").strip()
        if not _PLACE_ID.match(pid):
            raise GazetteerError(str(path), line, f"place_id {pid!r} must be lower-case letters, digits, _")
        if pid in seen:
            raise GazetteerError(str(path), line, f"duplicate place_id {pid!r} (first on line {seen[pid]})")
        seen[pid] = line
        aliases = tuple(a.strip() for a in row["aliases"].split("|")) if row["aliases"].strip() else ()
        if any(not a for a in aliases):
            raise GazetteerError(str(path), line, f"{pid}: empty alias in {row['aliases']!r}")
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError):
            raise GazetteerError(str(path), line, f"{pid}: lat/lon {row['lat']!r}, {row['lon']!r} are not numbers") from None
        if not -90 <= lat <= 90:
            raise GazetteerError(str(path), line, f"{pid}: latitude {lat} not in [-90, 90]")
        if not -180 <= lon <= 180:
            raise GazetteerError(str(path), line, f"{pid}: longitude {lon} not in [-180, 180]")
        if row["kind"] not in PLACE_KINDS:
            raise GazetteerError(str(path), line, f"{pid}: kind {row['kind']!r} not one of {', '.join(PLACE_KINDS)}")
        if not (row["name"] or "").strip():
            raise GazetteerError(str(path), line, f"{pid}: empty name")
        if not (row["source"] or "").strip():
            raise GazetteerError(str(path), line, f"{pid}: no source cited for the coordinate")
        places.append(
            Place(
                place_id=pid, name=row["name"].strip(), aliases=aliases, kind=row["kind"],
                lat=lat, lon=lon, country=row["country"].strip(), admin2=row["admin2"].strip(),
                source=row["source"].strip(), curated=True, rank=CURATED_RANK,
                raw=",".join(row[c] or "" for c in COLUMNS),
            )
        )
    return places


def _alias_ok(alias: str) -> bool:
    return len(alias) >= _MIN_ALIAS and any(c.isalpha() for c in alias)


def read_geonames(path: Path = GEONAMES) -> list[Place]:
    """Every populated place (feature class P) of the GeoNames dump, with its alternate names."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GazetteerError(str(path), None, _unreadable(exc)) from None
    except UnicodeDecodeError:
        raise GazetteerError(str(path), None, "not UTF-8") from None
    rows = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        cols = line.split("\t")
        if len(cols) < 19:
            raise GazetteerError(str(path), line_no, f"expected 19 tab-separated columns, found {len(cols)}")
        if cols[6] != "P" or cols[7] not in _FEATURE_RANK:
            continue
        rows.append((line_no, cols))
    lats = [float(c[4]) for _, c in rows]
    lons = [float(c[5]) for _, c in rows]
    admin2 = assign_admin2(["XK"] * len(rows), lats, lons)
    places = []
    for (line_no, cols), lat, lon, adm in zip(rows, lats, lons, admin2):
        names = [cols[1], cols[2], *cols[3].split(",")]
        aliases = tuple(dict.fromkeys(n.strip() for n in names if _alias_ok(n.strip()) and n.strip() != cols[1]))
        population = int(cols[14] or 0)
        places.append(
            Place(
                place_id=f"geonames_{cols[0]}", name=cols[1], aliases=aliases,
                kind=_FEATURE_KIND.get(cols[7], "village"), lat=lat, lon=lon, country="XK",
                admin2=adm, source=f"GeoNames {cols[0]} ({cols[7]})", curated=False,
                rank=_FEATURE_RANK[cols[7]] * 10_000_000 + min(population, 9_999_999),
                raw=line,
            )
        )
    return places


def build(curated: list[Place], geonames: list[Place]) -> Gazetteer:
    """Fold GeoNames duplicates of curated places into them and index every name."""
    by_name: dict[str, list[Place]] = {}
    for place in curated:
        for n in (place.name, *place.aliases):
            by_name.setdefault(fold(n), []).append(place)
    merged_aliases: dict[str, list[str]] = {p.place_id: [] for p in curated}
    kept: list[Place] = []
    for gn in geonames:
        twin = next(
            (cp for cp in by_name.get(fold(gn.name), ())
             if cp.kind != "region" and geodesic((cp.lat, cp.lon), (gn.lat, gn.lon)).km <= MERGE_KM),
            None,
        )
        if twin:
            merged_aliases[twin.place_id].extend((gn.name, *gn.aliases))
        else:
            own = tuple(a for a in gn.aliases if fold(a) not in by_name)
            kept.append(gn if own == gn.aliases else replace(gn, aliases=own))
    places: dict[str, Place] = {}
    for cp in curated:
        # a GeoNames name that the curated file gives another place stays that place's alone
        # (GeoNames calls the whole of Mitrovica "Kosovska Mitrovica"; the curated file, as
        # Serbian outlets use it, its Serb-run north)
        extra = [a for a in merged_aliases[cp.place_id] if a not in cp.aliases and a != cp.name
                 and all(p.place_id == cp.place_id for p in by_name.get(fold(a), ()))]
        places[cp.place_id] = replace(cp, aliases=cp.aliases + tuple(dict.fromkeys(extra))) if extra else cp
    for gn in kept:
        places[gn.place_id] = gn
    names: dict[str, list[str]] = {}
    for place in places.values():
        for n in dict.fromkeys(fold(x).strip() for x in (place.name, *place.aliases)):
            if n:
                names.setdefault(n, []).append(place.place_id)
    index = {
        n: tuple(sorted(ids, key=lambda i: (-places[i].rank, i)))
        for n, ids in names.items()
    }
    return Gazetteer(places=places, names=index)


@lru_cache(maxsize=4)
def load(curated_path: Path = CURATED, geonames_path: Path | None = GEONAMES) -> Gazetteer:
    """The whole gazetteer; ``geonames_path=None`` loads the curated file alone."""
    curated = read_curated(Path(curated_path))
    geonames = read_geonames(Path(geonames_path)) if geonames_path else []
    return build(curated, geonames)
