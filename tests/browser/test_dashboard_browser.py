"""The dashboard in a real headless Chromium against a real ``streamlit run`` server.

What only a browser shows: Leaflet loads with no internet, the map's markers match the
window, moving the window swaps the markers without remounting the map, popups show the
sources, hostile article text runs nothing, downloads hold the window, and no request
leaves this machine. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from dashboard import filters as flt
from dashboard.data import load_incidents

from .conftest import ROOT, start_server
from .datasets import (
    HOSTILE_ID,
    LASTING_ID,
    MULTI_SOURCE_ID,
    XSS_EVENT_TYPE,
    XSS_QUOTE,
    XSS_TITLE,
    countrywide_collection,
    lasting_collection,
    small_collection,
    write_collection,
)

pytestmark = pytest.mark.browser

MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
LOAD_TIMEOUT_MS = 120_000

# JavaScript run inside the map's iframe.
COUNT_MARKERS = """() => {
    if (!window.map || !window.L || !L.MarkerClusterGroup) return -1;
    let clusters = 0, markers = 0;
    for (const id in window.map._layers) {
        const layer = window.map._layers[id];
        if (layer instanceof L.MarkerClusterGroup) { clusters += 1; markers += layer.getLayers().length; }
    }
    return clusters ? markers : -1;
}"""
SHOW_MARKER = """async (incidentId) => {
    let cluster = null;
    for (const id in window.map._layers) {
        if (window.map._layers[id] instanceof L.MarkerClusterGroup) cluster = window.map._layers[id];
    }
    const marker = cluster.getLayers().find((m) => m.options.incidentId === incidentId);
    if (!marker) return null;
    const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let tries = 0; tries < 3 && !window.map.hasLayer(marker); tries++) {
        // zoomToShowLayer waits for a marker icon that canvas circles do not have: time it out
        await Promise.race([new Promise((r) => cluster.zoomToShowLayer(marker, r)), wait(2500)]);
    }
    window.map.setView(marker.getLatLng(), window.map.getZoom(), { animate: false });
    await wait(300);
    if (!window.map.hasLayer(marker)) return null;
    const point = window.map.latLngToContainerPoint(marker.getLatLng());
    const box = window.map.getContainer().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""
STYLES_LOADED = """() => {
    const links = [...document.querySelectorAll("link[rel=stylesheet]")];
    return links.some((link) => link.href.includes("incident_map.css"))
        && links.every((link) => link.sheet !== null);
}"""
RECORD_SKIP_NOTES = """() => {
    window.__skipNotes = [];
    new MutationObserver(() => {
        for (const el of document.querySelectorAll("[data-testid='stCaptionContainer']")) {
            const text = el.innerText.replace(/^redo\\s*/, "").trim();
            if (text.startsWith("Skipped") && !window.__skipNotes.includes(text)) window.__skipNotes.push(text);
        }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
}"""
# Every date window the page's address shows, in order, as the app writes it (a step at 4×
# lasts 0.25 s: polling the address from the test can miss one on a busy machine).
RECORD_URL_WINDOWS = """() => {
    window.__urlWindows = [];
    const note = () => {
        const q = new URLSearchParams(location.search), w = [q.get("from"), q.get("to")];
        const last = window.__urlWindows[window.__urlWindows.length - 1];
        if (w[0] && !(last && last[0] === w[0] && last[1] === w[1])) window.__urlWindows.push(w);
    };
    for (const name of ["pushState", "replaceState"]) {
        const original = history[name].bind(history);
        history[name] = (...args) => { const r = original(...args); note(); return r; };
    }
    note();
}"""
SET_SENTINELS = """() => {
    window.__sentinel = "kept";
    window.map.__sentinel = "kept";
    document.body.dataset.sentinel = "kept";
}"""
READ_SENTINELS = """() => [window.__sentinel, window.map && window.map.__sentinel,
                      document.body.dataset.sentinel]"""


# --- helpers --------------------------------------------------------------------------------


def map_frame(page):
    page.wait_for_selector(MAP_IFRAME, state="attached", timeout=LOAD_TIMEOUT_MS)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium.st_folium" in frame.url:
                frame.wait_for_function(
                    "() => window.map && window.IncidentMap", timeout=LOAD_TIMEOUT_MS
                )
                # streamlit-folium adds the stylesheets' links from script and does not
                # wait for them: until they load, the legend is a block under the map.
                frame.wait_for_function(STYLES_LOADED, timeout=LOAD_TIMEOUT_MS)
                return frame
        page.wait_for_timeout(100)
    raise AssertionError("the map's iframe never loaded")


def marker_count(frame) -> int:
    return frame.evaluate(COUNT_MARKERS)


