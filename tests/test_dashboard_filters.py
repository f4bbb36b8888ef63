"""dashboard.filters: filtering, the date window, and the URL round trip."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from browser.datasets import LASTING_ID, lasting_collection, small_collection
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import filters as flt
from dashboard.data import incidents_from_geojson
from dashboard.filters import Filters, Window

D = dt.date


@pytest.fixture(scope="module")
def small_frame():
    return incidents_from_geojson(small_collection(), Path("incidents.geojson")).frame


@pytest.fixture(scope="module")
def lasting_frame():
    """The small frame and a barricade that stood from 10 until 29 December 2022."""
    return incidents_from_geojson(lasting_collection(), Path("incidents.geojson")).frame


def ids(frame) -> set[str]:
    return set(frame["incident_id"])


def test_no_filters_keep_everything_including_undated(small_frame):
    assert len(flt.apply_filters(small_frame, Filters())) == 13


def test_filter_by_event_type(small_frame):
    kept = flt.apply_filters(small_frame, Filters(event_types=("Riots", "Battles")))
    assert set(kept["event_type"]) == {"Riots", "Battles"}
    assert len(kept) == 5


def test_filter_by_place_and_article(small_frame):
    assert len(flt.apply_filters(small_frame, Filters(places=("zvecan",)))) == 3
    by_article = flt.apply_filters(small_frame, Filters(articles=("a-2021-09-27",)))
    assert ids(by_article) == {
        "inc-jarinje-2021-09-26",
        "inc-jarinje-2021-09-27",
        "inc-kopaonik-2021-09-28",
    }


def test_article_options_count_the_incidents_that_cite_each_article(small_frame):
    dataset = incidents_from_geojson(small_collection(), Path("incidents.geojson"))
    options = flt.article_options(dataset.articles)
    assert set(options) == set(dataset.articles["article_id"])
    cited = len(flt.apply_filters(small_frame, Filters(articles=("a-2021-09-27",))))
    assert options["a-2021-09-27"].endswith(f" · {cited}")
    published = [dataset.articles.set_index("article_id").at[k, "published"] for k in options]
    assert published == sorted(published, reverse=True)  # the newest first


def _articles(*rows: tuple[str, str, str, str, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "title", "outlet", "published", "incidents"])


def test_article_options_cut_a_long_title_not_the_outlet_date_or_count():
    title = "Serbian police and KFOR at the barricades near the Jarinje crossing " * 3
    options = flt.article_options(
        _articles(("a1", title, "Radio Free Europe", "2022-12-11", 1234), ("a2", "", "", "", 2))
    )
    label = options["a1"]
    assert 66 <= len(label) <= 72
    assert label.endswith("… — Radio Free Europe, 2022-12-11 · 1,234")
    assert label.startswith(title[:30])
    assert options["a2"] == "a2 — unknown outlet · 2"  # no title, outlet or date
    cut_at_a_comma = "Serbia's president, Aleksandar Vucic, on Sunday, accused Kosovo of provoking"
    label = flt.article_options(_articles(("a4", cut_at_a_comma, "", "2021-09-27", 1)))["a4"]
    assert label == "Serbia's president, Aleksandar Vucic… — unknown outlet, 2021-09-27 · 1"
    hostile = flt.article_options(_articles(("a3", "t", "x" * 5000, "y" * 5000, 1)))["a3"]
    assert len(hostile) <= 72


def test_article_options_tell_articles_that_read_the_same_apart():
    same = ("Clashes in Zvečan", "KoSSev", "2022-12-10", 1)
    options = flt.article_options(_articles(("a1", *same), ("a2", *same), ("a3", "Other", *same[1:])))
    assert len(set(options.values())) == 3
    assert options["a1"] == "Clashes in Zvečan — KoSSev, 2022-12-10 · 1 [a1]"
    assert options["a3"] == "Other — KoSSev, 2022-12-10 · 1"


def test_filter_by_precision(small_frame):
    day_precise = flt.apply_filters(small_frame, Filters(max_time_precision=1))
    assert "inc-zvecan-2022-12-10" not in ids(day_precise)
    assert not day_precise["event_date"].isna().any()  # undated ones are precision 3
    at_place = flt.apply_filters(small_frame, Filters(max_geo_precision=1))
    assert "inc-raska-2022-12-26" not in ids(at_place)
    assert len(at_place) == 12


def test_filters_combine(small_frame):
    kept = flt.apply_filters(
        small_frame, Filters(event_types=("Riots",), places=("zvecan", "zubin_potok"))
    )
    assert ids(kept) == {"inc-zubin-potok-2023", "inc-zvecan-2023-05-29"}


def test_window_is_inclusive_and_drops_undated(small_frame):
    window = Window(D(2022, 12, 10), D(2022, 12, 12))
    inside = flt.in_window(small_frame, window)
    assert len(inside) == 4
    assert not inside["event_date"].isna().any()
    assert len(flt.undated(small_frame)) == 2


def test_span(small_frame):
    assert flt.span(small_frame) == Window(D(2021, 9, 26), D(2023, 9, 24))
    assert flt.span(flt.undated(small_frame)) is None


def test_window_validates():
    with pytest.raises(ValueError):
        Window(D(2022, 1, 2), D(2022, 1, 1))
    assert Window(D(2022, 1, 1), D(2022, 1, 3)).days == 3
    assert Window(D(2022, 1, 1), D(2022, 1, 3)).label() == "2022-01-01_2022-01-03"


def test_play_moves_a_window_of_fixed_length_to_the_end():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 10))
    window = flt.first_window(bounds, 3)
    assert window == Window(D(2022, 1, 1), D(2022, 1, 3))
    seen = [window]
    while (window := flt.advance(window, bounds)) is not None:
        seen.append(window)
    assert len(seen) == 8
    assert all(w.days == 3 for w in seen)
    assert seen[-1].end == bounds.end
    assert flt.first_window(Window(D(2022, 1, 1), D(2022, 1, 2)), 3).days == 2


def test_shift_moves_by_the_window_length_and_stops_at_the_ends():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 10))
    window = Window(D(2022, 1, 3), D(2022, 1, 4))
    assert flt.shift(window, bounds, 1) == Window(D(2022, 1, 5), D(2022, 1, 6))
    assert flt.shift(window, bounds, -1) == Window(D(2022, 1, 1), D(2022, 1, 2))
    assert flt.shift(Window(D(2022, 1, 2), D(2022, 1, 4)), bounds, -1) == Window(
        D(2022, 1, 1), D(2022, 1, 3)
    )
    assert flt.shift(Window(D(2022, 1, 8), D(2022, 1, 9)), bounds, 1) == Window(
        D(2022, 1, 9), D(2022, 1, 10)
    )


def test_play_starts_at_the_window_or_at_the_beginning():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 10))
    assert flt.play_start(bounds, bounds, 3) == Window(D(2022, 1, 1), D(2022, 1, 3))
    middle = Window(D(2022, 1, 4), D(2022, 1, 8))
    assert flt.play_start(middle, bounds, 3) == Window(D(2022, 1, 4), D(2022, 1, 6))
    at_end = Window(D(2022, 1, 9), D(2022, 1, 10))
    assert flt.play_start(at_end, bounds, 3) == Window(D(2022, 1, 1), D(2022, 1, 3))


def test_clamp():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 10))
    assert flt.clamp(Window(D(2021, 12, 1), D(2022, 1, 5)), bounds).start == bounds.start
    assert flt.clamp(Window(D(2023, 1, 1), D(2023, 1, 5)), bounds) == bounds


def test_defaults_leave_the_url_empty():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 10))
    assert flt.to_query_params(Filters(), bounds, bounds) == {}


def test_url_of_a_view():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 10))
    params = flt.to_query_params(
        Filters(event_types=("Riots", "Protests"), max_geo_precision=2),
        Window(D(2022, 1, 2), D(2022, 1, 4)),
        bounds,
    )
    assert params == {
        "from": ["2022-01-02"],
        "to": ["2022-01-04"],
        "type": ["Riots", "Protests"],
        "geo": ["2"],
    }


def test_garbage_in_the_url_is_dropped():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 10))
    filters, window = flt.from_query_params(
        {
            "from": ["yesterday"],
            "to": ["2022-01-05"],
            "type": ["Riots", "<script>"],
            "geo": ["9"],
            "time": ["1"],
            "place": ["nowhere"],
        },
        bounds=bounds,
        event_types={"Riots"},
        places={"zvecan"},
        articles=set(),
    )
    assert filters == Filters(event_types=("Riots",), max_time_precision=1)
    assert window == Window(D(2022, 1, 1), D(2022, 1, 5))
    _, backwards = flt.from_query_params(
        {"from": ["2022-01-05"], "to": ["2022-01-02"]},
        bounds=bounds,
        event_types=(),
        places=(),
        articles=(),
    )
    assert backwards == bounds


TYPES = ("Protests", "Riots", "Battles")
PLACES = ("zvecan", "leposavic", "jarinje_crossing")
ARTICLES = ("a1", "a-2", "a 3")
BOUNDS = Window(D(2021, 1, 1), D(2023, 12, 31))


@st.composite
def views(draw):
    def subset(values):
        return tuple(draw(st.lists(st.sampled_from(values), unique=True, max_size=3)))

    start = draw(st.dates(BOUNDS.start, BOUNDS.end))
    end = draw(st.dates(start, BOUNDS.end))
    filters = Filters(
        event_types=subset(TYPES),
        places=subset(PLACES),
        articles=subset(ARTICLES),
        max_geo_precision=draw(st.sampled_from((1, 2, 3))),
        max_time_precision=draw(st.sampled_from((1, 2, 3))),
    )
    return filters, Window(start, end)


@settings(max_examples=200, deadline=None)
@given(views())
def test_query_params_round_trip(view):
    filters, window = view
    params = flt.to_query_params(filters, window, BOUNDS)
    assert flt.from_query_params(
        params, bounds=BOUNDS, event_types=TYPES, places=PLACES, articles=ARTICLES
    ) == (filters, window)


def test_a_play_skips_quiet_days_to_the_next_incident():
    bounds = Window(D(2022, 1, 1), D(2022, 3, 31))
    step = Window(D(2022, 1, 5), D(2022, 1, 7))  # the quiet window a play would show next
    # the next incident comes in at the window's end, as it would have after the quiet days
    assert flt.skip_quiet(step, bounds, D(2022, 2, 20)) == Window(D(2022, 2, 18), D(2022, 2, 20))
    # never past the span, never shorter than the span allows
    assert flt.skip_quiet(step, bounds, D(2022, 5, 1)) == Window(D(2022, 3, 29), D(2022, 3, 31))
    short = Window(D(2022, 1, 1), D(2022, 1, 2))
    assert flt.skip_quiet(Window(D(2022, 1, 1), D(2022, 1, 3)), short, D(2022, 1, 2)) == short


def test_play_starts_again_from_the_beginning_when_nothing_is_ahead():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 10))
    middle = Window(D(2022, 1, 4), D(2022, 1, 8))
    assert flt.play_start(middle, bounds, 3, more_ahead=False) == Window(D(2022, 1, 1), D(2022, 1, 3))


def play(frame, filters: Filters, days: int = 3) -> tuple[list[Window], object, np.ndarray]:
    """Every window of a play from the span's start, as the app takes its steps."""
    from dashboard import selection

    index = selection.build_index(frame)
    bounds = flt.span(frame)
    rows = flt.filter_mask(frame, filters)
    window = flt.play_start(bounds, bounds, days)
    shown = [window]
    while (window := selection.play_step(index, rows, window, bounds)) is not None:
        shown.append(window)
    return shown, index, rows


