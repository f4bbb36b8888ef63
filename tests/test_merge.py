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


def report(article_id: str, start: dt.date, end: dt.date, precision: int, at: int = 10, lasting: bool = False) -> Candidate:
    when = DateWindow(start if start == end else None, start, end, precision, "note", lasting)
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
        # within every report's window; when some said how long it lasted, within theirs, and
        # sharing a day with the others'
        lasting = [r for r in reports if r.when.lasting]
        for r in lasting or reports:
            assert r.when.start <= incident.when.start <= incident.when.end <= r.when.end
        for r in reports:
            assert r.when.start <= incident.when.end and incident.when.start <= r.when.end
        assert incident.when.start <= incident.when.event_date <= incident.when.end


def test_how_long_a_blockade_lasted_is_not_shortened_by_a_report_of_its_first_day(tmp_path):
    """One article: the blockade "from 20 September to 2 October"; another: "on 20 September";
    a third: "in September". One incident, 20 September to 2 October; two reports of how long
    it lasted give the days both say."""
    d = dt.date
    lasted = report("lasted", d(2021, 9, 20), d(2021, 10, 2), 3, lasting=True)
    first = report("first", d(2021, 9, 20), d(2021, 9, 20), 1)
    month = report("month", d(2021, 9, 1), d(2021, 9, 30), 3)
    shorter = report("shorter", d(2021, 9, 20), d(2021, 10, 1), 3, lasting=True)
    for n, (reports, window) in enumerate((([lasted, first, month], (d(2021, 9, 20), d(2021, 10, 2))),
                                           ([lasted, first, shorter], (d(2021, 9, 20), d(2021, 10, 1))),
                                           ([first, month], (d(2021, 9, 20), d(2021, 9, 20))))):
        (incident,) = merge(reports)
        assert (incident.when.start, incident.when.end) == window
        assert incident.when.event_date == d(2021, 9, 20)
        assert incident.when.lasting == (window[0] != window[1])
        (tmp_path / str(n)).mkdir()
        store = CandidateStore(tmp_path / str(n))
        try:
            for c in reports:
                store.add_article(c.source.article_id, None, (c,))
            (stored,) = store.merge().incidents()
            assert (stored.when.start, stored.when.end, stored.when.precision) == (
                incident.when.start, incident.when.end, incident.when.precision)
        finally:
            store.close()
