"""The speed-ups of the rule engine give exactly the results of the plain code they replace.

``pipeline.caseless`` runs the IGNORECASE rules as case-sensitive twins over a lower-cased text;
``pipeline.match.fast_fold`` replaces ``textnorm.fold``; ``sentences`` finds the word before a
full stop without a regex search. Each is checked against the straightforward version: for every
Unicode code point where that is feasible, and on generated texts built from the rules' own
vocabulary.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import dates, events, filters
from pipeline.caseless import Prefiltered, finditer_at, lower_text, required_literals, twin
from pipeline.match import fast_fold
from pipeline.sentences import _ABBREVIATIONS, _not_an_end
from pipeline.textnorm import fold

ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)

RULES = [p for p, _, _ in events._TRIGGERS] + [
    events._NOT_REAL, events._MODAL, events._DENIED, events._CLAUSE_BREAK, dates._PATTERN,
    filters._GOVERNMENT_BEFORE, filters._GOVERNMENT_OBJECT, filters._GOVERNMENT_AFTER, filters._PAIR,
    filters._VENUE_BEFORE, filters._NEAR_BEFORE, filters._ADMIN_BEFORE, filters._ADMIN_AFTER,
    filters._LOCATIVE_BEFORE,
] + [filters._ORIGIN_BEFORE, filters._OFFENCE_BEFORE, filters._SEE_BEFORE, filters._TAKEN_BEFORE,
     filters._DESTINATION_BEFORE, filters._HEADING_BEFORE, filters._BASE_BEFORE, filters._ROAD_END_BEFORE,
     filters._ROAD_CLAUSE_BEFORE, filters._T_ROAD_NAMED_BEFORE.pattern, filters._T_RESIDENTS_OF_BEFORE.pattern,
     filters._T_TOLD_BEFORE.pattern]
# the rules filters runs behind a plain search for the words every match holds
PREFILTERED = [filters._T_ORIGIN_BEFORE, filters._T_OFFENCE_BEFORE, filters._T_SEE_BEFORE,
               filters._T_TAKEN_BEFORE, filters._T_HEADING_BEFORE, filters._T_BASE_BEFORE,
               filters._T_RESIDENTS_OF_BEFORE, filters._T_TOLD_BEFORE, filters._T_ADMIN_BEFORE,
               filters._T_ROAD_END_BEFORE, filters._T_ROAD_CLAUSE_BEFORE, filters._T_ROAD_NAMED_BEFORE]
WORDS = sorted({
    w for p in RULES for w in re.findall(r"[A-Za-z’'–—-]{2,}", p.pattern) if w not in ("P", "iy", "im")
}) + ["İN", "ıN", "ſHELLING", "Zvečan", "Belgrade", "Pristina", "Monday", "December", "9", "2022",
      "12", "(", ")", ",", ".", ";", ":", "“", "”", "\n", "Mr.", "U.S.", "A.", "…", "?", "!"]


def test_lower_text_keeps_length_and_character_classes():
    low = "".join(lower_text(c) for c in ALL_CHARS)
    assert len(low) == len(ALL_CHARS)
    assert len(lower_text(ALL_CHARS)) == len(ALL_CHARS)
    for c, lc in zip(ALL_CHARS, low):
        if (c.isalnum() or c == "_") != (lc.isalnum() or lc == "_") or c.isspace() != lc.isspace() \
                or c.isdecimal() != lc.isdecimal():
            pytest.fail(f"lower_text changes the class of U+{ord(c):04X}")


def test_lower_text_folds_exactly_what_ignorecase_folds():
    literals = set("abcdefghijklmnopqrstuvwxyz") | {c for p in RULES for c in p.pattern if not c.isascii()}
    low = [lower_text(c) for c in ALL_CHARS]
    for lit in sorted(literals):
        by_re = {m.start() for m in re.finditer(re.escape(lit), ALL_CHARS, re.IGNORECASE)}
        by_twin = {i for i, lc in enumerate(low) if lc == lit.lower()}
        assert by_re == by_twin, lit


def test_fast_fold_is_fold_for_every_code_point():
    assert fast_fold(ALL_CHARS) == fold(ALL_CHARS)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [" ", "  ", "s", "ing"]), max_size=40), st.text(max_size=20))
def test_twins_find_what_the_rules_find(words, noise):
    text = " ".join(words) + noise
    low = lower_text(text)
    for rule in RULES:
        tw = twin(rule)
        assert [m.span() for m in rule.finditer(text)] == [m.span() for m in tw.finditer(low)], rule.pattern[:60]
        for a in (0, 3, len(text) // 2):
            for b in (len(text), len(text) - 2):
                if a <= b:
                    assert [m.span() for m in rule.finditer(text, a, b)] == \
                        [m.span() for m in tw.finditer(low, a, b)]
    assert [m.span() for m in dates._PATTERN.finditer(text)] == \
        [m.span() for m in dates._PATTERN_TWIN.finditer(low)]


def test_required_literals_follow_the_syntax():
    assert required_literals(re.compile(r"ab(?:cd|ef)g")) == ("ab",)  # ties: the smaller set
    assert required_literals(re.compile(r"a(?:cde|fgh)b")) == ("cde", "fgh")
    assert required_literals(re.compile(r"x+(?:yz)+\s")) == ("yz",)
    assert required_literals(re.compile(r"(?:ab|\w)c")) == ("c",)  # one alternative holds none
    assert required_literals(re.compile(r"(?:ab)?c")) == ("c",)  # optional: not required
    assert required_literals(re.compile(r"from|\d")) is None
    assert required_literals(re.compile(r"\w+\s*$")) is None
    assert required_literals(re.compile("from", re.IGNORECASE)) is None
    with pytest.raises(ValueError):
        Prefiltered(re.compile(r"\w+$"))
    rule = Prefiltered(re.compile(r"\b(?:from|of)\s+$"))
    assert _span(rule.search("from ")) == (0, 5) and _span(rule.search("x from ", 2)) == (2, 7)
    assert rule.search("to ") is None and rule.search("from x") is None


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [" ", "  ", "s", "ing", "ed", "-"]), max_size=30), st.text(max_size=8))
def test_prefiltered_rules_search_as_the_rules_do(words, noise):
    text = lower_text(" ".join(words) + noise)
    for rule in PREFILTERED:
        for b in range(len(text) + 1):  # the rules are anchored at the span's end
            for a in (0, max(0, b - 40)):
                found, plain = rule.search(text, a, b), rule.pattern.search(text, a, b)
                assert _span(found) == _span(plain), rule.pattern.pattern[:60]
                if plain:
                    assert any(needle in plain.group(0) for needle in rule.needles)


def test_prefiltered_rules_search_as_the_rules_do_in_the_articles():
    """Before every capitalised word of the seeds, the new and the held-out articles (where a
    place's name may start), the same as the plain rule; each rule matches somewhere."""
    root = Path(__file__).resolve().parent.parent
    matched = dict.fromkeys(range(len(PREFILTERED)), 0)
    for path in sorted([*root.glob("seeds/*.txt"), *root.glob("tests/articles/*.txt"),
                        *root.glob("tests/heldout/*/*.txt")]):
        text = path.read_text(encoding="utf-8")
        low = lower_text(text)
        for start in (m.start() for m in re.finditer(r"\b[A-ZČŠŽĐĆ]", text)):
            for i, rule in enumerate(PREFILTERED):
                found = _span(rule.search(low, max(0, start - 160), start))
                assert found == _span(rule.pattern.search(low, max(0, start - 160), start)), (path.name, start)
                matched[i] += found is not None
    assert all(matched.values()), matched


def _span(m: re.Match[str] | None) -> tuple[int, int] | None:
    return m.span() if m else None


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [" "]), max_size=40))
def test_triggers_and_dates_match_the_plain_rules(words):
    text = " ".join(words)
    for start, end in ((0, len(text)), (len(text) // 3, len(text))):
        assert [(e.event_type, e.sub_event_type, e.trigger, e.start) for e in events.triggers(text, start, end)] \
            == _plain_triggers(text, start, end)
        found = dates.find_expressions(text, start, end)
        plain = [(m.start(), m.end(), m.group(0), {k: v for k, v in m.groupdict().items() if v is not None})
                 for m in dates._PATTERN.finditer(text, start, end)]
        assert [(e.start, e.end, e.text, e.groups) for e in found] == plain


def _plain_triggers(text: str, start: int, end: int) -> list[tuple]:
    """events.triggers as first written: every rule over the sentence, case-insensitive."""
    found = []
    for order, (pattern, etype, sub) in enumerate(events._TRIGGERS):
        for m in pattern.finditer(text, start, end):
            back = max(start, m.start() - events._CLAUSE_BACK)
            before = text[back : m.start()]
            if (events._NOT_REAL.search(before) or events._DENIED.search(before)
                    or events._MODAL.search(text[events.modal_reach(text, back, m.start()) : m.start()])):
                continue
            found.append((order, (etype, sub, m.group(0), m.start())))
    found.sort(key=lambda f: (f[1][3], f[0]))
    out, taken_until = [], -1
    for _, ev in found:
        if ev[3] >= taken_until:
            out.append(ev)
            taken_until = ev[3] + len(ev[2])
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab._!?… xZ1é\nİ", max_size=14), st.sampled_from(sorted(_ABBREVIATIONS) + ["", "A", "x"]),
       st.text(alphabet="ab. ", max_size=3))
def test_abbreviation_check_is_the_regex(body, word, before):
    sentence = body + word + "."
    text = before + sentence + " Next"
    m = re.search(r"([\w.]+)[.!?…]*$", sentence)
    word = m.group(1).rstrip(".") if m else ""
    expected = bool(m and (word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())))
    assert _not_an_end(text, len(before), len(before) + len(sentence)) == expected


