"""The map, as pure functions over folium objects (tests render them to HTML).

Two pieces, so that scrubbing through dates never rebuilds the map in the browser:

- :func:`base_map` -- the fixed part: the offline basemap drawn from the boundary files
  (Serbia, then Kosovo above it, Kosovo's municipalities and their names), the legend, the
  view fitted to all the data, an online tile layer that is off by default, and
  :class:`IncidentData`: every incident of the file as one marker cluster group, fetched
  once from a URL (:mod:`dashboard.mapdata`, :mod:`dashboard.datafiles`). It depends only on
  the data file, so streamlit-folium keeps the same map mounted across reruns.
- :class:`IncidentView` -- which incidents the filters and the window show now, a
  ``folium.FeatureGroup`` that streamlit-folium swaps in on every rerun
  (``feature_group_to_add``). It carries a bit per incident (does it pass the filters?) and
  the window, not the incidents: the browser adds and removes only the markers that change
  (and follows the date slider itself between reruns: :mod:`dashboard.mapdata`).

Every script and stylesheet comes from ``dashboard/static/`` (Streamlit static serving),
never from a CDN: the map draws with no internet.
"""

from __future__ import annotations

import functools
import hashlib
import json
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import folium.elements
import pandas as pd
import streamlit_folium
from branca.element import Element
from folium.elements import ElementAddToElement
from folium.template import Template

from dashboard.boundaries import ATTRIBUTION, Boundaries

# The streamlit-folium component runs in an iframe at /component/streamlit_folium.st_folium/;
# Streamlit serves dashboard/static/ at /app/static/. A relative URL also survives a
# server.baseUrlPath.
STATIC_URL = "../../app/static"
STATIC_DIR = Path(__file__).resolve().with_name("static")
JS_ASSETS = (
    ("leaflet", "vendor/leaflet-1.9.4/leaflet.js"),
    ("leaflet_markercluster", "vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js"),
    ("incident_map", "incident_map.js"),
)
CSS_ASSETS = (
    ("leaflet_css", "vendor/leaflet-1.9.4/leaflet.css"),
    ("leaflet_markercluster_css", "vendor/leaflet.markercluster-1.5.3/MarkerCluster.css"),
    ("incident_map_css", "incident_map.css"),
)

# The region the gazetteer covers, [[south, west], [north, east]] (Leaflet is lat, lon).
REGION_BOUNDS = ((42.2, 20.0), (43.4, 21.8))
MAP_HEIGHT = 620
LABEL_MIN_ZOOM = 8

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"

# Panes, bottom to top (tiles are at 200, Leaflet's overlay pane with the markers at 400).
PANES = (
    ("im-serbia", 210),
    ("im-serbia-districts", 215),
    ("im-kosovo", 220),
    ("im-kosovo-municipalities", 225),
    ("im-kosovo-outline", 230),
    ("im-labels", 240),
)
STYLES = {
    "serbia": {"color": "#8d99a3", "weight": 1.2, "fillColor": "#f1efe9", "fillOpacity": 0.75},
    "serbia_districts": {
        "color": "#aab4bb",
        "weight": 0.8,
        "dashArray": "3 3",
        "fill": False,
    },
    "kosovo": {"color": "#6b7780", "weight": 0, "fillColor": "#fbfaf7", "fillOpacity": 0.9},
    "kosovo_municipalities": {"color": "#b5bec5", "weight": 0.9, "fill": False},
    "kosovo_outline": {"color": "#56626b", "weight": 1.8, "fill": False},
}


def asset_url(path: str) -> str:
    """The URL of a file of ``dashboard/static/``. Our own files carry a digest of their
    content (``?v=``): Streamlit serves static files without cache headers, and a browser
    that kept an older copy would otherwise run it after an upgrade. The vendored libraries
    are versioned by their folder."""
    if path.startswith("vendor/"):
        return f"{STATIC_URL}/{path}"
    return f"{STATIC_URL}/{path}?v={_digest(path)}"


