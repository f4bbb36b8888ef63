"""Case-insensitive regular expressions at case-sensitive speed, with the same matches.

Python's ``re`` is slow with ``IGNORECASE``: each literal is compared through a case-folding
lookup and alternations lose their first-character fast path. The rules of ``events``,
``dates`` and ``filters`` are case-insensitive and run on every mention, so they dominate the
pipeline's time. Instead, the article is lower-cased once (:func:`lower_text`, one character for
one character, so every offset stays valid) and each rule runs as its case-sensitive *twin*
(:func:`twin`: the same source with its literals lower-cased, compiled without IGNORECASE).

Why the matches are the same: under ``IGNORECASE`` a pattern letter ``x`` matches exactly the
characters ``c`` with ``lower_text(c) == x`` (``c.lower()``, plus ``İ`` and ``ı`` for ``i``
and ``ſ`` for ``s``, which ``re`` also folds), and ``lower_text`` keeps every character's class
(word character, digit, space), so ``\\b``, ``\\w``, ``\\s`` and ``\\d`` see the same text.
``tests/test_bench_smoke.py`` checks this for every Unicode code point and every rule.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator

# Characters ``re`` folds to an ASCII letter although str.lower() does not (or not to one char).
_RE_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}


def lower_text(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` sees it; ``len`` and offsets unchanged."""
    if text.isascii():
        return text.lower()
    if "\u0130" in text:  # "İ".lower() is two characters
        text = text.replace("\u0130", "i")
    low = text.lower()
    if "\u0131" in low:
        low = low.replace("\u0131", "i")
    if "\u017f" in low:
        low = low.replace("\u017f", "s")
    return low


def twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of an IGNORECASE pattern, to run on :func:`lower_text` output.

    Literals are lower-cased; escapes (``\\S``, ``\\B``, ``\\N{...}``) and group names are kept.
    """
    src = pattern.pattern
    out: list[str] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            if src.startswith("\\N{", i):
                j = src.index("}", i)
                out.append(src[i : j + 1])
                i = j + 1
            else:
                out.append(src[i : i + 2])
                i += 2
            continue
        if src.startswith("(?P<", i) or src.startswith("(?P=", i):
            j = src.index(">" if src[i + 3] == "<" else ")", i)
            out.append(src[i : j + 1])
            i = j + 1
            continue
        out.append(ch.lower())
        i += 1
    compiled = re.compile("".join(out), pattern.flags & ~re.IGNORECASE)
    if compiled.groupindex != pattern.groupindex or compiled.groups != pattern.groups:
        raise ValueError(f"cannot make a case-sensitive twin of {src!r}")
    return compiled


def finditer_at(
    pattern: re.Pattern[str], text: str, positions: Iterable[int], start: int, end: int
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, start, end)``, trying only ``positions``.

    ``positions`` (ascending) must include every position in ``start..end`` where ``pattern``
    can match; then the leftmost non-overlapping matches are found exactly as ``finditer``
    finds them. A pattern that can match the empty string is run by ``finditer`` itself.
    """
    pos = start
    for p in positions:
        if p < pos:
            continue
        m = pattern.match(text, p, end)
        if m is None:
            continue
        if m.end() == m.start():  # empty matches advance differently: let re do it
            yield from pattern.finditer(text, p, end)
            return
        yield m
        pos = m.end()


class _Class(str):
    """A regex character class standing for one character of a prefix (not a literal)."""


_WILD = _Class("[\\s\\S]")  # any character


def start_prefixes(pattern: re.Pattern[str], k: int = 2) -> set[tuple[str, ...]] | None:
    """Every tuple of at most ``k`` characters a match of ``pattern`` can start with (a tuple
    shorter than ``k`` when a match can end there), worked out from the pattern's syntax tree.
    An item is a literal character or a ``_Class`` (a regex class: one of several characters).
    None when the pattern has a construct this does not follow, or is case-insensitive."""
    try:
        from re import _parser as sre

        if pattern.flags & re.IGNORECASE:
            return None
        tree = sre.parse(pattern.pattern, pattern.flags)
        return _starts(list(tree.data), k, sre)
    except Exception:  # noqa: BLE001 - any surprise in re's private parser: no prefixes, same matches
        return None


def start_guard(pattern: re.Pattern[str], k: int = 2) -> str | None:
    """A lookahead body that holds wherever ``pattern`` can match: the alternatives of the first
    ``k`` characters its matches can start with (``start_prefixes``).

    Put before a pattern (``(?=guard)``) it lets ``re`` give up after a few character tests at
    most positions, and changes no match: it is implied by the pattern. None when the pattern
    has a construct this does not follow (the guard would then be no help or not implied).
    """
    prefixes = start_prefixes(pattern, k)
    if prefixes is None or () in prefixes or len(prefixes) > 400:
        return None
    return _trie(prefixes)


