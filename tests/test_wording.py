"""pipeline.wording: counts in messages read as a person would write them."""

from __future__ import annotations

from pipeline.wording import counted, nouns


def test_one_is_singular_and_every_other_count_plural():
    assert counted(1, "article") == "1 article"
    assert counted(0, "article") == "0 articles"
    assert counted(2, "sources table") == "2 sources tables"
    assert counted(12_345, "incident") == "12,345 incidents"
    assert counted(3, "copy", "copies") == "3 copies" and counted(1, "copy", "copies") == "1 copy"
    assert nouns(1, "column") == "column" and nouns(2, "column") == "columns"
