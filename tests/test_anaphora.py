"""Descriptions that point back to named places: "both crossings", "the same crossing"."""

from __future__ import annotations

import datetime as dt

from pipeline.anaphora import head_noun, resolve
from pipeline.extract import extract
from pipeline.model import Article

TODAY = dt.date(2026, 11, 22)


def _resolved(matcher, text: str) -> list[tuple[str, str]]:
    found, blocked = matcher.find(text)
    return [(m.place_id, m.text) for m in resolve(text, found, matcher.nouns, taken=[(s, e) for s, e, _ in blocked])]


def test_the_nouns_come_from_the_curated_gazetteers_names(matcher):
    assert matcher.nouns == {"crossing": {"jarinje_crossing", "brnjak_crossing"}, "bridge": {"ibar_bridge"}}
    places = matcher.gazetteer.places
    assert head_noun(places["ibar_bridge"]) == "bridge"  # "Ibar bridge (Mitrovica)"
    assert head_noun(places["north_mitrovica"]) is None and head_noun(places["zvecan"]) is None


def test_both_and_the_same_point_back_to_the_places_named_last(matcher):
    pair = [("jarinje_crossing", "both crossings"), ("brnjak_crossing", "both crossings")]
    assert _resolved(matcher, "Serbs blocked the roads to Jarinje and Brnjak. Police closed both crossings.") == pair
    assert _resolved(matcher, "Serbs blocked Jarinje and Brnjak. Both crossings were shut.") == [
        ("jarinje_crossing", "Both crossings"), ("brnjak_crossing", "Both crossings")]
    assert _resolved(matcher, "Serbs came to Jarinje and Brnjak. Police sealed the two border crossings.") == [
        ("jarinje_crossing", "the two border crossings"), ("brnjak_crossing", "the two border crossings")]
    assert _resolved(matcher, "He was held at Jarinje in March. It was at the same crossing that police "
                              "arrested another man.") == [("jarinje_crossing", "the same crossing")]
    assert _resolved(matcher, "A crowd met on the main bridge over the Ibar. The same bridge was shut.") == [
        ("ibar_bridge", "The same bridge")]
    assert _resolved(matcher, "Serbs blocked Jarinje and Brnjak. The two crossing points were shut.") == [
        ("jarinje_crossing", "The two crossing points"), ("brnjak_crossing", "The two crossing points")]
    # a date or a nearby place after it is no name of its own; capitalised words that name no crossing
    for text in ("Serbs blocked Jarinje and Brnjak. Police closed both crossings on Monday.",
                 "Serbs blocked Jarinje and Brnjak. Police closed both crossings near Zubin Potok.",
                 ("Serbs blocked Jarinje and Brnjak. Both crossings were shut. The crossing points stayed shut, "
                  "and police sealed both crossings.")):
        assert _resolved(matcher, text)[-2:] == pair, text


def test_a_description_that_may_mean_another_place_points_nowhere(matcher):
    for text in (
        "Police closed both crossings.",  # nothing named before
        "Serbs blocked the road to Jarinje. Police closed both crossings.",  # one named, two meant
        "Serbs blocked Jarinje and Brnjak. Police were at the same crossing.",  # which one?
        "Serbs blocked Jarinje. Police closed the crossing.",  # a bare "the": maybe generic
        "Serbs blocked Jarinje. Travellers used the Merdare crossing; police closed the same crossing.",
        "Serbs blocked Jarinje. Police came to the same crossing at Merdare.",  # it names its own
        "Serbs blocked Jarinje, the same crossing where police arrested a man.",  # an apposition
        "Serbs blocked Jarinje. Police closed the same crossings.",  # "the same": one
        "Serbs blocked Jarinje and Brnjak. A man was held at one of the two crossings.",  # which?
        "Serbs blocked Jarinje and Brnjak. Shots were fired between the two crossings.",
        "Serbs blocked Jarinje. Police left the Špiljak crossing and closed the same crossing.",
        "Serbs blocked Jarinje and Brnjak. Police closed both\n\ncrossings.",  # not across paragraphs
    ):
        assert _resolved(matcher, text) == [], text


def test_a_second_event_at_both_crossings_is_reported_with_its_own_type(matcher):
    text = ("date 2022-08-01 Roads blocked\n\nOn 31 July, Serbs blocked the roads towards the Jarinjë and "
            "Bërnjak crossings with trucks, and Kosovo Police closed both crossings to traffic that evening.\n")
    art = Article("a", text, "a.txt", published=dt.date(2022, 8, 1))
    ext = extract(art, matcher, today=TODAY)
    got = sorted((c.place.place_id, c.event_type, str(c.when.event_date), c.source.mention) for c in ext.candidates)
    assert got == [
        ("brnjak_crossing", "Protests", "2022-07-31", "Bërnjak"),
        ("brnjak_crossing", "Strategic developments", "2022-07-31", "both crossings"),
        ("jarinje_crossing", "Protests", "2022-07-31", "Jarinjë"),
        ("jarinje_crossing", "Strategic developments", "2022-07-31", "both crossings"),
    ]
    for c in ext.candidates:  # the contract: the mention is the text at its offsets, in its quote
        assert text[c.source.char_start : c.source.char_end] == c.source.mention
        assert c.source.mention in c.source.quote


def test_a_description_counts_as_a_specific_place_in_its_sentence(matcher):
    """Beside "both crossings", a municipality or a region named as context is dropped, as
    beside the crossings' names."""
    text = ("date 2022-08-01 Roads blocked\n\nSerbs blocked the roads to Jarinje and Brnjak on 31 July. In the "
            "municipality of Leposavić, police closed both crossings in northern Kosovo that evening.\n")
    art = Article("a", text, "a.txt", published=dt.date(2022, 8, 1))
    ext = extract(art, matcher, today=TODAY)
    assert {c.place.place_id for c in ext.candidates} == {"jarinje_crossing", "brnjak_crossing"}
    reasons = {d.place_id: d.reason for d in ext.dropped}
    assert reasons["leposavic"] == "administrative unit named as context for a more specific place"
    assert reasons["northern_kosovo"] == "region named beside a more specific place"
