"""Incident map: the Streamlit dashboard over the files ``incident-map build`` writes.

Start it with ``incident-map dashboard --data DIR`` (or ``make run``); on its own,
``streamlit run dashboard/app.py`` reads ``$INCIDENT_MAP_DATA`` (default ``data/``), with the
settings in ``dashboard/.streamlit/config.toml`` (static file serving on: the map's scripts
are served from ``dashboard/static/``).

A thin app: the UI functions below return what the user chose; reading, filtering, the map,
the popups and the exports are pure functions in the modules next to this one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import html
import logging
import sys
import time
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path

if __package__ in (None, ""):  # `streamlit run dashboard/app.py` runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pandas as pd
import streamlit as st
import streamlit.components.v1 as components
import streamlit_folium

from dashboard import (
    articles,
    buildreport,
    datafiles,
    export,
    mapdata,
    mapview,
    popup,
    selection,
    snapshot,
    timeline,
)
from dashboard import data as incidents_data
from dashboard import filters as flt
from dashboard.boundaries import Boundaries, load_boundaries
from dashboard.filters import Filters, Window
from dashboard.palette import type_colours
from pipeline.errors import DataFileError
from pipeline.wording import counted

LOG = logging.getLogger("incident_map.dashboard")

PLAY_STEP_SECONDS = 0.9  # at 1x: the pause between two steps of a play
PLAY_SPEEDS = (0.5, 1.0, 2.0, 4.0)
WINDOW_LENGTHS = (1, 3, 7, 14, 30, 90)
DEFAULT_PLAY_DAYS = 3
# The table is sent again on every slider step: 2,000 rows already scroll for minutes, and
# 20,000 cost about a second per step at 100,000 incidents. The downloads hold them all.
TABLE_MAX_ROWS = 2_000
BUILD_HINT = "incident-map build ARTICLES --out {dir}"
BUILD_HINT_NOTE = (
    "`ARTICLES`: your folder of articles (.txt, .md, .html, .jsonl, or saved news feeds: .xml, "
    ".rss, .atom), or `seeds`, the sample "
    "articles that come with incident-map."
)
# The timeline chart's height on the page, and of the room it keeps while it waits or loads.
TIMELINE_HEIGHT = 120

# Session-state keys of the widgets.
K_WINDOW, K_TYPES, K_PLACES, K_ARTICLES = "w_window", "w_types", "w_places", "w_articles"
K_GEO, K_TIME, K_LENGTH, K_PLAYING = "w_geo", "w_time", "w_length", "playing"
K_SPEED = "w_speed"
K_NEXT_WINDOW, K_URL_READ = "_next_window", "_url_read"
K_TIMELINE_PICKS = "_timeline_picks"  # clicks on the timeline so far: its key
K_SKIPPED = "_skipped"  # (the window a jump led to, the quiet days it went over)
# True once the session's page is whole: see rest_waits_for_map.
K_PAGE_WHOLE = "_page_whole"
K_MAP_KEY = "_map_key"  # the map component's key (show_map): its value is what the map says
K_POPUP_CHOICE = "_popup_choice"  # see popup_choice
K_TABLE_RESETS = "_table_resets"  # how often a popup's choice has cleared the table's selection
# Set by every run of the whole page, taken by window_view: it tells a fragment rerun from
# the fragment's part of a full run (where a fragment-scoped st.rerun is not allowed).
K_FULL_RUN = "_full_run"
MAP_KEY = "incident_map"


# --- cached loaders: they only call library functions ------------------------------------


# cache_resource, not cache_data: the data can hold 100,000 incidents and is never mutated;
# cache_data would copy it on every rerun. The key is (path, mtime, size), so a rebuilt
# file is read again.
@st.cache_resource(max_entries=2, show_spinner="Reading the incidents…")
def load_dataset(path: str, mtime_ns: int, size: int) -> incidents_data.IncidentData:
    # the copy kept from the last start when the file has not changed (dashboard/snapshot.py)
    dataset = snapshot.cached(
        Path(path), "incidents", lambda: incidents_data.load_incidents(Path(path)),
        folder=snapshot.cache_folder(), expect=(mtime_ns, size), aside=True,
    )
    # a copy made through another path to the file names the file as that start did
    return dataclasses.replace(dataset, path=Path(path))


@st.cache_resource(max_entries=2, show_spinner=False)
def filter_keys(path: str, mtime_ns: int, size: int) -> tuple[frozenset[str], frozenset[str]]:
    """The places' keys and the articles' ids: what the place and article filters may hold."""
    dataset = load_dataset(path, mtime_ns, size)
    return frozenset(dataset.places["place_key"]), frozenset(dataset.articles["article_id"])


@st.cache_resource(max_entries=2, show_spinner=False)
def article_labels(path: str, mtime_ns: int, size: int) -> dict[str, str]:
    """The article filter's labels (the place filter's: facet_labels). Only the sidebar,
    written after the map, needs them: 0.2 s at 100,000 articles."""
    return flt.article_options(load_dataset(path, mtime_ns, size).articles)


@st.cache_resource(max_entries=8, show_spinner=False)
def facet_labels(
    signature: tuple[str, int, int], filters_key: tuple
) -> tuple[dict[str, str], dict[str, str]]:
    """The event type and place filters' labels, each with the incidents that pass the
    other filters ("Protests · 5", "Zvečan (Zveçan) · 3"), the most first."""
    dataset = load_dataset(*signature)
    filters = Filters(*filters_key)
    types = flt.facet_counts(dataset.frame, filters, "event_types")
    places = flt.facet_counts(dataset.frame, filters, "places")
    return flt.type_options(dataset.event_types, types), flt.place_options(dataset.places, places)


@st.cache_resource(max_entries=2, show_spinner=False)
def row_index(path: str, mtime_ns: int, size: int) -> selection.RowIndex:
    return selection.build_index(load_dataset(path, mtime_ns, size).frame)


@st.cache_resource(max_entries=8, show_spinner=False)
def filter_mask(signature: tuple[str, int, int], filters_key: tuple) -> np.ndarray:
    mask = flt.filter_mask(load_dataset(*signature).frame, Filters(*filters_key))
    mask.setflags(write=False)  # shared across sessions
    return mask


@st.cache_resource(max_entries=8, show_spinner=False)
def places_bounds(
    signature: tuple[str, int, int], filters_key: tuple
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The map's bounds for the dated incidents the filters keep (a place filter's view)."""
    frame = load_dataset(*signature).frame
    keep = filter_mask(signature, filters_key) & row_index(*signature).dated
    return mapview.data_bounds(frame.loc[keep, ["lat", "lon"]])


@st.cache_resource(max_entries=8, show_spinner=False)
def daily_counts(signature: tuple[str, int, int], filters_key: tuple) -> pd.DataFrame:
    dataset = load_dataset(*signature)
    return timeline.daily_counts(flt.apply_filters(dataset.frame, Filters(*filters_key)))


