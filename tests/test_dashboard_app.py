"""The Streamlit app's logic with AppTest: data problems, filters, the window, the URL and
the exports (what the download buttons would hand the browser)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from browser.datasets import (
    HOSTILE_ID,
    XSS_EVENT_TYPE,
    small_collection,
    write_collection,
    write_raw,
)
from streamlit import config
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard import filters as flt
from dashboard.data import incidents_from_geojson
from dashboard.filters import Filters, Window

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
K_PAGE_WHOLE = "_page_whole"  # dashboard.app.K_PAGE_WHOLE (the app is not imported here)
D = dt.date


@pytest.fixture
def small_data_dir(tmp_path, monkeypatch, static_serving) -> Path:
    folder = write_collection(tmp_path / "data", small_collection())
    monkeypatch.setenv("INCIDENT_MAP_DATA", str(folder))
    return folder


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """file name -> the callable a download button registered (called on click)."""
    seen: dict = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        seen[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return seen


@pytest.fixture(scope="module")
def small_frame():
    return incidents_from_geojson(small_collection(), Path("incidents.geojson")).frame


def run_app(query: dict | None = None, *, whole: bool = True) -> AppTest:
    """The app's first run. ``whole``: as once the map in the browser has told the app it is
    drawn (no map draws here), so that the run holds the whole page; else the session's
    very first run, whose page waits for the map (app.rest_waits_for_map)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    if whole:
        at.session_state[K_PAGE_WHOLE] = True
    if query:
        at.query_params.update(query)
    return at.run()


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("info", "error", "warning") for e in getattr(at, kind)]
    parts += (
        [m.value for m in at.markdown] + [c.value for c in at.code] + [c.value for c in at.caption]
    )
    return "\n".join(str(p) for p in parts)


def window_table(at: AppTest):
    return at.dataframe[0].value


def undated_table(at: AppTest):
    return at.dataframe[1].value


def skip_notes(at: AppTest) -> list[str]:
    """The side panel's notes of the quiet days a jump went over."""
    return [c.value for c in at.caption if "Skipped" in c.value]


# --- no data, broken data -----------------------------------------------------------------


