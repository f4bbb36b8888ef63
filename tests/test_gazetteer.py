from __future__ import annotations

import geopandas as gpd
import pytest
from geopy.distance import geodesic
from shapely.geometry import Point

from geodata import boundaries
from geodata import gazetteer as gz
from geodata.curate import joined_admin2
from pipeline.errors import GazetteerError

FIXED_IDS = ["jarinje_crossing", "brnjak_crossing", "kopaonik", "leposavic", "zvecan", "zubin_potok",
             "north_mitrovica", "south_mitrovica", "pristina", "belgrade", "raska", "banjska"]

# Independent checks: GeoNames records (a second source for the places it has), by geonameid.
GEONAMES_TWINS = {"leposavic": 788731, "zvecan": 783770, "zubin_potok": 783802, "south_mitrovica": 789225,
                  "pristina": 786714, "banjska": 792910, "rudare": 784523}


def test_fixed_ids_and_required_places(gazetteer):
    assert set(FIXED_IDS + ["rudare", "ibar_bridge"]) <= set(gazetteer.places)
    for pid in FIXED_IDS:
        assert gazetteer.places[pid].curated and gazetteer.places[pid].source


def test_every_settlement_of_the_geonames_dump_is_loaded(gazetteer):
    settlements = sum(1 for line in gz.GEONAMES.read_text(encoding="utf-8").splitlines()
                      if line.split("\t")[6] == "P" and line.split("\t")[7].startswith("PPL"))
    geonames_places = [p for p in gazetteer.places.values() if not p.curated]
    merged = settlements - len(geonames_places)
    assert len(geonames_places) > 2000
    assert 0 < merged < 40  # the duplicates folded into curated places


@pytest.mark.parametrize("pid, geonameid", sorted(GEONAMES_TWINS.items()))
def test_curated_coordinates_within_1km_of_geonames(gazetteer, pid, geonameid):
    line = next(ln for ln in gz.GEONAMES.read_text(encoding="utf-8").splitlines() if ln.startswith(f"{geonameid}\t"))
    lat, lon = float(line.split("\t")[4]), float(line.split("\t")[5])
    p = gazetteer.places[pid]
    assert geodesic((p.lat, p.lon), (lat, lon)).km < 1.0


def test_jarinje_is_the_crossing_not_the_village(gazetteer):
    crossing = gazetteer.places["jarinje_crossing"]
    village = (43.20028, 20.72056)  # GeoNames 834414 Jarinje (village)
    assert geodesic((crossing.lat, crossing.lon), village).km > 2.0
    outline = gpd.read_file(boundaries.KOSOVO_OUTLINE).to_crs(32634).geometry.iloc[0].boundary
    point = gpd.GeoSeries([Point(crossing.lon, crossing.lat)], crs=4326).to_crs(32634).iloc[0]
    assert outline.distance(point) < 1500  # metres from the Kosovo-Serbia line


def test_north_mitrovica_is_north_of_the_ibar(gazetteer):
    """The municipal line between North and South Mitrovica follows the Ibar in town."""
    munis = gpd.read_file(boundaries.KOSOVO_MUNICIPALITIES)
    north = munis[munis.shapeName == "Municipality of North Mitrovica"].geometry.iloc[0]
    south = munis[munis.shapeName == "Municipality of Mitrovica"].geometry.iloc[0]
    nm, sm = gazetteer.places["north_mitrovica"], gazetteer.places["south_mitrovica"]
    assert north.contains(Point(nm.lon, nm.lat))
    assert south.contains(Point(sm.lon, sm.lat))
    assert nm.lat > gazetteer.places["ibar_bridge"].lat > sm.lat


