"""News feeds (RSS 2.0, RSS 1.0 and Atom) as the items they hold: a saved feed is many
articles, one an item, each found again by the line its item starts on.

Pure logic on the feed's text; :mod:`pipeline.ingest` makes the items articles. Parsed with
the standard library's expat, which loads no external entity and limits entity expansion.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

FEED_SUFFIXES = (".rss", ".atom", ".xml")

_ATOM = "http://www.w3.org/2005/Atom"
_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_ROOTS = frozenset({"rss", "feed", "RDF"})  # RSS 2.0, Atom, RSS 1.0 (rdf:RDF)
_ITEMS = frozenset({"item", "entry"})
# an Atom entry's XHTML content: where its text breaks into paragraphs
_XHTML_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"})
# what a feed's opening says about it (a document that starts so is meant as a feed)
_LOOKS_LIKE_FEED = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL)


class FeedError(ValueError):
    """The text is not a feed this module reads; the message says why (and where)."""


@dataclass
class FeedItem:
    """One item (RSS) or entry (Atom), its fields as the feed writes them: ``body`` is HTML
    (``body_is_html``) or plain text; ``published`` a date or date-time as written."""

    line: int  # the line its <item> or <entry> starts on (1-based)
    title: str = ""
    link: str = ""
    published: str = ""
    body: str = ""
    body_is_html: bool = True


@dataclass
class Feed:
    title: str = ""  # the channel's (the outlet)
    items: list[FeedItem] = field(default_factory=list)


_OPENING = 4096  # how much of a text is looked at


def looks_like_feed(text: str, start: int = 0) -> bool:
    """Whether ``text`` from ``start`` opens as an RSS or Atom document does."""
    return _LOOKS_LIKE_FEED.match(text, start, start + _OPENING) is not None


def parse_feed(text: str) -> Feed:
    """The feed in ``text``; FeedError when it is not well-formed XML or not RSS or Atom."""
    reader = _Reader()
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler = lambda name, attrs: reader.start(name, attrs, parser.CurrentLineNumber)
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as exc:
        raise FeedError(
            f"is not a well-formed feed (line {exc.lineno}, column {exc.offset + 1}: "
            f"{xml.parsers.expat.errors.messages[exc.code]})"
        ) from None
    except _NotAFeed as exc:
        raise FeedError(str(exc)) from None
    return reader.feed


class _NotAFeed(Exception):
    pass


def _local(name: str) -> tuple[str, str]:
    uri, _, local = name.rpartition(" ")
    return uri, local


class _Reader:
    """expat's callbacks: the channel's title and each item's fields."""

    def __init__(self) -> None:
        self.feed = Feed()
        self.depth = 0
        self.item: FeedItem | None = None
        self.item_depth = 0
        self.field: str | None = None  # the item's (or channel's) field being read
        self.field_depth = 0
        self.parts: list[str] = []
        self.html = True
        self.fields: dict[str, tuple[str, bool]] = {}  # the item's, as read: (text, is HTML)

    def start(self, name: str, attrs: dict[str, str], line: int) -> None:
        self.depth += 1
        uri, local = _local(name)
        if self.depth == 1:
            if local not in _ROOTS:
                raise _NotAFeed(
                    f"is XML but not an RSS or Atom feed (its root element is <{local}>): "
                    "not read; move it out of the articles' folder if it is not one"
                )
            return
        if self.field is not None:  # inside a field: XHTML content
            if local in _XHTML_BLOCKS:
                self.parts.append("\n\n")
            return
        if self.item is None:
            if local in _ITEMS:
                self.item = FeedItem(line)
                self.item_depth = self.depth
                self.feed.items.append(self.item)
            elif local == "title" and not self.feed.title and self.depth <= 3:
                self._read("channel title", attrs)
            return
        if self.depth != self.item_depth + 1:
            return
        key = self._key(uri, local, attrs)
        if key == "link" and uri == _ATOM:  # <link rel="alternate" href="..."/>
            if attrs.get("rel", "alternate") == "alternate" and not self.item.link:
                self.item.link = attrs.get("href", "").strip()
            return
        if key is not None:
            self._read(key, attrs)

    @staticmethod
    def _key(uri: str, local: str, attrs: dict[str, str]) -> str | None:
        if local == "encoded" and uri == _CONTENT:
            return "content"
        if local in ("content", "summary") and uri == _ATOM:
            return local
        if local == "date" and uri == _DC:
            return "dc date"
        if local in ("title", "link", "description", "pubDate", "published", "updated") and uri in ("", _ATOM, "http://purl.org/rss/1.0/"):
            return local
        return None

    def _read(self, key: str, attrs: dict[str, str]) -> None:
        self.field = key
        self.field_depth = self.depth
        self.parts = []
        # Atom says what its text is; RSS's description is HTML, escaped or in CDATA
        self.html = attrs.get("type", "html") in ("html", "xhtml", "text/html")

    def text(self, data: str) -> None:
        if self.field is not None:
            self.parts.append(data)

    def end(self, name: str) -> None:
        if self.field is not None and self.depth == self.field_depth:
            self._store(self.field, "".join(self.parts).strip())
            self.field = None
        if self.item is not None and self.depth == self.item_depth:
            self._close_item(self.item)
            self.item = None
        self.depth -= 1

    def _store(self, key: str, value: str) -> None:
        if key == "channel title":
            self.feed.title = value
        elif self.item is not None and value and key not in self.fields:
            self.fields[key] = (value, self.html)

    def _close_item(self, item: FeedItem) -> None:
        fields = self.fields
        item.title = fields.get("title", ("", True))[0]
        item.link = item.link or fields.get("link", ("", True))[0]
        # the day it was published rather than last updated; the fullest text: content
        # (content:encoded, Atom's content) rather than a description or summary
        item.published = next((fields[k][0] for k in ("pubDate", "published", "dc date", "updated") if k in fields), "")
        body = next((fields[k] for k in ("content", "description", "summary") if k in fields), None)
        if body is not None:
            item.body, item.body_is_html = body
        self.fields = {}