def _trie(prefixes: set[tuple[str, ...]]) -> str:
    """The alternatives ``prefixes`` as a regex factored on their first items ("ab|ac|b" is
    "a[bc]|b"): ``re`` tries a lookahead's alternatives one after the other, so a flat list of
    a hundred prefixes costs a hundred tests at every word, the factored one a few. "" when the
    empty prefix is among them (anything holds)."""
    if () in prefixes:
        return ""
    heads: dict[str, set[tuple[str, ...]]] = {}
    for prefix in prefixes:
        heads.setdefault(prefix[0], set()).add(prefix[1:])
    # literals that end a prefix go in one class; every other head with its factored tail
    ends = sorted(h for h, rests in heads.items() if rests == {()} and not isinstance(h, _Class))
    parts = [_one_of(ends)] if ends else []
    for head in sorted(heads.keys() - set(ends)):
        tail = _trie(heads[head])
        atom = head if isinstance(head, _Class) else re.escape(head)
        parts.append(atom + (tail if "|" not in tail else "(?:" + tail + ")"))
    return "|".join(parts)


def _one_of(chars: list[str]) -> str:
    escaped = "".join(re.escape(c) for c in chars)
    return escaped if len(chars) == 1 else "[" + escaped + "]"


def _atoms(op, av, sre) -> list[str] | None:
    """The characters one character-consuming node can match: literals, or a class."""
    if op is sre.LITERAL:
        return [chr(av)]
    if op is sre.ANY or op is sre.NOT_LITERAL:
        return [_WILD]
    if op is sre.IN:
        chars: list[str] = []
        for item_op, item in av:
            if item_op is sre.LITERAL:
                chars.append(chr(item))
            elif item_op is sre.RANGE and item[1] - item[0] < 64:
                chars.extend(chr(c) for c in range(item[0], item[1] + 1))
            elif item_op is sre.CATEGORY and item is sre.CATEGORY_DIGIT and len(av) == 1:
                return [_Class("\\d")]
            elif item_op is sre.CATEGORY and item is sre.CATEGORY_SPACE and len(av) == 1:
                return [_Class("\\s")]  # "in\s+" opens on "in ", not on "injured"
            else:
                return [_WILD]
        return sorted(set(chars))
    return None


def _starts(nodes: list, k: int, sre) -> set[tuple[str, ...]] | None:
    """Every tuple of at most ``k`` atoms a match of the node sequence can start with; a tuple
    shorter than ``k`` when the match can end there."""
    current: set[tuple[str, ...]] = {()}
    for op, av in nodes:
        if all(len(p) >= k for p in current):
            break
        if op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
            continue  # zero-width: ignoring it only widens the guard
        if op is sre.SUBPATTERN:
            nxt = _starts(list(av[3].data), k, sre)
        elif op is sre.BRANCH:
            nxt = set()
            for alt in av[1]:
                sub = _starts(list(alt.data), k, sre)
                if sub is None:
                    return None
                nxt |= sub
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            lo, hi, item = av
            one = _starts(list(item.data), k, sre)
            if one is None:
                return None
            nxt = {()} if lo == 0 else set()
            reps = {()}
            for r in range(1, min(hi, k) + 1):
                reps = {(a + b)[:k] for a in reps for b in one}
                if r >= min(lo, k):
                    nxt |= reps
        else:
            atoms = _atoms(op, av, sre)
            if atoms is None:
                return None
            nxt = {(a,) for a in atoms}
        if nxt is None:
            return None
        current = {p if len(p) >= k else (p + n)[:k] for p in current for n in nxt}
    return current