@st.cache_resource(max_entries=2, show_spinner=False)
def build_report(path: str, mtime_ns: int, size: int) -> buildreport.BuildReport | str | None:
    """The report, None without one, or what is wrong with it (kept: an error is not cached,
    and a 200 MB report would be read again at every run)."""
    try:
        return buildreport.read_build_report(Path(path))
    except DataFileError as error:
        return str(error)


@st.cache_resource(show_spinner=False)
def load_basemap_shapes() -> Boundaries:
    return load_boundaries()


@st.cache_resource(show_spinner=False)
def shapes_file() -> tuple[str, bytes]:
    """The basemap's outlines as a file the map fetches (see mapview.OutlineLayer)."""
    body = mapdata.gzip_json(mapview.shapes(load_basemap_shapes()))
    return mapdata.json_file_name("shapes", body), body


# Every incident of the file for the map, built once per file (and colours): the browser
# fetches it once; reruns send only which incidents are visible.
@st.cache_resource(max_entries=2, show_spinner="Preparing the map…")
def map_file(
    signature: tuple[str, int, int], colours_key: tuple[tuple[str, str], ...]
) -> mapdata.MapData:
    def make() -> mapdata.MapData:
        frame = load_dataset(*signature).frame
        return mapdata.encode(mapdata.map_data(frame, dict(colours_key)))

    kind = "map " + hashlib.sha256(repr(colours_key).encode()).hexdigest()
    return snapshot.cached(
        Path(signature[0]), kind, make, folder=snapshot.cache_folder(), expect=signature[1:]
    )


# The fixed map rendered for streamlit-folium's component, once per file: see
# mapview.component_args. (data_url depends only on the file, so the key does too.)
@st.cache_resource(max_entries=2, show_spinner=False)
def map_component(
    signature: tuple[str, int, int],
    colours_key: tuple[tuple[str, str], ...],
    data_url: str,
    shapes_url: str,
) -> dict:
    frame = load_dataset(*signature).frame
    fmap = mapview.base_map(
        load_basemap_shapes(),
        mapview.data_bounds(frame),
        dict(colours_key),
        data_url=data_url,
        shapes_url=shapes_url,
        height=mapview.MAP_HEIGHT,
        regions=mapdata.region_rows(frame).size > 0,
    )
    return mapview.component_args(fmap, key=MAP_KEY, height=mapview.MAP_HEIGHT)


@st.cache_resource(max_entries=16, show_spinner=False)
def window_details(
    signature: tuple[str, int, int], filters_key: tuple, window_key: tuple[dt.date, dt.date]
) -> dict | None:
    """The window's sources for the popups when the map's data carries only summaries."""
    keep = filter_mask(signature, filters_key) & selection.window_mask(
        row_index(*signature), Window(*window_key)
    )
    return mapdata.window_sources(load_dataset(*signature).frame, keep)


@st.cache_resource(max_entries=32, show_spinner=False)
def article_entry(
    path: str, mtime_ns: int, size: int, article_id: str
) -> buildreport.ArticleEntry | None:
    """report.json's entry for one article (a DataFileError is not cached)."""
    return buildreport.find_article(Path(path), article_id)


@st.cache_resource(max_entries=32, show_spinner=False)
def article_text(path: str, mtime_ns: int, size: int, article_id: str, line: int | None) -> str:
    return articles.article_text(Path(path), article_id, line)


# --- UI pieces ------------------------------------------------------------------------------


def build_hint(data_dir: Path, note: str = "") -> None:
    """The command that builds ``data_dir``, and what to give it."""
    st.code(BUILD_HINT.format(dir=data_dir), language="bash")
    st.caption(BUILD_HINT_NOTE + note)


def show_data_problem(error: DataFileError, data_dir: Path) -> None:
    """The page when there is nothing to show: what is wrong and what to do next."""
    st.title("Incident map")
    if not Path(error.path).exists():
        st.info(
            f"**No incidents have been built yet.** The dashboard reads "
            f"`{error.path}`, which does not exist.\n\n"
            "Build it from a folder of articles, then reload this page:"
        )
    else:
        st.error(
            f"**The incidents file cannot be used.** `{error.path}`: {error.problem}.\n\n"
            "Rebuild it, then reload this page:"
        )
    build_hint(
        data_dir,
        " The data folder comes from `incident-map dashboard --data DIR` or the "
        "`INCIDENT_MAP_DATA` environment variable (default `data/`).",
    )


def read_url_once(dataset: incidents_data.IncidentData, bounds: Window | None) -> None:
    """On a session's first run, set the widgets from the URL so shared links reopen a view."""
    if st.session_state.get(K_URL_READ):
        return
    st.session_state[K_URL_READ] = True
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    filters, window = flt.from_query_params(
        params,
        bounds=bounds,
        event_types=dataset.event_types,
        places=set(dataset.places["place_key"]),
        articles=set(dataset.articles["article_id"]),
    )
    st.session_state[K_TYPES] = list(filters.event_types)
    st.session_state[K_PLACES] = list(filters.places)
    st.session_state[K_ARTICLES] = list(filters.articles)
    st.session_state[K_GEO] = filters.max_geo_precision
    st.session_state[K_TIME] = filters.max_time_precision
    if window is not None:
        st.session_state[K_WINDOW] = (window.start, window.end)
    length, speed = flt.play_from_query_params(params, lengths=WINDOW_LENGTHS, speeds=PLAY_SPEEDS)
    st.session_state[K_LENGTH] = length or DEFAULT_PLAY_DAYS
    st.session_state[K_SPEED] = speed or 1.0
    unused = flt.unused_query_params(params, filters, bounds, lengths=WINDOW_LENGTHS, speeds=PLAY_SPEEDS)
    if unused:  # a link from older data, or mistyped: say what of it is not shown
        st.toast(
            f"Left out of this link: {'; '.join(unused[:5])}{'; and more' if len(unused) > 5 else ''}.",
            icon=":material/link_off:",
        )


def keep_known(key: str, allowed: AbstractSet[str]) -> None:
    """Drop widget values the current data no longer has (the file may have been rebuilt).

    It writes the value back even when nothing is dropped, and must: the event type and place
    filters' labels carry counts that change with the other filters (facet_labels), and a
    value set here is sent to the browser with the new labels; else the browser would keep the
    old labels, which the next change of the widget would no longer match."""
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]


def reset_filters() -> None:
    forget_jump()
    for key in (K_TYPES, K_PLACES, K_ARTICLES):
        st.session_state[key] = []
    st.session_state[K_GEO] = 3
    st.session_state[K_TIME] = 3