@pytest.mark.parametrize("frame_name", ["small_frame", "lasting_frame"])
@pytest.mark.parametrize(
    "filters", [Filters(), Filters(event_types=("Protests",)), Filters(places=("nowhere",))]
)
def test_a_whole_play_shows_every_incident_and_no_quiet_window(request, frame_name, filters):
    """The play's steps as the app takes them (selection.play_step), with and without a
    filter: one day at a time while something shows, straight over the quiet stretches (the
    next incident coming in on the window's last day), every dated incident that passes seen
    in some window, and a stop on the last of them."""
    from dashboard import selection

    shown, index, rows = play(request.getfixturevalue(frame_name), filters)
    assert all(w.days == 3 for w in shown)
    seen = rows & selection.window_mask(index, shown[0])
    for before, after in itertools.pairwise(shown):
        visible = rows & selection.window_mask(index, after)
        assert visible.any(), f"a quiet window shown: {after}"
        seen |= visible
        if after.start != before.start + flt.ONE_DAY:  # a skip
            assert after.start > before.start + flt.ONE_DAY
            last_day = selection.day_number(after.end)
            assert (rows & index.dated & (index.days == last_day)).any()
    assert (seen == (rows & index.dated)).all()
    if rows.any():
        last = index.until[rows & index.dated].max()  # the last day one is on the map
        assert selection.day_number(shown[-1].start) <= last <= selection.day_number(shown[-1].end)
        assert len(shown) < 30  # two years, not day by day
    else:
        assert len(shown) == 1  # nothing to play: it stops where it starts