def wait_for_markers(frame, expected: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    count = marker_count(frame)
    while count != expected and time.monotonic() < deadline:
        frame.page.wait_for_timeout(200)
        count = marker_count(frame)
    if count == expected:
        # and the map's fits done: the opening view waits for the stylesheet (IncidentMap.fit)
        frame.wait_for_function("() => !window.map || !window.map._imFitsPending",
                                timeout=max(1.0, deadline - time.monotonic()) * 1000)
        return
    state = frame.evaluate(
        "() => window.IncidentMap && [IncidentMap.sliderWindow(), IncidentMap.view.window,"
        " IncidentMap.view.source, IncidentMap.view.seq, IncidentMap.view.done,"
        " IncidentMap.view.rerun]"
    )
    raise AssertionError(
        f"{count} markers on the map, expected {expected} (URL {frame.page.url}; slider"
        f" window, map window, source, seq, done, latest rerun: {state})"
    )


def wait_for_map_on_url_window(page, frame, data_dir: Path, timeout_s: float = 60):
    """Wait until the map shows exactly the incidents of the window in the URL (read again
    on every try: a rerun may still move it); returns that window."""
    deadline = time.monotonic() + timeout_s
    while True:
        window = url_window(page)
        expected = len(expected_in_window(data_dir, window))
        if marker_count(frame) == expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    wait_for_markers(frame, expected, timeout_s=1)  # fails with the map's state if still off
    return window


def open_dashboard(page, url: str):
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    page.get_by_text("Incident map", exact=True).first.wait_for(timeout=LOAD_TIMEOUT_MS)
    return map_frame(page)


def url_window(page) -> tuple[dt.date, dt.date] | None:
    query = parse_qs(urlsplit(page.url).query)
    if "from" not in query:
        return None
    return dt.date.fromisoformat(query["from"][0]), dt.date.fromisoformat(query["to"][0])


def recorded_url_windows(page) -> list[tuple[dt.date, dt.date]]:
    """The windows the address showed since RECORD_URL_WINDOWS, in order."""
    return [(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in page.evaluate("() => window.__urlWindows")]


def wait_for_url_window(page, previous, timeout_s: float = 30):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        window = url_window(page)
        if window is not None and window != previous:
            return window
        page.wait_for_timeout(100)  # (not time.sleep: Playwright must process events)
    raise AssertionError(f"the window in the URL stayed {previous}")


def expected_in_window(data_dir: Path, window) -> set[str]:
    frame = load_incidents(data_dir / "incidents.geojson").frame
    if window is not None:
        frame = flt.in_window(frame, flt.Window(*window))
    else:
        frame = flt.dated(frame)
    return set(frame["incident_id"])


def click_marker(page, frame, incident_id: str) -> None:
    """Bring the incident's marker into view and click it with the mouse."""
    point = frame.evaluate(SHOW_MARKER, incident_id)
    assert point is not None, f"no marker for {incident_id}"
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    frame.wait_for_selector(".leaflet-popup-content", timeout=10_000)


def settle(page, seconds: float = 1.0) -> None:
    """Wait until Streamlit has finished its rerun."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(int(seconds * 1000))


# --- the small dataset ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_data_dir(tmp_path_factory) -> Path:
    return write_collection(tmp_path_factory.mktemp("small") / "data", small_collection())


@pytest.fixture(scope="module")
def small_server(small_data_dir):
    yield from start_server(small_data_dir, small_data_dir.parent)


def test_map_draws_offline_and_nothing_leaves_localhost(
    small_server, small_data_dir, page_and_log, artifacts
):
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url)
    assert frame.evaluate("() => L.version") == "1.9.4"
    assert frame.evaluate("() => typeof L.markerClusterGroup") == "function"
    wait_for_markers(frame, len(expected_in_window(small_data_dir, None)))
    assert frame.locator(".im-legend").inner_text().count("\n") >= 5
    assert "Protests" in frame.locator(".im-legend").inner_text()
    settle(page)
    page.screenshot(path=str(artifacts / "dashboard-small.png"))
    assert log.requests, "no request was recorded at all?"
    assert not log.foreign_hosts(), f"requests left this machine: {log.foreign_hosts()}"
    assert any("/app/static/vendor/leaflet-1.9.4/leaflet.js" in u for u in log.requests)
    assert not log.errors, log.errors


def test_moving_the_slider_swaps_markers_without_remounting_the_map(
    small_server, small_data_dir, page_and_log
):
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    settle(page)
    frame.evaluate(SET_SENTINELS)

    start_thumb = page.get_by_role("slider").first
    start_thumb.focus()
    page.keyboard.press("End")  # the start of the window jumps to the last day
    window = wait_for_url_window(page, None)
    expected = expected_in_window(small_data_dir, window)
    assert len(expected) < 11
    wait_for_markers(frame, len(expected))

    page.get_by_role("slider").first.focus()
    page.keyboard.press("Home")  # and back to the first day: the whole span again
    page.keyboard.press("PageDown")
    settle(page)
    wait_for_markers(frame, len(expected_in_window(small_data_dir, url_window(page))))

    assert not frame.is_detached()
    assert frame.evaluate(READ_SENTINELS) == ["kept", "kept", "kept"]
    assert page.locator(MAP_IFRAME).count() == 1
    assert not log.errors, log.errors


# Recorded in Streamlit's page (not the map's iframe), from the first moment: when the map's
# message reached the page (before Streamlit handles it: this listener comes first), with the
# map's iframe and its place then, a sentinel left in it; and when the window's table and the
# sidebar's filters appeared.
RECORD_ARRIVALS = """(() => {
    if (window !== window.top) return;
    const seen = (window.__arrivals = {});
    window.addEventListener("message", (e) => {
        const v = e.data && e.data.value;
        if (!(v && v.incident_map) || seen.told) return;
        seen.told = performance.now();
        window.__toldIframe = document.querySelector("iframe[title='streamlit_folium.st_folium']");
        seen.top = window.__toldIframe.getBoundingClientRect().y;
        window.__toldIframe.contentWindow.__toldSentinel = "kept";
    }, true);
    new MutationObserver(() => {
        const now = performance.now();
        if (!seen.table && document.querySelector("[data-testid='stDataFrame']")) seen.table = now;
        if (!seen.filters && document.querySelector("[data-testid='stSidebar'] [data-testid='stMultiSelect']"))
            seen.filters = now;
    }).observe(document, { childList: true, subtree: true });
})();"""
# Drops the map's message to the app, as if the map never said it was drawn (until the page
# sets window.__letTheMapSpeak).
SWALLOW_THE_MAP_MESSAGE = """window.addEventListener("message", (e) => {
    const v = e.data && e.data.value;
    if (v && v.incident_map && !window.__letTheMapSpeak) e.stopImmediatePropagation();
}, true);"""
# The map's message, sent again from the map's iframe (as incident_map.js sends it).
TELL_THE_APP = """() => window.parent.postMessage({isStreamlitMessage: true,
    type: "streamlit:setComponentValue", value: {incident_map: "drawn"}, dataType: "json"}, "*")"""


def test_the_map_comes_first_and_the_rest_of_the_page_after_it(
    small_server, small_data_dir, page_and_log
):
    """A session's first run sends the map without the table, the timeline and the filters;
    once the map has drawn it tells the app, which reruns with the whole page, and the map
    stays as it is (not remounted, not moved)."""
    page, log = page_and_log
    page.add_init_script(RECORD_ARRIVALS)
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    page.wait_for_function(
        "() => window.__arrivals.table && window.__arrivals.filters", timeout=LOAD_TIMEOUT_MS
    )
    settle(page)
    arrivals = page.evaluate("() => window.__arrivals")
    assert frame.evaluate("() => IncidentMap.view.told") == "drawn"
    assert arrivals["told"] < arrivals["table"] and arrivals["told"] < arrivals["filters"], arrivals
    assert page.locator("[data-testid='stVegaLiteChart']").count() == 1
    assert page.get_by_text("appear as soon as the map is drawn").count() == 0
    # the iframe the map told from is still the map, not remounted, at the same place
    assert page.evaluate(
        f"""() => {{
            const now = document.querySelector("{MAP_IFRAME}");
            return [now === window.__toldIframe, now.contentWindow.__toldSentinel,
                    now.getBoundingClientRect().y];
        }}"""
    ) == [True, "kept", arrivals["top"]]
    wait_for_markers(frame, 11)
    assert not log.errors, log.errors


def test_a_button_shows_the_rest_of_the_page_should_the_map_not_say_it_is_drawn(
    small_server, small_data_dir, page_and_log
):
    page, log = page_and_log
    page.add_init_script(SWALLOW_THE_MAP_MESSAGE)
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    settle(page)
    assert frame.evaluate("() => IncidentMap.view.told") == "drawn"  # sent, and swallowed
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    frame.evaluate(SET_SENTINELS)
    page.get_by_role("button", name="Show them now").click()
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(
        "[data-testid='stSidebar'] [data-testid='stMultiSelect']", timeout=LOAD_TIMEOUT_MS
    )
    settle(page)
    assert frame.evaluate(READ_SENTINELS) == ["kept", "kept", "kept"]
    wait_for_markers(frame, 11)
    assert not log.errors, log.errors


def test_a_page_that_plays_is_made_whole_when_the_play_stops(
    small_server, small_data_dir, page_and_log
):
    """Play steps are fragment reruns, and a run of the whole page ends the play: the map's
    message during a play does not make the page whole (the play goes on); the pause does."""
    page, log = page_and_log
    page.add_init_script(SWALLOW_THE_MAP_MESSAGE)
    frame = open_dashboard(page, small_server.url + "?from=2022-12-08&to=2022-12-31")
    wait_for_markers(frame, len(expected_in_window(small_data_dir, url_window(page))))
    settle(page)
    page.evaluate(RECORD_URL_WINDOWS)
    page.get_by_role("button", name="▶ Play").click()
    first = wait_for_url_window(page, (dt.date(2022, 12, 8), dt.date(2022, 12, 31)))
    page.evaluate("() => { window.__letTheMapSpeak = true; }")
    frame.evaluate(TELL_THE_APP)
    second = wait_for_url_window(page, first)
    wait_for_url_window(page, second)  # still playing: the window after it is a day on
    shown = recorded_url_windows(page)
    assert shown[shown.index(second) + 1][0] == second[0] + dt.timedelta(days=1), shown
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    page.get_by_role("button", name="Pause").click()
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
    settle(page)
    window = wait_for_map_on_url_window(page, frame, small_data_dir)
    page.wait_for_timeout(2000)
    assert url_window(page) == window, "the window still moves after the pause"
    assert page.get_by_role("button", name="▶ Play").count() == 1
    assert not log.errors, log.errors


class HeldSocket:
    """Streamlit's websocket, relayed through Playwright so the test can hold what the
    server sends (the rerun's messages) while the page goes on."""

    def __init__(self, page) -> None:
        self.holding = False
        self.held: list = []
        self.page_side = None
        page.route_web_socket("**/_stcore/stream", self._connect)

    def _connect(self, ws) -> None:
        server = ws.connect_to_server()
        self.page_side = ws
        ws.on_message(server.send)  # the page to the server: always through

        def to_page(message) -> None:
            if self.holding:
                self.held.append(message)
            else:
                ws.send(message)

        server.on_message(to_page)

    def release(self) -> int:
        self.holding = False
        held, self.held = self.held, []
        for message in held:
            self.page_side.send(message)
        return len(held)


def slider_window(frame) -> tuple[dt.date, dt.date]:
    first, last = frame.evaluate("() => IncidentMap.sliderWindow()")
    epoch = dt.date(1970, 1, 1)
    return epoch + dt.timedelta(days=first), epoch + dt.timedelta(days=last)


def test_the_map_follows_the_slider_before_the_rerun_arrives(
    small_server, small_data_dir, page_and_log
):
    """A slider step redraws the map in the browser, from the slider itself; the rerun's
    view, when it comes, selects the same incidents."""
    page, log = page_and_log
    socket = HeldSocket(page)
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    settle(page)
    before = frame.evaluate("() => IncidentMap.view.rerun.seq")

    socket.holding = True  # from here on, nothing the server sends reaches the page
    page.get_by_role("slider").first.focus()
    page.keyboard.press("End")  # the window shrinks to the last day
    window = None
    for _ in range(100):
        window = slider_window(frame)
        if window[0] == window[1]:
            break
        page.wait_for_timeout(50)
    assert window[0] == window[1], f"the slider did not move: {window}"
    expected = expected_in_window(small_data_dir, window)
    assert len(expected) < 11
    wait_for_markers(frame, len(expected), timeout_s=10)
    shown = frame.evaluate(
        "() => IncidentMap.view.cluster.getLayers().map((m) => m.options.incidentId)"
    )
    assert set(shown) == expected
    view = frame.evaluate("() => IncidentMap.view")
    assert view["rerun"]["seq"] == before, "a rerun reached the map while the socket was held"
    assert view["source"] == "slider"

    socket.release()  # the rerun's messages, held until now
    deadline = time.monotonic() + 30
    while frame.evaluate("() => IncidentMap.view.rerun.seq") == before:
        assert time.monotonic() < deadline, "the rerun's view never reached the map"
        page.wait_for_timeout(100)
    settle(page)
    view = frame.evaluate("() => IncidentMap.view")
    assert view["rerun"]["count"] == len(expected) == view["count"]
    assert view["rerun"]["window"] == view["window"]
    assert url_window(page) == window
    assert not log.errors, log.errors


def test_an_empty_window_says_so_beside_the_map_which_does_not_move(small_server, page_and_log):
    """Playing through a gap between incidents, the message comes and goes beside the map;
    above it, it pushed the map down and up at every step."""
    page, log = page_and_log
    tops = []
    for query in ("", "?from=2022-03-01&to=2022-03-03"):  # the second window holds nothing
        open_dashboard(page, small_server.url + query)
        page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
        settle(page)
        tops.append(page.locator(MAP_IFRAME).bounding_box()["y"])
    message = page.get_by_text("No incidents in this window", exact=False)
    assert message.count() == 1 and message.is_visible()
    assert tops[0] == tops[1]
    assert not log.errors, log.errors


@pytest.fixture(scope="module")
def lasting_data_dir(tmp_path_factory) -> Path:
    return write_collection(tmp_path_factory.mktemp("lasting") / "data", lasting_collection())


@pytest.fixture(scope="module")
def lasting_server(lasting_data_dir):
    yield from start_server(lasting_data_dir, lasting_data_dir.parent)


def test_a_barricade_that_lasted_is_on_the_map_every_day_it_stood(
    lasting_server, lasting_data_dir, page_and_log, artifacts
):
    """A barricade that stood from 10 until 29 December shows in a window of days in the
    middle of it, says how long it stood, and is gone from a window after it; the map
    follows the slider over it."""
    page, log = page_and_log
    middle = (dt.date(2022, 12, 20), dt.date(2022, 12, 21))
    frame = open_dashboard(page, lasting_server.url + "?from=2022-12-20&to=2022-12-21")
    assert expected_in_window(lasting_data_dir, middle) == {LASTING_ID}
    wait_for_markers(frame, 1)
    click_marker(page, frame, LASTING_ID)
    text = frame.locator(".leaflet-popup-content").inner_text()
    assert "from 2022-12-10 until 2022-12-29 (20 days)" in text and "Rudare" in text
    page.screenshot(path=str(artifacts / "dashboard-lasting-popup.png"))

    frame = open_dashboard(page, lasting_server.url + "?from=2022-12-30&to=2022-12-31")
    assert expected_in_window(lasting_data_dir, (dt.date(2022, 12, 30), dt.date(2022, 12, 31))) == set()
    wait_for_markers(frame, 0)
    settle(page)
    page.get_by_role("slider").first.focus()
    for _ in range(3):  # the window's start back over the barricade's last days
        page.keyboard.press("ArrowLeft")
    window = wait_for_map_on_url_window(page, frame, lasting_data_dir)
    assert window[0] <= dt.date(2022, 12, 29) and LASTING_ID in expected_in_window(lasting_data_dir, window)
    assert not log.errors, log.errors


def test_popup_shows_sources_with_titles_and_quotes(small_server, page_and_log, artifacts):
    page, _ = page_and_log
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    click_marker(page, frame, MULTI_SOURCE_ID)
    popup = frame.locator(".leaflet-popup-content")
    text = popup.inner_text()
    assert "Zubin Potok" in text and "Riots" in text and "2023-05-29" in text
    assert "3 sources" in text.lower()
    assert "Clashes in Zvečan and Zubin Potok" in text
    assert "Crowds gathered outside the municipal building in Zubin Potok." in text
    assert popup.locator("mark").first.inner_text() == "Zubin Potok"
    links = popup.locator("a")
    assert links.count() == 1
    assert links.first.get_attribute("href") == "https://news.example.org/a-2023-05-30"
    page.screenshot(path=str(artifacts / "dashboard-small-popup.png"))


SHOW_CLUSTER = """async (incidentId) => {
    let cluster = null;
    for (const id in window.map._layers) {
        if (window.map._layers[id] instanceof L.MarkerClusterGroup) cluster = window.map._layers[id];
    }
    const marker = cluster.getLayers().find((m) => m.options.incidentId === incidentId);
    window.map.setView(marker.getLatLng(), window.map.getMaxZoom(), { animate: false });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const parent = cluster.getVisibleParent(marker);
    if (!parent || parent === marker) return null;
    const point = window.map.latLngToContainerPoint(parent.getLatLng());
    const box = window.map.getContainer().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""
MARKER_POINT = """(incidentId) => {
    let cluster = null;
    for (const id in window.map._layers) {
        if (window.map._layers[id] instanceof L.MarkerClusterGroup) cluster = window.map._layers[id];
    }
    const marker = cluster.getLayers().find((m) => m.options.incidentId === incidentId);
    if (!window.map.hasLayer(marker)) return null;
    const point = window.map.latLngToContainerPoint(marker.getLatLng());
    const box = window.map.getContainer().getBoundingClientRect();
    return [box.left + point.x, box.top + point.y];
}"""


def test_incidents_at_the_same_point_open_from_their_spread_markers(small_server, page_and_log, artifacts):
    """Two incidents at Jarinje share a point: a click on their cluster at the deepest zoom
    spreads them out, and a click on one of the spread markers opens its popup (the click
    used to reach the map too, which folded them back first)."""
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    # the rest of the page comes after the map (a rerun): wait for it, lest it move the map's
    # frame between finding the cluster and clicking it (1 failure in 5 fresh-clone runs)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
    settle(page)
    point = frame.evaluate(SHOW_CLUSTER, "inc-jarinje-2021-09-27")
    assert point is not None, "the two Jarinje incidents are not clustered"
    box = page.locator(MAP_IFRAME).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])  # spread them
    spread = None
    for _ in range(50):  # the spreading is animated; a loaded machine takes longer
        page.wait_for_timeout(100)
        spread = frame.evaluate(MARKER_POINT, "inc-jarinje-2021-09-27")
        if spread is not None and spread != point:
            break
    page.wait_for_timeout(400)  # the animation's end
    spread = frame.evaluate(MARKER_POINT, "inc-jarinje-2021-09-27")
    assert spread is not None and spread != point, "the cluster did not spread its markers"
    page.mouse.click(box["x"] + spread[0], box["y"] + spread[1])
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    assert popup.count() == 1 and "Two vehicles were set on fire near Jarinje." in popup.inner_text()
    assert frame.evaluate(MARKER_POINT, "inc-jarinje-2021-09-27") is not None  # still spread
    page.screenshot(path=str(artifacts / "dashboard-small-spread-popup.png"))
    assert not log.errors, log.errors


MAP_BOUNDS = """() => { const b = window.map.getBounds();
    return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast(), window.map.getZoom()]; }"""


def test_a_place_filter_brings_its_places_into_view(small_server, page_and_log):
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    whole = frame.evaluate(MAP_BOUNDS)
    frame = open_dashboard(page, small_server.url + "?place=zubin_potok")
    wait_for_markers(frame, 1)  # its one dated incident (MULTI_SOURCE_ID)
    page.wait_for_timeout(300)
    south, west, north, east, zoom = frame.evaluate(MAP_BOUNDS)
    lat, lon = 42.914, 20.689  # MULTI_SOURCE_ID's point
    assert south < lat < north and west < lon < east
    assert zoom > whole[4] and (north - south) < (whole[2] - whole[0]) / 2
    assert not log.errors, log.errors


def _box_in_map(page, locator) -> dict[str, float]:
    """A box within the map's frame: the page around the map may still move (the rest of
    the page arriving after the map), the legend's place on the map must not."""
    box, map_box = locator.bounding_box(), page.locator(MAP_IFRAME).bounding_box()
    return {**box, "x": round(box["x"] - map_box["x"], 1), "y": round(box["y"] - map_box["y"], 1)}


def test_the_legend_folds_away_and_stays_as_it_was_left(small_server, page_and_log, artifacts):
    """The legend covers a corner of the map: its button folds it into a small "Legend"
    button, which opens it again; a reload keeps it as the reader left it."""
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    legend = frame.locator(".im-legend")
    toggle = legend.locator("button.im-legend-toggle")
    opened = _box_in_map(page, legend)
    assert toggle.get_attribute("aria-expanded") == "true" and legend.get_by_text("Sources per incident").is_visible()
    toggle.click()
    folded = legend.bounding_box()
    assert toggle.get_attribute("aria-expanded") == "false" and toggle.text_content() == "Legend"
    assert not legend.get_by_text("Sources per incident").is_visible()
    assert folded["width"] * folded["height"] < opened["width"] * opened["height"] / 5
    page.locator(MAP_IFRAME).screenshot(path=str(artifacts / "dashboard-legend-folded.png"))
    frame = open_dashboard(page, small_server.url)  # a later visit
    wait_for_markers(frame, 11)
    toggle = frame.locator(".im-legend button.im-legend-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert frame.locator(".im-legend").get_by_text("Sources per incident").is_visible()
    assert _box_in_map(page, frame.locator(".im-legend")) == opened
    assert not log.errors, log.errors


def test_a_narrow_page_puts_the_summary_under_the_map_and_folds_the_legend(
    small_server, page_and_log, artifacts
):
    """With the sidebar open on a small screen the map's column was 470 px wide, the
    summary beside it was crushed ("Geo…") and the legend hid much of the map."""
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    download = page.get_by_role("button", name="GeoJSON")
    download.wait_for(timeout=LOAD_TIMEOUT_MS)
    wide_map, wide_side = page.locator(MAP_IFRAME).bounding_box(), download.bounding_box()
    assert wide_side["x"] > wide_map["x"] + wide_map["width"]  # beside the map
    assert frame.locator(".im-legend button.im-legend-toggle").get_attribute("aria-expanded") == "true"

    page.set_viewport_size({"width": 800, "height": 1000})
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    download = page.get_by_role("button", name="GeoJSON")
    download.wait_for(timeout=LOAD_TIMEOUT_MS)
    narrow_map, narrow_side = page.locator(MAP_IFRAME).bounding_box(), download.bounding_box()
    assert narrow_side["y"] > narrow_map["y"] + narrow_map["height"]  # under the map,
    assert narrow_side["x"] < narrow_map["x"] + narrow_map["width"]  # not beside it
    assert narrow_side["width"] > 300 and narrow_map["width"] > 400
    toggle = frame.locator(".im-legend button.im-legend-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"  # folded, nobody chose otherwise
    page.screenshot(path=str(artifacts / "dashboard-narrow.png"), full_page=True)
    toggle.click()  # a reader's choice is kept, even on a narrow map
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    assert frame.locator(".im-legend button.im-legend-toggle").get_attribute("aria-expanded") == "true"
    assert not log.errors, log.errors


def _bar_days(tooltip: str) -> tuple[dt.date, dt.date]:
    """A bar's first and last day, from its tooltip: "Day 2022-12-26 ..." or "3 days from
    2022-12-24 ..."."""
    day = dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", tooltip).group())
    days = int(re.match(r"\s*(\d+) days from", tooltip).group(1)) if "days from" in tooltip else 1
    return day, day + dt.timedelta(days=days - 1)


def _hover_timeline_bar(page, outside) -> tuple[float, float, tuple[dt.date, dt.date]]:
    """Move the pointer along the timeline until a bar's tooltip shows a day outside
    ``outside``; returns where, and the bar's days."""
    chart = page.locator("[data-testid='stVegaLiteChart']").first
    box = chart.bounding_box()
    for fraction in (0.6, 0.45, 0.75):
        y = box["y"] + box["height"] * fraction
        for x in range(int(box["x"]), int(box["x"] + box["width"]), 2):
            page.mouse.move(x, y)
            tip = page.locator("#vg-tooltip-element.visible")
            if tip.count() and tip.is_visible():
                bar = _bar_days(tip.inner_text())
                if not outside[0] <= bar[0] <= outside[1]:
                    return x, y, bar
    raise AssertionError("no bar of the timeline outside the window shows a tooltip")


@pytest.mark.timezone("Europe/Belgrade")  # east of UTC, as the region: dates came back a day early
def test_a_click_on_a_bar_of_the_timeline_shows_its_days(small_server, small_data_dir, page_and_log):
    """The bars outside the window are veiled, not dead: a bar's tooltip shows and a click
    makes the window its days; the same bar can be clicked again."""
    page, log = page_and_log
    window = (dt.date(2022, 12, 10), dt.date(2022, 12, 12))
    frame = open_dashboard(page, small_server.url + "?from=2022-12-10&to=2022-12-12")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
    settle(page)
    x, y, bar = _hover_timeline_bar(page, window)
    page.mouse.click(x, y)
    picked = wait_for_url_window(page, window)
    assert picked == bar
    wait_for_markers(frame, len(expected_in_window(small_data_dir, picked)))
    page.get_by_role("button", name="Next ▶").click()  # away, then the same bar again
    moved = wait_for_url_window(page, picked)
    settle(page)
    x, y, again = _hover_timeline_bar(page, moved)
    assert again == bar
    page.mouse.click(x, y)
    assert wait_for_url_window(page, moved) == picked
    assert not log.errors, log.errors


TOOLTIP_TEXT = """() => {
  const tip = document.querySelector('#vg-tooltip-element.visible');
  return tip && tip.getBoundingClientRect().width ? tip.innerText : null;
}"""


def _timeline_bars(page) -> dict[dt.date, tuple[float, float, dt.date]]:
    """Each bar of the timeline, by its first day: the middle of where its tooltip shows,
    and its last day (found by moving the pointer along the chart)."""
    box = page.locator("[data-testid='stVegaLiteChart']").first.bounding_box()
    y = box["y"] + box["height"] * 0.6
    seen: dict[dt.date, list] = {}
    for x in range(int(box["x"]), int(box["x"] + box["width"]), 2):
        page.mouse.move(x, y)
        text = page.evaluate(TOOLTIP_TEXT)
        if text:
            day, last = _bar_days(text)
            seen.setdefault(day, [x, x, last])[1] = x
    return {day: ((low + high) / 2, y, last) for day, (low, high, last) in seen.items()}


def _drag(page, x0: float, x1: float, y: float) -> None:
    page.mouse.move(x0, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x0 + (x1 - x0) * step / 10, y)
    page.mouse.up()


@pytest.mark.parametrize("zone", [
    pytest.param("Europe/Belgrade", marks=pytest.mark.timezone("Europe/Belgrade")),
    pytest.param("America/New_York", marks=pytest.mark.timezone("America/New_York")),
])
def test_a_drag_across_the_timeline_shows_the_days_of_its_bars(small_server, small_data_dir, page_and_log, zone):
    """East and west of UTC alike: a drag from one bar to another makes the window the days
    from the first bar's first day to the last one's last (a bar per few days here)."""
    page, log = page_and_log
    window = (dt.date(2022, 12, 10), dt.date(2022, 12, 12))
    frame = open_dashboard(page, small_server.url + "?from=2022-12-10&to=2022-12-12")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
    settle(page)
    assert page.evaluate("() => new Date(2022, 11, 12).getTimezoneOffset()") == {
        "Europe/Belgrade": -60, "America/New_York": 300}[zone]  # the browser is in that zone
    bars = _timeline_bars(page)
    days = sorted(bars)
    assert len(days) >= 3, bars
    first, last = days[0], days[-2]  # not the window's days: the drag must move it
    _drag(page, bars[first][0], bars[last][0], bars[first][1])
    dragged = wait_for_url_window(page, window)
    assert dragged == (first, bars[last][2]), (dragged, bars)
    wait_for_markers(frame, len(expected_in_window(small_data_dir, dragged)))
    settle(page)
    # the chart is drawn afresh (its bars where they were), without the drag's grey band: a
    # second drag works too, right to left, from the last bar to the one before it
    _drag(page, bars[days[-1]][0], bars[days[-2]][0], bars[days[-1]][1])
    assert wait_for_url_window(page, dragged) == (days[-2], bars[days[-1]][2])
    assert not log.errors, log.errors


def test_hostile_article_text_runs_no_script(small_server, page_and_log):
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url)
    wait_for_markers(frame, 11)
    click_marker(page, frame, HOSTILE_ID)
    popup = frame.locator(".leaflet-popup-content")
    text = popup.inner_text()
    assert XSS_TITLE in text  # shown as text, exactly as the article has it
    assert "<script>" in text and XSS_QUOTE.split("<script>")[0].strip() in text
    assert popup.locator("img, script, svg, i").count() == 0
    assert popup.locator("a").count() == 0  # the javascript: URL is not a link
    legend = frame.locator(".im-legend")
    assert XSS_EVENT_TYPE in legend.inner_text() and legend.locator("img").count() == 0
    assert page.locator("img[src='x']").count() == 0  # the summary beside the map
    popup.hover()
    page.wait_for_timeout(500)
    # The sidebar's place filter lists the hostile place name too: open its options.
    page.locator("[data-testid='stMultiSelect']").nth(1).click()
    page.get_by_role("option").filter(has_text="Brnjak").first.wait_for(timeout=10_000)
    page.keyboard.press("Escape")
    assert frame.evaluate("() => window.__xss") is None
    assert page.evaluate("() => window.__xss") is None
    assert log.dialogs == []


def test_downloaded_geojson_is_the_window(small_server, small_data_dir, page_and_log):
    page, _ = page_and_log
    frame = open_dashboard(page, small_server.url + "?from=2022-12-10&to=2022-12-31")
    expected = expected_in_window(small_data_dir, (dt.date(2022, 12, 10), dt.date(2022, 12, 31)))
    wait_for_markers(frame, len(expected))
    settle(page)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="GeoJSON").click()
    download = download_info.value
    assert download.suggested_filename == "incidents_2022-12-10_2022-12-31.geojson"
    collection = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["incident_id"] for f in collection["features"]} == expected
    originals = {f["properties"]["incident_id"]: f for f in small_collection()["features"]}
    for feature in collection["features"]:
        assert feature == originals[feature["properties"]["incident_id"]]


