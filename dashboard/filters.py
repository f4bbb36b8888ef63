"""Pure filtering: the user's filters, the date window, and their URL form.

Nothing here touches Streamlit. A view is a :class:`Filters` plus a :class:`Window`; both
round-trip through query parameters (``to_query_params`` / ``from_query_params``) so a
view can be shared as a link and reloaded.
"""

from __future__ import annotations

import calendar
import collections
import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

ONE_DAY = dt.timedelta(days=1)

# Query parameter names.
P_FROM, P_TO = "from", "to"
P_TYPE, P_PLACE, P_ARTICLE = "type", "place", "article"
P_GEO, P_TIME = "geo", "time"
P_LENGTH, P_SPEED = "len", "speed"  # the play's window length and speed

GEO_PRECISION_LABELS = {1: "the place itself", 2: "near the place", 3: "only a region"}
TIME_PRECISION_LABELS = {1: "exact day", 2: "within a few days", 3: "a month or coarser"}


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # whatever the locale


def allowed_days(
    day: str | None, start: str | None, end: str | None, lasting: bool = False
) -> str:
    """The days the text allows, when they say more than the best day ``day``: a whole
    calendar month or year by its name ("December 2022", "2022"), else "between 2022-12-09
    and 2022-12-11", or the one day when it is not ``day``; "" when they say nothing more.
    When the incident ``lasting`` went on from ``start`` to ``end``: "from 2022-12-10 until
    2022-12-29 (20 days)"."""
    if not (start and end) or (start == end == day):
        return ""
    if lasting and start < end:
        try:
            days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days + 1
        except ValueError:
            return f"from {start} until {end}"
        return f"from {start} until {end} ({days} days)"
    if start == end:
        return start
    try:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    except ValueError:
        return f"between {start} and {end}"
    if first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]:
        if first.month == 1 and last.month == 12 and first.year == last.year:
            return str(first.year)
        if (first.year, first.month) == (last.year, last.month):
            return f"{_MONTHS[first.month - 1]} {first.year}"
    return f"between {start} and {end}"


def period_text(
    precision: int, day: str | None, start: str | None, end: str | None, lasting: bool = False
) -> str:
    """What the text says of an incident's date, for the table beside its placing day: the
    days it allows when they say more ("December 2022", "between 2022-12-09 and
    2022-12-11"), or how long it lasted ("from 2022-12-10 until 2022-12-29 (20 days)"),
    else the precision in words ("exact day")."""
    return allowed_days(day, start, end, lasting) or TIME_PRECISION_LABELS.get(precision, "")


@dataclass(frozen=True)
class Window:
    """An inclusive range of days."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the incidents to. Empty tuples mean "all".

    ``max_geo_precision`` / ``max_time_precision`` keep incidents at least that precise
    (precision 1 is the best, 3 the coarsest, so 3 keeps everything).
    """

    event_types: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    max_geo_precision: int = 3
    max_time_precision: int = 3

    def __post_init__(self) -> None:
        for name in ("max_geo_precision", "max_time_precision"):
            if getattr(self, name) not in (1, 2, 3):
                raise ValueError(f"{name} must be 1, 2 or 3, not {getattr(self, name)!r}")

    @property
    def is_default(self) -> bool:
        return self == Filters()


def place_options(places: pd.DataFrame, counts: Mapping[str, int] | None = None) -> dict[str, str]:
    """place_key -> label ("Zvečan (Zveçan) · 3"): each place, its municipality when named
    otherwise, and its incidents (``counts`` by place_key, else its ``incidents``), the places
    with most first. Labels are unique (a widget tells its options apart by them): two places
    that would read the same are told apart by their keys."""
    if counts is None:
        counts = dict(zip(places["place_key"], places["incidents"], strict=True))
    ordered = sorted(
        places.itertuples(), key=lambda row: (-counts.get(row.place_key, 0), row.location or row.place_key)
    )
    labels = {
        row.place_key: f"{row.location or row.place_key}"
        + (f" ({row.admin2})" if row.admin2 and row.admin2 != row.location else "")
        + f" · {counts.get(row.place_key, 0):,}"
        for row in ordered
    }
    return _told_apart(labels)


def _told_apart(labels: dict[str, str]) -> dict[str, str]:
    """``labels`` (key -> label) with the key added to each label that two keys share."""
    if len(set(labels.values())) == len(labels):
        return labels
    repeated = collections.Counter(labels.values())
    return {
        key: label if repeated[label] == 1 else f"{label} [{key}]" for key, label in labels.items()
    }


