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

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from pipeline.caseless import lower_text
from pipeline.model import Mention, Place

# What makes a noun a description ("both crossings", "both the border crossings", "the two
# crossings", "the same crossing"): the words before it, in the lower-cased text, on one line.
# (Found from each occurrence of a noun: a pattern starting with "the" would be tried at every
# "the".)
_DETERMINER = re.compile(
    r"\b(?:(?P<two>both(?:[^\S\n]+the)?|the[^\S\n]+two)|the[^\S\n]+same)[^\S\n]+(?:border[^\S\n]+)?$"
)
_REACH = 24  # characters: "both the border " with room for extra spaces
_POINT = re.compile(r"[^\S\n]+point(s)?\b")  # "the two crossing points": the same noun
# Not the places themselves but one of them, or what lies between: "at one of the two
# crossings", "neither of the two crossings", "the road between the two crossings".
_PART_OF = re.compile(r"\b(?:(?:one|either|neither|none|any)\s+of|between)\s+$")
_MONTHS_DAYS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
)
# A description followed by its own name: "the same crossing at Merdare", "the same bridge over
# the Ibar" (not a date: "both crossings on Monday").
_NAMED_AFTER = re.compile(
    rf"[^\S\n]+(?:at|of|over|across)[^\S\n]+(?:the[^\S\n]+)?(?!(?:{_MONTHS_DAYS})\b)[^\W\d_]"
)
# An apposition to the name just before it: "Jarinje, the same crossing where ...".
_APPOSITION = re.compile(r"\s*,\s*$")
# Capitalised words before a noun that name no place: "The crossing points", "Both crossings".
_NOT_NAMES = frozenset({
    "the", "both", "two", "same", "border", "these", "those", "this", "that", "its", "their", "his",
    "her", "our", "main", "other", "all", "each", "which", "whose", "new", "old", "a", "an", "one",
    "either", "neither", "key", "official",
})


def head_noun(place: Place) -> str | None:
    """The common noun that ends ``place``'s name ("crossing" in "Jarinje border crossing",
    "bridge" in "Ibar bridge (Mitrovica)"), or None for a name that is all proper nouns."""
    words = place.name.split(" (", 1)[0].split()
    last = words[-1] if len(words) > 1 else ""
    return last if last.isalpha() and last.islower() else None


def _named_at(text: str, noun: str) -> list[tuple[int, int]]:
    """Where ``text`` names a place by a name and ``noun``: "Merdare crossing", "Špiljak
    crossing", "Gazivode bridge" (start, end)."""
    pattern = re.compile(rf"\b([^\W\d_][\w'’-]*)[^\S\n]+(?:border[^\S\n]+)?{re.escape(noun)}s?\b")
    return [m.span() for m in pattern.finditer(text)
            if m.group(1)[0].isupper() and m.group(1).lower() not in _NOT_NAMES]


def _descriptions(low: str, start: int, nouns: Iterable[str]) -> Iterator[tuple[int, int, str, bool]]:
    """Each description in ``low[start:]`` (lower-cased text): (start, end, noun, says two).
    "Both crossings" and "the two crossing points" say two; "the same crossing" one."""
    for noun in nouns:
        i = low.find(noun, start)
        while i >= 0:
            d = _DETERMINER.search(low, max(start, i - _REACH), i)
            if d is not None and not _PART_OF.search(low, max(0, d.start() - 16), d.start()):
                two = d.group("two") is not None
                end = i + len(noun)
                plural = low.startswith("s", end)
                end += plural
                compound = _POINT.match(low, end)  # "crossing point(s)"
                if compound is not None:
                    end, plural = compound.end(), compound.group(1) is not None
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
    ``lowered``: ``caseless.lower_text(text)`` when the caller has it already.

    One pass over the descriptions and the mentions in the order of the text: linear in both
    (an article of thousands of descriptions is read as fast as one of a few)."""
    if not nouns or not mentions:
        return []
    low = lower_text(text) if lowered is None else lowered
    found = sorted(_descriptions(low, start, nouns))
    if not found:
        return []
    ordered = sorted(mentions, key=lambda m: m.start)
    spans = sorted([(m.start, m.end) for m in ordered] + list(taken))
    span_starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end so far
    latest: dict[str, list[str]] = {n: [] for n in nouns}  # places named so far, latest first
    latest_end: dict[str, int] = {}
    named_at: dict[str, tuple[list[int], list[int]]] = {}  # "Merdare crossing": starts, ends
    out: list[Mention] = []
    k = 0
    for d_start, d_end, noun, two in found:
        while k < len(ordered) and ordered[k].end <= d_start:
            m = ordered[k]
            k += 1
            for n, ids in nouns.items():
                if m.place_id in ids:
                    if m.place_id in latest[n]:
                        latest[n].remove(m.place_id)
                    latest[n].insert(0, m.place_id)
                    latest_end[n] = m.end
        j = bisect.bisect_left(span_starts, d_end) - 1
        if j >= 0 and reach[j] > d_start:
            continue  # part of a name
        if not latest[noun] or _NAMED_AFTER.match(text, d_end):
            continue
        if _APPOSITION.fullmatch(text, latest_end[noun], d_start):
            continue
        if noun not in named_at:
            where = _named_at(text, noun)
            named_at[noun] = ([a for a, _ in where], [b for _, b in where])
        starts, ends = named_at[noun]
        i = bisect.bisect_left(starts, latest_end[noun])
        if i < len(starts) and ends[i] <= d_start:
            continue  # another place of the noun named since ours: "the Merdare crossing"
        want = 2 if two else 1
        if len(latest[noun]) < want or (want == 1 and len(latest[noun]) > 1):
            continue  # too few named; or "the same crossing" after two: which one?
        for place_id in reversed(latest[noun][:want]):
            out.append(Mention(place_id, d_start, d_end, text[d_start:d_end], (place_id,)))
    return out
