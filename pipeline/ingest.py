"""Read article files into ``Article`` values: .txt, .md, .html/.htm and .jsonl (one article a line).

I/O lives here and only here. Each input yields either an Article or an InputError, so one bad
file never stops the others. A first line ``date YYYY-MM-DD`` (optionally followed by the title
on the same line) is the publication date; a ``sources.csv`` beside the articles
(``article_id,published,outlet,url,title``) fills or overrides metadata.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import hashlib
import html
import io
import json
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from pipeline.errors import InputError, SourcesTableError
from pipeline.feeds import FEED_SUFFIXES, FeedError, FeedItem, looks_like_feed, parse_feed
from pipeline.model import Article
from pipeline.wording import counted, nouns

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", *FEED_SUFFIXES)
# the files that hold many articles, each named "file:LINE" by the line it starts on
MANY_ARTICLE_SUFFIXES = (".jsonl", *FEED_SUFFIXES)
SOURCES_FILE = "sources.csv"
SOURCES_COLUMNS = ("article_id", "published", "outlet", "url", "title")
_DATE_LINE = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\S+)[ \t]*([^\n]*)")
_MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
    b"%PDF": "a PDF document", b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x7fELF": "an executable", b"\x1f\x8b": "a gzip archive",
}
_TITLE_MAX = 160
_JSONL_FIELDS = ("id", "text", "title", "outlet", "url", "published")
EARLIEST_PUBLICATION = dt.date(1900, 1, 1)  # an earlier "publication date" is a placeholder
_REPLACEMENT_RUN = re.compile("\ufffd+")


@dataclass(frozen=True)
class RawArticle:
    """What one input produced, before validation: the article or the error, plus warnings."""

    path: str
    article: Article | None
    error: InputError | None = None
    warnings: tuple[str, ...] = ()
    digest: str = ""



@dataclass
class SourcesTable:
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error: SourcesTableError | None = None
    lines: dict[str, int] = field(default_factory=dict)  # article id -> its row's line


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Bytes to text: BOMs honoured, UTF-8 first, then a detected legacy encoding.

    Raises InputError for binary files and for bytes no text encoding explains.
    """
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"has a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason})") from None
        if not _plausible_text(text):  # any even run of bytes decodes: junk gives private-use,
            # unassigned and control characters
            raise InputError(path, "has a UTF-16 byte-order mark but is not UTF-16 text "
                                   "(it decodes to control, private-use or unassigned characters)")
        return text, warnings
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InputError(path, f"is {what}, not a text article")
    if b"\x00" in data[:65536]:
        raise InputError(path, "is a binary file (it contains NUL bytes), not a text article")
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    # Mostly UTF-8 with a few stray bytes (a truncated or spliced scrape): a legacy-encoding guess
    # would garble every correct "č" in it, so keep UTF-8 and replace only the bad bytes. A
    # Windows-1250 file almost never holds a valid multi-byte UTF-8 sequence, so it goes on below.
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    bad_runs = len(_REPLACEMENT_RUN.findall(replaced))
    valid_non_ascii = len(replaced) - len(replaced.encode("ascii", "ignore")) - bad
    if valid_non_ascii >= bad_runs and _plausible_text(replaced):
        warnings.append(f"invalid UTF-8 (first at byte {first_bad}): {counted(bad, 'character')} replaced with U+FFFD")
        return replaced, warnings
    from charset_normalizer import from_bytes

    best = from_bytes(data[:2_000_000]).best()
    if best is not None and best.encoding not in ("utf_8", "utf-8"):
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and _plausible_text(text):
            warnings.append(
                f"not UTF-8: read as {best.encoding}, a guess from its bytes"
                f"{_first_accented_word(text)}; if its letters look wrong, save the file as UTF-8"
            )
            return text, warnings
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if _plausible_text(text) and bad <= max(3, len(text) // 100):
        warnings.append(f"invalid UTF-8 (first at byte {first_bad}): {counted(bad, 'character')} replaced with U+FFFD")
        return text, warnings
    raise InputError(path, f"is not UTF-8 (invalid byte at {first_bad}) and no text encoding explains it")


_NON_ASCII_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")  # a letter (\w, not a digit or _) beyond ASCII


def _first_accented_word(text: str) -> str:
    """' (it reads "Zvečan")': the word around the first letter outside ASCII, as decoded,
    for the reader to judge the guess by; "" when there is none. (One search, then at most 30
    characters each way: a pattern such as \\w*[^ascii]\\w* retried from every position.)"""
    m = _NON_ASCII_LETTER.search(text)
    if m is None:
        return ""
    start = end = m.start()
    while start > max(0, m.start() - 30) and text[start - 1].isalnum():
        start -= 1
    while end < min(len(text), m.start() + 30) and text[end].isalnum():
        end += 1
    return f' (it reads "{text[start:end]}")'


def _plausible_text(text: str) -> bool:
    sample = text[:100_000]
    if not sample:
        return True
    control = sum(1 for c in sample if unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\r\t\f")
    return control / len(sample) < 0.01


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _first_words(text: str) -> str:
    """The first line with words in it (not a rule such as "---"), less a Markdown heading's #."""
    line = next((ln for ln in text.split("\n") if any(c.isalnum() for c in ln)), "")
    return line.strip().lstrip("#").strip()


def _headline_end(text: str, start: int, *, headings: bool = False) -> int:
    """The end of the line at ``start`` when it stands alone above the body (a blank line
    after it) as a headline: short and not a sentence, or, with ``headings``, a Markdown
    heading; else 0."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    line = text[start:line_end].strip()
    short = 0 < len(line) <= _TITLE_MAX and not line.endswith((".", "!", "?", "\"", "”"))
    alone = text[line_end : line_end + 2] == "\n\n"
    return line_end if alone and (short or (headings and line.startswith("#"))) else 0


def _title_from(line: str) -> str:
    line = line.strip()
    return line if len(line) <= _TITLE_MAX else line[: _TITLE_MAX - 1].rstrip() + "…"


_FRONT_MATTER = re.compile(r"---[ \t]*\n((?:[^\n]*\n){0,60}?)---[ \t]*(?:\n|\Z)")
_FRONT_FIELD = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")
_FRONT_KEYS = {  # what Jekyll, Hugo and scrapers' Markdown call the metadata we read
    "title": "title", "headline": "title",
    "date": "published", "published": "published", "pubdate": "published", "publish_date": "published",
    "outlet": "outlet", "source": "outlet", "publisher": "outlet", "site": "outlet",
    "url": "url", "link": "url", "canonical_url": "url", "source_url": "url",
}


def _front_matter(text: str) -> tuple[dict[str, str], int] | None:
    """The fields of a YAML front matter block (``---`` lines around ``key: value`` lines, as
    Markdown exports write them) that name the title, date, outlet or link, and where the
    body starts; None when the text does not start with one."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return None
    fields: dict[str, str] = {}
    known = False  # a front matter names at least one of the keys read
    for line in m.group(1).split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kv = _FRONT_FIELD.fullmatch(line.rstrip())
        if kv is None:
            if line[:1] in " \t-":  # a list or a nested value: not read
                continue
            return None  # not key: value lines: a rule, not front matter
        key, value = kv.group(1).lower(), kv.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if key not in _FRONT_KEYS:
            continue
        known = True
        field_name = _FRONT_KEYS[key]
        if field_name == "outlet" and value.lower().startswith(("http://", "https://")):
            field_name = "url"  # "source: https://..." is the link, not the outlet
        if value and value not in (">", "|", ">-", "|-", ">+", "|+"):  # (block scalars: not read)
            fields.setdefault(field_name, value)
    # (a list or a heading between two rules is text, not front matter)
    return (fields, m.end()) if known else None


# A subtitle file's cue (SubRip .srt or WebVTT): the blank line before it, an optional number or
# name, and its timing line ("00:00:08,000 --> 00:00:12,600", WebVTT with a dot and settings).
_CUE = re.compile(
    r"(?:\A|\n)[ \t]*\n(?P<cue>(?:[ \t]*[^\n]{1,40}\n)??[ \t]*(?:\d{1,2}:)?\d{2}:\d{2}[,.]\d{3}[ \t]+-->[ \t]+"
    r"(?:\d{1,2}:)?\d{2}:\d{2}[,.]\d{3}[^\n]*\n)"
)
_MIN_CUES = 3  # fewer cue-like lines are not a subtitle file


def blank_subtitle_cues(text: str, start: int = 0) -> str:
    """``text`` with the numbers and timings of a subtitle file's cues (after ``start``), and the
    blank lines between them, turned into spaces, so that a sentence a cue breaks off goes on in
    the next ("... in the village of" / "Velji Breg, above the lake."); the blank line before the
    first cue stays (the subtitles are not the headline's paragraph), and every other character
    stays where it was. Text with fewer than three cues is returned as it is."""
    if text.count("-->", start) < _MIN_CUES:  # every cue has one: most texts are done here
        return text
    cues = list(_CUE.finditer(text, start))
    if len(cues) < _MIN_CUES:
        return text
    parts: list[str] = []
    at = 0
    for number, cue in enumerate(cues):
        begin = cue.start("cue") if number == 0 else cue.start()
        parts.append(text[at:begin])
        parts.append(" " * (cue.end() - begin))
        at = cue.end()
    parts.append(text[at:])
    return "".join(parts)


def parse_text(text: str, article_id: str, path: str, today: dt.date) -> tuple[Article, list[str]]:
    """A text article: an optional ``date YYYY-MM-DD`` first line or YAML front matter, the
    title, the body."""
    front = _front_matter(text)
    if front is not None:
        return _parse_front_matter(text, article_id, path, today, *front)
    warnings: list[str] = []
    published = None
    body_start = 0
    title = ""
    m = _DATE_LINE.match(text)
    if m:
        body_start = m.start(2)
        title = _title_from(m.group(2))
        try:
            published = dt.date.fromisoformat(m.group(1))
        except ValueError:
            warnings.append(f"malformed date line {m.group(0).strip()[:40]!r}: publication date ignored")
        if published is not None and published > today:
            warnings.append(f"publication date {published} is in the future: ignored")
            published = None
        if published is not None and published < EARLIEST_PUBLICATION:
            warnings.append(f"publication date {published} is before {EARLIEST_PUBLICATION.year}: ignored")
            published = None
    if not text[body_start:].strip():
        raise InputError(path, "is empty (no text after the date line)" if m else "is empty")
    text = blank_subtitle_cues(text, body_start)
    headline_end = 0
    line_end = text.find("\n", body_start)
    line_end = len(text) if line_end < 0 else line_end
    first_line = text[body_start:line_end]
    if m and first_line.strip():
        headline_end = line_end  # the seeds' format: "date YYYY-MM-DD Headline"
    elif not m:
        headline_end = _headline_end(text, body_start)
    if not title:
        title = _title_from(_first_words(text[body_start:]))
    article = Article(article_id, text, path, title=title, published=published, body_start=body_start,
                      headline_end=headline_end)
    return article, warnings


def _parse_front_matter(
    text: str, article_id: str, path: str, today: dt.date, fields: dict[str, str], body_start: int
) -> tuple[Article, list[str]]:
    """An article whose metadata is its front matter's; the body after it."""
    if not text[body_start:].strip():
        raise InputError(path, "is empty (no text after the front matter)")
    while text[body_start] in " \t\n":  # the body starts at its first line of text
        body_start += 1
    article = Article(article_id, text, path, body_start=body_start,
                      headline_end=_headline_end(text, body_start, headings=True))
    article, warnings = apply_metadata(article, fields, today, "front matter date")
    if not article.title:
        article = replace(article, title=_title_from(_first_words(text[body_start:])))
    return article, warnings


class _HTMLText(HTMLParser):
    """Visible text of an HTML page; script/style dropped; title and published date kept."""

    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    _BLOCK = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"})
    _SUBHEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.published = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name") or "") in ("article:published_time", "date", "pubdate", "publish-date"):
            self.published = self.published or (a.get("content") or "")
        if tag == "title":
            self._in_title = True
        if tag in self._SKIP:
            self._skip += 1
        if tag in self._BLOCK:
            # a section heading as Markdown writes it: it dates the paragraphs under it
            # (pipeline.dates.is_heading_line)
            self.parts.append("\n\n## " if tag in self._SUBHEADINGS else "\n\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def _html_text(raw: str) -> tuple[str, _HTMLText]:
    """The visible text of the HTML ``raw``, its paragraphs apart; and what the parser read."""
    parser = _HTMLText()
    parser.feed(raw)
    parser.close()
    text = re.sub(r"[ \t]+", " ", "".join(parser.parts))
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip(), parser


def parse_html(raw: str, article_id: str, path: str, today: dt.date) -> tuple[Article, list[str]]:
    text, parser = _html_text(raw)
    article, warnings = parse_text(text, article_id, path, today)
    if parser.title.strip():
        article = replace(article, title=_title_from(html.unescape(parser.title)))
    if parser.published.strip() and article.published is None:
        published, warning = publication_date(parser.published, today, "published date in the page's meta tags")
        if warning:
            warnings.append(warning)
        if published is not None:
            article = replace(article, published=published)
    return article, warnings


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", errors="surrogatepass")).hexdigest()


# A .jsonl file larger than this is read a line at a time, so memory stays flat however many
# articles it holds; a smaller one is decoded whole (legacy encodings are detected on the whole).
STREAM_JSONL_BYTES = 32 * 1024 * 1024


def read_file(path: Path, today: dt.date, *, only_line: int | None = None) -> Iterator[RawArticle]:
    """One file's articles (several for .jsonl and feeds), each an Article or an InputError.

    ``only_line``: of a .jsonl file, only what line ``only_line`` gives (or the whole file's
    error), without parsing the other lines (see :func:`read_jsonl_line`); of a feed, only the
    item that starts on that line."""
    spath = str(path)
    try:
        if path.suffix.lower() == ".jsonl" and path.stat().st_size > STREAM_JSONL_BYTES:
            yield from _stream_jsonl(path, today, only_line)
            return
        data = _read_all(spath)
    except OSError as exc:
        yield RawArticle(spath, None, InputError(spath, f"cannot be read ({exc.strerror or exc})"))
        return
    yield from read_bytes(data, path, today, only_line=only_line)


def _read_all(path: str) -> bytes:
    """``Path(path).read_bytes()`` with plain system calls (no file object): a third of the
    time for the small files articles are."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1) if size else b""
        if len(data) > size or not size:  # grew while read, or a file that does not tell its size
            chunks = [data]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    finally:
        os.close(fd)


def read_bytes(data: bytes, path: Path, today: dt.date, *, only_line: int | None = None) -> Iterator[RawArticle]:
    """The articles in a file's bytes; ``path`` names the input and its suffix picks the format
    (``only_line``: as for :func:`read_file`)."""
    spath = str(path)
    try:
        text, warnings = decode(data, spath)
    except InputError as exc:
        yield RawArticle(spath, None, exc)
        return
    text = _normalise(text)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(text, path, today, warnings, only_line)
        return
    if suffix in FEED_SUFFIXES:
        yield from _read_feed(text, path, today, warnings, only_line)
        return
    try:
        if suffix in (".html", ".htm"):
            article, more = parse_html(text, path.stem, spath, today)
        else:
            article, more = parse_text(text, path.stem, spath, today)
            if looks_like_feed(text, article.body_start) or looks_like_feed(text, article.headline_end):
                more.append(
                    "reads as a news feed (RSS or Atom) saved as text: its markup is read as the "
                    "article's words; save it as .xml (or .rss, .atom) to read it an item at a time"
                )
    except InputError as exc:
        yield RawArticle(spath, None, exc, tuple(warnings))
        return
    yield RawArticle(spath, article, None, tuple(warnings + more), _digest(article.text))


def _read_feed(
    text: str, path: Path, today: dt.date, warnings: list[str], only: int | None = None
) -> Iterator[RawArticle]:
    """A feed's items, each an article named by the line its item starts on ("feed.xml:12")."""
    spath = str(path)
    if not text.strip():
        yield RawArticle(spath, None, InputError(spath, "is empty"), tuple(warnings))
        return
    try:
        feed = parse_feed(text)
    except FeedError as exc:
        yield RawArticle(spath, None, InputError(spath, str(exc)), tuple(warnings))
        return
    if not feed.items:
        yield RawArticle(spath, None, InputError(spath, "is a feed with no items"), tuple(warnings))
        return
    for item in feed.items:
        if only is None or item.line == only:
            yield _feed_item(item, feed.title, path, today, warnings)


def _feed_item(item: FeedItem, outlet: str, path: Path, today: dt.date, warnings: list[str]) -> RawArticle:
    """One item of a feed as an article: its title, then its text; the feed's title as the
    outlet, the item's link and date as its URL and publication date."""
    where = f"{path}:{item.line}"
    title = _title_from(html.unescape(item.title)) if item.title else ""
    body = _html_text(item.body)[0] if item.body_is_html else _normalise(item.body).strip()
    text = f"{title}\n\n{body}" if title and body else title or body
    try:
        article, more = parse_text(text, f"{path.stem}-{item.line}", where, today)
    except InputError:
        return RawArticle(where, None, InputError(where, "is an item with no title and no text"))
    meta = {"title": title, "outlet": outlet, "url": item.link, "published": item.published}
    article, meta_warnings = apply_metadata(article, meta, today, "item's date")
    return RawArticle(where, article, None, tuple(warnings + more + meta_warnings), _digest(article.text))


def _read_jsonl(
    text: str, path: Path, today: dt.date, warnings: list[str], only: int | None = None
) -> Iterator[RawArticle]:
    lines = text.split("\n")
    if only is not None:  # one line: the others need not be parsed
        if 1 <= only <= len(lines):
            yield from _jsonl_line(lines[only - 1], only, path, today, warnings)
        return
    for line_no, line in enumerate(lines, start=1):
        yield from _jsonl_line(line, line_no, path, today, warnings)


def read_jsonl_line(path: Path, line_no: int, today: dt.date) -> Iterator[RawArticle]:
    """What :func:`read_file` yields for line ``line_no`` of the .jsonl file ``path`` (its
    article, or why it has none; nothing for a blank line or a line past the end), without
    parsing the file's other lines (a file under ``STREAM_JSONL_BYTES``, or in UTF-16, is still
    decoded whole): the dashboard shows one article of a file that may hold 100,000 (reading
    them all took ~9 s)."""
    return read_file(path, today, only_line=line_no)


def _stream_jsonl(path: Path, today: dt.date, only: int | None = None) -> Iterator[RawArticle]:
    """``read_bytes`` of a large .jsonl file, one line in memory at a time: the same articles,
    errors and line numbers, as long as the file is UTF-8 (a UTF-16 file is read whole).

    Lines are split at "\\n" in the bytes; a line whose bytes are not valid UTF-8 has its bad bytes
    replaced, with a warning naming that line. A stray "\\r" still ends a line (as ``_normalise``
    makes it), so line numbers match the whole-file reading.
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or any(head.startswith(m) for m in _MAGIC):
            fh.seek(0)
            yield from read_bytes(fh.read(), path, today, only_line=only)
            return
        fh.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
        line_no = 0
        for raw in fh:
            if only is not None and line_no + 1 + raw.count(b"\r") < only:
                # wholly before the line asked for: count its lines as below (each "\r" left
                # after the line's end is cut off ends a line) without reading it
                stripped = raw[:-2] if raw.endswith(b"\r\n") else raw.removesuffix(b"\n")
                line_no += 1 if b"\x00" in raw else 1 + stripped.count(b"\r")
                continue
            if only is not None and line_no >= only:
                return
            warnings: list[str] = []
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = raw.decode("utf-8", errors="replace")
                warnings.append(f"invalid UTF-8 (first at byte {exc.start} of the line): "
                                f"{counted(line.count(chr(0xFFFD)), 'character')} replaced with U+FFFD")
            if "\x00" in line:
                line_no += 1
                where = f"{path}:{line_no}"
                if only is None or line_no == only:
                    yield RawArticle(where, None, InputError(where, "holds NUL bytes: not a text article"))
                continue
            line = line[:-2] if line.endswith("\r\n") else line.removesuffix("\n")
            for part in _normalise(line).split("\n"):
                line_no += 1
                if only is None or line_no == only:
                    yield from _jsonl_line(part, line_no, path, today, warnings)


def _jsonl_line(line: str, line_no: int, path: Path, today: dt.date, warnings: list[str]) -> Iterator[RawArticle]:
    """The article on one line of a .jsonl file (nothing for a blank line)."""
    if not line.strip():
        return
    where = f"{path}:{line_no}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        at = "" if exc.msg.endswith(" at") else " at"  # "Unterminated string starting at"
        yield RawArticle(where, None, InputError(where, f"is not valid JSON ({exc.msg}{at} column {exc.colno})"))
        return
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        yield RawArticle(where, None, InputError(where, "needs an object with a string \"text\""))
        return
    scrubbed = {k: _scrub(str(v)) for k, v in obj.items() if k in _JSONL_FIELDS and v}
    line_warnings = list(warnings)
    if any(bad for _, bad in scrubbed.values()):
        line_warnings.append("invalid Unicode (lone surrogate escapes) replaced with U+FFFD")
    obj = {k: v for k, (v, _) in scrubbed.items()}
    aid = obj.get("id") or f"{path.stem}-{line_no}"
    body = _normalise(obj["text"]) if "text" in obj else ""
    try:
        article, more = parse_text(body, aid, where, today)
    except InputError as exc:
        yield RawArticle(where, None, exc)
        return
    meta = {k: obj[k] for k in ("title", "outlet", "url", "published") if obj.get(k)}
    article, meta_warnings = apply_metadata(article, meta, today)
    yield RawArticle(where, article, None, tuple(line_warnings + more + meta_warnings), _digest(article.text))


_LINE_WHERE = re.compile(
    r"(.+(?:{})):([0-9]+)".format("|".join(re.escape(s) for s in MANY_ARTICLE_SUFFIXES)), re.IGNORECASE
)


def split_where(where: str) -> tuple[str, int | None]:
    """An input's file and, for an article of a file that holds many (a line of a JSON Lines
    file, an item of a feed: "a.jsonl:3", "feed.xml:12"), the line it starts on."""
    line = _LINE_WHERE.fullmatch(where)
    return (line[1], int(line[2])) if line else (where, None)


def _path_id(where: str) -> tuple[list[str], str]:
    """The folders and the name of an input (a file's path, or "a.jsonl:LINE" for a line of a
    JSON Lines file or an item of a feed), and the article id its path gives (the file's stem,
    or "a-LINE")."""
    line = _LINE_WHERE.fullmatch(where)
    path = Path(line[1] if line else where)
    name = f"{path.name}:{line[2]}" if line else path.name
    folders = [p for p in path.parent.parts if p not in (path.anchor, ".")]
    return folders + [name], (f"{path.stem}-{line[2]}" if line else path.stem)


def longer_ids(where: str, article_id: str) -> list[str]:
    """For an article whose id its file's name gave (``article_id``, from the input ``where``),
    the ids that tell it apart from another file's of the same name, shortest first: its
    folder and name ("day2/001.txt"), then more of its folders, up to its whole path.
    Empty for an id given in the article (a JSON Lines "id")."""
    parts, derived = _path_id(where)
    if article_id != derived:
        return []
    return ["/".join(parts[-k:]) for k in range(2, len(parts) + 1)] or ["/".join(parts)]


def is_article(raw: RawArticle, article_id: str) -> bool:
    """Whether ``raw`` holds the article ``article_id``: its own id, or one that a build gave
    it because another file's had the same name (:func:`longer_ids`: the end of its path,
    which ``raw.path`` may give in full: the dashboard reads the file by its absolute path)."""
    if raw.article is None:
        return False
    own = raw.article.article_id
    if own == article_id:
        return True
    parts, derived = _path_id(raw.path)
    return own == derived and "/".join(parts[-(article_id.count("/") + 1):]) == article_id


def publication_date(value: str, today: dt.date, where: str = "published date") -> tuple[dt.date | None, str | None]:
    """A metadata date (``YYYY-MM-DD``, time part ignored): the date, or None and why not.

    Dates after ``today`` or before 1900 are ignored: a news report cannot be from the future,
    and a year like 0001 is a placeholder, not a date (relative dates counted back from it would
    leave the calendar)."""
    text = value.strip()
    try:
        date = dt.date.fromisoformat(text[:10])
    except ValueError:
        try:  # a feed's date: "Sun, 11 Dec 2022 10:00:00 GMT" (RFC 2822, as RSS writes it)
            date = email.utils.parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None, f"unreadable {where} {text[:30]!r} (expected YYYY-MM-DD): ignored"
    if date > today:
        return None, f"{where} {date} is in the future: ignored"
    if date < EARLIEST_PUBLICATION:
        return None, f"{where} {date} is before {EARLIEST_PUBLICATION.year}: ignored"
    return date, None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(value: str) -> tuple[str, int]:
    """JSON can escape lone UTF-16 surrogates ("\\ud800") that no UTF-8 file can hold."""
    return _SURROGATE.subn("\ufffd", value)


def apply_metadata(
    article: Article, meta: dict[str, str], today: dt.date, where: str = "published date"
) -> tuple[Article, list[str]]:
    """Fill or override title/outlet/url/published; a bad date is a warning (``where`` says
    where the date was read), not an error."""
    warnings: list[str] = []
    changes: dict[str, object] = {}
    for key in ("title", "outlet", "url"):
        if meta.get(key, "").strip():
            changes[key] = meta[key].strip()
    if meta.get("published", "").strip():
        published, warning = publication_date(meta["published"], today, where)
        if warning:
            warnings.append(warning)
        if published is not None:
            changes["published"] = published
    return (replace(article, **changes) if changes else article), warnings


def read_sources_table(path: Path) -> SourcesTable:
    """``sources.csv``: metadata by article id. Problems become warnings or one error, never a crash."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        table = SourcesTable()
        table.error = SourcesTableError(str(path), f"cannot be read ({exc.strerror or exc})")
        return table
    return parse_sources_table(data, path)


def parse_sources_table(data: bytes, path: Path) -> SourcesTable:
    """The bytes of a ``sources.csv``; ``path`` only names it in messages."""
    table = SourcesTable()
    try:
        text, _ = decode(data, str(path))
    except InputError as exc:
        table.error = SourcesTableError(str(path), f"cannot be read ({exc.problem})")
        return table
    text = _normalise(text)
    first = text.split("\n", 1)[0]
    # a spreadsheet's export with another separator ("article_id;published;...")
    delimiter = next((d for d in (";", "\t") if "," not in first and d in first), ",")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        return _read_sources_rows(reader, path, table)
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KB limit
        table.rows.clear()
        # the line being read when it failed is not counted yet
        table.error = SourcesTableError(str(path), f"line {reader.line_num + 1} is not readable CSV ({exc}): metadata not applied")
        return table


def _read_sources_rows(reader: csv.DictReader, path: Path, table: SourcesTable) -> SourcesTable:
    found = reader.fieldnames or []
    # column names as written by hand or by a spreadsheet: "Article_ID", " published"
    reader.fieldnames = header = [(h or "").strip().lower() for h in found]
    if "article_id" not in header:
        shown = ",".join(h.strip() for h in found)[:120] or "(empty)"
        table.error = SourcesTableError(
            str(path), f"has no article_id column (its first line: {shown!r}; expected: "
            f"{','.join(SOURCES_COLUMNS)}): metadata not applied")
        return table
    missing = [c for c in SOURCES_COLUMNS if c not in header]
    if missing:
        table.warnings.append(f"{path}: missing {nouns(len(missing), 'column')} {', '.join(missing)}")
    extra = [c for c in header if c not in SOURCES_COLUMNS]
    if extra:
        table.warnings.append(f"{path}: extra {nouns(len(extra), 'column')} {', '.join(extra)} ignored")
    for row in reader:
        row = {(k or "").strip(): (v or "") for k, v in row.items() if k is not None}
        aid = row.get("article_id", "").strip()
        if not aid:
            table.warnings.append(f"{path}, line {reader.line_num}: empty article_id: row ignored")
            continue
        if aid in table.rows:
            table.warnings.append(f"{path}, line {reader.line_num}: duplicate article_id {aid!r}: first row kept")
            continue
        table.rows[aid] = {k: row.get(k, "") for k in SOURCES_COLUMNS if k != "article_id"}
        table.lines[aid] = reader.line_num
    return table


def list_inputs(paths: list[Path]) -> tuple[list[Path], list[InputError]]:
    """Article files under the given paths (sorted, deterministic), each once however often it
    is named ("seeds seeds/a.txt"), and the paths that cannot be read: a path that does not
    exist, a folder that cannot be listed, a link to a missing article file.

    In folders, hidden files and folders (a name starting with ".": ``.git``, macOS's
    ``._a.txt``) are left out; a hidden file named on its own is read."""
    files: list[Path] = []
    errors: list[InputError] = []
    seen: set[tuple[str, str]] = set()  # (the real folder, the name): each file once
    real: dict[str, str] = {}

    def add(path: str) -> None:
        if len(paths) == 1:  # a walk lists each file once: no need to look
            files.append(Path(path))
            return
        folder, name = os.path.split(path)
        where = real.get(folder)
        if where is None:
            where = real[folder] = os.path.realpath(folder or ".")
        if (where, name) not in seen:
            seen.add((where, name))
            files.append(Path(path))

    for p in paths:
        try:
            st_mode = os.stat(p).st_mode
        except OSError as exc:
            missing = isinstance(exc, FileNotFoundError) and not os.path.islink(p)
            errors.append(InputError(str(p), "does not exist" if missing else _cannot(exc)))
            continue
        if stat.S_ISDIR(st_mode):
            for path in _article_files(str(p), errors):
                add(path)
        elif stat.S_ISREG(st_mode):
            add(str(p))
        else:
            errors.append(InputError(str(p), "is not a file or a folder"))
    return files, errors


def _cannot(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "is a link to a file that does not exist"
    return f"cannot be read ({exc.strerror or exc})"


def _article_files(folder: str, errors: list[InputError]) -> Iterator[str]:
    """Article files under ``folder``, as ``Path.rglob("*")`` with ``is_file()`` finds them
    (symbolic links to files followed, to folders not) less hidden names, one ``scandir`` a
    folder, in the order of ``sorted(Path)`` (part by part: each folder's entries by name,
    depth first). A folder that cannot be listed and a link to a missing article file go to
    ``errors``."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        errors.append(InputError(folder, f"cannot list its files ({exc.strerror or exc})"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _article_files(entry.path, errors)
            elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES:
                if entry.is_file():
                    yield entry.path
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    errors.append(InputError(entry.path, "is a link to a file that does not exist"))
        except OSError as exc:
            errors.append(InputError(entry.path, _cannot(exc)))
