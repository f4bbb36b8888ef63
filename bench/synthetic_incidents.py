"""A seeded generator of synthetic, contract-conforming ``incidents.geojson`` files.

For scale tests of the dashboard (10,000 and 100,000 incidents): the incidents lie over the
gazetteer's region (northern Kosovo and around, lon 20.0-21.8, lat 42.2-43.4), clustered
around real towns with made-up sites near them; dates fall in 2021-2023 with bursts in the
crisis periods; every incident has 1-4 sources whose quotes contain the place name.
Everything is synthetic (the outlets' URLs are under the reserved ``example.org``) and
the same seed always gives the same file.

    python -m bench.synthetic_incidents 10000 /tmp/synthetic --seed 7
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

LON_RANGE = (20.0, 21.8)
LAT_RANGE = (42.2, 43.4)
FIRST_DAY, LAST_DAY = dt.date(2021, 1, 1), dt.date(2023, 12, 31)

# Approximate town coordinates (lat, lon): anchors for synthetic sites, not a gazetteer.
ANCHORS = (
    ("Leposavić", 43.102, 20.801, "XK", "Leposaviq", 6),
    ("Jarinje", 43.219, 20.692, "XK", "Leposaviq", 6),
    ("Zvečan", 42.908, 20.840, "XK", "Zveçan", 6),
    ("Zubin Potok", 42.914, 20.689, "XK", "Zubin Potok", 5),
    ("North Mitrovica", 42.893, 20.866, "XK", "North Mitrovica", 9),
    ("South Mitrovica", 42.881, 20.871, "XK", "Mitrovica", 4),
    ("Banjska", 42.982, 20.777, "XK", "Zveçan", 3),
    ("Brnjak", 42.962, 20.548, "XK", "Zubin Potok", 3),
    ("Rudare", 42.925, 20.832, "XK", "Zveçan", 2),
    ("Vučitrn", 42.823, 20.967, "XK", "Vushtrri", 2),
    ("Skenderaj", 42.747, 20.789, "XK", "Skenderaj", 2),
    ("Podujevo", 42.911, 21.193, "XK", "Podujeva", 2),
    ("Pristina", 42.663, 21.165, "XK", "Pristina", 4),
    ("Gračanica", 42.600, 21.193, "XK", "Gracanica", 2),
    ("Istok", 42.781, 20.487, "XK", "Istog", 1),
    ("Peja", 42.659, 20.288, "XK", "Peja", 1),
    ("Gjilan", 42.464, 21.469, "XK", "Gjilan", 1),
    ("Ferizaj", 42.370, 21.155, "XK", "Ferizaj", 1),
    ("Raška", 43.286, 20.614, "RS", "Raska District", 3),
    ("Kopaonik", 43.269, 20.823, "RS", "Raska District", 2),
    ("Novi Pazar", 43.137, 20.512, "RS", "Raska District", 2),
    ("Tutin", 42.990, 20.337, "RS", "Raska District", 1),
    ("Kuršumlija", 43.140, 21.272, "RS", "Toplica District", 1),
    ("Merdare", 43.040, 21.286, "RS", "Toplica District", 2),
    ("Brus", 43.384, 21.032, "RS", "Rasina District", 1),
)
SITES_PER_ANCHOR = 11
SITE_RADIUS_DEG = 0.07

# (start, end, weight): periods with many more incidents than usual.
BURSTS = (
    (dt.date(2021, 9, 20), dt.date(2021, 10, 4), 6.0),
    (dt.date(2021, 10, 13), dt.date(2021, 10, 16), 2.0),
    (dt.date(2022, 7, 31), dt.date(2022, 8, 3), 2.5),
    (dt.date(2022, 11, 5), dt.date(2022, 11, 30), 3.0),
    (dt.date(2022, 12, 10), dt.date(2022, 12, 31), 6.0),
    (dt.date(2023, 5, 26), dt.date(2023, 6, 12), 5.0),
    (dt.date(2023, 9, 24), dt.date(2023, 9, 30), 3.0),
)
BACKGROUND_WEIGHT = 8.0

EVENT_TYPES = (
    ("Protests", 34, ("Peaceful protest", "Protest with intervention")),
    ("Strategic developments", 24, ("Arrests", "Change to group/activity", "Agreement")),
    ("Riots", 12, ("Violent demonstration", "Mob violence")),
    ("Violence against civilians", 9, ("Attack", "Abduction/forced disappearance")),
    ("Explosions/Remote violence", 9, ("Grenade", "Remote explosive/landmine/IED")),
    ("Battles", 12, ("Armed clash",)),
)
VERBS = {
    "Protests": "hundreds gathered to protest",
    "Strategic developments": "police set up new checkpoints",
    "Riots": "protesters clashed with police",
    "Violence against civilians": "a local resident was attacked",
    "Explosions/Remote violence": "an explosive device went off",
    "Battles": "gunfire was exchanged",
}
OUTLETS = (
    ("Balkan Monitor", "balkan-monitor"),
    ("Kosovo Online Daily", "kosovo-online"),
    ("Danube Wire", "danube-wire"),
    ("Regional Observer", "regional-observer"),
    ("Ibar Valley News", "ibar-valley"),
    ("Adriatic Report", "adriatic-report"),
)
SOURCE_COUNTS = ((1, 55), (2, 25), (3, 12), (4, 8))
UNDATED_SHARE = 0.015


def _weighted(rng: random.Random, pairs: tuple[tuple[Any, float], ...]) -> Any:
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights, k=1)[0]


def _places(rng: random.Random) -> list[dict[str, Any]]:
    places = []
    for name, lat, lon, country, admin2, weight in ANCHORS:
        slug = name.lower().replace(" ", "_")
        for k in range(SITES_PER_ANCHOR):
            if k == 0:
                p_lat, p_lon, location, precision = lat, lon, name, 1
            else:
                p_lat = lat + rng.uniform(-SITE_RADIUS_DEG, SITE_RADIUS_DEG)
                p_lon = lon + rng.uniform(-SITE_RADIUS_DEG, SITE_RADIUS_DEG) * 1.35
                location, precision = f"{name} site {k}", rng.choice((1, 1, 2))
            places.append(
                {
                    "place_id": f"syn_{slug}_{k}",
                    "location": location,
                    "mention": name,
                    "lat": min(max(p_lat, LAT_RANGE[0]), LAT_RANGE[1]),
                    "lon": min(max(p_lon, LON_RANGE[0]), LON_RANGE[1]),
                    "country": country,
                    "admin2": admin2,
                    "geo_precision": precision,
                    "weight": weight * (4.0 if k == 0 else 1.0),
                }
            )
    return places


def _day(rng: random.Random) -> dt.date:
    total = BACKGROUND_WEIGHT + sum(w for _, _, w in BURSTS)
    pick = rng.uniform(0, total)
    for start, end, weight in BURSTS:
        if pick < weight:
            return start + dt.timedelta(days=rng.randint(0, (end - start).days))
        pick -= weight
    return FIRST_DAY + dt.timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))


def _dates(rng: random.Random) -> tuple[str | None, str | None, str | None, int]:
    if rng.random() < UNDATED_SHARE:
        return None, None, None, 3
    day = _day(rng)
    precision = _weighted(rng, ((1, 75), (2, 18), (3, 7)))
    if precision == 1:
        return day.isoformat(), day.isoformat(), day.isoformat(), 1
    if precision == 2:
        start = max(FIRST_DAY, day - dt.timedelta(days=rng.randint(1, 3)))
        end = min(LAST_DAY, day + dt.timedelta(days=rng.randint(0, 2)))
        return day.isoformat(), start.isoformat(), end.isoformat(), 2
    first = day.replace(day=1)
    last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day.isoformat(), first.isoformat(), last.isoformat(), 3


def _source(
    rng: random.Random,
    articles: dict[str, dict[str, str]],
    place: dict[str, Any],
    event_type: str,
    event_date: str | None,
) -> dict[str, Any]:
    outlet, outlet_slug = rng.choice(OUTLETS)
    if event_date is None:
        published = None
        article_id = f"syn-undated-{outlet_slug}-{rng.randint(0, 40)}"
    else:
        day = dt.date.fromisoformat(event_date) + dt.timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        published = day.isoformat()
        article_id = f"syn-{published}-{outlet_slug}-{rng.randint(0, 2)}"
    article = articles.setdefault(
        article_id,
        {
            "title": f"{event_type} reported around {place['mention']}",
            "outlet": outlet,
            "published": published,
            "url": f"https://{outlet_slug}.example.org/{article_id}",
            "offset": str(rng.randint(200, 4000)),
        },
    )
    mention = place["mention"]
    lead = f"According to {outlet}, {VERBS[event_type]} near "
    quote = f"{lead}{mention} as tensions in the north rose again."
    char_start = int(article["offset"]) + len(lead)
    return {
        "article_id": article_id,
        "title": article["title"],
        "outlet": article["outlet"],
        "published": article["published"],
        "url": article["url"],
        "quote": quote,
        "mention": mention,
        "char_start": char_start,
        "char_end": char_start + len(mention),
    }


def synthetic_incidents(n: int, seed: int = 7) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946) of ``n`` synthetic incidents."""
    rng = random.Random(seed)
    places = _places(rng)
    place_weights = [p["weight"] for p in places]
    type_pairs = tuple((t, w) for t, w, _ in EVENT_TYPES)
    sub_types = {t: subs for t, _, subs in EVENT_TYPES}
    articles: dict[str, dict[str, str]] = {}
    features = []
    for index in range(n):
        place = rng.choices(places, weights=place_weights, k=1)[0]
        event_type = _weighted(rng, type_pairs)
        event_date, date_start, date_end, time_precision = _dates(rng)
        sources = [
            _source(rng, articles, place, event_type, event_date)
            for _ in range(_weighted(rng, SOURCE_COUNTS))
        ]
        properties = {
            "incident_id": f"syn{index:06d}",
            "event_date": event_date,
            "date_start": date_start,
            "date_end": date_end,
            "time_precision": time_precision,
            "event_type": event_type,
            "sub_event_type": rng.choice(sub_types[event_type]),
            "place_id": place["place_id"],
            "location": place["location"],
            "admin2": place["admin2"],
            "country": place["country"],
            "geo_precision": place["geo_precision"],
            "sources": sources,
            "source_count": len(sources),
        }
        features.append(
            {
                "type": "Feature",
                # GeoJSON is lon, lat
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place["lon"], 5), round(place["lat"], 5)],
                },
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_synthetic(n: int, out_dir: Path, seed: int = 7) -> Path:
    """Write ``out_dir/incidents.geojson`` with ``n`` synthetic incidents; returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "incidents.geojson"
    text = json.dumps(synthetic_incidents(n, seed), ensure_ascii=False, separators=(",", ":"))
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of incidents")
    parser.add_argument("out_dir", type=Path, help="folder to write incidents.geojson into")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("n must be 0 or more")
    path = write_synthetic(args.n, args.out_dir, args.seed)
    print(f"wrote {args.n} synthetic incidents to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