VISIBLE_PLAY_BUTTONS = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] button'))
    .filter((b) => b.offsetParent !== null && b.getBoundingClientRect().height > 0)
    .map((b) => b.innerText.replace(/\\s+/g, " ").trim()).filter((t) => /Play|Pause/.test(t))"""


def test_play_animates_the_window_without_remounting(small_server, small_data_dir, page_and_log):
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url + "?from=2022-12-08&to=2022-12-31")
    settle(page)
    frame.evaluate(SET_SENTINELS)
    page.get_by_role("button", name="▶ Play").click()
    first = wait_for_url_window(page, (dt.date(2022, 12, 8), dt.date(2022, 12, 31)))
    assert (first[1] - first[0]).days == 2  # a 3-day window
    second = wait_for_url_window(page, first)
    assert second[0] == first[0] + dt.timedelta(days=1)
    # one button where Play was: the Play button the fragment's reruns leave behind is hidden
    # (it stayed under Pause, faded, and pushed the map down)
    shown = page.evaluate(VISIBLE_PLAY_BUTTONS)
    assert len(shown) == 1 and shown[0].endswith("Pause"), shown
    page.get_by_role("button", name="Pause").click()
    settle(page)
    # The pause's rerun can still move the window (under load, the slider's value it sends
    # may lag the play loop's last step): wait for the map and the URL to agree, then check
    # that the window stays put.
    window = wait_for_map_on_url_window(page, frame, small_data_dir)
    page.wait_for_timeout(2000)
    assert url_window(page) == window, "the window still moves after the pause"
    wait_for_markers(frame, len(expected_in_window(small_data_dir, window)))
    assert frame.evaluate(READ_SENTINELS) == ["kept", "kept", "kept"]
    assert not log.errors, log.errors


def test_play_skips_the_quiet_days(small_server, small_data_dir, page_and_log, artifacts):
    """From the window of 12-14 December 2022, the next incident is on 26 December: the play
    goes straight to the window that brings it in (not through eleven empty ones), and the
    map shows that window's incidents. (At 4× speed, chosen beside the button: the choice
    stays; how fast the steps come is not timed here.)"""
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url + "?from=2022-12-12&to=2022-12-14")
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
    settle(page)
    speed = page.get_by_role("combobox", name="Play speed")
    speed.click()
    page.get_by_role("option", name="4× speed").click()
    settle(page, 0.3)
    page.evaluate(RECORD_SKIP_NOTES)
    page.evaluate(RECORD_URL_WINDOWS)
    page.get_by_role("button", name="▶ Play").click()
    wait_for_url_window(page, (dt.date(2022, 12, 12), dt.date(2022, 12, 14)), timeout_s=10)
    shown = recorded_url_windows(page)
    assert shown[:2] == [(dt.date(2022, 12, 12), dt.date(2022, 12, 14)),
                         (dt.date(2022, 12, 24), dt.date(2022, 12, 26))], shown
    page.get_by_role("button", name="Pause").click()
    settle(page)
    window = wait_for_map_on_url_window(page, frame, small_data_dir)
    page.wait_for_timeout(2000)
    assert url_window(page) == window, "the window still moves after the pause"
    # and it said what it went over while that window was shown (a step at 4× lasts 0.25 s)
    notes = page.evaluate("() => window.__skipNotes")
    assert "Skipped 9 days with no incident (15 Dec 2022 – 23 Dec 2022)." in notes, notes
    assert page.get_by_role("button", name="▶ Play").count() == 1
    assert window[0] >= dt.date(2022, 12, 24)
    page.screenshot(path=str(artifacts / "play_skipped_quiet_days.png"))
    chosen = speed.evaluate("e => e.closest('[data-testid=stSelectbox]').innerText + '|' + (e.value || '')")
    assert "4× speed" in chosen, chosen  # the choice stays
    assert not log.errors, log.errors


# --- 10,000 synthetic incidents ---------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_data_dir(tmp_path_factory) -> Path:
    from bench.synthetic_incidents import write_synthetic

    folder = tmp_path_factory.mktemp("synthetic") / "data"
    write_synthetic(10_000, folder, seed=7)
    return folder


@pytest.fixture(scope="module")
def synthetic_server(synthetic_data_dir):
    yield from start_server(synthetic_data_dir, synthetic_data_dir.parent)


def test_ten_thousand_incidents(synthetic_server, synthetic_data_dir, page_and_log, artifacts):
    page, log = page_and_log
    frame = open_dashboard(page, synthetic_server.url)
    wait_for_markers(frame, len(expected_in_window(synthetic_data_dir, None)))
    settle(page)
    page.screenshot(path=str(artifacts / "dashboard-10k.png"))

    frame.evaluate(SET_SENTINELS)
    page.get_by_role("slider").first.focus()
    page.keyboard.press("End")
    window = wait_for_url_window(page, None)
    wait_for_markers(frame, len(expected_in_window(synthetic_data_dir, window)))
    assert frame.evaluate(READ_SENTINELS) == ["kept", "kept", "kept"]
    assert not log.foreign_hosts()
    assert not log.errors, log.errors


# --- the real pipeline on the seeds -------------------------------------------------------------


def _incident_map_command() -> list[str] | None:
    script = Path(sys.executable).with_name("incident-map")
    if script.is_file():
        return [str(script)]
    found = shutil.which("incident-map")
    return [found] if found else None


@pytest.fixture(scope="module")
def seeds_data_dir(tmp_path_factory) -> Path:
    command = _incident_map_command()
    if command is None:
        pytest.fail("the incident-map console script is not installed (pip install -e .)")
    folder = tmp_path_factory.mktemp("seeds") / "data"
    subprocess.run(
        [*command, "build", str(ROOT / "seeds"), "--out", str(folder)],
        check=True,
        cwd=ROOT,
        timeout=300,
    )
    return folder


@pytest.fixture(scope="module")
def seeds_server(seeds_data_dir):
    yield from start_server(seeds_data_dir, seeds_data_dir.parent)


def test_dashboard_on_the_built_seeds(seeds_server, seeds_data_dir, page_and_log, artifacts):
    page, log = page_and_log
    frame = open_dashboard(page, seeds_server.url)
    expected = expected_in_window(seeds_data_dir, None)
    assert expected, "the seeds built no dated incident"
    wait_for_markers(frame, len(expected))
    settle(page)
    page.screenshot(path=str(artifacts / "dashboard-seeds.png"))
    # the slider writes its dates as the caption and the summary do: "26 Sep 2021"
    days = pd.to_datetime(flt.dated(load_incidents(seeds_data_dir / "incidents.geojson").frame)["event_date"])
    first, last = f"{days.min():%d %b %Y}", f"{days.max():%d %b %Y}"
    assert page.locator('[data-testid="stSliderThumbValue"]').all_inner_texts() == [first, last]
    assert f"{first} → {last}" in page.locator('[data-testid="stMain"]').inner_text()  # the caption
    assert not log.foreign_hosts()
    assert not log.errors, log.errors


OPTION_FIT = """() => Array.from(document.querySelectorAll('[role="option"]')).map(o => {
  const range = document.createRange(); range.selectNodeContents(o);
  const text = range.getBoundingClientRect(), box = o.getBoundingClientRect();
  return [o.innerText, text.right <= box.right + 0.5 && box.right <= window.innerWidth];
})"""


def test_the_article_filter_shows_each_label_whole(seeds_server, seeds_data_dir, page_and_log):
    """The article filter's list is wider than the sidebar: an article's title (cut to fit),
    outlet, date and count of incidents are all in view, not cut off at the sidebar's edge."""
    page, log = page_and_log
    frame = open_dashboard(page, seeds_server.url)
    wait_for_markers(frame, len(expected_in_window(seeds_data_dir, None)))
    articles = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(2)
    articles.wait_for(timeout=LOAD_TIMEOUT_MS)
    articles.locator("input").click()
    page.get_by_role("option").nth(1).wait_for(timeout=10_000)
    options = [(text, fits) for text, fits in page.evaluate(OPTION_FIT) if text != "Select all"]
    geojson = json.loads((seeds_data_dir / "incidents.geojson").read_text(encoding="utf-8"))
    cited = {s["article_id"] for f in geojson["features"] for s in f["properties"]["sources"]}
    assert len(options) == len(cited)
    assert all(re.search(r" · \d+$", text) for text, _ in options), options
    assert all(fits for _, fits in options), options
    page.keyboard.press("Escape")
    assert not log.errors, log.errors


