"""Split an article into paragraphs and sentences, as character spans of the original text."""

from __future__ import annotations

import re
from typing import NamedTuple

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# a digit or an opening quote; and at the end of a line when the next is an item of a list or
# a row of a table ("- **Health:** ...", "* ...", "• ...", "| Lokva | Zvečan | 12 Dec |").
_BOUNDARY = re.compile(r"""[.!?…]+["”’)\]]*(?=\s+["“‘(\[]?[A-ZÀ-ÖØ-ÞĀ-ſА-Я0-9])|\n(?=[ \t]*(?:[-*•]\s|\|))""")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "maj", "prof", "sen",
    "rep", "gov", "pres", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "no", "vs", "etc", "approx", "u.s", "u.n", "e.g", "i.e", "mt",
}


class Span(NamedTuple):
    """A sentence: ``text[start:end]``, in paragraph number ``paragraph`` (a named tuple: one is
    made for every sentence of every paragraph that names a place)."""

    start: int
    end: int
    paragraph: int


_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))


def sentences(text: str, offset: int = 0) -> list[Span]:
    """Sentence spans of ``text[offset:]`` (offsets into ``text``), each with its paragraph number."""
    spans: list[Span] = []
    for p_no, para in enumerate(_PARAGRAPH.finditer(text, offset)):
        spans.extend(paragraph_sentences(text, para.start(), para.end(), p_no))
    return spans


def paragraph_sentences(text: str, start: int, end: int, p_no: int) -> list[Span]:
    """The sentences of the paragraph ``text[start:end]`` (as ``sentences`` finds them)."""
    spans: list[Span] = []
    para_end = end
    for m in _BOUNDARY.finditer(text, start, para_end):
        stop = m.start()
        if text[stop] == "." and (_not_an_end(text, start, stop + 1) or _in_numeric_date(text, start, stop)):
            continue
        spans.append(_trim(text, start, m.end(), p_no))
        start = m.end()
    if start < para_end:
        spans.append(_trim(text, start, para_end, p_no))
    return [s for s in spans if s.end > s.start]


def paragraph_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every paragraph of ``text[offset:]``, as ``sentences`` numbers them."""
    return [m.span() for m in _PARAGRAPH.finditer(text, offset)]


_WORD_BEFORE = re.compile(rf"[\w.]{{1,{_LONGEST_ABBREVIATION + 1}}}\Z")


def _not_an_end(text: str, start: int, end: int) -> bool:
    """Whether the "." at ``end - 1`` closes an abbreviation ("Gen.", "U.S.") or an initial
    ("A. Vucic"; not a number: "on April 3.") rather than the sentence ``text[start:end]``.

    The word is ``re.search(r"([\\w.]+)[.!?…]*$", text[start:end]).group(1)`` less its final
    dots, found without that quadratic search: the run of word characters and dots before the
    closing punctuation. Only a run as short as the longest abbreviation can matter.
    """
    k = end
    while k > start and text[k - 1] in ".!?…":
        k -= 1
    if k == start:
        return False
    m = _WORD_BEFORE.search(text, max(start, k - _LONGEST_ABBREVIATION - 1), k)
    if m is None:  # no word before the punctuation: nothing to check
        return False
    i = m.start()
    if i > start and (text[i - 1].isalnum() or text[i - 1] in "_."):
        return False  # the word goes on: longer than any abbreviation
    word = text[i:k]
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


# A date as Serbian outlets write it, "20. 9. 2021." (day, month, year, each closed by a dot).
_NUMERIC_DATE = re.compile(r"\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)\d{2}")


def _in_numeric_date(text: str, start: int, stop: int) -> bool:
    """Whether the "." at ``stop`` closes the day or the month of such a date (the year's dot
    may end a sentence)."""
    if stop == start or not text[stop - 1].isdigit():
        return False
    for m in _NUMERIC_DATE.finditer(text, max(start, stop - 6), stop + 12):
        if m.start() < stop < m.end():
            return True
    return False


def _trim(text: str, start: int, end: int, paragraph: int) -> Span:
    """The span less its leading and trailing white space (``str.isspace``, as ``strip``)."""
    if start < end and (text[start].isspace() or text[end - 1].isspace()):
        segment = text[start:end]
        stripped = segment.lstrip()
        start += len(segment) - len(stripped)
        end = start + len(stripped.rstrip())
    return Span(start, end, paragraph)


def paragraph_starts(text: str, offset: int = 0) -> list[int]:
    return [m.start() for m in _PARAGRAPH.finditer(text, offset)]
