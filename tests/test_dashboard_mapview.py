"""dashboard.mapview and dashboard.mapdata: the fixed base map, the incident data the browser
fetches once, and the per-rerun view of which incidents are visible."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from pathlib import Path

import numpy as np
import pytest
import streamlit_folium
from browser.datasets import HOSTILE_ID, LASTING_ID, lasting_collection, small_collection

from dashboard import mapdata, mapview, popup, selection
from dashboard.boundaries import load_boundaries
from dashboard.data import feature as decode_feature
from dashboard.data import incidents_from_geojson
from dashboard.filters import Window
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
        path = url.removeprefix("../../app/static/").split("?")[0]  # ?v=digest, ?prefetch=
        assert (STATIC / path).is_file(), url
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
    """As the boundary file names them (in Albanian) and, where the gazetteer spells the
    town otherwise, as the incidents name it too (alone when only diacritics differ)."""
    page = render(base(boundaries, small_data, colours))
    texts = {label.text for label in boundaries.municipality_labels}
    for name in ("Leposavić / Leposaviq", "Zubin Potok", "North Mitrovica", "Mitrovica", "Zvečan", "Vushtrri"):
        assert name in texts and f'"{name}"' in page
    assert "Zveçan" not in texts  # a diacritic apart: the incidents' spelling alone
    assert len(boundaries.municipality_labels) == 38


def test_a_town_spelled_otherwise_in_the_gazetteer_is_named_both_ways(tmp_path):
    from dashboard.boundaries import gazetteer_town_names

    assert gazetteer_town_names() == {"Leposaviq": "Leposavić", "Zveçan": "Zvečan"}  # not South Mitrovica
    assert gazetteer_town_names(tmp_path / "missing.csv") == {}


def test_the_curated_crossings_mountains_and_villages_are_named(boundaries, small_data, colours, tmp_path):
    from dashboard.boundaries import load_landmarks

    names = {label.text for label in boundaries.landmarks}
    assert {"Jarinje border crossing", "Brnjak border crossing", "Kopaonik", "Banjska"} <= names
    assert "Leposavić" not in names and "Northern Kosovo" not in names  # towns, regions: no
    page = render(base(boundaries, small_data, colours))
    assert '"Jarinje border crossing"' in page and '"landmark"' in page
    assert load_landmarks(tmp_path / "missing.csv") == ()
    (tmp_path / "bad.csv").write_text(
        "place_id,name,kind,lat,lon\nx,X,village,north,20\nn,N,village,nan,20\ni,I,village,inf,20\n"
        "f,F,village,91,20\nok,Fine,mountain,43,20\n",
        encoding="utf-8",
    )
    # a row it cannot place (no number, nan, inf, off the globe) is left out
    assert [label.text for label in load_landmarks(tmp_path / "bad.csv")] == ["Fine"]


def test_map_data_lists_the_region_only_incidents(small_data, colours):
    frame = small_data.frame.copy()
    frame.loc[frame.index[[1, 4]], "geo_precision"] = 3
    assert mapdata.map_data(frame, colours)["regions"] == [1, 4]
    assert mapdata.map_data(small_data.frame, colours)["regions"] == []


def test_legend_lists_the_types_in_their_colours(boundaries, small_data, colours):
    page = render(base(boundaries, small_data, colours))
    assert "IncidentMap.legend(" in page
    for event_type in small_data.event_types:
        colour = ACLED_COLOURS.get(event_type, SPARE_COLOURS[0])
        assert mapview.js_literal([event_type, colour]) in page


def test_the_opening_view_is_fitted_after_the_legend_is_made(boundaries, small_data, colours):
    """IncidentMap.fit keeps the open legend's corner clear, so it must run once the legend
    exists, with the legend's region row already in it (it reads the legend's size)."""
    bounds = mapview.data_bounds(small_data.frame)
    page = render(mapview.base_map(boundaries, bounds, colours, regions=True))
    legend, fit = page.index("IncidentMap.legend("), page.index("IncidentMap.fit(")
    assert legend < fit
    assert mapview.js_literal([list(bounds[0]), list(bounds[1])]) in page[fit:]
    assert '"regions":true' in page[legend:fit] and "fitBounds" not in page
    assert '"regions":false' in render(base(boundaries, small_data, colours))


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


def test_base_map_fetches_the_incidents_from_its_url(boundaries, small_data, colours):
    fmap = mapview.base_map(
        boundaries,
        mapview.data_bounds(small_data.frame),
        colours,
        data_url="../dashboard.datafiles.files/incidents-abc.json.gz",
    )
    page = render(fmap)
    assert page.count("IncidentMap.incidents(") == 1
    assert "IncidentMap.incidents(map_" in page
    assert '"../dashboard.datafiles.files/incidents-abc.json.gz"' in page
    assert "IncidentMap.incidents(" not in render(base(boundaries, small_data, colours))


def test_outlines_can_come_from_a_file(boundaries, small_data, colours):
    """The app fetches the outlines from a file, keeping the fixed map's script small."""
    url = "../dashboard.datafiles.files/shapes-abc.json.gz"
    fmap = mapview.base_map(
        boundaries, mapview.data_bounds(small_data.frame), colours, shapes_url=url
    )
    page = render(fmap)
    assert len(re.findall(r"IncidentMap\.outline\(\s*null,", page)) == 5
    for key in ("serbia", "serbia_districts", "kosovo", "kosovo_municipalities"):
        assert js_source(url, key) in page
    assert page.index('"pane":"im-serbia"') < page.index('"pane":"im-kosovo"')
    inline = render(base(boundaries, small_data, colours))
    assert len(page) < len(inline) / 5  # the shapes are most of the script
    shapes = json.loads(gzip.decompress(mapdata.gzip_json(mapview.shapes(boundaries))))
    assert shapes["kosovo"] == json.loads(json.dumps(boundaries.kosovo))
    assert set(shapes) == {"serbia", "serbia_districts", "kosovo", "kosovo_municipalities"}


