"""The benchmark's figures (bench/plots.py) draw the results they are given, and the report shows
them. The figures of a real run are looked at by eye; these check what they are made of."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import plots, profiling, report

ROOT = Path(__file__).resolve().parent.parent


def spread(median: float, lo: float | None = None, hi: float | None = None, n: int = 3) -> dict:
    return {"median": median, "min": median if lo is None else lo, "max": median if hi is None else hi, "n": n}


NONE = {"median": None, "min": None, "max": None, "n": 0}


def results(*, peer: bool = True, dashboard: bool = True, profiled: bool = True) -> dict:
    pipe = {
        str(n): {"articles_per_s": spread(rate, rate - 10, rate + 20), "jsonl_articles_per_s": spread(rate + 5, n=1),
                 "jobs2_articles_per_s": NONE, "peak_rss_mb": spread(rss), "jsonl_peak_rss_mb": spread(rss + 1, n=1)}
        for n, rate, rss in ((1000, 600.0, 190.0), (10000, 1100.0, 210.0), (100000, 1200.0, 270.0))
    }
    floor = {str(n): {"articles_per_s_read_and_scan": spread(14000.0 + n / 1000)} for n in (1000, 10000, 100000)}
    res = {"pipeline": pipe, "floor": floor}
    if peer:
        recall = dict.fromkeys(plots.NAMED_SIX, 0.5)
        res["peer"] = {"full": {"articles_per_s": spread(20.0), "named_recall": recall},
                       "ner": {"articles_per_s": spread(40.0), "named_recall": recall},
                       "ours_on_sample": {"named_recall": dict.fromkeys(plots.NAMED_SIX, 1.0)}}
    if profiled:
        pipe["100000"]["cpu_s"] = spread(80.0)  # 800 µs an article
        shares = dict.fromkeys(profiling.STEPS, 0.0) | {"filters": 0.25, "dates": 0.25, "name scan": 0.5}
        res["profile"] = {"articles": 100000, "steps": shares, "tree": [], "own": []}
    if dashboard:
        res["dashboard"] = {"sizes": {
            str(n): {"first_map_cold": spread(c), "first_map_cold_kept": spread(c - 1) if n > 1000 else NONE,
                     "first_map_warm_s": spread(2.0), "slider_step_s": spread(s), "rerun_step_s": spread(s + 0.1),
                     "heap_after_first_map_mb": spread(30.0), "heap_after_steps_mb": spread(50.0),
                     "heap_after_gc_mb": spread(40.0)}
            for n, c, s in ((1000, 2.5, 0.1), (10000, 2.9, 0.13), (100000, 4.7, 0.18))}}
    return res


def lines_by_label(ax) -> dict:
    """The axes' labelled lines, an error-bar series by its data line."""
    found = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    found.update({c.get_label(): c.lines[0] for c in ax.containers if hasattr(c, "has_yerr")})
    return found


def test_throughput_draws_each_series_at_its_medians_with_the_targets():
    fig = plots.figures(results())["throughput"]
    (ax,) = fig.axes
    lines = lines_by_label(ax)
    ours = lines["incident-map build, one core (.txt files)"]
    assert list(ours.get_xdata()) == [1000, 10000, 100000]
    assert list(ours.get_ydata()) == [600.0, 1100.0, 1200.0]
    assert list(lines["floor: read + name scan alone"].get_ydata()) == [14001.0, 14010.0, 14100.0]
    assert list(lines["target: a quarter of the floor"].get_ydata()) == [14001.0 / 4, 14010.0 / 4, 14100.0 / 4]
    assert set(lines["spaCy en_core_web_sm, whole pipeline"].get_ydata()) == {20.0}
    assert set(lines["spaCy en_core_web_sm, NER alone"].get_ydata()) == {40.0}
    assert "incident-map build, --jobs 2 (both cores)" not in lines  # not measured: not drawn
    red = {y for line in ax.get_lines() if line.get_color() == plots.TARGET for y in line.get_ydata()}
    assert {2000, 300 * 20.0} <= red
    texts = {t.get_text() for t in ax.texts}
    assert "target: 300× spaCy's measured rate (6,000/s)" in texts
    assert ax.get_yscale() == "log" and ax.get_xscale() == "log"


def test_the_bars_run_from_the_fastest_to_the_slowest_run():
    fig = plots.figures(results())["throughput"]
    (ax,) = fig.axes
    ours = next(c for c in ax.containers if c.get_label() == "incident-map build, one core (.txt files)")
    _line, _caps, (bars,) = ours.lines
    segments = [tuple(seg[:, 1]) for seg in bars.get_segments()]
    assert segments == [(590.0, 620.0), (1090.0, 1120.0), (1190.0, 1220.0)]


