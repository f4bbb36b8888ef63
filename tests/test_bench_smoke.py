"""The benchmark stays runnable: ``python -m bench.run --smoke`` on 1,000 synthetic articles.

It generates the corpus, runs ``incident-map build`` on it (from the .txt folder and from the
.jsonl file), the floor (the matcher alone), scores the build against the generator's truth and
writes the results, the Markdown report and its figures. The measured numbers are not asserted: timings belong in
BENCHMARKS.md, not in tests. The spaCy pass, the browser part and the profile are left out of
the smoke run (spaCy is a benchmark-only extra, and together they would add minutes); ``make
bench`` runs them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench import corpus
from bench.corpus import CorpusWriter, ensure_corpus, write_corpus

ROOT = Path(__file__).resolve().parent.parent


def test_corpus_is_reproducible_and_its_truth_points_into_the_text(tmp_path):
    a = write_corpus(30, tmp_path / "a", seed=5)
    b = write_corpus(30, tmp_path / "b", seed=5)
    assert a["text_bytes"] == b["text_bytes"]
    assert (tmp_path / "a" / "articles.jsonl").read_bytes() == (tmp_path / "b" / "articles.jsonl").read_bytes()
    texts = {json.loads(line)["id"]: json.loads(line)["text"]
             for line in (tmp_path / "a" / "articles.jsonl").read_text(encoding="utf-8").splitlines()}
    for line in (tmp_path / "a" / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        t = json.loads(line)
        assert (tmp_path / "a" / "txt" / f"{t['id']}.txt").read_text(encoding="utf-8") == texts[t["id"]]
        assert t["incidents"], "every article reports at least one incident"
        for rec in t["incidents"] + t["negatives"]:
            assert texts[t["id"]][rec["char_start"]:rec["char_end"]] == rec["mention"]


def test_a_kept_corpus_is_written_again_when_the_gazetteer_or_generator_changed(tmp_path, monkeypatch):
    first = ensure_corpus(5, tmp_path / "c", seed=5)
    manifest = tmp_path / "c" / "manifest.json"
    stamp = manifest.stat().st_mtime_ns
    assert ensure_corpus(5, tmp_path / "c", seed=5) == first
    assert manifest.stat().st_mtime_ns == stamp  # kept
    monkeypatch.setattr(corpus, "inputs_digest", lambda: "another gazetteer")
    again = ensure_corpus(5, tmp_path / "c", seed=5)
    assert again["inputs"] == "another gazetteer" and manifest.stat().st_mtime_ns != stamp


def test_corpus_draws_on_the_whole_gazetteer():
    gen = CorpusWriter(seed=1)
    places = {rec["place_id"] for i in range(400) for rec in gen.article(i)[1]["incidents"]}
    assert {"jarinje_crossing", "kopaonik", "leposavic", "zvecan", "zubin_potok", "north_mitrovica"} <= places
    assert sum(p.startswith("geonames_") for p in places) > 100


def test_smoke_benchmark_runs_and_reports(tmp_path):
    out_json, out_md = tmp_path / "results.json", tmp_path / "BENCH.md"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--work", str(tmp_path / "out"),
         "--corpus-dir", str(tmp_path / "corpus"), "--json", str(out_json), "--markdown", str(out_md)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    res = json.loads(out_json.read_text(encoding="utf-8"))
    assert res["smoke"] is True and res["config"]["sizes"] == [1000]
    assert set(res["machine"]) >= {"cpu", "cores", "python", "versions"}
    pipe = res["pipeline"]["1000"]
    for key in ("wall_s", "articles_per_s", "mb_per_s", "peak_rss_mb", "cpu_s", "jsonl_articles_per_s",
                "jobs2_articles_per_s"):
        assert pipe[key]["n"] >= 1 and pipe[key]["median"] > 0, key
    assert all(run["load_before"] and run["returncode"] == 0 for run in pipe["runs"])
    assert all(run["command"][-2:] == ["--jobs", "1"] for run in pipe["runs"])  # one core: no workers
    assert pipe["jobs2_runs"] and all(run["command"][-2:] == ["--jobs", "2"] for run in pipe["jobs2_runs"])
    # the workers' memory is measured with the main process's: main + 2 workers were seen
    assert all(run["tree_processes"] >= 3 and run["tree_peak_pss_mb"] > 0 for run in pipe["jobs2_runs"])
    assert all(run["tree_processes"] == 1 and run["tree_peak_pss_mb"] > 0 for run in pipe["jobs1_sampled_runs"])
    assert all(run["tree_peak_pss_mb"] is None for run in pipe["runs"])  # the timed runs: not sampled
    acc = pipe["accuracy"]
    assert acc["articles"] == 1000 and acc["true_mentions"] > 1000
    for key in ("place_precision", "place_recall", "place_f1", "mention_recall", "date_in_window",
                "event_type", "negatives_made_incidents", "named_recall_all"):
        assert 0.0 <= acc[key] <= 1.0, key
    assert set(acc["named_recall"]) == {"jarinje_crossing", "kopaonik", "leposavic", "zvecan", "zubin_potok",
                                         "north_mitrovica"}
    floor = res["floor"]["1000"]
    assert floor["names_found"] > 0 and floor["articles_per_s_read_and_scan"]["median"] > 0
    assert res["startup"]["gazetteer_places"] > 2000
    md = out_md.read_text(encoding="utf-8")
    for heading in ("## Targets", "## Pipeline throughput", "## Side by side", "## Accuracy at scale"):
        assert heading in md
    assert "`--jobs 2`" in md and "peak memory, all processes" in md
    # its figures: the ones a smoke run has the measurements for, shown by the report
    for name in ("throughput", "memory"):  # beside the report it was asked for, not in bench/plots
        assert (tmp_path / "plots" / f"{name}.svg").read_text(encoding="utf-8").count("<svg") == 1
        assert f"(plots/{name}.svg)" in md, name
    assert not (tmp_path / "plots" / "dashboard.svg").exists() and "dashboard.svg" not in md