def test_no_data_yet_says_to_run_the_build(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENT_MAP_DATA", str(tmp_path / "nothing-here"))
    at = run_app()
    assert not at.exception
    assert "No incidents have been built yet" in at.info[0].value
    assert "incident-map build" in at.code[0].value


@pytest.mark.parametrize(
    "text,problem",
    [
        ("", "empty"),
        ('{"type": "FeatureCollection", "features": [{"type": "Feat', "truncated"),
        ("<html><body>not json</body></html>", "not valid JSON"),
        ('{"type": "Topology", "objects": {}}', "not a GeoJSON FeatureCollection"),
    ],
)
def test_broken_file_shows_the_problem_and_the_fix(tmp_path, monkeypatch, text, problem):
    folder = write_raw(tmp_path / "data", text)
    monkeypatch.setenv("INCIDENT_MAP_DATA", str(folder))
    at = run_app()
    assert not at.exception
    message = at.error[0].value
    assert "cannot be used" in message and problem in message
    assert str(folder / "incidents.geojson") in message
    assert "incident-map build" in at.code[0].value


def test_a_later_start_reads_the_kept_copy_instead_of_the_file(
    small_data_dir, tmp_path, monkeypatch
):
    """What a start makes of a large file is kept (dashboard/snapshot.py) and a later start,
    with the file unchanged, shows the same page from it without reading the file."""
    import streamlit as st

    from dashboard import data as incidents_data
    from dashboard import snapshot

    monkeypatch.setattr(snapshot, "MIN_BYTES", 0)  # the small file counts as large
    monkeypatch.setenv("INCIDENT_MAP_CACHE", str(tmp_path / "cache"))
    st.cache_resource.clear()
    first = run_app()
    assert not first.exception
    assert snapshot.wait_for_writers(30)  # the incidents' copy is written by a child process
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2  # the incidents, the map's file

    st.cache_resource.clear()  # as a new server
    monkeypatch.setattr(incidents_data, "load_incidents", lambda path: pytest.fail("file read"))
    later = run_app()
    assert not later.exception
    assert window_table(later).equals(window_table(first))
    assert texts(later) == texts(first)
    st.cache_resource.clear()


def test_a_file_with_no_incidents(tmp_path, monkeypatch, static_serving):
    folder = write_collection(tmp_path / "data", {"type": "FeatureCollection", "features": []})
    monkeypatch.setenv("INCIDENT_MAP_DATA", str(folder))
    at = run_app(whole=False)  # no map to wait for
    assert not at.exception
    assert "holds no incidents" in at.info[0].value
    assert at.multiselect(key="w_types")  # the filters are there at once


def test_only_undated_incidents_are_listed_not_dropped(tmp_path, monkeypatch, static_serving):
    collection = small_collection()
    collection["features"] = [
        f for f in collection["features"] if f["properties"]["event_date"] is None
    ]
    monkeypatch.setenv("INCIDENT_MAP_DATA", str(write_collection(tmp_path / "d", collection)))
    at = run_app(whole=False)  # no map to wait for
    assert not at.exception
    assert "None of the 2 incidents has a date" in at.warning[0].value
    assert set(at.dataframe[0].value["Incident"]) == {
        "inc-undated-zvecan",
        "inc-undated-pristina",
    }


def test_map_needs_static_serving(small_data_dir, monkeypatch):
    config.set_option("server.enableStaticServing", False)
    at = run_app(whole=False)  # no map to wait for
    assert not at.exception
    assert "static file serving" in at.error[0].value
    assert len(window_table(at)) == 11  # the rest of the page still works


# --- the page on good data ------------------------------------------------------------------


def test_the_first_run_sends_the_map_and_the_rest_waits_for_it(small_data_dir, small_frame):
    at = run_app({"from": "2022-12-10", "to": "2023-05-31", "type": "Riots"}, whole=False)
    assert not at.exception and not at.error
    # the window's controls are there, with the URL's window; the map is a custom component,
    # which AppTest does not list
    assert at.slider(key="w_window").value == (D(2022, 12, 10), D(2023, 5, 31))
    assert at.button(key="forward")
    # the tables, the filters, the counts and the downloads are not, and the page says so
    assert not at.dataframe and not at.multiselect
    assert not at.get("download_button")
    assert "appear as soon as the map is drawn" in texts(at)
    assert "The filters appear as soon as the map is drawn." in [
        c.value for c in at.sidebar.caption
    ]
    # Once the map has drawn, the map reruns the page; the button does the same (the way
    # AppTest can press): the whole page, with the URL's filters.
    at.button(key="show_whole_page").click().run()
    assert not at.exception
    expected = flt.in_window(
        flt.apply_filters(small_frame, Filters(event_types=("Riots",))),
        Window(D(2022, 12, 10), D(2023, 5, 31)),
    )
    assert len(expected) >= 1
    assert set(window_table(at)["Incident"]) == set(expected["incident_id"])
    assert at.multiselect(key="w_types").value == ["Riots"]
    assert len(at.get("download_button")) == 2
    assert "appear as soon as the map is drawn" not in texts(at)
    # and it stays whole: a later run does not wait again
    at.slider(key="w_window").set_value((D(2022, 12, 10), D(2022, 12, 12))).run()
    assert at.dataframe and at.multiselect(key="w_types").value == ["Riots"]
    assert at.query_params["to"] == "2022-12-12"


def test_a_failure_on_the_first_run_leaves_a_whole_page(small_data_dir, monkeypatch):
    """Nothing waits for a map that failed: the error shows, and the filters are drawn."""
    from dashboard import mapdata

    def broken(*args, **kwargs):
        raise RuntimeError("no map today")

    monkeypatch.setattr(mapdata, "encode", broken)
    at = run_app(whole=False)
    assert "Something went wrong while drawing the dashboard" in at.error[0].value
    assert "no map today" in at.error[0].value
    assert at.multiselect(key="w_types")  # the sidebar's filters
    assert at.session_state[K_PAGE_WHOLE]


def test_a_run_of_the_whole_page_ends_the_play(small_data_dir):
    """Play steps are fragment reruns; a run of the whole page (a filter changed, the page
    became whole) cannot ask for one, so it ends the play instead of failing."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state[K_PAGE_WHOLE] = True
    at.session_state["playing"] = True
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["playing"] is False
    assert len(window_table(at)) == 11


def test_default_view_is_the_whole_span(small_data_dir):
    at = run_app()
    assert not at.exception and not at.error
    assert at.slider(key="w_window").value == (D(2021, 9, 26), D(2023, 9, 24))
    assert len(window_table(at)) == 11
    assert set(undated_table(at)["Incident"]) == {"inc-undated-zvecan", "inc-undated-pristina"}
    assert "2 undated incidents are not on the map" in at.warning[0].value
    assert at.query_params == {}


def test_each_table_says_what_selecting_a_row_does(small_data_dir):
    at = run_app()
    captions = [c.value for c in at.caption if c.value.startswith("Select a row")]
    assert captions == [
        ("Select a row (the box at its left) to show it on the map and read its sources in "
         "their articles, or press “Read the sources in their articles” in a marker's popup."),
        "Select a row (the box at its left) to read its sources in their articles.",  # undated
    ]


def test_moving_the_window(small_data_dir, small_frame):
    at = run_app()
    at.slider(key="w_window").set_value((D(2022, 12, 10), D(2022, 12, 12))).run()
    assert not at.exception
    expected = flt.in_window(small_frame, Window(D(2022, 12, 10), D(2022, 12, 12)))
    assert set(window_table(at)["Incident"]) == set(expected["incident_id"])
    assert len(expected) == 4
    assert at.query_params == {"from": "2022-12-10", "to": "2022-12-12"}
    assert len(undated_table(at)) == 2  # undated incidents stay listed


def test_filters_narrow_the_table_and_go_into_the_url(small_data_dir, small_frame):
    at = run_app()
    at.multiselect(key="w_types").set_value(["Riots", "Battles"]).run()
    at.selectbox(key="w_time").set_value(1).run()
    assert not at.exception
    expected = flt.apply_filters(
        small_frame, Filters(event_types=("Riots", "Battles"), max_time_precision=1)
    )
    assert set(window_table(at)["Incident"]) == set(expected["incident_id"])
    assert at.query_params == {"type": ["Riots", "Battles"], "time": "1"}


def test_place_and_article_filters(small_data_dir):
    at = run_app()
    at.multiselect(key="w_places").set_value(["zvecan"]).run()
    assert set(window_table(at)["Incident"]) == {
        "inc-zvecan-2022-12-10",
        "inc-zvecan-2023-05-29",
    }
    assert set(undated_table(at)["Incident"]) == {"inc-undated-zvecan"}
    at.multiselect(key="w_places").set_value([]).run()
    at.multiselect(key="w_articles").set_value(["a-2023-05-30"]).run()
    assert set(window_table(at)["Incident"]) == {"inc-zubin-potok-2023", "inc-zvecan-2023-05-29"}
    assert at.query_params == {"article": "a-2023-05-30"}
    # each article's label counts the incidents that cite it, whatever the filters
    articles = at.multiselect(key="w_articles")
    cited = {
        s["article_id"] for f in small_collection()["features"] for s in f["properties"]["sources"]
    }
    assert len(articles.options) == len(cited)
    (label,) = [o for o in articles.options if "2023-05-30" in o]
    assert label.endswith(" · 2"), label


def test_an_empty_window_says_so(small_data_dir):
    at = run_app({"from": "2022-01-01", "to": "2022-01-31"})
    assert not at.exception
    assert len(window_table(at)) == 0
    assert any("No incidents in this window" in i.value for i in at.info)


def test_query_params_round_trip(small_data_dir):
    query = {
        "from": "2022-12-01",
        "to": "2023-06-30",
        "type": ["Riots", "Strategic developments"],
        "place": ["zubin_potok", "leposavic", "raska"],
        "geo": "1",
    }
    at = run_app(query)
    assert not at.exception
    assert at.slider(key="w_window").value == (D(2022, 12, 1), D(2023, 6, 30))
    assert at.multiselect(key="w_types").value == ["Riots", "Strategic developments"]
    assert at.multiselect(key="w_places").value == ["zubin_potok", "leposavic", "raska"]
    assert at.selectbox(key="w_geo").value == 1
    assert at.query_params == query  # written back unchanged
    # raska is geo_precision 2, so only two incidents pass
    assert set(window_table(at)["Incident"]) == {"inc-zubin-potok-2023", "inc-leposavic-2022-12-12"}


def test_the_play_length_and_speed_go_into_the_url_and_back(small_data_dir):
    at = run_app({"len": "7", "speed": "2"})
    assert not at.exception and not at.warning[1:]  # (the undated incidents' warning only)
    assert at.selectbox(key="w_length").value == 7
    assert at.selectbox(key="w_speed").value == 2.0
    assert at.query_params == {"len": "7", "speed": "2"}
    at.selectbox(key="w_length").set_value(3).run()
    at.selectbox(key="w_speed").set_value(0.5).run()
    assert at.query_params == {"speed": "0.5"}  # 3 days: the default, left out
    fresh = run_app({"len": "5", "speed": "fast"})  # not among the choices: the defaults
    assert fresh.selectbox(key="w_length").value == 3
    assert fresh.selectbox(key="w_speed").value == 1.0
    assert fresh.query_params == {}


def test_bad_query_params_fall_back_to_defaults(small_data_dir):
    at = run_app({"from": "soon", "type": "<script>alert(1)</script>", "geo": "7"})
    assert not at.exception and not at.error
    assert at.multiselect(key="w_types").value == []
    assert len(window_table(at)) == 11
    assert at.query_params == {}


def test_reset_filters(small_data_dir):
    at = run_app({"type": "Riots", "time": "1"})
    at.button(key="reset").click().run()
    assert at.multiselect(key="w_types").value == []
    assert at.query_params == {}


def test_back_and_next_move_the_window_by_its_length_or_on_to_the_nearest_incidents(small_data_dir):
    at = run_app({"from": "2021-09-26", "to": "2021-09-27"})
    at.button(key="forward").click().run()  # by its length: 28 September has an incident
    assert at.slider(key="w_window").value == (D(2021, 9, 28), D(2021, 9, 29))
    assert not skip_notes(at)  # moved by its length
    at.button(key="forward").click().run()  # quiet till 10 December 2022: it comes first
    assert at.slider(key="w_window").value == (D(2022, 12, 10), D(2022, 12, 11))
    assert skip_notes(at) == [
        ":material/redo: Skipped 436 days with no incident (30 Sep 2021 – 09 Dec 2022)."
    ]
    at.button(key="back").click().run()  # back: the last incident before comes last
    assert at.slider(key="w_window").value == (D(2021, 9, 27), D(2021, 9, 28))
    assert skip_notes(at) == [
        ":material/redo: Skipped 437 days with no incident (29 Sep 2021 – 09 Dec 2022)."
    ]
    at.slider(key="w_window").set_value((D(2021, 9, 26), D(2021, 9, 28))).run()
    assert not skip_notes(at)  # said while its window is shown
    at.button(key="forward").click().run()
    assert skip_notes(at)
    at.multiselect(key="w_types").select("Protests").run()  # the filters changed: no longer sure
    assert not skip_notes(at)
    at = run_app({"from": "2023-09-23", "to": "2023-09-24"})
    at.button(key="forward").click().run()  # nothing after: stays at the span's end
    assert at.slider(key="w_window").value == (D(2023, 9, 23), D(2023, 9, 24))
    at = run_app({"from": "2022-12-20", "to": "2022-12-22", "type": "Riots"})
    at.button(key="back").click().run()  # with the filters: the riots of September 2021
    assert at.slider(key="w_window").value == (D(2021, 9, 26), D(2021, 9, 28))  # (in the span)


def test_the_skip_note_says_one_day_once_and_whether_filters_are_on():
    from dashboard.app import skipped_note

    one = Window(D(2022, 12, 15), D(2022, 12, 15))
    assert skipped_note(one, False) == ":material/redo: Skipped 1 day with no incident (15 Dec 2022)."
    assert skipped_note(Window(D(2022, 12, 15), D(2022, 12, 23)), True) == (
        ":material/redo: Skipped 9 days with no incident that passes the filters "
        "(15 Dec 2022 – 23 Dec 2022)."
    )


# --- exports --------------------------------------------------------------------------------


def test_exports_hold_exactly_the_filtered_window(small_data_dir, small_frame, downloads):
    at = run_app({"from": "2022-12-10", "to": "2023-05-31", "type": ["Riots", XSS_EVENT_TYPE]})
    assert not at.exception
    expected = flt.in_window(
        flt.apply_filters(small_frame, Filters(event_types=("Riots", XSS_EVENT_TYPE))),
        Window(D(2022, 12, 10), D(2023, 5, 31)),
    )
    assert set(expected["incident_id"]) == {
        HOSTILE_ID,
        "inc-zubin-potok-2023",
        "inc-zvecan-2023-05-29",
    }
    name = "incidents_2022-12-10_2023-05-31_riots_img-src-x-onerror-alert-6-attack"  # + filters
    geojson = json.loads(downloads[f"{name}.geojson"]())
    assert geojson["type"] == "FeatureCollection"
    originals = {f["properties"]["incident_id"]: f for f in small_collection()["features"]}
    assert {f["properties"]["incident_id"] for f in geojson["features"]} == set(
        expected["incident_id"]
    )
    for feature in geojson["features"]:
        assert feature == originals[feature["properties"]["incident_id"]]
    rows = list(
        csv.DictReader(
            io.StringIO(downloads[f"{name}.csv"]().decode("utf-8"))
        )
    )
    assert {r["incident_id"] for r in rows} == set(expected["incident_id"])


def test_the_table_gives_the_days_an_imprecise_date_allows(small_data_dir):
    table = window_table(run_app())
    dates = {
        f["properties"]["incident_id"]: f["properties"] for f in small_collection()["features"]
    }
    ranged = [i for i, p in dates.items() if p["event_date"] and p["date_start"] != p["date_end"]]
    exact = [i for i, p in dates.items() if p["event_date"] and p["time_precision"] == 1]
    assert ranged and exact
    shown = dict(zip(table["Incident"], table["Period"], strict=True))
    for incident in ranged:
        p = dates[incident]
        assert shown[incident] == f"between {p['date_start']} and {p['date_end']}"
    assert {shown[i] for i in exact} == {"exact day"}


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # the last protest in the window (where a play of the protests ran out and stopped,
        # long before the span's end): from the start
        ({"from": "2022-12-10", "to": "2022-12-12", "type": "Protests"}, (D(2021, 9, 26), D(2021, 9, 28))),
        # at the span's end: from the start
        ({"from": "2023-09-22", "to": "2023-09-24"}, (D(2021, 9, 26), D(2021, 9, 28))),
        # more to come after the window: from the window's start
        ({"from": "2022-12-12", "to": "2022-12-20"}, (D(2022, 12, 12), D(2022, 12, 14))),
    ],
)
def test_play_starts_where_there_is_something_ahead(small_data_dir, query, first):
    at = run_app(query)
    at.button(key="play").click().run()
    assert not at.exception
    assert at.slider(key="w_window").value == first


def test_tables_show_where_and_what_first_and_undated_ones_no_date(small_data_dir):
    at = run_app()
    assert list(window_table(at).columns)[:4] == ["Date", "Period", "Location", "Event type"]
    assert set(window_table(at)["Country"]) <= {"Kosovo", "Serbia"}  # names, not ISO codes
    undated = undated_table(at)
    assert len(undated) == 2
    assert "Date" not in undated.columns and "Period" not in undated.columns
    assert list(undated.columns)[:2] == ["Location", "Event type"]


def test_back_and_next_from_the_whole_span_start_a_window_of_the_chosen_length(small_data_dir):
    at = run_app()  # the whole span: 2021-09-26 to 2023-09-24
    at.button(key="forward").click().run()
    assert at.slider(key="w_window").value == (D(2021, 9, 26), D(2021, 9, 28))
    at = run_app()
    at.button(key="back").click().run()
    assert at.slider(key="w_window").value == (D(2023, 9, 22), D(2023, 9, 24))


def test_a_popups_read_button_shows_that_incidents_sources(small_data_dir, small_frame, monkeypatch):
    """The map's component value names the incident a popup's button asked for (no map runs
    here: the component's value is given): its sources are shown, as for a selected row,
    until the incident leaves the window; an id the data does not have shows nothing."""
    import streamlit_folium

    dated = small_frame[small_frame["event_date"].notna()]
    target = dated.iloc[3]
    told = {"incident_map": "drawn", "read": target["incident_id"], "seq": "1"}

    def component(**kw):
        # the value the browser sent is in the session state under the component's key when
        # the run its click asked for starts, before the map is drawn again (the same dict:
        # told.update below is a later click)
        import streamlit as st

        st.session_state[kw["key"]] = told
        return told

    monkeypatch.setattr(streamlit_folium, "_component_func", component)

    def shown(at: AppTest) -> list[str]:
        return [e.proto.body for e in at.get("html") if "Sources of:" in e.proto.body]

    at = run_app()
    assert not at.exception and not at.error and shown(at) == []  # the map has said nothing yet
    table_id = at.dataframe[0].proto.id
    at.run()  # the click's rerun
    assert not at.exception and not at.error
    (heading,) = shown(at)
    # no row was selected: the table is not drawn anew (it keeps its scroll and sort)
    assert at.dataframe[0].proto.id == table_id
    assert target["location"] in heading and target["event_type"] in heading
    assert [t.proto.body for t in at.get("toast")] == ["Its sources and their articles are below the table of incidents."]
    # the file rebuilt, its incidents in another order: still the same incident
    collection = small_collection()
    collection["features"].reverse()
    write_collection(small_data_dir, collection)
    at.run()
    assert not at.exception and shown(at) == [heading]
    day = target["event_date"].date()
    away = (day + dt.timedelta(days=1), day + dt.timedelta(days=2))
    assert target["incident_id"] not in set(flt.in_window(small_frame, Window(*away))["incident_id"])
    at.slider(key="w_window").set_value(away).run()
    assert not at.exception and shown(at) == []  # it left the window: no longer shown
    at.slider(key="w_window").set_value((D(2021, 9, 26), D(2023, 9, 24))).run()
    assert shown(at) == []  # nor when it comes back: the choice was given up
    told.update(read="no-such-incident", seq="2")
    at.run()
    assert not at.exception and shown(at) == []
    assert [t.proto.body for t in at.get("toast")] == [
        "That incident is no longer in the window: move the window or the filters to it."]


def test_the_type_and_place_filters_count_what_the_other_filters_keep(small_data_dir, small_frame):
    """Each event type and place is listed with its incidents that pass the other filters
    (its own filter aside), the most first; the choices stay as they were."""
    def counted(widget) -> dict[str, int]:
        return {label.rsplit(" · ", 1)[0]: int(label.rsplit(" · ", 1)[1]) for label in widget.options}

    at = run_app()
    assert counted(at.multiselect(key="w_types")) == small_frame["event_type"].value_counts().to_dict()
    at.multiselect(key="w_types").set_value(["Riots"]).run()
    at.multiselect(key="w_places").set_value(["zvecan"]).run()
    assert not at.exception
    riots = small_frame[small_frame["event_type"] == "Riots"]
    places = counted(at.multiselect(key="w_places"))
    assert places["Zvečan (Zveçan)"] == int((riots["place_key"] == "zvecan").sum()) > 0
    assert sum(places.values()) == len(riots)
    assert list(places.values()) == sorted(places.values(), reverse=True)
    zvecan = small_frame[small_frame["place_key"] == "zvecan"]
    assert counted(at.multiselect(key="w_types")) == {
        t: int((zvecan["event_type"] == t).sum()) for t in small_frame["event_type"].unique()
    }
    assert at.multiselect(key="w_types").value == ["Riots"]
    assert at.multiselect(key="w_places").value == ["zvecan"]


def test_an_article_page_is_shown_in_a_frame_without_the_deprecated_components_html(monkeypatch):
    """components.html is deprecated (to be removed after 2026-06-01): a Streamlit release
    within the pinned range that drops it must not break the article view."""
    import streamlit.components.v1 as components

    def removed(*args, **kwargs):
        raise AttributeError("streamlit.components.v1.html was removed")

    monkeypatch.setattr(components, "html", removed)

    def script():
        from dashboard.app import show_page

        show_page("<!doctype html><p>The article</p><script>document.title = 'ran'</script>", 321)

    at = AppTest.from_function(script).run(timeout=60)
    assert not at.exception
    (frame,) = at.get("iframe")
    assert frame.proto.srcdoc.startswith("<!doctype html><p>The article</p><script>")
    assert frame.proto.scrolling


def test_filters_that_keep_no_dated_incident_say_to_change_the_filters(small_data_dir):
    """Only an undated incident is at Pristina: moving the window cannot help."""
    at = run_app()
    at.multiselect(key="w_places").set_value(["pristina"]).run()
    assert not at.exception
    advice = [i.value for i in at.info]
    assert any("No dated incident passes these filters, whatever the dates" in a for a in advice), advice
    assert not any("Widen the date window" in a for a in advice)


def test_counts_of_one_are_in_the_singular():
    def script():
        import streamlit as st

        from dashboard.app import stats_html

        st.markdown(stats_html((("incidents", 1), ("places", 2), ("reports", 0))), unsafe_allow_html=True)

    at = AppTest.from_function(script).run(timeout=60)
    text = at.markdown[0].value
    assert ">1</div><div style=\"font-size:.8rem;color:#6b7280\">incident</div>" in text
    assert ">places</div>" in text and ">reports</div>" in text


def test_a_table_of_up_to_fifteen_rows_shows_them_all_a_longer_one_half_a_row_more():
    """The table's scroll bar shows only under the pointer: one that scrolls shows a half row."""
    from dashboard.app import table_height

    assert [table_height(n) for n in (0, 1, 12, 15)] == [38 + 35, 38 + 35, 38 + 35 * 12, 38 + 35 * 15]
    assert table_height(16) == table_height(2000) == round(38 + 35 * 12.5)


def test_a_link_with_what_these_data_lack_says_so_once(small_data_dir):
    at = run_app({"place": ["nowhere"], "from": "2022-12-10", "to": "2022-12-31"})
    assert [t.proto.body for t in at.get("toast")] == [
        "Left out of this link: place 'nowhere' (not in these data)."
    ]
    assert at.slider(key="w_window").value == (dt.date(2022, 12, 10), dt.date(2022, 12, 31))  # the rest kept
    at.run()
    assert not at.get("toast")  # said once, on the visit
    assert not run_app({"from": "2022-12-10", "to": "2022-12-31"}).get("toast")
