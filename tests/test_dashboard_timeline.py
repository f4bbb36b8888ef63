"""dashboard.timeline: daily counts and the chart's layers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from browser.datasets import XSS_EVENT_TYPE, small_collection

from dashboard import timeline
from dashboard.data import incidents_from_geojson
from dashboard.filters import Window
from dashboard.palette import type_colours


def small_data():
    return incidents_from_geojson(small_collection(), Path("incidents.geojson"))


def test_daily_counts_skip_undated_incidents():
    counts = timeline.daily_counts(small_data().frame)
    assert counts["incidents"].sum() == 11
    day = counts[counts["day"] == "2022-12-12"].set_index("event_type")["incidents"]
    assert day.to_dict() == {"Strategic developments": 1, XSS_EVENT_TYPE: 1}


def test_chart_uses_the_map_colours_and_marks_the_window():
    data = small_data()
    colours = type_colours(data.event_types)
    bounds = Window(dt.date(2021, 9, 26), dt.date(2023, 9, 24))
    window = Window(dt.date(2022, 12, 10), dt.date(2022, 12, 12))
    spec = timeline.timeline_spec(timeline.daily_counts(data.frame), colours, bounds, window)
    assert len(spec["layer"]) == 3  # the shaded window, the bars, the window's edges
    bars = spec["layer"][1]
    assert bars["encoding"]["color"]["scale"] == {
        "domain": list(colours),
        "range": list(colours.values()),
    }
    # the window's bars are at full strength, the others faded
    counts = spec["datasets"][bars["data"]["name"]]
    inside = counts[counts["in_window"]]
    assert set(inside["day"].dt.date) == {dt.date(2022, 12, d) for d in (10, 11, 12)}
    assert inside["incidents"].sum() == 4 < counts["incidents"].sum()
    shade = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert shade.iloc[0].tolist() == [pd.Timestamp("2022-12-10"), pd.Timestamp("2022-12-13")]
    whole = timeline.timeline_spec(timeline.daily_counts(data.frame), colours, bounds, bounds)
    assert len(whole["layer"]) == 1  # nothing to mark when the window is everything
    assert whole["datasets"]["counts"]["in_window"].all()


def test_spec_is_valid_vega_lite():
    """Streamlit draws the spec as it is: check it against the Vega-Lite schema here."""
    import altair as alt

    data = small_data()
    colours = type_colours(data.event_types)
    bounds = Window(dt.date(2021, 9, 26), dt.date(2023, 9, 24))
    window = Window(dt.date(2022, 12, 10), dt.date(2022, 12, 12))
    spec = timeline.timeline_spec(timeline.daily_counts(data.frame), colours, bounds, window)
    as_json = {**spec, "datasets": {k: [] for k in spec["datasets"]}}
    alt.LayerChart.from_dict(as_json, validate=True)


def test_no_dated_incidents_give_empty_counts():
    frame = small_data().frame
    assert timeline.daily_counts(frame[frame["event_date"].isna()]).empty