def type_options(event_types: Collection[str], counts: Mapping[str, int]) -> dict[str, str]:
    """event type -> label ("Protests · 5"), with its incidents in ``counts``, the most first."""
    ordered = sorted(event_types, key=lambda t: (-counts.get(t, 0), t))
    return {t: f"{t} · {counts.get(t, 0):,}" for t in ordered}


FACET_COLUMNS = {"event_types": "event_type", "places": "place_key"}


def facet_counts(frame: pd.DataFrame, filters: Filters, facet: str) -> dict[str, int]:
    """Incidents per value of a filter's column (``facet``: "event_types" or "places"), among
    those that pass every other filter: what choosing a value would show, whatever of that
    filter is already chosen (whatever the date window: undated incidents included)."""
    others = filter_mask(frame, dataclasses.replace(filters, **{facet: ()}))
    counts = frame.loc[others, FACET_COLUMNS[facet]].value_counts(sort=False)
    return {str(value): int(n) for value, n in counts.items()}


def article_options(articles: pd.DataFrame, limit: int = 72) -> dict[str, str]:
    """article_id -> label ("Title — Outlet, 2022-12-11 · 3"): each article with the incidents
    that cite it (its ``incidents``), the newest first. A long title is cut ("…") so that the
    label keeps to ``limit`` characters, with the outlet (cut at 30), the date and the count
    (72: what the filter's list, widened by the page's CSS, shows whole).
    Labels are unique (see :func:`place_options`): two articles that would read the same are
    told apart by their ids."""
    ordered = articles.sort_values(["published", "title"], ascending=[False, True])
    labels = {}
    for article_id, title, outlet, published, count in zip(
        *(ordered[c].tolist() for c in ("article_id", "title", "outlet", "published", "incidents")),
        strict=True,
    ):  # columns as lists, not itertuples: 100,000s of articles
        suffix = f" — {_cut(outlet, 30) if outlet else 'unknown outlet'}"
        if published:
            suffix += f", {_cut(published, 12)}"
        suffix += f" · {count:,}"
        title = title or article_id
        if len(title) + len(suffix) > limit:
            title = _cut(title, limit - len(suffix))
        labels[article_id] = title + suffix
    return _told_apart(labels)


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters (at least 10), its end replaced by "…" if cut
    (and the spaces and commas the cut left before it dropped)."""
    limit = max(limit, 10)
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"


def filter_mask(frame: pd.DataFrame, filters: Filters) -> np.ndarray:
    """A boolean per row of ``frame``: does the incident (dated or not) pass ``filters``?"""
    keep = np.ones(len(frame), dtype=bool)
    if filters.event_types:
        keep &= frame["event_type"].isin(filters.event_types).to_numpy()
    if filters.places:
        keep &= frame["place_key"].isin(filters.places).to_numpy()
    if filters.articles:
        wanted = set(filters.articles)
        keep &= np.fromiter(
            (not wanted.isdisjoint(ids) for ids in frame["article_ids"]), bool, len(frame)
        )
    if filters.max_geo_precision < 3:
        keep &= (frame["geo_precision"] <= filters.max_geo_precision).to_numpy()
    if filters.max_time_precision < 3:
        keep &= (frame["time_precision"] <= filters.max_time_precision).to_numpy()
    return keep


def apply_filters(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The incidents (dated and undated) that pass ``filters``."""
    if filters.is_default:
        return frame
    return frame[filter_mask(frame, filters)]


def dated(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["event_date"].notna()]


def undated(frame: pd.DataFrame) -> pd.DataFrame:
    """Incidents without an ``event_date``: never in a window, listed apart."""
    return frame[frame["event_date"].isna()]


def last_dates(frame: pd.DataFrame) -> pd.Series:
    """Each incident's last day on the map: its ``date_end`` when it lasted (a blockade from
    the 10th until the 29th is on the map every day of it), else its ``event_date`` (NaT
    when undated)."""
    dates = frame["event_date"]
    lasting = frame["lasting"].to_numpy(dtype=bool)
    if not lasting.any():
        return dates
    ends = pd.to_datetime(frame["date_end"].where(lasting), format="%Y-%m-%d", errors="coerce")
    return dates.where(~(ends > dates), ends)


def in_window(frame: pd.DataFrame, window: Window) -> pd.DataFrame:
    """Dated incidents on the map on some day of ``window`` (inclusive): their
    ``event_date`` falls inside it, or they lasted into it."""
    start = pd.Timestamp(window.start)
    end = pd.Timestamp(window.end)
    return frame[(frame["event_date"] <= end) & (last_dates(frame) >= start)]


