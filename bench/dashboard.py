"""Dashboard latency in a real headless Chromium (Playwright) against ``streamlit run``.

For each size N: a synthetic ``incidents.geojson`` of N incidents (``bench.synthetic_incidents``),
one ``streamlit run dashboard/app.py`` server (the command ``incident-map dashboard`` runs),
then several page loads. Per load:

- first map: from ``page.goto`` until the map's marker cluster group holds every incident of
  the window (``IncidentMap.view``: the incidents of the first rerun's filters in the
  slider's window) and two animation frames have passed (so it is painted). The first
  load after the server starts is *cold* (the server reads and indexes the file); later
  loads are *warm* (its cache). The server starts reading the data as soon as it answers
  (``dashboard.launch.warm_up``, as ``incident-map dashboard`` does), and the cold load
  starts at that moment too: it waits for whatever of the reading is left. The dashboard
  keeps what it makes of a large file for its next start (``dashboard/snapshot.py``, in a
  cache folder of the benchmark's own, empty at first): after the loads, a second server is
  started on the same file for one more cold load, the *next start*. The cold figures are
  medians over several such pairs of starts (``starts``), each first start with the cache
  folder emptied;
- whole page: until the rest of the page is there too (the table, the timeline and the
  sidebar's filters, which a session's first run sends once the map has drawn:
  ``dashboard/app.py``, ``rest_waits_for_map``);
- slider steps, once the page is whole and idle (the chart, the tables and the
  sidebar finish rendering after Streamlit's status widget hides, on the main thread the map's
  iframe shares; without the wait the first step measures that tail: 0.6–1.4 s instead of
  0.2–0.3 s at 10k): the date slider's first thumb moved one step with the keyboard (ArrowRight:
  one day off the window), timed from the key press until the map shows the slider's new
  window (the map reads the window from the slider as it moves: the cluster group holds
  exactly the incidents of that window) and two frames have passed. Then, apart, the
  *rerun step*: until the rerun's own view (what the server selected for the new window)
  has reached the map; a rerun that selects other incidents than the map shows counts as a
  disagreement (there should be none);
- JS heap: Chromium's ``JSHeapUsedSize`` (DevTools Performance metrics) after the first map
  and after the steps, and after a forced garbage collection.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from dashboard.launch import CHROMIUM_ARGS, DashboardServer
from dashboard.snapshot import CACHE_ENV_VAR

ROOT = Path(__file__).resolve().parent.parent
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
# The page is whole: the window's table, the timeline and the sidebar's filters are drawn.
WHOLE_PAGE = """() => ["[data-testid='stDataFrame']", "[data-testid='stVegaLiteChart']",
    "[data-testid='stSidebar'] [data-testid='stMultiSelect']"].every((s) => document.querySelector(s))"""

LAYER_READY = """() => {
    // The map keeps one marker cluster group and brings it to the window the date slider
    // shows (IncidentMap.sliderWindow, read as the slider moves) and to the filter bits of
    // the latest rerun. Returns the visible count once a window asked for since MARK_OLD is
    // drawn: the group holds exactly its incidents and it is the slider's window; else null.
    const IM = window.IncidentMap, v = IM && IM.view;
    if (!v || !v.cluster || v.seq <= (window.__benchSeq || 0) || !v.done) return null;
    const live = IM.sliderWindow();
    if (live && !(v.window && live[0] === v.window[0] && live[1] === v.window[1])) return null;
    return v.cluster.getLayers().length === v.count ? v.count : null;
}"""
RERUN_READY = """() => {
    // The rerun's own view (what the server selected) has reached the map since MARK_OLD,
    // for the window on the map: [the server's count, the map's count].
    const v = window.IncidentMap && window.IncidentMap.view, r = v && v.rerun;
    if (!r || r.seq <= (window.__benchRerun || 0) || !v.done || !v.window || !r.window) return null;
    if (r.window[0] !== v.window[0] || r.window[1] !== v.window[1]) return null;
    return [r.count, v.count];
}"""
MARK_OLD = """() => {
    const v = window.IncidentMap && window.IncidentMap.view;
    window.__benchSeq = v ? v.seq : 0;
    window.__benchRerun = v ? v.rerun.seq : 0;
}"""
# The page has rendered what the first run sent (the chart, the tables and the sidebar are
# drawn after the status widget hides, on the main thread the map's iframe shares): wait for
# an idle period before the first step, as a user's first step comes after the page settles.
PAGE_IDLE = "() => new Promise((r) => requestIdleCallback(() => r(true), { timeout: 10000 }))"
TWO_FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def _map_frame(page, timeout_s: float):
    page.wait_for_selector(MAP_IFRAME, state="attached", timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if "streamlit_folium.st_folium" in frame.url:
                return frame
        page.wait_for_timeout(20)
    raise TimeoutError("the map's iframe never loaded")


def _heap_mb(cdp) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics.get("JSHeapUsedSize", 0) / 1e6


def _poll(page, frame, script: str, since: float, timeout_s: float):
    while time.perf_counter() - since < timeout_s:
        value = frame.evaluate(script)
        if value is not None:
            return value
        page.wait_for_timeout(5)
    raise TimeoutError(f"the map did not follow the step in {timeout_s:.0f} s")


def _one_load(browser, url: str, steps: int, timeout_s: float) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    out: dict = {"steps_s": [], "step_markers": [], "rerun_steps_s": []}
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        frame = _map_frame(page, timeout_s)
        markers = frame.wait_for_function(f"() => ({LAYER_READY})() > 0", polling=25,
                                          timeout=timeout_s * 1000).json_value() and frame.evaluate(LAYER_READY)
        frame.evaluate(TWO_FRAMES)
        out["first_map_s"] = time.perf_counter() - t0
        out["markers"] = markers
        out["heap_after_first_map_mb"] = _heap_mb(cdp)
        # the rest of the page comes once the map is drawn (dashboard/app.py,
        # rest_waits_for_map): the table, the chart and the sidebar's filters
        page.wait_for_function(WHOLE_PAGE, polling=25, timeout=timeout_s * 1000)
        out["whole_page_s"] = time.perf_counter() - t0
        # let that run settle (Streamlit's status idle) before stepping
        status = page.locator("[data-testid='stStatusWidget']")
        status.wait_for(state="hidden", timeout=timeout_s * 1000)
        page.evaluate(PAGE_IDLE)
        page.get_by_role("slider").first.focus()
        for _ in range(steps):
            frame.evaluate(MARK_OLD)
            t1 = time.perf_counter()
            page.keyboard.press("ArrowRight")
            n = _poll(page, frame, LAYER_READY, t1, timeout_s)
            frame.evaluate(TWO_FRAMES)
            out["steps_s"].append(time.perf_counter() - t1)
            out["step_markers"].append(n)
            # then the rerun: its view reaches the map (the table and the chart are redrawn
            # in the same rerun), and it must select what the map already shows
            server_count, map_count = _poll(page, frame, RERUN_READY, t1, timeout_s)
            out["rerun_steps_s"].append(time.perf_counter() - t1)
            if server_count != map_count:
                out["disagreements"] = out.get("disagreements", 0) + 1
            status.wait_for(state="hidden", timeout=timeout_s * 1000)
        out["heap_after_steps_mb"] = _heap_mb(cdp)
        cdp.send("HeapProfiler.collectGarbage")
        out["heap_after_gc_mb"] = _heap_mb(cdp)
    except Exception as exc:  # noqa: BLE001 - recorded, not raised: one failed load must not lose the others
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        out["page_errors"] = errors[:5]
        context.close()
    return out


def measure(sizes: list[int], work: Path, *, loads: int = 3, steps: int = 3, starts: int = 3,
            chromium: str = "/usr/bin/chromium", timeout_s: float = 120, log=print) -> dict:
    """First-map time, slider-step time and JS heap at each size (see the module docstring).

    ``starts`` first starts a size, each with the dashboard's cache folder emptied, each followed
    by a next start on the copy it kept: one cold load each (a single cold load is one sample of
    a figure that varies by a second between runs on a shared 2-core machine). The warm loads
    and the slider steps are those of the first start's server."""
    from playwright.sync_api import sync_playwright

    results: dict = {"sizes": {}, "loads_per_size": loads, "steps_per_load": steps, "starts_per_size": starts}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_ARGS), headless=True)
        results["chromium"] = browser.version
        try:
            for n in sizes:
                data_dir = work / f"incidents_{n}"
                if not (data_dir / "incidents.geojson").is_file():
                    subprocess.run([sys.executable, "-m", "bench.synthetic_incidents", str(n), str(data_dir)],
                                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
                size_mb = (data_dir / "incidents.geojson").stat().st_size / 1e6
                log(f"  dashboard: {n} incidents ({size_mb:.0f} MB of GeoJSON)")
                firsts, nexts, runs, warm_up = [], [], [], None
                for start in range(starts):
                    first, first_runs, kept = _first_and_next_start(
                        browser, data_dir, work, n, loads if start == 0 else 1, steps if start == 0 else 0, timeout_s)
                    firsts.append(first)
                    if kept is not None:
                        nexts.append(kept)
                    if start == 0:
                        runs, warm_up = first_runs, first["warm_up"]
                warm = [r for r in runs[1:] if "first_map_s" in r]
                steps_all = [s for r in runs for s in r["steps_s"] if s is not None]
                cold = _spread([f["first_map_s"] for f in firsts])
                read = _spread([f["data_read_s"] for f in firsts])
                kept_cold = _spread([k["first_map_s"] for k in nexts])
                kept_read = _spread([k["data_read_s"] for k in nexts])
                results["sizes"][str(n)] = {
                    "incidents": n, "geojson_mb": size_mb, "server_start_s": firsts[0]["start_s"],
                    # the medians over the first starts (and over the next starts), their spread beside
                    "server_data_read_s": read["median"], "server_data_read": read, "server_warm_up": warm_up,
                    "first_map_cold_s": cold["median"], "first_map_cold": cold,
                    "kept_copy": bool(nexts),
                    "server_data_read_kept_s": kept_read["median"], "server_data_read_kept": kept_read,
                    "first_map_cold_kept_s": kept_cold["median"], "first_map_cold_kept": kept_cold,
                    "first_starts": firsts, "next_starts": nexts,
                    "first_map_warm_s": _spread([r["first_map_s"] for r in warm]),
                    "whole_page_warm_s": _spread([r["whole_page_s"] for r in warm if "whole_page_s" in r]),
                    "slider_step_s": _spread(steps_all),
                    "rerun_step_s": _spread([s for r in runs for s in r["rerun_steps_s"]]),
                    "step_disagreements": sum(r.get("disagreements", 0) for r in runs),
                    "heap_after_first_map_mb": _spread([r.get("heap_after_first_map_mb") for r in runs]),
                    "heap_after_steps_mb": _spread([r.get("heap_after_steps_mb") for r in runs]),
                    "heap_after_gc_mb": _spread([r.get("heap_after_gc_mb") for r in runs]),
                    "markers_first_map": runs[0].get("markers"),
                    "loads": runs,
                    "load_avg": os.getloadavg(),
                }
                s = results["sizes"][str(n)]
                log(f"    first map cold {_fmt(s['first_map_cold_s'])} (next start {_fmt(s['first_map_cold_kept_s'])}), "
                    f"medians of {len(firsts)} and {len(nexts)} starts; warm {_fmt(s['first_map_warm_s']['median'])} "
                    f"(whole page {_fmt(s['whole_page_warm_s'].get('median'))}), "
                    f"slider step {_fmt(s['slider_step_s']['median'])} (rerun {_fmt(s['rerun_step_s']['median'])}), heap {_fmt(s['heap_after_first_map_mb']['median'], ' MB')}")
        finally:
            browser.close()
    return results


def _first_and_next_start(browser, data_dir: Path, work: Path, n: int, loads: int, steps: int,
                          timeout_s: float) -> tuple[dict, list[dict], dict | None]:
    """A first start on the file (the cache folder emptied: no copy to read) with ``loads`` page
    loads, the first cold; then, when the first kept a copy, a next start with one cold load.
    Returns (the first start, its loads, the next start or None)."""
    # The dashboard keeps what it makes of a large file for its next start (dashboard/snapshot.py),
    # in a cache folder of the benchmark's own.
    cache = work / "dashboard-cache"
    shutil.rmtree(cache, ignore_errors=True)
    before = os.environ.get(CACHE_ENV_VAR)
    os.environ[CACHE_ENV_VAR] = str(cache)
    try:
        server = DashboardServer(data_dir, work / f"streamlit_{n}.log").start()
        try:
            runs = [_one_load(browser, server.url, steps, timeout_s) for _ in range(loads)]
            warm_up = server.wait_warm()
        finally:
            server.stop()
        first = _start_record(server, warm_up, runs[0])
        if not any(cache.glob("*.pickle")):  # (a small file is read directly: no copy)
            return first, runs, None
        kept = DashboardServer(data_dir, work / f"streamlit_{n}_kept.log").start()
        try:
            kept_run = _one_load(browser, kept.url, 0, timeout_s)
            kept_warm_up = kept.wait_warm()
        finally:
            kept.stop()
        return first, runs, _start_record(kept, kept_warm_up, kept_run)
    finally:
        if before is None:
            del os.environ[CACHE_ENV_VAR]
        else:
            os.environ[CACHE_ENV_VAR] = before


def _start_record(server: DashboardServer, warm_up: str | None, cold_load: dict) -> dict:
    return {"start_s": server.start_s, "data_read_s": server.warm_up_s if warm_up == "ok" else None,
            "warm_up": warm_up, "first_map_s": cold_load.get("first_map_s"), "error": cold_load.get("error"),
            "load_avg": os.getloadavg()}


def _spread(values: list) -> dict:
    values = [v for v in values if v is not None]
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def _fmt(v, unit: str = " s") -> str:
    return "n/a" if v is None else f"{v:.2f}{unit}"