@functools.cache
def _digest(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def script_assets(prefetch: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The map's scripts as (name, URL), in the order streamlit-folium loads them (one after
    another). With ``prefetch`` (data file URLs), incident_map.js comes first and starts
    fetching them from its own URL's ``?prefetch=``, so the data loads in parallel with
    Leaflet instead of after it (it needs no Leaflet to do so)."""
    assets = [(name, asset_url(path)) for name, path in JS_ASSETS]
    if not prefetch:
        return assets
    query = urllib.parse.urlencode([("prefetch", url) for url in prefetch])
    own = [
        (name, f"{url}{'&' if '?' in url else '?'}{query}")
        for name, url in assets
        if name == "incident_map"
    ]
    return own + [(name, url) for name, url in assets if name != "incident_map"]


def js_literal(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>``: no ``</`` or ``<!`` can close it.

    (The popup fragments in it are escaped HTML, whose own ``<`` are left as they are so
    the data stays small.)
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (
        ("</", "<\\/"),
        ("<!", "\\u003c!"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


class _Script(Element):
    """Ready JavaScript in the page's script block, rendered as it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _DirectRender:
    """Puts the element's script in the page without branca compiling it again as a Jinja
    template, which takes seconds when the script carries megabytes of data."""

    def render(self, **kwargs: Any) -> None:
        if isinstance(self, folium.map.Layer) and self.show:
            self.add_child(
                ElementAddToElement(
                    element_name=self.get_name(),
                    element_parent_name=self._parent.get_name(),
                ),
                name=self.get_name() + "_add",
            )
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_Script(script(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class OutlineLayer(_DirectRender, folium.map.Layer):
    """A GeoJSON outline in its own pane (drawn by ``IncidentMap.outline``): ``data`` inline,
    or ``source=(url, key)``: the member ``key`` of the JSON file at ``url``, fetched once
    by the browser (the fixed map's script travels again with every rerun's view, so the
    app keeps the ~300 KB of shapes out of it)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = IncidentMap.outline(
                {{ this.data_js }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        name: str,
        pane: str,
        style: Mapping[str, Any],
        attribution: str | None = None,
        control: bool = False,
        source: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=True)
        self._name = "OutlineLayer"
        self.data_js = js_literal(data)
        options: dict[str, Any] = {"pane": pane, "style": dict(style), "attribution": attribution}
        if source is not None:
            options["source"] = {"url": source[0], "key": source[1]}
        self.options_js = js_literal(options)


class LabelLayer(_DirectRender, folium.map.Layer):
    """Text labels at points, shown from ``min_zoom`` on (``IncidentMap.labels``); where two
    labels of the map would overlap, the one of higher rank gives way."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = IncidentMap.labels(
                {{ this._parent.get_name() }}, {{ this.labels_js }},
                {{ this.pane_js }}, {{ this.min_zoom }}, {{ this.kind_js }});
        {% endmacro %}
        """
    )

    def __init__(
        self, labels: Sequence[tuple[float, float, str, int]], *, name: str, pane: str, min_zoom: int,
        kind: str = "label",
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "LabelLayer"
        self.labels_js = js_literal([list(label) for label in labels])
        self.pane_js = js_literal(pane)
        self.min_zoom = int(min_zoom)
        self.kind_js = js_literal(kind)  # the CSS class im-<kind> (incident_map.css)


class Legend(folium.MacroElement):
    """Event types with their colours and the marker sizes (``IncidentMap.legend``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.legend({{ this._parent.get_name() }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, colours: Mapping[str, str], *, regions: bool = False) -> None:
        super().__init__()
        self._name = "Legend"
        self.options_js = js_literal(
            {"types": [[t, c] for t, c in colours.items()], "regions": regions}
        )


class FitView(folium.MacroElement):
    """The opening view: ``bounds`` fitted beside the open legend (``IncidentMap.fit``), as
    every later fit of the map is. Comes after the legend, whose size it reads."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.fit({{ this._parent.get_name() }}, {{ this.bounds_js }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(
        self, bounds: tuple[tuple[float, float], tuple[float, float]], *, max_zoom: int
    ) -> None:
        super().__init__()
        self._name = "FitView"
        self.bounds_js = js_literal([list(bounds[0]), list(bounds[1])])
        self.options_js = js_literal({"maxZoom": max_zoom, "animate": False})


class WheelScrollsThePage(folium.MacroElement):
    """The wheel scrolls the page over the map until the map is clicked, or zooms with
    Ctrl held (``IncidentMap.wheel``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.wheel({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "WheelScrollsThePage"


class IncidentData(folium.MacroElement):
    """Every incident of the data file, fetched once by the browser from ``url``
    (``IncidentMap.incidents``: one marker cluster group that stays on the map)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.incidents({{ this._parent.get_name() }}, {{ this.url_js }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str) -> None:
        super().__init__()
        self._name = "IncidentData"
        self.url_js = js_literal(url)


class IncidentView(_DirectRender, folium.FeatureGroup):
    """Which incidents pass the filters and the window (``IncidentMap.show``:
    :func:`mapdata.view_data`), as the feature group that streamlit-folium swaps in on every
    rerun: a few kilobytes, whatever the window."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup({});
            IncidentMap.show({{ this.get_name() }}, {{ this.view_js }});
        {% endmacro %}
        """
    )

    def __init__(self, view: Mapping[str, Any]) -> None:
        super().__init__(name="Incidents", overlay=True, control=False, show=True)
        # Keep folium's "FeatureGroup" name: streamlit-folium refers to the group's
        # variable as feature_group_<id>.
        self.count = int(view["count"])
        self.with_details = view.get("details") is not None
        self.view_js = js_literal(dict(view))


def shapes(boundaries: Boundaries) -> dict[str, Any]:
    """The outlines :func:`base_map` fetches from ``shapes_url``, by key."""
    keys = ("serbia", "serbia_districts", "kosovo", "kosovo_municipalities")
    return {key: getattr(boundaries, key) for key in keys}


def data_bounds(frame: pd.DataFrame) -> tuple[tuple[float, float], tuple[float, float]]:
    """[[south, west], [north, east]] of the incidents, padded; the region when empty."""
    if frame.empty:
        return REGION_BOUNDS
    south, north = float(frame["lat"].min()), float(frame["lat"].max())
    west, east = float(frame["lon"].min()), float(frame["lon"].max())
    pad_lat = max((north - south) * 0.08, 0.05)
    pad_lon = max((east - west) * 0.08, 0.05)
    return (
        (round(south - pad_lat, 4), round(west - pad_lon, 4)),
        (round(north + pad_lat, 4), round(east + pad_lon, 4)),
    )


def base_map(
    boundaries: Boundaries,
    bounds: tuple[tuple[float, float], tuple[float, float]],
    colours: Mapping[str, str],
    *,
    data_url: str | None = None,
    shapes_url: str | None = None,
    height: int = MAP_HEIGHT,
    regions: bool = False,
) -> folium.Map:
    """The fixed map: offline basemap, legend, view on ``bounds`` and, when ``data_url`` is
    given, the incidents fetched from it; the same for one data file. With ``shapes_url``
    (:func:`shapes` as a file) the outlines are fetched from it instead of inlined.
    ``regions``: the file has incidents known only by their region (the legend says how
    they are drawn)."""
    (south, west), (north, east) = bounds
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=9,
        tiles=None,
        height=height,
        control_scale=False,  # a metric-only scale comes with the legend
        zoom_snap=0.5,
    )
    # Map(min_zoom=, max_zoom=) only reach folium's default tile layer; the marker cluster
    # needs the map's own maxZoom.
    fmap.options["min_zoom"] = 6
    fmap.options["max_zoom"] = 18
    # Local copies instead of folium's CDN defaults (and none of jQuery/Bootstrap/awesome-markers).
    fmap.default_js = script_assets(prefetch=[u for u in (data_url, shapes_url) if u is not None])
    fmap.default_css = [(name, asset_url(path)) for name, path in CSS_ASSETS]

    for pane, z_index in PANES:
        folium.map.CustomPane(pane, z_index=z_index, pointer_events=False).add_to(fmap)

    folium.TileLayer(
        OSM_TILES,
        attr=OSM_ATTRIBUTION,
        name="OpenStreetMap tiles (online)",
        overlay=True,
        control=True,
        show=False,
        max_zoom=19,
    ).add_to(fmap)

    # Serbia first, Kosovo above it: the two outlines were simplified separately and overlap.
    def outline(key: str, **kwargs: Any) -> None:
        if shapes_url is None:
            OutlineLayer(getattr(boundaries, key), **kwargs).add_to(fmap)
        else:
            OutlineLayer(None, source=(shapes_url, key), **kwargs).add_to(fmap)

    outline(
        "serbia", name="Serbia", pane="im-serbia", style=STYLES["serbia"], attribution=ATTRIBUTION
    )
    outline(
        "serbia_districts",
        name="Districts of Serbia",
        pane="im-serbia-districts",
        style=STYLES["serbia_districts"],
        control=True,
    )
    outline("kosovo", name="Kosovo", pane="im-kosovo", style=STYLES["kosovo"])
    outline(
        "kosovo_municipalities",
        name="Municipalities of Kosovo",
        pane="im-kosovo-municipalities",
        style=STYLES["kosovo_municipalities"],
        control=True,
    )
    outline(
        "kosovo", name="Kosovo outline", pane="im-kosovo-outline", style=STYLES["kosovo_outline"]
    )
    LabelLayer(
        [(label.lat, label.lon, label.text, label.rank) for label in boundaries.municipality_labels],
        name="Municipality names",
        pane="im-labels",
        min_zoom=LABEL_MIN_ZOOM,
    ).add_to(fmap)
    if boundaries.landmarks:
        LabelLayer(
            [(label.lat, label.lon, label.text, label.rank) for label in boundaries.landmarks],
            name="Border crossings, mountains, villages",
            pane="im-labels",
            min_zoom=LABEL_MIN_ZOOM,
            kind="landmark",
        ).add_to(fmap)

    Legend(colours, regions=regions).add_to(fmap)
    WheelScrollsThePage().add_to(fmap)
    if data_url is not None:
        IncidentData(data_url).add_to(fmap)
    FitView(bounds, max_zoom=12).add_to(fmap)
    folium.LayerControl(position="topright", collapsed=True).add_to(fmap)
    return fmap


# --- streamlit-folium's component, without re-rendering the fixed map on every rerun --------
#
# st_folium renders the whole folium map and scans its script with regular expressions on
# every call: about 80 ms a rerun for this map, though the map only changes with the data
# file. component_args does that work once (the app caches it per file) and each rerun adds
# only its feature group. It follows st_folium's own steps for a plain folium.Map with
# use_container_width and no layer control; tests/test_dashboard_mapview.py checks that the
# result equals what st_folium itself passes to the component.


def component_args(
    fmap: folium.Map, *, key: str, height: int, returned_objects: Sequence[str] = ()
) -> dict[str, Any]:
    """What st_folium(fmap, key=key, height=height, use_container_width=True,
    returned_objects=returned_objects) passes to its component, less the feature group."""
    fmap.get_root().render()
    fmap.render()
    html = streamlit_folium._get_html(fmap)
    header = streamlit_folium._get_header(fmap)
    leaflet = streamlit_folium._get_map_string(fmap)
    try:
        (south, west), (north, east) = fmap.get_bounds()
    except AttributeError:
        (south, west), (north, east) = (None, None), (None, None)
    defaults = {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "all_drawings": None,
        "last_active_drawing": None,
        "bounds": {
            "_southWest": {"lat": south, "lng": west},
            "_northEast": {"lat": north, "lng": east},
        },
        "zoom": fmap.options.get("zoom"),
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "selected_layers": None,
        "selected_tags": None,
        "last_geocoder_result": None,
    }
    css_links: list[str] = []
    js_links: list[str] = []
    for element in _elements(fmap):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    return {
        "script": leaflet,
        "header": header,
        "html": html,
        "id": streamlit_folium.get_full_id(fmap),
        "key": streamlit_folium.generate_js_hash(leaflet, key, False),
        "height": height,
        "width": None,
        "returned_objects": list(returned_objects),
        "default": {k: v for k, v in defaults.items() if k in returned_objects},
        "zoom": None,
        "center": None,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(dict.fromkeys(css_links)),
        "js_links": list(dict.fromkeys(js_links)),
        "wrap_longitude": False,
    }


def _elements(element: Any) -> Any:
    if isinstance(element, folium.elements.JSCSSMixin):
        yield element
    for child in getattr(element, "_children", {}).values():
        yield from _elements(child)


def feature_group_script(group: folium.FeatureGroup) -> str:
    """The script st_folium sends for ``feature_group_to_add=group`` (it names the map
    ``map_div`` whatever map it is given, so a throwaway one does)."""
    return streamlit_folium._get_feature_group_string(group, map=folium.Map(tiles=None))
