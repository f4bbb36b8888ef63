"""Counts in messages: "1 article", "2 articles", "1,204 incidents"; never "article(s)"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` and ``noun``, the noun in the plural unless ``n`` is 1 (``plural`` when the
    plural is not ``noun + "s"``: "duplicate copy", "copies"), with thousands separators."""
    return f"{n:,} {nouns(n, noun, plural)}"


def nouns(n: int, noun: str, plural: str | None = None) -> str:
    """The noun alone, as ``counted`` would write it: "missing column" or "missing columns"."""
    return noun if n == 1 else (plural or noun + "s")
