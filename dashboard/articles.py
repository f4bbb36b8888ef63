"""An incident's source in its article: the article's text read again from where the build
read it, with the reported mention marked, the article's other mapped mentions beside it and
the places it names that the build left off the map (with why, from ``report.json``).

The offsets are the data contract's (``text[char_start:char_end] == mention``): every mark is
checked against the text read now, so a file edited since the build is said to be so rather
than marked in the wrong places.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dashboard.buildreport import Dropped
from dashboard.filters import allowed_days
from pipeline.errors import DataFileError
from pipeline.feeds import FEED_SUFFIXES
from pipeline.ingest import MANY_ARTICLE_SUFFIXES, is_article, read_file, split_where

CHOSEN, MAPPED, DROPPED = "chosen", "mapped", "dropped"


@dataclass(frozen=True)
class Mark:
    """A span of the article to mark: ``kind`` CHOSEN (the source shown), MAPPED (a report of
    another of the article's incidents) or DROPPED (a place named that the build did not
    map); ``note`` is shown on hover."""

    start: int
    end: int
    text: str  # what the build read there
    kind: str
    note: str


def candidate_paths(path: str, working_dir: str | None, elsewhere: Iterable[Path]) -> list[Path]:
    """Where the article file the build read as ``path`` may be: the path itself when it is
    absolute, else the path from the build's directory, then from each of ``elsewhere``; for
    an article of a JSON Lines file or a feed ("a.jsonl:3", "feed.xml:12"), then the file's."""
    # report.json names such an article by the file and the line it starts on
    file, line = split_where(path)
    names = [Path(path)] + ([Path(file)] if line is not None else [])
    seen: list[Path] = []
    for name in names:
        if name.is_absolute():
            candidates = [name]
        else:
            bases = ([Path(working_dir)] if working_dir else []) + list(elsewhere)
            candidates = [base / name for base in bases]
        seen.extend(c for c in candidates if c not in seen)
    return seen


def locate(path: str, working_dir: str | None, elsewhere: Iterable[Path]) -> Path:
    """The first of :func:`candidate_paths` that is a file; DataFileError naming where it
    was looked for when none is."""
    candidates = candidate_paths(path, working_dir, elsewhere)
    for candidate in candidates:
        try:
            if candidate.is_file():
                return candidate
        except (OSError, ValueError):  # a name too long, a folder not to be entered, a NUL
            continue
    where = ", ".join(f"`{c}`" for c in candidates) or f"`{path}`"
    raise DataFileError(
        path,
        f"is not there any more (looked for {where}): it was moved or deleted since the build. "
        "Rebuild from where the articles are now to read them here.",
    )


def article_line(path: str) -> int | None:
    """The line in a report's path of an article of a JSON Lines file or a feed ("a.jsonl:3",
    "feed.xml:12")."""
    return split_where(path)[1]


def where_html(path: Path, line: int | None = None) -> str:
    """Where an article was read, as HTML for the article view's caption: the file, and the
    line of a JSON Lines file or the feed's item it came from (:func:`article_line`)."""
    where = f'<code style="font-size:0.8rem">{html.escape(str(path))}</code>'
    suffix = path.suffix.lower()
    if line is None or suffix not in MANY_ARTICLE_SUFFIXES:
        return where
    what = "the item that starts on line" if suffix in FEED_SUFFIXES else "line"
    return f"{where}, {what} {line:,}"


def article_text(path: Path, article_id: str, line: int | None = None) -> str:
    """The text of article ``article_id`` in the file at ``path``, read as the build reads it
    (so that the sources' offsets point into it). DataFileError when the file cannot be read
    or no longer holds that article.

    ``line``: where the build found it in a JSON Lines file or a feed (:func:`article_line`); that
    line is read first, and the whole file only when the article is no longer there."""
    suffix = path.suffix.lower()
    if line is not None and suffix in MANY_ARTICLE_SUFFIXES:
        for raw in read_file(path, dt.date.today(), only_line=line):
            if raw.article is not None and is_article(raw, article_id):
                return raw.article.text
            if raw.error is not None and raw.path == str(path):  # the whole file: read it once
                raise DataFileError(str(path), raw.error.problem)
    problem = None
    for raw in read_file(path, dt.date.today()):  # today: only the dates depend on it
        if raw.article is not None and is_article(raw, article_id):
            return raw.article.text
        if raw.error is not None and raw.article is None:
            if suffix not in MANY_ARTICLE_SUFFIXES or raw.error.path == str(path):
                raise DataFileError(str(path), raw.error.problem)  # the whole file
            problem = problem or raw.error.problem  # one line of a JSON Lines file, one item of a feed
    raise DataFileError(
        str(path),
        f"no longer holds the article {article_id!r}"
        + (f" (a line of it cannot be read: {problem})" if problem else "")
        + ": rebuild",
    )


def source_span(source: Mapping[str, Any]) -> tuple[int, int, str] | None:
    """A source's (char_start, char_end, mention), None unless they are two whole numbers
    (not booleans) and a text, as the data contract has them."""
    start, end, mention = source.get("char_start"), source.get("char_end"), source.get("mention")
    if type(start) is not int or type(end) is not int or not isinstance(mention, str):
        return None
    return start, end, mention


def fitting(text: str, marks: Iterable[Mark]) -> tuple[list[Mark], list[Mark]]:
    """The marks whose span of ``text`` still reads as the build read it, and the others."""
    fit: list[Mark] = []
    misfit: list[Mark] = []
    for mark in marks:
        ok = 0 <= mark.start < mark.end <= len(text) and text[mark.start : mark.end] == mark.text
        (fit if ok else misfit).append(mark)
    return fit, misfit


