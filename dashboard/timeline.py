"""The timeline: a histogram of incidents per day (per few days over long spans), coloured
like the map, the window marked; a click on a bar makes the window its days, and so does a drag
across the chart (the days it spans, widened to the bars it touches)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from dashboard.filters import ONE_DAY, Window, last_dates

# How well the date of an incident is known (its time_precision), as the chart says it; a
# bar of incidents known only to the month is paler: its day is the month's best guess, not a
# fact (the seeds' eight "December 2022" incidents made a spike on 9 December).
# An incident that lasted (a blockade from the 10th until the 29th) is on the map every day
# of it, so it is counted on every day of it: on its first day with its type, at full strength
# (its days are what the text says, not a guess), and on each later day in a grey bar at the
# foot of the stack, "going on": a day's bar is then as tall as the map's count of that day.
LASTED = 0  # the chart's `precision` of an incident that lasted, on its first day
GOING_ON = -1  # ... and on its later days, where its type is GOING_ON_TYPE
GOING_ON_TYPE = "Going on since an earlier day"
GOING_ON_COLOUR = "#9ca3af"
KNOWN = {
    1: "to the day", 2: "within a few days", 3: "only to the month or coarser",
    LASTED: "began that day and lasted", GOING_ON: "began earlier, still going on",
}
PRECISION_OPACITY = {1: 1.0, 2: 0.75, 3: 0.4, LASTED: 1.0, GOING_ON: 1.0}
PICK = "pick"  # the selection a click on a bar makes
BRUSH = "brush"  # the selection a drag across the chart makes
BAR_DAY = "bar_day"  # a bar's first day, as days since EPOCH: what a click picks
STACK = "stack"  # a bar's place in its day's stack: 0 for GOING_ON, at the foot
BAR_MIDDLE = "middle"  # where a bar stands: the middle of its days (a day's bar at noon)
EPOCH = dt.date(1970, 1, 1)
DAY_MS = 86_400_000
# The x axis's ticks, the finest that leaves each label LABEL_PX: (interval, step, format).
# Days and weeks are labelled with their day ("5 Dec"), months with their year ("Dec 2022"):
# a fixed "%b %Y" wrote "Dec 2022" under every tick of a two-week span.
AXIS_TICKS = (
    ("day", 1, "%-d %b"),
    ("day", 2, "%-d %b"),
    ("week", 1, "%-d %b"),
    ("week", 2, "%-d %b"),
    ("month", 1, "%b %Y"),
    ("month", 3, "%b %Y"),
    ("month", 6, "%b %Y"),
)
_INTERVAL_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
LABEL_PX = 70


def daily_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Incidents per (day, event type, date precision): columns ``day``, ``event_type``,
    ``precision``, ``incidents``. An incident that lasted is counted on its first day with
    the precision :data:`LASTED`, and on each later day in a row of :data:`GOING_ON_TYPE`
    with the precision :data:`GOING_ON`."""
    dated = frame[frame["event_date"].notna()]
    if dated.empty:
        return pd.DataFrame({"day": [], "event_type": [], "precision": [], "incidents": []})
    last = last_dates(dated)
    lasted = (last > dated["event_date"]).to_numpy()
    precision = dated["time_precision"].where(~lasted, LASTED).rename("precision")
    counts = (dated.groupby([dated["event_date"].rename("day"), dated["event_type"], precision]).size()
              .reset_index(name="incidents"))
    if not lasted.any():
        return counts
    first = dated["event_date"].to_numpy()[lasted].astype("datetime64[D]")
    later = (last.to_numpy()[lasted].astype("datetime64[D]") - first).astype("int64")  # days after the first
    # every later day of every such incident: its first day plus 1..later
    steps = np.arange(int(later.sum())) - np.repeat(np.cumsum(later) - later, later) + 1
    days = pd.Series(np.repeat(first, later) + steps.astype("timedelta64[D]")).astype("datetime64[ns]")
    going = days.value_counts(sort=False).rename_axis("day").reset_index(name="incidents")
    going = going.assign(event_type=GOING_ON_TYPE, precision=GOING_ON)[list(counts.columns)]
    return pd.concat([counts, going], ignore_index=True).sort_values(["day", "event_type"], ignore_index=True)