def test_first_day_after(small_frame):
    from dashboard import selection

    index = selection.build_index(small_frame)
    every = np.ones(len(small_frame), dtype=bool)
    assert selection.first_day_after(index, every, D(2022, 12, 12)) == D(2022, 12, 26)
    assert selection.first_day_after(index, every, D(2022, 12, 11)) == D(2022, 12, 12)
    assert selection.first_day_after(index, every, D(2023, 9, 24)) is None
    assert selection.first_day_after(index, ~every, D(2020, 1, 1)) is None


def test_an_incident_that_lasted_is_in_every_window_of_its_days(lasting_frame):
    """The barricade of 10 to 29 December is on the map on each of those days, in the
    pandas filter and in the index's masks alike, and nowhere else."""
    from dashboard import selection

    index = selection.build_index(lasting_frame)
    every = np.ones(len(lasting_frame), dtype=bool)
    for day, shown in [(D(2022, 12, 9), False), (D(2022, 12, 10), True), (D(2022, 12, 20), True),
                       (D(2022, 12, 29), True), (D(2022, 12, 30), False)]:
        window = Window(day, day)
        assert (LASTING_ID in ids(flt.in_window(lasting_frame, window))) is shown, day
        mask = selection.window_mask(index, window)
        assert (LASTING_ID in set(lasting_frame["incident_id"][mask])) is shown, day
    assert LASTING_ID in ids(flt.in_window(lasting_frame, Window(D(2022, 12, 28), D(2023, 1, 5))))
    # the days after its first on which something is on the map, and the last before
    assert selection.first_day_after(index, every, D(2022, 12, 12)) == D(2022, 12, 13)
    assert selection.first_day_after(index, every, D(2022, 12, 29)) == D(2023, 5, 29)
    assert selection.last_day_before(index, every, D(2023, 5, 29)) == D(2022, 12, 29)
    assert selection.last_day_before(index, every, D(2022, 12, 20)) == D(2022, 12, 19)
    # a window that is a duration, not days left open, is one only when it says so
    uncertain = lasting_frame.assign(lasting=False)
    assert LASTING_ID not in ids(flt.in_window(uncertain, Window(D(2022, 12, 20), D(2022, 12, 20))))