def test_a_region_covers_the_municipalities_its_point_is_the_centre_of(gazetteer):
    """REGION_MUNICIPALITIES against the region's own row: its point is the centroid (in UTM
    34N) of the union of the municipalities named for it, as its source says."""
    polygons = boundaries.admin_polygons("XK")
    # every region has its municipalities (else the lead's-region rule never fires for it)
    assert {pid for pid, p in gazetteer.places.items() if p.kind == "region"} == set(gz.REGION_MUNICIPALITIES)
    for region_id, parts in gz.REGION_MUNICIPALITIES.items():
        region = gazetteer.places[region_id]
        assert region.kind == "region"
        chosen = polygons[polygons.admin2.isin(parts)]
        assert len(chosen) == len(parts), region_id  # every name is a municipality's
        centre = gpd.GeoSeries([chosen.to_crs(32634).union_all().centroid], crs=32634).to_crs(4326).iloc[0]
        assert geodesic((region.lat, region.lon), (centre.y, centre.x)).km < 0.01, region_id
    north = gazetteer.places["northern_kosovo"]
    inside = {pid for pid, p in gazetteer.places.items() if gz.Gazetteer.within(p, north)}
    assert {"jarinje_crossing", "brnjak_crossing", "leposavic", "zvecan", "zubin_potok", "north_mitrovica",
            "ibar_bridge", "rudare", "banjska"} <= inside
    assert not inside & {"south_mitrovica", "pristina", "raska", "kopaonik", "belgrade", "northern_kosovo"}
    assert not gz.Gazetteer.within(north, gazetteer.places["zvecan"])  # only a region holds places


def test_admin2_column_matches_point_in_polygon_join():
    places = {p.place_id: p for p in gz.read_curated()}
    for pid, admin2 in joined_admin2().items():
        assert places[pid].admin2 == admin2, pid


def test_same_name_rule(gazetteer):
    assert gazetteer.lookup("Banjska")[0].place_id == "banjska"
    assert gazetteer.lookup("Zvečan")[0].place_id == "zvecan"
    assert [p.place_id for p in gazetteer.lookup("Jarinje")] == ["jarinje_crossing"]
    assert gazetteer.lookup("Gornje Jarinje")[0].place_id.startswith("geonames_")
    assert gazetteer.lookup("Vushtrri")[0].admin2 == "Vushtrri"


@pytest.mark.parametrize("spelling, pid", [
    ("Leposaviq", "leposavic"), ("Лепосавић", "leposavic"), ("Zveçan", "zvecan"), ("ZVECAN", "zvecan"),
    ("Mitrovicë e Veriut", "north_mitrovica"), ("Jarinjë", "jarinje_crossing"), ("Mount Kopaonik", "kopaonik"),
    ("Jarinje border", "jarinje_crossing"), ("the northern part of the divided city of Mitrovica", "north_mitrovica"),
])
def test_aliases(gazetteer, spelling, pid):
    assert gazetteer.lookup(spelling)[0].place_id == pid


def _broken(tmp_path, transform) -> str:
    path = tmp_path / "gazetteer.csv"
    text = gz.CURATED.read_text(encoding="utf-8")
    path.write_bytes(transform(text))
    return path


@pytest.mark.parametrize("transform, expected", [
    (lambda t: t.replace("43.21861,20.69167", "95.0,20.69167").encode(), "line 2: jarinje_crossing: latitude 95.0"),
    (lambda t: t.replace(",source\n", "\n", 1).encode(), "line 1: missing column: source"),
    (lambda t: (t + t.splitlines()[1] + "\n").encode(), "duplicate place_id 'jarinje_crossing'"),
    (lambda t: t.replace("Jarinje|Jarinje crossing", "Jarinje||Jarinje crossing").encode(), "line 2: jarinje_crossing: empty alias"),
    (lambda t: t.encode("cp1250", errors="replace"), "not UTF-8"),
])
def test_broken_gazetteer_names_file_line_and_problem(tmp_path, transform, expected):
    path = _broken(tmp_path, transform)
    with pytest.raises(GazetteerError) as exc:
        gz.read_curated(path)
    assert str(path) in str(exc.value) and expected in str(exc.value)
    assert isinstance(exc.value, ValueError)


def test_kosovska_mitrovica_is_the_north_as_serbian_outlets_use_it(gazetteer):
    """GeoNames gives the whole town's Serbian name to Mitrovicë (the south); folded into the
    south it would have beaten the curated north."""
    for name in ("Kosovska Mitrovica", "Косовска Митровица", "Severna Kosovska Mitrovica"):
        assert [p.place_id for p in gazetteer.lookup(name)] == ["north_mitrovica"], name
    for name in ("Mitrovica", "Mitrovicë", "Južna Kosovska Mitrovica", "Јужна Косовска Митровица"):
        assert [p.place_id for p in gazetteer.lookup(name)] == ["south_mitrovica"], name
