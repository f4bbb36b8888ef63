"""From one article to its incident candidates and the mentions dropped (with why)."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline import anaphora, dates, events, filters
from pipeline.caseless import lower_text
from pipeline.match import Matcher, disambiguate, other_part
from pipeline.model import Article, DateWindow, Mention, Place, Source
from pipeline.sentences import Span, paragraph_sentences, paragraph_spans


@dataclass(frozen=True, slots=True)
class Candidate:
    """One report of one incident, before merging across articles."""

    place: Place
    when: DateWindow
    event_type: str
    sub_event_type: str
    geo_precision: int
    source: Source


@dataclass(frozen=True, slots=True)
class Dropped:
    mention: str
    place_id: str
    char_start: int
    char_end: int
    reason: str


@dataclass(frozen=True, slots=True)
class Extraction:
    article: Article
    candidates: tuple[Candidate, ...]
    dropped: tuple[Dropped, ...]
    date_note: str


class _Sentences:
    """The sentence at a position, as ``sentences.sentences`` splits the text, but splitting
    only the paragraphs asked about (most paragraphs name no place)."""

    def __init__(self, text: str, offset: int) -> None:
        self.text = text
        self.paragraphs = paragraph_spans(text, offset)
        self.starts = [a for a, _ in self.paragraphs]  # sentences.paragraph_starts
        self._split: dict[int, tuple[list[Span], list[int]]] = {}

    def in_paragraph(self, pos: int) -> bool:
        k = bisect.bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.paragraphs[k][1]

    def at(self, pos: int) -> Span | None:
        k = bisect.bisect_right(self.starts, pos) - 1
        if k < 0 or pos >= self.paragraphs[k][1]:
            return None  # before the first paragraph or between two: in no sentence
        split = self._split.get(k)
        if split is None:
            spans = paragraph_sentences(self.text, *self.paragraphs[k], k)
            split = self._split[k] = (spans, [s.start for s in spans])
        spans, starts = split
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and spans[i].start <= pos < spans[i].end:
            return spans[i]
        return None

    def later(self, sentence: Span, mention_starts: list[int]) -> Iterator[tuple[int, int]]:
        """The sentences after ``sentence`` in its paragraph, then the first of the next
        paragraph when it names no place (``mention_starts``: where the place mentions start, in
        order), as (start, end)."""
        nxt = self.after(sentence)
        while nxt is not None:
            yield nxt.start, nxt.end
            nxt = self.after(nxt)
        k = bisect.bisect_right(self.starts, sentence.start)
        if k < len(self.paragraphs):
            first = self.at(self.paragraphs[k][0])
            if first is not None and not _names_a_place(mention_starts, first):
                yield first.start, first.end

    def following(self, sentence: Span) -> Span | None:
        """The sentence after ``sentence`` in its paragraph, else the first of the next
        paragraph, if any."""
        nxt = self.after(sentence)
        if nxt is not None:
            return nxt
        k = bisect.bisect_right(self.starts, sentence.start)
        return self.at(self.paragraphs[k][0]) if k < len(self.paragraphs) else None

    def after(self, sentence: Span) -> Span | None:
        """The sentence after ``sentence`` in its paragraph, if any."""
        self.at(sentence.start)  # its paragraph split
        spans, starts = self._split[bisect.bisect_right(self.starts, sentence.start) - 1]
        i = bisect.bisect_right(starts, sentence.start)
        return spans[i] if i < len(spans) else None


# A "sentence" longer than this (a list, a page with no full stop) is read as a window of about
# this size around each mention, for its triggers, its dates and its quote: else every mention
# would scan the whole of it (quadratic on a megabyte-long line).
_LONGEST_SENTENCE = 2000


def _around(text: str, sentence: Span, start: int, end: int) -> Span:
    """``sentence``, or for a sentence longer than :data:`_LONGEST_SENTENCE` the words within
    half that of the mention at ``start``..``end``."""
    if sentence.end - sentence.start <= _LONGEST_SENTENCE:
        return sentence
    half = _LONGEST_SENTENCE // 2
    a, b = max(sentence.start, start - half), min(sentence.end, end + half)
    if a > sentence.start:  # from the word after the cut
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    if b < sentence.end:
        space = text.rfind(" ", end, b)
        b = space if space >= 0 else b
    return sentence._replace(start=a, end=b)


def _dated_after(when: DateWindow, after: Span | None, text: str, ctx: dates.DateContext, low: str) -> DateWindow:
    """``when``, or the narrower window within it that the next sentence gives, if that one
    only dates the incident (:func:`dates.restated_date`: "At the end of February, shots were
    fired at a patrol near Velji Breg. The incident occurred on February 27.")."""
    if after is None:
        return when
    told = dates.restated_date(text, after.start, after.end, ctx, lowered=low)
    if told is None or told.start is None or told.end is None or when.start is None or when.end is None:
        return when
    narrower = (told.precision, _width(told)) < (when.precision, _width(when))
    return told if narrower and when.start <= told.start and told.end <= when.end else when


# A police action at a place told in one sentence and what it found or who it arrested in the
# next, which names no place: "the Kosovo Police searched two houses in the village of Kruščica.
# They found two automatic rifles, one hand grenade and about 400 rounds of ammunition."
_SPACES = re.compile(r" {2,}")  # in a quote: where a subtitle's cue was (ingest.blank_subtitle_cues)
_TOLD_NEXT = re.compile(r"(?:they|police|the\s+police|officers|investigators)\s+(?:also\s+)?"
                        r"(?:found|seized|confiscated|discovered|arrested|detained)\b")


# An attack named in one sentence and told in the next, which names no place: "EULEX strongly
# condemns the attack on one of its ... patrols on Wednesday evening, 11 September, in the
# village of Prelez ... At around 20:40, a group of approximately fifteen people threw stones
# and bottles at three EULEX vehicles".
_ATTACK_ON = re.compile(r"\b(?:the|an|this|that)\s+(?:\w+\s+)?attacks?\s+on\b")


def _told_next(
    text: str, low: str, sentence: Span, nxt: Span | None, mention_starts: list[int]
) -> tuple[events.EventType, Span] | None:
    """The event the sentence after ``sentence`` reports of what ``sentence`` told (its kind, and
    both sentences as one span for the quote and the date), or None: what a police action found
    or whom it arrested, or how an attack went. ``mention_starts``: where the article's place
    mentions start, in order (the next sentence must name none)."""
    if nxt is None or nxt.end - sentence.start > _LONGEST_SENTENCE:
        return None
    found = _TOLD_NEXT.match(low, nxt.start) is not None
    if not found and _ATTACK_ON.search(low, sentence.start, sentence.end) is None:
        return None
    if _names_a_place(mention_starts, nxt):
        return None
    kind = events.classify(text, nxt.start, nxt.end, nxt.start, nxt.start, lowered=low)
    if kind is None or (found and kind.event_type != "Strategic developments"):
        return None
    return kind, Span(sentence.start, nxt.end, sentence.paragraph)


def _went_off(
    kind: events.EventType, low: str, sentence: Span, nxt: Span | None, mention_starts: list[int],
) -> tuple[events.EventType, Span | None]:
    """``kind``, or, when the sentence or the next (naming no place) says the device did not go
    off, disrupted weapons use; and the span that tells it, when both sentences do ("two hand
    grenades were thrown overnight ... They did not go off, and officers destroyed them on
    Saturday morning": the first dates it)."""
    if events.went_off_not(low, sentence.start, sentence.end):
        return events.DISRUPTED, None
    if nxt is None or nxt.end - sentence.start > _LONGEST_SENTENCE or not events.went_off_not(low, nxt.start, nxt.end):
        return kind, None
    if _names_a_place(mention_starts, nxt):
        return kind, None
    return events.DISRUPTED, Span(sentence.start, nxt.end, sentence.paragraph)


_PASSED_QUIETLY = "a police action that passed without incident: no event"
_INSTITUTION_CLOSED = "an institution closed, and nothing else reported: no event"
_OTHER = ("Strategic developments", "Other")  # a closure, a sealing, someone turned back


# "While in all other regions the police operation went smoothly, in North Mitrovica ...": the
# places named before, but not in this sentence
_ALL_OTHER = re.compile(r"\b(?:all\s+(?:the\s+)?other\s+(?:regions|places|municipalities|towns|cities|areas|parts|"
                        r"locations|villages)|elsewhere|everywhere\s+else)\b")


def _quiet_next(low: str, nxt: Span | None, mention_starts: list[int], mention_ids: list[str], place_id: str) -> bool:
    """Whether the sentence after an event's says it passed without incident, naming no place
    ("... seal the entrance of the municipal building. The closures passed without incident."),
    or naming others than ``place_id`` and saying so of all the others ("While in all other
    regions the police operation went smoothly, in North Mitrovica ..."). ``mention_starts``:
    where the article's place mentions start, in order; ``mention_ids``: their places."""
    if nxt is None:
        return False
    said = filters.passed_quietly(low, nxt.start, nxt.end)
    if said is None:
        return False
    k = bisect.bisect_left(mention_starts, nxt.start)
    j = bisect.bisect_left(mention_starts, nxt.end, k)
    if j == k:
        return True
    return place_id not in mention_ids[k:j] and _ALL_OTHER.search(low, nxt.start, said.end()) is not None


def _names_a_place(mention_starts: list[int], span: Span) -> bool:
    """Whether a place mention starts in ``span`` (``mention_starts``: the article's, in order)."""
    k = bisect.bisect_left(mention_starts, span.start)
    return k < len(mention_starts) and mention_starts[k] < span.end


def _width(w: DateWindow) -> int:
    return (w.end - w.start).days if w.start and w.end else 10**6


def _dating(w: DateWindow) -> tuple[bool, int, int]:
    """How well a window dates an incident, best first: how long it lasted, over the days left
    open for it; then the more precise, the narrower."""
    return not w.lasting, w.precision, _width(w)


def _paragraph_start(starts: list[int], pos: int, default: int) -> int:
    """The start of the paragraph holding ``pos`` (``starts``: the paragraphs' starts)."""
    return starts[bisect.bisect_right(starts, pos) - 1] if starts else default


def _lead(paragraphs: list[tuple[int, int]], headline_end: int) -> tuple[int, int] | None:
    """The article's lead: its first paragraph after the headline (start, end), if any."""
    for start, end in paragraphs:
        if end > headline_end:
            return max(start, headline_end), end
    return None


def extract(article: Article, matcher: Matcher, today: dt.date) -> Extraction:
    text = article.text
    places = matcher.gazetteer.places
    body = text[article.body_start :]
    ctx = dates.article_context(body, article.published, today)
    sents = _Sentences(text, article.body_start)
    paras = sents.starts
    found, blocked = matcher.find(text)
    low = lower_text(text)  # for the case-insensitive rules (pipeline.caseless)
    mentions: list[Mention] = other_part(disambiguate(
        [m for m in found if m.start >= article.body_start], matcher.gazetteer
    ), text)
    dropped = [Dropped(text[s:e], "", s, e, r) for s, e, r in blocked if s >= article.body_start]
    # "both crossings", "the same crossing": the places named before that they point back to
    mentions += anaphora.resolve(text, mentions, matcher.nouns, article.body_start,
                                 taken=[(s, e) for s, e, _ in blocked], lowered=low)
    candidates: list[Candidate] = []
    @functools.cache
    def lead_day() -> dt.date | None:
        """The day the article's lead gives its news (read once, when a sentence needs it)."""
        lead = _lead(sents.paragraphs, article.headline_end)
        return None if lead is None else dates.lead_date(text, *lead, ctx, lowered=low)

    @functools.cache
    def sections() -> list[DateWindow | None]:
        """For each paragraph, the window of the heading line above it (dates.is_heading_line),
        up to the next one; None under none, or under one that gives no date."""
        windows, current = [], None
        for start, end in sents.paragraphs:
            windows.append(current)
            if end > article.headline_end and dates.is_heading_line(text, start, end):
                current = dates.heading_window(text, start, end, ctx, lowered=low)
        return windows

    @functools.cache
    def paragraph_context(start: int) -> dates.DateContext:
        """``ctx`` with the heading of the paragraph at ``start`` (dates.heading), if any, else
        the heading line above it."""
        # (a heading ends in a colon within 50 characters: most paragraphs need no look)
        found = dates.heading(text, start, ctx, lowered=low) if text.find(":", start, start + 52) >= 0 else None
        if found is None and paras:
            found = sections()[bisect.bisect_right(paras, start) - 1]
        return ctx if found is None else dataclasses.replace(ctx, heading=found)

    @functools.cache
    def quiet_places() -> frozenset[str]:
        """The places a sentence of the article says an action passed without incident at,
        naming them before it says so ("In Zubin Potok, the action passed without incident";
        "Police raided two houses in Zvečan, and the operation went smoothly")."""
        quiet: set[str] = set()
        at = article.body_start
        while (said := filters.passed_quietly(low, at, len(text))) is not None:
            at = said.end()
            whole = sents.at(said.start())
            if whole is not None:
                quiet.update(o.place_id for o in mentions if whole.start <= o.start and o.end <= said.start())
        return frozenset(quiet)

    def uncoded_police_action(kind: events.EventType, sentence: Span, whole: Span, place_id: str) -> str | None:
        """Why a police action the sentence reports at the place is no event, as the held-out
        annotation codes it, if it is none: a raid that passed without incident there, or a
        Serbian-run institution closed with nothing else the sentence reports."""
        if filters.may_pass_quietly(kind.event_type, kind.sub_event_type, kind.trigger) and (
                place_id in quiet_places() or _quiet_next(low, sents.after(whole), starts, starts_ids, place_id)):
            return _PASSED_QUIETLY
        if (kind.event_type, kind.sub_event_type) == _OTHER and filters.closes_an_institution(low, sentence, kind.trigger) \
                and all((t.event_type, t.sub_event_type) == _OTHER
                        for t in events.triggers(text, sentence.start, sentence.end, lowered=low)):
            return _INSTITUTION_CLOSED
        return None

    # the specific places each sentence names (not a country, a capital or a region)
    per_sentence: dict[int, list[Mention]] = {}
    types_at: dict[int, frozenset[str]] = {}  # the event types reported at them, once asked for

    def specific_types(whole: Span) -> frozenset[str]:
        """The event types the sentence reports at its specific places (worked out once a sentence)."""
        if whole.start not in types_at:
            kinds = (events.classify(text, *_around(text, whole, o.start, o.end)[:2], o.start, o.end, lowered=low)
                     for o in per_sentence.get(whole.start, ()))
            types_at[whole.start] = frozenset(k.event_type for k in kinds if k is not None)
        return types_at[whole.start]

    # the place mention before each one in its sentence (filters.drop_reason's ``previous``)
    previous: dict[int, tuple[int, Place]] = {}
    last: tuple[int, int, Place] | None = None  # (its sentence's start, its end, its place)
    starts: list[int] = []  # where every mention starts, in order (see _told_next)
    starts_ids: list[str] = []  # and the place of each
    for m in sorted(mentions, key=lambda m: m.start):
        starts.append(m.start)
        starts_ids.append(m.place_id)
        place = places[m.place_id]
        if place.kind == "country":
            continue
        s = sents.at(m.start)
        para_start = _paragraph_start(paras, m.start, article.body_start)
        if s is None or filters.is_dateline(text, m, para_start) or filters.is_label(text, m, para_start):
            continue
        if place.kind not in filters.BROAD_KINDS:
            per_sentence.setdefault(s.start, []).append(m)
        if last is not None and last[0] == s.start and last[1] <= m.start:  # ("both crossings":
            previous[m.start] = last[1:]  # two places at one span, neither before the other)
        if not filters.ends_named_road(low, m.start):  # ("the road Leposavić – Lešak near Majdevo":
            last = (s.start, m.end, place)  # Majdevo locates the road, not Lešak)
    # Headline mentions go last: a headline restates the body, so it counts only for places the
    # body does not report.
    mentions.sort(key=lambda m: (m.start < article.headline_end, m.start))
    persons: set[str] = set()  # surnames the article has named people by (case-folded)
    for m in mentions:
        place = places[m.place_id]
        if m.start < article.headline_end and any(c.place.place_id == place.place_id for c in candidates):
            dropped.append(Dropped(m.text, m.place_id, m.start, m.end, "headline: the body reports this place"))
            continue
        country = filters.country_reason(place)
        if country is not None:  # dropped whatever its sentence says: no need to split the paragraph
            # (a name starts with a letter: inside a paragraph, it is inside one of its sentences)
            reason = country if sents.in_paragraph(m.start) else "outside any sentence"
            dropped.append(Dropped(m.text, m.place_id, m.start, m.end, reason))
            continue
        whole = sents.at(m.start)
        if whole is None:
            dropped.append(Dropped(m.text, m.place_id, m.start, m.end, "outside any sentence"))
            continue
        sentence = _around(text, whole, m.start, m.end)
        para_start = _paragraph_start(paras, m.start, article.body_start)
        others = len(per_sentence.get(whole.start, ())) - (place.kind not in filters.BROAD_KINDS)
        reason = filters.drop_reason(text, m, sentence, para_start, place, others, lowered=low,
                                     previous=previous.get(m.start))
        if reason == filters.PERSON_NAME:
            persons.add(m.text.casefold())
        elif reason is None and not place.curated and m.text.casefold() in persons \
                and filters.person_after(low, m):
            # "By Nebojša Tankosić ... Tankosić writes that shots were fired ...": the surname again
            reason = filters.PERSON_NAMED_BEFORE
        kind = None
        quoted: Span | None = None  # the quote, when more than the sentence that dates it
        if reason is None or reason == filters.REGION_BESIDE:
            kind = events.classify(text, sentence.start, sentence.end, m.start, m.end, lowered=low)
            if reason == filters.REGION_BESIDE and kind is not None and filters.spread_over(low, m, sentence) \
                    and kind.event_type not in specific_types(whole):
                # another kind of event than at each specific place beside it: "barricades went
                # up across northern Kosovo, and the police closed Jarinje and Brnjak"; not
                # "clashes in Zvečan, the worst violence in northern Kosovo", one event
                reason = None
            elif kind is None:
                told = _told_next(text, low, whole, sents.following(whole), starts)
                if told is None:
                    reason = reason or "no incident reported in the sentence"
                else:
                    kind, sentence = told
            elif kind.sub_event_type == "Arrests" and filters.ordinary_crime(low, sentence):
                reason = "an arrest for an ordinary crime, not a political event"
            elif kind.event_type == "Explosions/Remote violence":
                kind, quoted = _went_off(kind, low, sentence, sents.after(whole), starts)
            if kind is not None and reason is None:
                reason = uncoded_police_action(kind, sentence, whole, place.place_id)
        if reason is not None:
            dropped.append(Dropped(m.text, m.place_id, m.start, m.end, reason))
            continue
        assert kind is not None
        when = dates.date_for(sentence.start, sentence.end, m.start, text, paragraph_context(para_start),
                              lowered=low, lead=lead_day, paragraph_start=para_start)
        if when.precision > 1 and not when.lasting and sentence.end == whole.end:
            when = _dated_after(when, sents.after(whole), text, paragraph_context(para_start), low)
        elif when.precision == 1 and kind.event_type == "Protests":
            when = dates.lasted(when, text, (sentence.start, sentence.end), sents.later(whole, starts),
                                paragraph_context(para_start), lowered=low)
        alike = [c for c in candidates
                 if (c.place.place_id, c.event_type, c.sub_event_type) == (place.place_id, kind.event_type, kind.sub_event_type)]
        if alike and when.note.startswith(dates.NO_DATE) and _REFERS_BACK.search(low, max(sentence.start, m.start - 40), m.start):
            # "The arrest in Ulije and the protest that followed are the first since April": the
            # one reported before, not another on the day of publication
            dropped.append(Dropped(m.text, m.place_id, m.start, m.end, _REPORTED_EARLIER))
            continue
        same = next((c for c in alike if c.when == when or c.when.overlaps(when)), None)
        if same is not None:
            if _dating(when) < _dating(same.when):
                # the restatement dates it better: keep this report, drop the earlier one
                candidates.remove(same)
                old = same.source
                dropped.append(Dropped(old.mention, same.place.place_id, old.char_start, old.char_end,
                                       "same incident dated more precisely later in this article"))
            else:
                dropped.append(Dropped(m.text, m.place_id, m.start, m.end, _REPORTED_EARLIER))
                continue
        source = Source(
            article_id=article.article_id, title=article.title, outlet=article.outlet,
            published=article.published.isoformat() if article.published else None,
            url=article.url, quote=_SPACES.sub(" ", text[sentence.start : (quoted or sentence).end]), mention=m.text,
            char_start=m.start, char_end=m.end,
        )
        candidates.append(
            Candidate(place, when, kind.event_type, kind.sub_event_type,
                      filters.geo_precision(text, m, sentence, place, lowered=low), source)
        )
    if any(c.place.kind == "region" for c in candidates):
        lead = _lead(sents.paragraphs, article.headline_end)
        leads = [(0, len(text) if lead is None else lead[1])]
        oldest = _oldest_entry(text, sents.paragraphs)
        if oldest is not None:  # a live blog, newest entry first: its first entry is a lead too
            leads.append(oldest)
        candidates = _without_summaries(candidates, leads, matcher.gazetteer.within, dropped)
    dropped.sort(key=lambda d: d.char_start)
    return Extraction(article, tuple(candidates), tuple(dropped), ctx.note)


_REPORTED_EARLIER = "same incident already reported earlier in this article"
# An incident named by what it was and where: "the arrest in Ulije", "the clashes in Zvečan"
_REFERS_BACK = re.compile(
    r"\b(?:the|this|that|last\s+\w+'s|yesterday's)\s+(?:\w+\s+)?(?:arrests?|attacks?|protests?|rall(?:y|ies)|"
    r"shooting|blockades?|barricades?|closures?|raids?|clashes|riots?|explosions?|blasts?|arson|fire|ambush|"
    r"incidents?)\s+(?:in|at|near|on)\s+(?:the\s+)?(?:village\s+of\s+|town\s+of\s+)?$"
)


# A live blog's entry: "07:45 - What we know so far: ..."
_ENTRY_TIME = re.compile(r"\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*(?:[-–—|]|h\b)")
_LIVE_BLOG_ENTRIES = 3  # entries, at least, for an article to be read as a live blog


def _oldest_entry(text: str, paragraphs: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first entry of a live blog that puts its newest entry first (paragraphs opening with
    times that only go back: "23:40 - ...", ..., "07:30 - Good morning and welcome to our live
    coverage ..."): its span, or None for any other article."""
    entries = []
    for start, end in paragraphs:
        at = _ENTRY_TIME.match(text, start, end)
        if at is not None:
            entries.append((int(at.group(1)) * 60 + int(at.group(2)), start, end))
    if len(entries) < _LIVE_BLOG_ENTRIES or any(a[0] < b[0] for a, b in itertools.pairwise(entries)):
        return None
    return entries[-1][1], entries[-1][2]


def _without_summaries(
    candidates: list[Candidate], leads: list[tuple[int, int]], within: Callable[[Place, Place], bool],
    dropped: list[Dropped],
) -> list[Candidate]:
    """``candidates`` without a region named in the lead (``leads``: the headline and the first
    paragraph; a live blog's first entry) when the article reports, for the same days, a place within it
    (``within``): the lead summed up what the article goes on to place ("an office in northern
    Kosovo was set ablaze" before "the fire ... in Zubin Potok"). Of any type: the summary's
    words and the account's need not be typed alike. The same days: windows that meet, the
    place's a day or a few (not "in 2024"), or both undated. A region the article names again
    for the same incident beyond the lead stays. The dropped go to ``dropped``."""
    def in_lead(pos: int) -> bool:
        return any(start <= pos < end for start, end in leads)

    restated = {d.place_id for d in dropped if not in_lead(d.char_start) and d.reason == _REPORTED_EARLIER}

    def same_days(place: DateWindow, region: DateWindow) -> bool:
        if not (place.dated or region.dated):
            return True
        return place.precision <= 2 and place.overlaps(region)

    kept = []
    for c in candidates:
        if in_lead(c.source.char_start) and c.place.place_id not in restated and any(
            same_days(o.when, c.when) and within(o.place, c.place) for o in candidates
        ):
            dropped.append(Dropped(c.source.mention, c.place.place_id, c.source.char_start, c.source.char_end,
                                   "region named in the lead; the article reports a place within it"))
        else:
            kept.append(c)
    return kept