def chosen_filters(
    dataset: incidents_data.IncidentData, signature: tuple[str, int, int]
) -> Filters:
    """The :class:`Filters` the sidebar's widgets hold (their session state, which is what
    they return), read before they are drawn: see :func:`dashboard`."""
    place_keys, article_ids = filter_keys(*signature)
    keep_known(K_TYPES, set(dataset.event_types))
    keep_known(K_PLACES, place_keys)
    keep_known(K_ARTICLES, article_ids)
    state = st.session_state
    return Filters(
        event_types=tuple(state.get(K_TYPES, ())),
        places=tuple(state.get(K_PLACES, ())),
        articles=tuple(state.get(K_ARTICLES, ())),
        max_geo_precision=int(state.get(K_GEO, 3)),
        max_time_precision=int(state.get(K_TIME, 3)),
    )


def sidebar_filters(signature: tuple[str, int, int], filters: Filters) -> None:
    """The filter widgets in the sidebar. Their values are their session state keys, which
    :func:`chosen_filters` read before them. The event types and places are counted with
    the other filters applied (``filters``), whatever the date window."""
    type_labels, place_labels = facet_labels(signature, dataclasses.astuple(filters))
    with st.sidebar:
        st.header("Filters")
        counted = ("Each with its incidents that pass the other filters, whatever the date "
                   "window (undated ones included).")
        cited = ("Each with all the incidents that cite it, whatever the other filters and the "
                 "date window. The newest first; type to search.")
        for label, labels, key, placeholder, help_text in (
            ("Event type", type_labels, K_TYPES, "All event types", counted),
            ("Place", place_labels, K_PLACES, "All places", counted),
            ("Source article", article_labels(*signature), K_ARTICLES, "All articles", cited),
        ):
            st.multiselect(
                label, list(labels), format_func=labels.__getitem__, key=key,
                placeholder=placeholder, help=help_text, on_change=forget_jump,
            )
        st.selectbox(
            "Location precision",
            (3, 2, 1),
            key=K_GEO,
            on_change=forget_jump,
            format_func=lambda p: "any" if p == 3 else f"at least: {flt.GEO_PRECISION_LABELS[p]}",
        )
        st.selectbox(
            "Date precision",
            (3, 2, 1),
            key=K_TIME,
            on_change=forget_jump,
            help=(
                "How well the articles pin each incident's day down. One that lasted (a "
                "blockade from 10 until 29 December) is not of a single day: it counts as "
                "'within a few days' when it lasted under a week, else as 'a month or coarser'."
            ),
            format_func=lambda p: "any" if p == 3 else f"at least: {flt.TIME_PRECISION_LABELS[p]}",
        )
        st.button("Reset filters", key="reset", on_click=reset_filters, width="stretch")


def current_window(bounds: Window) -> Window:
    value = st.session_state.get(K_WINDOW)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        try:
            return flt.clamp(Window(*value), bounds)
        except (TypeError, ValueError):
            pass
    return bounds


def set_window(window: Window) -> None:
    st.session_state[K_WINDOW] = (window.start, window.end)


def timeline_key() -> str:
    return f"timeline_{st.session_state.get(K_TIMELINE_PICKS, 0)}"


def picked_on_timeline(bounds: Window, counts: pd.DataFrame) -> None:
    """A click on a bar of the timeline: the window becomes that bar's days; a drag across
    it: the days it spans (:func:`timeline.brushed_window`). The chart is then drawn afresh (a new key), its
    selection empty, so the same bar can be clicked again once the window has moved on."""
    chosen = st.session_state.get(timeline_key())
    window = timeline.brushed_window(chosen, counts, bounds) or timeline.picked_window(chosen, bounds)
    if window is None:  # a click beside the bars
        return
    stop_playing()
    set_window(window)
    st.session_state[K_TIMELINE_PICKS] = st.session_state.get(K_TIMELINE_PICKS, 0) + 1


def note_jump(before: Window, after: Window) -> None:
    """Keep the quiet days a jump from ``before`` to ``after`` went over, for the window's
    summary to say (:func:`jumped_over`)."""
    st.session_state[K_SKIPPED] = (after, flt.skipped(before, after))


def forget_jump() -> None:
    """The window or the filters changed otherwise: what the last jump went over no longer
    holds (a filter taken away may bring incidents into those days)."""
    st.session_state.pop(K_SKIPPED, None)


def jumped_over(window: Window) -> Window | None:
    """The quiet days the jump that led to ``window`` went over, while it is shown."""
    noted = st.session_state.get(K_SKIPPED)
    return noted[1] if noted and noted[0] == window else None


def skipped_note(quiet: Window, filtered: bool) -> str:
    days = f"{quiet.start:%d %b %Y}" + ("" if quiet.days == 1 else f" – {quiet.end:%d %b %Y}")
    return (
        f":material/redo: Skipped {counted(quiet.days, 'day')} with no "
        f"incident{' that passes the filters' if filtered else ''} ({days})."
    )


def stop_playing() -> None:
    st.session_state[K_PLAYING] = False
    forget_jump()


def set_playing(
    play: bool, bounds: Window, index: selection.RowIndex, passing: np.ndarray
) -> None:
    """The Play and Pause buttons (two buttons, not a toggle: a click seen twice, or on a
    button that changed since, cannot undo itself). Play starts a window of the chosen length
    at the window's start, or at the span's start when no incident that passes the filters
    (``passing``) comes after the window."""
    if not play:
        st.session_state[K_PLAYING] = False
        return
    if st.session_state.get(K_PLAYING):
        return
    window = current_window(bounds)
    ahead = selection.first_day_after(index, passing, window.end) is not None
    set_window(flt.play_start(window, bounds, chosen_length(), more_ahead=ahead))
    st.session_state[K_PLAYING] = True


def chosen_length() -> int:
    """The window length chosen beside Play, in days."""
    return int(st.session_state.get(K_LENGTH, DEFAULT_PLAY_DAYS))


def chosen_speed() -> float:
    """The play's speed chosen beside it (1.0: one step every PLAY_STEP_SECONDS)."""
    return float(st.session_state.get(K_SPEED, 1.0))


def play_pause_seconds(speed: float) -> float:
    """The pause between two steps of a play at ``speed`` (1: PLAY_STEP_SECONDS)."""
    return PLAY_STEP_SECONDS / speed


def shift_window(
    bounds: Window, direction: int, index: selection.RowIndex, passing: np.ndarray
) -> None:
    """Move the window by its own length, or on to the nearest incidents that pass the
    filters (:func:`selection.shift_step`)."""
    stop_playing()
    window = current_window(bounds)
    after = selection.shift_step(index, passing, window, bounds, direction, length=chosen_length())
    note_jump(window, after)
    set_window(after)


