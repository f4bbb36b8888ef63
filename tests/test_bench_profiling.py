"""The benchmark's profile (bench/profiling.py): py-spy's collapsed stacks summed into the tree,
the functions' own time and the pipeline's steps that BENCHMARKS.md shows."""

from __future__ import annotations

import pytest

from bench import profiling, report

TOP = ("_run_module_as_main (<frozen runpy>:198)", "<module> (incident-map:8)", "main (pipeline/cli.py:222)",
       "cmd_build (pipeline/cli.py:153)")
EXTRACT = (*TOP, "build (pipeline/build.py:153)", "_extract_all (pipeline/build.py:206)")


def stack(*frames: str, count: int) -> str:
    """A line of py-spy's raw output: the frames outermost first, then how many samples."""
    return ";".join(frames) + f" {count}"


RAW = "\n".join([
    stack(*EXTRACT, "extract (pipeline/extract.py:372)", "drop_reason (pipeline/filters.py:441)",
          "Prefiltered.search (pipeline/caseless.py:345)", count=30),
    stack(*EXTRACT, "extract (pipeline/extract.py:380)", "date_for (pipeline/dates.py:652)",
          "_scan (pipeline/dates.py:161)", count=20),
    stack(*EXTRACT, "extract (pipeline/extract.py:390)", count=10),
    stack(*TOP, "build (pipeline/build.py:160)", "write_outputs_streaming (pipeline/export.py:218)",
          "_write_gpkg (pipeline/export.py:137)", "Merged.rows (pipeline/store.py:311)", count=15),
    stack(*TOP, "build (pipeline/build.py:120)", "_matcher (pipeline/build.py:55)", "load (geodata/gazetteer.py:223)",
          "assign_admin2 (geodata/boundaries.py:35)", "_find_and_load (<frozen importlib._bootstrap>:1176)",
          "<module> (geopandas/__init__.py:1)", count=10),
    stack("<module> (incident-map:8)", "_find_and_load (<frozen importlib._bootstrap>:1176)",
          "<module> (pipeline/dates.py:1)", count=5),
    stack(*EXTRACT, "CandidateStore.add_article (pipeline/store.py:109)", count=6),
    stack(*TOP, "build (pipeline/build.py:120)", "_matcher (pipeline/build.py:55)", "load (geodata/gazetteer.py:223)",
          "Matcher.__init__ (pipeline/match.py:89)", count=4),
    "not a line of samples",
    "",
])


def test_parse_counts_the_samples_and_drops_line_numbers():
    samples = profiling.parse(RAW)
    assert samples.total == 100
    frames, count = samples.stacks[0]
    assert count == 30 and frames[-1] == ("Prefiltered.search", "pipeline/caseless.py")


def test_each_sample_goes_to_its_step():
    shares = profiling.steps(profiling.parse(RAW))
    assert list(shares) == list(profiling.STEPS)
    assert shares["filters"] == pytest.approx(0.30)  # caseless.py counts for the rule that called it
    assert shares["dates"] == pytest.approx(0.20)
    assert shares["the rest of extraction"] == pytest.approx(0.10)
    assert shares["writing the outputs"] == pytest.approx(0.15)  # store.py's rows, while writing
    # an import, wherever it happens, and the gazetteer's load, even where match.py runs under it
    assert shares["start-up: imports, the gazetteer"] == pytest.approx(0.19)
    assert shares["name scan"] == 0.0
    assert shares["bookkeeping and merge"] == pytest.approx(0.06)
    assert sum(shares.values()) == pytest.approx(1.0)


def test_the_tree_nests_calls_heaviest_first_and_hides_the_interpreters_machinery():
    lines = profiling.tree(profiling.parse(RAW), min_share=0.1)
    assert lines[0] == "100.0%  <module>  incident-map"
    assert lines[1] == " 95.0%    main  pipeline/cli.py"
    extract = next(line for line in lines if "  extract  " in line)
    assert extract.startswith(" 60.0%")
    below = lines[lines.index(extract) + 1]
    assert below.startswith(" 30.0%") and below.index("drop_reason") == extract.index("extract") + 2  # nested
    assert not any("<frozen" in line for line in profiling.tree(profiling.parse(RAW), min_share=0.0))
    assert all(float(line.split("%")[0]) >= 10 for line in lines)


