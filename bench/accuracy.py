"""Score a build of a synthetic corpus against the truth the generator wrote.

- place: an (article, place) pair is predicted when some incident has a source from that
  article at that place; precision, recall and F1 against the true pairs;
- mention: a true incident mention is found when an incident's source starts at the same
  offset of the same article, at the true place;
- date: of the found mentions, the share whose ``event_date`` lies in the true window, and
  whose window is exactly the true one, also apart for mentions whose incident was merged with
  other articles' reports (the generator draws every article's events independently, so at
  100k articles many reports of the same place, type and days are different synthetic events
  the merge rightly joins when their dates share a day: the day they share is not always each
  one's true day);
  type: event type, and event plus sub-event type;
- negatives: planted non-incidents (datelines, places named with nothing happening there)
  that became incidents anyway;
- the six named places: recall of their true mentions, each.

Reads the output line by line (``incidents.geojson`` has one feature a line) and the truth
line by line.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

NAMED = ("jarinje_crossing", "kopaonik", "leposavic", "zvecan", "zubin_potok", "north_mitrovica")


def read_predictions(geojson: Path) -> dict[tuple[str, int], tuple]:
    """(article id, mention offset) -> (place id, event type, sub type, event date, start, end,
    number of sources of the incident)."""
    out: dict[tuple[str, int], tuple] = {}
    with open(geojson, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip().rstrip(",")
            if not line.startswith('{"type":"Feature"'):
                continue
            p = json.loads(line)["properties"]
            for s in p["sources"]:
                out[(s["article_id"], s["char_start"])] = (
                    p["place_id"], p["event_type"], p["sub_event_type"], p["event_date"], p["date_start"],
                    p["date_end"], p["source_count"])
    return out


def score(geojson: Path, truth: Path, only: set[str] | None = None) -> dict:
    """The scores of one build; ``only`` limits them to those article ids."""
    pred = read_predictions(geojson)
    pred_pairs: set[tuple[str, str]] = set()
    for (aid, _), v in pred.items():
        if only is None or aid in only:
            pred_pairs.add((aid, v[0]))
    true_pairs: set[tuple[str, str]] = set()
    found = dates_in = dates_exact = types = subtypes = mentions = 0
    merged = merged_dates_in = 0
    negatives = negatives_hit = 0
    named_total: Counter = Counter()
    named_found: Counter = Counter()
    articles = 0
    with open(truth, encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)
            if only is not None and t["id"] not in only:
                continue
            articles += 1
            for inc in t["incidents"]:
                true_pairs.add((t["id"], inc["place_id"]))
                mentions += 1
                if inc["place_id"] in NAMED:
                    named_total[inc["place_id"]] += 1
                got = pred.get((t["id"], inc["char_start"]))
                if got is None or got[0] != inc["place_id"]:
                    continue
                found += 1
                if inc["place_id"] in NAMED:
                    named_found[inc["place_id"]] += 1
                date_ok = got[3] is not None and inc["date_start"] <= got[3] <= inc["date_end"]
                dates_in += date_ok
                if got[6] > 1:  # merged with other articles' reports of the same place, type, days
                    merged += 1
                    merged_dates_in += date_ok
                if (got[4], got[5]) == (inc["date_start"], inc["date_end"]):
                    dates_exact += 1
                types += got[1] == inc["event_type"]
                subtypes += (got[1], got[2]) == (inc["event_type"], inc["sub_event_type"])
            for neg in t["negatives"]:
                negatives += 1
                got = pred.get((t["id"], neg["char_start"]))
                negatives_hit += got is not None
    tp = len(pred_pairs & true_pairs)
    precision = tp / len(pred_pairs) if pred_pairs else 0.0
    recall = tp / len(true_pairs) if true_pairs else 0.0
    return {
        "articles": articles,
        "place_precision": precision,
        "place_recall": recall,
        "place_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "true_pairs": len(true_pairs), "predicted_pairs": len(pred_pairs),
        "mention_recall": found / mentions if mentions else 0.0,
        "true_mentions": mentions,
        "date_in_window": dates_in / found if found else 0.0,
        "date_window_exact": dates_exact / found if found else 0.0,
        "share_in_merged_incidents": merged / found if found else 0.0,
        "date_in_window_single_source": (dates_in - merged_dates_in) / (found - merged) if found > merged else None,
        "date_in_window_merged": merged_dates_in / merged if merged else None,
        "event_type": types / found if found else 0.0,
        "event_and_sub_type": subtypes / found if found else 0.0,
        "negatives": negatives,
        "negatives_made_incidents": negatives_hit / negatives if negatives else 0.0,
        "named_recall": {p: (named_found[p] / named_total[p] if named_total[p] else None) for p in NAMED},
        "named_mentions": {p: named_total[p] for p in NAMED},
        "named_recall_all": sum(named_found.values()) / sum(named_total.values()) if named_total else None,
    }
