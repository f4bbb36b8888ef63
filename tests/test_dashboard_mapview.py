"""dashboard.mapview: the fixed base map and the incident layer, rendered to HTML."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit_folium
from browser.datasets import HOSTILE_ID, small_collection

from dashboard import mapview
from dashboard.boundaries import load_boundaries
from dashboard.data import incidents_from_geojson
from dashboard.palette import ACLED_COLOURS, SPARE_COLOURS, type_colours

STATIC = Path(mapview.__file__).resolve().parent / "static"


@pytest.fixture(scope="module")
def small_data():
    return incidents_from_geojson(small_collection(), Path("incidents.geojson"))


@pytest.fixture(scope="module")
def colours(small_data):
    return type_colours(small_data.event_types)


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries()


def render(fmap) -> str:
    return fmap.get_root().render()


def base(boundaries, small_data, colours):
    return mapview.base_map(boundaries, mapview.data_bounds(small_data.frame), colours)


def test_every_script_and_stylesheet_is_local_and_exists(boundaries, small_data, colours):
    page = render(base(boundaries, small_data, colours))
    urls = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert urls, "the map loads no assets at all?"
    for url in urls:
        assert url.startswith("../../app/static/"), url
        assert (STATIC / url.removeprefix("../../app/static/")).is_file(), url
    assert not re.search(r"cdn|jquery|bootstrap|awesome", " ".join(urls), re.IGNORECASE)


def test_vendored_libraries_keep_their_licences():
    assert (STATIC / "vendor/leaflet-1.9.4/LICENSE").is_file()
    assert (STATIC / "vendor/leaflet.markercluster-1.5.3/MIT-LICENCE.txt").is_file()
    assert 'version="1.9.4"' in (STATIC / "vendor/leaflet-1.9.4/leaflet.js").read_text()


def test_kosovo_is_drawn_above_serbia(boundaries, small_data, colours):
    page = render(base(boundaries, small_data, colours))
    z = dict(mapview.PANES)
    assert z["im-serbia"] < z["im-kosovo"] < z["im-kosovo-outline"] < 400
    assert page.index('"pane":"im-serbia"') < page.index('"pane":"im-kosovo"')
    assert page.count("IncidentMap.outline(") == 5


def test_municipalities_are_labelled(boundaries, small_data, colours):
    page = render(base(boundaries, small_data, colours))
    for name in ("Leposaviq", "Zubin Potok", "North Mitrovica", "Zveçan"):
        assert f'"{name}"' in page
    assert len(boundaries.municipality_labels) == 38


def test_legend_lists_the_types_in_their_colours(boundaries, small_data, colours):
    page = render(base(boundaries, small_data, colours))
    assert "IncidentMap.legend(" in page
    for event_type in small_data.event_types:
        colour = ACLED_COLOURS.get(event_type, SPARE_COLOURS[0])
        assert mapview.js_literal([event_type, colour]) in page


def test_online_tiles_are_offered_but_off(boundaries, small_data, colours):
    page = render(base(boundaries, small_data, colours))
    tile_var = re.search(r"var (tile_layer_\w+) = L\.tileLayer\(", page).group(1)
    assert "tile.openstreetmap.org" in page
    assert f"{tile_var}.addTo(" not in page
    assert '"OpenStreetMap tiles (online)"' in page


def test_view_fits_the_data(small_data):
    (south, west), (north, east) = mapview.data_bounds(small_data.frame)
    # the data run from Pristina (42.66 N, 21.16 E) to Raška (43.29 N) and Brnjak (20.55 E)
    assert south < 42.66 and north > 43.29
    assert west < 20.55 and east > 21.16
    assert mapview.data_bounds(small_data.frame.iloc[0:0]) == mapview.REGION_BOUNDS


def test_base_map_is_the_same_on_every_rerun(boundaries, small_data, colours):
    """streamlit-folium remounts the map when the hash of its script changes."""

    def script_hash():
        fmap = base(boundaries, small_data, colours)
        fmap.get_root().render()
        return streamlit_folium.generate_js_hash(
            streamlit_folium._get_map_string(fmap), "incident_map"
        )

    assert script_hash() == script_hash()


def test_layer_data_has_one_point_per_incident(small_data, colours):
    frame = small_data.frame[small_data.frame["event_date"].notna()]
    data = mapview.layer_data(frame, colours)
    assert len(data["points"]) == len(frame) == 11
    lat, lon, type_index, count, _parts, incident_id = data["points"][0]
    first = frame.iloc[0]
    assert (lat, lon) == (round(first["lat"], 5), round(first["lon"], 5))  # Leaflet: lat, lon
    assert data["colours"][type_index] == colours[first["event_type"]]
    assert count == first["source_count"] and incident_id == first["incident_id"]
    assert data["with_sources"]
    # parts are shared: the two Jarinje incidents show the same place fragment
    jarinje = [p for p in data["points"] if p[5].startswith("inc-jarinje")]
    assert jarinje[0][4][1] == jarinje[1][4][1]


def test_big_windows_leave_the_quotes_out(small_data, colours):
    data = mapview.layer_data(small_data.frame, colours, detail_budget=10)
    assert not data["with_sources"]
    assert not any("<blockquote" in part for part in data["parts"])
    assert mapview.incident_layer(small_data.frame, colours, detail_budget=10).count == 13


def test_incident_layer_renders_as_a_feature_group(boundaries, small_data, colours):
    fmap = base(boundaries, small_data, colours)
    layer = mapview.incident_layer(small_data.frame, colours)
    layer.add_to(fmap)
    page = render(fmap)
    assert "IncidentMap.incidentLayer(feature_group_" in page
    script = page[page.index("IncidentMap.incidentLayer(") :]
    payload = script[script.index("{") : script.index(");")]
    assert "</" not in payload  # cannot close the page's <script>
    data = json.loads(payload.replace("<\\/", "</"))
    hostile = next(p for p in data["points"] if p[5] == HOSTILE_ID)
    popup = "".join(data["parts"][k] for k in hostile[4])
    assert "<img" not in popup and "<script" not in popup and "<svg" not in popup
    assert "&lt;img src=x" in popup


def test_streamlit_folium_sees_our_layer_as_its_feature_group(boundaries, small_data, colours):
    fmap = base(boundaries, small_data, colours)
    fmap.get_root().render()
    streamlit_folium._get_map_string(fmap)
    layer = mapview.incident_layer(small_data.frame, colours)
    script = streamlit_folium._get_feature_group_string(layer, fmap)
    assert "var feature_group_feature_group_0 = L.featureGroup" in script
    assert "map_div.addLayer(feature_group_feature_group_0)" in script


def test_js_literal_cannot_close_a_script():
    text = mapview.js_literal({"a": "</script><!-- \u2028"})
    assert "</" not in text and "<!" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028"}