def test_finditer_at_is_finditer_given_every_start():
    pattern = re.compile(r"\bab+|b")
    text = "abbb ab b abab"
    every = range(len(text))
    assert [m.span() for m in finditer_at(pattern, text, every, 0, len(text))] == \
        [m.span() for m in pattern.finditer(text)]
    empty = re.compile(r"x*")
    assert [m.span() for m in finditer_at(empty, "axxb", range(4), 0, 4)] == \
        [m.span() for m in empty.finditer("axxb")]


# escaped space and '#', which re.VERBOSE would otherwise drop: the guard must keep them
VERBOSE_GUARDED = r"a\ b | a\# | [ #]x | \d\ \d"
GUARDED = [
    r"\bab+c", r"(?:x|yz)\d+", r"a*b", r"\b(?:on|in)\s+\w+", r"[a-c][^d]e?", r"(?:ab){2,}x",
    r"colou?r|gr[ae]y", r"\d{1,2}\.\d", r"(?=q)qu|z",
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeqruxyz01 .gr#", max_size=30))
def test_start_guard_holds_wherever_the_pattern_matches(text):
    from pipeline.caseless import start_guard

    dated = twin(dates._PATTERN).pattern  # the grammar without the guard dates.py puts before it
    for source in GUARDED + [VERBOSE_GUARDED, dated]:
        pattern = re.compile(source, re.VERBOSE if source in (VERBOSE_GUARDED, dated) else 0)
        for k in (2, 3, 4):
            guard = start_guard(pattern, k)
            if guard is None:
                continue
            guard_re = re.compile("(?:" + guard + ")", pattern.flags)
            for p in range(len(text) + 1):
                if pattern.match(text, p):
                    assert guard_re.match(text, p), (source, k, text, p)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeqruxyz01 .gr]-\\", max_size=30))