def test_the_span_reaches_the_last_day_an_incident_lasted():
    collection = lasting_collection()
    collection["features"] = [f for f in collection["features"]
                              if f["properties"]["event_date"] and f["properties"]["event_date"] < "2022-12-15"]
    frame = incidents_from_geojson(collection, Path("incidents.geojson")).frame
    assert frame["event_date"].max() == pd.Timestamp("2022-12-12")
    assert flt.span(frame) == Window(D(2021, 9, 26), D(2022, 12, 29))


@settings(max_examples=200, deadline=None)
@given(start=st.dates(D(2021, 9, 1), D(2023, 10, 1)), length=st.integers(0, 60))
def test_the_index_masks_agree_with_the_pandas_filter(lasting_frame, start, length):
    from dashboard import selection

    index = selection.build_index(lasting_frame)
    window = Window(start, start + dt.timedelta(days=length))
    mask = selection.window_mask(index, window)
    assert set(lasting_frame["incident_id"][mask]) == ids(flt.in_window(lasting_frame, window))


def test_period_text_says_how_long_an_incident_lasted():
    assert flt.period_text(3, "2022-12-10", "2022-12-10", "2022-12-29", True) == \
        "from 2022-12-10 until 2022-12-29 (20 days)"
    assert flt.period_text(3, "2022-12-10", "2022-12-10", "2022-12-29", False) == \
        "between 2022-12-10 and 2022-12-29"
    assert flt.period_text(1, "2022-12-10", "2022-12-10", "2022-12-10", True) == "exact day"


