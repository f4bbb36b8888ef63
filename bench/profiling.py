"""The pipeline's profile at scale, from py-spy's samples of one ``incident-map build``
(``py-spy record --format raw``: one line a distinct stack, outermost frame first, with how many
samples saw it).

:func:`parse` reads the samples; :func:`tree` gives the calls that took at least a share of the
time, nested as they were called; :func:`own_time` the functions by the time spent in their own
code; :func:`steps` each step of the pipeline's share, which the report turns into time an
article (:func:`article_micros`) and sets against what the targets allow (:func:`budgets`).
No file is read here: the caller passes the text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

Frame = tuple[str, str]  # (function, file as py-spy shows it: relative to the project or site-packages)

_FRAME = re.compile(r"^(.*) \((.*?)(?::(\d+))?\)$")


@dataclass(frozen=True)
class Samples:
    stacks: list[tuple[tuple[Frame, ...], int]]  # outermost frame first, line numbers dropped
    total: int


def parse(text: str) -> Samples:
    """py-spy's raw output (collapsed stacks) as stacks of (function, file) and their counts."""
    stacks: list[tuple[tuple[Frame, ...], int]] = []
    total = 0
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = tuple(_frame(raw) for raw in stack.split(";"))
        stacks.append((frames, int(count)))
        total += int(count)
    return Samples(stacks, total)


def _frame(raw: str) -> Frame:
    m = _FRAME.match(raw)
    return (m.group(1), m.group(2)) if m else (raw, "")


def tree(samples: Samples, min_share: float = 0.02, limit: int = 45) -> list[str]:
    """The calls that took at least ``min_share`` of the samples, as an indented tree: each its
    share of the whole, then its function (indented by its depth) and its file, the heaviest
    first at each level."""
    children: dict[tuple[Frame, ...], Counter] = {}
    for frames, count in samples.stacks:
        # the interpreter's own machinery (running a module, importing one): not the program's
        frames = tuple(f for f in frames if not f[1].startswith("<frozen "))
        for depth in range(len(frames)):
            children.setdefault(frames[:depth], Counter())[frames[depth]] += count
    lines: list[str] = []

    def walk(path: tuple[Frame, ...], depth: int) -> None:
        for frame, count in children.get(path, Counter()).most_common():
            if count / samples.total < min_share or len(lines) >= limit:
                return
            lines.append(f"{100 * count / samples.total:5.1f}%  {'  ' * depth}{frame[0]}  {frame[1]}")
            walk((*path, frame), depth + 1)

    if samples.total:
        walk((), 0)
    return lines


def own_time(samples: Samples, top: int = 15) -> list[tuple[str, str, float]]:
    """The functions that took the most time in their own code: (function, file, share)."""
    own: Counter = Counter()
    for frames, count in samples.stacks:
        own[frames[-1]] += count
    return [(f, file, n / samples.total) for (f, file), n in own.most_common(top)] if samples.total else []


# A sample taken while a module was being imported, or the gazetteer loaded, goes to the
# start-up, and one taken while the outputs were written to writing them, whatever they called;
# any other goes to the step of the innermost project file on its stack (a helper such as
# pipeline/caseless.py counts for the step that called it).
PHASES = {"_matcher": "start-up: imports, the gazetteer", "write_outputs_streaming": "writing the outputs"}
STEP_FILES = {
    "pipeline/ingest.py": "reading the files",
    "pipeline/feeds.py": "reading the files",
    "pipeline/match.py": "name scan",
    "pipeline/sentences.py": "sentences",
    "pipeline/filters.py": "filters",
    "pipeline/dates.py": "dates",
    "pipeline/events.py": "event types",
    "pipeline/extract.py": "the rest of extraction",
    "pipeline/parallel.py": "the rest of extraction",
    "pipeline/store.py": "bookkeeping and merge",
    "pipeline/merge.py": "bookkeeping and merge",
    "pipeline/build.py": "bookkeeping and merge",
    "pipeline/export.py": "writing the outputs",
    "geodata/gazetteer.py": "start-up: imports, the gazetteer",
    "geodata/boundaries.py": "start-up: imports, the gazetteer",
    "pipeline/cli.py": "start-up: imports, the gazetteer",
}
STEPS = ("start-up: imports, the gazetteer", "reading the files", "name scan", "sentences", "filters",
         "dates", "event types", "the rest of extraction", "bookkeeping and merge", "writing the outputs",
         "elsewhere")
# The steps that read the files, keep the books and write the outputs (and start up): what any
# build of these files does besides finding the incidents in them.
HOUSEKEEPING = (STEPS[0], STEPS[1], STEPS[8], STEPS[9])


def step_of(frames: tuple[Frame, ...]) -> str:
    if any(_importing(f) for f in frames):
        return STEPS[0]
    for function, _file in frames:
        if function in PHASES:
            return PHASES[function]
    for _function, file in reversed(frames):
        step = STEP_FILES.get(file)
        if step is not None:
            return step
    return "elsewhere"


def _importing(frame: Frame) -> bool:
    return frame[1].startswith("<frozen importlib")


def steps(samples: Samples) -> dict[str, float]:
    """Each step's share of the samples, in the pipeline's order (:data:`STEPS`)."""
    counts: Counter = Counter()
    for frames, count in samples.stacks:
        counts[step_of(frames)] += count
    return {step: counts[step] / samples.total for step in STEPS} if samples.total else {}


# --- from the results: what the figures are set against -----------------------------------


def budgets(res: dict) -> list[tuple[str, float]]:
    """What an article may take, all steps included, to meet each throughput target: (the
    target, µs an article), from this run's floor and spaCy figures where they were measured."""
    out = [("2,000 articles a second", 1e6 / 2000)]
    pipe = res.get("pipeline", {})
    big = max(pipe, key=int) if pipe else None
    floor = ((res.get("floor") or {}).get(big) or {}).get("articles_per_s_read_and_scan") or {}
    spacy = (((res.get("peer") or {}).get("full") or {}).get("articles_per_s")) or {}
    if spacy.get("median"):
        out.append(("300× spaCy", 1e6 / (300 * spacy["median"])))
    if floor.get("median"):
        out.append(("a quarter of the floor", 1e6 / (floor["median"] / 4)))
    return out


def article_micros(res: dict, prof: dict) -> float | None:
    """The timed runs' CPU time an article at the profiled size (the profiler's own run is slower)."""
    cpu = ((res.get("pipeline", {}).get(str(prof["articles"])) or {}).get("cpu_s") or {}).get("median")
    return None if cpu is None else 1e6 * cpu / prof["articles"]
