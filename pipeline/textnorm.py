"""Length-preserving text folding for matching: one output character per input character.

Folding is casefold + diacritics removed, so ``Zvečan``, ``ZVEÇAN`` and ``zvecan`` all fold to
``zvecan`` while every offset in the folded text is the offset in the original text.
Cyrillic stays Cyrillic (lower-cased); Cyrillic aliases live in the gazetteer.
"""

from __future__ import annotations

import unicodedata
from functools import cache

_SPECIAL = {
    "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ı": "i", "ß": "s",
    "æ": "a", "Æ": "a", "œ": "o", "Œ": "o", "þ": "t", "ð": "d",
    "’": "'", "‘": "'", "ʼ": "'", "`": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}


@cache
def fold_char(ch: str) -> str:
    """Fold one character to exactly one character."""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch.isascii():
        return ch.lower()
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    base = base.casefold()
    if len(base) == 1:
        return base
    if not base:
        return " "  # a lone combining mark: keep the length, break nothing
    return base[0]


class _FoldTable(dict):
    """A ``str.translate`` table that computes and remembers each character's folding."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Casefold and strip diacritics, keeping ``len(fold(t)) == len(t)``."""
    return text.translate(_TABLE)


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
