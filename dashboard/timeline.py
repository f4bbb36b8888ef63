"""The timeline: a daily histogram of incidents, coloured like the map, the window marked."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from dashboard.filters import ONE_DAY, Window


def daily_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Incidents per (day, event type): columns ``day``, ``event_type``, ``incidents``."""
    dated = frame[frame["event_date"].notna()]
    if dated.empty:
        return pd.DataFrame({"day": [], "event_type": [], "incidents": []})
    counts = dated.groupby(["event_date", "event_type"]).size().reset_index(name="incidents")
    return counts.rename(columns={"event_date": "day"})


def timeline_chart(
    counts: pd.DataFrame,
    colours: Mapping[str, str],
    bounds: Window,
    window: Window,
    *,
    height: int = 120,
    plot_width: int = 1000,
) -> alt.LayerChart:
    """Stacked daily bars over ``bounds``; the window shaded and its bars at full strength.

    A bar is at least 3 px wide, so three years of days still read as a histogram
    (``plot_width`` is the expected width of the plot in pixels).
    """
    start, end = pd.Timestamp(window.start), pd.Timestamp(window.end)
    data = counts.assign(
        in_window=(counts["day"] >= start) & (counts["day"] <= end),
    )
    bar_width = max(3.0, min(14.0, 0.85 * plot_width / max(bounds.days + 1, 1)))
    if counts["day"].nunique() < 60:  # a few busy days: wider bars, still no overlap to speak of
        bar_width = max(bar_width, 6.0)
    pad = pd.Timedelta(days=max(1, bounds.days // 60))  # room for the bars at the ends
    domain = [pd.Timestamp(bounds.start) - pad, pd.Timestamp(bounds.end + ONE_DAY) + pad]
    x_scale = alt.Scale(
        domain=[alt.DateTime(year=d.year, month=d.month, date=d.day) for d in domain]
    )
    colour = alt.Color(
        "event_type:N",
        scale=alt.Scale(domain=list(colours), range=list(colours.values())),
        legend=None,
        title="Event type",
    )
    shade = (
        alt.Chart(pd.DataFrame({"start": [start], "end": [pd.Timestamp(window.end + ONE_DAY)]}))
        .mark_rect(color="#93a4b8", opacity=0.16)
        .encode(x=alt.X("start:T"), x2="end:T")
    )
    bars = (
        alt.Chart(data)
        .mark_bar(size=bar_width)
        .encode(
            x=alt.X("day:T", scale=x_scale, title=None, axis=alt.Axis(format="%b %Y", grid=False)),
            y=alt.Y("sum(incidents):Q", title="per day", axis=alt.Axis(tickMinStep=1)),
            color=colour,
            opacity=alt.condition(alt.datum.in_window, alt.value(1.0), alt.value(0.28)),
            tooltip=[
                alt.Tooltip("day:T", title="Day", format="%Y-%m-%d"),
                alt.Tooltip("event_type:N", title="Event type"),
                alt.Tooltip("incidents:Q", title="Incidents"),
            ],
        )
    )
    edges = (
        alt.Chart(pd.DataFrame({"edge": [start, pd.Timestamp(window.end + ONE_DAY)]}))
        .mark_rule(color="#1f2937", strokeWidth=1.5, opacity=0.7)
        .encode(x=alt.X("edge:T"))
    )
    if window == bounds:  # nothing to mark: every bar is in the window
        return alt.layer(bars).properties(height=height)
    return alt.layer(shade, bars, edges).properties(height=height)