# --- a source read in its article ---------------------------------------------------------

ARTICLE_IFRAME = "iframe[title='st.iframe']"
GONE_ARTICLE = "000_2e2e98b3d9c7dbb6"
HOSTILE_PATH = "articles/gone`![x](http://127.0.0.1:9/x.png) [click](http://127.0.0.1:9/) **b**`.txt"


@pytest.fixture(scope="module")
def readable_data_dir(tmp_path_factory) -> Path:
    """The seeds built by a relative path from their own folder into a data folder elsewhere
    (only the report's working directory finds the articles again); then one article file
    is deleted, as if moved since the build."""
    command = _incident_map_command()
    if command is None:
        pytest.fail("the incident-map console script is not installed (pip install -e .)")
    root = tmp_path_factory.mktemp("readable")
    shutil.copytree(ROOT / "seeds", root / "work" / "articles")
    folder = root / "out" / "data"
    subprocess.run([*command, "build", "articles", "--out", str(folder)],
                   check=True, cwd=root / "work", timeout=300)
    (root / "work" / "articles" / f"{GONE_ARTICLE}.txt").unlink()
    # and its path in the report is one that Markdown would turn into an image and a link
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    for entry in report["inputs"]:
        if entry["article_id"] == GONE_ARTICLE:
            entry["path"] = HOSTILE_PATH
    (folder / "report.json").write_text(json.dumps(report), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def readable_server(readable_data_dir):
    yield from start_server(readable_data_dir, readable_data_dir.parent)


def select_table_row(page, text: str) -> None:
    """Click the selection box of the window's table row that reads ``text``."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=60_000)
    grid.scroll_into_view_if_needed()
    rows = grid.locator("tr")
    rows.nth(1).wait_for(state="attached")  # the grid's accessible copy comes after it
    number = next((i for i in range(rows.count()) if text in rows.nth(i).inner_text()), None)
    assert number, f"no row of the table reads {text!r}: {[rows.nth(i).inner_text()[:60] for i in range(rows.count())]}"
    box = grid.bounding_box()
    # the canvas grid: a 35 px header, then 35 px rows; the selection boxes at the left
    y = 35 * number + 17
    assert y < box["height"] - 10, f"row {number} is scrolled out of the table's view"
    page.mouse.click(box["x"] + 15, box["y"] + y)


FOCUSED_IS = """(incidentId) => {
    const i = IncidentMap.view.focused;
    if (i === null || i === undefined) return false;
    const marker = IncidentMap.view.cluster.getLayers().find((m) => m.options.index === i);
    return !!marker && marker.options.incidentId === incidentId && !!marker.isPopupOpen && marker.isPopupOpen();
}"""


def selected_rows(page) -> list[str]:
    """The "Source titles" of the window's table's selected rows (its accessible copy)."""
    grid = page.locator("[data-testid='stDataFrame']").first
    return grid.evaluate("""(grid) => {
        const head = Array.from(grid.querySelectorAll("thead th"), (th) => th.textContent.trim());
        const col = head.indexOf("Source titles");
        return Array.from(grid.querySelectorAll("tbody tr[aria-selected='true']"),
                          (tr) => tr.children[col].textContent.trim());
    }""")


CHOSEN_MARK = """(body) => {
    const mark = document.getElementById("chosen");
    if (!mark) return null;
    const box = mark.getBoundingClientRect();
    return {text: mark.textContent, title: mark.title, inView: box.top >= 0 && box.bottom <= innerHeight,
            dropped: Array.from(document.querySelectorAll("mark.dropped"), (m) => m.title),
            mapped: document.querySelectorAll("mark.mapped").length};
}"""


def open_the_readable_dashboard(page, url: str, data_dir: Path):
    """The page opened on the readable dataset, settled: the map's frame, the GeoJSON and its
    Leposavić incident's properties."""
    frame = open_dashboard(page, url)
    wait_for_markers(frame, len(expected_in_window(data_dir, None)))
    settle(page)
    geojson = json.loads((data_dir / "incidents.geojson").read_text(encoding="utf-8"))
    (leposavic,) = [f["properties"] for f in geojson["features"] if f["properties"]["place_id"] == "leposavic"]
    page.get_by_text("Select a row (the box at its left)").wait_for()
    return frame, geojson, leposavic


def assert_report_marked(page, incident: dict) -> dict:
    """The article of the incident's first source is shown with that report marked."""
    article = page.frame_locator(ARTICLE_IFRAME)
    article.locator("mark#chosen").wait_for(timeout=30_000)
    chosen = article.locator("body").evaluate(CHOSEN_MARK)
    assert chosen["text"] == incident["sources"][0]["mention"]
    assert chosen["title"] == "This report: Protests at Leposavić, December 2022"
    assert chosen["inView"], "the article is not scrolled to the report"
    return chosen


def select_the_gone_article(page, geojson: dict) -> dict:
    """Select the row of the incident whose article file is gone; its properties once the
    page says the article cannot be shown."""
    gone = next(f["properties"] for f in geojson["features"]
                if f["properties"]["sources"][0]["article_id"] == GONE_ARTICLE)
    select_table_row(page, gone["sources"][0]["title"])
    page.get_by_text("The article cannot be shown.").wait_for(timeout=30_000)
    return gone


def test_a_selected_row_shows_its_source_in_the_article(readable_server, readable_data_dir, page_and_log, artifacts):
    page, log = page_and_log
    frame, geojson, leposavic = open_the_readable_dashboard(page, readable_server.url, readable_data_dir)

    select_table_row(page, "Leposavić")
    chosen = assert_report_marked(page, leposavic)
    assert chosen["mapped"] >= 1  # the article's other reports
    assert chosen["dropped"] and all(t.startswith("No incident from this mention: ") for t in chosen["dropped"])
    assert "No incident from this mention: country name (a country is never a point)" in chosen["dropped"]
    page.get_by_text("Sources of: Protests at Leposavić, December 2022").wait_for()
    page.get_by_text(f"{leposavic['sources'][0]['article_id']}.txt").first.wait_for()
    # the map shows the selected incident: out of its cluster, its popup open
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=30_000)
    assert "Leposavić" in popup.inner_text() and "Protests" in popup.inner_text()
    focused = frame.evaluate("() => { const i = IncidentMap.view.focused; return i === null ? null : "
                             "IncidentMap.view.cluster.getLayers().find((m) => m.options.index === i).options.incidentId; }")
    assert focused == leposavic["incident_id"]
    page.locator(ARTICLE_IFRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "dashboard-article.png"))

    # an article file gone since the build: said so, with the quote the build kept
    gone = select_the_gone_article(page, geojson)
    page.get_by_text("moved or deleted since the build").first.wait_for()
    page.get_by_text(HOSTILE_PATH).first.wait_for()  # shown as it is, not as Markdown
    assert not [u for u in log.requests if "127.0.0.1:9/" in u]
    page.get_by_text(gone["sources"][0]["quote"][:60]).first.wait_for()
    assert page.locator(ARTICLE_IFRAME).count() == 0
    assert not log.foreign_hosts()
    assert not log.errors, log.errors