def test_period_text_says_what_the_text_allows_or_the_precision():
    assert flt.period_text(3, "2022-12-09", "2022-12-01", "2022-12-31") == "December 2022"
    assert flt.period_text(3, "2022-12-09", "2022-01-01", "2022-12-31") == "2022"
    assert flt.period_text(3, "2022-12-09", "2022-11-20", "2022-12-31") == "between 2022-11-20 and 2022-12-31"
    assert flt.period_text(3, "2024-02-10", "2024-02-01", "2024-02-29") == "February 2024"  # leap
    assert flt.period_text(3, "2023-02-10", "2023-02-01", "2023-02-28") == "February 2023"
    assert flt.period_text(1, "2022-12-09", "2022-12-09", "2022-12-09") == "exact day"
    assert flt.period_text(2, "2022-12-09", "2022-12-08", "2022-12-08") == "2022-12-08"
    assert flt.period_text(2, None, None, None) == "within a few days"
    # the calendar's last day, and dates that are not dates, do not break it
    assert flt.period_text(3, "9999-12-01", "9999-12-01", "9999-12-31") == "December 9999"
    assert flt.period_text(3, "x", "2022-13-01", "2022-13-31") == "between 2022-13-01 and 2022-13-31"


def test_placed_keeps_the_length_inside_the_span():
    bounds = Window(D(2022, 1, 1), D(2022, 1, 31))
    week = Window(D(2022, 1, 10), D(2022, 1, 16))
    assert flt.placed(week, bounds, start=D(2022, 1, 20)) == Window(D(2022, 1, 20), D(2022, 1, 26))
    assert flt.placed(week, bounds, end=D(2022, 1, 20)) == Window(D(2022, 1, 14), D(2022, 1, 20))
    assert flt.placed(week, bounds, start=D(2022, 1, 29)) == Window(D(2022, 1, 25), D(2022, 1, 31))
    assert flt.placed(week, bounds, end=D(2022, 1, 2)) == Window(D(2022, 1, 1), D(2022, 1, 7))
    short = Window(D(2022, 1, 1), D(2022, 1, 3))
    assert flt.placed(Window(D(2021, 1, 1), D(2021, 1, 31)), short, start=D(2022, 1, 2)) == short


