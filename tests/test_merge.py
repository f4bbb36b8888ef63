"""``pipeline.merge``: reports of one place and type become one incident only when their date
windows share a day, all of them (a month-long report does not chain two days together)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings

from pipeline.extract import Candidate
from pipeline.merge import merge
from pipeline.model import DateWindow, Source
from pipeline.store import CandidateStore
from tests.test_store import PLACES, articles

ZVECAN = PLACES[0]


def report(article_id: str, start: dt.date, end: dt.date, precision: int, at: int = 10) -> Candidate:
    when = DateWindow(start if start == end else None, start, end, precision, "note")
    source = Source(article_id, "t", "", None, "", "q", "Zvečan", at, at + 6)
    return Candidate(ZVECAN, when, "Protests", "Peaceful protest", 1, source)


def test_a_month_long_report_does_not_chain_two_days_into_one_incident(tmp_path):
    december = report("month", dt.date(2022, 12, 1), dt.date(2022, 12, 31), 3)
    tenth = report("tenth", dt.date(2022, 12, 10), dt.date(2022, 12, 10), 1)
    eleventh = report("eleventh", dt.date(2022, 12, 11), dt.date(2022, 12, 11), 1)
    incidents = merge([december, tenth, eleventh])
    # the month's report joins the 10th (the first it shares a day with); the 11th stays apart
    assert [(i.when.start, i.when.end, i.when.precision, sorted(s.article_id for s in i.sources))
            for i in incidents] == [
        (dt.date(2022, 12, 10), dt.date(2022, 12, 10), 1, ["month", "tenth"]),
        (dt.date(2022, 12, 11), dt.date(2022, 12, 11), 1, ["eleventh"]),
    ]
    store = CandidateStore(tmp_path)
    try:
        for c in (december, tenth, eleventh):
            store.add_article(c.source.article_id, None, (c,))
        def key(i):  # the store keeps no notes
            return i.incident_id, i.when.event_date, i.when.start, i.when.end, i.when.precision

        assert [key(i) for i in store.merge().incidents()] == [key(i) for i in incidents]
    finally:
        store.close()


@settings(max_examples=400, deadline=None)
@given(articles())
def test_every_incident_is_within_each_of_its_reports_windows(arts):
    candidates = [c for _, _, cands in arts for c in cands]
    by_source = {(c.source.article_id, c.source.char_start): c for c in candidates}
    incidents = merge(candidates)
    assert sorted((s.article_id, s.char_start) for i in incidents for s in i.sources) == sorted(by_source)
    for incident in incidents:
        reports = [by_source[(s.article_id, s.char_start)] for s in incident.sources]
        assert len({r.source.article_id for r in reports}) == len(reports)  # one report an article
        assert len({(r.place.place_id, r.event_type, r.sub_event_type) for r in reports}) == 1
        if not incident.when.dated:
            assert not any(r.when.dated for r in reports)
            continue
        for r in reports:
            assert r.when.start <= incident.when.start <= incident.when.end <= r.when.end
        assert incident.when.start <= incident.when.event_date <= incident.when.end