def window_controls(bounds: Window, index: selection.RowIndex, passing: np.ndarray) -> Window:
    """The date slider and the play controls; returns the chosen window. ``passing``: the
    rows the filters keep (play and ◀ / ▶ go over the windows with none of them)."""
    if K_NEXT_WINDOW in st.session_state:  # the play loop's next step
        st.session_state[K_WINDOW] = st.session_state.pop(K_NEXT_WINDOW)
    set_window(current_window(bounds))
    if bounds.start == bounds.end:
        st.caption(f"All dated incidents fall on {bounds.start:%d %b %Y}.")
        return bounds
    chosen = st.slider(
        "Date window",
        min_value=bounds.start,
        max_value=bounds.end,
        step=dt.timedelta(days=1),
        format="DD MMM YYYY",  # moment.js: as the caption under it writes them, "26 Sep 2021"
        key=K_WINDOW,
        on_change=stop_playing,
        label_visibility="collapsed",
    )
    playing = bool(st.session_state.get(K_PLAYING))
    # No room left empty: at 1,000 px with the sidebar open, the main column is ~540 px and
    # any spacer cut the labels ("▶…").
    play, back, forward, length, speed = st.columns(
        [1, 1, 1, 1.15, 1.15], gap="small", vertical_alignment="center"
    )
    if playing:
        st.html(PLAYING_CSS)
        play.button(
            "Pause", key="pause", icon=":material/pause:", on_click=set_playing,
            args=(False, bounds, index, passing), type="primary", width="stretch",
            help="Stop the play here.",
        )
    else:
        play.button(
            "▶ Play", key="play", on_click=set_playing, args=(True, bounds, index, passing),
            type="primary", width="stretch",
            help=(
                "Animate a moving window across the whole span, one day per step; stretches "
                "with no incident (with these filters) are skipped."
            ),
        )
    back.button(
        "◀ Back",
        key="back",
        on_click=shift_window,
        args=(bounds, -1, index, passing),
        width="stretch",
        help="The previous window of this length with incidents (quiet ones are skipped)",
    )
    forward.button(
        "Next ▶",
        key="forward",
        on_click=shift_window,
        args=(bounds, 1, index, passing),
        width="stretch",
        help="The next window of this length with incidents (quiet ones are skipped)",
    )
    # Their values are their session state (read_url_once sets them; set again should
    # Streamlit have dropped them while no window was shown), not a default index.
    st.session_state.setdefault(K_LENGTH, DEFAULT_PLAY_DAYS)
    st.session_state.setdefault(K_SPEED, 1.0)
    length.selectbox(
        "Play window",
        WINDOW_LENGTHS,
        key=K_LENGTH,
        format_func=lambda d: counted(d, "day"),
        help=(
            "The length of the window Play moves, and of ◀ / ▶'s first window when the "
            "whole span is shown (else they move the window as it is)."
        ),
        label_visibility="collapsed",
    )
    speed.selectbox(
        "Play speed",
        PLAY_SPEEDS,
        key=K_SPEED,
        format_func=speed_label,
        label_visibility="collapsed",
        help=f"How fast the play moves: at 1×, a step every {PLAY_STEP_SECONDS:g} s.",
    )
    return flt.clamp(Window(*chosen), bounds)


def speed_label(speed: float) -> str:
    return f"{'½' if speed == 0.5 else f'{speed:g}'}× speed"


def sync_url(filters: Filters, window: Window | None, bounds: Window | None) -> None:
    """Keep the URL in step with the view, so it can be shared and reloaded."""
    wanted = flt.to_query_params(filters, window, bounds) | flt.play_query_params(
        chosen_length(), chosen_speed(), default_length=DEFAULT_PLAY_DAYS
    )
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if wanted != current:
        st.query_params.from_dict(wanted)


def stats_html(stats: tuple[tuple[str, int], ...]) -> str:
    """Counts with their labels ("incidents"), in the singular for one ("1 incident")."""
    cells = "".join(
        f'<div><div style="font-size:1.6rem;font-weight:600;line-height:1.1">{value:,}</div>'
        f'<div style="font-size:.8rem;color:#6b7280">{label[:-1] if value == 1 else label}</div></div>'
        for label, value in stats
    )
    return '<div style="display:flex;gap:1.4rem;margin:.2rem 0 .8rem 0">' + cells + "</div>"


def empty_window_advice(filters: Filters, any_dated: bool) -> str:
    """What to do when the window shows nothing: move it, or, when no dated incident passes
    the filters at all, change the filters (moving the window cannot help)."""
    if not any_dated:
        return ("No dated incident passes these filters, whatever the dates: change the filters, "
                "or reset them.")
    return ("No incidents in this window" + (" with these filters" if not filters.is_default else "")
            + ". Widen the date window, press ◀ / ▶, or reset the filters.")


def type_counts_html(per_type: dict[str, int], colours: dict[str, str]) -> str:
    """Counts per event type with the map's colours; names escaped (they come from data)."""
    rows = []
    for event_type, colour in colours.items():
        n = per_type.get(event_type, 0)
        rows.append(
            '<div style="display:flex;align-items:center;gap:.45rem;'
            f'opacity:{1 if n else 0.45};font-size:.9rem">'
            f'<span style="width:.7rem;height:.7rem;border-radius:50%;background:{colour};'
            'flex:none"></span>'
            f'<span style="flex:1">{html.escape(event_type)}</span><b>{n:,}</b></div>'
        )
    return "".join(rows)


def window_summary(
    summary: selection.Summary, undated: int, window: Window, colours: dict[str, str],
    filtered: bool = False,
) -> None:
    st.markdown(
        f"**{window.start:%d %b %Y}** → **{window.end:%d %b %Y}** · {window.days} "
        f"day{'s' if window.days != 1 else ''}"
    )
    quiet = jumped_over(window)
    if quiet is not None:
        st.caption(skipped_note(quiet, filtered))
    st.markdown(
        stats_html(
            (
                ("incidents", summary.incidents),
                ("places", summary.places),
                ("reports", summary.reports),
            )
        )
        + type_counts_html(summary.per_type, colours),
        unsafe_allow_html=True,
    )
    if undated:
        st.warning(
            f"{undated:,} undated incident{'s are' if undated != 1 else ' is'} "
            "not on the map or the timeline: see **Undated incidents** below.",
            icon="⚠️",
        )


def download_buttons(
    frame: pd.DataFrame, keep: np.ndarray, window: Window, filters: Filters
) -> None:
    """GeoJSON and CSV of the incidents on the map (the filters and the window), made only
    when a button is pressed."""
    st.caption("Download what the map shows")
    # One above the other: side by side, a narrow window cut the labels ("GeoJ…").
    st.download_button(
        "GeoJSON",
        data=lambda: export.geojson_bytes(frame[keep]),
        file_name=export.file_name(window, "geojson", filters),
        mime="application/geo+json",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
        key="download_geojson",
    )
    st.download_button(
        "CSV",
        data=lambda: export.csv_bytes(frame[keep]),
        file_name=export.file_name(window, "csv", filters),
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
        key="download_csv",
    )


TABLE_ALL_ROWS = 15  # a table this long shows every row
TABLE_ROWS_SHOWN = 12.5  # a longer one scrolls: the half row says there is more (its scroll
# bar shows only under the pointer)


