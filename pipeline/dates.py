"""Resolve what a sentence says about *when* against the article's publication date.

Pure functions only. The rules (documented in the README):
- With a publication date P: "on Sunday", "earlier Monday", "Saturday evening" are the latest
  such weekday on or before P (day precision); "last Monday" is the latest strictly before P;
  "at the weekend" the latest Saturday-Sunday ending on or before P; "yesterday" P-1;
  "last week" the Monday-Sunday before P's week; "last month", "last year" the calendar
  month or year before P's ("this month", "this year": from its start to P); "two days ago"
  P-2 ("a week ago", "a year ago": a window around it, unless "... ago today");
  "for the past seven days" P-7..P;
  "December 9" the latest December 9 not after P (+7 days); "in December 2022", "in late
  November", "at the end of February" and "in 2011" a month or year window (precision 3).
- A range is one window, its best day its first: "from December 10 until December 29",
  "between Monday and Wednesday", "from that day until ..." (its first day: the latest date
  before it in the paragraph), "31 July – 1 August 2022", "10–29 December 2022"; precision 2
  up to a week, else 3 (:func:`date_range`).
- With no publication date, explicit dates still count, and a weekday written with the date
  ("Friday (December 9)") fixes the year: the latest year in which that day fell on that
  weekday, no earlier than the latest year the text names and no later than today. The latest
  such date becomes the article's *anchor*: a bare weekday resolves to the occurrence nearest the
  anchor (window: the occurrences either side, precision 2); a sentence with no date gets the
  anchor's month (precision 3).
- With neither, nothing is invented: the incident stays undated.
- A paragraph that opens with a dated heading ("December 2022: the barricades.") gives its
  day-and-month dates the heading's year, and its sentences with no date the heading's window;
  so does a heading marked as one ("## 2022", "<h2>December 2022</h2>", a line in bold) for the
  paragraphs under it, up to the next heading (extract reads them: :func:`is_heading_line`).
- A sentence with no date expression, in a dated article, gets P-1..P (precision 2), best day P,
  or P-1 when the article's lead (its first paragraph) dates its news to P-1 ("... on October
  13", published on the 14th): a story's later paragraphs tell what its lead dates, and say
  "on October 13" once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from pipeline.caseless import lower_text, start_guard, twin
from pipeline.model import UNDATED, DateWindow

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_NUMBERS = {"one": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "several": 7, "few": 3, "a": 1}
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
_TOD = r"(?:\s+(?:morning|afternoon|evening|night))?"

_PATTERN = re.compile(
    rf"""
    (?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b)
  | (?P<num>\b(?P<nd>\d{{1,2}})[./]\s?(?P<nm>\d{{1,2}})[./]\s?(?P<ny>\d{{4}})\b)
  | (?P<dm>\b(?:on\s+|(?P<dmw>{_WD})\s+)(?P<dmd>\d{{1,2}})/(?P<dmm>\d{{1,2}})\b(?!/))
  | (?P<night>\bnight\s+(?:of|between|from)\s+(?:the\s+)?(?:(?P<ngm1>{_MON})\s+)?(?P<ngd1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:to|and|-|–|/)\s+
        (?:the\s+)?(?P<ngd2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?P<ngm2>{_MON})\b)?(?:,?\s+(?P<ngy>(?:19|20)\d{{2}})\b)?)
  | (?P<md>\b(?:(?P<mwd>{_WD}){_TOD}\s*[,(]?\s*)?
        (?:(?P<mon1>{_MON})\.?\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\b
          |(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MON})\b\.?)
        \)?(?:,?\s+(?P<my>(?:19|20)\d{{2}})\b|\s+(?P<mly>last|this)\s+year\b)?)
  | (?P<edge>\bthe\s+(?P<edw>last|first)\s+day\s+of\s+(?P<edm>{_MON})\b(?:,?\s+(?P<edy>(?:19|20)\d{{2}})\b)?)
  | (?P<monyear>\b(?P<mym>{_MON}),?\s+(?P<myy>(?:19|20)\d{{2}})\b)
  | (?P<inmonth>\b(?:in|during|(?:at|towards?|by)\s+the\s+(?:very\s+)?(?:end|beginning|start|middle)\s+of)\s+(?:early\s+|late\s+|mid-?)?(?P<imn>january|february|march|april|june|july|august|september|october|november|december)\b(?!,?\s+(?:19|20)\d{{2}}\b)(?:\s+(?P<imly>last|this)\s+year\b)?)
  | (?P<lastmon>\b(?P<lmm>last|this|past)\s+(?P<lmn>january|february|march|april|may|june|july|august|september|october|november|december)\b(?!\s*\d))
  | (?P<season>\b(?:(?P<smod>last|this|past)\s+(?P<sn1>spring|summer|autumn|fall|winter)\b
        |(?:(?:in|during)\s+)?(?:the\s+)?(?:(?P<sn0>spring|summer|autumn|fall|winter)\s+and\s+)?(?P<sn2>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<sy>(?:19|20)\d{{2}})\b
        |(?P<san>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{{1,2}})\s+(?P<sn3>springs|summers|autumns|falls|winters)\s+ago\b))
  | (?P<year>\b(?:in|during)\s+(?:early\s+|late\s+|mid-?)?(?P<yy>(?:19|20)\d{{2}})\b)
  | (?P<ago>\b(?P<agn>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{{1,3}})\s+(?P<agu>days?|weeks?|months?|years?)\s+ago(?P<agt>\s+today)?\b)
  | (?P<rel>\b(?:yesterday|today|tonight|this\s+(?:morning|afternoon|evening)|last\s+night)\b)
  | (?P<weekend>\b(?:(?P<wemod>last|this|past)\s+weekend|(?:at|over|during)\s+the\s+(?:past\s+)?weekend)\b)
  | (?P<week>\b(?P<wkmod>last|this|past)\s+(?P<wku>week|month|year)\b)
  | (?P<span>\b(?:for|over|in|during)\s+the\s+(?:past|last)\s+(?P<sn>\w+)\s+(?P<su>days|weeks)\b
        |\bfor\s+more\s+than\s+a\s+week\b|\bin\s+recent\s+days\b|\bfor\s+several\s+days\b)
  | (?P<wdd>\b(?:on\s+)?(?P<wddn>{_WD}){_TOD},?\s+the\s+(?P<wddd>\d{{1,2}})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?{_MON}\b))
  | (?P<wday>\b(?:(?P<wmod>earlier|early|late|last|previous|this|next|on|past)\s+)?(?P<wdn>{_WD}){_TOD}\b(?!\s*[,(]?\s*(?:{_MON}\b|\d{{1,2}}\s+{_MON}\b)))
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class DateExpr:
    start: int
    end: int
    text: str
    groups: dict


@dataclass(frozen=True, slots=True)
class DateContext:
    """What relative expressions are resolved against."""

    published: dt.date | None
    anchor: dt.date | None = None  # latest explicit date in an undated article
    min_year: int = 1900
    max_year: int = 2100
    note: str = ""
    # the window a paragraph's heading gives ("December 2022: the barricades."): see heading
    heading: DateWindow | None = None


def _fast_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of ``_PATTERN`` (see pipeline.caseless), with the word boundary
    that opens every alternative also put in front of the whole, so that ``re`` gives up at once
    at positions inside words, and a guard on the first characters (``caseless.start_guard``).
    Used only when every alternative does open with ``\\b``."""
    t = twin(pattern)
    try:
        from re import _parser  # the structure check below; any surprise keeps the plain twin

        tree = _parser.parse(t.pattern, t.flags)
        (op, av), = tree.data
        if op is _parser.BRANCH:
            alternatives = av[1]
        else:
            return t
        for alt in alternatives:
            node = alt.data[0]
            while node[0] is _parser.SUBPATTERN:
                node = node[1][3].data[0]
            if not (node[0] is _parser.AT and node[1] is _parser.AT_BOUNDARY):
                return t
    except Exception:  # noqa: BLE001 - any surprise in re's private parser keeps the plain twin
        return t
    close = "\n)" if t.flags & re.VERBOSE else ")"  # a trailing comment must not swallow it
    # and the first characters a match can start with, as a lookahead: most words fail it at once
    guard = start_guard(t, 4)  # four characters: "in " and "on " pass it, "injured" and "only" do not
    return re.compile(r"\b" + (f"(?={guard})" if guard else "") + "(?:" + t.pattern + close, t.flags)


_PATTERN_TWIN = _fast_twin(_PATTERN)
_last_found: list = [None, -1, -1, []]  # the last span asked for: (text, start, end, result)


def find_expressions(
    text: str, start: int = 0, end: int | None = None, *, lowered: str | None = None
) -> list[DateExpr]:
    """Every date expression in ``text[start:end]``; ``lowered`` is ``caseless.lower_text(text)``
    when the caller has it already."""
    end = len(text) if end is None else end
    last = _last_found
    if last[0] is text and last[1] == start and last[2] == end:
        return list(last[3])
    out = _scan(text, start, end, lower_text(text) if lowered is None else lowered)
    last[:] = [text, start, end, out]
    return list(out)


def _scan(text: str, start: int, end: int, low: str) -> list[DateExpr]:
    """:func:`find_expressions` without its one-entry memo (``low``: the lower-cased text)."""
    out = []
    for m in _PATTERN_TWIN.finditer(low, start, end):
        groups = {}
        for name, value in m.groupdict().items():  # the groups that took part, in pattern order
            if value is not None:
                a, b = m.span(name)
                groups[name] = text[a:b]
        a, b = m.span()
        out.append(DateExpr(a, b, text[a:b], groups))
    return out


def _day(d: dt.date, note: str) -> DateWindow:
    return DateWindow(d, d, d, 1, note)


def _month_window(year: int, month: int, note: str, best: dt.date | None = None) -> DateWindow:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    return DateWindow(best if best and first <= best <= last else first, first, last, 3, note)


def _year_window(year: int, note: str) -> DateWindow:
    return DateWindow(dt.date(year, 1, 1), dt.date(year, 1, 1), dt.date(year, 12, 31), 3, note)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    """The date, or None when there is no such day or its year is outside 1900..2100: like the
    year patterns, explicit dates ("0001-04-18", "12.5.0300") count only in the news era, which
    keeps every window computed from them on the calendar."""
    if not 1900 <= y <= 2100:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _latest_weekday_on_or_before(ref: dt.date, weekday: int) -> dt.date:
    return ref - dt.timedelta(days=(ref.weekday() - weekday) % 7)


def year_from_weekday(month: int, day: int, weekday: int, min_year: int, max_year: int) -> list[int]:
    """Years in [min_year, max_year] where month/day fell on ``weekday``, latest first."""
    years = []
    for y in range(max_year, min_year - 1, -1):
        d = _safe_date(y, month, day)
        if d and d.weekday() == weekday:
            years.append(y)
    return years


def resolve(expr: DateExpr, ctx: DateContext) -> DateWindow | None:
    """The window an expression allows in this context, or None if it cannot say (or is future)."""
    try:
        return _resolve(expr, ctx)
    except OverflowError:
        return None  # "for the past 99999999999 days", or counting back from year 1: off the calendar


def _latest_day(ctx: DateContext, month: int, day: int) -> dt.date | None:
    """The day in the year of the publication (else of the text's anchor), or the year before
    when it would fall after it: a week's grace after publication, half a year after an anchor.
    None when there is no such day (or no reference)."""
    ref = ctx.published or ctx.anchor
    if ref is None:
        return None
    date = _safe_date(ref.year, month, day)
    if date and date > ref + dt.timedelta(days=7 if ctx.published else 183):
        date = _safe_date(ref.year - 1, month, day)
    return date


def _resolve(expr: DateExpr, ctx: DateContext) -> DateWindow | None:
    g = expr.groups
    P, A = ctx.published, ctx.anchor
    ref = P or A
    if "iso" in g or "num" in g:
        y, m, d = (int(g["iy"]), int(g["im"]), int(g["id"])) if "iso" in g else (int(g["ny"]), int(g["nm"]), int(g["nd"]))
        date = _safe_date(y, m, d)
        return _day(date, f"explicit date {expr.text!r}") if date else None
    if "night" in g:  # "during the night of 3 to 4 June", "in the night between 5 and 6 November 2022"
        if "ngm1" not in g and "ngm2" not in g:
            return None
        month = _MONTHS[(g.get("ngm2") or g["ngm1"]).lower()]
        first, second = int(g["ngd1"]), int(g["ngd2"])
        end = _safe_date(int(g["ngy"]), month, second) if "ngy" in g else _latest_day(ctx, month, second)
        if end is None:
            return None
        start = end - dt.timedelta(days=1)
        if first != start.day:  # not the night before that day
            return None
        return DateWindow(None, start, end, 2, f"the night {expr.text!r}")
    if "dm" in g:  # "On 04/06," "Tuesday 26/9": day and month, as European reports write them
        date = _latest_day(ctx, int(g["dmm"]), int(g["dmd"]))
        return _day(date, f"{expr.text!r} (day/month) in the year of {'publication' if P else 'the text'}") if date else None
    if "md" in g:
        month = _MONTHS[(g.get("mon1") or g.get("mon2")).lower()]
        day = int(g.get("day1") or g.get("day2"))
        if "my" in g:
            date = _safe_date(int(g["my"]), month, day)
            return _day(date, f"explicit date {expr.text!r}") if date else None
        if "mly" in g:  # "on 24 September last year"
            if ref is None:
                return None
            date = _safe_date(ref.year - (g["mly"].lower() == "last"), month, day)
            return _day(date, f"{expr.text!r} before {ref}") if date and date <= ref + dt.timedelta(days=7) else None
        if ref is not None and "mwd" in g and P is not None:
            wd = WEEKDAYS.index(g["mwd"].lower())
            years = year_from_weekday(month, day, wd, P.year - 6, P.year)
            if years:
                return _day(dt.date(years[0], month, day), f"year {years[0]} from the weekday in {expr.text!r}")
        year = _heading_year(ctx)
        if year is not None and ref is not None:
            date = _safe_date(year, month, day)
            if date and date <= ref + dt.timedelta(days=7):
                return _day(date, f"{expr.text!r} in {year}, the year of its paragraph's heading")
        if ref is not None:
            date = _latest_day(ctx, month, day)
            return _day(date, f"{expr.text!r} in the year of {'publication' if P else 'the text'}") if date else None
        if "mwd" in g:
            wd = WEEKDAYS.index(g["mwd"].lower())
            years = year_from_weekday(month, day, wd, ctx.min_year, ctx.max_year)
            if years:
                date = dt.date(years[0], month, day)
                others = ", ".join(map(str, years[1:4]))
                note = f"year {years[0]} from the weekday in {expr.text!r}" + (f" (also possible: {others})" if others else "")
                return _day(date, note)
        return None
    if "edge" in g:  # "on the last day of July 2022"
        month = _MONTHS[g["edm"].lower()]
        if "edy" in g:
            year = int(g["edy"])
        elif ref is not None:
            year = ref.year if month <= ref.month else ref.year - 1
        else:
            return None
        day = 1 if g["edw"].lower() == "first" else calendar.monthrange(year, month)[1]
        date = dt.date(year, month, day)
        return _day(date, f"{expr.text!r}") if ref is None or date <= ref else None
    if "monyear" in g:
        return _month_window(int(g["myy"]), _MONTHS[g["mym"].lower()], f"month {expr.text!r}")
    if "inmonth" in g:
        if ref is None:
            return None
        month = _MONTHS[g["imn"].lower()]
        if "imly" in g:  # "in December last year"
            year = ref.year - (g["imly"].lower() == "last")
            return _month_window(year, month, f"{expr.text!r} before {ref}") if dt.date(year, month, 1) <= ref else None
        year = _heading_year(ctx)
        if year is not None and dt.date(year, month, 1) <= ref:
            return _month_window(year, month, f"{expr.text!r} in {year}, the year of its paragraph's heading")
        year = ref.year if month <= ref.month else ref.year - 1
        return _month_window(year, month, f"{expr.text!r} before {ref}")
    if "lastmon" in g:  # "last December": the latest before the month of publication; "this March"
        if ref is None:
            return None
        month = _MONTHS[g["lmn"].lower()]
        if g["lmm"].lower() == "this":
            return _month_window(ref.year, month, f"{expr.text!r} of {ref.year}") if month <= ref.month else None
        year = ref.year if month < ref.month else ref.year - 1
        return _month_window(year, month, f"{expr.text!r} before {ref}")
    if "season" in g:
        return _season(expr, ref)
    if "year" in g:
        y = int(g["yy"])
        return _year_window(y, f"year {expr.text!r}")
    if A is not None and P is None and ("rel" in g or "week" in g or "span" in g or "ago" in g):
        return None  # relative to an unknown publication date: the caller falls back to the anchor month
    if "ago" in g:
        return _ago(expr, P) if P is not None else None
    if "rel" in g:
        if P is None:
            return None
        word = expr.text.lower()
        d = P - dt.timedelta(days=1) if word.startswith(("yesterday", "last")) else P
        return _day(d, f"{expr.text!r} relative to publication {P}")
    if "weekend" in g:
        if ref is None:
            return None
        if P is not None:
            last_sat = _latest_weekday_on_or_before(P - dt.timedelta(days=1) if P.weekday() == 5 and (g.get("wemod") or "").lower() == "last" else P, 5)
            if P.weekday() == 5 and (g.get("wemod") or "").lower() == "last":
                last_sat = P - dt.timedelta(days=7)
            sun = min(last_sat + dt.timedelta(days=1), P)
            return DateWindow(last_sat, last_sat, sun, 2, f"{expr.text!r} before publication {P}")
        before = _latest_weekday_on_or_before(A, 5)
        after = before + dt.timedelta(days=7)
        sat = before if (A - before) <= (after - A) or A.weekday() == 6 else after
        if A.weekday() == 6:
            sat = A - dt.timedelta(days=1)
        return DateWindow(sat, sat, sat + dt.timedelta(days=1), 2, f"{expr.text!r}: the weekend nearest {A}")
    if "week" in g:
        if P is None:
            return None
        mod = g["wkmod"].lower()
        unit = g["wku"].lower()
        if unit != "week":  # "last month", "this year": the calendar month or year (to publication)
            first = P.replace(day=1) if unit == "month" else P.replace(month=1, day=1)
            if mod == "this":
                return DateWindow(P, first, P, 3, f"{expr.text!r} of publication {P}")
            if unit == "month":
                last = first - dt.timedelta(days=1)
                return _month_window(last.year, last.month, f"{expr.text!r} before {P}")
            return _year_window(P.year - 1, f"{expr.text!r} before {P}")
        monday = P - dt.timedelta(days=P.weekday())
        if mod == "this":
            return DateWindow(P, monday, P, 2, f"{expr.text!r} of publication {P}")
        start = monday - dt.timedelta(days=7)
        return DateWindow(start + dt.timedelta(days=6), start, start + dt.timedelta(days=6), 2, f"{expr.text!r} before {P}")
    if "span" in g:
        if P is None:
            return None
        n = 7
        if g.get("sn"):
            n = _NUMBERS.get(g["sn"].lower(), int(g["sn"]) if g["sn"].isdigit() else 7)
            if g["su"].lower() == "weeks":
                n *= 7
        elif "recent" in expr.text.lower():
            n = 7
        return DateWindow(P, P - dt.timedelta(days=n), P, 2, f"{expr.text!r} before publication {P}")
    if "wdd" in g:  # "on Saturday the 25th": the latest such day on or before the date
        return _weekday_and_day(expr, ref, WEEKDAYS.index(g["wddn"].lower()), int(g["wddd"]))
    if "wday" in g:
        mod = (g.get("wmod") or "").lower()
        wd = WEEKDAYS.index(g["wdn"].lower())
        if mod == "next":
            return None  # a future plan is not an event
        if P is not None:
            if mod in ("last", "previous"):
                d = _latest_weekday_on_or_before(P - dt.timedelta(days=1), wd)
            else:
                d = _latest_weekday_on_or_before(P, wd)
            return _day(d, f"{expr.text!r} before publication {P}")
        if A is not None:
            before = _latest_weekday_on_or_before(A, wd)
            if before == A:
                return _day(A, f"{expr.text!r} is the anchor date {A}")
            after = before + dt.timedelta(days=7)
            best = before if (A - before) <= (after - A) else after
            return DateWindow(best, before, after, 2, f"{expr.text!r} nearest the anchor {A} (no publication date)")
        return None
    return None


_WEEKDAY_AND_DAY_MONTHS = 12  # how far back "Saturday the 25th" is looked for


def _weekday_and_day(expr: DateExpr, ref: dt.date | None, weekday: int, day: int) -> DateWindow | None:
    """A weekday with a day of the month and no month ("on Saturday the 25th"): the latest
    day ``day`` of a month, on or before ``ref``, that falls on ``weekday`` (in the last year)."""
    if ref is None:
        return None
    year, month = ref.year, ref.month
    for _ in range(_WEEKDAY_AND_DAY_MONTHS):
        date = _safe_date(year, month, day)
        if date is not None and date <= ref and date.weekday() == weekday:
            return _day(date, f"{expr.text!r}: the latest {WEEKDAYS[weekday].title()} the {day}th before {ref}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # the first month of each


def _season_window(year: int, name: str) -> tuple[dt.date, dt.date]:
    """The three months of a season that begins in ``year`` (winter: December to February)."""
    first = _SEASON_MONTHS[name]
    start = dt.date(year, first, 1)
    last_year, last_month = (year + 1, 2) if first == 12 else (year, first + 2)
    return start, dt.date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])


def _season(expr: DateExpr, ref: dt.date | None) -> DateWindow | None:
    """A season: "the summer of 2022", "summer 2022" (the winter of a year begins in its
    December); "last summer", "this winter", "two summers ago", counted from ``ref`` (the last
    one over before it, the one it is in); its end never after ``ref``."""
    g = expr.groups
    name = (g.get("sn1") or g.get("sn2") or g.get("sn3") or "").lower()
    name = name.removesuffix("s")
    if "sy" in g:
        year = int(g["sy"])
        if "sn0" in g:  # "summer and autumn 2022": from the first's start to the second's end
            first = g["sn0"].lower()
            start, end = _season_window(year, first)[0], _season_window(year, name)[1]
            if ref is not None and start > ref:
                return None
            return DateWindow(start, start, end if ref is None else min(end, ref), 3, f"seasons {expr.text!r}")
    else:
        if ref is None:
            return None
        year = ref.year if _season_window(ref.year, name)[0] <= ref else ref.year - 1  # the latest begun
        mod = (g.get("smod") or "").lower()
        if mod == "this":  # the one it is in, or one over earlier in its year; not one to come
            start, end = _season_window(year, name)
            if not (start <= ref <= end or start.year == ref.year):
                return None
        else:
            if _season_window(year, name)[1] >= ref:  # not over yet: the one before
                year -= 1
            if "san" in g:
                word = g["san"].lower()
                year -= (int(word) if word.isdigit() else _NUMBERS[word]) - 1
    start, end = _season_window(year, name)
    if ref is not None:
        if start > ref:
            return None
        end = min(end, ref)
    return DateWindow(start, start, end, 3, f"season {expr.text!r}" + (f" before {ref}" if "sy" not in g else ""))


_AGO_SLACK = {"day": 0, "week": 3, "month": 15, "year": 31}  # days either side, unless "... ago today"


def _ago(expr: DateExpr, P: dt.date) -> DateWindow | None:
    """ "two days ago", "a week ago", "a year ago today": counted back from publication; a day
    when the count is in days or the text adds "today", else a window around it."""
    g = expr.groups
    word, unit = g["agn"].lower(), g["agu"].lower().rstrip("s")
    n = int(word) if word.isdigit() else _NUMBERS[word]
    if unit in ("day", "week"):
        d = P - dt.timedelta(days=n * (7 if unit == "week" else 1))
    else:
        months = P.year * 12 + P.month - 1 - n * (12 if unit == "year" else 1)
        year, month = divmod(months, 12)
        if year < 1900:
            return None
        d = dt.date(year, month + 1, min(P.day, calendar.monthrange(year, month + 1)[1]))
    note = f"{expr.text!r} before publication {P}"
    slack = 0 if "agt" in g else _AGO_SLACK[unit]
    if slack == 0:
        return _day(d, note)
    return DateWindow(d, d - dt.timedelta(days=slack), min(P, d + dt.timedelta(days=slack)),
                      2 if unit == "week" else 3, note)


def lead_date(text: str, start: int, end: int, ctx: DateContext, *, lowered: str | None = None) -> dt.date | None:
    """The day before publication when the lead ``text[start:end]`` (an article's first
    paragraph) dates its news to it: one of its date expressions resolves to that single day
    ("... in Mitrovica on October 13", published on the 14th; older days it recalls do not
    count). None otherwise, or without a publication date.

    Only that day: a lead dated further back is more often a round-up of the week or a
    follow-up than the story its later paragraphs tell (and on the benchmark's synthetic
    corpus, whose undated sentences are the publication's day or the day before, a week's
    reach put 3% of dates out of their window)."""
    P = ctx.published
    if P is None:
        return None
    day = P - dt.timedelta(days=1)
    lead = (lowered if lowered is not None else lower_text(text))[start:end]
    # what every expression of that day holds (its number, its weekday, "yesterday", "last
    # night", "a day ago"): most leads hold none, and are not searched
    if not any(word in lead for word in (str(day.day), WEEKDAYS[day.weekday()], "yesterday", "night", "ago")):
        return None
    for expr in find_expressions(text, start, end, lowered=lowered):
        window = resolve(expr, ctx)
        if window is not None and window.precision == 1 and window.event_date == day:
            return day
    return None


# A paragraph that opens with a short heading ending in a colon ("December 2022: the
# barricades.", "Summer and autumn 2022: more plates, and a walkout.").
_HEADING = re.compile(r"[^\n:.!?;]{1,50}?:\s")
# A paragraph that is a heading and nothing else, marked as one: a Markdown heading ("## 2022";
# a web page's "<h2>December 2022</h2>" is read as one), a line in bold ("**May 2023:**") or a
# numbered section's title ("3. The case: 19 February 2008", no stop at its end). Other short
# lines are not: a caption, a dateline, a list item or a page's date line would date every
# paragraph after them.
_HEADING_LINE = re.compile(
    r"#{1,6}[ \t]+[^\n]*\S[^\n]*|(?:\*\*|__)[^\n*_]*\w[^\n*_]*(?:\*\*|__):?"
    r"|\d{1,2}(?:\.\d{1,2})*\.[ \t]+[A-Z][^\n]*[^\n.!?;,]")
_BARE_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def heading(text: str, start: int, ctx: DateContext, *, lowered: str | None = None) -> DateWindow | None:
    """The window the heading that opens the paragraph at ``start`` gives, when it gives one
    (a month, a year, a day; not after publication): backgrounders and timelines head each
    paragraph with its time ("December 2022: the barricades.") and date its events by day and
    month only. None when the paragraph opens with no heading, or one without a date."""
    m = _HEADING.match(text, start)
    return None if m is None else heading_window(text, start, m.end() - 1, ctx, lowered=lowered)


def is_heading_line(text: str, start: int, end: int) -> bool:
    """Whether the paragraph ``text[start:end]`` is a heading alone (see :data:`_HEADING_LINE`):
    it dates the paragraphs under it, up to the next one (:func:`heading_window`)."""
    return end - start <= 72 and _HEADING_LINE.fullmatch(text, start, end) is not None


def heading_window(
    text: str, start: int, end: int, ctx: DateContext, *, lowered: str | None = None
) -> DateWindow | None:
    """The window the heading ``text[start:end]`` gives: a month, a year or a day with its
    year ("10 December 2022"), not after publication; None when it gives none."""
    ref = ctx.published or ctx.anchor
    window = None
    for expr in find_expressions(text, start, end, lowered=lowered):
        found = resolve(expr, ctx)
        # a month or a year, or a day with its year ("10 December 2022"): not "on Monday" (a
        # speaker's "said on Monday:" opens a quotation, not a section)
        if found is not None and found.start is not None and (
            found.precision == 3 or {"iy", "ny", "my"} & expr.groups.keys()
        ):
            window = found
            break
    if window is None:
        years = [int(y) for y in _BARE_YEAR.findall(text, start, end)]
        if not years or min(years) != max(years):
            return None
        window = _year_window(years[0], f"the year {years[0]} of the paragraph's heading")
    if ref is not None and window.start is not None and window.start > ref:
        return None
    return window


def _heading_year(ctx: DateContext) -> int | None:
    """The year of the paragraph's heading, when it lies within one year."""
    h = ctx.heading
    if h is None or h.start is None or h.end is None or h.start.year != h.end.year:
        return None
    return h.start.year


NO_DATE = "no date in the sentence"  # how every window :func:`fallback` gives begins its note


def fallback(ctx: DateContext, lead: dt.date | None = None) -> DateWindow:
    """The window for a sentence that says nothing about when (``lead``: :func:`lead_date`);
    in a paragraph with a dated heading, the heading's."""
    if ctx.heading is not None:
        return replace(ctx.heading, note=f"{NO_DATE}: its paragraph's heading ({ctx.heading.note})")
    if ctx.published is not None:
        P = ctx.published
        if lead is not None and P - dt.timedelta(days=1) <= lead < P:
            return DateWindow(lead, lead, P, 2, f"{NO_DATE}: the day the lead gives ({lead}), or publication")
        return DateWindow(P, P - dt.timedelta(days=1), P, 2, f"{NO_DATE}: the publication date")
    if ctx.anchor is not None:
        return _month_window(ctx.anchor.year, ctx.anchor.month,
                             f"no publication date: the month of the text's latest date {ctx.anchor}", best=ctx.anchor)
    return UNDATED


def article_context(body: str, published: dt.date | None, today: dt.date) -> DateContext:
    """Find the anchor of an undated article: its latest explicit, resolvable date."""
    if published is not None:
        return DateContext(published=published, max_year=today.year)
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", body) if int(y) <= today.year]
    bare = DateContext(published=None, min_year=max(years, default=1900), max_year=today.year)
    dates = []
    for expr in find_expressions(body):
        if {"iso", "num", "md"} & expr.groups.keys():
            w = resolve(expr, bare)
            if w is not None and w.precision == 1 and w.event_date and w.event_date <= today:
                dates.append((w.event_date, w.note))
    if not dates:
        return DateContext(published=None, min_year=bare.min_year, max_year=today.year,
                           note="no publication date and no explicit date in the text: incidents left undated")
    anchor, why = max(dates)
    return DateContext(published=None, anchor=anchor, min_year=bare.min_year, max_year=today.year,
                       note=f"no publication date; anchored on {anchor} ({why})")


_WHICH_CLAUSE = re.compile(r",\s+which\s")
# ... or the people a participle says something befell, after the place ("gathered this afternoon
# ... in Zubin Potok, demanding the release of the men detained on Saturday": this afternoon)
_PARTICIPLE_DATED = re.compile(
    r"\b(?:the|of|for)\s+(?:[\w-]+\s+){0,3}?(?:men|women|people|persons|officers|policemen|soldiers|serbs|albanians|"
    r"suspects|activists|protesters|demonstrators|journalists|defendants|attackers|villagers|residents)\s+"
    r"(?:who\s+(?:were|was)\s+)?(?:detained|arrested|held|killed|wounded|injured|hurt|taken|abducted|kidnapped|charged|sentenced)\s+$"
)
_PARAGRAPH_LOOK_BACK = 400  # how far before it a dateless sentence looks for the one it goes on from
# "In Zubin Potok, ..." (a name: "In the meantime, ..." is not checked here but by its capital)
_PLACE_LED = re.compile(r"(?:and\s+|while\s+|also\s+)?in\s+([^,.;:!?]{2,40}),\s")
_PLACE_LED_BEFORE = re.compile(r"(?:^|[.!?]\s+)(in\s+([^,.;:!?]{2,40}),\s[^.!?]*[.!?]\s*)$", re.MULTILINE)
# A sentence dated only by the one before it in its paragraph: "The book opens ... on the last
# day of July 2022 ... The first chapter follows that night in the village of Rvatska"; "shots
# were fired ... the same night".
_THAT_DAY_LOOK_BACK = 1000
_THAT_DAY = re.compile(r"\b(?:that|the\s+same)\s+(?:day|night|evening|morning|afternoon)\b")


def date_for(
    sentence_start: int, sentence_end: int, mention_start: int, text: str, ctx: DateContext,
    *, lowered: str | None = None, lead: Callable[[], dt.date | None] | None = None,
    paragraph_start: int | None = None,
) -> DateWindow:
    """The window for a mention: the nearest resolvable date expression in its sentence, or the
    range it bounds (:func:`date_range`), else :func:`fallback` (``lead``: gives the day the
    article's lead gives, :func:`lead_date`; called only then). ``paragraph_start``: where
    "from that day" may look back for its day (the sentence's own start when not given)."""
    found = find_expressions(text, sentence_start, sentence_end, lowered=lowered)
    low = lower_text(text) if lowered is None else lowered

    def rank(i: int) -> tuple[bool, int]:
        # the nearest, but not one that dates a clause on a later noun ("gathered at noon today
        # in front of the building of the Municipality of Zvečan, which the police sealed
        # yesterday": today) while the sentence has another
        expr = found[i]
        own_clause = expr.start > mention_start and (
            _WHICH_CLAUSE.search(low, mention_start, expr.start) is not None
            or _PARTICIPLE_DATED.search(low, max(mention_start, expr.start - 120), expr.start) is not None)
        return own_clause, min(abs(expr.start - mention_start), abs(expr.end - mention_start))

    contexts = _in_years_named_before(found, ctx)
    ranked = sorted(range(len(found)), key=rank)
    for i in ranked:
        window = resolve(found[i], contexts[i])
        if window is not None:
            if window.precision == 3:
                # a day of that month or year the sentence names too ("During the dispute of
                # September 2021, residents kept the road closed from 20 September ...")
                within = next(((j, w) for j in ranked if j != i and (w := resolve(found[j], contexts[j])) is not None
                               and w.precision == 1 and window.start <= w.start and w.end <= window.end), None)
                if within is not None:
                    i, window = within
            span = date_range(i, window, found, text, low, contexts, sentence_start,
                              sentence_start if paragraph_start is None else paragraph_start)
            return window if span is None else span
    if paragraph_start is not None and paragraph_start < sentence_start:
        # no date in a sentence that goes on, place by place, from the one before it: that one's
        # ("In Leposavić, citizens gathered ... yesterday. In Zubin Potok, several hundred
        # citizens gathered ...")
        led = _PLACE_LED.match(low, sentence_start)
        parallel = None if led is None or not text[led.start(1)].isupper() else _PLACE_LED_BEFORE.search(
            low, max(paragraph_start, sentence_start - _PARAGRAPH_LOOK_BACK), sentence_start)
        if parallel is not None and text[parallel.start(2)].isupper():
            window = _first_window(reversed(find_expressions(text, parallel.start(1), sentence_start, lowered=low)), ctx)
            if window is not None:
                return window
        if _THAT_DAY.search(low, sentence_start, sentence_end) is not None:
            earlier = find_expressions(text, max(paragraph_start, sentence_start - _THAT_DAY_LOOK_BACK),
                                       sentence_start, lowered=low)
            window = _first_window(reversed(earlier), ctx)
            if window is not None:
                return replace(window, note=f"{window.note}, the day of the sentence before ('that day')")
    return fallback(ctx, lead() if lead is not None and ctx.heading is None else None)


# A sentence that only dates what the one before it reported: "According to the police, the
# incident occurred on February 27 in the evening." (at its start, so not "the attack that
# happened on Friday was ..." in the middle of another story).
_RESTATED = re.compile(
    r"(?:according\s+to\s+[^,.;:]{1,60},\s+)?(?:(?:the|this|that)\s+(?:[\w-]+\s+)?"
    r"(?:incident|attack|shooting|explosion|blast|arson|fire|clash(?:es)?|assault|ambush)|it)\s+"
    r"(?:had\s+|has\s+)?(?:occurred|occured|happened|took\s+place)\b"
)


def restated_date(
    text: str, sentence_start: int, sentence_end: int, ctx: DateContext, *, lowered: str | None = None
) -> DateWindow | None:
    """The window of a sentence that dates the incident the sentence before it reported ("The
    incident occurred on February 27."): its first resolvable date; None for any other sentence,
    or one that gives no date."""
    low = lower_text(text) if lowered is None else lowered
    said = _RESTATED.match(low, sentence_start, sentence_end)
    if said is None:
        return None
    return _first_window(find_expressions(text, said.end(), sentence_end, lowered=low), ctx)


def _first_window(exprs: Iterable[DateExpr], ctx: DateContext) -> DateWindow | None:
    """The window of the first of ``exprs`` that resolves (:func:`resolve`), if any."""
    return next((w for w in (resolve(e, ctx) for e in exprs) if w is not None), None)


# A range: "from December 10 until December 29", "between Monday and Wednesday" ("between 10 and
# 12 December" is not read: a bare "10" is no date); "from that day until December 29" takes its
# first day from the latest date before it in the paragraph.
_RANGE_OPEN = re.compile(r"\b(from|between)\s+$")
_RANGE_JOIN = {"from": re.compile(r"\s+(?:until|till|to|through)\s+"), "between": re.compile(r"\s+and\s+")}
_RANGE_BACK = re.compile(r"\bfrom\s+(?:that|the\s+same)\s+(?:day|date)\s+(?:until|till|to|through)\s+$")
_WEEK = 7
_RANGE_LOOK_BACK = 400  # how far before its sentence "that day" may be named: bounded, for huge paragraphs
_OPENER_ROOM = 12  # how far before a date its "from"/"between" is looked for
_BACK_ROOM = 48  # how far before a date "from that day until" is looked for


def _is_range(low: str, first: DateExpr, second: DateExpr, sentence_start: int) -> bool:
    """Whether "from"/"between" opens ``first`` and the matching word joins it to ``second``,
    or a dash joins two days ("31 July – 1 August 2022")."""
    if "md" in first.groups and "md" in second.groups and _DASH.fullmatch(low, first.end, second.start) is not None:
        return True
    opener = _RANGE_OPEN.search(low, max(sentence_start, first.start - _OPENER_ROOM), first.start)
    return opener is not None and _RANGE_JOIN[opener.group(1)].fullmatch(low, first.end, second.start) is not None


# Two days joined by a dash ("31 July – 1 August 2022", "31 July - 1 August"); and days of one
# month written as a range with a dash, as timelines and tables write them: "10–29 December
# 2022", "26-27 July", "December 10–29, 2022". There a hyphen takes no spaces around it ("3 - 5
# people" is no range), and the first day is no part of a time, a number or a date ("20:00–29
# December", "2.5-6 June").
_DASH = re.compile(r"\s*[-\u2013\u2014]\s*")
_DAY_BEFORE = re.compile(r"(?<![\d:./,-])(\d{1,2})(?:\s*[\u2013\u2014]\s*|-)$")
_DAY_AFTER = re.compile(r"(?:\s*[\u2013\u2014]\s*|-)(\d{1,2})(?:st|nd|rd|th)?\b(?![:./-]?\d)(?:,?\s+((?:19|20)\d{2})\b)?")
_DAY_ROOM = 6  # how far before a date its range's first day is looked for


def _days_of_a_month(
    expr: DateExpr, window: DateWindow, text: str, low: str, sentence_start: int, ctx: DateContext
) -> DateWindow | None:
    """The days of the month ``expr`` (which resolves to the day ``window``) ends or begins,
    when a dash joins it to another day of that month: "10–29 December 2022" (``expr`` "29
    December 2022"), "December 10–29, 2022" (``expr`` "December 10", the year after the range);
    None otherwise."""
    g = expr.groups
    if window.precision != 1 or window.start is None or "md" not in g:
        return None
    day = window.start
    if "day2" in g:  # "10–29 December": the first day before the date
        before = _DAY_BEFORE.search(low, max(sentence_start, expr.start - _DAY_ROOM), expr.start)
        first = None if before is None else _safe_date(day.year, day.month, int(before.group(1)))
        if first is None or first >= day:
            return None
        return DateWindow(first, first, day, 2 if (day - first).days < _WEEK else 3,
                          f"the days {text[before.start():expr.end]!r}", lasting=True)
    after = _DAY_AFTER.match(low, expr.end)
    if after is None or "my" in g or "mly" in g:  # "December 10 2022-..." is no range of days
        return None
    year = int(after.group(2)) if after.group(2) else None
    if year is not None:  # "December 10–29, 2022": the year is the range's
        start = _safe_date(year, day.month, day.day)
        if start is None or (ctx.published is not None and start > ctx.published):
            return None
    else:
        start = day
    last = _safe_date(start.year, start.month, int(after.group(1)))
    if last is None or last <= start:
        return None
    return DateWindow(start, start, last, 2 if (last - start).days < _WEEK else 3,
                      f"the days {text[expr.start:after.end()]!r}", lasting=True)


_YEARLESS_DAY = ("md", "night")  # the expressions of a day that may leave it out


def _named_year(expr: DateExpr) -> int | None:
    """The year ``expr`` names, if it names one."""
    g = expr.groups
    for key in ("my", "myy", "iy", "ny", "yy", "ngy"):
        if key in g:
            return int(g[key])
    return None


def _in_years_named_before(found: list[DateExpr], ctx: DateContext) -> list[DateContext]:
    """The context each of a sentence's expressions is read in: a day named without its year
    after one that names it, in that year ("During the dispute of September 2021, residents kept
    the road closed from 20 September to 2 October"; "on 10 December 2022, ...; they stayed
    until 29 December"), the latest named, when before the publication's year; else ``ctx``
    (a day that names its own year is read in it either way)."""
    out: list[DateContext] = []
    year: int | None = None
    for expr in found:
        g = expr.groups
        if year is not None and any(k in g for k in _YEARLESS_DAY) and "mly" not in g \
                and ctx.published is not None and year < ctx.published.year:
            out.append(replace(ctx, published=dt.date(year, 12, 31), anchor=None))
        else:
            out.append(ctx)
        year = _named_year(expr) or _last_year(expr, ctx) or year
    return out


def _last_year(expr: DateExpr, ctx: DateContext) -> int | None:
    """The year before the publication's, when ``expr`` is "last year" ("That is from last year,
    from the day of the riots in Zvecan in May (29 May)")."""
    g = expr.groups
    if g.get("wku", "").lower() == "year" and g.get("wkmod", "").lower() == "last" and ctx.published is not None:
        return ctx.published.year - 1
    return None


def _first_end(
    first: DateExpr, second: DateExpr, second_window: DateWindow | None, ctx: DateContext
) -> DateWindow | None:
    """A range's first end read in its second end's year, when only the second gives one
    ("from 10 December until 29 December 2022", published in 2024: 10 December 2022, not 2023);
    None otherwise (the first end is then read as it would be alone)."""
    g = first.groups
    if "md" not in g or "mly" in g or _named_year(first) is not None or _named_year(second) is None \
            or second_window is None or second_window.end is None:
        return None
    window = resolve(first, replace(ctx, published=second_window.end, anchor=None))
    return None if window is None else replace(window, note=f"{first.text!r} in the year of {second.text!r}")


def date_range(
    i: int, window: DateWindow, found: list[DateExpr], text: str, low: str, contexts: list[DateContext],
    sentence_start: int, paragraph_start: int,
) -> DateWindow | None:
    """The window from the first day of one end to the last of the other, when ``found[i]``
    (which resolves to ``window``) is an end of a range in its sentence (``found``: the
    sentence's expressions, in text order, each read in its context of ``contexts``; ``low``:
    the lower-cased text); None when it is none, or the ends are reversed. Its best day is its
    first; its precision 2 up to a week, else 3."""
    expr = found[i]
    ctx = contexts[i]
    days = _days_of_a_month(expr, window, text, low, sentence_start, ctx)
    if days is not None:
        return days
    first: DateWindow | None = None
    second: DateWindow | None = None
    if i + 1 < len(found) and _is_range(low, expr, found[i + 1], sentence_start):
        second = resolve(found[i + 1], contexts[i + 1])
        first = _first_end(expr, found[i + 1], second, ctx) or window
    elif i > 0 and _is_range(low, found[i - 1], expr, sentence_start):
        first = _first_end(found[i - 1], expr, window, contexts[i - 1]) or resolve(found[i - 1], contexts[i - 1])
        second = window
    elif _RANGE_BACK.search(low, max(sentence_start, expr.start - _BACK_ROOM), expr.start):
        # (not find_expressions: its memo holds this sentence's expressions, asked for again)
        earlier = _scan(text, max(paragraph_start, sentence_start - _RANGE_LOOK_BACK), sentence_start, low)
        first = _first_window(reversed(earlier), ctx)
        second = window
    if first is None or second is None or first.start is None or second.end is None or first.start > second.end:
        return None
    start, end = first.start, second.end
    precision = max(2 if (end - start).days < _WEEK else 3, first.precision, second.precision)
    return DateWindow(start, start, end, precision, f"from {first.note} until {second.note}", lasting=True)


# How long a blockade lasted, from the day it began: "blocked the roads ... for almost two
# weeks" (through the 13th day after), "The blockade would last until 2 October", "The
# barricades came down on 1 August" (said after it, in its paragraph or at the start of the
# next). Read only for a protest dated to one day (extract).
_LASTED_FOR = re.compile(
    r"\bfor\s+(?:almost\s+|nearly\s+|about\s+|around\s+|some\s+|roughly\s+|over\s+|more\s+than\s+)?"
    r"(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?P<unit>days?|nights?|weeks?)\b"
)
_ENDED = re.compile(
    r"\b(?:(?:the\s+|their\s+|all\s+(?:the\s+)?)?(?:barricades?|blockades?|roadblocks?|road\s+blocks?|trucks|sit-?ins?|protests?)|they)\s+"
    r"(?:would\s+last|lasted|stayed(?:\s+up)?|remained(?:\s+in\s+place)?|went\s+on|continued)\s+until\s+"
    r"|\b(?:the\s+|their\s+|all\s+(?:the\s+)?)?(?:barricades?|blockades?|roadblocks?|road\s+blocks?|trucks)\s+"
    r"(?:came\s+down|(?:were|was)\s+(?:removed|lifted|dismantled|cleared|taken\s+down)|ended)\s+(?:on\s+)?"
)
_LONGEST_BLOCKADE = 92  # days: an end further than this from the start is not this blockade's


def lasted(
    when: DateWindow, text: str, sentence: tuple[int, int], later: Iterable[tuple[int, int]], ctx: DateContext,
    *, lowered: str | None = None,
) -> DateWindow:
    """``when`` (a day) widened to the days the text says the blockade it dates lasted: a
    duration in its ``sentence`` (start, end), else an end said in it or in one of the
    ``later`` sentences ("...; they stayed until 29 December"), the first said; ``when`` itself
    when the text says neither, or ``when`` is no day."""
    if when.precision != 1 or when.start is None:
        return when
    low = lower_text(text) if lowered is None else lowered
    start = when.start
    end: dt.date | None = None
    note = ""
    duration = _LASTED_FOR.search(low, *sentence)
    if duration is not None:
        word = duration["n"]
        days = (int(word) if word.isdigit() else _NUMBERS[word]) * (7 if duration["unit"].startswith("week") else 1)
        end, note = start + dt.timedelta(days=days - 1), f"for {duration.group(0)[4:]!r}"
    else:
        for a, b in itertools.chain((sentence,), later):
            said = _ENDED.search(low, a, b)
            if said is None:
                continue
            found = find_expressions(text, said.end(), b, lowered=low)
            if found and found[0].start == said.end() and found[0].groups.keys() & {"md", "iso", "num"}:
                # a day named without its year: the one after the start, not the publication's
                window = resolve(found[0], replace(ctx, published=start + dt.timedelta(days=_LONGEST_BLOCKADE), anchor=None))
                if window is not None and window.end is not None:
                    end, note = window.end, f"until {found[0].text!r}"
            break
    if end is None or not (start < end <= start + dt.timedelta(days=_LONGEST_BLOCKADE)):
        return when
    if ctx.published is not None:
        end = min(end, ctx.published)
    precision = 2 if (end - start).days < _WEEK else 3
    return DateWindow(start, start, end, precision, f"{when.note}, {note}", lasting=True)
