"""Value objects that flow through the pipeline: frozen, typed, validated on construction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pipeline.errors import GazetteerError

PLACE_KINDS = (
    "border_crossing",
    "town",
    "village",
    "city_part",
    "mountain",
    "capital",
    "region",
    "country",
)


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``raw`` keeps the source row it was built from."""

    place_id: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    lat: float
    lon: float
    country: str
    admin2: str
    source: str
    curated: bool = True
    rank: int = 0  # higher wins among same-named places (see geodata.gazetteer)
    raw: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.place_id:
            raise GazetteerError("<place>", None, "empty place_id")
        if not -90.0 <= self.lat <= 90.0:
            raise GazetteerError("<place>", None, f"{self.place_id}: latitude {self.lat} not in [-90, 90]")
        if not -180.0 <= self.lon <= 180.0:
            raise GazetteerError("<place>", None, f"{self.place_id}: longitude {self.lon} not in [-180, 180]")
        if self.kind not in PLACE_KINDS:
            raise GazetteerError("<place>", None, f"{self.place_id}: unknown kind {self.kind!r}")


@dataclass(frozen=True, slots=True)
class Article:
    """One news report. ``text`` is what offsets refer to (NFC, LF line endings)."""

    article_id: str
    text: str
    path: str
    title: str = ""
    published: dt.date | None = None
    outlet: str = ""
    url: str = ""
    body_start: int = 0  # offset where the body starts (after a `date YYYY-MM-DD` line prefix)
    headline_end: int = 0  # end offset of a headline line at body_start (0: none)


@dataclass(frozen=True, slots=True)
class Mention:
    """A gazetteer name found in an article, with offsets into ``Article.text``."""

    place_id: str
    start: int
    end: int
    text: str
    candidates: tuple[str, ...] = ()  # every place_id the name could mean

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad mention offsets {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class DateWindow:
    """When something happened, as far as the text allows. Precision follows ACLED.

    A window is the days the text leaves open for one day ("in December 2022": some day of it),
    unless ``lasting``: then it is how long the incident went on ("from 10 December until 29
    December", "for almost two weeks"), every day of it. Reports of one incident merge to the
    days they all allow, or to how long it lasted (pipeline.merge)."""

    event_date: dt.date | None
    start: dt.date | None
    end: dt.date | None
    precision: int  # 1 day, 2 a few days/week/weekend, 3 month or coarser
    note: str = ""
    lasting: bool = False

    def __post_init__(self) -> None:
        if self.precision not in (1, 2, 3):
            raise ValueError(f"time precision must be 1, 2 or 3, not {self.precision}")
        if (self.start is None) != (self.end is None):
            raise ValueError("a date window needs both ends or neither")
        if self.start is not None and self.end is not None:
            if self.start > self.end:
                raise ValueError(f"date window {self.start}..{self.end} is reversed")
            if self.event_date is not None and not self.start <= self.event_date <= self.end:
                raise ValueError(f"event date {self.event_date} outside {self.start}..{self.end}")

    @property
    def dated(self) -> bool:
        return self.start is not None

    def overlaps(self, other: DateWindow) -> bool:
        if not (self.dated and other.dated):
            return False
        assert self.start and self.end and other.start and other.end
        return self.start <= other.end and other.start <= self.end


UNDATED = DateWindow(None, None, None, 3, "no date in the text")


@dataclass(frozen=True, slots=True)
class Source:
    """One report of an incident: the contract's ``sources`` item."""

    article_id: str
    title: str
    outlet: str
    published: str | None
    url: str
    quote: str
    mention: str
    char_start: int
    char_end: int


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident as exported: a place, a date window, an ACLED type, its sources."""

    incident_id: str
    place: Place
    when: DateWindow
    event_type: str
    sub_event_type: str
    geo_precision: int
    sources: tuple[Source, ...]

    def __post_init__(self) -> None:
        if self.geo_precision not in (1, 2, 3):
            raise ValueError(f"geo precision must be 1, 2 or 3, not {self.geo_precision}")
        if not self.sources:
            raise ValueError("an incident needs at least one source")