def test_the_factored_guard_holds_where_one_of_its_prefixes_does(text):
    """start_guard writes the prefixes as a trie ("a[bc]|b"): it must hold exactly where the
    plain alternation of the prefixes holds."""
    from pipeline.caseless import _Class, start_guard, start_prefixes

    for source in GUARDED + [r"a\]|a-|a b|a\\", dates._PATTERN_TWIN.pattern]:
        pattern = re.compile(source, re.VERBOSE if source == dates._PATTERN_TWIN.pattern else 0)
        for k in (2, 3, 4):
            guard = start_guard(pattern, k)
            if guard is None:
                continue
            flat = "|".join(
                "".join(a if isinstance(a, _Class) else re.escape(a) for a in prefix)
                for prefix in start_prefixes(pattern, k)
            )
            factored = re.compile("(?:" + guard + ")", pattern.flags)
            plain = re.compile("(?:" + flat + ")", pattern.flags)
            for p in range(len(text) + 1):
                assert bool(factored.match(text, p)) == bool(plain.match(text, p)), (source, k, text, p)


def test_start_guard_gives_up_on_empty_matches_and_ignorecase():
    from pipeline.caseless import start_guard

    assert start_guard(re.compile(r"a*")) is None
    assert start_guard(re.compile(r"ab", re.IGNORECASE)) is None
    assert start_guard(re.compile(r"a*b")) == "b|a[ab]"
    assert start_guard(re.compile(r"a*b"), 3) == "b|a(?:b|a[ab])"