def span(frame: pd.DataFrame) -> Window | None:
    """First ``event_date`` to the last day an incident is on the map; None when no
    incident is dated."""
    dates = frame["event_date"].dropna()
    if dates.empty:
        return None
    return Window(dates.min().date(), last_dates(frame).max().date())


def clamp(window: Window, bounds: Window) -> Window:
    """``window`` moved inside ``bounds``; the whole of ``bounds`` if they don't meet."""
    start = max(window.start, bounds.start)
    end = min(window.end, bounds.end)
    if end < start:
        return bounds
    return Window(start, end)


def first_window(bounds: Window, days: int) -> Window:
    """The first ``days``-day window of ``bounds`` (all of it if shorter)."""
    return Window(bounds.start, min(bounds.end, bounds.start + (days - 1) * ONE_DAY))


def advance(window: Window, bounds: Window, step_days: int = 1) -> Window | None:
    """``window`` moved ``step_days`` later, keeping its length; None once past the end."""
    if window.end >= bounds.end:
        return None
    shift = dt.timedelta(days=step_days)
    end = min(window.end + shift, bounds.end)
    start = end - dt.timedelta(days=window.days - 1)
    return Window(max(start, bounds.start), end)


def skipped(before: Window, after: Window) -> Window | None:
    """The days no window showed when the window jumped from ``before`` to ``after`` (a
    play step or ◀ / ▶ over quiet days), None when it moved without leaving a day out."""
    if after.start > before.end + ONE_DAY:
        return Window(before.end + ONE_DAY, after.start - ONE_DAY)
    if after.end < before.start - ONE_DAY:
        return Window(after.end + ONE_DAY, before.start - ONE_DAY)
    return None


def placed(
    window: Window, bounds: Window, *, start: dt.date | None = None, end: dt.date | None = None
) -> Window:
    """A window of ``window``'s length that starts on ``start`` (or ends on ``end``), moved
    back inside ``bounds`` if it overhangs (and cut to the span if longer)."""
    length = dt.timedelta(days=window.days - 1)
    if start is not None:
        end = start + length
    assert end is not None, "placed() needs a start or an end"
    end = min(max(end, bounds.start + length), bounds.end)
    return Window(max(end - length, bounds.start), end)


def skip_quiet(step: Window, bounds: Window, next_day: dt.date) -> Window:
    """Where a play goes when its next window, ``step``, would show nothing: on to the
    window of the same length whose last day is ``next_day``, the first day after ``step``
    with an incident, so that incident comes in at the window's end as it would have after
    the quiet days."""
    return placed(step, bounds, end=max(next_day, step.end))


def shift(window: Window, bounds: Window, direction: int) -> Window:
    """``window`` moved by its own length (``direction`` -1 or 1), kept inside ``bounds``."""
    offset = dt.timedelta(days=window.days * direction)
    start, end = window.start + offset, window.end + offset
    length = dt.timedelta(days=window.days - 1)
    if start < bounds.start:
        start, end = bounds.start, bounds.start + length
    if end > bounds.end:
        start, end = bounds.end - length, bounds.end
    return clamp(Window(start, end), bounds)


def play_start(window: Window, bounds: Window, days: int, *, more_ahead: bool = True) -> Window:
    """Where play begins: a ``days``-day window at the window's start, or at the span's
    start when the window is the whole span, at its end, or has no incident after it
    (``more_ahead`` false: a play that ran out of incidents stopped there)."""
    restart = window == bounds or window.end >= bounds.end or not more_ahead
    start = bounds.start if restart else window.start
    return first_window(Window(start, bounds.end), days)


def to_query_params(
    filters: Filters, window: Window | None, bounds: Window | None
) -> dict[str, list[str]]:
    """The URL form of a view; defaults (all types, the whole span...) are left out."""
    params: dict[str, list[str]] = {}
    if window is not None and window != bounds:
        params[P_FROM] = [window.start.isoformat()]
        params[P_TO] = [window.end.isoformat()]
    if filters.event_types:
        params[P_TYPE] = list(filters.event_types)
    if filters.places:
        params[P_PLACE] = list(filters.places)
    if filters.articles:
        params[P_ARTICLE] = list(filters.articles)
    if filters.max_geo_precision != 3:
        params[P_GEO] = [str(filters.max_geo_precision)]
    if filters.max_time_precision != 3:
        params[P_TIME] = [str(filters.max_time_precision)]
    return params