def js_source(url, key):
    return mapview.js_literal({"url": url, "key": key})


WHOLE_SPAN = (dt.date(1990, 1, 1), dt.date(2090, 1, 1))


def view_of(keep, details=None):
    keep = np.asarray(keep, dtype=bool)
    return mapview.IncidentView(mapdata.view_data(keep, WHOLE_SPAN, keep, details))


def test_incident_view_renders_as_a_feature_group(boundaries, small_data, colours):
    fmap = base(boundaries, small_data, colours)
    keep = np.zeros(len(small_data.frame), dtype=bool)
    keep[[0, 3, 12]] = True
    details = mapdata.window_sources(small_data.frame, keep)
    view = view_of(keep, details)
    assert view.count == 3 and view.with_details
    view.add_to(fmap)
    page = render(fmap)
    assert "IncidentMap.show(feature_group_" in page
    script = page[page.index("IncidentMap.show(") :]
    payload = script[script.index("{") : script.index(");")]
    assert "</" not in payload  # cannot close the page's <script>
    sent = json.loads(payload.replace("<\\/", "</"))
    assert sent["count"] == 3
    assert mapdata.mask_from_base64(sent["mask"], len(keep)).tolist() == keep.tolist()
    assert sent["window"] == [7305, 43830]  # 1990-01-01 and 2090-01-01, days since 1970
    assert sent["details"]["at"] == [0, 3, 12]


def test_the_browser_rule_shows_what_the_server_selects(small_data, colours):
    """The map shows incident i when bit i of the view's mask is set and the data's day[i]
    lies in the view's window (static/incident_map.js, apply): for every window and filter,
    that is the app's selection (filter mask and selection.window_mask)."""
    frame = small_data.frame
    data = mapdata.map_data(frame, colours)
    index = selection.build_index(frame)
    assert [d is None for d in data["day"]] == (~index.dated).tolist()
    assert any(d is None for d in data["day"])  # the fixture has undated incidents
    days = sorted({d for d in data["day"] if d is not None})
    epoch = dt.date(1970, 1, 1)
    filters = [np.ones(len(frame), dtype=bool), np.arange(len(frame)) % 3 != 0]
    checked = 0
    for first in days[:1] + days[1::2] + [days[0] - 5]:
        for last in [d for d in days if d >= first][:4] + [days[-1] + 5]:
            window = Window(epoch + dt.timedelta(days=first), epoch + dt.timedelta(days=last))
            for passing in filters:
                keep = passing & selection.window_mask(index, window)
                view = mapdata.view_data(passing, (window.start, window.end), keep)
                bits = mapdata.mask_from_base64(view["mask"], len(frame))
                low, high = view["window"]
                shown = [
                    bool(b) and d is not None and low <= d <= high
                    for b, d in zip(bits, data["day"])
                ]
                assert shown == keep.tolist()
                assert view["count"] == sum(shown)
                checked += 1
    assert checked > 10


def test_streamlit_folium_sees_our_view_as_its_feature_group(boundaries, small_data, colours):
    fmap = base(boundaries, small_data, colours)
    fmap.get_root().render()
    streamlit_folium._get_map_string(fmap)
    script = streamlit_folium._get_feature_group_string(view_of([True] * 13), fmap)
    assert "var feature_group_feature_group_0 = L.featureGroup" in script
    assert "IncidentMap.show(feature_group_feature_group_0, {" in script
    assert "map_div.addLayer(feature_group_feature_group_0)" in script
    assert mapview.feature_group_script(view_of([True] * 13)) == script


