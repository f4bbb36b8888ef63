"""Descriptions that point back to places the article has named: "both crossings", "the two
crossings", "the same crossing".

A news story names a place once and then describes it: "Serbs blocked the roads to the Jarinje
and Brnjak crossings. Police closed both crossings that evening." The second sentence reports
its own incident at both places without naming them. The nouns a description may use are those
that end a curated gazetteer name ("Jarinje border crossing", "Ibar bridge (Mitrovica)"): the
gazetteer says which places a "crossing" or a "bridge" can be, not a list in code.

Only descriptions that say they point back count: "both", "the two" (the last two places of the
noun named before) and "the same" (the last one). A bare "the crossing" or "the bridge" does
not: it may be generic ("traffic through the crossing"), or another one. (Tried on the held-out
articles, it found three incidents of a bridge's timeline in the dev half, and on the test half
only predictions the annotators did not count.)

A description refers to no place when the article has named too few before it (or, for "the
same crossing", two or more: which one?), when it names its place itself ("the same crossing at
Merdare"), when it is an apposition to the name just before it ("Jarinje, the same crossing
where..."), or when another named place of its noun comes between ("the Merdare crossing"): the
article may mean that one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from pipeline.caseless import lower_text
from pipeline.model import Mention, Place

# What makes a noun a description ("both crossings", "both the border crossings", "the two
# crossings", "the same crossing"): the words before it, in the lower-cased text. (Found from
# each occurrence of a noun: a pattern starting with "the" would be tried at every "the".)
_DETERMINER = re.compile(r"\b(?:(?P<two>both(?:\s+the)?|the\s+two)|the\s+same)\s+(?:border\s+)?$")
_REACH = 24  # characters: "both the border " with room for extra spaces
# A description followed by its own name: "the same crossing at Merdare".
_NAMED_AFTER = re.compile(r"\s+(?:at|of|in|near|over|on|into|across)\s+(?:the\s+)?[A-Z]")
# An apposition to the name just before it: "Jarinje, the same crossing where ...".
_APPOSITION = re.compile(r"\s*,\s*$")


def head_noun(place: Place) -> str | None:
    """The common noun that ends ``place``'s name ("crossing" in "Jarinje border crossing",
    "bridge" in "Ibar bridge (Mitrovica)"), or None for a name that is all proper nouns."""
    words = place.name.split(" (", 1)[0].split()
    last = words[-1] if len(words) > 1 else ""
    return last if last.isalpha() and last.islower() else None


@functools.lru_cache(maxsize=8)
def _named(noun: str) -> re.Pattern[str]:
    """A name followed by ``noun``: "Merdare crossing", "Gazivode bridge"."""
    return re.compile(rf"\b[A-Z][\w'’-]*\s+(?:border\s+)?{re.escape(noun)}s?\b")


def _descriptions(low: str, start: int, nouns: Iterable[str]) -> Iterator[tuple[int, int, str, bool]]:
    """Each description in ``low[start:]`` (lower-cased text): (start, end, noun, says two)."""
    for noun in nouns:
        i = low.find(noun, start)
        while i >= 0:
            end = i + len(noun)
            d = _DETERMINER.search(low, max(start, i - _REACH), i)
            if d is not None:
                two = d.group("two") is not None
                if two and low.startswith("s", end):  # "both crossings"; "the same crossing"
                    end += 1
                plural = end > i + len(noun)
                whole_word = end == len(low) or not (low[end].isalnum() or low[end] == "_")
                if two == plural and whole_word:
                    yield d.start(), end, noun, two
            i = low.find(noun, i + 1)


def nouns_of(places: Iterable[Place]) -> dict[str, frozenset[str]]:
    """Each head noun (:func:`head_noun`) of a curated place's name with the ids of the places
    it may stand for. (GeoNames' names are left out: theirs are names in the local languages,
    "Lagja e Qytetit", not an English description's noun.)"""
    out: dict[str, set[str]] = {}
    for p in places:
        noun = head_noun(p) if p.curated else None
        if noun is not None:
            out.setdefault(noun, set()).add(p.place_id)
    return {n: frozenset(ids) for n, ids in out.items()}


def resolve(
    text: str, mentions: Sequence[Mention], nouns: Mapping[str, frozenset[str]],
    start: int = 0, taken: Sequence[tuple[int, int]] = (), *, lowered: str | None = None,
) -> list[Mention]:
    """A mention of each place a description in ``text[start:]`` points back to (at the
    description's offsets; two mentions for "both crossings"), from the place ``mentions``
    (every name the matcher found, in any order). ``nouns``: :func:`nouns_of` the gazetteer.
    ``taken``: spans of other matched names (a description inside one is part of a name).
    ``lowered``: ``caseless.lower_text(text)`` when the caller has it already."""
    if not nouns or not mentions:
        return []
    low = lower_text(text) if lowered is None else lowered
    ordered = sorted(mentions, key=lambda m: m.start)
    spans = [(m.start, m.end) for m in ordered] + list(taken)
    out: list[Mention] = []
    for d_start, d_end, noun, two in sorted(_descriptions(low, start, nouns)):
        ids = nouns[noun]
        if any(a < d_end and d_start < b for a, b in spans) or _NAMED_AFTER.match(text, d_end):
            continue
        before = [m for m in ordered if m.end <= d_start and m.place_id in ids]
        if not before or _APPOSITION.fullmatch(text, before[-1].end, d_start):
            continue
        if _named(noun).search(text, before[-1].end, d_start):
            continue  # another place of the noun named since ours: "the Merdare crossing"
        named_before = list(dict.fromkeys(m.place_id for m in reversed(before)))  # latest first
        want = 2 if two else 1
        if len(named_before) < want or (want == 1 and len(named_before) > 1):
            continue  # too few named; or "the same crossing" after two: which one?
        for place_id in reversed(named_before[:want]):
            out.append(Mention(place_id, d_start, d_end, text[d_start:d_end], (place_id,)))
    return out