def test_a_popup_opens_its_incident_in_the_article(readable_server, readable_data_dir, page_and_log, artifacts):
    """A marker's popup has a button that shows the incident's sources in their articles
    below the table, as selecting its row does. It clears the table's selection (the table
    does not keep another incident highlighted), so one click on a row takes over again."""
    page, log = page_and_log
    frame, geojson, leposavic = open_the_readable_dashboard(page, readable_server.url, readable_data_dir)
    assert page.locator(ARTICLE_IFRAME).count() == 0
    gone = select_the_gone_article(page, geojson)  # a row selected first
    assert selected_rows(page) == [gone["sources"][0]["title"]]
    # the map shows it (a click while it spreads the markers at its point would race it)
    frame.wait_for_function(FOCUSED_IS, arg=gone["incident_id"], timeout=30_000)

    click_marker(page, frame, leposavic["incident_id"])
    # the selected row's popup, opened by the map, fades out
    frame.wait_for_function("() => document.querySelectorAll('.leaflet-popup').length === 1")
    button = frame.locator(".leaflet-popup-content button.im-read")
    assert button.inner_text() == "Read the sources in their articles ↓"
    page.locator(MAP_IFRAME).screenshot(path=str(artifacts / "dashboard-popup-button.png"))
    button.click()
    page.get_by_text("Sources of: Protests at Leposavić, December 2022").wait_for(timeout=30_000)
    page.get_by_text("Its sources and their articles are below the table").wait_for()  # the toast
    assert_report_marked(page, leposavic)
    settle(page)
    assert selected_rows(page) == []
    page.locator(ARTICLE_IFRAME).scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "dashboard-popup-article.png"))

    # one click on a row since, the same as before: its incident's sources instead, and the
    # map goes back to it (it was told of no row while the popup's incident was shown)
    select_the_gone_article(page, geojson)
    assert page.get_by_text("Sources of: Protests at Leposavić").count() == 0
    assert selected_rows(page) == [gone["sources"][0]["title"]]
    frame.wait_for_function(FOCUSED_IS, arg=gone["incident_id"], timeout=30_000)
    assert not log.foreign_hosts()
    assert not log.errors, log.errors