_PRIORITY = {CHOSEN: 0, MAPPED: 1, DROPPED: 2}


def _non_overlapping(marks: Iterable[Mark]) -> list[Mark]:
    """By position; where two overlap (the same mention as the chosen source and as a mapped
    one), the chosen, then the mapped, mark wins, then the one that starts first. One kind
    at a time, by start: a mark need only be checked against the last one kept of its kind
    and against its two neighbours among those kept before (O(n log n) for n marks)."""
    by_kind: dict[int, list[Mark]] = {}
    for mark in marks:
        by_kind.setdefault(_PRIORITY.get(mark.kind, 3), []).append(mark)
    kept: list[Mark] = []
    for priority in sorted(by_kind):
        starts = [k.start for k in kept]
        level: list[Mark] = []
        for mark in sorted(by_kind[priority], key=lambda m: m.start):
            if level and level[-1].end > mark.start:
                continue
            i = bisect.bisect_left(starts, mark.start)
            if (i > 0 and kept[i - 1].end > mark.start) or (i < len(kept) and kept[i].start < mark.end):
                continue
            level.append(mark)
        kept = list(heapq.merge(kept, level, key=lambda m: m.start))
    return kept


def marked_html(text: str, marks: Sequence[Mark]) -> str:
    """The text, escaped, with each mark a ``<mark>`` of its kind's class (the chosen one with
    ``id="chosen"``) and its note as a tooltip. Overlapping marks keep the chosen one."""
    out: list[str] = []
    at = 0
    for mark in _non_overlapping(marks):
        out.append(html.escape(text[at : mark.start]))
        ident = ' id="chosen"' if mark.kind == CHOSEN else ""
        out.append(
            f'<mark class="{mark.kind}"{ident} title="{html.escape(mark.note)}">'
            f"{html.escape(text[mark.start : mark.end])}</mark>"
        )
        at = mark.end
    out.append(html.escape(text[at:]))
    return "".join(out)


ARTICLE_CSS = """
body {margin: 0; font-family: "Source Serif Pro", Georgia, serif; font-size: 15px;
      line-height: 1.55; color: #262730; background: #fff}
.text {white-space: pre-wrap; overflow-wrap: anywhere; padding: 0.4rem 0.8rem}
mark {border-radius: 3px; padding: 0 1px}
mark.chosen {background: #ffd54f; outline: 2px solid #e0a800}
mark.mapped {background: #c8e6c9}
mark.dropped {background: none; color: inherit; padding: 0;
               border-bottom: 2px dotted #9e9e9e; border-radius: 0}
"""


# Scroll the chosen mark into view, again whenever the frame is resized (Streamlit sizes it
# after it is drawn: a scroll made before that can leave the mark out of view), until the
# reader scrolls.
_SCROLL_TO_CHOSEN = """
const chosen = document.getElementById("chosen");
let reading = false;
function show() { if (chosen && !reading) chosen.scrollIntoView({block: "center"}); }
for (const e of ["wheel", "touchstart", "keydown", "mousedown"]) {
  window.addEventListener(e, () => { reading = true; }, {passive: true});
}
window.addEventListener("resize", show);
window.addEventListener("load", show);
show();
"""


def article_page(text: str, marks: Sequence[Mark]) -> str:
    """A whole HTML page of the marked text that scrolls the chosen mark into view; no
    script or style comes from the article (escaped), nothing is fetched."""
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<style>{ARTICLE_CSS}</style></head><body>"
        f'<div class="text">{marked_html(text, marks)}</div>'
        f"<script>{_SCROLL_TO_CHOSEN}</script>"
        "</body></html>"
    )


def incident_note(props: Mapping[str, Any]) -> str:
    """An incident in a few words: "Protests at Zvečan, 2022-12-09" ("…, December 2022" when
    the text gives only the month)."""
    day = props.get("event_date")
    when = allowed_days(
        day, props.get("date_start"), props.get("date_end"), props.get("lasting") is True
    ) or day or "undated"
    where = props.get("location") or props.get("place_id") or "an unnamed place"
    return f"{props.get('event_type') or 'An incident'} at {where}, {when}"


def source_marks(
    article_id: str,
    chosen: Mapping[str, Any],
    incident: Mapping[str, Any],
    incidents: Iterable[Mapping[str, Any]],
    dropped: Iterable[Dropped],
) -> list[Mark]:
    """The marks of one article: ``chosen``, the source shown (a ``sources`` item of the
    contract) of ``incident`` (its GeoJSON properties); every source from this article of
    ``incidents`` (GeoJSON properties: the article's incidents, as report.json lists them);
    and what the build ``dropped``. A source without a usable position is left out."""
    marks = []
    span = source_span(chosen)
    if span is not None:
        marks.append(Mark(*span, CHOSEN, "This report: " + incident_note(incident)))
    for props in incidents:
        note = "Another incident in this article: " + incident_note(props)
        for source in props.get("sources", ()):
            if isinstance(source, Mapping) and source.get("article_id") == article_id:
                span = source_span(source)
                if span is not None:
                    marks.append(Mark(*span, MAPPED, note))
    marks.extend(
        Mark(d.char_start, d.char_end, d.mention, DROPPED, f"No incident from this mention: {d.reason}")
        for d in dropped
    )
    return marks