def table_height(rows: int) -> int:
    """Pixels for a table of ``rows`` rows (35 each, under a 38-pixel header): all of them
    up to fifteen; beyond, twelve and a half, and it scrolls."""
    shown = max(1, rows) if rows <= TABLE_ALL_ROWS else TABLE_ROWS_SHOWN
    return round(38 + 35 * shown)


def incident_table(
    frame: pd.DataFrame, rows: np.ndarray, total: int, *, height: int | None = None,
    dated: bool = True, table: pd.DataFrame | None = None,
) -> int | None:
    """The incidents at ``rows`` (the first of ``total``, by date) as a table
    (:func:`table_frame`, unless given). A row can be selected: returns its position in
    ``frame``, or None."""
    if total > len(rows):
        st.caption(
            f"Showing the first {len(rows):,} of {total:,} incidents by date; "
            "the downloads hold them all."
        )
    if table is None:
        table = table_frame(frame, rows, dated)
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=height or "auto",
        column_config={
            "Date": st.column_config.DateColumn(format="YYYY-MM-DD", width="small"),
            "Sources": st.column_config.NumberColumn(width="small"),
            "Source titles": st.column_config.TextColumn(width="large"),
        },
        on_select="rerun",
        selection_mode="single-row",
        # A selection is kept by position: other rows (the window moved) start unselected
        # rather than select whatever incident came to that position.
        key=table_key(frame, rows, dated),
    ).selection.rows
    return frame_row(frame, table, picked)


def frame_row(frame: pd.DataFrame, table: pd.DataFrame, picked: Sequence[int]) -> int | None:
    """The position in ``frame`` of the table's selected row (``picked``: the selection's
    positions in ``table``), None without one."""
    return frame.index.get_loc(table.index[picked[0]]) if picked else None


def table_frame(frame: pd.DataFrame, rows: np.ndarray, dated: bool) -> pd.DataFrame:
    """The table of the incidents at ``rows``: where and what first, the sources, then the
    rest, by date; ``dated`` false: the undated incidents, without the date columns. Its
    index is ``frame``'s."""
    incidents = frame.iloc[rows]
    columns: dict[str, object] = {}
    if dated:
        columns["Date"] = incidents["event_date"].dt.date
        # Beside it, what the text says when that is not a day ("December 2022"): the Date
        # only places such an incident on the timeline.
        columns["Period"] = [
            flt.period_text(precision, day if isinstance(day, str) else None, start, end, lasting)
            for precision, day, start, end, lasting in zip(
                incidents["time_precision"],
                incidents["event_date"].dt.strftime("%Y-%m-%d"),
                incidents["date_start"],
                incidents["date_end"],
                incidents["lasting"],
                strict=True,
            )
        ]
    columns |= {
        "Location": incidents["location"],
        "Event type": incidents["event_type"],
        "Sub-type": incidents["sub_event_type"],
        "Sources": incidents["source_count"],
        "Source titles": incidents["source_titles"],
        "Municipality or district": incidents["admin2"],
        "Country": incidents["country"].map(popup.country_name),
        "Incident": incidents["incident_id"],
    }
    table = pd.DataFrame(columns)
    if dated:
        table = table.sort_values(["Date", "Location"], na_position="last")
    return table


def table_choice(frame: pd.DataFrame, rows: np.ndarray) -> tuple[int | None, pd.DataFrame | None]:
    """Before the window's table is drawn: the row of ``frame`` selected in it, as the
    widget kept it from the run before (None), and the table when it had to be made."""
    value = st.session_state.get(table_key(frame, rows, True))
    try:
        picked = value["selection"]["rows"]
    except (TypeError, KeyError):
        return None, None
    if not picked:
        return None, None
    table = table_frame(frame, rows, True)
    return frame_row(frame, table, picked), table


def table_key(frame: pd.DataFrame, rows: np.ndarray, dated: bool) -> str:
    """The table's widget key: the same for the same incidents, another for others, and for
    the window's table another after each popup's choice (:func:`popup_choice`)."""
    ids = "\n".join(frame["incident_id"].iloc[rows]).encode("utf-8", "surrogatepass")
    resets = f"_{st.session_state.get(K_TABLE_RESETS, 0)}" if dated else ""
    return f"table_{'dated' if dated else 'undated'}_{hashlib.blake2b(ids, digest_size=8).hexdigest()}{resets}"


ARTICLE_HEIGHT = 380  # pixels of the article's text; it scrolls


def sources_section(frame: pd.DataFrame, picked: int | None, data_dir: Path, key: str) -> None:
    """The selected incident's sources, each readable in its article (read again from where
    the build read it) with the report marked; before a selection, how to make one.
    ``key``: "dated" (the window's table, whose selection the map shows) or "undated"."""
    if picked is None:
        st.caption(
            "Select a row (the box at its left) to "
            + ("show it on the map and " if key == "dated" else "")
            + "read its sources in their articles"
            + (", or press “Read the sources in their articles” in a marker's popup." if key == "dated" else ".")
        )
        return
    props = incidents_data.feature(frame["feature"].iat[picked])["properties"]
    sources = props.get("sources") or []
    st.html(f"<b>Sources of: {html.escape(articles.incident_note(props))}</b>")
    if not sources:
        st.caption("This incident lists no source.")
        return
    number = 0
    if len(sources) > 1:
        number = st.selectbox(
            f"Source ({len(sources)})",
            range(len(sources)),
            format_func=lambda i: source_label(sources[i]),
            key=f"{key}_source_{props.get('incident_id')}",  # each incident its own choice
        ) or 0
    source = sources[number]
    st.html(source_heading(source))
    try:
        read_source(frame, props, source, data_dir)
    except DataFileError as error:
        # The path and the problem come from the data: HTML, escaped, not Markdown
        st.warning("**The article cannot be shown.**", icon="⚠️")
        st.html(
            f"<div><code>{html.escape(error.path)}</code> {html.escape(error.problem)}</div>"
            + (
                "<small>What the build quoted from it:</small><blockquote>"
                f"{html.escape(str(source['quote']))}</blockquote>"
                if source.get("quote")
                else ""
            )
        )


def show_page(page: str, height: int) -> None:
    """A whole HTML page (scripts run) in a scrolling frame: ``st.iframe`` where Streamlit has
    it; ``components.html``, deprecated since and to be removed, in older releases."""
    if hasattr(st, "iframe"):
        st.iframe(page, height=height)
    else:
        components.html(page, height=height, scrolling=True)


def source_label(source: dict) -> str:
    parts = [str(source.get("title") or source.get("article_id") or "untitled article")]
    parts += [str(source[k]) for k in ("outlet", "published") if source.get(k)]
    return " · ".join(parts)