def bin_days(bounds: Window, plot_width: int = 1000, min_bar_px: float = 3.0) -> int:
    """Days per bar: 1 while a day gets ``min_bar_px`` of the plot, else as many as make it.

    Three years of daily bars on a 1,000 px plot were 0.3 px apart and drawn 3 px wide, so
    they overlapped and hid each other, and the ~6,500 bars (days x types) cost the browser
    about a second to draw on every page load at 100,000 incidents.
    """
    most_bars = max(1, int(plot_width // min_bar_px))
    return max(1, -(-bounds.days // most_bars))


def binned_counts(counts: pd.DataFrame, bounds: Window, days: int) -> pd.DataFrame:
    """:func:`daily_counts` summed into bars of ``days`` days from ``bounds.start``; ``day``
    is each bar's first day. What is :data:`GOING_ON` in a bar is what was on its first day
    (an incident that began in the bar is counted as it began)."""
    if days == 1 or counts.empty:
        return counts
    start = pd.Timestamp(bounds.start)
    after = (counts["day"] - start).dt.days
    keep = (counts["precision"] != GOING_ON).to_numpy() | (after % days == 0).to_numpy()
    counts, offset = counts[keep], after[keep] // days * days
    first = start + pd.to_timedelta(offset, unit="D")
    summed = counts.groupby([first, counts["event_type"], counts["precision"]], sort=True)["incidents"].sum()
    return summed.rename_axis(["day", "event_type", "precision"]).reset_index()


def picked_window(selection: Any, bounds: Window, plot_width: int = 1000) -> Window | None:
    """The days of the bar a click picked (``selection``: the chart's selection state, as
    Streamlit gives it: ``{"selection": {PICK: [{BAR_DAY: <the bar's first day, as days
    since 1970-01-01>}]}}``), within ``bounds``; None when it holds no bar.

    The day is a number, not the chart's date: Streamlit shifts dates by the browser's
    offset from UTC, so in Kosovo (UTC+1) the 12 December bar's date came back as
    11 December, 23:00 UTC."""
    try:
        first = EPOCH + int(selection["selection"][PICK][0][BAR_DAY]) * ONE_DAY
    except (KeyError, IndexError, TypeError, ValueError, OverflowError):
        return None
    last = first + (bin_days(bounds, plot_width) - 1) * ONE_DAY
    if last < bounds.start or first > bounds.end:
        return None
    return Window(max(first, bounds.start), min(last, bounds.end))


def brushed_window(
    selection: Any, counts: pd.DataFrame, bounds: Window, plot_width: int = 1000
) -> Window | None:
    """The days a drag across the chart spans, widened to the whole of any bar it touches
    (``selection``: as Streamlit gives it, ``{"selection": {BRUSH: {BAR_MIDDLE: [<from>,
    <to>]}}}`` in milliseconds since 1970, UTC; ``counts``: the :func:`daily_counts` the
    chart shows), within ``bounds``; None when it holds no drag or misses the span. A bar
    stands in the middle of its days and may be wider than they are (6 px for a few bars
    over a long span), so a drag that ends on a bar's edge takes that bar in. The chart's
    dates are UTC (see :func:`timeline_spec`), so the milliseconds mean the same days in
    every time zone."""
    try:
        low, high = sorted(float(ms) / DAY_MS for ms in selection["selection"][BRUSH][BAR_MIDDLE])
    except (KeyError, TypeError, ValueError):
        return None  # no drag, or a cleared one ({})
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    days = bin_days(bounds, plot_width)
    origin = (bounds.start - EPOCH).days
    binned = binned_counts(counts, bounds, days)
    starts = np.unique(_day_numbers(binned["day"]))
    # a bar stands in the middle of its days, half its width either side of that
    axis_days = bounds.days + 1 + 2 * _pad_days(bounds)
    half = _bar_width(len(starts), bounds, days, plot_width) / 2 * axis_days / plot_width
    first = math.floor((low - origin) / days)
    last = max(first, math.ceil((high - origin) / days) - 1)  # an end at a midnight: not the day after
    middles = starts + days / 2
    touched = starts[(middles >= low - half) & (middles <= high + half)]
    if touched.size:
        first = min(first, (int(touched.min()) - origin) // days)
        last = max(last, (int(touched.max()) - origin) // days)
    first, last = max(first, 0), min(last, (bounds.days - 1) // days)
    if first > last:  # wholly before or after the span
        return None
    return Window(bounds.start + first * days * ONE_DAY, min(bounds.end, bounds.start + (last * days + days - 1) * ONE_DAY))


def _day_numbers(days: pd.Series) -> np.ndarray:
    """Dates as days since EPOCH: numbers no time zone can shift."""
    return days.to_numpy().astype("datetime64[D]").astype("int64")


def _bar_width(bars: int, bounds: Window, days: int, plot_width: int) -> float:
    """A bar's width in pixels: its share of the plot, 3 to 14 px (6 px or more when there are
    only a few ``bars``: busy days, still no overlap to speak of)."""
    width = max(3.0, min(14.0, 0.85 * plot_width * days / max(bounds.days + 1, 1)))
    return max(width, 6.0) if bars < 60 else width


def axis_ticks(axis_days: int, plot_width: int = 1000) -> dict[str, Any]:
    """The x axis's ``tickCount`` (a Vega-Lite time interval and step) and label ``format``
    for an axis of ``axis_days`` days on a plot ``plot_width`` pixels wide: the finest ticks
    of :data:`AXIS_TICKS` that leave every label :data:`LABEL_PX`, else years."""
    room = max(2, plot_width // LABEL_PX)
    for interval, step, label in AXIS_TICKS:
        if axis_days / (_INTERVAL_DAYS[interval] * step) <= room:
            return {"tickCount": {"interval": interval, "step": step}, "format": label}
    years = max(1, math.ceil(axis_days / _INTERVAL_DAYS["year"] / room))
    return {"tickCount": {"interval": "year", "step": years}, "format": "%Y"}


def _pad_days(bounds: Window) -> int:
    """Room on the axis before and after the span, for the bars at its ends."""
    return max(1, bounds.days // 60)


def _utc(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame's dates as UTC midnights. Streamlit gives Vega a date without a time zone
    as the browser's local midnight, so a drag's milliseconds (:func:`brushed_window`) would
    shift with the reader's time zone; UTC dates on a UTC scale do not."""
    return frame.apply(lambda column: column.dt.tz_localize("UTC") if column.dtype.kind == "M" else column)


def _datetime(day: pd.Timestamp) -> dict[str, Any]:
    """A Vega-Lite DateTime (a calendar day, month 1-12, UTC)."""
    return {"year": day.year, "month": day.month, "date": day.day, "utc": True}


def timeline_spec(
    counts: pd.DataFrame,
    colours: Mapping[str, str],
    bounds: Window,
    window: Window,
    *,
    height: int = 120,
    plot_width: int = 1000,
) -> dict[str, Any]:
    """Stacked daily bars over ``bounds``; the window shaded and its bars at full strength,
    as a Vega-Lite spec for ``st.vega_lite_chart`` (its ``datasets`` are DataFrames).

    Built for a chart that is redrawn on every slider step:

    - a plain spec rather than Altair, whose schema validation cost about 0.1 s a step;
    - the spec and the ``counts`` dataset depend on the data, the filters and ``bounds``,
      never on the window. The window is in the small ``shade``, ``veil`` and ``edges``
      datasets, so when it moves Streamlit's frontend swaps those in the live Vega view
      (it compares the datasets' bytes) and Vega redraws a few rectangles. The bars
      outside the window are faded by a white veil drawn over them rather than by an
      opacity per bar: re-encoding ~6,000 bars (Streamlit's Vega evaluates expressions
      with its CSP-safe interpreter) cost about half a second a step at 100,000
      incidents. Over the veil, the same bars again, unseen, take the pointer: every bar
      shows its tooltip, and a click on one makes the window its days
      (:func:`picked_window`).

    A bar is a day, or a few days when the span is too long for a day to get 3 px
    (:func:`bin_days`; ``plot_width`` is the expected width of the plot in pixels).
    """
    start, end = pd.Timestamp(window.start), pd.Timestamp(window.end + ONE_DAY)
    days = bin_days(bounds, plot_width)
    counts = binned_counts(counts, bounds, days)
    counts = counts.assign(
        known=counts["precision"].map(KNOWN),
        **{STACK: (counts["precision"] != GOING_ON).astype("int8")},  # what is going on at the foot
        **{BAR_DAY: _day_numbers(counts["day"]), BAR_MIDDLE: pd.to_datetime(counts["day"]) + pd.Timedelta(hours=12 * days)},
    )
    bar_width = _bar_width(counts["day"].nunique(), bounds, days, plot_width)
    pad = pd.Timedelta(days=_pad_days(bounds))
    domain = [pd.Timestamp(bounds.start) - pad, pd.Timestamp(bounds.end + ONE_DAY) + pad]
    encoding = {
        "x": {  # a bar in the middle of its days, as the window's shade runs midnight to midnight
            "field": BAR_MIDDLE,
            "type": "temporal",
            "scale": {"type": "utc", "domain": [_datetime(d) for d in domain]},
            "title": None,
            "axis": {"grid": False, **axis_ticks((domain[1] - domain[0]).days, plot_width)},
        },
        "y": {
            "aggregate": "sum",
            "field": "incidents",
            "type": "quantitative",
            "title": "per day" if days == 1 else f"per {days} days",
            "axis": {"tickMinStep": 1, "format": "d"},  # whole numbers (an empty chart read 0.000000)
        },
        "color": {
            "field": "event_type",
            "type": "nominal",
            "scale": {"domain": [*colours, GOING_ON_TYPE], "range": [*colours.values(), GOING_ON_COLOUR]},
            "legend": None,
            "title": "Event type",
        },
        "order": {"field": STACK, "type": "quantitative"},
        "opacity": {
            "field": "precision",
            "type": "ordinal",
            "scale": {"domain": list(PRECISION_OPACITY), "range": list(PRECISION_OPACITY.values())},
            "legend": None,
        },
        "tooltip": [
            {
                "field": "day",
                "type": "temporal",
                "timeUnit": "utcyearmonthdate",
                "title": "Day" if days == 1 else f"{days} days from",
                "format": "%Y-%m-%d",
            },
            {"field": "event_type", "type": "nominal", "title": "Event type"},
            {"field": "known", "type": "nominal", "title": "Date known"},
            {"field": "incidents", "type": "quantitative", "title": "Incidents"},
        ],
    }
    bars = {
        "data": {"name": "counts"},
        "mark": {"type": "bar", "size": bar_width},
        "encoding": {k: v for k, v in encoding.items() if k != "tooltip"},
    }
    # The same bars again, unseen, over the veil: they take the pointer, so every bar shows
    # its tooltip and a click on one picks its day (PICK), the window's or not; a drag across
    # the chart (BRUSH) picks the days it spans (brushed_window).
    hits = {
        "data": {"name": "counts"},
        "mark": {"type": "bar", "size": bar_width, "opacity": 0, "cursor": "pointer"},
        "encoding": {k: v for k, v in encoding.items() if k != "opacity"}
        | {"detail": {"field": BAR_DAY, "type": "quantitative"}},
        "params": [
            {"name": PICK, "select": {"type": "point", "fields": [BAR_DAY], "on": "click", "toggle": False}},
            {"name": BRUSH, "select": {"type": "interval", "encodings": ["x"]}},
        ],
    }
    veil_layer = {  # white at 0.72 over a bar looks like the bar at opacity 0.28
        "data": {"name": "veil"},
        "mark": {"type": "rect", "color": "#ffffff", "opacity": 0.72},
        "encoding": {"x": {"field": "start", "type": "temporal"}, "x2": {"field": "end"}},
    }
    shade = {
        "data": {"name": "shade"},
        "mark": {"type": "rect", "color": "#93a4b8", "opacity": 0.16},
        "encoding": {"x": {"field": "start", "type": "temporal"}, "x2": {"field": "end"}},
    }
    edges = {
        "data": {"name": "edges"},
        "mark": {"type": "rule", "color": "#1f2937", "strokeWidth": 1.5, "opacity": 0.7},
        "encoding": {"x": {"field": "edge", "type": "temporal"}},
    }
    marked = window != bounds  # nothing to mark when the window is everything
    veil = pd.DataFrame(
        {"start": [domain[0], end] * marked, "end": [start, domain[1]] * marked},
        dtype="datetime64[ns]",
    )
    return {
        "height": height,
        "layer": [shade, bars, veil_layer, edges, hits],
        "datasets": {
            "counts": _utc(counts),
            "shade": _utc(pd.DataFrame(
                {"start": [start] * marked, "end": [end] * marked}, dtype="datetime64[ns]"
            )),
            "veil": _utc(veil),
            "edges": _utc(pd.DataFrame({"edge": [start, end] * marked}, dtype="datetime64[ns]")),
        },
    }
