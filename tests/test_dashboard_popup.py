"""dashboard.popup: escaped popup HTML, the highlighted mention, links only for http(s)."""

from __future__ import annotations

import html
import re

import pytest
from browser.datasets import HOSTILE_ID, MULTI_SOURCE_ID, small_collection
from hypothesis import given
from hypothesis import strategies as st

from dashboard import popup
from dashboard.popup import highlight, is_http_url, popup_html, popup_parts, when_part


def props_of(incident_id: str) -> dict:
    for feature in small_collection()["features"]:
        if feature["properties"]["incident_id"] == incident_id:
            return feature["properties"]
    raise KeyError(incident_id)


def test_highlight_marks_the_first_occurrence():
    assert highlight("At Jarinje, near Jarinje", "Jarinje") == (
        "At <mark>Jarinje</mark>, near Jarinje"
    )


def test_highlight_escapes_around_the_mark():
    assert highlight("<b>Zvečan</b> & co", "Zvečan") == (
        "&lt;b&gt;<mark>Zvečan</mark>&lt;/b&gt; &amp; co"
    )


def test_highlight_falls_back_to_case_insensitive_then_to_none():
    assert highlight("in zubin potok today", "Zubin Potok") == ("in <mark>zubin potok</mark> today")
    assert highlight("no place here", "Leposavić") == "no place here"
    assert highlight("x < y", None) == "x &lt; y"
    assert highlight(None, "x") == ""


TAG = re.compile(r"<(/?)([a-z]+)")


@given(st.text(), st.text())
def test_highlight_only_ever_adds_one_mark(quote, mention):
    out = highlight(quote, mention)
    tags = TAG.findall(out)
    assert tags in ([], [("", "mark"), ("/", "mark")])
    assert html.unescape(out.replace("<mark>", "").replace("</mark>", "")) == quote


@pytest.mark.parametrize(
    "url,linked",
    [
        ("https://example.org/a", True),
        ("HTTP://example.org", True),
        ("  https://example.org/a  ", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("ftp://files.example.org/x", False),
        ("//example.org/x", False),
        ("https:/no-host", False),
        ("", False),
        (None, False),
        (42, False),
    ],
)
def test_only_http_urls_are_links(url, linked):
    assert is_http_url(url) is linked


def test_popup_shows_place_date_type_and_every_source():
    out = popup_html(props_of(MULTI_SOURCE_ID), "#f28e2b")
    assert "Zubin Potok" in out
    assert "2023-05-29" in out and "exact day" in out
    assert "Riots" in out and "Mob violence" in out
    assert "3 sources" in out
    assert "Clashes in Zvečan and Zubin Potok" in out
    assert "Ibar Valley News" in out and "2023-05-30" in out
    assert "<mark>Zubin Potok</mark>" in out
    assert out.count("<a ") == 1  # the ftp:// and the missing URL are not links
    assert 'href="https://news.example.org/a-2023-05-30"' in out
    assert 'rel="noopener noreferrer"' in out


def test_date_window_and_precision_are_shown():
    out = popup_html(props_of("inc-zvecan-2022-12-10"), "#e15759")
    assert "2022-12-10" in out
    assert "between 2022-12-09 and 2022-12-11" in out
    assert "within a few days" in out
    undated = popup_html(props_of("inc-undated-pristina"), "#59a14f")
    assert "undated" in undated


def test_an_incident_that_lasted_says_from_when_until_when():
    props = {"event_date": "2022-12-10", "date_start": "2022-12-10", "date_end": "2022-12-29",
             "time_precision": 3, "lasting": True}
    out = when_part(props)
    assert "<b>from 2022-12-10 until 2022-12-29 (20 days)</b>" in out
    assert "between" not in out and "coarser" not in out  # not days left open
    assert "between 2022-12-10 and 2022-12-29" in when_part({**props, "lasting": False})


def test_a_month_precise_date_leads_with_the_month_not_a_day():
    props = {"event_date": "2022-12-09", "date_start": "2022-12-01", "date_end": "2022-12-31",
             "time_precision": 3}
    out = when_part(props)
    assert "<b>December 2022</b> (on the timeline: 2022-12-09)" in out
    assert "<b>2022-12-09</b>" not in out
    year = when_part({**props, "date_start": "2022-01-01", "date_end": "2022-12-31"})
    assert "<b>2022</b>" in year
    odd = when_part({**props, "date_start": "2022-11-20", "date_end": "2022-12-31"})
    assert "<b>between 2022-11-20 and 2022-12-31</b>" in odd
    few = when_part({**props, "time_precision": 2, "date_start": "2022-12-08", "date_end": "2022-12-10"})
    assert "<b>2022-12-09</b> (between 2022-12-08 and 2022-12-10)" in few


def test_hostile_article_text_is_escaped_everywhere():
    out = popup_html(props_of(HOSTILE_ID), "#b07aa1")
    opened = {tag for _, tag in TAG.findall(out)}
    assert opened <= {"div", "span", "b", "ol", "li", "blockquote", "mark"}
    assert "&lt;img src=x onerror=" in out
    assert "&lt;script&gt;" in out
    assert "&lt;svg onload=alert(4)&gt;Brnjak" in out
    assert "javascript:" not in out and "href" not in out  # not a link, not shown


def test_bad_colour_is_not_injected():
    out = popup_html(props_of(HOSTILE_ID), 'red;" onmouseover="alert(1)')
    assert 'onmouseover="alert' not in out
    assert "#888888" in out


def test_parts_concatenate_to_the_popup():
    props = props_of(MULTI_SOURCE_ID)
    parts = popup_parts(props, "#f28e2b")
    assert popup_html(props, "#f28e2b") == '<div class="im-popup">' + "".join(parts) + "</div>"
    summary = popup_parts(props, "#f28e2b", with_sources=False)
    assert summary[:3] == parts[:3]
    assert "3 sources" in summary[3] and "<blockquote" not in summary[3]


def test_a_source_without_a_link_names_its_article():
    """No URL to go back to: the byline gives the article's id (its file's name), escaped."""
    source = {
        "article_id": "004_<b>jarinje",
        "title": "Roads blocked",
        "published": "2022-12-10",
        "quote": "Roads were blocked near Jarinje.",
        "mention": "Jarinje",
    }
    html = popup.source_html(source)
    assert '<div class="im-byline">2022-12-10 · article 004_&lt;b&gt;jarinje</div>' in html
    linked = popup.source_html({**source, "url": "https://news.example.org/x"})
    assert "article 004" not in linked and 'href="https://news.example.org/x"' in linked
    untitled = popup.source_html({**source, "title": None})  # the id is already the title
    assert untitled.count("004_&lt;b&gt;jarinje") == 1


def test_the_country_is_named_not_coded():
    place = popup.place_part({"location": "Leposavić", "admin2": "Leposaviq", "country": "XK"})
    assert "Leposaviq, Kosovo" in place and "XK" not in place
    assert "Raska District, Serbia" in popup.place_part({"location": "Kopaonik", "admin2": "Raska District", "country": "RS"})
    assert "Somewhere, ZZ" in popup.place_part({"location": "X", "admin2": "Somewhere", "country": "ZZ"})
    assert popup.place_part({"location": "X", "country": None}).count("im-admin") == 0
