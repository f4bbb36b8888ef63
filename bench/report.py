"""``BENCHMARKS.md`` from ``bench/results.json``: the machine, the figures with their spread,
the targets met or missed (by how much), the profile, and the notes in ``bench/NOTES.md``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bench import profiling
from bench.captions import CAPTIONS

NOTES = Path(__file__).resolve().parent / "NOTES.md"


def _n(v, digits: int = 0) -> str:
    if v is None:
        return "n/a"
    return f"{v:,.{digits}f}"


def _spread(s: dict | None, digits: int = 0, unit: str = "") -> str:
    if not s or s.get("median") is None:
        return "n/a"
    if s.get("n", 1) <= 1 or s["min"] == s["max"]:
        return f"{_n(s['median'], digits)}{unit}"
    return f"{_n(s['median'], digits)}{unit} ({_n(s['min'], digits)}–{_n(s['max'], digits)})"


def _over_starts(d: dict, key: str, digits: int = 2, *, measured: bool = True) -> str:
    """A figure measured on each start: the median with its spread; in older results, the one
    start's figure (``d[key + "_s"]``; "n/a" unless ``measured``)."""
    if key in d:
        return _spread(d[key], digits, " s")
    value = d.get(key + "_s") if measured else None
    return "n/a" if value is None else f"{value:.{digits}f} s"


def _cold(d: dict, key: str, digits: int = 2) -> str:
    """A cold figure for the targets: :func:`_over_starts` and how many starts there were."""
    starts = d.get(key, {}).get("n", 1)
    text = _over_starts(d, key, digits)
    return text if starts <= 1 else f"{text}, {starts} starts"


def targets(res: dict) -> list[tuple[str, str, str, bool | None]]:
    """(target, measured, verdict text, met) for each target of issue 4."""
    out: list[tuple[str, str, str, bool | None]] = []
    pipe = res.get("pipeline", {})
    sizes = sorted(int(k) for k in pipe)
    big = str(sizes[-1]) if sizes else None

    def row(name: str, measured: str, value: float | None, goal: float, higher: bool, unit: str = "") -> None:
        if value is None:
            out.append((name, measured, "not measured", None))
            return
        met = value >= goal if higher else value <= goal
        if met:
            verdict = "met"
        elif higher:
            verdict = f"missed: {value / goal:.0%} of the target ({goal / value:.1f}× short)"
        else:
            verdict = f"missed: {value / goal:.1f}× the limit ({_n(value - goal, 2)}{unit} over)"
        out.append((name, measured, verdict, met))

    elapsed = res.get("elapsed_s")
    row("`make bench` under 20 minutes", f"{_n(elapsed / 60 if elapsed else None, 1)} min (this run, without installing)",
        elapsed / 60 if elapsed else None, 20, False, " min")
    if big:
        ours = pipe[big]["articles_per_s"]["median"]
        row(f"≥ 2,000 articles/s on one core at {int(big):,} articles", f"{_n(ours)} articles/s", ours, 2000, True)
        peer = res.get("peer", {}).get("full", {}).get("articles_per_s", {}).get("median")
        ratio = ours / peer if peer else None
        row("≥ 300× spaCy en_core_web_sm (whole pipeline)", f"{_n(ratio)}× ({_n(ours)} vs {_n(peer, 1)} articles/s)",
            ratio, 300, True)
        floor = res.get("floor", {}).get(big, {}).get("articles_per_s_read_and_scan", {}).get("median")
        fr = ours / floor if floor else None
        row("≥ ¼ of the bare-scan floor", f"{_n(fr, 2)} of the floor ({_n(ours)} vs {_n(floor)} articles/s)",
            fr, 0.25, True)
        if "10000" in pipe:
            a, b = pipe["10000"]["peak_rss_mb"]["median"], pipe[big]["peak_rss_mb"]["median"]
            row(f"peak memory at {int(big):,} ≤ 1.5× that at 10,000", f"{_n(b)} MB vs {_n(a)} MB: {b / a:.2f}×",
                b / a, 1.5, False, "×")
    dash = res.get("dashboard", {}).get("sizes", {})
    if "100000" in dash:
        d = dash["100000"]
        row("dashboard, 100k incidents: first map < 4 s (warm server: the page `incident-map dashboard` opens)",
            f"{_n(d['first_map_warm_s']['median'], 2)} s",
            d["first_map_warm_s"]["median"], 4, False, " s")
        row("dashboard, 100k incidents: first map < 4 s (cold: a visit as soon as the server answers, "
            "its first start on the file)",
            _cold(d, "first_map_cold"), d["first_map_cold_s"], 4, False, " s")
        if "first_map_cold_kept_s" in d:
            row("dashboard, 100k incidents: first map < 4 s (cold, a later start: the copy the first kept)",
                _cold(d, "first_map_cold_kept"), d["first_map_cold_kept_s"], 4, False, " s")
        row("dashboard, 100k incidents: slider step < 1 s", f"{_n(d['slider_step_s']['median'], 2)} s",
            d["slider_step_s"]["median"], 1, False, " s")
    if "10000" in dash:
        d = dash["10000"]
        row("dashboard, 10k incidents: slider step < 300 ms", f"{_n(d['slider_step_s']['median'] * 1000 if d['slider_step_s']['median'] else None)} ms",
            d["slider_step_s"]["median"] * 1000 if d["slider_step_s"]["median"] else None, 300, False, " ms")
    return out


