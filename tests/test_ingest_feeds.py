"""Saved news feeds (RSS 2.0, RSS 1.0, Atom): one article an item, named by its line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dashboard import articles
from pipeline.build import build
from pipeline.feeds import FeedError, looks_like_feed, parse_feed
from pipeline.ingest import read_file, split_where

TODAY = dt.date(2026, 11, 22)

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Sever Danas – English</title>
  <link>https://severdanas.example/en/</link>
  <image><title>not the outlet</title></image>
  <item>
    <title>Car set on fire in Donja Kamenica</title>
    <link>https://severdanas.example/en/car-fire/</link>
    <pubDate>Sat, 17 Jun 2023 00:47:30 +0200</pubDate>
    <description>&lt;p&gt;A car was set on fire last night in Donja Kamenica, Leposavi&amp;#263; municipality.&lt;/p&gt;&lt;p&gt;Police said it was arson.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Citizens gathered in Zve&#269;an</title>
    <link>https://severdanas.example/en/zvecan/</link>
    <pubDate>Fri, 16 Jun 2023 18:20:05 +0200</pubDate>
    <description>A short summary.</description>
    <content:encoded><![CDATA[<p>Citizens gathered again on Friday in front of the municipal building in Zvečan.</p>]]></content:encoded>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Kosovo Online</title>
  <entry>
    <title type="html">Barricades &amp;amp; trucks at Jarinje</title>
    <link rel="self" href="https://example.org/self/1"/>
    <link rel="alternate" href="https://example.org/news/1"/>
    <updated>2022-12-12T08:00:00Z</updated>
    <published>2022-12-11T21:30:00+01:00</published>
    <summary>Barricades.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Serbs set up barricades at Jarinje on Saturday.</p><p>Trucks blocked the road.</p></div></content>
  </entry>
  <entry>
    <title>Numbers &lt; words</title>
    <updated>2022-12-13T08:00:00Z</updated>
    <content type="text">Police said 3 &lt;b&gt; 4 patrols were in Zubin Potok on Monday.</content>
  </entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://example.net/"><title>KoSSev</title></channel>
  <item rdf:about="https://example.net/1">
    <title>Explosion in Zvečan</title>
    <link>https://example.net/1</link>
    <dc:date>2022-12-10</dc:date>
    <description>An explosion was heard in Zvečan on Saturday night.</description>
  </item>
</rdf:RDF>
"""


def articles_of(tmp_path: Path, name: str, text: str) -> list:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(read_file(path, TODAY))


def test_an_rss_feed_is_one_article_an_item_named_by_its_line(tmp_path):
    raws = articles_of(tmp_path, "sever.xml", RSS)
    assert [r.path for r in raws] == [f"{tmp_path / 'sever.xml'}:7", f"{tmp_path / 'sever.xml'}:13"]
    first, second = (r.article for r in raws)
    assert first.article_id == "sever-7" and second.article_id == "sever-13"
    # the title, then the description's HTML as text: its escaped character reference read
    assert first.text == (
        "Car set on fire in Donja Kamenica\n\n"
        "A car was set on fire last night in Donja Kamenica, Leposavić municipality.\n\n"
        "Police said it was arson."
    )
    assert (first.title, first.outlet, first.url) == (
        "Car set on fire in Donja Kamenica", "Sever Danas – English", "https://severdanas.example/en/car-fire/",
    )
    assert first.published == dt.date(2023, 6, 17)  # the day where it was published
    # the full text (content:encoded) rather than the description; a title's reference read
    assert second.text == (
        "Citizens gathered in Zvečan\n\n"
        "Citizens gathered again on Friday in front of the municipal building in Zvečan."
    )
    assert all(not r.warnings and r.error is None for r in raws)


def test_an_atom_feed_gives_its_alternate_link_its_published_day_and_its_content(tmp_path):
    first, second = (r.article for r in articles_of(tmp_path, "online.atom", ATOM))
    assert first.text == (
        "Barricades & trucks at Jarinje\n\nSerbs set up barricades at Jarinje on Saturday.\n\nTrucks blocked the road."
    )
    assert (first.url, first.published, first.outlet) == (
        "https://example.org/news/1", dt.date(2022, 12, 11), "Kosovo Online",
    )
    # plain text is not read as HTML; with no published date, the updated one
    assert second.text == "Numbers < words\n\nPolice said 3 <b> 4 patrols were in Zubin Potok on Monday."
    assert second.published == dt.date(2022, 12, 13) and second.url == ""