@pytest.mark.parametrize("frame_name", ["small_frame", "lasting_frame"])
@pytest.mark.parametrize("direction", [1, -1])
@pytest.mark.parametrize("filters", [Filters(), Filters(event_types=("Riots",)), Filters(event_types=("Protests",))])
def test_back_and_next_never_stop_on_a_quiet_window_while_incidents_lie_that_way(request, frame_name, filters, direction):
    """Pressed again and again from either end of the span, ◀ / ▶ visit every window that
    holds incidents in turn, each shown one, and never a quiet one."""
    from dashboard import selection

    small_frame = request.getfixturevalue(frame_name)
    index = selection.build_index(small_frame)
    bounds = flt.span(small_frame)
    rows = flt.filter_mask(small_frame, filters)
    window = flt.first_window(bounds, 3) if direction > 0 else flt.placed(Window(bounds.start, bounds.start + dt.timedelta(days=2)), bounds, end=bounds.end)
    seen = rows & selection.window_mask(index, window)
    for _ in range(400):
        moved = selection.shift_step(index, rows, window, bounds, direction)
        if moved == window:
            break
        visible = rows & selection.window_mask(index, moved)
        more = (selection.first_day_after if direction > 0 else selection.last_day_before)(
            index, rows, window.end if direction > 0 else window.start
        )
        assert visible.any() or more is None, f"a quiet window while incidents lie that way: {moved}"
        seen |= visible
        window = moved
    assert (seen == (rows & index.dated)).all()


def test_the_play_settings_in_the_url():
    lengths, speeds = (1, 3, 7), (0.5, 1.0, 2.0)
    assert flt.play_query_params(3, 1.0, default_length=3) == {}
    params = flt.play_query_params(7, 0.5, default_length=3)
    assert params == {"len": ["7"], "speed": ["0.5"]}
    assert flt.play_from_query_params(params, lengths=lengths, speeds=speeds) == (7, 0.5)
    assert flt.play_from_query_params({}, lengths=lengths, speeds=speeds) == (None, None)
    for bad in ({"len": ["2"], "speed": ["3"]}, {"len": ["x"], "speed": ["nan"]},
                {"len": [""], "speed": ["inf"]}):
        assert flt.play_from_query_params(bad, lengths=lengths, speeds=speeds) == (None, None)


FACET_FILTERS = [
    Filters(),
    Filters(event_types=("Riots", "Battles")),
    Filters(places=("zvecan", "leposavic")),
    Filters(event_types=("Protests",), places=("zvecan",), max_time_precision=1),
    Filters(articles=("a-2021-09-27", "a-2023-05-30"), max_geo_precision=1),
    Filters(event_types=("No such type",)),
]


@pytest.mark.parametrize("filters", FACET_FILTERS)
@pytest.mark.parametrize(("facet", "column"), [("event_types", "event_type"), ("places", "place_key")])
def test_facet_counts_are_what_each_choice_would_show(small_frame, filters, facet, column):
    """A value's count is the number of incidents that choosing it alone, with the other
    filters as they are, keeps: whatever of that filter is already chosen."""
    counts = flt.facet_counts(small_frame, filters, facet)
    for value in sorted(set(small_frame[column])):
        alone = Filters(**{**filters.__dict__, facet: (value,)})
        assert counts.get(value, 0) == len(flt.apply_filters(small_frame, alone)), value
    assert set(counts) <= set(small_frame[column]) and all(n > 0 for n in counts.values())


