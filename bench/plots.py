"""The benchmark's figures as pictures: scale curves and the side-by-side, drawn from
``bench/results.json`` with matplotlib and written as SVG beside the report.

:func:`figures` makes the figures from the results (no file touched); :func:`write` saves
them. A figure whose measurements are not in the results (a smoke run has no spaCy and no
browser part) is left out. Every point is a median; its bar runs from the fastest to the
slowest run. The issue's targets are drawn in red where they apply.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bench import profiling
from bench.captions import CAPTIONS

OURS = "#1f5fa8"
OURS_LIGHT = "#6f9fd8"
FLOOR = "#555555"
PEER = "#d9822b"
TARGET = "#c62828"
NAMED_SIX = ("jarinje_crossing", "kopaonik", "leposavic", "zvecan", "zubin_potok", "north_mitrovica")

_thousands = FuncFormatter(lambda v, _pos: f"{v:,.0f}")


def figures(res: dict) -> dict[str, Figure]:
    """Every figure the results allow, by name (the names of :data:`CAPTIONS`)."""
    out: dict[str, Figure] = {}
    for name, draw in (("throughput", _throughput), ("memory", _memory), ("peer", _peer),
                       ("dashboard", _dashboard), ("profile", _profile)):
        fig = draw(res)
        if fig is not None:
            out[name] = fig
    return out


def write(res: dict, folder: Path) -> dict[str, Path]:
    """Each of :func:`figures` as ``folder/NAME.svg`` (the same results give the same bytes); a
    figure of :data:`CAPTIONS` these results cannot draw is removed from ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    drawn = figures(res)
    with matplotlib.rc_context({"svg.hashsalt": "incident-map", "svg.fonttype": "none"}):
        for name, fig in drawn.items():
            path = folder / f"{name}.svg"
            fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
            written[name] = path
    for name in CAPTIONS.keys() - drawn.keys():  # not measured this time: no older picture left
        (folder / f"{name}.svg").unlink(missing_ok=True)
    return written


# --- the figures ----------------------------------------------------------------------------


def _median(s: dict | None) -> float | None:
    return None if not s or s.get("n", 1) == 0 else s.get("median")


def _series(rows: dict, key: str, scale: float = 1.0) -> tuple[list[int], list[float], list[list[float]]]:
    """(sizes, medians, [below, above]) of ``rows[size][key]`` where it was measured."""
    xs, ys, lo, hi = [], [], [], []
    for size, row in sorted(rows.items(), key=lambda kv: int(kv[0])):
        s = row.get(key)
        if _median(s) is None:
            continue
        m = s["median"] * scale
        xs.append(int(size))
        ys.append(m)
        lo.append(m - s.get("min", s["median"]) * scale)
        hi.append(s.get("max", s["median"]) * scale - m)
    return xs, ys, [lo, hi]


def _curve(ax, rows: dict, key: str, label: str, colour: str, *, scale: float = 1.0,
           marker: str = "o", style: str = "-") -> bool:
    xs, ys, err = _series(rows, key, scale)
    if not xs:
        return False
    ax.errorbar(xs, ys, yerr=err, label=label, color=colour, marker=marker, linestyle=style,
                capsize=3, linewidth=1.6, markersize=5)
    return True