REGION_MARKERS = """() => {
    let cluster = null;
    for (const id in window.map._layers) {
        if (window.map._layers[id] instanceof L.MarkerClusterGroup) cluster = window.map._layers[id];
    }
    const rows = cluster.getLayers().map((m) => [m.options.incidentId, !!m.options.region,
                                                 m.options.dashArray || null]);
    const legend = document.querySelector(".im-legend-region");
    return {rows: rows, legend: legend ? legend.textContent : null};
}"""


def test_incidents_known_only_by_their_region_are_drawn_apart(seeds_server, seeds_data_dir, page_and_log, artifacts):
    """The seeds' "Northern Kosovo" incidents (geo_precision 3) are dashed rings at the
    region's centre, said so in the legend; every other incident a plain point."""
    page, log = page_and_log
    frame = open_dashboard(page, seeds_server.url)
    expected = expected_in_window(seeds_data_dir, None)
    wait_for_markers(frame, len(expected))
    features = json.loads((seeds_data_dir / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    regions = {f["properties"]["incident_id"] for f in features if f["properties"]["geo_precision"] == 3}
    assert regions, "the seeds have no region-only incident"
    drawn = frame.evaluate(REGION_MARKERS)
    assert {i for i, region, _ in drawn["rows"] if region} == regions
    assert all(dash == "3 3" for i, region, dash in drawn["rows"] if region)
    assert all(dash is None for i, region, dash in drawn["rows"] if not region)
    assert drawn["legend"] == "Only a region known: drawn at its centre"
    # the crossings, the mountain and the villages are named on the map
    landmarks = frame.evaluate("() => [...document.querySelectorAll('.im-landmark')].map(e => e.textContent)")
    assert "Jarinje border crossing" in landmarks and "Kopaonik" in landmarks
    page.screenshot(path=str(artifacts / "dashboard-seeds-regions.png"))
    assert not log.errors, log.errors


LABELS_SHOWN = """() => {
  const shown = [...document.querySelectorAll('.im-label, .im-landmark')].filter(e => {
    const style = getComputedStyle(e);
    return style.display !== 'none' && style.visibility === 'visible';
  }).map(e => [e.textContent, e.firstChild.getBoundingClientRect()]);
  const overlaps = [];
  shown.forEach(([a, r], i) => shown.slice(i + 1).forEach(([b, s]) => {
    if (r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom) overlaps.push([a, b]);
  }));
  return {shown: shown.map(([text]) => text), overlaps: overlaps};
}"""
ZOOM_TO = """(zoom) => new Promise((done, fail) => {
  if (window.map.getZoom() === zoom) return fail(new Error('already at zoom ' + zoom));
  window.map.once('zoomend', () => requestAnimationFrame(() => requestAnimationFrame(done)));
  window.map.setZoom(zoom, {animate: false});
  setTimeout(() => fail(new Error('no zoomend')), 10000);
})"""
TWO_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


# the names of the north that the seeds' opening view shows
NORTH_NAMES = {"Jarinje border crossing", "Kopaonik", "Leposavić / Leposaviq", "Zvečan", "Banjska",
               "Zubin Potok", "North Mitrovica", "Rudare"}


def test_the_names_on_the_map_do_not_overlap(seeds_server, seeds_data_dir, page_and_log, artifacts):
    """Where two names of the basemap would overlap, one gives way (a village to a
    municipality, that to a border crossing or a mountain) until a zoom sets them apart; on
    the seeds' opening view every name of the north is shown, Zvečan's apart from Banjska."""
    page, log = page_and_log
    frame = open_dashboard(page, seeds_server.url)
    wait_for_markers(frame, len(expected_in_window(seeds_data_dir, None)))
    settle(page)  # the rerun after the map sets its view: a zoom made before would be undone
    frame.wait_for_function(
        "() => document.querySelectorAll('.im-label').length && document.fonts.status === 'loaded'"
    )
    frame.evaluate(TWO_FRAMES)  # the pass run once the fonts are in
    opening = frame.evaluate(LABELS_SHOWN)
    assert opening["overlaps"] == [], opening
    assert NORTH_NAMES <= set(opening["shown"]), opening["shown"]
    page.screenshot(path=str(artifacts / "dashboard-seeds-names.png"))
    frame.evaluate(ZOOM_TO, 8)  # the whole of Kosovo: names crowd
    crowded = frame.evaluate(LABELS_SHOWN)
    assert crowded["overlaps"] == [], crowded
    assert "Jarinje border crossing" in crowded["shown"], crowded["shown"]
    assert "Banjska" not in crowded["shown"], crowded["shown"]
    page.screenshot(path=str(artifacts / "dashboard-seeds-names-crowded.png"))
    frame.evaluate(ZOOM_TO, 12)  # and back in: the hidden names return
    close = frame.evaluate(LABELS_SHOWN)
    assert close["overlaps"] == [] and "Banjska" in close["shown"], close
    assert not log.errors, log.errors


UNDER_THE_LEGEND = """() => {
  // what the open legend covers: incidents (each as its marker or the cluster drawn for it,
  // a circle of 12 px) and the names of the basemap that are shown
  const legend = document.querySelector('.im-legend');
  if (legend.classList.contains('im-legend-folded')) return null;
  const box = legend.getBoundingClientRect(), frame = window.map.getContainer().getBoundingClientRect();
  const hits = (r) => r.left < box.right && box.left < r.right && r.top < box.bottom && box.top < r.bottom;
  const cluster = IncidentMap.view.cluster, incidents = [];
  cluster.getLayers().forEach((m) => {
    // a marker on the map is a canvas circle, which getVisibleParent does not count as shown
    const drawn = window.map.hasLayer(m) ? m : cluster.getVisibleParent(m);
    if (!drawn) return;
    const p = window.map.latLngToContainerPoint(drawn.getLatLng());
    const x = frame.left + p.x, y = frame.top + p.y;
    if (hits({left: x - 12, right: x + 12, top: y - 12, bottom: y + 12})) incidents.push(m.options.incidentId);
  });
  const names = [...document.querySelectorAll('.im-label, .im-landmark')].filter((e) => {
    const style = getComputedStyle(e);
    return style.display !== 'none' && style.visibility === 'visible' && hits(e.firstChild.getBoundingClientRect());
  }).map((e) => e.textContent);
  return {incidents: incidents, names: names};
}"""


def test_a_stylesheet_that_comes_late_still_leaves_the_legends_corner_clear(seeds_server, seeds_data_dir, page_and_log):
    """On a slow machine the map's stylesheet can come after the opening view was fitted
    without it (IncidentMap.fit waits 1.5 s for it): the legend's corner must still end up
    clear of incidents and names (IncidentMap.fit fits again and declutters once it comes)."""
    page, log = page_and_log
    page.set_viewport_size({"width": 1400, "height": 1000})

    delayed = []

    def late(route):
        delayed.append(route.request.url)
        time.sleep(3)  # longer than the fit waits for it
        route.continue_()

    page.route(re.compile(r"incident_map\.css"), late)
    frame = open_dashboard(page, seeds_server.url)
    wait_for_markers(frame, len(expected_in_window(seeds_data_dir, None)))  # (and the fits done)
    settle(page)
    frame.wait_for_function("() => document.fonts.status === 'loaded'")
    assert frame.evaluate(STYLES_LOADED)
    assert delayed, "the stylesheet was not held back"
    frame.evaluate(TWO_FRAMES)
    assert frame.evaluate(UNDER_THE_LEGEND) == {"incidents": [], "names": []}
    assert not log.errors, log.errors


# Holds the width of the map's frame at 0 (in the page around it) until the test lets it go.
HOLD_THE_MAP_FRAMES_WIDTH = """
if (window === window.top) {
  document.addEventListener('DOMContentLoaded', () => {
    const hold = document.createElement('style');
    hold.id = 'im-test-hold';
    hold.textContent = "SELECTOR { width: 0 !important; }";
    document.head.appendChild(hold);
  });
}""".replace("SELECTOR", MAP_IFRAME)


def test_a_map_frame_laid_out_late_still_opens_on_the_incidents(seeds_server, seeds_data_dir, page_and_log):
    """On a slow machine streamlit-folium's frame can get its width after the map's script
    fitted the opening view, on a map 0 px wide (the least zoom: CI once showed the whole
    country's names instead of the north's). The resize that gives the map its width must
    fit it again, with the legend open beside the incidents as on any other opening."""
    page, log = page_and_log
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.add_init_script(HOLD_THE_MAP_FRAMES_WIDTH)
    frame = open_dashboard(page, seeds_server.url)
    # the opening fit made, on the map with no width
    frame.wait_for_function("() => window.map._imFitsPending !== undefined"
                            " && (window.map._imFitsPending === 0 || window.map._imFitted !== undefined)")
    assert frame.evaluate("() => window.map.getContainer().clientWidth") == 0
    page.evaluate("() => document.getElementById('im-test-hold').remove()")
    wait_for_markers(frame, len(expected_in_window(seeds_data_dir, None)))  # (and the fits done)
    settle(page)
    frame.wait_for_function("() => document.fonts.status === 'loaded'")
    frame.evaluate(TWO_FRAMES)
    assert frame.evaluate("() => window.map.getContainer().clientWidth") > 560
    assert frame.evaluate("() => window.map.getBounds().contains(IncidentMap.view.cluster.getBounds())")
    shown = frame.evaluate(LABELS_SHOWN)
    assert NORTH_NAMES <= set(shown["shown"]), shown
    assert frame.evaluate("() => document.querySelector('.im-legend').classList.contains('im-legend-folded')") is False
    assert frame.evaluate(UNDER_THE_LEGEND) == {"incidents": [], "names": []}
    assert not log.errors, log.errors


MAP_VIEW_STATE = """() => {
  const m = window.map, f = m._imFitted;
  return {zoom: m.getZoom(), center: m.getCenter(), size: m.getSize(), fitsPending: m._imFitsPending,
          fitted: f && {zoom: f.zoom, center: f.center, options: f.options}};
}"""


def wait_for_zoom_below(frame, before: dict, timeout_ms: int = 30_000) -> None:
    """Wait for the map to zoom out below its zoom in ``before`` (a MAP_VIEW_STATE: a refit);
    else fail with the map's views before and now and the fits they recorded, which say why no
    refit came (this wait failed once in CI, on a loaded machine, and never since)."""
    try:
        frame.wait_for_function("(z) => window.map.getZoom() < z", arg=before["zoom"], timeout=timeout_ms)
    except PlaywrightTimeoutError:
        raise AssertionError(f"no refit: before {before}, now {frame.evaluate(MAP_VIEW_STATE)}") from None


def test_a_resized_window_fits_the_opening_view_again_but_not_a_view_the_reader_moved(
    seeds_server, seeds_data_dir, page_and_log
):
    """A narrower window keeps the map's centre and zoom, which may cut incidents off: while
    the view is still the fitted one (the opening view, "Show all"), the map fits it again;
    once the reader has moved it, a resize leaves it where they put it."""
    page, log = page_and_log
    page.set_viewport_size({"width": 1400, "height": 1000})
    frame = open_dashboard(page, seeds_server.url)
    wait_for_markers(frame, len(expected_in_window(seeds_data_dir, None)))
    settle(page)
    all_in_view = "() => window.map.getBounds().contains(IncidentMap.view.cluster.getBounds())"
    assert frame.evaluate(all_in_view)
    wide = frame.evaluate(MAP_VIEW_STATE)
    page.set_viewport_size({"width": 900, "height": 1000})  # the map: 705 px wide to 440
    frame.wait_for_function("() => window.map.getContainer().clientWidth < 500")
    # fitted again: a lower zoom, every incident in view
    wait_for_zoom_below(frame, wide)
    assert frame.evaluate(all_in_view)
    # the reader pans: a resize keeps their view (the centre to within a pixel)
    frame.evaluate("""() => new Promise((done) => {
      window.map.once('moveend', done);
      window.map.panBy([120, 0], {animate: false});
    })""")
    moved = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter()]")
    page.set_viewport_size({"width": 1400, "height": 1000})
    frame.wait_for_function("() => window.map.getContainer().clientWidth > 700")
    settle(page)
    now = frame.evaluate("() => [window.map.getZoom(), window.map.getCenter()]")
    assert now[0] == moved[0]
    assert frame.evaluate(
        "([c, z]) => window.map.project(window.map.getCenter(), z).distanceTo(window.map.project(c, z))",
        [moved[1], moved[0]],
    ) <= 1
    # "Show all" (an animated fit) is followed on resize as the opening view is
    frame.locator(".im-show-all a").click()
    frame.wait_for_function(all_in_view)
    settle(page)  # its animation ended
    shown_all = frame.evaluate(MAP_VIEW_STATE)
    page.set_viewport_size({"width": 900, "height": 1000})
    wait_for_zoom_below(frame, shown_all)
    assert frame.evaluate(all_in_view)
    assert not log.errors, log.errors


def test_the_open_legend_covers_no_incident_and_no_name(seeds_server, seeds_data_dir, page_and_log, artifacts):
    """The legend stands in the map's bottom-left corner: the opening view and "Show all"
    fit the incidents beside it, not under it (Brnjak's incidents were under it), and a
    name it would cut in two gives way ("... border crossing" stuck out from under it)."""
    page, log = page_and_log
    page.set_viewport_size({"width": 1400, "height": 1000})
    frame = open_dashboard(page, seeds_server.url)
    wait_for_markers(frame, len(expected_in_window(seeds_data_dir, None)))
    settle(page)
    frame.wait_for_function("() => document.fonts.status === 'loaded'")
    frame.evaluate(TWO_FRAMES)
    opening = frame.evaluate(UNDER_THE_LEGEND)
    page.locator(MAP_IFRAME).screenshot(path=str(artifacts / "dashboard-seeds-legend.png"))
    assert opening == {"incidents": [], "names": []}, opening
    assert frame.evaluate("() => window.map.getBounds().contains(IncidentMap.view.cluster.getBounds())")
    # a pan takes names under the legend (and others out from under it): the names follow
    shown = frame.evaluate(LABELS_SHOWN)["shown"]
    frame.evaluate("""() => new Promise((done) => {
      window.map.once('moveend', () => requestAnimationFrame(() => requestAnimationFrame(done)));
      window.map.panBy([250, -250], {animate: false});
    })""")
    panned = frame.evaluate(UNDER_THE_LEGEND)
    assert panned["names"] == [], panned
    assert frame.evaluate(LABELS_SHOWN)["shown"] != shown
    frame.evaluate("() => window.map.setZoom(13, {animate: false})")
    # the fit zooms out in an animation, during which the names are on their way: wait for
    # its end and the names' pass after it
    frame.evaluate("""() => { window.__fitted = new Promise((done) => window.map.once('moveend',
      () => requestAnimationFrame(() => requestAnimationFrame(done)))); }""")
    frame.locator(".im-show-all a").click()
    frame.evaluate("() => window.__fitted")
    frame.wait_for_function("() => window.map.getBounds().contains(IncidentMap.view.cluster.getBounds())",
                            timeout=10_000)
    assert frame.evaluate(UNDER_THE_LEGEND) == {"incidents": [], "names": []}
    assert not log.errors, log.errors


def test_the_opening_view_keeps_an_incident_in_the_legends_corner_clear_of_it(
        tmp_path, page_and_log, artifacts):
    """Incidents around Kosovo: the one at the Qafë Prush crossing, in the bottom-left corner
    of the data, stood under the open legend. The view now goes beside the legend; folded, the legend leaves
    the whole map to the incidents."""
    data_dir = write_collection(tmp_path / "data", countrywide_collection())
    page, log = page_and_log
    page.set_viewport_size({"width": 1400, "height": 1000})
    for server in start_server(data_dir, tmp_path):
        frame = open_dashboard(page, server.url)
        wait_for_markers(frame, 5)
        settle(page)
        frame.evaluate(TWO_FRAMES)
        page.locator(MAP_IFRAME).screenshot(path=str(artifacts / "dashboard-countrywide-legend.png"))
        opening = frame.evaluate(UNDER_THE_LEGEND)
        assert opening["incidents"] == [], opening
        assert frame.evaluate("() => window.map.getBounds().contains(IncidentMap.view.cluster.getBounds())")
        opened_zoom = frame.evaluate("() => window.map.getZoom()")
        frame.locator(".im-legend button.im-legend-toggle").click()
        frame = open_dashboard(page, server.url)  # a later visit, the legend folded
        wait_for_markers(frame, 5)
        settle(page)
        assert frame.evaluate(UNDER_THE_LEGEND) is None
        assert frame.evaluate("() => window.map.getZoom()") >= opened_zoom
        assert not log.errors, log.errors


FOCUSED_NOW = """() => {
    const i = IncidentMap.view.focused;
    if (i === null || i === undefined) return null;
    const marker = IncidentMap.view.cluster.getLayers().find((m) => m.options.index === i);
    if (!marker || !marker.isPopupOpen || !marker.isPopupOpen()) return null;
    return {id: marker.options.incidentId, zoom: window.map.getZoom(), onMap: window.map.hasLayer(marker)};
}"""


def test_a_selected_incident_at_a_shared_point_is_shown_without_zooming_to_a_street(
        seeds_server, seeds_data_dir, page_and_log, artifacts):
    """The seeds' four "Northern Kosovo" incidents stand at one point, the region's centre:
    selecting one zooms only until they stand apart from the other places, spreads them and
    opens its popup (it zoomed to the closest zoom, a street's width, before spreading)."""
    page, log = page_and_log
    frame = open_dashboard(page, seeds_server.url)
    wait_for_markers(frame, len(expected_in_window(seeds_data_dir, None)))
    settle(page)
    features = json.loads((seeds_data_dir / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    regions = {f["properties"]["incident_id"] for f in features if f["properties"]["location"] == "Northern Kosovo"}
    assert len(regions) >= 2, "the seeds' region incidents no longer share a point"
    start = frame.evaluate("() => window.map.getZoom()")
    select_table_row(page, "Northern Kosovo")
    frame.wait_for_function(FOCUSED_NOW, timeout=30_000)
    focused = frame.evaluate(FOCUSED_NOW)
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    page.locator(MAP_IFRAME).screenshot(path=str(artifacts / "dashboard-seeds-region-selected.png"))
    assert focused["id"] in regions and focused["onMap"]
    assert start <= focused["zoom"] <= 12, f"zoomed to {focused['zoom']} for a region's incident"
    # the button under the zoom buttons brings every incident back into view
    frame.evaluate("() => window.map.setZoom(15, {animate: false})")
    frame.locator(".im-show-all a").click()
    frame.wait_for_function("""() => window.map.getBounds().contains(IncidentMap.view.cluster.getBounds())""",
                            timeout=10_000)
    assert frame.evaluate("() => window.map.getZoom()") <= start + 1
    assert not log.errors, log.errors


def test_the_wheel_scrolls_the_page_over_the_map_until_the_map_is_clicked(small_server, page_and_log):
    page, log = page_and_log
    frame = open_dashboard(page, small_server.url)
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
    settle(page)
    scrolled = "() => window.scrollY + (document.querySelector('[data-testid=stMain]') || {}).scrollTop"
    zoom = "() => window.map.getZoom()"
    box = page.locator(MAP_IFRAME).bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*middle)
    before, zoom_before = page.evaluate(scrolled), frame.evaluate(zoom)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(600)
    assert page.evaluate(scrolled) > before, "the page did not scroll"
    assert frame.evaluate(zoom) == zoom_before, "the wheel zoomed the map"
    assert frame.locator(".im-wheel-hint.im-shown").count() == 1
    # Ctrl + wheel zooms the map, whatever was clicked
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_timeout(600)
    assert frame.evaluate(zoom) > zoom_before
    # a click in the map, on a marker too (its click does not reach the map), and the wheel
    # zooms it; the page stays
    click_marker(page, frame, "inc-zvecan-2022-12-10")
    box = page.locator(MAP_IFRAME).bounding_box()
    corner = (box["x"] + box["width"] - 60, box["y"] + box["height"] - 80)
    page.mouse.move(*corner)
    zoomed, at = frame.evaluate(zoom), page.evaluate(scrolled)
    page.mouse.wheel(0, 300)  # out: showing the marker took the map to its closest zoom
    page.wait_for_timeout(800)
    assert frame.evaluate(zoom) < zoomed
    assert page.evaluate(scrolled) == at
    # the pointer leaves the map: the wheel scrolls the page again
    page.mouse.move(box["x"] - 30, box["y"] + 10)
    page.mouse.move(*corner)
    zoomed = frame.evaluate(zoom)
    page.mouse.wheel(0, 200)
    page.wait_for_timeout(600)
    assert frame.evaluate(zoom) == zoomed
    # ... until the next press, on a marker again (the map keeps its focus: no focus event)
    page.keyboard.press("Escape")
    click_marker(page, frame, "inc-zvecan-2022-12-10")
    box = page.locator(MAP_IFRAME).bounding_box()  # (the page scrolled: the map moved up)
    corner = (box["x"] + box["width"] - 60, box["y"] + box["height"] - 80)
    page.mouse.move(*corner)
    zoomed = frame.evaluate(zoom)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(800)
    assert frame.evaluate(zoom) < zoomed, "a press on a marker did not let the wheel zoom"
    assert not log.errors, log.errors