def test_own_time_is_the_innermost_frame():
    own = profiling.own_time(profiling.parse(RAW), top=2)
    assert own == [("Prefiltered.search", "pipeline/caseless.py", 0.30), ("_scan", "pipeline/dates.py", 0.20)]


def test_budgets_and_the_time_an_article_come_from_the_run():
    res = {"pipeline": {"100000": {"cpu_s": {"median": 80.0}}},
           "floor": {"100000": {"articles_per_s_read_and_scan": {"median": 16000.0}}},
           "peer": {"full": {"articles_per_s": {"median": 20.0}}}}
    assert profiling.budgets(res) == [("2,000 articles a second", 500.0),
                                    ("300× spaCy", pytest.approx(1e6 / 6000)), ("a quarter of the floor", 250.0)]
    assert profiling.article_micros(res, {"articles": 100000}) == pytest.approx(800.0)
    assert profiling.article_micros(res, {"articles": 10000}) is None
    assert profiling.budgets({}) == [("2,000 articles a second", 500.0)]


def test_the_report_shows_the_steps_in_microseconds_and_the_tree():
    samples = profiling.parse(RAW)
    res = {"pipeline": {"100000": {"cpu_s": {"median": 80.0}}},
           "profile": {"articles": 100000, "tool": "py-spy", "rate_hz": 100, "samples": samples.total, "wall_s": 90.0,
                       "file": "bench/out/profile_100000.txt", "tree": profiling.tree(samples),
                       "own": profiling.own_time(samples), "steps": profiling.steps(samples)}}
    lines: list[str] = []
    report._profile_section(res, res["profile"], lines.append, lambda name: lines.append(f"<{name}>"))
    text = "\n".join(lines)
    assert "## Profile: `incident-map build` of 100,000 articles (py-spy)" in text
    assert "| filters | 30.0% | 240 |" in text  # 30% of 800 µs an article
    assert "2,000 articles a second: 500 µs" in text
    assert "<profile>" in text and "100.0%  <module>  incident-map" in text
    assert "| `Prefiltered.search` | `pipeline/caseless.py` | 30.0% |" in text


def run_results(*, rate: float, spacy: float, floor: float, cold: float | None, kept: float | None,
                cpu_s: float = 80.0, steps: dict | None = None) -> dict:
    """Results of a run at 100,000 articles (by default 80 s of CPU: 800 µs an article) with a
    profile and the dashboard's first and later starts (None: not measured)."""
    if steps is None:
        steps = {"filters": 0.25, "dates": 0.2, "name scan": 0.15, "reading the files": 0.1,
                 "bookkeeping and merge": 0.1, "writing the outputs": 0.1,
                 "start-up: imports, the gazetteer": 0.05, "event types": 0.05}
    pipe = {n: {"articles_per_s": {"median": rate}, "cpu_s": {"median": cpu_s}, "peak_rss_mb": {"median": 200.0}}
            for n in ("10000", "100000")}
    dash = {"first_map_warm_s": {"median": 2.0}, "slider_step_s": {"median": 0.2}}
    for key, value in (("first_map_cold", cold), ("first_map_cold_kept", kept)):
        if value is not None:
            dash[key + "_s"] = value
            dash[key] = {"median": value, "min": value, "max": value, "n": 3}
    return {"pipeline": pipe, "floor": {"100000": {"articles_per_s_read_and_scan": {"median": floor}}},
            "peer": {"full": {"articles_per_s": {"median": spacy}}},
            "profile": {"articles": 100000, "steps": steps},
            "dashboard": {"sizes": {"100000": dash}}}


