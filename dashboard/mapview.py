"""The map, as pure functions over folium objects (tests render them to HTML).

Two pieces, so that scrubbing through dates never rebuilds the map in the browser:

- :func:`base_map` -- the fixed part: the offline basemap drawn from the boundary files
  (Serbia, then Kosovo above it, Kosovo's municipalities and their names), the legend, the
  view fitted to all the data, and an online tile layer that is off by default. It depends
  only on the data file, so streamlit-folium keeps the same map mounted across reruns.
- :func:`incident_layer` -- the incidents of the current window, a ``folium.FeatureGroup``
  that streamlit-folium swaps in place (``feature_group_to_add``). Markers are canvas
  circles in a marker cluster group built in the browser from compact data, so 10,000 or
  100,000 incidents cost a few megabytes of JSON rather than one folium object each.

Every script and stylesheet comes from ``dashboard/static/`` (Streamlit static serving),
never from a CDN: the map draws with no internet.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd
from branca.element import Element
from folium.elements import ElementAddToElement
from folium.template import Template

from dashboard import popup
from dashboard.boundaries import ATTRIBUTION, Boundaries

# The streamlit-folium component runs in an iframe at /component/streamlit_folium.st_folium/;
# Streamlit serves dashboard/static/ at /app/static/. A relative URL also survives a
# server.baseUrlPath.
STATIC_URL = "../../app/static"
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

# Above this many characters of source text in a window, popups carry the place, date and
# type but not the quotes: the layer is re-sent on every rerun and must stay a few MB.
DETAIL_BUDGET_CHARS = 6_000_000

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
    return f"{STATIC_URL}/{path}"


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
    """A GeoJSON outline in its own pane (drawn by ``IncidentMap.outline``)."""

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
        data: Mapping[str, Any],
        *,
        name: str,
        pane: str,
        style: Mapping[str, Any],
        attribution: str | None = None,
        control: bool = False,
    ) -> None:
        super().__init__(name=name, overlay=True, control=control, show=True)
        self._name = "OutlineLayer"
        self.data_js = js_literal(data)
        self.options_js = js_literal(
            {"pane": pane, "style": dict(style), "attribution": attribution}
        )


class LabelLayer(_DirectRender, folium.map.Layer):
    """Text labels at points, shown from ``min_zoom`` on (``IncidentMap.labels``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = IncidentMap.labels(
                {{ this._parent.get_name() }}, {{ this.labels_js }},
                {{ this.pane_js }}, {{ this.min_zoom }});
        {% endmacro %}
        """
    )

    def __init__(
        self, labels: Sequence[tuple[float, float, str]], *, name: str, pane: str, min_zoom: int
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "LabelLayer"
        self.labels_js = js_literal([list(label) for label in labels])
        self.pane_js = js_literal(pane)
        self.min_zoom = int(min_zoom)


class Legend(folium.MacroElement):
    """Event types with their colours and the marker sizes (``IncidentMap.legend``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.legend({{ this._parent.get_name() }}, {{ this.options_js }});
        {% endmacro %}
        """
    )

    def __init__(self, colours: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "Legend"
        self.options_js = js_literal({"types": [[t, c] for t, c in colours.items()]})


class IncidentLayer(_DirectRender, folium.FeatureGroup):
    """The incidents of a window, built in the browser by ``IncidentMap.incidentLayer``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup({});
            IncidentMap.incidentLayer({{ this.get_name() }}, {{ this.data_js }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: LayerPayload) -> None:
        super().__init__(name="Incidents", overlay=True, control=False, show=True)
        # Keep folium's "FeatureGroup" name: streamlit-folium refers to the group's
        # variable as feature_group_<id>.
        self.count = payload.count
        self.with_sources = payload.with_sources
        self.data_js = payload.data_js


@dataclass(frozen=True)
class LayerPayload:
    """A window's incidents ready for the browser (:func:`layer_data` as JavaScript)."""

    data_js: str
    count: int
    with_sources: bool


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
    height: int = MAP_HEIGHT,
) -> folium.Map:
    """The fixed map: offline basemap, legend, view on ``bounds``; the same for one file."""
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
    fmap.default_js = [(name, asset_url(path)) for name, path in JS_ASSETS]
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
    OutlineLayer(
        boundaries.serbia,
        name="Serbia",
        pane="im-serbia",
        style=STYLES["serbia"],
        attribution=ATTRIBUTION,
    ).add_to(fmap)
    OutlineLayer(
        boundaries.serbia_districts,
        name="Districts of Serbia",
        pane="im-serbia-districts",
        style=STYLES["serbia_districts"],
        control=True,
    ).add_to(fmap)
    OutlineLayer(boundaries.kosovo, name="Kosovo", pane="im-kosovo", style=STYLES["kosovo"]).add_to(
        fmap
    )
    OutlineLayer(
        boundaries.kosovo_municipalities,
        name="Municipalities of Kosovo",
        pane="im-kosovo-municipalities",
        style=STYLES["kosovo_municipalities"],
        control=True,
    ).add_to(fmap)
    OutlineLayer(
        boundaries.kosovo,
        name="Kosovo outline",
        pane="im-kosovo-outline",
        style=STYLES["kosovo_outline"],
    ).add_to(fmap)
    LabelLayer(
        [(label.lat, label.lon, label.text) for label in boundaries.municipality_labels],
        name="Municipality names",
        pane="im-labels",
        min_zoom=LABEL_MIN_ZOOM,
    ).add_to(fmap)

    Legend(colours).add_to(fmap)
    fmap.fit_bounds([list(bounds[0]), list(bounds[1])], max_zoom=12)
    folium.LayerControl(position="topright", collapsed=True).add_to(fmap)
    return fmap


def layer_data(
    incidents: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    detail_budget: int = DETAIL_BUDGET_CHARS,
) -> dict[str, Any]:
    """The compact form of a window's incidents that ``IncidentMap.incidentLayer`` reads.

    ``points`` holds ``[lat, lon, type index, source count, [popup part indices], id]`` per
    incident; ``parts`` holds each distinct escaped popup fragment once.
    """
    type_index = {event_type: i for i, event_type in enumerate(colours)}
    palette = list(colours.values())
    with_sources = int(incidents["source_chars"].sum()) <= detail_budget if len(incidents) else True

    parts: dict[str, int] = {}

    def intern(fragment: str) -> int:
        index = parts.get(fragment)
        if index is None:
            index = parts[fragment] = len(parts)
        return index

    memo: dict[tuple[Any, ...], int] = {}

    def cached(key: tuple[Any, ...], make: Any, *args: Any) -> int:
        index = memo.get(key)
        if index is None:
            index = memo[key] = intern(make(*args))
        return index

    points = []
    columns = zip(
        incidents["lat"],
        incidents["lon"],
        incidents["event_type"],
        incidents["source_count"],
        incidents["incident_id"],
        incidents["feature"],
    )
    for lat, lon, event_type, count, incident_id, feature in columns:
        props = feature["properties"]
        if event_type not in type_index:
            type_index[event_type] = len(palette)
            palette.append("#888888")
        colour = palette[type_index[event_type]]
        head = cached(
            ("type", event_type, props.get("sub_event_type"), colour),
            popup.type_part,
            props,
            colour,
        )
        place = cached(
            (
                "place",
                props.get("location"),
                props.get("place_id"),
                props.get("admin2"),
                props.get("country"),
                props.get("geo_precision"),
            ),
            popup.place_part,
            props,
        )
        when = cached(
            (
                "when",
                props.get("event_date"),
                props.get("date_start"),
                props.get("date_end"),
                props.get("time_precision"),
            ),
            popup.when_part,
            props,
        )
        if with_sources:
            sources = intern(popup.sources_part(props))
        else:
            sources = cached(("summary", int(count)), popup.sources_summary_part, int(count))
        points.append(
            [
                round(float(lat), 5),
                round(float(lon), 5),
                type_index[event_type],
                int(count),
                [head, place, when, sources],
                incident_id,
            ]
        )
    return {
        "colours": palette,
        "parts": list(parts),
        "points": points,
        "with_sources": with_sources,
    }


def layer_payload(
    incidents: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    detail_budget: int = DETAIL_BUDGET_CHARS,
) -> LayerPayload:
    data = layer_data(incidents, colours, detail_budget=detail_budget)
    return LayerPayload(js_literal(data), len(data["points"]), bool(data["with_sources"]))


def incident_layer(
    incidents: pd.DataFrame,
    colours: Mapping[str, str],
    *,
    detail_budget: int = DETAIL_BUDGET_CHARS,
) -> IncidentLayer:
    """The window's incidents as the feature group streamlit-folium swaps in place."""
    return IncidentLayer(layer_payload(incidents, colours, detail_budget=detail_budget))
