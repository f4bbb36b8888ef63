"""What a rerun shows, as boolean masks over the data's rows, and what the page says about it.

A slider step reruns the whole script. Selecting the window's incidents as DataFrames
(boolean indexing copies every column, the GeoJSON features included) and counting them
with pandas cost a few hundred milliseconds at 100,000 incidents; the same work on a few
numpy arrays built once per data file (:func:`build_index`) costs about a millisecond.
A mask is a boolean per row of :class:`~dashboard.data.IncidentData`'s frame, in its order,
the same order as the map's data (:mod:`dashboard.mapdata`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import filters as flt
from dashboard.filters import Window

_EPOCH = np.datetime64("1970-01-01", "D")


@dataclass(frozen=True)
class RowIndex:
    """Per-row arrays of one data file (read-only, shared by every session)."""

    days: np.ndarray  # int64 days since 1970-01-01; meaningless where ``dated`` is false
    until: np.ndarray  # int64: the last day it is on the map (filters.last_dates), as ``days``
    dated: np.ndarray  # bool
    type_codes: np.ndarray  # int64 index into ``type_names``
    type_names: tuple[str, ...]
    place_codes: np.ndarray  # int64, one code per place_key
    source_count: np.ndarray  # int64
    table_order: np.ndarray  # row numbers by event_date, then location (undated last)

    def __len__(self) -> int:
        return len(self.days)


def epoch_days(dates: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each date as days since 1970-01-01 (int64; 0 where there is none), and whether there
    is one. The map's data names days the same way (:mod:`dashboard.mapdata`)."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    dated = ~np.isnat(values)
    days = np.where(dated, (values.astype("datetime64[D]") - _EPOCH).astype(np.int64), 0)
    return days, dated


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the date slider's values, microseconds since the epoch, divide
    to the same numbers)."""
    return int((np.datetime64(day, "D") - _EPOCH).astype(np.int64))


def build_index(frame: pd.DataFrame) -> RowIndex:
    days, dated = epoch_days(frame["event_date"])
    type_codes, type_names = pd.factorize(frame["event_type"], sort=False)
    place_codes, _ = pd.factorize(frame["place_key"], sort=False)
    # Rows sorted by (date, location): lexsort's last key is the primary one; undated rows
    # sort after every dated one. Locations by their rank among the distinct names (sorting
    # the 100,000 names themselves took three times as long).
    location = frame["location"].fillna("").astype(str).to_numpy(dtype=object)
    location_ranks, _ = pd.factorize(location, sort=True)
    order = np.lexsort((location_ranks, np.where(dated, days, np.iinfo(np.int64).max)))
    arrays = {
        "days": days.astype(np.int64),
        "until": epoch_days(flt.last_dates(frame))[0].astype(np.int64),
        "dated": dated,
        "type_codes": type_codes.astype(np.int64),
        "place_codes": place_codes.astype(np.int64),
        "source_count": frame["source_count"].to_numpy(dtype=np.int64),
        "table_order": order.astype(np.int64),
    }
    for array in arrays.values():
        array.setflags(write=False)  # shared across sessions: nobody may change it
    return RowIndex(type_names=tuple(str(t) for t in type_names), **arrays)


def window_mask(index: RowIndex, window: Window) -> np.ndarray:
    """Dated rows on the map on some day of ``window`` (inclusive): their day falls inside
    it, or they lasted into it."""
    start, end = day_number(window.start), day_number(window.end)
    return index.dated & (index.days <= end) & (index.until >= start)


def _date_of(number: int) -> dt.date:
    """The day ``number`` days after 1970-01-01 (the inverse of :func:`day_number`)."""
    return (_EPOCH + np.timedelta64(number, "D")).astype(dt.date)


def first_day_after(index: RowIndex, rows: np.ndarray, day: dt.date) -> dt.date | None:
    """The first day after ``day`` on which a dated row of ``rows`` (a mask) is on the map."""
    number = day_number(day)
    later = rows & index.dated & (index.until > number)
    if not later.any():
        return None
    return _date_of(max(int(index.days[later].min()), number + 1))


def last_day_before(index: RowIndex, rows: np.ndarray, day: dt.date) -> dt.date | None:
    """The last day before ``day`` on which a dated row of ``rows`` (a mask) is on the map."""
    number = day_number(day)
    earlier = rows & index.dated & (index.days < number)
    if not earlier.any():
        return None
    return _date_of(min(int(index.until[earlier].max()), number - 1))


def shift_step(
    index: RowIndex, rows: np.ndarray, window: Window, bounds: Window, direction: int,
    *, length: int | None = None,
) -> Window:
    """◀ / ▶: the window moved by its own length (``direction`` -1 or 1) or, when that one
    would show none of ``rows``, on to the nearest window with some: the next incident on its
    first day, or the previous one on its last. With none that way, the plain move. The
    whole span, which has nowhere to go, gives way to a window of ``length`` days at that
    end (when given and shorter)."""
    if length is not None and window == bounds and bounds.days > length:
        first = flt.first_window(bounds, length)
        return first if direction > 0 else flt.placed(first, bounds, end=bounds.end)
    moved = flt.shift(window, bounds, direction)
    if np.any(rows & window_mask(index, moved)):
        return moved
    if direction > 0:
        day = first_day_after(index, rows, window.end)
        return moved if day is None else flt.placed(window, bounds, start=day)
    day = last_day_before(index, rows, window.start)
    return moved if day is None else flt.placed(window, bounds, end=day)


def play_step(index: RowIndex, rows: np.ndarray, window: Window, bounds: Window) -> Window | None:
    """A play's next window: one day on or, when that would show none of ``rows`` (the
    filters' mask), past the quiet days (:func:`dashboard.filters.skip_quiet`); None when
    the play is over: the window has reached the span's end, or no incident of ``rows``
    comes after it (the play stops on the last ones)."""
    step = flt.advance(window, bounds, 1)
    if step is None or np.any(rows & window_mask(index, step)):
        return step
    later = first_day_after(index, rows, step.end)
    return None if later is None else flt.skip_quiet(step, bounds, later)


@dataclass(frozen=True)
class Summary:
    incidents: int
    places: int
    reports: int
    per_type: dict[str, int]


def summarise(index: RowIndex, keep: np.ndarray) -> Summary:
    """Counts over the rows in ``keep``: incidents, distinct places, sources, per type."""
    per_type = np.bincount(index.type_codes[keep], minlength=len(index.type_names))
    return Summary(
        incidents=int(np.count_nonzero(keep)),
        places=int(np.unique(index.place_codes[keep]).size),
        reports=int(index.source_count[keep].sum()),
        per_type={name: int(n) for name, n in zip(index.type_names, per_type, strict=True)},
    )


def table_rows(index: RowIndex, keep: np.ndarray, limit: int) -> np.ndarray:
    """The first ``limit`` rows of ``keep`` by date, then location (row numbers)."""
    order = index.table_order
    return order[keep[order]][:limit]
