"""The geoBoundaries files shipped in this folder, and the point-in-polygon join that names
each point's municipality (Kosovo) or district (Serbia)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
KOSOVO_OUTLINE = HERE / "geoBoundaries-XKX-ADM0_simplified.geojson"
KOSOVO_MUNICIPALITIES = HERE / "geoBoundaries-XKX-ADM2_simplified.geojson"
SERBIA_OUTLINE = HERE / "geoBoundaries-SRB-ADM0_simplified.geojson"
SERBIA_DISTRICTS = HERE / "geoBoundaries-SRB-ADM1_simplified.geojson"

# Which admin file names a point's admin2, by the point's country.
_ADMIN_FILES = {"XK": KOSOVO_MUNICIPALITIES, "RS": SERBIA_DISTRICTS}


def clean_admin_name(shape_name: str) -> str:
    """``Municipality of Zveçan`` -> ``Zveçan``; district names stay as they are."""
    prefix = "Municipality of "
    return shape_name.removeprefix(prefix)


@cache
def admin_polygons(country: str):  # -> geopandas.GeoDataFrame
    import geopandas as gpd

    path = _ADMIN_FILES[country]
    frame = gpd.read_file(path, engine="pyogrio")[["shapeName", "geometry"]]
    frame["admin2"] = frame["shapeName"].map(clean_admin_name)
    return frame[["admin2", "geometry"]]


def assign_admin2(countries: list[str], lats: list[float], lons: list[float]) -> list[str]:
    """Name the municipality (XK) or district (RS) each point lies in.

    A point-in-polygon join with geopandas; a point that falls in no polygon (the outlines are
    simplified, so points right at a border can fall in a gap) takes the nearest polygon.
    Countries without boundary files get an empty admin2.
    """
    import geopandas as gpd
    from shapely.geometry import Point

    result = [""] * len(lats)
    for country in sorted(set(countries)):
        if country not in _ADMIN_FILES:
            continue
        idx = [i for i, c in enumerate(countries) if c == country]
        # shapely points are (x, y) = (lon, lat)
        points = gpd.GeoDataFrame(
            {"row": idx}, geometry=[Point(lons[i], lats[i]) for i in idx], crs="EPSG:4326"
        )
        polygons = admin_polygons(country)
        joined = gpd.sjoin(points, polygons, how="left", predicate="within")
        joined = joined[~joined.index.duplicated(keep="first")]
        missing = joined["admin2"].isna()
        if missing.any():
            # Nearest in a metric CRS (UTM 34N covers Kosovo and southern Serbia).
            near = gpd.sjoin_nearest(
                points[missing.values].to_crs(32634), polygons.to_crs(32634), how="left"
            )
            near = near[~near.index.duplicated(keep="first")]
            joined.loc[near.index, "admin2"] = near["admin2"]
        for row, name in zip(joined["row"], joined["admin2"]):
            result[int(row)] = str(name)
    return result