def why_missed(res: dict) -> list[str]:
    """Under the targets: why the throughput targets and the dashboard's cold first start at
    100k miss, when they do, in this run's own figures (the profile's steps; the dashboard's
    first and later starts). Nothing for what is met or was not measured."""
    return [p for p in (_why_throughput(res), _why_cold_start(res)) if p]


def _why_throughput(res: dict) -> str | None:
    prof = res.get("profile") or {}
    steps = prof.get("steps") or {}
    cpu = profiling.article_micros(res, prof) if steps else None
    rate = ((res.get("pipeline", {}).get(str(prof.get("articles"))) or {}).get("articles_per_s") or {}).get("median")
    if not cpu or not rate or len(steps) < 2:
        return None
    wall = 1e6 / rate
    missed = [(name, us) for name, us in profiling.budgets(res) if wall > us]
    if not missed:
        return None
    micros = {step: cpu * share for step, share in steps.items()}
    (first, a), (second, b) = sorted(micros.items(), key=lambda item: -item[1])[:2]
    rest = cpu - a - b
    house = sum(micros.get(step, 0.0) for step in profiling.HOUSEKEEPING)
    over = [name for name, us in missed if rest > us]
    below = [name for name, us in missed if house > us]
    return (
        f"**Why {'the throughput targets are' if len(missed) > 1 else 'a throughput target is'} missed** (the "
        f"profile below): at {prof['articles']:,} articles an article takes {wall:,.0f} µs ({rate:,.0f} articles "
        f"a second), {cpu:,.0f} µs of it CPU time shared among the steps below, where the "
        + ("targets allow " if len(missed) > 1 else "target allows ")
        + _and([f"{us:,.0f} µs for {name}" for name, us in missed])
        + f". The largest step, {first}, takes {a:,.0f} µs ({a / cpu:.0%}) and the next, {second}, {b:,.0f} µs; "
        f"without both an article would still take {rest:,.0f} µs"
        + (f", over the {_budgets(over)}" if over else "")
        + f". Reading the files, the bookkeeping and merge, writing the outputs and the start-up, what any "
        f"build of these files does besides finding the incidents, take {house:,.0f} µs"
        + (f", over the whole {_budgets(below)}" if below else "")
        + ".")