def test_the_report_says_why_a_missed_target_is_missed_in_the_runs_own_figures():
    # 1,000 articles a second: 1,000 µs an article, 800 of them CPU time
    res = run_results(rate=1000.0, spacy=20.0, floor=16000.0, cold=4.5, kept=3.0)
    throughput, cold = report.why_missed(res)
    assert throughput.startswith("**Why the throughput targets are missed**")
    assert "an article takes 1,000 µs (1,000 articles a second), 800 µs of it CPU time" in throughput
    assert ("the targets allow 500 µs for 2,000 articles a second, 167 µs for 300× spaCy and 250 µs for a "
            "quarter of the floor.") in throughput
    assert "The largest step, filters, takes 200 µs (25%) and the next, dates, 160 µs" in throughput
    # without the two largest steps: 440 µs, within 2,000 a second's 500 µs but over the other two
    assert "would still take 440 µs, over the budgets of 300× spaCy and a quarter of the floor." in throughput
    assert "take 280 µs, over the whole budgets of 300× spaCy and a quarter of the floor." in throughput
    assert "drew the first map in 3.00 s" in cold
    assert "cost the first start 1.50 s more than those copies; they would have to cost 0.50 s less" in cold


def test_only_the_missed_throughput_targets_are_explained():
    # 1,600 a second: 625 µs an article; 300x spaCy (5/s) allows 667 µs and a quarter of the floor
    # (4,000/s) 1,000 µs: only 2,000 a second is missed
    (only,) = report.why_missed(run_results(rate=1600.0, spacy=5.0, floor=4000.0, cold=3.5, kept=3.0, cpu_s=60.0))
    assert only.startswith("**Why a throughput target is missed**")
    assert "where the target allows 500 µs for 2,000 articles a second." in only
    assert "spaCy" not in only and "floor" not in only
    assert "would still take 330 µs." in only  # 600 µs of CPU less 150 and 120: within the budget, said as is


def test_the_cold_start_is_explained_from_what_its_later_start_shows():
    def cold_paragraph(cold, kept):
        return [p for p in report.why_missed(run_results(rate=2500.0, spacy=5.0, floor=8000.0, cold=cold, kept=kept))]

    assert cold_paragraph(4.0, 3.0) == []  # 4.00 s is met (as the targets table has it)
    assert cold_paragraph(4.5, None) == []  # no later start to compare with
    for kept in (4.3, 4.6):  # the later start misses too (even slower than the first): the page alone does
        (slow,) = cold_paragraph(4.5, kept)
        assert f"missed too ({kept:.2f} s): the page costs more than 4 s on this machine even without" in slow
        assert "less" not in slow


def test_nothing_is_explained_when_the_targets_are_met_or_not_measured():
    assert report.why_missed(run_results(rate=2500.0, spacy=5.0, floor=8000.0, cold=3.5, kept=3.0)) == []
    assert report.why_missed({}) == []
    smoke = run_results(rate=600.0, spacy=5.0, floor=8000.0, cold=None, kept=None)
    del smoke["profile"], smoke["peer"], smoke["dashboard"]  # a smoke run: no profile, spaCy or browser
    assert report.why_missed(smoke) == []
    one_step = run_results(rate=600.0, spacy=5.0, floor=8000.0, cold=None, kept=None, steps={"filters": 1.0})
    assert report.why_missed(one_step) == []


def test_the_reasons_come_under_the_targets_table():
    import json
    from pathlib import Path

    res = json.loads((Path(__file__).resolve().parent.parent / "bench" / "results.json").read_text(encoding="utf-8"))
    mine = run_results(rate=1000.0, spacy=20.0, floor=16000.0, cold=4.5, kept=3.0)
    res["pipeline"]["100000"] |= mine["pipeline"]["100000"]
    res["profile"] |= mine["profile"]
    res["dashboard"]["sizes"]["100000"] |= mine["dashboard"]["sizes"]["100000"]
    paragraphs = report.why_missed(res)
    assert len(paragraphs) == 2
    md = report.markdown(res)
    for paragraph in paragraphs:
        assert md.index("## Targets (issue 4)") < md.index(paragraph) < md.index("## The corpus")
