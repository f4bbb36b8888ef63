"""Small incidents.geojson files for the dashboard tests, written by the tests themselves.

``small_collection()`` is a contract-conforming FeatureCollection of 13 incidents in the
north of Kosovo and around: 11 dated (2021-09 to 2023-09), 2 undated, one with several
sources, and one hostile incident whose article text (and event type, place name...) tries
to run script in the page. ``lasting_collection()`` adds a barricade that lasted three weeks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HOSTILE_ID = "inc-hostile"
MULTI_SOURCE_ID = "inc-zubin-potok-2023"
XSS_TITLE = "<img src=x onerror=\"window.__xss=(window.__xss||0)+1;alert('xss-title')\">Evil"
XSS_QUOTE = (
    "Masked men stormed the checkpoint at Brnjak "
    "<script>window.__xss=(window.__xss||0)+1;alert('xss-quote')</script>"
    " <img src=x onerror=alert(1)> before dawn."
)
XSS_OUTLET = "<b onmouseover=alert(3)>Evil Outlet</b>"
XSS_URL = "javascript:alert('xss-url')"
XSS_EVENT_TYPE = "<img src=x onerror=alert(6)>Attack"


def _source(
    article_id: str,
    title: str,
    outlet: str,
    published: str | None,
    url: str | None,
    quote: str,
    mention: str,
    offset: int = 100,
) -> dict[str, Any]:
    at = quote.find(mention)
    start = offset + max(at, 0)
    return {
        "article_id": article_id,
        "title": title,
        "outlet": outlet,
        "published": published,
        "url": url,
        "quote": quote,
        "mention": mention,
        "char_start": start,
        "char_end": start + len(mention),
    }


def _incident(
    incident_id: str,
    lon: float,
    lat: float,
    *,
    event_date: str | None,
    event_type: str,
    sub_event_type: str,
    place_id: str,
    location: str,
    admin2: str,
    country: str = "XK",
    time_precision: int = 1,
    geo_precision: int = 1,
    date_range: tuple[str, str] | None = None,
    lasting: bool = False,
    sources: list[dict[str, Any]],
) -> dict[str, Any]:
    start, end = date_range if date_range else (event_date, event_date)
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},  # GeoJSON is lon, lat
        "properties": {
            "incident_id": incident_id,
            "event_date": event_date,
            "date_start": start,
            "date_end": end,
            "time_precision": time_precision,
            "lasting": lasting,
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "place_id": place_id,
            "location": location,
            "admin2": admin2,
            "country": country,
            "geo_precision": geo_precision,
            "sources": sources,
            "source_count": len(sources),
        },
    }


A1 = ("a-2021-09-26", "Serbs block roads near Jarinje", "Balkan Monitor", "2021-09-26")
A2 = ("a-2021-09-27", "Tension at the border crossings", "Danube Wire", "2021-09-27")
A3 = ("a-2022-12-11", "Barricades go up in the north", "Regional Observer", "2022-12-11")
A4 = ("a-2023-05-30", "Clashes in Zvečan and Zubin Potok", "Ibar Valley News", "2023-05-30")
A5 = ("a-undated", "Background: the northern municipalities", "Adriatic Report", None)


def _cite(article: tuple[str, str, str, str | None], quote: str, mention: str) -> dict:
    article_id, title, outlet, published = article
    url = f"https://news.example.org/{article_id}"
    return _source(article_id, title, outlet, published, url, quote, mention)


def small_collection() -> dict[str, Any]:
    features = [
        _incident(
            "inc-jarinje-2021-09-26",
            20.69167,
            43.21861,
            event_date="2021-09-26",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            place_id="jarinje_crossing",
            location="Jarinje border crossing",
            admin2="Leposaviq",
            sources=[
                _cite(A1, "Hundreds of Serbs protested at the Jarinje border crossing.", "Jarinje"),
                _cite(A2, "Protesters stayed at Jarinje for a second night.", "Jarinje"),
            ],
        ),
        _incident(
            "inc-jarinje-2021-09-27",
            20.69167,
            43.21861,
            event_date="2021-09-27",
            event_type="Riots",
            sub_event_type="Violent demonstration",
            place_id="jarinje_crossing",
            location="Jarinje border crossing",
            admin2="Leposaviq",
            sources=[_cite(A2, "Two vehicles were set on fire near Jarinje.", "Jarinje")],
        ),
        _incident(
            "inc-kopaonik-2021-09-28",
            20.8225,
            43.26917,
            event_date="2021-09-28",
            event_type="Strategic developments",
            sub_event_type="Change to group/activity",
            place_id="kopaonik",
            location="Kopaonik",
            admin2="Raska District",
            country="RS",
            sources=[_cite(A2, "Serbian troops were moved to Kopaonik on Tuesday.", "Kopaonik")],
        ),
        _incident(
            "inc-zvecan-2022-12-10",
            20.84,
            42.908,
            event_date="2022-12-10",
            event_type="Battles",
            sub_event_type="Armed clash",
            time_precision=2,
            date_range=("2022-12-09", "2022-12-11"),
            place_id="zvecan",
            location="Zvečan",
            admin2="Zveçan",
            sources=[_cite(A3, "Gunfire was heard in Zvečan over the weekend.", "Zvečan")],
        ),
        _incident(
            "inc-north-mitrovica-2022-12-11",
            20.866,
            42.893,
            event_date="2022-12-11",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            place_id="north_mitrovica",
            location="North Mitrovica",
            admin2="North Mitrovica",
            sources=[
                _cite(A3, "A rally was held in North Mitrovica on Sunday.", "North Mitrovica")
            ],
        ),
        _incident(
            "inc-leposavic-2022-12-12",
            20.80139,
            43.10167,
            event_date="2022-12-12",
            event_type="Strategic developments",
            sub_event_type="Arrests",
            place_id="leposavic",
            location="Leposavić",
            admin2="Leposaviq",
            sources=[_cite(A3, "Police arrested a former officer in Leposavić.", "Leposavić")],
        ),
        _incident(
            HOSTILE_ID,
            20.54833,
            42.96194,
            event_date="2022-12-12",
            event_type=XSS_EVENT_TYPE,
            sub_event_type="<i onmouseover=alert(5)>Attack</i>",
            place_id="brnjak_crossing",
            location="<svg onload=alert(4)>Brnjak",
            admin2="Zubin Potok",
            sources=[
                _source(
                    "a-hostile", XSS_TITLE, XSS_OUTLET, "2022-12-12", XSS_URL, XSS_QUOTE, "Brnjak"
                ),
            ],
        ),
        _incident(
            "inc-raska-2022-12-26",
            20.614,
            43.286,
            event_date="2022-12-26",
            event_type="Strategic developments",
            sub_event_type="Change to group/activity",
            geo_precision=2,
            place_id="raska",
            location="Raška",
            admin2="Raska District",
            country="RS",
            sources=[_cite(A3, "Army units were placed near Raška on high alert.", "Raška")],
        ),
        _incident(
            MULTI_SOURCE_ID,
            20.689,
            42.914,
            event_date="2023-05-29",
            event_type="Riots",
            sub_event_type="Mob violence",
            place_id="zubin_potok",
            location="Zubin Potok",
            admin2="Zubin Potok",
            sources=[
                _cite(
                    A4,
                    "Crowds gathered outside the municipal building in Zubin Potok.",
                    "Zubin Potok",
                ),
                _source(
                    "a-2023-05-31",
                    "KFOR troops hurt in the north",
                    "Balkan Monitor",
                    "2023-05-31",
                    "ftp://files.example.org/report",
                    "Tear gas was fired in zubin potok as the crowd grew.",
                    "Zubin Potok",
                ),
                _source(
                    "a-2023-06-01",
                    "A week of unrest",
                    "Danube Wire",
                    "2023-06-01",
                    None,
                    "The mayor's office was blocked for hours.",
                    "Zubin Potok",
                ),
            ],
        ),
        _incident(
            "inc-zvecan-2023-05-29",
            20.84,
            42.908,
            event_date="2023-05-29",
            event_type="Riots",
            sub_event_type="Violent demonstration",
            place_id="zvecan",
            location="Zvečan",
            admin2="Zveçan",
            sources=[_cite(A4, "Protesters clashed with KFOR troops in Zvečan.", "Zvečan")],
        ),
        _incident(
            "inc-banjska-2023-09-24",
            20.777,
            42.982,
            event_date="2023-09-24",
            event_type="Battles",
            sub_event_type="Armed clash",
            time_precision=1,
            place_id="banjska",
            location="Banjska",
            admin2="Zveçan",
            sources=[
                _source(
                    "a-2023-09-24",
                    "Gunmen barricade themselves in Banjska monastery",
                    "Regional Observer",
                    "2023-09-24",
                    "https://news.example.org/banjska",
                    "A police officer was killed in Banjska early on Sunday.",
                    "Banjska",
                ),
            ],
        ),
        _incident(
            "inc-undated-zvecan",
            20.84,
            42.908,
            event_date=None,
            time_precision=3,
            event_type="Protests",
            sub_event_type="Peaceful protest",
            place_id="zvecan",
            location="Zvečan",
            admin2="Zveçan",
            sources=[_cite(A5, "Residents of Zvečan have protested repeatedly.", "Zvečan")],
        ),
        _incident(
            "inc-undated-pristina",
            21.16,
            42.66,
            event_date=None,
            time_precision=3,
            event_type="Strategic developments",
            sub_event_type="Agreement",
            place_id="pristina",
            location="Pristina",
            admin2="Pristina",
            sources=[_cite(A5, "Talks in Pristina ended without a deal.", "Pristina")],
        ),
    ]
    return {"type": "FeatureCollection", "features": features}


A6 = ("a-2024-03-02", "Protests across Kosovo", "Balkan Monitor", "2024-03-02")


def countrywide_collection() -> dict[str, Any]:
    """Five dated incidents around Kosovo (Jarinje, Peja, Gjilan, Prizren, and the Qafë Prush
    crossing to Albania in the south-west, where the map's legend stands)."""
    corners = [
        ("qafe_prush", "Qafë Prush crossing", 20.4870, 42.3147),
        ("prizren", "Prizren", 20.7397, 42.2139),
        ("gjilan", "Gjilan", 21.4694, 42.4635),
        ("jarinje_crossing", "Jarinje border crossing", 20.69167, 43.21861),
        ("peja", "Peja", 20.2883, 42.6593),
    ]
    features = [
        _incident(
            f"inc-{place}-2024-03-02",
            lon,
            lat,
            event_date="2024-03-02",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            place_id=place,
            location=location,
            admin2=location.split()[0],
            sources=[_cite(A6, f"Hundreds protested in {location}.", location)],
        )
        for place, location, lon, lat in corners
    ]
    return {"type": "FeatureCollection", "features": features}


LASTING_ID = "inc-rudare-barricade-2022"


def lasting_collection() -> dict[str, Any]:
    """:func:`small_collection` and a barricade that stood from 10 until 29 December 2022 (on
    the map every day of it), ahead of the small collection's 26 December incident."""
    collection = small_collection()
    collection["features"].append(
        _incident(
            LASTING_ID,
            20.84306,
            42.9175,
            event_date="2022-12-10",
            event_type="Protests",
            sub_event_type="Peaceful protest",
            time_precision=3,
            date_range=("2022-12-10", "2022-12-29"),
            lasting=True,
            place_id="rudare",
            location="Rudare",
            admin2="Zveçan",
            sources=[
                _cite(
                    A3,
                    "Serbs kept the barricade at Rudare from 10 December until 29 December.",
                    "Rudare",
                )
            ],
        )
    )
    return collection


def write_collection(directory: Path, collection: dict[str, Any]) -> Path:
    """Write ``directory/incidents.geojson``; returns the folder."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "incidents.geojson").write_text(
        json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return directory


def write_raw(directory: Path, text: str) -> Path:
    """Write ``text`` as ``directory/incidents.geojson`` (for broken files); returns the folder."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "incidents.geojson").write_text(text, encoding="utf-8")
    return directory