def test_memory_marks_the_limit_at_a_hundred_thousand():
    (ax,) = plots.figures(results())["memory"].axes
    lines = lines_by_label(ax)
    assert list(lines["incident-map build, .txt files (peak RSS)"].get_ydata()) == [190.0, 210.0, 270.0]
    limit = lines["limit at 100,000: 1.5× the peak at 10,000"]
    assert list(limit.get_xdata()) == [100000] and list(limit.get_ydata()) == [pytest.approx(315.0)]


def test_dashboard_panels_and_their_targets():
    first, step, heap = plots.figures(results())["dashboard"].axes
    cold = lines_by_label(first)["cold: the server's first start on the file"]
    assert list(cold.get_ydata()) == [2.5, 2.9, 4.7]
    kept = lines_by_label(first)["cold: a later start (the copy kept)"]
    assert list(kept.get_xdata()) == [10000, 100000]  # no copy at 1,000: no point
    assert 4.0 in {y for line in first.get_lines() if line.get_color() == plots.TARGET for y in line.get_ydata()}
    assert list(lines_by_label(step)["slider step: the map's new window drawn"].get_ydata()) == \
        [pytest.approx(100.0), pytest.approx(130.0), pytest.approx(180.0)]
    marks = {(x, y) for line in step.get_lines() if line.get_color() == plots.TARGET
             for x, y in zip(line.get_xdata(), line.get_ydata())}
    assert marks == {(10000, 300), (100000, 1000)}
    assert len(lines_by_label(heap)) == 3


def test_the_profile_stacks_each_step_against_what_the_targets_allow():
    (ax,) = plots.figures(results())["profile"].axes
    bars = [(c.get_label(), c.patches[0].get_x(), c.patches[0].get_width()) for c in ax.containers]
    assert bars == [("name scan: 400 µs", 0.0, 400.0), ("filters: 200 µs", 400.0, 200.0),
                    ("dates: 200 µs", 600.0, 200.0)]  # in the pipeline's order, steps with no time left out
    limits = sorted(x for line in ax.get_lines() for x in line.get_xdata())
    assert limits == pytest.approx(sorted([500.0, 500.0, 1e6 / 6000, 1e6 / 6000, 1e6 / (14100 / 4), 1e6 / (14100 / 4)]))
    assert ax.get_title() == "Where an article's time goes: 800 µs in all"


def test_figures_without_their_measurements_are_left_out():
    assert set(plots.figures(results(peer=False, dashboard=False, profiled=False))) == {"throughput", "memory"}
    assert set(plots.figures(results())) == set(plots.CAPTIONS)
    assert plots.figures({"pipeline": {}}) == {}


def test_written_figures_are_svg_with_their_words_and_the_same_bytes_each_time(tmp_path):
    first = plots.write(results(), tmp_path / "a")
    again = plots.write(results(), tmp_path / "b")
    assert set(first) == set(plots.CAPTIONS)
    for name, path in first.items():
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith("<?xml") and "<svg" in text
        assert path.read_bytes() == again[name].read_bytes(), name
    assert "target: 2,000 articles/s on one core" in first["throughput"].read_text(encoding="utf-8")
    assert "zubin potok" in first["peer"].read_text(encoding="utf-8")


def test_the_report_shows_the_figures_it_is_given_under_their_tables():
    res = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    plain = report.markdown(res)
    assert "![" not in plain
    md = report.markdown(res, {"throughput": "bench/plots/throughput.svg", "dashboard": "x/dashboard.svg"})
    assert f"![{plots.CAPTIONS['throughput']}](bench/plots/throughput.svg)" in md
    assert md.index("(bench/plots/throughput.svg)") > md.index("## Pipeline throughput")
    assert md.index("(x/dashboard.svg)") > md.index("## Dashboard latency")
    assert "memory.svg" not in md and "peer.svg" not in md


def test_the_committed_report_shows_the_committed_figures():
    md = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
    res = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    drawn = set(plots.figures(res))
    assert {"throughput", "memory"} <= drawn
    for name in plots.CAPTIONS:
        shown = f"(bench/plots/{name}.svg)" in md
        assert shown == (name in drawn) == (ROOT / "bench" / "plots" / f"{name}.svg").is_file(), name


def test_a_figure_the_results_cannot_draw_is_not_left_from_an_older_run(tmp_path):
    plots.write(results(), tmp_path)
    assert (tmp_path / "dashboard.svg").is_file() and (tmp_path / "profile.svg").is_file()
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    written = plots.write(results(dashboard=False, profiled=False), tmp_path)
    assert set(written) == {"throughput", "memory", "peer"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["memory.svg", "notes.txt", "peer.svg", "throughput.svg"]


def test_a_place_the_spacy_sample_did_not_mention_is_left_out_of_the_recall_bars():
    res = results()
    res["peer"]["full"]["named_recall"]["kopaonik"] = None  # no true mention in the sample
    _speed, recall = plots.figures(res)["peer"].axes
    assert [t.get_text() for t in recall.get_yticklabels()] == [
        "jarinje crossing", "leposavic", "zvecan", "zubin potok", "north mitrovica"]