def test_place_options_show_the_counts_given_most_first(small_frame):
    places = incidents_from_geojson(small_collection(), Path("incidents.geojson")).places
    totals = flt.place_options(places)
    assert next(iter(totals.values())).endswith(f"· {places['incidents'].max()}")
    riots = flt.facet_counts(small_frame, Filters(event_types=("Riots",)), "places")
    labels = flt.place_options(places, riots)
    assert set(labels) == set(totals)  # every place, those with no riot too
    shown = [int(label.rsplit("· ", 1)[1]) for label in labels.values()]
    assert shown == sorted(shown, reverse=True)
    assert dict(zip(labels, shown, strict=True)) == {k: riots.get(k, 0) for k in labels}
    assert labels["zvecan"] == f"Zvečan (Zveçan) · {riots['zvecan']}"
    # two places that would read the same are told apart (a widget's options are its labels)
    twins = places.copy()
    twins.loc[len(twins)] = {**twins.iloc[0].to_dict(), "place_key": "twin_place"}
    both = flt.place_options(twins, {})
    assert len(set(both.values())) == len(both)
    assert both["twin_place"] == both[twins.iloc[0]["place_key"]].replace(
        twins.iloc[0]["place_key"], "twin_place")
    same = places[places["location"] == places["admin2"]]  # a municipality's own town
    assert len(same) and all(labels[k] == f"{name} · {riots.get(k, 0)}"
                             for k, name in zip(same["place_key"], same["location"], strict=True))


def test_what_a_link_asks_that_cannot_be_shown_is_named():
    bounds = Window(dt.date(2022, 1, 1), dt.date(2022, 12, 31))
    params = {
        "type": ["Protests", "Sieges"], "place": ["zvecan", "zvecn"], "article": ["gone"],
        "geo": ["7"], "time": ["2"], "from": ["yesterday"], "to": ["2022-06-30"],
        "len": ["5"], "speed": ["2"], "zoom": ["9"],
    }
    known = {"event_types": {"Protests"}, "places": {"zvecan"}, "articles": {"a1"}}

    def unused(params, bounds=bounds):
        filters, _ = flt.from_query_params(params, bounds=bounds, **known)
        return flt.unused_query_params(params, filters, bounds, lengths=(1, 3, 7), speeds=(1.0, 2.0))

    assert unused(params) == [
        "event type 'Sieges' (not in these data)", "place 'zvecn' (not in these data)",
        "article 'gone' (not in these data)", "location precision '7' (1, 2 or 3)",
        "date 'yesterday' (not a date: YYYY-MM-DD)", "play window '5' (not a choice)",
        "parameter 'zoom' (unknown)",
    ]
    assert unused({"from": ["2022-06-30"], "to": ["2022-06-01"]}) == [
        "window 2022-06-30 to 2022-06-01 (it ends before it starts)",
    ]
    assert unused({"from": ["2019-01-01"], "to": ["2019-02-01"]}) == [  # a link from older data
        "window 2019-01-01 to 2019-02-01 (outside these data, 2022-01-01 to 2022-12-31: the whole span is shown)",
    ]
    assert unused({"from": ["2023-03-01"]}) == [
        "window 2023-03-01 to 2022-12-31 (outside these data, 2022-01-01 to 2022-12-31: the whole span is shown)",
    ]
    assert unused({"from": ["2021-12-01"], "to": ["2022-01-10"]}) == []  # partly in: its part is shown
    assert unused({"from": ["2022-03-01"]}, bounds=None) == ["date window (these data have no dated incident)"]
    shared = flt.to_query_params(
        Filters(event_types=("Protests",), places=("zvecan",), max_time_precision=2),
        Window(dt.date(2022, 3, 1), dt.date(2022, 4, 1)), bounds,
    )  # a link the dashboard itself wrote: nothing unused
    assert unused(shared) == []


def test_the_days_a_jump_leaves_out_are_the_ones_no_window_showed():
    w = lambda a, b: Window(dt.date(2022, 1, a), dt.date(2022, 1, b))
    assert flt.skipped(w(1, 3), w(2, 4)) is None  # a play step
    assert flt.skipped(w(1, 3), w(4, 6)) is None  # by its own length: every day seen
    assert flt.skipped(w(1, 3), w(10, 12)) == w(4, 9)
    assert flt.skipped(w(10, 12), w(1, 3)) == w(4, 9)  # backwards
    assert flt.skipped(w(10, 12), w(8, 9)) is None
