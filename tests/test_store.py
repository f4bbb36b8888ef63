"""``pipeline.store`` merges exactly as ``pipeline.merge.merge`` and writes exactly what
``pipeline.export`` writes for the merged incidents: checked on generated candidates with
overlapping windows, undated reports, several reports of one article and shared places."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.export import json_indented, row
from pipeline.extract import Candidate, Dropped
from pipeline.merge import merge
from pipeline.model import UNDATED, DateWindow, Place, Source
from pipeline.store import CandidateStore, dropped_object, entry_text

PLACES = [
    Place("zvecan", "Zvečan", (), "town", 42.9075, 20.84028, "XK", "Zveçan", "test"),
    Place("leposavic", "Leposavić", (), "town", 43.10167, 20.80139, "XK", "Leposaviq", "test"),
    Place("geonames_1", "Banjë", (), "village", 42.5, 20.5, "XK", "Peja", "test", curated=False),
]
TYPES = [("Protests", "Peaceful protest"), ("Riots", "Violent demonstration")]
BASE = dt.date(2022, 12, 1)


@st.composite
def windows(draw):
    if draw(st.integers(0, 9)) == 0:
        return UNDATED
    start = BASE + dt.timedelta(days=draw(st.integers(0, 12)))
    length = draw(st.sampled_from([0, 0, 0, 1, 2, 6, 30]))
    end = start + dt.timedelta(days=length)
    precision = 1 if length == 0 else draw(st.sampled_from([2, 3]))
    day = draw(st.sampled_from([None, start, end]))
    lasting = length > 0 and draw(st.booleans())  # how long it went on, not the days left open
    return DateWindow(day, start, end, precision, "note", lasting)


@st.composite
def articles(draw):
    """[(article_id, published, candidates)] with unique ids; candidates in article order."""
    out = []
    n = draw(st.integers(0, 8))
    ids = draw(st.lists(st.sampled_from([f"a{i}" for i in range(12)]), min_size=n, max_size=n, unique=True))
    for aid in ids:
        published = draw(st.sampled_from([None, "2022-12-05", "2022-12-09"]))
        cands = []
        for k in range(draw(st.integers(0, 4))):
            place = draw(st.sampled_from(PLACES))
            et, sub = draw(st.sampled_from(TYPES))
            at = draw(st.integers(0, 40)) * 10 + k
            source = Source(aid, f"Title {aid} “x”", draw(st.sampled_from(["", "Outlet"])), published, "",
                            f"Quote at {at}, with \u2028 and \"quotes\"", place.name, at, at + len(place.name))
            cands.append(Candidate(place, draw(windows()), et, sub, draw(st.integers(1, 3)), source))
        out.append((aid, published, tuple(cands)))
    return out


@settings(max_examples=400, deadline=None)
@given(articles())
def test_store_merges_like_merge_and_writes_the_same_rows(tmp_path_factory, arts):
    folder = tmp_path_factory.mktemp("store")
    store = CandidateStore(folder)
    try:
        for aid, published, cands in arts:
            store.add_article(aid, published, cands)
        merged = store.merge()
        expected = merge([c for _, _, cands in arts for c in cands])
        got = list(merged.incidents())
        assert [(i.incident_id, i.place, i.when.event_date, i.when.start, i.when.end, i.when.precision, i.when.lasting,
                 i.event_type, i.sub_event_type, i.geo_precision, i.sources) for i in got] == \
            [(i.incident_id, i.place, i.when.event_date, i.when.start, i.when.end, i.when.precision, i.when.lasting,
              i.event_type, i.sub_event_type, i.geo_precision, i.sources) for i in expected]
        assert list(merged.rows()) == [row(i) for i in expected]
        for n, (aid, _, _) in enumerate(arts):
            assert merged.article_incidents(n) == sorted(
                {i.incident_id for i in expected for s in i.sources if s.article_id == aid})
        assert merged.undated == sum(not i.when.dated for i in expected)
    finally:
        store.close()


@settings(max_examples=300, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=25,
), st.integers(0, 3))
def test_json_indented_is_json_dumps(value, level):
    expected = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
    assert json_indented(value, level) == expected


def test_store_merges_like_merge_at_scale(tmp_path):
    """Thousands of reports of few places over a few weeks: long chains of overlapping windows,
    clusters that die and are replaced, undated reports of the same place."""
    import random

    rng = random.Random(7)
    store = CandidateStore(tmp_path)
    everything = []
    try:
        for a in range(1500):
            aid = f"art{rng.randrange(10**6):06d}-{a}"
            published = rng.choice([None, "2022-12-20", "2022-12-21"])
            cands = []
            for k in range(rng.randrange(0, 4)):
                place = rng.choice(PLACES)
                et, sub = rng.choice(TYPES)
                if rng.random() < 0.05:
                    when = UNDATED
                else:
                    start = BASE + dt.timedelta(days=rng.randrange(0, 60))
                    end = start + dt.timedelta(days=rng.choice([0, 0, 1, 2, 7]))
                    when = DateWindow(start, start, end, 1 if start == end else 2)
                at = 100 * k + rng.randrange(100)
                cands.append(Candidate(place, when, et, sub, rng.randrange(1, 4),
                                       Source(aid, "t", "", published, "", "q", place.name, at, at + 3)))
            store.add_article(aid, published, tuple(cands))
            everything.extend(cands)
        merged = store.merge()
        assert list(merged.rows()) == [row(i) for i in merge(everything)]
    finally:
        store.close()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(
    Dropped, st.text(max_size=12), st.sampled_from(["", "zvecan", "belgrade", "x\"y"]),
    st.integers(0, 10**9), st.integers(0, 10**9), st.sampled_from(["dateline", "country name", "a \"quoted\" reason"]),
), max_size=6), st.text(max_size=8))
def test_report_entries_with_dropped_records_are_json_dumps_of_their_objects(dropped, path):
    """build hands extract's Dropped records to the report as they are; each is written as the
    object store.dropped_object makes of it, byte for byte as json.dumps(indent=2) writes it."""
    entry = {"path": path, "article_id": "a", "status": "ok", "error": None, "warnings": [path],
             "mentions_kept": 1, "incidents": ["inc_1"], "dropped": tuple(dropped)}
    objects = dict(entry, dropped=[dropped_object(d) for d in dropped])
    assert entry_text(entry) == json_indented(objects, 2)