class LiteralStarts:
    r"""Where each of several patterns can start a match in a span of text, found by one
    Aho-Corasick pass (pyahocorasick) over the span for the literal beginnings of their matches.

    Each pattern's possible first characters (``start_prefixes``, up to ``k``) are cut at the
    first character class ("air\s*strikes?" gives "air"). A pattern whose matches can start with
    a class, or with nothing literal at all, is tried at every position (``everywhere``). Every
    match starts with one of those literals, so :meth:`positions` holds every position where a
    pattern can match (what ``finditer_at`` needs): a handful a sentence instead of every word.
    Literals must not be too short: each occurrence costs a step in Python ("in" would be
    everywhere).
    """

    def __init__(self, patterns: list[re.Pattern[str]], k: int = 6) -> None:
        import ahocorasick

        # patterns opening with \b: a literal starting with a word character can only start a
        # match where no word character precedes it (what \b means there)
        bounded = {i for i, p in enumerate(patterns) if _opens_with_boundary(p)}
        self.everywhere: set[int] = set()
        keys: dict[str, set[int]] = {}
        for i, pattern in enumerate(patterns):
            prefixes = start_prefixes(pattern, k)
            if not prefixes or () in prefixes:
                self.everywhere.add(i)
                continue
            literals: set[str] = set()
            for prefix in prefixes:
                lit = ""
                for atom in prefix:
                    if isinstance(atom, _Class):
                        break
                    lit += atom
                if not lit:
                    self.everywhere.add(i)
                    break
                literals.add(lit)
            if i not in self.everywhere:
                for lit in literals:
                    keys.setdefault(lit, set()).add(i)
        self._automaton = ahocorasick.Automaton()
        for lit, owners in keys.items():
            word_led = lit[0].isalnum() or lit[0] == "_"
            at_word_start = tuple(sorted(i for i in owners if word_led and i in bounded))
            anywhere = tuple(sorted(i for i in owners if not (word_led and i in bounded)))
            self._automaton.add_word(lit, (len(lit), anywhere, at_word_start))
        if keys:
            self._automaton.make_automaton()
        self._empty = not keys

    def positions(self, text: str, start: int, end: int) -> dict[int, list[int] | range]:
        """For each pattern that can match in ``text[start:end]``, the ascending positions there
        where it can start (a ``range`` of every position for a pattern tried everywhere)."""
        out: dict[int, list[int] | range] = {}
        if not self._empty:
            # iter() over the slice: with start/end arguments pyahocorasick converts the whole
            # text on every call, quadratic over the sentences of a 50 MB article
            for last, (size, anywhere, at_word_start) in self._automaton.iter(text[start:end]):
                p = start + last - size + 1
                owners = anywhere
                if at_word_start:
                    ch = text[p - 1] if p else " "
                    if not (ch.isalnum() or ch == "_"):
                        owners = anywhere + at_word_start
                for i in owners:
                    found = out.get(i)
                    if found is None:
                        out[i] = [p]
                    elif found[-1] != p:  # type: ignore[index]
                        found.append(p)  # type: ignore[union-attr]
        for found in out.values():
            found.sort()  # type: ignore[union-attr]
        for i in self.everywhere:
            out[i] = range(start, end)
        return out


def _opens_with_boundary(pattern: re.Pattern[str]) -> bool:
    """Whether every match of ``pattern`` must start at a ``\\b`` (its first node is one)."""
    try:
        from re import _parser as sre

        tree = sre.parse(pattern.pattern, pattern.flags)
        op, av = tree.data[0]
        return op is sre.AT and av is sre.AT_BOUNDARY
    except Exception:  # noqa: BLE001 - any surprise in re's private parser: no shortcut
        return False


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literal strings of which every match of ``pattern`` contains at least one, worked out
    from its syntax tree: in a sequence, the run of literal characters (or the alternation)
    whose shortest string is the longest; in an alternation, one such set per alternative,
    joined. None when a match need contain no literal at all (or the pattern has a
    construct this does not follow, or is case-insensitive)."""
    try:
        from re import _parser as sre

        if pattern.flags & re.IGNORECASE:
            return None
        found = _required(list(sre.parse(pattern.pattern, pattern.flags).data), sre)
    except Exception:  # noqa: BLE001 - any surprise in re's private parser: no prefilter
        return None
    return tuple(sorted(found)) if found else None


def _required(nodes: list, sre) -> set[str] | None:
    """The best set of strings one of which every match of the node sequence contains."""
    options: list[set[str]] = []
    run = ""
    for op, av in nodes:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            options.append({run})
            run = ""
        inner = None
        if op is sre.SUBPATTERN:
            inner = _required(list(av[3].data), sre)
        elif op is sre.BRANCH:
            alternatives = [_required(list(alt.data), sre) for alt in av[1]]
            if all(alternatives):
                inner = set().union(*alternatives)  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            inner = _required(list(av[2].data), sre)
        if inner:
            options.append(inner)
    if run:
        options.append({run})
    # the most telling: the set whose shortest string is longest, then the smallest set
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


class Prefiltered:
    """``pattern`` searched only where the span holds one of its :func:`required_literals` (a
    plain string search each, far cheaper than a search for a pattern anchored at the end of
    the span, which ``re`` tries at every position): the same result as ``pattern.search``."""

    __slots__ = ("needles", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        needles = required_literals(pattern)
        if needles is None:
            raise ValueError(f"no literal that every match of {pattern.pattern!r} contains")
        self.pattern = pattern
        self.needles = needles

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        for needle in self.needles:
            if text.find(needle, pos, endpos) >= 0:
                return self.pattern.search(text, pos, endpos)
        return None