def source_heading(source: dict) -> str:
    """The source's title (a link when it has a web address), outlet and date, as HTML."""
    byline = popup.byline_html(source)
    return f"<div><b>{popup.title_html(source)}</b>" + (f" — {byline}" if byline else "") + "</div>"


def read_source(frame: pd.DataFrame, props: dict, source: dict, data_dir: Path) -> None:
    """The article of ``source`` with its marks; DataFileError when it cannot be read."""
    article_id = str(source.get("article_id"))
    report_path = data_dir / buildreport.REPORT_FILE
    entry = article_entry(*incidents_data.file_signature(report_path), article_id)
    if entry is None:
        raise DataFileError(
            str(report_path), f"does not list the article {article_id!r}: it is from another build"
        )
    if articles.source_span(source) is None:
        raise DataFileError(
            str(incidents_data.incidents_path(data_dir)),
            "gives this source no position in its article (char_start, char_end, mention)",
        )
    path = articles.locate(entry.path, entry.working_dir, [Path.cwd(), data_dir.parent])
    line = articles.article_line(entry.path)
    text = article_text(*incidents_data.file_signature(path), article_id, line)
    same = frame["incident_id"].isin(entry.incidents).to_numpy()
    others = [incidents_data.feature(f)["properties"] for f in frame["feature"].to_numpy()[same]]
    marks, misfits = articles.fitting(
        text, articles.source_marks(article_id, source, props, others, entry.dropped)
    )
    if any(m.kind == articles.CHOSEN for m in misfits):
        raise DataFileError(
            str(path), "has changed since the build: the report is not where it was. Rebuild "
            "to read it here."
        )
    show_page(articles.article_page(text, marks), ARTICLE_HEIGHT)
    st.html(
        f'<div style="font-size:0.85rem;color:#6b6f76">From {articles.where_html(path, line)}. '
        "Yellow: this report · green: the article's other incidents · dotted: places it "
        "names that gave no incident there (hover a mark for why)."
        + (f" {counted(len(misfits), 'mark')} left out: the file changed since the build." if misfits else "")
        + "</div>"
    )


def show_map(
    dataset: incidents_data.IncidentData,
    signature: tuple[str, int, int],
    colours: dict[str, str],
    filters_key: tuple,
    window: Window,
    passing: np.ndarray,
    keep: np.ndarray,
    focus: int | None = None,
    fit: tuple[tuple[float, float], tuple[float, float]] | None = None,
) -> bool:
    """The map of the window, showing the incident at row ``focus`` (selected in the table)
    when there is one, and the bounds ``fit`` when they change; returns True once the map
    in the browser has told the app it drew its incidents (or could not load them): see
    rest_waits_for_map."""
    if not st.get_option("server.enableStaticServing"):
        st.error(
            "The map needs Streamlit's static file serving, which is off. Start the dashboard "
            "with `incident-map dashboard`, or add `--server.enableStaticServing true` to "
            "`streamlit run`."
        )
        return True
    colours_key = tuple(colours.items())
    data = map_file(signature, colours_key)
    details = None
    if not data.with_sources and keep.any():
        details = window_details(signature, filters_key, (window.start, window.end))
    # publish on every run: cheap, and it keeps the file served (see dashboard.datafiles)
    args = map_component(
        signature,
        colours_key,
        datafiles.publish(data.file_name, data.body),
        datafiles.publish(*shapes_file()),
    )
    view = mapview.IncidentView(
        mapdata.view_data(passing, (window.start, window.end), keep, details, focus, fit)
    )
    # st_folium(fmap, key=MAP_KEY, feature_group_to_add=view, ...) minus re-rendering the
    # fixed map: the same component, the same arguments (mapview.component_args).
    told = streamlit_folium._component_func(
        **args, feature_group=mapview.feature_group_script(view)
    )
    if not (data.with_sources or view.with_details):
        st.caption(
            f"{view.count:,} incidents in this window: popups show place, date and type; "
            "narrow the window or the filters to read the sources and quotes on the map."
        )
    st.session_state[K_MAP_KEY] = args["key"]  # the next run reads the map's value before the map
    return isinstance(told, dict) and told.get("incident_map") in ("drawn", "failed")


def popup_choice(frame: pd.DataFrame, keep: np.ndarray, table_pick: int | None) -> int | None:
    """The incident (its row of ``frame``) whose sources a popup's "Read the sources" button
    asked for, while that is the latest choice: until a row is selected in the table
    (``table_pick``: its selection, read before the table and the map are drawn), or the
    incident leaves the window or the filters (``keep``) or the data. A new request says where
    to look and clears the table's selection, if any (the table is then drawn under a new
    key): neither the table nor the map stays on another incident, and one click on any row
    takes over. Called before the map, from the map's latest value (the click's rerun)."""
    map_key = st.session_state.get(K_MAP_KEY)
    told = st.session_state.get(map_key) if map_key else None
    wanted, seq = (told.get("read"), told.get("seq")) if isinstance(told, dict) else (None, None)
    chosen = st.session_state.get(K_POPUP_CHOICE)  # (seq, incident id or None)
    fresh = isinstance(wanted, str) and seq is not None and (chosen is None or chosen[0] != seq)
    if fresh:
        chosen = (seq, wanted)
    if chosen is None or chosen[1] is None:
        return None
    rows = np.flatnonzero(frame["incident_id"].to_numpy() == chosen[1])  # by id: the file may change
    if (table_pick is not None and not fresh) or not len(rows) or not keep[rows[0]]:
        st.session_state[K_POPUP_CHOICE] = (chosen[0], None)  # a row chosen since, or gone
        if fresh:
            st.toast("That incident is no longer in the window: move the window or the filters to it.",
                     icon=":material/info:")
        return None
    st.session_state[K_POPUP_CHOICE] = chosen
    if fresh:
        if table_pick is not None:
            st.session_state[K_TABLE_RESETS] = st.session_state.get(K_TABLE_RESETS, 0) + 1
        st.toast("Its sources and their articles are below the table of incidents.", icon=":material/article:")
    return int(rows[0])


def play_next_step(
    window: Window, bounds: Window, index: selection.RowIndex, passing: np.ndarray
) -> None:
    """While playing, wait a moment and move the window one day on, or past the quiet days
    to the next incident that passes the filters (then rerun)."""
    time.sleep(play_pause_seconds(chosen_speed()))
    step = selection.play_step(index, passing, window, bounds)
    if step is None:
        st.session_state[K_PLAYING] = False
    else:
        note_jump(window, step)
        st.session_state[K_NEXT_WINDOW] = (step.start, step.end)
    st.rerun(scope="fragment")  # called from window_view: the next step reruns only it


# --- the page ---------------------------------------------------------------------------