def test_cached_component_args_equal_what_st_folium_sends(
    boundaries, small_data, colours, monkeypatch
):
    """The app renders the fixed map once per file (mapview.component_args) and calls
    streamlit-folium's component itself: it must send what st_folium would."""
    sent = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw))
    url = "../dashboard.datafiles.files/incidents-abc.json.gz"

    def fmap():
        return mapview.base_map(
            boundaries, mapview.data_bounds(small_data.frame), colours, data_url=url
        )

    view = view_of([True] * 13)
    streamlit_folium.st_folium(
        fmap(),
        key="incident_map",
        height=mapview.MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=view,
    )
    ours = mapview.component_args(fmap(), key="incident_map", height=mapview.MAP_HEIGHT)
    ours["feature_group"] = mapview.feature_group_script(view_of([True] * 13))
    sent.pop("on_change")
    # folium names the map with a random id; streamlit-folium's key ignores it
    assert ours.pop("id").startswith("map_") and sent.pop("id").startswith("map_")
    assert ours == sent


def test_map_data_has_one_entry_per_incident(small_data, colours):
    frame = small_data.frame
    data = mapdata.map_data(frame, colours)
    n = len(frame)
    assert data["count"] == n == 13
    for column in ("lat", "lon", "type", "sources", "ids", "head", "place", "when", "detail"):
        assert len(data[column]) == n, column
    first = frame.iloc[0]
    scale = mapdata.COORD_SCALE
    assert (data["lat"][0], data["lon"][0]) == (  # Leaflet is lat, lon
        round(first["lat"] * scale),
        round(first["lon"] * scale),
    )
    assert data["colours"][data["type"][0]] == colours[first["event_type"]]
    assert data["sources"][0] == first["source_count"] and data["ids"][0] == first["incident_id"]
    assert data["with_sources"]
    # parts are shared: the two Jarinje incidents show the same place fragment
    jarinje = [i for i, id_ in enumerate(data["ids"]) if id_.startswith("inc-jarinje")]
    assert len(jarinje) == 2 and data["place"][jarinje[0]] == data["place"][jarinje[1]]


def test_map_data_gives_the_last_day_of_the_incidents_that_lasted(small_data, colours):
    assert mapdata.map_data(small_data.frame, colours)["lasting"] == {"at": [], "until": []}
    frame = incidents_from_geojson(lasting_collection(), Path("incidents.geojson")).frame
    data = mapdata.map_data(frame, colours)
    row = data["ids"].index(LASTING_ID)
    assert data["lasting"] == {"at": [row], "until": [selection.day_number(dt.date(2022, 12, 29))]}
    assert data["day"][row] == selection.day_number(dt.date(2022, 12, 10))


def test_map_data_popups_equal_the_popup_module(small_data, colours):
    """Each incident's four fragments are exactly dashboard.popup's parts for it."""
    data = mapdata.map_data(small_data.frame, colours)
    for i, text in enumerate(small_data.frame["feature"]):
        props = decode_feature(text)["properties"]
        colour = data["colours"][data["type"][i]]
        expected = popup.popup_parts(props, colour)
        got = tuple(data["parts"][data[k][i]] for k in ("head", "place", "when", "detail"))
        assert got == expected, props["incident_id"]
    hostile = data["ids"].index(HOSTILE_ID)
    text = "".join(data["parts"][data[k][hostile]] for k in ("head", "place", "when", "detail"))
    assert "<img" not in text and "<script" not in text and "<svg" not in text
    assert "&lt;img src=x" in text


def test_big_files_leave_the_quotes_out_and_windows_bring_them(small_data, colours):
    frame = small_data.frame
    data = mapdata.map_data(frame, colours, detail_budget=10)
    assert not data["with_sources"]
    assert not any("<blockquote" in part for part in data["parts"])
    assert data["parts"][data["detail"][0]] == popup.sources_summary_part(
        int(frame.iloc[0]["source_count"])
    )
    keep = np.zeros(len(frame), dtype=bool)
    keep[:2] = True
    details = mapdata.window_sources(frame, keep)
    assert details["at"] == [0, 1]
    assert details["html"][0] == popup.sources_part(
        decode_feature(frame.iloc[0]["feature"])["properties"]
    )
    assert mapdata.window_sources(frame, keep, budget=10) is None


