"""dashboard.timeline: daily counts and the chart's layers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from browser.datasets import XSS_EVENT_TYPE, lasting_collection, small_collection
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import filters as flt
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


def full_strength_days(spec) -> set:
    """The days whose bars no white veil covers (the others look faded)."""
    veil_layer = spec["layer"][2]
    assert veil_layer["mark"]["color"] == "#ffffff" and veil_layer["mark"]["opacity"] > 0.5
    assert spec["layer"].index(veil_layer) > spec["layer"].index(bars_of(spec))  # drawn over
    counts, veil = spec["datasets"]["counts"], spec["datasets"][veil_layer["data"]["name"]]
    covered = pd.Series(False, index=counts.index)
    for start, end in veil.itertuples(index=False):
        covered |= (counts["day"] >= start) & (counts["day"] < end)
    return set(counts.loc[~covered, "day"].dt.date)


def bars_of(spec) -> dict:
    """The bars one sees (the others, over them, are unseen: :func:`hits_of`)."""
    (bars,) = [layer for layer in spec["layer"] if layer["mark"]["type"] == "bar" and "params" not in layer]
    return bars


def hits_of(spec) -> dict:
    (hits,) = [layer for layer in spec["layer"] if layer.get("params")]
    return hits


def test_chart_uses_the_map_colours_and_marks_the_window():
    data = small_data()
    colours = type_colours(data.event_types)
    bounds = Window(dt.date(2022, 11, 20), dt.date(2023, 1, 10))  # short: a bar a day
    window = Window(dt.date(2022, 12, 10), dt.date(2022, 12, 12))
    counts = timeline.daily_counts(flt.in_window(data.frame, bounds))  # as the app's span
    spec = timeline.timeline_spec(counts, colours, bounds, window)
    # the shaded window, the bars, the veil over the bars outside the window, its edges, and
    # over everything the same bars unseen, which take the pointer: tooltips and clicks
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "bar", "rect", "rule", "bar"]
    hits = hits_of(spec)
    assert spec["layer"][-1] is hits and hits["mark"]["opacity"] == 0
    assert {k: hits["encoding"][k] for k in ("x", "y", "color")} == {
        k: bars_of(spec)["encoding"][k] for k in ("x", "y", "color")
    }
    assert hits["params"] == [
        {"name": timeline.PICK, "select": {
            "type": "point", "fields": [timeline.BAR_DAY], "on": "click", "toggle": False}},
        {"name": timeline.BRUSH, "select": {"type": "interval", "encodings": ["x"]}},  # a drag
    ]
    # dates as UTC midnights on a UTC scale: a drag's milliseconds mean the same days in
    # every time zone (Streamlit draws a date without a zone at the browser's midnight)
    assert bars_of(spec)["encoding"]["x"]["scale"]["type"] == "utc"
    assert all(str(frame[c].dt.tz) == "UTC" for frame in spec["datasets"].values()
               for c in frame.columns if frame[c].dtype.kind == "M")
    assert hits["encoding"]["detail"]["field"] == timeline.BAR_DAY  # kept by the stacking
    shown = spec["datasets"]["counts"]
    assert all(  # the day as a number: no time zone can shift it
        timeline.EPOCH + dt.timedelta(days=int(n)) == day.date()
        for n, day in zip(shown[timeline.BAR_DAY], shown["day"], strict=True)
    )
    assert "tooltip" in hits["encoding"] and "tooltip" not in bars_of(spec)["encoding"]
    assert bars_of(spec)["encoding"]["color"]["scale"] == {  # the map's, and grey for what goes on
        "domain": [*colours, timeline.GOING_ON_TYPE],
        "range": [*colours.values(), timeline.GOING_ON_COLOUR],
    }
    assert bars_of(spec)["encoding"]["y"]["title"] == "per day"
    assert bars_of(spec)["encoding"]["y"]["axis"]["format"] == "d"  # counts are whole numbers
    assert full_strength_days(spec) == {dt.date(2022, 12, d) for d in (10, 11, 12)}
    shade = spec["datasets"]["shade"]
    assert shade.iloc[0].tolist() == [pd.Timestamp("2022-12-10", tz="UTC"), pd.Timestamp("2022-12-13", tz="UTC")]
    # the shade runs midnight to midnight, and a bar stands at its day's noon, inside it
    # (on its midnight, half of the window's first bar was under the veil)
    assert bars_of(spec)["encoding"]["x"]["field"] == hits["encoding"]["x"]["field"] == timeline.BAR_MIDDLE
    assert ((shown[timeline.BAR_MIDDLE] - shown["day"]) == pd.Timedelta(hours=12)).all()
    assert hits["encoding"]["tooltip"][0]["field"] == "day"  # the day, not its noon
    assert len(spec["datasets"]["edges"]) == 2

    whole = timeline.timeline_spec(counts, colours, bounds, bounds)
    assert full_strength_days(whole) == set(counts["day"].dt.date)
    # nothing to mark when the window is everything
    assert whole["datasets"]["shade"].empty and whole["datasets"]["edges"].empty


def test_long_spans_get_a_bar_per_few_days():
    data = small_data()
    colours = type_colours(data.event_types)
    bounds = Window(dt.date(2021, 9, 26), dt.date(2023, 9, 24))  # 729 days
    assert timeline.bin_days(bounds, plot_width=1000) == 3  # a day would get under 3 px
    assert timeline.bin_days(Window(bounds.start, bounds.start + dt.timedelta(days=300))) == 1
    counts = timeline.daily_counts(data.frame)
    spec = timeline.timeline_spec(counts, colours, bounds, bounds, plot_width=1000)
    binned = spec["datasets"]["counts"]
    assert bars_of(spec)["encoding"]["y"]["title"] == "per 3 days"
    assert binned["incidents"].sum() == counts["incidents"].sum() == 11
    start = pd.Timestamp(bounds.start, tz="UTC")
    assert ((binned["day"] - start).dt.days % 3 == 0).all()
    assert ((binned[timeline.BAR_MIDDLE] - binned["day"]) == pd.Timedelta(hours=36)).all()  # mid-bin
    # the three Jarinje/Kopaonik days of 2021-09-26..28 are one bar per type
    first = binned[binned["day"] == start]
    assert first["incidents"].sum() == len(
        counts[counts["day"] < pd.Timestamp(bounds.start) + pd.Timedelta(days=3)]
    )


def test_the_axis_labels_days_on_short_spans_and_months_on_long_ones():
    """A fixed month-year format wrote "Dec 2022" under every tick of a short span."""
    data = small_data()
    colours = type_colours(data.event_types)
    counts = timeline.daily_counts(data.frame)

    def x_axis(bounds: Window) -> dict:
        return bars_of(timeline.timeline_spec(counts, colours, bounds, bounds))["encoding"]["x"]["axis"]

    short = x_axis(Window(dt.date(2022, 12, 8), dt.date(2022, 12, 17)))  # ten days: a tick a day
    assert short["tickCount"] == {"interval": "day", "step": 1} and short["format"] == "%-d %b"
    weeks = x_axis(Window(dt.date(2022, 11, 1), dt.date(2023, 1, 31)))
    assert weeks["tickCount"]["interval"] == "week" and "%-d" in weeks["format"]
    long = x_axis(Window(dt.date(2021, 9, 26), dt.date(2022, 12, 9)))
    assert long["tickCount"]["interval"] == "month" and long["format"] == "%b %Y"
    # every span: few enough ticks for their labels, and labels that tell the ticks apart
    days = {"day": 1, "week": 7, "month": 30.4, "year": 365}
    unit = {"day": "%-d", "week": "%-d", "month": "%b", "year": "%Y"}
    for span in (*range(1, 400), *range(400, 20_000, 97)):
        ticks = timeline.axis_ticks(span, plot_width=1000)
        interval, step = ticks["tickCount"]["interval"], ticks["tickCount"]["step"]
        assert span / (days[interval] * step) <= 1000 // timeline.LABEL_PX + 1, span
        assert unit[interval] in ticks["format"], span
    assert timeline.axis_ticks(20_000)["tickCount"]["interval"] == "year"


def test_moving_the_window_changes_only_the_small_datasets():
    """Streamlit's frontend swaps changed datasets in a live chart when the spec is the
    same; a new spec would embed the chart again on every slider step."""
    data = small_data()
    colours = type_colours(data.event_types)
    bounds = Window(dt.date(2021, 9, 26), dt.date(2023, 9, 24))
    counts = timeline.daily_counts(data.frame)
    specs = [
        timeline.timeline_spec(counts, colours, bounds, w)
        for w in (bounds, Window(dt.date(2022, 12, 10), dt.date(2022, 12, 12)))
    ]
    first, second = ({k: v for k, v in s.items() if k != "datasets"} for s in specs)
    assert first == second
    assert specs[0]["datasets"]["counts"].equals(specs[1]["datasets"]["counts"])
    assert not specs[0]["datasets"]["veil"].equals(specs[1]["datasets"]["veil"])


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


def test_bars_of_incidents_dated_only_to_the_month_are_paler_and_say_so():
    """A "December 2022" incident is counted on its best day: its bar is paler, and its
    tooltip says how well the date is known."""
    data = small_data()
    frame = data.frame
    counts = timeline.daily_counts(frame)
    dated = frame[frame["event_date"].notna()]
    assert sorted(counts["precision"].unique()) == sorted(dated["time_precision"].unique())
    for precision, n in dated["time_precision"].value_counts().items():
        assert counts.loc[counts["precision"] == precision, "incidents"].sum() == n
    bounds = Window(dt.date(2021, 9, 26), dt.date(2023, 9, 24))
    spec = timeline.timeline_spec(counts, type_colours(data.event_types), bounds, bounds)
    opacity = bars_of(spec)["encoding"]["opacity"]
    assert opacity["field"] == "precision"
    assert dict(zip(opacity["scale"]["domain"], opacity["scale"]["range"])) == {
        1: 1.0, 2: 0.75, 3: 0.4, timeline.LASTED: 1.0, timeline.GOING_ON: 1.0}
    assert {"field": "known", "type": "nominal", "title": "Date known"} in hits_of(spec)["encoding"]["tooltip"]
    shown = spec["datasets"]["counts"]
    assert set(zip(shown["precision"], shown["known"])) <= {
        (1, "to the day"), (2, "within a few days"), (3, "only to the month or coarser")}
    assert shown["incidents"].sum() == len(dated)


def test_a_click_on_a_bar_picks_its_days():
    number = lambda day: (dt.date.fromisoformat(day) - dt.date(1970, 1, 1)).days
    short = Window(dt.date(2022, 11, 20), dt.date(2023, 1, 10))  # a bar a day
    pick = lambda day: {"selection": {timeline.PICK: [{timeline.BAR_DAY: number(day)}]}}
    assert timeline.picked_window(pick("2022-12-12"), short) == Window(dt.date(2022, 12, 12), dt.date(2022, 12, 12))
    long = Window(dt.date(2021, 9, 26), dt.date(2023, 9, 24))  # 729 days: a bar per 3 days
    assert timeline.bin_days(long) == 3
    assert timeline.picked_window(pick("2023-09-23"), long) == Window(dt.date(2023, 9, 23), dt.date(2023, 9, 24))
    assert timeline.picked_window(pick("2022-12-10"), long) == Window(dt.date(2022, 12, 10), dt.date(2022, 12, 12))
    assert timeline.picked_window(pick("2020-01-01"), long) is None  # outside the span
    for nothing in (None, {}, {"selection": {timeline.PICK: []}}, {"selection": {timeline.PICK: [{timeline.BAR_DAY: "x"}]}}):
        assert timeline.picked_window(nothing, long) is None  # a click beside the bars


def test_a_drag_across_the_chart_picks_the_days_it_spans_and_the_bars_it_touches():
    def at(day: str, hours: float = 0) -> float:  # milliseconds since 1970, UTC, as Vega gives them
        return (dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)
                + dt.timedelta(hours=hours)).timestamp() * 1000

    drag = lambda low, high: {"selection": {timeline.BRUSH: {timeline.BAR_MIDDLE: [low, high]}}}
    day = lambda text: dt.date.fromisoformat(text)
    short = Window(day("2022-11-20"), day("2023-01-10"))  # a bar a day at noon, 14 px: ±0.38 day
    bars = ["2022-12-10", "2022-12-11", "2022-12-12", "2022-12-20"]
    counts = pd.DataFrame({"day": pd.to_datetime(bars), "event_type": "Protests", "precision": 1, "incidents": 1})
    brushed = lambda low, high, bounds=short, counts=counts: timeline.brushed_window(drag(low, high), counts, bounds)
    # from the 10th, before its bar, to the middle of the 12th's: three days
    assert brushed(at("2022-12-10", 2), at("2022-12-12", 12)) == Window(day("2022-12-10"), day("2022-12-12"))
    assert brushed(at("2022-12-12", 12), at("2022-12-10", 2)) == Window(day("2022-12-10"), day("2022-12-12"))  # leftwards
    # an end on a bar's edge, short of its middle, takes its day in
    assert brushed(at("2022-12-12", 20), at("2022-12-20", 4)) == Window(day("2022-12-12"), day("2022-12-20"))
    # a drag that touches no bar: the days it spans; one that ends at a midnight stops the day before
    assert brushed(at("2022-12-14", 3), at("2022-12-17", 20)) == Window(day("2022-12-14"), day("2022-12-17"))
    assert brushed(at("2022-12-14"), at("2022-12-16")) == Window(day("2022-12-14"), day("2022-12-15"))
    # from a bar on to empty days: those days too, not the bar alone
    assert brushed(at("2022-12-20", 2), at("2023-01-03", 5)) == Window(day("2022-12-20"), day("2023-01-03"))
    # past the span's ends: cut to them; wholly outside: nothing
    assert brushed(at("2022-11-01"), at("2022-11-22", 3)) == Window(day("2022-11-20"), day("2022-11-22"))
    assert brushed(at("2023-01-10", 2), at("2023-02-01")) == Window(day("2023-01-10"), day("2023-01-10"))
    assert brushed(at("2023-01-12"), at("2023-02-01")) is None

    long = Window(day("2021-09-26"), day("2023-09-24"))  # 729 days: a bar per 3 days, 6 px: ±2.3 days
    data = timeline.daily_counts(small_data().frame)
    starts = set(timeline.binned_counts(data, long, 3)["day"].dt.strftime("%Y-%m-%d"))
    assert {"2022-12-08", "2022-12-11", "2023-05-28", "2023-09-22"} <= starts
    assert not starts & {"2022-12-05", "2022-12-14", "2023-05-25", "2023-05-31", "2023-09-19"}
    # the bars of 2022-12-08 and 2022-12-11 (three days each): not the empty bin of 12-14
    assert brushed(at("2022-12-09"), at("2022-12-12"), long, data) == Window(day("2022-12-08"), day("2022-12-13"))
    # a bar is wider than its three days: a drag ending within reach of its edge (the bar
    # of 05-28 stands at 05-29 noon) takes it in; one ending short of it does not
    assert brushed(at("2023-05-25"), at("2023-05-27", 12), long, data) == Window(day("2023-05-25"), day("2023-05-30"))
    assert brushed(at("2023-05-25"), at("2023-05-26"), long, data) == Window(day("2023-05-25"), day("2023-05-27"))
    # the last bar (2023-09-22) has only three days of the span left: to its end
    assert brushed(at("2023-09-22", 6), at("2023-10-30"), long, data) == Window(day("2023-09-22"), day("2023-09-24"))
    for nothing in (None, {}, {"selection": {}}, {"selection": {timeline.BRUSH: {}}},
                    drag("x", 1), drag(float("nan"), 1), {"selection": {timeline.BRUSH: {"day": [1]}}}):
        assert timeline.brushed_window(nothing, data, long) is None  # no drag, or a cleared one


def lasting_data():
    return incidents_from_geojson(lasting_collection(), Path("incidents.geojson"))


def test_an_incident_that_lasted_is_counted_on_every_day_it_stood():
    """The barricade of 10 to 29 December is on the map every day of it: its first day's bar
    has it with its type, at full strength, and each later day a grey bar at the foot of the
    stack, "going on"."""
    data = lasting_data()
    counts = timeline.daily_counts(data.frame)
    on = counts.set_index(["day", "event_type"])
    first = on.loc[(pd.Timestamp("2022-12-10"), "Protests")]
    assert (first["precision"], first["incidents"]) == (timeline.LASTED, 1)
    going = counts[counts["precision"] == timeline.GOING_ON]
    assert set(going["event_type"]) == {timeline.GOING_ON_TYPE}
    assert list(going["day"].dt.date) == [dt.date(2022, 12, d) for d in range(11, 30)]
    assert (going["incidents"] == 1).all()
    bounds = Window(dt.date(2022, 11, 20), dt.date(2023, 1, 10))
    spec = timeline.timeline_spec(counts, type_colours(data.event_types), bounds, bounds)
    shown = spec["datasets"]["counts"]
    assert set(shown.loc[shown["precision"] == timeline.GOING_ON, "known"]) == {"began earlier, still going on"}
    assert set(shown.loc[shown["precision"] == timeline.LASTED, "known"]) == {"began that day and lasted"}
    assert (shown.loc[shown["precision"] == timeline.GOING_ON, timeline.STACK] == 0).all()  # at the foot
    assert (shown.loc[shown["precision"] != timeline.GOING_ON, timeline.STACK] == 1).all()
    assert bars_of(spec)["encoding"]["order"] == {"field": timeline.STACK, "type": "quantitative"}


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(0, 45), min_size=11, max_size=11),
    width=st.sampled_from([300, 1000, 4000]),
    padding=st.integers(0, 400),
)
def test_a_bar_is_as_tall_as_the_maps_count_of_its_days(lengths, width, padding):
    """Whatever lasted, and however many days a bar is: a bar's incidents are those the map
    shows when the window is the bar's days (filters.in_window)."""
    frame = lasting_data().frame.copy()
    dated = frame.index[frame["event_date"].notna()]
    for row, length in zip(dated, lengths):  # the 11 small ones; the barricade as it is
        if length:
            frame.loc[row, "lasting"] = True
            frame.loc[row, "date_end"] = (frame.loc[row, "event_date"] + pd.Timedelta(days=length)).strftime("%Y-%m-%d")
    span = flt.span(frame)
    bounds = Window(span.start, span.end + dt.timedelta(days=padding))
    days = timeline.bin_days(bounds, width)
    spec = timeline.timeline_spec(timeline.daily_counts(frame), type_colours(frame["event_type"].unique()),
                                  bounds, bounds, plot_width=width)
    shown = spec["datasets"]["counts"]
    per_bar = shown.groupby(shown["day"].dt.date)["incidents"].sum()
    firsts = [bounds.start + k * days * flt.ONE_DAY for k in range(-(-bounds.days // days))]
    assert set(per_bar.index) <= set(firsts)
    # in_window's test, for every bar at once: begun by the bar's last day, on until its first
    begun = frame["event_date"].to_numpy("datetime64[D]")[None, :]
    until = flt.last_dates(frame).to_numpy("datetime64[D]")[None, :]
    starts = np.array(firsts, dtype="datetime64[D]")[:, None]
    ends = np.minimum(starts + (days - 1), np.datetime64(bounds.end))
    expected = ((begun <= ends) & (until >= starts)).sum(axis=1)
    assert [int(per_bar.get(first, 0)) for first in firsts] == expected.tolist(), days
    some = firsts[len(firsts) // 2]  # and one bar through in_window itself
    assert per_bar.get(some, 0) == len(flt.in_window(frame, Window(some, min(bounds.end, some + (days - 1) * flt.ONE_DAY))))