# The filters' lists as wide as an article's label (filters.article_options) rather than the
# sidebar, whose width cut off its outlet, date and count. The container query: the window's
# summary and downloads beside the map, under it where the page is too narrow for both (a
# small window, or the sidebar open on a laptop), as Streamlit itself stacks columns only on
# a phone's width.
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"], .block-container {padding-top: 2.2rem; padding-bottom: 2rem}
[data-testid="stSidebarHeader"] {height: 1rem}
[data-testid="stMultiSelectDropdown"] {width: max(var(--trigger-width), min(32rem, 92vw)) !important}
[data-testid="stMultiSelectDropdown"] [role="presentation"] {width: 100% !important}
.st-key-map_and_side {container-type: inline-size}
@container (max-width: 760px) {
  .st-key-map_and_side [data-testid="stHorizontalBlock"] {flex-wrap: wrap}
  .st-key-map_and_side [data-testid="stColumn"] {flex: 1 1 100% !important; min-width: 100%}
}
</style>"""
# While playing, each step reruns the window's fragment before its run ends, so Streamlit
# never removes the Play button the Pause button replaced: it stayed under it, faded, and
# pushed the map down for the whole play. Only while playing (a stale Play button is
# otherwise the one being redrawn).
PLAYING_CSS = '<style>.st-key-play[data-stale="true"] {display: none}</style>'


def main() -> None:
    st.set_page_config(page_title="Incident map", page_icon="🗺️", layout="wide")
    st.session_state[K_FULL_RUN] = True
    st.html(PAGE_CSS)
    data_dir = incidents_data.data_dir_from_env()
    path = incidents_data.incidents_path(data_dir)
    try:
        signature = incidents_data.file_signature(path)
        dataset = load_dataset(*signature)
    except DataFileError as error:
        show_data_problem(error, data_dir)
        return
    try:
        dashboard(dataset, signature, data_dir)
    except Exception as error:  # the page says what went wrong instead of a traceback
        LOG.exception("dashboard failed")
        st.error(
            f"**Something went wrong while drawing the dashboard** ({type(error).__name__}: "
            f"{error}). The details are in the terminal running the dashboard. Rebuilding the "
            "data may help:"
        )
        build_hint(data_dir)


def dashboard(
    dataset: incidents_data.IncidentData, signature: tuple[str, int, int], data_dir: Path
) -> None:
    bounds = flt.span(dataset.frame)
    read_url_once(dataset, bounds)
    filters = chosen_filters(dataset, signature)
    waiting = False
    try:
        waiting = main_area(dataset, signature, data_dir, filters, bounds)
    except Exception:
        # main shows the error: there is no map to wait for, the page is drawn whole
        st.session_state[K_PAGE_WHOLE] = True
        waiting = False
        raise
    finally:
        # The sidebar is written after the map: Streamlit sends elements in the order the
        # script writes them, and at 100,000 incidents the filters' option lists (every
        # place and article) are a 1.7 MB message that the browser decodes and renders on
        # the same thread as the map's iframe. Its widgets' values were read above.
        if waiting:
            with st.sidebar:
                st.caption("The filters appear as soon as the map is drawn.")
        else:
            sidebar_filters(signature, filters)
            with st.sidebar:
                st.divider()
                st.caption(
                    f"Data: `{dataset.path}` · {len(dataset.frame):,} incidents · "
                    f"{len(dataset.articles):,} articles · {len(dataset.places):,} places"
                )
                try:
                    build_report_section(dataset)
                except Exception:  # not to hide main_area's error, if any
                    LOG.exception("the build report section failed")
                    st.caption("⚠️ The build's report could not be shown (details in the terminal).")


REPORT_MAX_ROWS = 500


def build_report_section(dataset: incidents_data.IncidentData) -> None:
    """What the build said about its inputs (report.json beside the data): how many gave
    articles, and the ones that failed or warned, with why."""
    path = dataset.path.parent / buildreport.REPORT_FILE
    report = build_report(*incidents_data.file_signature(path))
    if isinstance(report, str):
        st.caption(f"⚠️ The build's report is unusable: {report}")
        return
    if report is None:
        return
    same_build = report.incidents == len(dataset.frame)
    quiet = report.quiet_count
    st.caption(
        report.summary()
        + (f" {quiet:,} of the articles reported no incident (below: why)." if quiet and same_build else "")
    )
    if not same_build:
        st.caption(
            f"⚠️ `{buildreport.REPORT_FILE}` counts {report.incidents:,} incidents, the data "
            f"{len(dataset.frame):,}: it is from another build."
        )
    sections = (
        (report.failed, len(report.failed), "Inputs that failed"),
        (report.quiet if same_build else (), report.quiet_count, "Articles with no incident"),
        (report.warned, len(report.warned), "Warnings"),
    )
    for problems, count, title in sections:
        if problems:
            with st.expander(f"{title} ({count:,})", expanded=problems is report.failed):
                st.html(problems_html(problems, REPORT_MAX_ROWS, report.path, count))


def problems_html(
    problems: Sequence[buildreport.Problem], limit: int, report_path: Path, count: int | None = None
) -> str:
    """A scrolling list: each input's file name (its whole path on hover) and the problem
    (the first ``limit`` of the ``count``, by default all of ``problems``)."""
    count = len(problems) if count is None else count
    items = "".join(
        f'<li title="{html.escape(p.path)}"><b>{html.escape(Path(p.path).name or p.path)}</b>: '
        f"{html.escape(p.problem)}</li>"
        for p in problems[:limit]
    )
    more = (
        f"<p>The first {min(limit, len(problems)):,}; all are in <code>{html.escape(str(report_path))}</code>.</p>"
        if count > min(limit, len(problems))
        else ""
    )
    return (
        '<div style="max-height:18rem;overflow-y:auto;font-size:0.85rem;overflow-wrap:anywhere">'
        f'<ul style="padding-left:1.1rem;margin:0">{items}</ul>{more}</div>'
    )


def rest_waits_for_map() -> bool:
    """Whether this run, about to draw the map, sends it first and the rest of the page once
    the map is drawn.

    On a session's first run the browser renders the whole page at once, on the one main
    thread the map's iframe shares: at 100,000 incidents the sidebar's filters (every place
    and article: 1.7 MB), the two 2,000-row tables, the timeline's chart and the window's
    counts and download buttons delayed the map by about two seconds. So that run sends the
    title, the window's controls and the map, keeping the chart's room; the map tells the app
    when it has drawn (``static/incident_map.js``), and the app reruns with everything
    (:func:`window_view`; a button does the same should the map never say so). A page with
    no map to wait for (no incidents, none dated, static serving off) is whole at once, and
    so is every later run of the session.
    """
    if st.session_state.get(K_PAGE_WHOLE):
        return False
    if not st.get_option("server.enableStaticServing"):  # show_map says so instead
        st.session_state[K_PAGE_WHOLE] = True
        return False
    return True


def show_whole_page() -> None:
    st.session_state[K_PAGE_WHOLE] = True


def main_area(
    dataset: incidents_data.IncidentData,
    signature: tuple[str, int, int],
    data_dir: Path,
    filters: Filters,
    bounds: Window | None,
) -> bool:
    """The page's main area; returns whether the rest of the page waits for the map
    (:func:`rest_waits_for_map`)."""
    frame = dataset.frame
    colours = type_colours(dataset.event_types)
    title, meta = st.columns([2, 3], vertical_alignment="bottom")
    title.title("Incident map")
    if bounds is not None:
        meta.caption(
            f"{counted(len(frame), 'incident')} from {counted(len(dataset.articles), 'article')}, "
            f"{bounds.start:%d %b %Y} – {bounds.end:%d %b %Y}. Click a point for its sources; "
            "click a bar of the timeline, or drag across it, for those days."
        )

    if frame.empty:
        st.info(
            f"**The incidents file `{dataset.path}` holds no incidents.** The build found "
            "nothing to map in its articles. Add articles and rebuild:"
        )
        build_hint(data_dir)
        sync_url(filters, None, None)
        return False

    filters_key = dataclasses.astuple(filters)  # a hashable cache key
    index = row_index(*signature)
    passing = filter_mask(signature, filters_key)
    undated = passing & ~index.dated
    if bounds is None:
        st.warning(
            f"None of the {len(frame):,} incidents has a date, so there is no timeline and "
            "nothing to place in a date window. They are listed below."
        )
        sync_url(filters, None, None)
        undated_section(frame, index, undated, dataset.path.parent)
        return False

    waiting = rest_waits_for_map()
    window_view(dataset, signature, filters, colours, bounds, waiting)
    if not waiting:
        undated_section(frame, index, undated, dataset.path.parent)
    return waiting


# A fragment: moving the window (the slider, ◀ / ▶, play) reruns only this function, so a
# step neither rebuilds nor re-sends the rest of the page. The sidebar's filters in
# particular list every place and article (tens of thousands of options at 100,000
# incidents), and redrawing them cost the browser about half a second a step. A filter
# change still reruns the whole page, which calls this again with the new filters.
@st.fragment
def window_view(
    dataset: incidents_data.IncidentData,
    signature: tuple[str, int, int],
    filters: Filters,
    colours: dict[str, str],
    bounds: Window,
    waiting: bool = False,
) -> None:
    """The window's controls, map, summary, timeline and table. ``waiting``: this is the
    session's first run, whose page waits for the map before the rest
    (:func:`rest_waits_for_map`). A fragment rerun gets the arguments of the last full run:
    the map's message (or the button) then reruns the whole page."""
    full_run = st.session_state.pop(K_FULL_RUN, False)
    if waiting and st.session_state.get(K_PAGE_WHOLE):
        st.rerun()  # "Show them now": the whole page at once, before drawing this part again
    if full_run and st.session_state.get(K_PLAYING):
        # A run of the whole page (a filter changed, the page became whole) ends the play:
        # its steps are fragment reruns, which only a fragment rerun can ask for.
        stop_playing()
    frame = dataset.frame
    filters_key = dataclasses.astuple(filters)
    index = row_index(*signature)
    passing = filter_mask(signature, filters_key)
    # The chart's room, kept while it waits for the map and while its script loads: the
    # map below does not move when it comes.
    timeline_box = st.container(height=TIMELINE_HEIGHT, border=False)
    if waiting:
        with timeline_box:
            st.caption(
                "The timeline, the window's counts and downloads, the table of incidents and "
                "the filters appear as soon as the map is drawn."
            )
            st.button("Show them now", key="show_whole_page", on_click=show_whole_page)
    window = window_controls(bounds, index, passing)
    sync_url(filters, window, bounds)
    keep = passing & selection.window_mask(index, window)
    summary = selection.summarise(index, keep)

    # The map is written first, the chart last: the browser handles the messages in order,
    # so a step's new view reaches the map before the chart and the table are redrawn.
    # The table's selected row, if any, is shown on the map too (the table comes later).
    rows, focus, table, from_popup = None, None, None, None
    if not waiting:
        rows = selection.table_rows(index, keep, TABLE_MAX_ROWS)
        focus, table = table_choice(frame, rows)
        from_popup = popup_choice(frame, keep, focus)
        if from_popup is not None:  # the table's selection, if any, was cleared for it
            focus, table = None, None
    # A place filter brings its places into view (the map fits them once, when they change).
    fit = places_bounds(signature, filters_key) if filters.places else None
    map_column, side_column = st.container(key="map_and_side").columns([3.3, 1], gap="medium")
    with map_column:
        drawn = show_map(
            dataset, signature, colours, filters_key, window, passing, keep, focus, fit
        )
    if waiting and drawn and not st.session_state.get(K_PLAYING):
        # The whole page (the sidebar is outside this fragment). Not while playing: a run of
        # the whole page ends the play, so the page is made whole when the play stops.
        st.session_state[K_PAGE_WHOLE] = True
        st.rerun()
    if not waiting:
        with side_column:
            if not summary.incidents:  # beside the map, not above it: the map does not move
                st.info(empty_window_advice(filters, bool(np.count_nonzero(passing & index.dated))))
            undated = int(np.count_nonzero(passing & ~index.dated))
            window_summary(summary, undated, window, colours, not filters.is_default)
            download_buttons(frame, keep, window, filters)
            if not filters.is_default:
                st.caption(
                    f"Filters are on: {int(np.count_nonzero(passing)):,} of {len(frame):,} "
                    "incidents pass."
                )
        with timeline_box:
            counts = daily_counts(signature, filters_key)
            st.vega_lite_chart(
                spec=timeline.timeline_spec(
                    counts, colours, bounds, window, height=TIMELINE_HEIGHT
                ),
                width="stretch",
                key=timeline_key(),
                on_select=functools.partial(picked_on_timeline, bounds, counts),
            )
        st.subheader(f"Incidents in the window ({summary.incidents:,})")
        assert rows is not None
        picked = incident_table(
            frame, rows, summary.incidents, height=table_height(summary.incidents), table=table
        )
        sources_section(frame, picked if from_popup is None else from_popup, dataset.path.parent, "dated")

    if st.session_state.get(K_PLAYING):
        play_next_step(window, bounds, index, passing)


def undated_section(
    frame: pd.DataFrame, index: selection.RowIndex, undated: np.ndarray, data_dir: Path
) -> None:
    total = int(np.count_nonzero(undated))
    st.subheader(f"Undated incidents ({total:,})")
    if not total:
        st.caption("Every incident that passes the filters has a date.")
        return
    st.caption(
        "The articles did not pin these incidents to a day, so they are on neither the "
        "timeline nor the map. They still pass the filters above."
    )
    rows = selection.table_rows(index, undated, TABLE_MAX_ROWS)
    picked = incident_table(frame, rows, total, height=table_height(total), dated=False)
    sources_section(frame, picked, data_dir, "undated")


if __name__ == "__main__":
    main()
