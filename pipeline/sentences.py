"""Split an article into paragraphs and sentences, as character spans of the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# a digit or an opening quote.
_BOUNDARY = re.compile(r"""[.!?…]+["”’)\]]*(?=\s+["“‘(\[]?[A-ZÀ-ÖØ-ÞĀ-ſА-Я0-9])""")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "capt", "maj", "prof", "sen",
    "rep", "gov", "pres", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "no", "vs", "etc", "approx", "u.s", "u.n", "e.g", "i.e", "mt",
}


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    paragraph: int


def sentences(text: str, offset: int = 0) -> list[Span]:
    """Sentence spans of ``text[offset:]`` (offsets into ``text``), each with its paragraph number."""
    spans: list[Span] = []
    for p_no, para in enumerate(_PARAGRAPH.finditer(text, offset)):
        start = para.start()
        for m in _BOUNDARY.finditer(text, para.start(), para.end()):
            word = re.search(r"([\w.]+)[.!?…]*$", text[start : m.start() + 1])
            if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS and text[m.start()] == ".":
                continue
            if word and len(word.group(1).rstrip(".")) == 1 and text[m.start()] == ".":
                continue  # an initial: "A. Vucic"
            spans.append(_trim(text, start, m.end(), p_no))
            start = m.end()
        if start < para.end():
            spans.append(_trim(text, start, para.end(), p_no))
    return [s for s in spans if s.end > s.start]


def _trim(text: str, start: int, end: int, paragraph: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, paragraph)


def paragraph_starts(text: str, offset: int = 0) -> list[int]:
    return [m.start() for m in _PARAGRAPH.finditer(text, offset)]
