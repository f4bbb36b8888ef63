"""Join reports of the same incident: same place, same event and sub-event type, date windows
that share a day. A report joins a group only if its window overlaps every window in it (so
the group has a common day: a month-long report does not chain the 10th and the 11th into one
incident). Undated reports merge only with undated reports from the same place and type."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from pipeline.extract import Candidate
from pipeline.model import DateWindow, Incident


def _merged_window(windows: list[DateWindow]) -> DateWindow:
    """The days all the reports allow; when some say how long it lasted, the days all of those
    say it lasted (a report of its first day, or of the month, does not shorten it)."""
    dated = [w for w in windows if w.dated]
    if not dated:
        return windows[0]
    lasting = [w for w in dated if w.lasting]
    if lasting:
        dated = lasting
    start = max(w.start for w in dated)  # type: ignore[type-var]
    end = min(w.end for w in dated)  # type: ignore[type-var]
    assert start <= end, "merge keeps a common day in every group"
    best = min(dated, key=lambda w: (w.precision, w.end - w.start))  # type: ignore[operator]
    day = best.event_date if best.event_date and start <= best.event_date <= end else start
    precision = 1 if start == end else min(max(best.precision, 2), 3)
    return DateWindow(day, start, end, precision, best.note, lasting=bool(lasting) and start < end)


def incident_id(group: list[Candidate]) -> str:
    """Stable across runs on the same input: a hash of the place, type and source offsets."""
    first = group[0]
    key = "|".join(
        [first.place.place_id, first.event_type, first.sub_event_type]
        + sorted(f"{c.source.article_id}:{c.source.char_start}" for c in group)
    )
    return "inc_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def merge(candidates: list[Candidate]) -> list[Incident]:
    by_key: dict[tuple[str, str, str], list[Candidate]] = defaultdict(list)
    for c in candidates:
        by_key[(c.place.place_id, c.event_type, c.sub_event_type)].append(c)
    incidents: list[Incident] = []
    for key in sorted(by_key):
        group = sorted(
            by_key[key],
            key=lambda c: (c.when.start is None, c.when.start or 0, c.source.article_id, c.source.char_start),
        )
        clusters: list[list[Candidate]] = []
        for c in group:
            for cluster in clusters:
                if all(
                    (c.when.overlaps(o.when) or (not c.when.dated and not o.when.dated))
                    and c.source.article_id != o.source.article_id
                    for o in cluster
                ):
                    cluster.append(c)
                    break
            else:
                clusters.append([c])
        for cluster in clusters:
            sources = tuple(sorted((c.source for c in cluster), key=lambda s: (s.published or "", s.article_id, s.char_start)))
            incidents.append(
                Incident(
                    incident_id=incident_id(cluster), place=cluster[0].place,
                    when=_merged_window([c.when for c in cluster]),
                    event_type=cluster[0].event_type, sub_event_type=cluster[0].sub_event_type,
                    geo_precision=min(c.geo_precision for c in cluster), sources=sources,
                )
            )
    incidents.sort(key=lambda i: (i.when.event_date is None, i.when.event_date or 0, i.place.place_id, i.incident_id))
    return incidents
