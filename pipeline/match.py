"""Find every gazetteer name in a text: diacritics- and case-insensitive, Latin and Cyrillic,
longest match first, with character offsets into the original text.

One Aho-Corasick automaton (pyahocorasick) holds every folded name and alias, plus "blocker"
phrases (outlet and agreement names such as "Washington Newsday" or "Brussels Agreement") that
swallow the place name inside them, so the longest-match rule drops those for free.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import ahocorasick
from geopy.distance import geodesic

from geodata.gazetteer import Gazetteer
from pipeline import anaphora, inflect
from pipeline.model import Mention
from pipeline.textnorm import _TABLE, fold

# Outlets, agreements and other proper names that contain a place name but are not places.
BLOCKERS: dict[str, str] = {
    phrase: reason
    for reason, phrases in {
        "outlet name": [
            "Washington Newsday", "Washington Post", "Washington Times", "Washington Examiner",
            "New York Times", "New York Post", "Belgrade Insight", "Prishtina Insight",
            "Pristina Insight", "Kosovo Online", "Radio Kosova", "Kosova Press", "Koha Ditore",
            "Balkan Insight", "Radio Free Europe", "Kosovo 2.0", "Radio Kontakt Plus",
            "Radio Television of Kosovo", "Radio Television of Serbia", "Belgrade Centre",
            "Tirana Times", "Moscow Times",
        ],
        "agreement or process name": [
            "Brussels Agreement", "Brussels agreement", "Washington Agreement", "Washington agreement",
            "Kumanovo Agreement", "Ohrid Agreement", "Dayton Agreement", "Brussels dialogue",
            "Belgrade-Pristina dialogue", "Belgrade–Pristina dialogue", "Pristina-Belgrade dialogue",
            "Berlin Process", "Ohrid agreement", "Rambouillet Agreement",
        ],
        "organisation name": [
            "Belgrade defense ministry", "Belgrade defence ministry", "University of Pristina",
            "University of Belgrade", "Pristina International Airport", "Red Star Belgrade",
            "Partizan Belgrade", "Belgrade Security Conference",
        ],
    }.items()
    for phrase in phrases
}


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    place_ids: tuple[str, ...]
    blocker: str  # reason, when this entry is a blocker phrase
    needs_capital: bool  # GeoNames-only names must be written as proper nouns


_RUNS = re.compile(r"([\x00-\x7f]+)|[^\x00-\x7f]+")


def _fold_run(m: re.Match[str]) -> str:
    run = m.group()
    return run.lower() if m.group(1) is not None else run.translate(_TABLE)


def fast_fold(text: str) -> str:
    """``textnorm.fold(text)``, faster: runs of ASCII are folded by ``str.lower`` (the only ASCII
    character folding treats specially is the backtick), runs of other characters by the table."""
    if "`" in text:
        text = text.replace("`", "'")
    if text.isascii():
        return text.lower()
    return _RUNS.sub(_fold_run, text)


class Matcher:
    """Built once from a gazetteer; ``find`` is pure and cheap per text."""

    def __init__(self, gazetteer: Gazetteer, stopwords: frozenset[str] = frozenset()) -> None:
        self.gazetteer = gazetteer
        # the nouns that may point back to named places ("both crossings"): pipeline.anaphora
        self.nouns = anaphora.nouns_of(gazetteer.places.values())
        self._automaton = ahocorasick.Automaton()
        for key, ids in gazetteer.names.items():
            if key in stopwords:
                continue
            curated = any(gazetteer.places[i].curated for i in ids)
            entry = _Entry(key, ids, "", not curated)
            self._automaton.add_word(key, (len(key), entry.needs_capital, entry))
        # a curated place's names in Serbian and Albanian case forms ("у Звечану", "Zveçanit"),
        # written as proper nouns, unless the form is a name of its own (a GeoNames homonym of
        # the curated place has no forms: the form is the curated place's)
        forms: dict[str, dict[str, None]] = {}  # a form: its places' ids, in order, once each
        for key, ids in gazetteer.names.items():
            curated_ids = [i for i in ids if gazetteer.places[i].curated]
            if key in stopwords or not curated_ids:
                continue
            for form in inflect.forms(key):
                if form not in gazetteer.names and form not in stopwords:
                    forms.setdefault(form, {}).update(dict.fromkeys(curated_ids))
        for form, form_ids in forms.items():
            self._automaton.add_word(form, (len(form), True, _Entry(form, tuple(form_ids), "", True)))
        for phrase, reason in BLOCKERS.items():
            key = fold(phrase)
            self._automaton.add_word(key, (len(key), False, _Entry(key, (), reason, False)))
        self._automaton.make_automaton()

    def scan(self, text: str, folded: str | None = None) -> list[tuple[int, int, _Entry]]:
        """Every name at word boundaries, overlaps resolved longest first: (start, end, entry)."""
        folded = fast_fold(text) if folded is None else folded
        n = len(folded)
        found: list[tuple[int, int, _Entry]] = []
        for last, (size, needs_capital, entry) in self._automaton.iter(folded):
            end = last + 1
            start = end - size
            if start > 0:
                ch = folded[start - 1]
                if ch.isalnum() or ch == "_":
                    continue
            if end < n:
                ch = folded[end]
                if ch.isalnum() or ch == "_":
                    continue
            if needs_capital and not text[start].isupper():
                continue
            found.append((start, end, entry))
        if len(found) < 2:
            return found
        # Longest first, then leftmost, each kept unless it overlaps one kept before. When no two
        # names overlap, that keeps them all: skip the sort.
        found.sort(key=_by_start)
        if all(a[1] <= b[0] for a, b in itertools.pairwise(found)):
            return found
        return _resolve_overlaps(found)

    def find(self, text: str) -> tuple[list[Mention], list[tuple[int, int, str]]]:
        """Place mentions (before disambiguation, best-ranked candidate first) and blocked spans."""
        mentions: list[Mention] = []
        blocked: list[tuple[int, int, str]] = []
        for start, end, entry in self.scan(text):
            if entry.blocker:
                blocked.append((start, end, entry.blocker))
            else:
                mentions.append(
                    Mention(entry.place_ids[0], start, end, text[start:end], entry.place_ids)
                )
        return mentions, blocked


def _resolve_overlaps(found: list[tuple[int, int, _Entry]]) -> list[tuple[int, int, _Entry]]:
    """Longest first, then leftmost, each span kept unless it overlaps one kept before.

    ``found`` is sorted by start. Spans are cut into clusters of transitively overlapping ones;
    a span can only clash with spans of its own cluster, so each cluster (usually one or two
    spans) is resolved on its own: linear in the number of spans, however long the text.
    """
    taken: list[tuple[int, int, _Entry]] = []
    i, n = 0, len(found)
    while i < n:
        j, reach = i + 1, found[i][1]
        while j < n and found[j][0] < reach:
            reach = max(reach, found[j][1])
            j += 1
        if j == i + 1:
            taken.append(found[i])
        else:
            kept: list[tuple[int, int, _Entry]] = []
            for cand in sorted(found[i:j], key=_longest_first):
                if all(cand[1] <= t[0] or cand[0] >= t[1] for t in kept):
                    kept.append(cand)
            taken.extend(sorted(kept, key=_by_start))
        i = j
    return taken


def _by_start(f: tuple[int, int, _Entry]) -> int:
    return f[0]


def _longest_first(f: tuple[int, int, _Entry]) -> tuple[int, int]:
    return (f[0] - f[1], f[0])


def disambiguate(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Choose among same-named places using the article's other, unambiguous places.

    A curated candidate always wins. Among GeoNames candidates, the one nearest to the
    mean position of the article's unambiguous mentions wins; with no context, the best rank.
    """
    places = gazetteer.places
    if not any(len(m.candidates) > 1 and not places[m.candidates[0]].curated for m in mentions):
        return mentions  # nothing to choose: the same mentions whatever the anchors
    anchors = [
        places[m.place_id]
        for m in mentions
        if len(m.candidates) == 1 and places[m.place_id].kind not in ("country", "region")
    ]
    if not anchors:
        return mentions
    lat = sum(p.lat for p in anchors) / len(anchors)
    lon = sum(p.lon for p in anchors) / len(anchors)
    out = []
    for m in mentions:
        if len(m.candidates) > 1 and not places[m.candidates[0]].curated:
            best = min(m.candidates, key=lambda i: geodesic((lat, lon), (places[i].lat, places[i].lon)).km)
            m = Mention(best, m.start, m.end, m.text, m.candidates)
        out.append(m)
    return out


