"""Score built incidents against a hand-annotated gold file.

Gold JSON: ``{"articles": [ids], "incidents": [{article_id, place_id, event_date|null, date_start,
date_end, event_type, lat, lon}], "must_not": [{article_id, place_id, why}]}``.
Each (article, source) report of a built incident is one prediction; a prediction matches a gold
incident of the same article and place (among several, the one agreeing on the date, then on the
event type: :func:`_pairs`).
- place precision / recall / F1 over those matches;
- exact date: the predicted best day equals the gold day, or, where the gold gives only a window
  (the text pins no day), the predicted window equals it;
- window: the predicted best day lies in the gold window;
- coordinate error: geodesic km from the predicted point to the gold coordinate;
- must-not violations: predictions at places the gold says must not become incidents.
"""

from __future__ import annotations

import json
from pathlib import Path

from geopy.distance import geodesic

from pipeline.errors import DataFileError, GoldFileError

GOLD_SHAPE = ('a gold file is {"articles": [ids], "incidents": [{"article_id", "place_id", "lat", '
              '"lon", ...}], "must_not": [...]}: see tests/gold/')


def _load_json(path: Path, error: type[DataFileError]) -> dict:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(str(path), "not found") from None
    except IsADirectoryError:
        raise error(str(path), "is a folder, not a JSON file") from None
    except OSError as exc:
        raise error(str(path), f"cannot be read ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise error(str(path), f"not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise error(str(path), f"holds a JSON {type(value).__name__}, not an object")
    return value


def predictions(geojson: dict, articles: set[str], path: Path | None = None) -> list[dict]:
    """Each (incident, source) of ``geojson`` whose article is in ``articles``; DataFileError
    naming the feature when the file is not incidents.geojson as ``incident-map build`` writes it."""
    features = geojson.get("features")
    if geojson.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise DataFileError(str(path), "is not a GeoJSON FeatureCollection: give the incidents.geojson "
                            "that 'incident-map build' wrote")
    out = []
    for n, f in enumerate(features):
        what = "its point"
        try:
            lon, lat = f["geometry"]["coordinates"][:2]  # GeoJSON is lon, lat
            what = "the properties place_id, event_date, date_start, date_end, event_type, sources"
            p = f["properties"]
            fields = {k: p[k] for k in ("place_id", "event_date", "date_start", "date_end", "event_type")}
            ids = [s["article_id"] for s in p["sources"]]
        except (KeyError, TypeError, ValueError, IndexError):
            raise DataFileError(str(path), f"feature {n} is not an incident as 'incident-map build' writes "
                                f"it: it lacks {what}") from None
        for article_id in ids:
            if article_id in articles:
                out.append({**fields, "article_id": article_id, "lat": lat, "lon": lon})
    return out


def evaluate(gold_path: Path, incidents_path: Path) -> dict:
    gold = _load_json(gold_path, GoldFileError)
    built = _load_json(incidents_path, DataFileError)
    try:
        articles = set(gold["articles"])
        gold_items = list(gold["incidents"])
        must_not = {(m["article_id"], m["place_id"]) for m in gold.get("must_not", [])}
        for g in gold_items:  # the fields every gold incident needs, read once to check them
            _ = (g["article_id"], g["place_id"], float(g["lat"]), float(g["lon"]))
            if (g.get("date_start") is None) != (g.get("date_end") is None):
                raise KeyError("date_end" if g.get("date_start") else "date_start")
    except (KeyError, TypeError, ValueError) as exc:
        raise GoldFileError(str(gold_path), f"missing or malformed field {exc} ({GOLD_SHAPE})") from None
    preds = predictions(built, articles, incidents_path)
    present = {s.get("article_id") for f in built["features"] for s in f["properties"]["sources"]}
    pairs = _pairs(gold_items, preds)
    matches = [(gold_items[g], preds[p]) for g, p in pairs]
    paired_gold = {g for g, _ in pairs}
    missed = [g for k, g in enumerate(gold_items) if k not in paired_gold]
    paired = {p for _, p in pairs}
    unmatched = [i for i in range(len(preds)) if i not in paired]
    tp = len(matches)
    precision = tp / len(preds) if preds else 0.0
    recall = tp / len(gold_items) if gold_items else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    exact = window = typed = 0
    errors_km = []
    for g, p in matches:
        exact += _exact(g, p)
        window += _in_window(g, p)
        typed += p["event_type"] == g.get("event_type")
        errors_km.append(geodesic((g["lat"], g["lon"]), (p["lat"], p["lon"])).km)
    violations = [
        {"article_id": preds[i]["article_id"], "place_id": preds[i]["place_id"]}
        for i in range(len(preds)) if (preds[i]["article_id"], preds[i]["place_id"]) in must_not
    ]
    return {
        "gold_articles": len(articles), "gold_articles_with_incidents": len(articles & present),
        "gold_incidents": len(gold_items), "predicted": len(preds), "matched": tp,
        "place_precision": round(precision, 4), "place_recall": round(recall, 4), "place_f1": round(f1, 4),
        "exact_dates": exact, "dates_in_window": window, "types_right": typed,  # of the matched
        "date_exact_accuracy": round(exact / tp, 4) if tp else 0.0,
        "date_window_accuracy": round(window / tp, 4) if tp else 0.0,
        "event_type_accuracy": round(typed / tp, 4) if tp else 0.0,
        "coord_error_km_mean": round(sum(errors_km) / len(errors_km), 3) if errors_km else None,
        "coord_error_km_max": round(max(errors_km), 3) if errors_km else None,
        "must_not_violations": violations,
        "missed": [{"article_id": g["article_id"], "place_id": g["place_id"]} for g in missed],
        "spurious": [{"article_id": preds[i]["article_id"], "place_id": preds[i]["place_id"]} for i in unmatched],
    }


def _in_window(g: dict, p: dict) -> bool:
    if g.get("date_start"):
        return bool(p["event_date"]) and g["date_start"] <= p["event_date"] <= g["date_end"]
    return p["event_date"] is None


def _exact(g: dict, p: dict) -> bool:
    """The report's best day is the gold's day, or, where the gold gives only a window, its
    window is the gold's."""
    if g.get("event_date"):
        return p["event_date"] == g["event_date"]
    return (p["date_start"], p["date_end"]) == (g.get("date_start"), g.get("date_end"))


def _agreement(g: dict, p: dict) -> int:
    """How well a report agrees with a gold incident: its exact date counts most, then a date
    in the gold window, then the event type."""
    return 4 * _exact(g, p) + 2 * _in_window(g, p) + (p["event_type"] == g.get("event_type"))


_EXACT_UP_TO = 10  # reports or gold incidents of one place in one article, paired exactly below


def _pairs(gold: list[dict], preds: list[dict]) -> list[tuple[int, int]]:
    """Gold incidents paired with predictions of the same article and place, as many as can
    be: (gold index, prediction index). Of the ways to pair an article's reports of one place
    with its gold incidents, the one that agrees most in all (:func:`_agreement`; ties: the
    first in the files' order), so that a well-dated report is not scored against another
    incident of the place. (A place reported more than ten times in one article and in its
    gold is paired greedily, best agreeing pair first.)"""
    by_place: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    for k, g in enumerate(gold):
        by_place.setdefault((g["article_id"], g["place_id"]), ([], []))[0].append(k)
    for i, p in enumerate(preds):
        group = by_place.get((p["article_id"], p["place_id"]))
        if group is not None:
            group[1].append(i)
    pairs: list[tuple[int, int]] = []
    for golds, reports in by_place.values():
        if golds and reports:
            score = {(k, i): _agreement(gold[k], preds[i]) for k in golds for i in reports}
            pairs += _best_pairing(golds, reports, score)
    return sorted(pairs)


def _best_pairing(golds: list[int], reports: list[int], score: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """The pairing of ``golds`` with ``reports`` (as many pairs as the fewer) of the highest
    total ``score``: exactly, over the subsets of the smaller side, when it has at most
    :data:`_EXACT_UP_TO`; else greedily."""
    few, many, flip = (golds, reports, False) if len(golds) <= len(reports) else (reports, golds, True)

    def s(a: int, b: int) -> int:  # a from few, b from many
        return score[(b, a)] if flip else score[(a, b)]

    if len(few) > _EXACT_UP_TO:
        ranked = sorted((-s(a, b), n, a, b) for n, a in enumerate(few) for b in many)
        used_a: set[int] = set()
        used_b: set[int] = set()
        chosen = []
        for _, _, a, b in ranked:
            if a not in used_a and b not in used_b:
                chosen.append((a, b))
                used_a.add(a)
                used_b.add(b)
    else:
        # best[mask]: the best total and its pairs when the members of ``few`` in ``mask`` are
        # paired with some of the ``many`` seen so far; every one of ``few`` is paired in the end
        best: dict[int, tuple[int, list[tuple[int, int]]]] = {0: (0, [])}
        for b in many:
            step = dict(best)
            for mask, (total, chosen) in best.items():
                for n, a in enumerate(few):
                    if not mask >> n & 1:
                        new = mask | 1 << n
                        value = total + s(a, b)
                        if new not in step or value > step[new][0]:
                            step[new] = (value, [*chosen, (a, b)])
            best = step
        chosen = best[(1 << len(few)) - 1][1]
    return [(b, a) if flip else (a, b) for a, b in chosen]


def format_scores(s: dict) -> str:
    rows = [
        ("gold articles with incidents in the data", f"{s['gold_articles_with_incidents']} of {s['gold_articles']}"),
        ("gold incidents / predicted / matched", f"{s['gold_incidents']} / {s['predicted']} / {s['matched']}"),
        ("place precision", f"{s['place_precision']:.3f}"),
        ("place recall", f"{s['place_recall']:.3f}"),
        ("place F1", f"{s['place_f1']:.3f}"),
        ("date exact accuracy", f"{s['date_exact_accuracy']:.3f} ({s['exact_dates']} of {s['matched']})"),
        ("date in gold window", f"{s['date_window_accuracy']:.3f} ({s['dates_in_window']} of {s['matched']})"),
        ("event type accuracy", f"{s['event_type_accuracy']:.3f} ({s['types_right']} of {s['matched']})"),
        ("coordinate error km (mean / max)", f"{s['coord_error_km_mean']} / {s['coord_error_km_max']}"),
        ("must-not violations", str(len(s["must_not_violations"]))),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    for key in ("missed", "spurious", "must_not_violations"):
        for item in s[key]:
            lines.append(f"  {key}: {item['article_id']} {item['place_id']}")
    return "\n".join(lines)