def test_an_rss_1_feed_reads_its_items_beside_the_channel(tmp_path):
    (raw,) = articles_of(tmp_path, "kossev.rss", RDF)
    assert raw.article.title == "Explosion in Zvečan" and raw.article.outlet == "KoSSev"
    assert raw.article.published == dt.date(2022, 12, 10) and raw.path.endswith("kossev.rss:5")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (RSS.replace("</item>\n</channel>", "</channel>"), "is not a well-formed feed (line 19, column 5: mismatched tag)"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><title>x</title></svg>',
         ("is XML but not an RSS or Atom feed (its root element is <svg>): not read; move it out of "
          "the articles' folder if it is not one")),
        ("<rss><channel><title>Empty</title></channel></rss>", "is a feed with no items"),
        ("", "is empty"),
    ],
)
def test_a_file_that_is_no_feed_is_one_error_naming_it(tmp_path, text, problem):
    (raw,) = articles_of(tmp_path, "bad.xml", text)
    assert raw.article is None and raw.path == str(tmp_path / "bad.xml")
    assert raw.error.problem == problem


def test_an_empty_item_is_an_error_of_its_own_and_the_others_are_read(tmp_path):
    text = RSS.replace("<item>", "<item><title> </title></item>\n  <item>", 1)
    raws = articles_of(tmp_path, "sever.xml", text)
    assert raws[0].error.problem == "is an item with no title and no text"
    assert raws[0].path == f"{tmp_path / 'sever.xml'}:7"
    assert [r.article.title for r in raws[1:]] == ["Car set on fire in Donja Kamenica", "Citizens gathered in Zvečan"]


def test_entities_are_not_fetched_nor_expanded_without_limit():
    outside = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               "<rss><channel><item><title>T</title><description>a &x; b</description></item></channel></rss>")
    assert parse_feed(outside).items[0].body == "a  b"
    laughs = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
              + "]><rss><channel><item><title>&j;</title></item></channel></rss>")
    with pytest.raises(FeedError, match="amplification"):
        parse_feed(laughs)


def test_a_feed_saved_as_text_is_read_whole_with_a_warning_that_says_what_to_do(tmp_path):
    (raw,) = articles_of(tmp_path, "feed.txt", RSS)
    assert raw.article is not None and "<item>" in raw.article.text
    assert any("save it as .xml (or .rss, .atom)" in w for w in raw.warnings)
    assert looks_like_feed("date 2023-06-17 Saved\n\n" + RSS) is False  # only at its start
    (plain,) = articles_of(tmp_path, "plain.txt", "date 2022-12-12 Barricades\n\nSerbs set up barricades.\n")
    assert plain.warnings == ()


def test_a_feeds_items_are_built_mapped_and_read_again_by_their_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "sever.xml").write_text(RSS, encoding="utf-8")
    (tmp_path / "in" / "broken.rss").write_text("<rss><channel><item>", encoding="utf-8")
    build([Path("in")], Path("data"), today=TODAY)
    report = json.loads((tmp_path / "data" / "report.json").read_text(encoding="utf-8"))
    paths = sorted(e["path"] for e in report["inputs"])
    assert paths == ["in/broken.rss", "in/sever.xml:13", "in/sever.xml:7"]
    features = json.loads((tmp_path / "data" / "incidents.geojson").read_text(encoding="utf-8"))["features"]
    by_article = {s["article_id"]: (f["properties"], s) for f in features for s in f["properties"]["sources"]}
    props, source = by_article["sever-13"]
    assert props["location"] == "Zvečan" and props["event_date"] == "2023-06-16"
    assert source["outlet"] == "Sever Danas – English" and source["url"] == "https://severdanas.example/en/zvecan/"
    # the dashboard reads the item again where the build found it, and its offsets point into it
    entry = next(e for e in report["inputs"] if e["path"] == "in/sever.xml:13")
    file, line = split_where(entry["path"])
    assert (file, line) == ("in/sever.xml", 13) and split_where("in/a.txt") == ("in/a.txt", None)
    assert [r.path for r in read_file(Path(file), TODAY, only_line=line)] == ["in/sever.xml:13"]
    text = articles.article_text(Path(file), "sever-13", articles.article_line(entry["path"]))
    assert text[source["char_start"]:source["char_end"]] == source["mention"] == "Zvečan"