def from_query_params(
    params: Mapping[str, Sequence[str]],
    *,
    bounds: Window | None,
    event_types: Collection[str],
    places: Collection[str],
    articles: Collection[str],
) -> tuple[Filters, Window | None]:
    """Read a view back from the URL, forgiving: unknown values and bad dates are dropped.

    The window is clamped to ``bounds``; a missing end defaults to the span's ends.
    """

    def known(key: str, allowed: Collection[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for v in params.get(key, ()) if v in allowed))

    def precision(key: str) -> int:
        values = params.get(key, ())
        return int(values[0]) if values and values[0] in ("1", "2", "3") else 3

    filters = Filters(
        event_types=known(P_TYPE, event_types),
        places=known(P_PLACE, places),
        articles=known(P_ARTICLE, articles),
        max_geo_precision=precision(P_GEO),
        max_time_precision=precision(P_TIME),
    )
    if bounds is None:
        return filters, None
    start = _parse_date(params.get(P_FROM, ())) or bounds.start
    end = _parse_date(params.get(P_TO, ())) or bounds.end
    if end < start:
        return filters, bounds
    return filters, clamp(Window(start, end), bounds)


def unused_query_params(
    params: Mapping[str, Sequence[str]], filters: Filters, bounds: Window | None,
    *, lengths: Collection[int], speeds: Collection[float],
) -> list[str]:
    """What of a link's view could not be shown, each with why ("place 'zvecn' (not in these
    data)", "date 'yesterday' (not a date)"), for :func:`from_query_params` drops it without
    a word. ``bounds``: the data's span of dates, None without dated incidents."""
    unused: list[str] = []
    for key, name, kept in (
        (P_TYPE, "event type", filters.event_types), (P_PLACE, "place", filters.places),
        (P_ARTICLE, "article", filters.articles),
    ):
        unused.extend(
            f"{name} '{v}' (not in these data)" for v in dict.fromkeys(params.get(key, ())) if v not in kept
        )
    for key, name in ((P_GEO, "location precision"), (P_TIME, "date precision")):
        unused.extend(
            f"{name} '{v}' (1, 2 or 3)" for v in params.get(key, ())[:1] if v not in ("1", "2", "3")
        )
    dates = {key: params.get(key, ()) for key in (P_FROM, P_TO)}
    for values in dates.values():
        unused.extend(f"date '{v}' (not a date: YYYY-MM-DD)" for v in values[:1] if _parse_date([v]) is None)
    start, end = _parse_date(dates[P_FROM]), _parse_date(dates[P_TO])
    if bounds is None and (start or end):
        unused.append("date window (these data have no dated incident)")
    elif bounds is not None and start and end and end < start:
        unused.append(f"window {start} to {end} (it ends before it starts)")
    elif bounds is not None and ((start and start > bounds.end) or (end and end < bounds.start)):
        unused.append(
            f"window {start or bounds.start} to {end or bounds.end} (outside these data, "
            f"{bounds.start} to {bounds.end}: the whole span is shown)"
        )
    length, speed = play_from_query_params(params, lengths=lengths, speeds=speeds)
    unused.extend(f"play window '{v}' (not a choice)" for v in params.get(P_LENGTH, ())[:1] if length is None)
    unused.extend(f"play speed '{v}' (not a choice)" for v in params.get(P_SPEED, ())[:1] if speed is None)
    known = {P_FROM, P_TO, P_TYPE, P_PLACE, P_ARTICLE, P_GEO, P_TIME, P_LENGTH, P_SPEED}
    unused.extend(f"parameter '{key}' (unknown)" for key in params if key not in known)
    return unused


def play_query_params(
    length: int, speed: float, *, default_length: int, default_speed: float = 1.0
) -> dict[str, list[str]]:
    """The URL form of the play's window length (days) and speed; defaults left out."""
    params: dict[str, list[str]] = {}
    if length != default_length:
        params[P_LENGTH] = [str(length)]
    if speed != default_speed:
        params[P_SPEED] = [f"{speed:g}"]
    return params


def play_from_query_params(
    params: Mapping[str, Sequence[str]], *, lengths: Collection[int], speeds: Collection[float]
) -> tuple[int | None, float | None]:
    """The play's window length and speed from the URL, each None unless one of the choices."""
    def first(key: str) -> str:
        values = params.get(key, ())
        return values[0] if values else ""

    length: int | None = None
    speed: float | None = None
    try:
        value = int(first(P_LENGTH))
        length = value if value in lengths else None
    except ValueError:
        pass
    try:
        ratio = float(first(P_SPEED))
        speed = ratio if ratio in speeds else None
    except ValueError:
        pass
    return length, speed


def _parse_date(values: Sequence[str]) -> dt.date | None:
    if not values:
        return None
    try:
        return dt.date.fromisoformat(values[0])
    except ValueError:
        return None