def _why_cold_start(res: dict) -> str | None:
    d = res.get("dashboard", {}).get("sizes", {}).get("100000", {})
    cold, kept = d.get("first_map_cold_s"), d.get("first_map_cold_kept_s")
    if cold is None or cold <= 4 or kept is None:  # met (as targets() has it), or nothing to compare
        return None
    head = "**Why the cold first start at 100k misses**: "
    if kept > 4:
        return (head + f"a later start, which reads the copy the first one kept instead of the file, missed too "
                f"({kept:.2f} s): the page costs more than 4 s on this machine even without reading the file. "
                "The notes below say where the seconds go.")
    return (
        head + f"a later start, which reads the copy the first one kept instead of the file, and the map's data "
        f"file it kept instead of making it, drew the first map in {kept:.2f} s. Reading the file and making the "
        f"map's data cost the first start {cold - kept:.2f} s more than those copies; they would have to cost "
        f"{cold - 4:.2f} s less for it to meet 4 s. The notes below say where those seconds go.")


def _budgets(names: list[str]) -> str:
    return ("budget of " if len(names) == 1 else "budgets of ") + _and(names)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def markdown(res: dict, images: dict[str, str] | None = None) -> str:
    """The report; ``images``: the figures (``bench.plots``) by name, as paths relative to the
    report, each shown under the table it draws."""
    m = res["machine"]
    L: list[str] = []
    add = L.append
    images = images or {}

    def image(name: str) -> None:
        if name in images:
            add(f"![{CAPTIONS[name]}]({images[name]})")
            add("")
    add("# Benchmarks")
    add("")
    add("Written by `make bench` (`python -m bench.run`) from `bench/results.json`; "
        + ("**a smoke run (1k articles, one run each): figures not representative.**" if res.get("smoke") else
           "every figure is the median of the runs, with min–max in brackets."))
    add("")
    add(f"- **Run**: {res['started']}, commit `{m.get('commit')}`"
        + (" (with uncommitted changes)" if m.get("uncommitted_changes") else "")
        + f", {res['elapsed_s'] / 60:.1f} minutes")
    add(f"- **Machine**: {m['cpu']}, {m['cores']} cores, {_n(m['memory_gb'], 1)} GB RAM; {m['os']}; Python {m['python']}")
    add(f"- **Load average** (1/5/15 min) at start {_fmt_load(res['load_at_start'])}, at end {_fmt_load(res['load_at_end'])}; "
        "each run's load is in `bench/results.json`")
    v = m["versions"]
    add("- **Versions**: " + ", ".join(f"{k} {v[k]}" for k in v if v[k]))
    if res.get("dashboard", {}).get("chromium"):
        add(f"- **Browser**: Chromium {res['dashboard']['chromium']} (Debian), headless, through Playwright")
    add(f"- Timed commands run pinned to core {res['config']['pinned_core']} (`taskset`) and the pipeline on one process (`--jobs 1`), except in the table marked `--jobs 2`.")
    add("")
    tg = targets(res)
    if tg:
        add("## Targets (issue 4)")
        add("")
        add("| target | measured | verdict |")
        add("|---|---|---|")
        for name, measured, verdict, met in tg:
            mark = "✅" if met else ("❌" if met is False else "–")
            add(f"| {name} | {measured} | {mark} {verdict} |")
        add("")
        for paragraph in why_missed(res):
            add(paragraph)
            add("")
    # corpus
    add("## The corpus")
    add("")
    add("Synthetic and reproducible (`python -m bench.corpus N DIR`, seed "
        f"{res['config']['seed']}): realistic news sentences over the whole gazetteer (the six named places, the "
        "other curated places, the GeoNames settlements under a name only they carry), names and aliases with "
        "and without diacritics, every ACLED event type, the date phrases of the press, datelines, capitals "
        "standing for governments, outlet and agreement names; 5% of the articles carry no publication date. "
        "Written as a folder of .txt files and as one JSON Lines file, with the truth beside them.")
    add("")
    add("| articles | text | true incident mentions | of the six named places |")
    add("|---:|---:|---:|---:|")
    for n, c in res["corpora"].items():
        add(f"| {int(n):,} | {c['text_bytes'] / 1e6:.1f} MB | {c['true_incident_mentions']:,} | {c['true_incident_mentions_named_six']:,} |")
    add("")
    # pipeline
    add("## Pipeline throughput: `incident-map build`, end to end")
    add("")
    add("The whole command in a fresh process (interpreter start, gazetteer, reading every file, extraction, merge, "
        "GeoJSON + CSV + GeoPackage + report.json written), from the folder of .txt files.")
    add("")
    add("| articles | wall time | articles/s | MB/s | CPU time | peak RSS |")
    add("|---:|---:|---:|---:|---:|---:|")
    for n, p in res["pipeline"].items():
        add(f"| {int(n):,} | {_spread(p['wall_s'], 1, ' s')} | {_spread(p['articles_per_s'])} | "
            f"{_spread(p['mb_per_s'], 2)} | {_spread(p['cpu_s'], 1, ' s')} | {_spread(p['peak_rss_mb'], 0, ' MB')} |")
    add("")
    image("throughput")
    add("The same articles as one `articles.jsonl` file (read a line at a time above 32 MB):")
    add("")
    add("| articles | wall time | articles/s | peak RSS |")
    add("|---:|---:|---:|---:|")
    for n, p in res["pipeline"].items():
        if p["jsonl_wall_s"]["n"]:
            add(f"| {int(n):,} | {_spread(p['jsonl_wall_s'], 1, ' s')} | {_spread(p['jsonl_articles_per_s'])} | "
                f"{_spread(p['jsonl_peak_rss_mb'], 0, ' MB')} |")
    add("")
    parallel = [(n, p) for n, p in res["pipeline"].items() if (p.get("jobs2_wall_s") or {}).get("n")]
    if parallel:
        add("For information (the targets are for one core): `--jobs 2`, extraction on two worker processes "
            "beside the main one (reading and bookkeeping), not pinned, on this machine's two cores:")
        add("")
        add("| articles | wall time | articles/s | vs one core | largest peak RSS of one process | "
            "peak memory, all processes (PSS) | the same, `--jobs 1` (PSS) |")
        add("|---:|---:|---:|---:|---:|---:|---:|")
        for n, p in parallel:
            one, two = p["articles_per_s"]["median"], p["jobs2_articles_per_s"]["median"]
            add(f"| {int(n):,} | {_spread(p['jobs2_wall_s'], 1, ' s')} | {_spread(p['jobs2_articles_per_s'])} | "
                f"{two / one:.2f}× | {_spread(p.get('jobs2_peak_rss_mb'), 0, ' MB')} | "
                f"{_spread(p.get('jobs2_tree_peak_pss_mb'), 0, ' MB')} | "
                f"{_spread(p.get('jobs1_tree_peak_pss_mb'), 0, ' MB')} |")
        add("")
        add("Peak memory, all processes: the main process and its workers, sampled every 0.1 s while the "
            "build runs, as the sum of their PSS (each page counted once, split between the processes "
            "that map it: the forked workers share most of theirs with the main process and each other, "
            "which the sum of their RSS would count in each); beside it, a one-process build of the same "
            "articles sampled the same way (not one of the timed runs above). A page the processes share "
            "with other programs counts in part, so PSS is below RSS even for one process.")
        add("")
    image("memory")
    s = res["startup"]
    add(f"Fixed start-up cost: a build of a single article takes {_spread(s['build_one_article_s'], 2, ' s')} "
        f"({_spread(s['build_one_article_rss_mb'], 0, ' MB')} peak), of which loading the gazetteer "
        f"({s['gazetteer_places']:,} places: curated + GeoNames, municipalities by point-in-polygon, geopandas "
        f"imported) is {_spread(s['gazetteer_load_s'], 2, ' s')}.")
    add("")
    # floor and peer
    add("## Side by side: the floor and the peer")
    add("")
    add("**Floor**: the pipeline's own matcher alone (`Matcher.scan`: fold, one Aho-Corasick pass, word boundaries, "
        "longest match first) over the same .txt files, read the same way, nothing else (`python -m bench.floor`). "
        "Timed inside the process, without its start-up.")
    add("")
    add("| articles | read + scan | scan only | Aho-Corasick pass only | names found |")
    add("|---:|---:|---:|---:|---:|")
    for n, f in res["floor"].items():
        add(f"| {int(n):,} | {_spread(f['articles_per_s_read_and_scan'])} articles/s | "
            f"{_spread(f['articles_per_s_scan_only'])} | {_spread(f['articles_per_s_automaton_only'])} | {f['names_found']:,} |")
    add("")
    peer = res.get("peer")
    if peer:
        add(f"**Peer**: spaCy's `en_core_web_sm` ({peer['full']['model']}) over a sample of the same "
            f"{int(peer['corpus']):,}-article corpus: {res['config']['runs']} run(s) of {res['config']['spacy_sample']} "
            "different articles each (the model runs at a few articles a second: the 100k corpus would take hours). "
            "Model loading is not timed. That is only the NER step of a geoparser such as Mordecai3, which then "
            "still looks every entity up in a gazetteer.")
        add("")
        add("| | articles/s | MB/s | peak RSS | recall of the six named places |")
        add("|---|---:|---:|---:|---:|")
        for mode, label in (("full", "spaCy, whole pipeline as loaded"), ("ner", "spaCy, NER component alone")):
            q = peer[mode]
            add(f"| {label} ({', '.join(q['pipes'])}) | {_spread(q['articles_per_s'], 1)} | {_spread(q['mb_per_s'], 3)} | "
                f"{_spread(q['peak_rss_mb'], 0, ' MB')} | {_n(q['named_recall_all'], 3)} |")
        big = max(res["pipeline"], key=int)
        ours = res["pipeline"][big]
        add(f"| incident-map build, {int(big):,} articles | {_spread(ours['articles_per_s'])} | "
            f"{_spread(ours['mb_per_s'], 2)} | {_spread(ours['peak_rss_mb'], 0, ' MB')} | "
            f"{_n(peer['ours_on_sample']['named_recall_all'], 3)} (same sample) |")
        add("")
        f = res["floor"][big]["articles_per_s_read_and_scan"]["median"]
        o = ours["articles_per_s"]["median"]
        add(f"Ratios at {int(big):,} articles: **{o / peer['full']['articles_per_s']['median']:,.0f}×** spaCy's whole "
            f"pipeline, {o / peer['ner']['articles_per_s']['median']:,.0f}× its NER alone, "
            f"**{o / f:.2f}** of the floor.")
        add("")
        add("Recall of the true incident mentions of each named place (spaCy: an entity labelled GPE, LOC or FAC over "
            "the mention, whatever place it might be; ours: an incident at that very place from that very mention):")
        add("")
        add("| place | spaCy | incident-map |")
        add("|---|---:|---:|")
        for place in peer["full"]["named_recall"]:
            add(f"| {place} | {_n(peer['full']['named_recall'][place], 3)} | {_n(peer['ours_on_sample']['named_recall'][place], 3)} |")
        add("")
        image("peer")
    pa = res.get("peer_accuracy")
    if pa:
        add("**The peer on the hand-annotated articles** (`python -m bench.peer_accuracy`): the whole build run twice "
            "on each gold set, once as it is and once with its place names found by spaCy's NER instead of by the "
            "gazetteer scan (a gazetteer name counts as found when it overlaps an entity labelled GPE, LOC or FAC: "
            "a generous lookup); the gazetteer, filters, event types, dates and merging the same; both scored by "
            "`incident-map eval`. *Names found*: the share of gold incidents whose place the finder named in their "
            "article at all, the most its recall can reach. The held-out halves were written by sessions that never "
            "saw the rules; the seeds and the new articles are the ones the rules were made on. (Mordecai3 runs "
            "spaCy's transformer model, which is not on the registries this project installs from.)")
        add("")
        add("| gold set | names found by | names found | place P / R / F1 | exact date | event type | must-not violations |")
        add("|---|---|---:|---|---:|---:|---:|")
        for label, finders in pa["sets"].items():
            for name, q in finders.items():
                who = "the gazetteer scan (ours)" if name == "ours" else f"spaCy `{pa['model']}` NER"
                add(f"| {label} ({q['gold_incidents']} incidents) | {who} | {_n(q['names_found'], 3)} | "
                    f"{q['place_precision']:.3f} / {q['place_recall']:.3f} / {q['place_f1']:.3f} | "
                    f"{q['date_exact_accuracy']:.3f} | {q['event_type_accuracy']:.3f} | {q['must_not_violations']} |")
        add("")
    # accuracy
    add("## Accuracy at scale (against the generator's truth)")
    add("")
    add("| articles | place P / R / F1 | mention recall | date in true window | (single-source / merged incidents) | exact window | event type | + sub-type | planted non-incidents made incidents | six named places recall |")
    add("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|")
    for n, p in res["pipeline"].items():
        a = p["accuracy"]
        add(f"| {int(n):,} | {a['place_precision']:.4f} / {a['place_recall']:.4f} / {a['place_f1']:.4f} | "
            f"{a['mention_recall']:.4f} | {a['date_in_window']:.4f} | "
            f"{_n(a.get('date_in_window_single_source'), 4)} / {_n(a.get('date_in_window_merged'), 4)} "
            f"({_n(100 * a.get('share_in_merged_incidents', 0), 0)}% merged) | {a['date_window_exact']:.4f} | "
            f"{a['event_type']:.4f} | {a['event_and_sub_type']:.4f} | {a['negatives_made_incidents']:.4f} "
            f"({a['negatives']:,}) | {_n(a['named_recall_all'], 4)} |")
    add("")
    add("Dates of merged incidents: the generator draws every article's events independently, so the larger the "
        "corpus, the more reports of the same place, type and days it holds that are different synthetic events; "
        "the merge joins them as one incident when their dates share a day (that is its rule), and the incident's "
        "date, a day all their dates allow, is not always each one's true day. "
        "Each article's own dating is the single-source figure.")
    add("")
    add("Caveat: the sentence templates and the rules come from the same team, like the gold files; these scores "
        "show the rules hold at scale and on every place of the gazetteer, not how they fare on unseen reporting.")
    add("")
    # dashboard
    dash = res.get("dashboard")
    if dash:
        add("## Dashboard latency (headless Chromium, `streamlit run`)")
        add("")
        add(f"Synthetic `incidents.geojson` files (`python -m bench.synthetic_incidents N DIR`); {dash['loads_per_size']} page "
            f"loads a size (the first right after the server started: *cold*; the others *warm*), {dash['steps_per_load']} "
            "slider steps a load (the first once the page is whole and idle). The server starts reading the data as "
            "soon as it answers, as `incident-map dashboard` has it do (*data read*: from the server's start until that "
            "is done, when the command says the dashboard is ready and opens it in the user's browser: that first "
            "page is a warm load); the cold load starts as soon as the server answers and waits for what is left "
            "of the reading. The dashboard keeps what it makes of a large file for its next start "
            "(`dashboard/snapshot.py`): after the loads, a second server is started on the same file, with the copy "
            f"the first kept, for one more cold load (*next start*). The cold figures are medians over "
            f"{dash.get('starts_per_size', 1)} such pairs of starts, each first start with no copy to read, "
            "min–max in brackets (the warm loads and the steps are the first server's). First map: from navigation "
            "until every marker of the window is in the map's layer and painted. Whole page (warm): until the rest of "
            "the page, which a session's first run sends once the map is drawn, is there too (the table, the "
            "timeline, the sidebar's filters). Slider step: from the key press (the window's start moved one day) until the map shows "
            "the slider's new window, complete and painted (the map reads the window from the slider itself). "
            "Rerun: from the same key press until the rerun's own view (the server's selection for the new window, "
            "sent with the table and the chart) has reached the map; a rerun that selects other incidents than the "
            "map already shows is a disagreement. JS heap: Chromium's `JSHeapUsedSize`.")
        add("")
        add("| incidents | GeoJSON | data read | first map, cold | data read, next start | first map, cold, next start "
            "| first map, warm | whole page, warm | slider step "
            "| rerun | disagreements | JS heap after first map | after steps | after GC |")
        add("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n, d in dash["sizes"].items():
            errors = [ld["error"] for ld in d["loads"] if ld.get("error")]
            read = _over_starts(d, "server_data_read", 1, measured=d.get("server_warm_up") == "ok")
            kept_read = _over_starts(d, "server_data_read_kept", 1)
            if not d.get("kept_copy", True):
                kept_read += " (no copy: file under the size kept)"
            add(f"| {int(n):,} | {d['geojson_mb']:.0f} MB | {read} | {_over_starts(d, 'first_map_cold')} | "
                f"{kept_read} | {_over_starts(d, 'first_map_cold_kept')} | "
                f"{_spread(d['first_map_warm_s'], 2, ' s')} | {_spread(d.get('whole_page_warm_s') or {}, 2, ' s')} | "
                f"{_spread(d['slider_step_s'], 2, ' s')} | "
                f"{_spread(d.get('rerun_step_s') or {}, 2, ' s')} | {d.get('step_disagreements', 'n/a')} | "
                f"{_spread(d['heap_after_first_map_mb'], 0, ' MB')} | {_spread(d['heap_after_steps_mb'], 0, ' MB')} | "
                f"{_spread(d['heap_after_gc_mb'], 0, ' MB')} |" + (f" errors: {'; '.join(errors)}" if errors else ""))
        add("")
        image("dashboard")
    if res.get("dashboard_skipped"):
        add(f"Dashboard latency: not measured in this run: {res['dashboard_skipped']}.")
        add("")
    prof = res.get("profile")
    if prof and "tree" in prof:
        _profile_section(res, prof, add, image)
    elif prof:  # results of a run before the profile was sampled (pyinstrument's text tree)
        add(f"## Profile: `incident-map build` of {prof['articles']:,} articles (pyinstrument)")
        add("")
        add(f"Wall time under the profiler {prof['wall_s']:.0f} s; calls taking at least 2% of it "
            f"(the whole profile: `{prof['file']}`, not committed):")
        add("")
        add("```")
        L.extend(prof["top"])
        add("```")
        add("")
    if res.get("profile_skipped"):
        add(f"Profile: not made in this run: {res['profile_skipped']}.")
        add("")
    if NOTES.is_file():
        L.append(NOTES.read_text(encoding="utf-8").rstrip())
        add("")
    return "\n".join(L) + "\n"


def _profile_section(res: dict, prof: dict, add: Callable[[str], None], image: Callable[[str], None]) -> None:
    n = prof["articles"]
    per = profiling.article_micros(res, prof)
    add(f"## Profile: `incident-map build` of {n:,} articles (py-spy)")
    add("")
    add(f"The whole build sampled by py-spy {prof['rate_hz']} times a second, on one core and one process "
        f"({prof['samples']:,} samples, {prof['wall_s']:.0f} s under the profiler; py-spy's collapsed stacks: "
        f"`{prof['file']}`, not committed). **Where an article's time goes**: each sample counted for the step "
        "of the innermost project module on its stack (the imports and the gazetteer's load for the start-up, "
        "everything under writing the outputs for that), "
        + (f"and a step's time an article its share of the timed runs' CPU time at this size ({per:,.0f} µs an "
           "article)." if per else "as a share of the samples."))
    add("")
    add("| step | share of the samples | µs an article |")
    add("|---|---:|---:|")
    for step, share in prof["steps"].items():
        add(f"| {step} | {100 * share:.1f}% | {_n(per * share if per else None)} |")
    add("")
    need = "; ".join(f"{name}: {us:,.0f} µs" for name, us in profiling.budgets(res))
    add(f"What an article may take, all steps included, to meet each throughput target: {need}.")
    add("")
    image("profile")
    add("Calls taking at least 2% of the samples, nested as they were called (share of the whole build):")
    add("")
    add("```")
    for line in prof["tree"]:
        add(line)
    add("```")
    add("")
    add("The functions that took the most time in their own code (the regular expressions' and the "
        "automaton's time counts for the line that called them):")
    add("")
    add("| function | file | share of the samples |")
    add("|---|---|---:|")
    for function, file, share in prof["own"]:
        add(f"| `{function}` | `{file}` | {100 * share:.1f}% |")
    add("")


def _fmt_load(load) -> str:
    return " / ".join(f"{x:.2f}" for x in load)