def _sizes_axis(ax, sizes: list[int], label: str) -> None:
    ax.set_xscale("log")
    ax.set_xticks(sizes)
    ax.set_xticklabels([f"{s:,}" for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel(label)
    if len(sizes) == 1:
        ax.set_xlim(sizes[0] / 2, sizes[0] * 2)
    else:
        ax.set_xlim(sizes[0] / 1.6, sizes[-1] * 1.6)
    ax.grid(True, which="major", alpha=0.3)


def _target_line(ax, y: float, text: str, at: float = 0.01) -> None:
    ax.axhline(y, color=TARGET, linestyle=":", linewidth=1.3)
    ax.annotate(text, xy=(at, y), xycoords=("axes fraction", "data"), xytext=(0, 3),
                textcoords="offset points", color=TARGET, fontsize=8, va="bottom")


def _target_mark(ax, x: float, y: float, text: str) -> None:
    """A target that holds at one size only: a red mark there, named to its left."""
    ax.plot([x], [y], color=TARGET, marker="v", linestyle="none", markersize=9)
    ax.annotate(text, xy=(x, y), xytext=(-8, 0), textcoords="offset points", ha="right", va="center",
                color=TARGET, fontsize=8)


def _throughput(res: dict) -> Figure | None:
    pipe = res.get("pipeline") or {}
    if not pipe:
        return None
    sizes = sorted(int(n) for n in pipe)
    fig = Figure(figsize=(7.5, 4.8))
    ax = fig.add_subplot()
    _curve(ax, pipe, "articles_per_s", "incident-map build, one core (.txt files)", OURS)
    _curve(ax, pipe, "jsonl_articles_per_s", "incident-map build, one core (one .jsonl file)", OURS_LIGHT,
           marker="s", style="--")
    _curve(ax, pipe, "jobs2_articles_per_s", "incident-map build, --jobs 2 (both cores)", OURS_LIGHT,
           marker="^", style="none")
    floor = res.get("floor") or {}
    _curve(ax, floor, "articles_per_s_read_and_scan", "floor: read + name scan alone", FLOOR, marker="D")
    peer = res.get("peer") or {}
    for mode, label, style in (("full", "spaCy en_core_web_sm, whole pipeline", "-"),
                               ("ner", "spaCy en_core_web_sm, NER alone", "--")):
        rate = _median((peer.get(mode) or {}).get("articles_per_s"))
        if rate:
            ax.axhline(rate, color=PEER, linestyle=style, linewidth=1.6, label=label)
    _target_line(ax, 2000, "target: 2,000 articles/s on one core", at=0.12)
    spacy = _median((peer.get("full") or {}).get("articles_per_s"))
    if spacy:
        _target_line(ax, 300 * spacy, f"target: 300× spaCy's measured rate ({300 * spacy:,.0f}/s)", at=0.12)
    xs, ys, _err = _series(floor, "articles_per_s_read_and_scan")
    if xs:
        ax.plot(xs, [y / 4 for y in ys], color=TARGET, linestyle="--", linewidth=1.0, marker="_",
                label="target: a quarter of the floor")
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_thousands)
    ax.set_ylabel("articles a second (log scale)")
    _sizes_axis(ax, sizes, "articles in the corpus (log scale)")
    ax.set_title("Pipeline throughput, end to end")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return fig


def _memory(res: dict) -> Figure | None:
    pipe = res.get("pipeline") or {}
    if not pipe:
        return None
    sizes = sorted(int(n) for n in pipe)
    fig = Figure(figsize=(7.5, 4.0))
    ax = fig.add_subplot()
    _curve(ax, pipe, "peak_rss_mb", "incident-map build, .txt files (peak RSS)", OURS)
    _curve(ax, pipe, "jsonl_peak_rss_mb", "incident-map build, one .jsonl file (peak RSS)", OURS_LIGHT,
           marker="s", style="--")
    base = _median((pipe.get("10000") or {}).get("peak_rss_mb"))
    if base and 100000 in sizes:
        ax.plot([100000], [1.5 * base], color=TARGET, marker="v", linestyle="none", markersize=9,
                label="limit at 100,000: 1.5× the peak at 10,000")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("peak resident memory (MB)")
    _sizes_axis(ax, sizes, "articles in the corpus (log scale)")
    ax.set_title("Peak memory of a build")
    ax.legend(fontsize=8, loc="lower right", frameon=False)
    return fig


def _peer(res: dict) -> Figure | None:
    peer = res.get("peer")
    pipe = res.get("pipeline") or {}
    if not peer or not pipe:
        return None
    big = max(pipe, key=int)
    spacy = _median(peer["full"]["articles_per_s"])
    bars = [
        ("spaCy, whole pipeline", spacy, PEER),
        ("spaCy, NER alone", _median(peer["ner"]["articles_per_s"]), PEER),
        (f"incident-map build\n({int(big):,} articles)", _median(pipe[big]["articles_per_s"]), OURS),
        (f"floor: read + scan\n({int(big):,} articles)",
         _median(((res.get("floor") or {}).get(big) or {}).get("articles_per_s_read_and_scan")), FLOOR),
    ]
    bars = [b for b in bars if b[1]]
    fig = Figure(figsize=(10, 4.2))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    labels = [b[0] for b in bars]
    left.barh(labels, [b[1] for b in bars], color=[b[2] for b in bars])
    for i, (_label, value, _colour) in enumerate(bars):
        left.annotate(f"{value:,.0f}/s", xy=(value, i), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=8)
    left.set_xscale("log")
    left.set_xlim(right=max(b[1] for b in bars) * 4)  # room for the last bar's figure
    left.xaxis.set_major_formatter(_thousands)
    left.invert_yaxis()
    left.set_xlabel("articles a second (log scale)")
    left.set_title("Throughput")
    left.grid(True, axis="x", alpha=0.3)
    if spacy:
        left.axvline(300 * spacy, color=TARGET, linestyle=":", linewidth=1.3)
        left.annotate("300× spaCy", xy=(300 * spacy, 1.0), xycoords=("data", "axes fraction"),
                      xytext=(2, -10), textcoords="offset points", color=TARGET, fontsize=8)
    ours = peer.get("ours_on_sample", {}).get("named_recall", {})
    # a place the sample held no mention of has no recall (None): left out
    places = [p for p in NAMED_SIX if peer["full"]["named_recall"].get(p) is not None and ours.get(p) is not None]
    ys = range(len(places))
    right.barh([y - 0.2 for y in ys], [peer["full"]["named_recall"][p] for p in places], height=0.4,
               color=PEER, label="spaCy (an entity GPE, LOC or FAC over the mention)")
    right.barh([y + 0.2 for y in ys], [ours[p] for p in places], height=0.4, color=OURS,
               label="incident-map (an incident at that place)")
    right.set_yticks(list(ys))
    right.set_yticklabels([p.replace("_", " ") for p in places])
    right.invert_yaxis()
    right.set_xlim(0, 1.05)
    right.set_xlabel("recall of the true incident mentions")
    right.set_title("The six named places")
    right.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), frameon=False)
    right.grid(True, axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def _dashboard(res: dict) -> Figure | None:
    dash = (res.get("dashboard") or {}).get("sizes")
    if not dash:
        return None
    sizes = sorted(int(n) for n in dash)
    fig = Figure(figsize=(13, 4.2))
    first, step, heap = fig.subplots(1, 3)
    _curve(first, dash, "first_map_cold", "cold: the server's first start on the file", OURS)
    _curve(first, dash, "first_map_cold_kept", "cold: a later start (the copy kept)", OURS_LIGHT, marker="s",
           style="--")
    _curve(first, dash, "first_map_warm_s", "warm: the page incident-map dashboard opens", FLOOR, marker="^")
    if 100000 in sizes:
        _target_mark(first, 100000, 4.0, "target at 100,000: 4 s")
    first.set_ylim(bottom=0)
    first.set_ylabel("seconds from navigation to markers drawn")
    first.set_title("First map")
    first.legend(fontsize=8, loc="upper left", frameon=False)
    _curve(step, dash, "slider_step_s", "slider step: the map's new window drawn", OURS, scale=1000)
    _curve(step, dash, "rerun_step_s", "rerun: the server's view reached the map", OURS_LIGHT, scale=1000,
           marker="s", style="--")
    for at, limit, text in ((10000, 300, "target at 10,000: 300 ms"), (100000, 1000, "target at 100,000: 1 s")):
        if at in sizes:
            _target_mark(step, at, limit, text)
    step.set_ylim(bottom=0, top=max(step.get_ylim()[1], 1100 if 100000 in sizes else 0))
    step.set_ylabel("milliseconds from the key press")
    step.set_title("One step of the time slider")
    step.legend(fontsize=8, loc="center left", frameon=False)
    _curve(heap, dash, "heap_after_first_map_mb", "after the first map", OURS)
    _curve(heap, dash, "heap_after_steps_mb", "after the slider steps", OURS_LIGHT, marker="s", style="--")
    _curve(heap, dash, "heap_after_gc_mb", "after a garbage collection", FLOOR, marker="^")
    heap.set_ylim(bottom=0)
    heap.set_ylabel("JS heap used (MB)")
    heap.set_title("The page's JS heap")
    heap.legend(fontsize=8, loc="upper left", frameon=False)
    for ax in (first, step, heap):
        _sizes_axis(ax, sizes, "incidents in the file (log scale)")
    fig.tight_layout()
    return fig


def _profile(res: dict) -> Figure | None:
    prof = res.get("profile")
    per = profiling.article_micros(res, prof) if prof and "steps" in prof else None
    if per is None:
        return None
    parts = [(step, share * per) for step, share in prof["steps"].items() if share > 0]
    fig = Figure(figsize=(11, 3.6))
    ax = fig.add_subplot()
    colours = [*matplotlib.colormaps["tab10"].colors, (0.3, 0.3, 0.3)]
    left = 0.0
    for i, (step, micros) in enumerate(parts):
        ax.barh([0], [micros], left=left, height=0.6, color=colours[i % len(colours)], edgecolor="white",
                label=f"{step}: {micros:,.0f} µs")
        if micros >= 45:
            ax.annotate(f"{micros:,.0f}", xy=(left + micros / 2, 0), ha="center", va="center", fontsize=8,
                        color="white")
        left += micros
    budgets = sorted(profiling.budgets(res), key=lambda b: b[1])
    for i, (name, micros) in enumerate(budgets):
        ax.axvline(micros, color=TARGET, linestyle=":", linewidth=1.4)
        ax.annotate(f"{name}: {micros:,.0f} µs", xy=(micros, 0.42 + 0.17 * i), xytext=(3, 0),
                    textcoords="offset points", color=TARGET, fontsize=8, va="center")
    ax.set_yticks([0])
    ax.set_yticklabels([f"incident-map build\n{prof['articles']:,} articles,\none core"])
    ax.set_ylim(-0.45, 0.95)
    ax.set_xlim(0, max(left, budgets[-1][1]) * 1.05)
    ax.set_xlabel("CPU time an article (µs), by step of the pipeline (py-spy's samples)")
    ax.set_title(f"Where an article's time goes: {left:,.0f} µs in all")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3, frameon=False)
    ax.grid(True, axis="x", alpha=0.3)
    return fig