def test_visible_mask_round_trips_bit_by_bit():
    rng = np.random.default_rng(7)
    for n in (0, 1, 7, 8, 9, 1000, 100_003):
        keep = rng.random(n) < 0.3
        text = mapdata.visible_mask(keep)
        assert len(text) <= 4 * ((n + 7) // 8 + 2) // 3
        assert mapdata.mask_from_base64(text, n).tolist() == keep.tolist()
    # bit i is bit i % 8 of byte i // 8, as incident_map.js reads it
    assert mapdata.visible_mask(np.array([True] + [False] * 8 + [True])) == "AQI="


def test_encoded_data_is_named_by_its_content(small_data, colours):
    data = mapdata.map_data(small_data.frame, colours)
    encoded = mapdata.encode(data)
    assert json.loads(gzip.decompress(encoded.body)) == data
    # the text json.dumps would write (the hostile incident's markup and the non-ASCII names
    # included), msgspec only writes it faster
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert gzip.decompress(encoded.body) == text
    assert encoded.file_name.startswith("incidents-") and encoded.file_name.endswith(".json.gz")
    assert mapdata.encode(data).file_name == encoded.file_name
    other = mapdata.map_data(small_data.frame.iloc[:5], colours)
    assert mapdata.encode(other).file_name != encoded.file_name


def test_js_literal_cannot_close_a_script():
    text = mapview.js_literal({"a": "</script><!-- \u2028"})
    assert "</" not in text and "<!" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028"}


def test_own_scripts_carry_their_content_digest():
    """A browser that cached an older incident_map.js fetches the new one (Streamlit serves
    static files without cache headers); the vendored libraries keep plain URLs."""
    import hashlib

    static = Path(mapview.__file__).with_name("static")
    digest = hashlib.sha256((static / "incident_map.js").read_bytes()).hexdigest()[:12]
    assets = dict(mapview.script_assets(prefetch=["../files/a b.json.gz"]))
    assert assets["incident_map"] == (
        f"{mapview.STATIC_URL}/incident_map.js?v={digest}&prefetch=..%2Ffiles%2Fa+b.json.gz"
    )
    assert assets["leaflet"] == f"{mapview.STATIC_URL}/vendor/leaflet-1.9.4/leaflet.js"
    assert dict(mapview.script_assets())["incident_map"].endswith(f"incident_map.js?v={digest}")


def test_data_files_are_registered_one_thread_at_a_time(monkeypatch, tmp_path):
    """Streamlit names a component with inspect.getmodule, whose cache two threads can fill
    at once (one then finds no module: a visit's first run met the server's warm-up run)."""
    import threading
    import time

    from dashboard import datafiles

    inside = []
    overlaps = []
    real = datafiles.components.declare_component

    def declare(name, path):
        inside.append(1)
        if len(inside) > 1:
            overlaps.append(1)
        time.sleep(0.05)
        try:
            return real(name, path=path)
        finally:
            inside.pop()

    monkeypatch.setattr(datafiles.components, "declare_component", declare)
    threads = [threading.Thread(target=datafiles.publish, args=(f"t-{i}.json", b"{}"))
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not overlaps

    calls = []

    def flaky(name, path):
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("module is None. This should never happen.")
        return real(name, path=path)

    monkeypatch.setattr(datafiles.components, "declare_component", flaky)
    assert datafiles.publish("t-once.json", b"{}").endswith("/t-once.json")
    assert len(calls) == 2


def test_a_name_goes_deep_inside_its_area_and_landmarks_win_over_villages(boundaries):
    from shapely.geometry import MultiPolygon, Polygon, shape

    from dashboard.boundaries import RANK_LANDMARK, RANK_VILLAGE, label_point

    # an L with a long thin arm: the name goes in the broad foot, 1 from every edge, not
    # half-way up the arm (0.1 from its edges), where a mid-height scan line would put it
    ell = Polygon([(0, 0), (4, 0), (4, 2), (0.2, 2), (0.2, 6), (0, 6)])
    point = label_point(ell)
    assert ell.contains(point) and point.distance(ell.exterior) > 0.95
    # a U: its centroid falls in the gap, outside; the name stays inside
    u = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    assert u.contains(label_point(u)) and not u.contains(u.centroid)
    # of several parts, the largest carries the name
    islands = MultiPolygon([Polygon([(10, 10), (10.1, 10), (10.1, 10.1)]), u])
    assert u.contains(label_point(islands))
    # every municipality's name sits inside it, clear of its edges (not on a neighbour's town)
    for feature in boundaries.kosovo_municipalities["features"]:
        area = shape(feature["geometry"])
        assert area.contains(label_point(area)), feature["properties"]["name"]
    ranks = {label.text: label.rank for label in boundaries.landmarks}
    assert ranks["Jarinje border crossing"] == ranks["Kopaonik"] == RANK_LANDMARK
    assert ranks["Banjska"] == RANK_VILLAGE
