"""The peer on the hand-annotated articles (bench/peer_accuracy.py): its name finder keeps only
the names an NER's place entities cover, and the rest of the build is ours. spaCy itself is a
benchmark-only extra; here the entities are given by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.peer_accuracy import EntityMatcher, compare, names_found
from geodata.gazetteer import load
from pipeline.build import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TODAY = __import__("datetime").date(2026, 11, 22)


def _gazetteer():
    return load()  # (the build's: curated and GeoNames)


def test_a_name_counts_as_found_when_an_entity_overlaps_it():
    text = "Serbs blocked the road to the Jarinje border crossing, and police came from Pristina."
    jarinje = text.index("Jarinje")
    entity_of_one_word = EntityMatcher(_gazetteer(), lambda t: [(jarinje, jarinje + len("Jarinje"))])
    mentions, _ = entity_of_one_word.find(text)
    # the longest name the entity touches: the crossing, not the village
    assert [(m.place_id, m.text) for m in mentions] == [("jarinje_crossing", "Jarinje border crossing")]

    before = EntityMatcher(_gazetteer(), lambda t: [(0, jarinje - 1)])  # ends before the name
    assert before.find(text)[0] == []
    after = EntityMatcher(_gazetteer(), lambda t: [(jarinje + len("Jarinje border crossing"), len(text))])
    assert [m.place_id for m in after.find(text)[0]] == ["pristina"]


def test_with_every_word_an_entity_the_build_is_ours_and_with_none_it_finds_nothing(tmp_path):
    ours = build([SEEDS], tmp_path / "ours", today=TODAY, jobs=1)
    everything = EntityMatcher(_gazetteer(), lambda t: [(0, len(t))])
    same = build([SEEDS], tmp_path / "all", today=TODAY, jobs=1, matcher=everything)
    nothing = build([SEEDS], tmp_path / "none", today=TODAY, jobs=1, matcher=EntityMatcher(_gazetteer(), lambda t: []))
    assert ours.incidents == same.incidents == 12
    assert (tmp_path / "ours" / "incidents.geojson").read_bytes() == (tmp_path / "all" / "incidents.geojson").read_bytes()
    assert nothing.incidents == 0 and nothing.articles_ok == ours.articles_ok == 5
    assert names_found(tmp_path / "none") == set()


def test_a_finder_that_misses_a_place_loses_it_in_the_scores(tmp_path):
    def without_kopaonik(text: str) -> list[tuple[int, int]]:
        # every word an entity but those near "Kopaonik" (so that no longer name, "Mount
        # Kopaonik", overlaps an entity either)
        spans, start = [], 0
        for m in re.finditer(r"Kopaonik", text):
            spans.append((start, max(start, m.start() - 30)))
            start = m.end() + 30
        return [*spans, (start, len(text))]

    sets = (("seeds", "seeds", "tests/gold/seeds_gold.json"),)
    scores = compare({"ours": None, "blind": EntityMatcher(_gazetteer(), without_kopaonik)}, sets=sets)["seeds"]
    gold = json.loads((ROOT / "tests/gold/seeds_gold.json").read_text(encoding="utf-8"))["incidents"]
    at_kopaonik = sum(g["place_id"] == "kopaonik" for g in gold)
    assert at_kopaonik >= 1
    assert scores["ours"]["place_recall"] == 1.0 and scores["ours"]["names_found"] == 1.0
    assert scores["blind"]["matched"] == scores["ours"]["matched"] - at_kopaonik
    assert scores["blind"]["names_found"] == round(1 - at_kopaonik / len(gold), 4)
    assert scores["blind"]["place_precision"] == 1.0  # nothing else changed
