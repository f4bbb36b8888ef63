"""The popup of an incident on the map, as escaped HTML.

Everything that comes from an article or the data file (titles, outlets, quotes, names,
URLs) goes through :func:`html.escape`, so text from an article can never run as script in
the page. A URL becomes a link only when it is ``http`` or ``https``.

A popup is the concatenation of a few *parts* (:func:`popup_parts`): the map layer stores
each distinct part once and every marker as indices into that table, which keeps the data
sent to the browser small when many incidents share a place, a day or a type.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from dashboard.filters import GEO_PRECISION_LABELS, TIME_PRECISION_LABELS, allowed_days

_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_NO_COLOUR = "#888888"


def esc(value: Any) -> str:
    """Text escaped for HTML text and attribute values (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def is_http_url(url: Any) -> bool:
    """True for an absolute ``http``/``https`` URL with a host; nothing else is linked."""
    if not isinstance(url, str):
        return False
    text = url.strip()
    if any(ord(ch) < 0x20 for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def highlight(quote: str | None, mention: str | None) -> str:
    """The quote, escaped, with the first occurrence of ``mention`` wrapped in ``<mark>``.

    ``char_start``/``char_end`` are offsets in the full article, not in the quote, so the
    mention is found in the quote: case-sensitive first, else case-insensitive; when it is
    not there at all the quote is shown without a highlight.
    """
    quote = quote or ""
    if not mention:
        return esc(quote)
    at = quote.find(mention)
    if at < 0:
        at = quote.lower().find(mention.lower())
        if at < 0 or len(quote.lower()) != len(quote):
            return esc(quote)
    end = at + len(mention)
    return f"{esc(quote[:at])}<mark>{esc(quote[at:end])}</mark>{esc(quote[end:])}"


def type_part(props: Mapping[str, Any], colour: str) -> str:
    colour = colour if _HEX_COLOUR.match(colour or "") else _NO_COLOUR
    sub = props.get("sub_event_type") or ""
    sub_html = f' <span class="im-sub">{esc(sub)}</span>' if sub else ""
    return (
        f'<div class="im-head"><span class="im-dot" style="background:{colour}"></span>'
        f'<span class="im-type">{esc(props.get("event_type"))}</span>{sub_html}</div>'
    )


# The data keep ISO 3166 codes (the contract); a reader gets the names. Those of the region
# and of the gazetteer's places; any other code is shown as it is.
COUNTRY_NAMES = {
    "XK": "Kosovo", "RS": "Serbia", "AL": "Albania", "MK": "North Macedonia", "ME": "Montenegro",
    "BA": "Bosnia and Herzegovina", "HR": "Croatia", "BE": "Belgium", "RU": "Russia",
    "US": "United States",
}


def country_name(code: Any) -> str:
    return COUNTRY_NAMES.get(code, "" if code is None else str(code))


def place_part(props: Mapping[str, Any]) -> str:
    where = ", ".join(
        esc(value) for value in (props.get("admin2"), country_name(props.get("country"))) if value
    )
    geo = GEO_PRECISION_LABELS.get(props.get("geo_precision"), "")
    where_html = f'<span class="im-admin">{where}</span>' if where else ""
    geo_html = f'<span class="im-prec">location: {esc(geo)}</span>' if geo else ""
    return (
        f'<div class="im-place"><b>{esc(props.get("location") or props.get("place_id"))}</b>'
        f"{' · ' + where_html if where_html else ''}</div>"
        f'<div class="im-meta">{geo_html}</div>'
    )


def when_part(props: Mapping[str, Any]) -> str:
    day = props.get("event_date")
    start, end = props.get("date_start"), props.get("date_end")
    precision = TIME_PRECISION_LABELS.get(props.get("time_precision"), "")
    lasting = props.get("lasting") is True
    days = allowed_days(day, start, end, lasting)
    if days and lasting:
        # how long it went on: every day of it, not days the text leaves open
        return f'<div class="im-when"><b>{esc(days)}</b></div>'
    if days and day and props.get("time_precision") == 3:
        # A month or coarser: the period is what the text says; the day only places it on
        # the timeline (in bold, a reader took it for the date).
        text = f"<b>{esc(days)}</b> (on the timeline: {esc(day)})"
    else:
        text = f"<b>{esc(day)}</b>" if day else "<b>undated</b>"
        if days:
            text += f" ({esc(days)})"
    if precision:
        text += f' · <span class="im-prec">date: {esc(precision)}</span>'
    return f'<div class="im-when">{text}</div>'


def title_html(source: Mapping[str, Any]) -> str:
    """A source's title, a link when it has a web address."""
    title = esc(source.get("title") or source.get("article_id") or "untitled article")
    url = source.get("url")
    if is_http_url(url):
        return f'<a href="{esc(url.strip())}" target="_blank" rel="noopener noreferrer">{title}</a>'
    return title


def byline_html(source: Mapping[str, Any]) -> str:
    """A source's outlet and date ("" when it has neither), and the article's id when
    nothing links back to it."""
    parts = [esc(source.get(k)) for k in ("outlet", "published") if source.get(k)]
    article_id = source.get("article_id")
    if (not is_http_url(source.get("url")) and article_id
            and source.get("title") not in (None, "", article_id)):
        # no link back: the article's id (a file's name without its extension) finds it
        parts.append(f"article {esc(article_id)}")
    return " · ".join(parts)


def source_html(source: Mapping[str, Any]) -> str:
    byline = byline_html(source)
    quote = highlight(source.get("quote"), source.get("mention"))
    return (
        f'<li><div class="im-title">{title_html(source)}</div>'
        + (f'<div class="im-byline">{byline}</div>' if byline else "")
        + (f'<blockquote class="im-quote">{quote}</blockquote>' if quote else "")
        + "</li>"
    )


def sources_part(props: Mapping[str, Any]) -> str:
    sources = props.get("sources") or []
    count = len(sources)
    heading = f"{count} source" + ("" if count == 1 else "s")
    items = "".join(source_html(s) for s in sources if isinstance(s, Mapping))
    return f'<div class="im-sources-h">{heading}</div><ol class="im-sources">{items}</ol>'


def sources_summary_part(count: int) -> str:
    """Stands in for the sources when the window holds too many incidents to ship quotes."""
    noun = "source" if count == 1 else "sources"
    return (
        f'<div class="im-sources-h">{count} {noun}</div>'
        '<div class="im-note">Too many incidents in this window to carry every quote: '
        "narrow the date window or the filters to read the sources here, "
        "or see the table below the map.</div>"
    )


def popup_parts(
    props: Mapping[str, Any], colour: str, *, with_sources: bool = True
) -> tuple[str, ...]:
    """The popup of one incident (its GeoJSON properties), as parts to concatenate."""
    sources = (
        sources_part(props)
        if with_sources
        else sources_summary_part(len(props.get("sources") or []))
    )
    return (type_part(props, colour), place_part(props), when_part(props), sources)


def popup_html(props: Mapping[str, Any], colour: str, *, with_sources: bool = True) -> str:
    """The whole popup of one incident, wrapped in its container."""
    inner = "".join(popup_parts(props, colour, with_sources=with_sources))
    return f'<div class="im-popup">{inner}</div>'