# A divided city whose name alone means one part (the gazetteer's "Mitrovica" is the south, as
# GeoNames has it) but which the text places in the other part: "in the northern part of the
# divided town of Mitrovica", "the Serb-majority part of the city of Mitrovica", "Mitrovica's
# Serb-run north". Keyed by the place the name means alone.
OTHER_PART: dict[str, str] = {"south_mitrovica": "north_mitrovica"}
_NORTH_PART_BEFORE = re.compile(
    r"\b(?:north(?:ern)?|(?:ethnic\s+)?serb(?:ian)?(?:[- ](?:majority|dominated|run|populated|held|controlled|"
    r"inhabited))?)\s+(?:(?:\w+[- ]){0,2}?(?:part|parts|side|half|end|section|sector|area|areas|districts?|"
    r"neighbou?rhoods?|north))\s+of\s+(?:the\s+)?(?:(?:ethnically\s+)?divided\s+)?"
    r"(?:(?:city|town)\s+(?:of\s+)?)?$",
    re.IGNORECASE,
)
_NORTH_PART_AFTER = re.compile(
    r"(?:'s|’s)\s+(?:(?:ethnic\s+)?serb(?:ian)?[- ]\w+\s+|ethnic[- ]serb\s+)?"
    r"(?:north|northern\s+(?:part|side|half|section|districts?|neighbou?rhoods?))\b",
    re.IGNORECASE,
)


def other_part(mentions: list[Mention], text: str) -> list[Mention]:
    """Each mention of a divided city's name moved to the part its words name (OTHER_PART)."""
    out = []
    for m in mentions:
        other = OTHER_PART.get(m.place_id)
        if other is not None and (
            _NORTH_PART_BEFORE.search(text, max(0, m.start - 80), m.start)
            or _NORTH_PART_AFTER.match(text, m.end, m.end + 60)
        ):
            m = Mention(other, m.start, m.end, m.text, (other, *m.candidates))
        out.append(m)
    return out
