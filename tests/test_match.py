from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import DateContext, find_expressions, resolve
from pipeline.events import classify
from pipeline.extract import extract
from pipeline.ingest import parse_html, parse_text
from pipeline.model import Article
from pipeline.sentences import sentences
from pipeline.textnorm import fold


def test_fold_keeps_length_and_strips_diacritics():
    for s in ["Zvečan", "ZVEÇAN", "Mitrovicë e Veriut", "Звечан", "Đakovica", "İ", "ﬁne"]:
        assert len(fold(s)) == len(s)
    assert fold("Zvečan") == fold("ZVECAN") == "zvecan"


def test_longest_match_first_and_offsets(matcher):
    text = "Police moved into the northern part of the divided city of Mitrovica and North Mitrovica."
    mentions, _ = matcher.find(text)
    assert [(m.place_id, text[m.start:m.end]) for m in mentions] == [
        ("north_mitrovica", "the northern part of the divided city of Mitrovica"),
        ("north_mitrovica", "North Mitrovica"),
    ]


def test_word_boundaries_and_case(matcher):
    mentions, _ = matcher.find("Minister Xhelal Zvecla spoke; zvecanite and Zvečan-based, ZUBIN POTOK.")
    assert [m.text for m in mentions] == ["Zvečan", "ZUBIN POTOK"]


def test_blockers_swallow_outlets_and_agreements(matcher):
    mentions, blocked = matcher.find("Brief News from Washington Newsday about the Brussels Agreement.")
    assert mentions == []
    assert [r for _, _, r in blocked] == ["outlet name", "agreement or process name"]


def test_cyrillic_and_albanian(matcher):
    mentions, _ = matcher.find("Барикаде у Звечану и Лепосавић; Leposaviq dhe Zveçan.")
    assert {m.place_id for m in mentions} >= {"leposavic", "zvecan"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_matches_cleanly(matcher, text):
    mentions, blocked = matcher.find(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert fold(m.text) in matcher.gazetteer.names
    spans = sorted([(m.start, m.end) for m in mentions] + [(s, e) for s, e, _ in blocked])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # no overlaps


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(
    ["Jarinje", "Zvečan", "Belgrade", "Pristina's", "protesters", "blocked", "roads", "in", "on", "Monday",
     "the", "near", "2 km from", "“", "”", ".", ",", "Mitrovica", "northern Kosovo", "closed", "–", "\n\n",
     "Звечан", "date 2022-12-12 ", "said", "troops", "deployed"]), max_size=40))
def test_extract_never_fails_and_offsets_hold(matcher, words):
    text = " ".join(words)
    art = Article("a", text, "a.txt", published=dt.date(2022, 12, 12))
    ext = extract(art, matcher, today=dt.date(2026, 11, 22))
    for c in ext.candidates:
        assert text[c.source.char_start : c.source.char_end] == c.source.mention
        w = c.when
        assert w.start <= w.event_date <= w.end


def test_a_number_before_a_full_stop_ends_the_sentence_an_initial_does_not():
    text = "A mob torched cars in Zvečan on April 3. Residents set up barricades. A. Vucic spoke."
    assert [text[s.start : s.end] for s in sentences(text)] == [
        "A mob torched cars in Zvečan on April 3.", "Residents set up barricades.", "A. Vucic spoke.",
    ]


def test_event_types():
    def kind(sentence, place):
        i = sentence.index(place)
        t = classify(sentence, 0, len(sentence), i, i + len(place))
        return (t.event_type, t.sub_event_type) if t else None

    assert kind("Serb protesters clashed with KFOR troops in Zveçan.", "Zveçan") == ("Riots", "Violent demonstration")
    assert kind("Protesters camped at Jarinje.", "Jarinje") == ("Protests", "Peaceful protest")
    # the protest's nearer word does not make a clash or a broken-up protest peaceful
    assert kind("Police clashed with protesters in Zvečan.", "Zvečan") == ("Riots", "Violent demonstration")
    assert kind("Police fired tear gas at protesters at Jarinje.", "Jarinje") == ("Protests", "Protest with intervention")
    for sentence in (  # trouble named in the sentence, but not of this protest
        "Protesters marched in Zvečan, and police clashed with youths in Leposavić.",
        "Protesters marched in Zvečan and police clashed with youths in Leposavić.",
        "Hundreds rallied in Zvečan against last week's clashes in Leposavić.",
        "A peaceful protest in Zvečan ended without clashes.",
        "Protesters gathered in Zvečan and no clashes were reported.",
        "Demonstrators in Zvečan denounced the mob that attacked journalists in Banjska.",
        "Protesters in Zvečan remembered the victims of the 2004 riots.",
    ):
        assert kind(sentence, "Zvečan") == ("Protests", "Peaceful protest"), sentence
    assert kind("Serb protesters clashed with police in Zvečan.", "Zvečan") == ("Riots", "Violent demonstration")
    # a protest that turned violent is a riot, wherever the place stands in the sentence
    assert kind("In Zvečan the situation turned violent, and police used tear gas.", "Zvečan") == (
        "Riots", "Violent demonstration")
    assert kind("A protest march turned violent when some tried to break through the cordon in Zvečan.",
                "Zvečan") == ("Riots", "Violent demonstration")
    # force used on the protesters themselves: ACLED's "Excessive force against protesters"
    force = ("Protests", "Excessive force against protesters")
    for sentence in (
        "Police opened fire on protesters in Zvečan.", "Police beat several protesters in Zvečan.",
        "Security forces fired live rounds into the crowd in Zvečan.", "Two protesters were killed in Zvečan.",
    ):
        assert kind(sentence, "Zvečan") == force, sentence
    assert kind("Gunmen opened fire on a police patrol in Zvečan.", "Zvečan") == ("Battles", "Armed clash")
    # denied: no clash, no arrest
    assert kind("A peaceful protest ended without clashes in Zvečan.", "Zvečan") == ("Protests", "Peaceful protest")
    assert kind("There were no arrests in Zvečan.", "Zvečan") is None
    assert kind("No one was arrested in Zvečan.", "Zvečan") is None
    assert kind("In Zvečan the situation had not turned violent.", "Zvečan") is None
    assert kind("The men were not arrested in Zvečan.", "Zvečan") is None
    assert kind("The protest in Zvečan hasn't turned violent so far, police said.", "Zvečan") == (
        "Protests", "Peaceful protest")  # a protest, not a riot
    assert kind("Nobody has been detained in Zvečan so far.", "Zvečan") is None
    assert kind("Police arrested two men in Zvečan without a warrant.", "Zvečan") == ("Strategic developments", "Arrests")
    assert kind("A grenade explosion outside a cafe in Vushtrri.", "Vushtrri") == ("Explosions/Remote violence", "Grenade")
    assert kind("Serbia threatened to send troops to Jarinje.", "Jarinje") is None
    assert kind("Vucic said in Belgrade that he hoped for calm.", "Belgrade") is None
    # "had been fired", people "seized", weapons seized, vehicles parked across the roads
    assert kind("KFOR said shots had been fired near one of its patrols in the area of Zubin Potok.",
                "Zubin Potok") == ("Battles", "Armed clash")
    assert kind("Kurti said the officers were seized in the Leposavic area.", "Leposavic") == (
        "Strategic developments", "Arrests")
    assert kind("Police seized automatic weapons and ammunition in Zvečan.", "Zvečan") == (
        "Strategic developments", "Disrupted weapons use")
    assert kind("Residents parked trucks and cars across the main streets of Zvečan.", "Zvečan") == (
        "Protests", "Peaceful protest")
    assert kind("Residents parked their cars in Zvečan.", "Zvečan") is None
    # however the vehicles came to stand across the road, nearer than a closure said after it
    for verb in ("stopped about thirty", "put a truck and two", "left their", "lined up"):
        assert kind(f"In Zvečan drivers {verb} trucks across the road after the closure of the offices.",
                    "Zvečan") == ("Protests", "Peaceful protest"), verb
    assert kind("In Zvečan police stopped a car across the road from the station.", "Zvečan") is None


def _places(matcher, text: str, published=dt.date(2022, 12, 27)) -> dict[str, str]:
    """place_id -> what the article reports there (event type), or why the mention was dropped."""
    art = Article("a", text, "a.txt", published=published)
    return _reported(extract(art, matcher, today=dt.date(2026, 11, 22)))


def _reported(ext) -> dict[str, str]:
    return {c.place.place_id: c.event_type for c in ext.candidates} | {
        d.place_id: d.reason for d in ext.dropped if d.place_id and d.place_id not in
        {c.place.place_id for c in ext.candidates}}


def test_undated_sentences_of_a_story_take_the_day_its_lead_gives(matcher):
    text = ("date 2021-10-14 Clashes in Mitrovica\n\n"
            "Police fired tear gas at crowds in North Mitrovica on October 13.\n\n"
            "Hundreds of Serbs protested in Zvečan.")
    art, _ = parse_text(text, "a", "a.txt", today=dt.date(2026, 11, 22))
    ext = extract(art, matcher, today=dt.date(2026, 11, 22))
    assert art.published == dt.date(2021, 10, 14)
    when = {c.place.place_id: c.when for c in ext.candidates}
    assert when["zvecan"].event_date == dt.date(2021, 10, 13)
    assert (when["zvecan"].start, when["zvecan"].end) == (dt.date(2021, 10, 13), dt.date(2021, 10, 14))
    assert when["north_mitrovica"].precision == 1


def test_the_north_of_a_divided_city_said_in_other_words(matcher):
    for text in (
        "On Tuesday they put up new barricades in the northern part of the divided town of Mitrovica.",
        "Police fired tear gas at crowds in the Serb-majority part of the divided city of Mitrovica.",
        "Protesters blocked roads in Mitrovica's Serb-run north on Tuesday.",
        "Thousands protested in Kosovska Mitrovica on Tuesday.",
    ):
        assert _places(matcher, text) == {"north_mitrovica": "Protests"}, text
    # a place north of the town is not its north; the south stays the south
    assert "north_mitrovica" not in _places(matcher, "Serbs rallied at Rudare, just north of Mitrovica.")
    assert _places(matcher, "Protesters rallied in the southern part of Mitrovica.") == {"south_mitrovica": "Protests"}


def test_where_people_came_from_is_not_where_it_happened(matcher):
    text = ("Several thousand Serbs protested in North Mitrovica on Monday. Citizens also came to the "
            "protest from Zvečan, Leposavić and Zubin Potok, as well as from Serb communities "
            "south of the Ibar such as Gračanica.")
    found = _places(matcher, text)
    assert found.pop("north_mitrovica") == "Protests"
    assert set(found.values()) == {"where people came from, not where it happened"}, found
    assert len(found) == 4
    found = _places(matcher, "Protesters at the barricade in Rudare, many of them from nearby Leposavic, stayed.")
    assert found["rudare"] == "Protests" and found["leposavic"].startswith("where people came from")
    # where a march set off from: "marched towards the bridge from South Mitrovica"
    found = _places(matcher, "Thousands of Albanians marched towards the Ibar bridge from South Mitrovica.")
    assert found == {"ibar_bridge": "Protests", "south_mitrovica": "where people came from, not where it happened"}
    found = _places(matcher, "Protesters marched from the town hall in Zvečan to the police station.")
    assert found == {"zvecan": "Protests"}  # where the march was, not where its people came from
    # a patrol that came under fire from gunmen is where it happened
    assert _places(matcher, "A patrol came under fire from gunmen in Zvečan and Banjska on Monday.") == {
        "zvecan": "Battles", "banjska": "Battles"}


def _kind(text: str, place: str) -> tuple[str, str]:
    i = text.index(place)
    k = classify(text, 0, len(text), i, i + len(place))
    return (k.event_type, k.sub_event_type)


def test_fire_set_by_no_crowd_is_property_destruction_by_a_crowd_a_riot():
    assert _kind("The fire broke out late Friday in the municipal building in Zubin Potok and burned "
                 "down the registration office.", "Zubin Potok") == ("Strategic developments", "Looting/property destruction")
    assert _kind("An angry mob torched two police vehicles in Zvečan.", "Zvečan") == ("Riots", "Mob violence")
    assert _kind("In Zvečan, protesters threw stones at police and set at least one car on fire.",
                 "Zvečan") == ("Riots", "Violent demonstration")
    assert _kind("Protesters torched two police cars in Zvečan.", "Zvečan") == ("Riots", "Violent demonstration")


def test_stun_grenades_against_a_crowd_are_crowd_control_not_an_attack():
    assert _kind("Police fired tear gas and stun grenades to disperse crowds in Zvečan.", "Zvečan") == (
        "Protests", "Protest with intervention")
    assert _kind("Unknown men threw a stun grenade at a EULEX patrol near Rudare.", "Rudare") == (
        "Explosions/Remote violence", "Grenade")


def test_a_place_that_only_locates_the_one_before_it_is_dropped(matcher):
    locates = "locates the place named before it"
    for text in (
        "Thousands of Serbs rallied at the main barricade, in the village of Rudare near Zvečan.",
        "Protesters blocked the road at Brnjak, close to Zubin Potok, on Tuesday.",
        "Serbs set up a barricade at Jarinje, 10 km north of Leposavić, on Tuesday.",
        "Serbs set up a barricade in Rudare, some three hundred metres from Zvečan, on Tuesday.",
    ):
        found = _places(matcher, text)
        assert list(found.values()).count(locates) == 1, text
        assert "Protests" in found.values(), text
    found = _places(matcher, "Thousands of Serbs rallied in Rudare near Zvečan.")
    assert found == {"rudare": "Protests", "zvecan": locates}
    found = _places(matcher, "A police car was set on fire in North Mitrovica, in Kralja Petra I Street, "
                             "some two hundred metres from the main bridge over the Ibar.")
    assert found == {"north_mitrovica": "Strategic developments", "ibar_bridge": locates}
    # a narrower place after "near" is where it happened; places joined otherwise both count
    assert _places(matcher, "Serbs protested in Leposavić near Jarinje.") == {
        "leposavic": "Protests", "jarinje_crossing": "Protests"}
    assert _places(matcher, "Serbs protested in Leposavić and near Zvečan.") == {
        "leposavic": "Protests", "zvecan": "Protests"}


def test_a_region_beside_a_specific_place_only_gives_the_setting(matcher):
    found = _places(matcher, "Police fired tear gas in North Mitrovica, in the worst violence in northern Kosovo this year.")
    assert found == {"north_mitrovica": "Protests", "northern_kosovo": "region named beside a more specific place"}
    # alone, or beside only a capital or a dateline, the region is the place
    assert _places(matcher, "Protesters clashed with police in northern Kosovo.") == {"northern_kosovo": "Riots"}
    assert _places(matcher, "Serbs blocked roads in northern Kosovo after Pristina's decision.")["northern_kosovo"] == "Protests"
    found = _places(matcher, "ZVEČAN, Kosovo – Serbs blocked roads in northern Kosovo on Monday.")
    assert found["northern_kosovo"] == "Protests" and found["zvecan"] == "dateline"


def test_the_second_batchs_dev_errors(matcher):
    """Rules made from the dev half of the second held-out batch (h17, h19, h21, h25)."""
    locates = "locates the place named before it"
    road = "end of a road that locates the place named before it"
    # a place an appositive locates: "Rudare, a village just outside Zvečan"
    found = _places(matcher, "A barricade went up near Rudare, a village just outside Zvecan on the main road "
                             "north to Leposavic.")
    assert found == {"rudare": "Protests", "zvecan": locates, "leposavic": road}
    found = _places(matcher, "Gunmen ambushed a patrol at the village of Banjska, just off the main road from "
                             "Zvecan to Leposavic.")
    assert found == {"banjska": "Battles", "zvecan": road, "leposavic": road}
    # with no place before it, or another event between them, the road's end is where it happened
    assert _places(matcher, "Police arrested two men in Zvecan, and Serbs blocked the road to Jarinje.") == {
        "zvecan": "Strategic developments", "jarinje_crossing": "Protests"}
    assert _places(matcher, "Serbs blocked the road to Jarinje on Monday.") == {"jarinje_crossing": "Protests"}
    assert _places(matcher, "Serbs blocked the roads towards the Jarinje and Brnjak crossings.") == {
        "jarinje_crossing": "Protests", "brnjak_crossing": "Protests"}
    # the places a road is said to link, after a place it runs through (h03)
    found = _places(matcher, "During the day, about 200 Serbs also blocked the main road through Zvecan, which "
                             "links Mitrovica with the Jarinje crossing and the Serbian town of Raska, with cars.")
    assert found == {"zvecan": "Protests", "south_mitrovica": road, "jarinje_crossing": road, "raska": road}
    # a new clause ends the road's description
    assert _places(matcher, "Serbs blocked the road through Zvecan that leads to Jarinje, and police arrested "
                            "two men in Leposavic.") == {
        "zvecan": "Protests", "jarinje_crossing": road, "leposavic": "Strategic developments"}
    # air raid sirens are no raid; a crossing that remains closed, or was closed for years, no closing
    assert _places(matcher, "Air raid sirens sounded for hours in North Mitrovica.") == {
        "north_mitrovica": "no incident reported in the sentence"}
    assert _places(matcher, "Closed to vehicles for more than a decade, the bridge in North Mitrovica is quiet.") == {
        "north_mitrovica": "no incident reported in the sentence"}
    assert _places(matcher, "The Jarinje crossing remained closed.") == {
        "jarinje_crossing": "no incident reported in the sentence"}
    assert _places(matcher, "Police raided a house in Zvecan.") == {"zvecan": "Strategic developments"}
    # vehicles parked across the roads, however they are described
    assert _places(matcher, "Serbs had parked trucks loaded with gravel and other heavy vehicles across the roads "
                            "leading to the Jarinje crossing.") == {"jarinje_crossing": "Protests"}
    # a court's seat; a capital where a statement was made
    venue = "venue of a statement, meeting or visit"
    found = _places(matcher, "Police arrested the man at Jarinje on an indictment issued by the Basic Court in Pristina.")
    assert found == {"jarinje_crossing": "Strategic developments", "pristina": venue}
    assert _places(matcher, "Gunmen attacked the court building in Zvecan.")["zvecan"] == "Battles"
    found = _places(matcher, "In Washington, White House spokesman John Kirby said troops were deployed.")
    assert found == {"washington": venue}
    assert _places(matcher, "In Pristina, protesters blocked the main road, police said.")["pristina"] == "Protests"


def test_the_third_batchs_dev_errors(matcher):
    """Rules made from the dev half of the third held-out batch (h27, h29, h31, h33, h35)."""
    nothing = "no incident reported in the sentence"
    # "May" the month is no modal: the clashes of May 29 happened
    assert _kind("A week ago, on May 29, in Zvečan, there were clashes between citizens and KFOR members.",
                 "Zvečan") == ("Riots", "Violent demonstration")
    assert _places(matcher, "On 29 May police arrested two men in Zvecan.") == {"zvecan": "Strategic developments"}
    assert _places(matcher, "Police said they may arrest more people in Zvecan.") == {"zvecan": nothing}
    # a modal's reach ends at a new clause
    assert _places(matcher, "When the government announced that plates would have to be replaced from 1 "
                            "August, Serbs again blocked the roads to Jarinje.") == {"jarinje_crossing": "Protests"}
    assert _places(matcher, "Officials warned that Serbs could block the roads, the bridges and the crossing "
                            "at Jarinje.") == {"jarinje_crossing": nothing}
    # armed men attacking a country's police; trucks parked across the roads
    assert _places(matcher, "Around 30 armed Serbs attacked Kosovo police in the village of Banjska.")[
        "banjska"] == "Battles"
    assert _places(matcher, "Masked men attacked a KFOR patrol near Zvecan.") == {"zvecan": "Battles"}
    assert _places(matcher, "Local Serbs responded by parking trucks and cars across the roads leading to "
                            "Jarinje.") == {"jarinje_crossing": "Protests"}
    # police that have been stationed somewhere: a state, not a deployment
    assert _places(matcher, "Special police units have been stationed at Jarinje since 2021.") == {
        "jarinje_crossing": nothing}
    assert _places(matcher, "Special police units were stationed at Jarinje on Monday.") == {
        "jarinje_crossing": "Strategic developments"}
    # where an agreement was reached; a person's home town; the place of an offence
    found = _places(matcher, "After an agreement reached in Brussels on 30 September, the special police "
                             "withdrew from Jarinje, and KFOR troops took up positions at the crossing.")
    assert found["brussels"] == "venue of a statement, meeting or visit"
    found = _places(matcher, "On 20 June, police arrested a 61-year-old Serb from Gračanica at Merdare.")
    assert sorted(found.values()) == ["Strategic developments", "where people came from, not where it happened"]
    found = _places(matcher, "On Saturday, the police arrested in Leposavić a young man on suspicion of having "
                             "taken part in the incidents in Zvečan.")
    assert found == {"leposavic": "Strategic developments",
                     "zvecan": "where the offence an arrest or charge is about took place"}
    # a crowd that sets property on fire riots; a peace walk is a protest
    assert _kind("In July 2011, a crowd of masked men set the Jarinje post on fire.", "Jarinje") == (
        "Riots", "Mob violence")
    assert _places(matcher, "Thousands of students held a peace walk through the centre of North Mitrovica.") == {
        "north_mitrovica": "Protests"}
    # a region where another kind of event happened than at the specific places beside it
    found = _places(matcher, "Tensions rose again on Saturday.\n\nWithin hours, barricades went up across "
                             "northern Kosovo, and the police closed Jarinje and Brnjak that evening.")
    assert found == {"northern_kosovo": "Protests", "jarinje_crossing": "Strategic developments",
                     "brnjak_crossing": "Strategic developments"}
    found = _places(matcher, "A crowd gathered at the Ibar bridge, which separates the Serb-majority north from "
                             "the south, and some people threw stones at police.")
    assert found["northern_kosovo"] == "region named beside a more specific place"


SUMMARISED = "region named in the lead; the article reports a place within it"


def test_a_region_in_the_lead_gives_way_to_the_places_within_it_the_article_reports(matcher):
    def reported(text: str) -> dict[str, str]:
        art, _ = parse_text(text, "a", "a.txt", today=dt.date(2026, 11, 22))
        return _reported(extract(art, matcher, today=dt.date(2026, 11, 22)))

    summary = ("date 2021-09-25 Registry offices attacked\n\n"
               "A vehicle registration office in northern Kosovo was set ablaze and grenades were thrown "
               "at another building on Friday.\n\n"
               "The fire broke out late Friday in the municipal building in Zubin Potok and burned down "
               "the registration office.")
    found = reported(summary)
    assert found["northern_kosovo"] == SUMMARISED and found["zubin_potok"] == "Strategic developments"
    # of any type: the lead's words and the later account's need not be typed alike
    found = reported(summary.split("The fire")[0] + "Police arrested two men in Zubin Potok on Friday.")
    assert found["northern_kosovo"] == SUMMARISED and found["zubin_potok"] == "Strategic developments"
    # kept: a place outside the region, another time, the region further down, or in the lead alone
    assert reported(summary.replace("Zubin Potok", "Pristina"))["northern_kosovo"] == "Strategic developments"
    assert reported(summary.replace("broke out late Friday", "broke out on September 2"))[
        "northern_kosovo"] == "Strategic developments"
    later = ("date 2021-09-25 Registry offices attacked\n\n"
             "The fire burned down the registry office in Zubin Potok late Friday.\n\n"
             "Shots were fired at police at several locations in northern Kosovo on Friday.")
    assert reported(later) == {"zubin_potok": "Strategic developments", "northern_kosovo": "Battles"}
    alone = summary.split("\n\nThe fire")[0]
    assert reported(alone) == {"northern_kosovo": "Strategic developments"}
    # not for a background of a year, nor when the region is named again for it beyond the lead
    head = "date 2024-09-24 Protests\n\nSerbs protested across northern Kosovo on Monday.\n\n"
    assert reported(head + "In 2024 police arrested dozens of people in Zvečan.") == {
        "northern_kosovo": "Protests", "zvecan": "Strategic developments"}
    assert reported(head + "Hundreds protested in Zvečan on Monday.\n\n"
                    "Serbs also protested elsewhere in northern Kosovo on Monday.") == {
        "northern_kosovo": "Protests", "zvecan": "Protests"}
    # an undated article's lead and account are of the same (unknown) days
    assert reported("Unrest in the north\n\nSerbs protested across northern Kosovo.\n\n"
                    "Police arrested two men in Zvečan.")["northern_kosovo"] == SUMMARISED


def test_a_heading_on_a_line_of_its_own_dates_the_paragraphs_under_it(matcher):
    """A web page's or a Markdown file's section headings ("<h2>December 2022</h2>",
    "## 2022") date the paragraphs under them, up to the next heading."""
    today = dt.date(2026, 11, 22)

    def dated(art) -> dict[str, object]:
        return {c.place.place_id: c.when for c in extract(art, matcher, today=today).candidates}

    page = ("<html><head><meta name='date' content='2024-09-24'></head><body>"
            "<h1>One year after Banjska</h1><p>A look back at a year in the north.</p>"
            "<h2>December 2022</h2><p>Police arrested a former officer at Jarinje on 10 December.</p>"
            "<p>Serbs put up barricades in Rudare.</p>"
            "<h2>May 2023</h2><p>Serb protesters clashed with KFOR in Zvečan on 29 May.</p>"
            "<h2>What comes next</h2><p>Serbs protested in Leposavić.</p></body></html>")
    when = dated(parse_html(page, "a", "a.html", today)[0])
    assert when["jarinje_crossing"].event_date == dt.date(2022, 12, 10)
    assert (when["rudare"].start, when["rudare"].end) == (dt.date(2022, 12, 1), dt.date(2022, 12, 31))
    assert when["zvecan"].event_date == dt.date(2023, 5, 29)
    # a heading without a date ends the section above it
    assert (when["leposavic"].start, when["leposavic"].end) == (dt.date(2024, 9, 23), dt.date(2024, 9, 24))
    text = ("date 2024-09-24 One year after Banjska\n\nA look back.\n\n## 2022\n\n"
            "Serbs put up barricades in Rudare on 10 December.\n\n"
            "Police arrested a former officer at Jarinje on 12 December.")
    when = dated(parse_text(text, "b", "b.md", today=today)[0])
    assert when["rudare"].event_date == dt.date(2022, 12, 10)
    assert when["jarinje_crossing"].event_date == dt.date(2022, 12, 12)
    # a line not marked as a heading is not one: a caption, a list item, a page's date line
    for line in ("It was 2022.", "Barricades at Rudare in December 2022", "2022"):
        when = dated(parse_text(text.replace("## 2022", line), "c", "c.md", today=today)[0])
        assert when["jarinje_crossing"].event_date == dt.date(2023, 12, 12), line
    page = ("<html><head><meta name='date' content='2024-09-24'></head><body><h1>Tension again</h1>"
            "<p>Serbs blocked roads in Zvečan on Monday.</p><p>Earlier incidents:</p><ul>"
            "<li>29 May 2023 – KFOR soldiers injured</li><li>24 September 2023 – the Banjska attack</li></ul>"
            "<p>Police arrested two men in Leposavić, the ministry said.</p></body></html>")
    assert dated(parse_html(page, "d", "d.html", today)[0])["leposavic"].end == dt.date(2024, 9, 24)


def test_a_backgrounders_paragraph_headings_date_its_events(matcher):
    text = ("date 2024-09-24 One year after Banjska: a look back\n\n"
            "A year ago today, armed Serbs ambushed a police patrol in Banjska.\n\n"
            "December 2022: the barricades. Police arrested a former officer at Jarinje on 10 December. "
            "Serbs put up barricades in Rudare.\n\n"
            "May 2023: the mayors. Serb protesters clashed with KFOR in Zvečan on 29 May.")
    art, _ = parse_text(text, "a", "a.txt", today=dt.date(2026, 11, 22))
    when = {c.place.place_id: c.when for c in extract(art, matcher, today=dt.date(2026, 11, 22)).candidates}
    assert when["banjska"].event_date == dt.date(2023, 9, 24)
    assert when["jarinje_crossing"].event_date == dt.date(2022, 12, 10)
    assert (when["rudare"].start, when["rudare"].end) == (dt.date(2022, 12, 1), dt.date(2022, 12, 31))
    assert when["zvecan"].event_date == dt.date(2023, 5, 29)


def test_a_sentence_that_only_dates_the_incident_before_it_narrows_its_window(matcher):
    """"At the end of February, shots were fired at a patrol near Velji Breg. The incident
    occurred on February 27.": the second sentence dates the first's incident (h29)."""
    today = dt.date(2026, 11, 22)

    def dated(body: str) -> dict[str, object]:
        art, _ = parse_text("date 2024-03-19 Police car burned\n\n" + body, "a", "a.txt", today=today)
        return {c.place.place_id: c.when for c in extract(art, matcher, today=today).candidates}

    told = ("At the end of February, the police reported that shots had been fired at a patrol near Velji "
            "Breg. {} Nobody was hurt.")
    for follow in ("According to the police, the incident occurred on February 27 in the evening.",
                   "The shooting happened on February 27.", "It took place on February 27."):
        when = dated(told.format(follow))["geonames_784508"]
        assert (when.event_date, when.start, when.end, when.precision) == (
            dt.date(2024, 2, 27), dt.date(2024, 2, 27), dt.date(2024, 2, 27), 1), follow
    # not a date outside the window, nor one in a sentence that reports something else, nor a
    # sentence that does not follow in the same paragraph
    for follow in ("The incident occurred on March 2.", "Police arrested a man on February 27.",
                   "\n\nThe incident occurred on February 27."):
        when = dated(told.format(follow))["geonames_784508"]
        assert (when.start, when.end, when.precision) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29), 3), follow


def test_the_fourth_batchs_dev_errors(matcher):
    """Rules made from the dev half of the fourth held-out batch (h37, h39, h41, h43, h45)."""
    today = dt.date(2026, 11, 22)
    # shots fired with words between; arms found at a crossing
    assert _places(matcher, "Unknown persons had fired several shots in its direction near the village of "
                            "Jagnjenica.") == {"geonames_789927": "Battles"}
    assert _kind("At the Merdare border crossing, officers found two pistols and 120 rounds of ammunition "
                 "hidden under the rear seat.", "Merdare") == ("Strategic developments", "Disrupted weapons use")
    # a church's see; where the wounded were taken, or someone is held; a suspect's home town
    found = _places(matcher, "The Diocese of Raska and Prizren says armed men forced their way into the "
                             "monastery in Banjska.")
    assert found["raska"] == found["geonames_786712"] == "a church's see or a title, not a place where anything happened"
    assert found["banjska"] == "Battles"
    found = _places(matcher, "Two men were arrested in Banjska, and a third man, wounded in the leg, was taken "
                             "under guard to the hospital in the northern part of Mitrovica.")
    assert found == {"banjska": "Strategic developments",
                     "north_mitrovica": "where someone was taken to hospital or is held"}
    found = _places(matcher, "Police arrested M.R. from Zvecan at Jarinje on suspicion of war crimes; he is "
                             "still in detention in Pristina.")
    assert found == {"jarinje_crossing": "Strategic developments",
                     "zvecan": "where people came from, not where it happened",
                     "pristina": "where someone was taken to hospital or is held"}
    assert _places(matcher, "Officers arrested the citizen D.M. (52), from Leposavic, at Jarinje.")[
        "leposavic"] == "where people came from, not where it happened"
    # "the main bridge on the Ibar"; a place that only says which town the bridge is in
    found = _places(matcher, "During the night, KFOR increased their presence near the main bridge on the Ibar "
                             "in Severna Mitrovica.")
    assert found == {"ibar_bridge": "Strategic developments", "north_mitrovica": "locates the place named before it"}
    assert _places(matcher, "Serbs protested in Zvečan, in Leposavić and in Zubin Potok.") == {
        "zvecan": "Protests", "leposavic": "Protests", "zubin_potok": "Protests"}
    # "municipalities of X and Y" beside more specific places; a police report's item headers
    found = _places(matcher, "Police also sealed the offices of the Serbian municipalities of Vučitrn and Peć, "
                             "which have operated from Zvečan and Leposavić since 1999.")
    assert found["geonames_787157"] == "administrative unit named as context for a more specific place"
    report = ("date 2024-02-02 Police report\n\n1. Zubin Potok - On 01.02.2024, a patrol reported that shots "
              "had been fired near the village of Jagnjenica.\n\n2. South Mitrovica - On 01.02.2024, police "
              "arrested a man for domestic violence.")
    art, _ = parse_text(report, "a", "a.txt", today=today)
    found = _reported(extract(art, matcher, today=today))
    assert found == {"geonames_789927": "Battles", "zubin_potok": "dateline", "south_mitrovica": "dateline"}
    # the date of the main clause, not of a clause on a later noun
    art, _ = parse_text("date 2025-01-16 Serbs gather\n\nSeveral hundred Serbs gathered at noon today in front "
                        "of the building of the Municipality of Zvečan, which the police sealed yesterday.",
                        "b", "b.txt", today=today)
    (c,) = extract(art, matcher, today=today).candidates
    assert (c.place.place_id, c.when.event_date) == ("zvecan", dt.date(2025, 1, 16))


def test_a_dateless_sentence_that_goes_on_place_by_place_takes_the_date_of_the_one_before(matcher):
    """"In Leposavić, citizens gathered ... yesterday. In Zubin Potok, several hundred citizens
    gathered ...": the second is of the same day (h45); not so a sentence that does not go on
    from a place-led one."""
    today = dt.date(2026, 11, 22)

    def dated(body: str) -> dict[str, object]:
        art, _ = parse_text("date 2023-05-27 Gatherings\n\nCitizens gathered again this morning in Banjska.\n\n"
                            + body, "a", "a.txt", today=today)
        return {c.place.place_id: c.when for c in extract(art, matcher, today=today).candidates}

    when = dated("In Leposavić, citizens gathered in front of the municipal building yesterday, while KFOR "
                 "placed barbed wire around it. In Zubin Potok, several hundred citizens gathered in front of "
                 "the municipal building.")
    assert when["leposavic"].event_date == when["zubin_potok"].event_date == dt.date(2023, 5, 26)
    when = dated("Police said citizens gathered in Leposavić yesterday. In Zubin Potok, several hundred "
                 "citizens gathered in front of the municipal building.")
    assert when["zubin_potok"].event_date == dt.date(2023, 5, 27)  # the lead's day
    when = dated("In Leposavić, citizens gathered in front of the municipal building yesterday. In the "
                 "meantime, several hundred citizens gathered in Zubin Potok.")
    assert when["zubin_potok"].event_date == dt.date(2023, 5, 27)


def test_a_live_blogs_first_entry_is_a_lead_when_its_newest_entry_comes_first(matcher):
    """A live blog puts its newest entry first: the region of its first entry, at the bottom,
    sums up what the later entries place (h37), as a lead does."""
    today = dt.date(2026, 11, 22)
    entries = ["22:15 - Police say two men were arrested this evening in Banjska.",
               "12:30 - Gunmen ambushed a police patrol in Banjska, police say.",
               "07:30 - Welcome to our live coverage of northern Kosovo, where gunmen ambushed a patrol overnight."]

    def found(order: list[str]) -> dict[str, str]:
        text = "date 2023-09-24 LIVE: Banjska\n\nOur live blog.\n\n" + "\n\n".join(order)
        art, _ = parse_text(text, "a", "a.txt", today=today)
        return _reported(extract(art, matcher, today=today))

    assert found(entries)["northern_kosovo"] == "region named in the lead; the article reports a place within it"
    # times that do not only go back: no live blog read so, the region stays
    assert found([entries[1], entries[0], entries[2]])["northern_kosovo"] == "Battles"


def test_the_fifth_batchs_dev_errors(matcher):
    """Rules made from the dev half of the fifth held-out batch (h47, h49, h51, h53, h55)."""
    today = dt.date(2026, 11, 22)
    # a label before a colon: a speaker (a surname that is also a village), an item's heading
    text = ("date 2024-02-20 Interview\n\nQ: What do you want?\n\nDobric: That we are not a barricade.\n\n"
            "LEPOSAVIC: Police arrested two men near Kajkovo on Monday.")
    art, _ = parse_text(text, "a", "a.txt", today=today)
    found = _reported(extract(art, matcher, today=today))
    label = "a label before a colon (a speaker's name, an item's heading)"
    assert found["geonames_830519"] == found["leposavic"] == label
    assert "Strategic developments" in found.values()
    # a grenade found is a seizure (not "found that" a grenade was thrown)
    assert _kind("Last Friday a patrol found a hand grenade next to the road near Crepulja.", "Crepulja") == (
        "Strategic developments", "Disrupted weapons use")
    assert _kind("Police found that a hand grenade had been thrown at the house in Zvečan.", "Zvečan") == (
        "Explosions/Remote violence", "Grenade")
    assert _kind("Police fired tear gas and stun grenades at the crowd in Zvečan.", "Zvečan") == (
        "Protests", "Protest with intervention")
    # armoured personnel carriers; where a column was going
    found = _places(matcher, "On Tuesday a column of around 20 APCs drove through the centre of Raska, "
                             "direction Jarinje.")
    assert found == {"raska": "Strategic developments", "jarinje_crossing": "where they were going, not where they were"}
    # "13. 10. 2021.", as Serbian outlets write dates
    art, _ = parse_text("date 2021-10-14 Raid\n\nOn 13. 10. 2021., police arrested five men in Zvečan.",
                        "b", "b.txt", today=today)
    (c,) = extract(art, matcher, today=today).candidates
    assert c.when.event_date == dt.date(2021, 10, 13)


def test_questions_and_claims_the_text_could_not_verify_report_nothing(matcher):
    """A journalist's question in a transcript, a sentence that asks, and what the writer says
    they could not verify (from the dev half of the fifth batch: h49, h51)."""
    question = "a question, not a report"
    found = _places(matcher, "Q (Kallxo): There are reports that the police closed the Jarinje crossing for an "
                              "hour on Tuesday. Was KFOR informed?")
    assert found == {"jarinje_crossing": question}
    found = _places(matcher, "Question: Did the police close the road in Zvečan on Tuesday?")
    assert found == {"zvecan": question}
    assert _places(matcher, "Why did the police arrest two men in Zvečan on Monday?") == {"zvecan": question}
    # the answer, and a sentence that asks before it reports, still report
    assert _places(matcher, "SPOKESPERSON: On Tuesday night, shots were fired at a KFOR patrol near the village "
                            "of Rezala.") == {"geonames_786323": "Battles"}
    assert _places(matcher, "Was it planned? Police arrested two men in Zvečan on Monday.") == {
        "zvecan": "Strategic developments"}
    unverified = "a claim the text says it could not verify"
    assert _places(matcher, "6/ What we could NOT verify: two viral videos claiming tanks near Kursumlija and near "
                            "the Merdare crossing are old.")["geonames_788029"] == unverified
    assert _places(matcher, "Unverified footage showed armoured vehicles in Raska on Sunday.") == {"raska": unverified}
    # verified, or verifying something else in another sentence: reported
    assert _places(matcher, "Armoured vehicles were deployed in Raska on Sunday. Reuters could not independently "
                            "verify the number.") == {"raska": "Strategic developments"}


def test_forces_taking_over_a_crossing_and_a_date_written_day_dot_month_dot_year(matcher):
    """From the dev half of the fifth batch (h53): "On 20. 9. 2021., ROSU occupied the
    administrative crossings Jarinje and Brnjak": one sentence (the dots of "20." and "9." end
    no sentence), dated by it, and the occupation of a crossing is a transfer of territory."""
    text = ("date 2021-10-14 Bloody Wednesday\n\nSpecial units entered the north yesterday. This is the second "
            "time in less than a month. On 20. 9. 2021., ROSU occupied the administrative crossings Jarinje and "
            "Brnjak because of the decision on licence plates.")
    spans = [text[s.start:s.end] for s in sentences(text)]
    assert "On 20. 9. 2021., ROSU occupied the administrative crossings Jarinje and Brnjak because of the " \
           "decision on licence plates." in spans
    # the year's dot may end a sentence; a number's dot before another number still does
    other = "Police came on 13. 10. 2021. Nobody was hurt. He was 5. 10 men came."
    spans = [other[s.start:s.end] for s in sentences(other)]
    assert spans == ["Police came on 13. 10. 2021.", "Nobody was hurt.", "He was 5.", "10 men came."]
    today = dt.date(2026, 11, 22)
    art, _ = parse_text(text, "a", "a.txt", today=today)
    found = {c.place.place_id: (c.event_type, c.when.event_date) for c in extract(art, matcher, today=today).candidates}
    assert found == {p: ("Strategic developments", dt.date(2021, 9, 20)) for p in ("jarinje_crossing", "brnjak_crossing")}
    assert _kind("Special police took over the border crossing at Jarinje.", "Jarinje") == (
        "Strategic developments", "Non-violent transfer of territory")
    # not where people live
    assert _places(matcher, "Zvečan is a town occupied mostly by Serbs.") == {"zvecan": "no incident reported in the sentence"}


def test_someone_turned_back_at_a_crossing_and_where_they_tried_to_go(matcher):
    """From the dev half (h07): "Patriarch Porfirije was turned back at the Merdare crossing as
    he tried to travel to the Pec Patriarchate": an event at the crossing (Strategic
    developments), none where he was going."""
    found = _places(matcher, "On Monday, the head of the Serbian Orthodox Church, Patriarch Porfirije, was turned "
                             "back at the Merdare crossing as he tried to travel to the Pec Patriarchate.")
    assert found == {"geonames_788029": "Strategic developments", "geonames_787157": "where they were going, not where they were"}
    assert _kind("Two Serbian ministers were denied entry at Jarinje on Friday.", "Jarinje") == (
        "Strategic developments", "Other")
    # not a turn-back that did not happen
    assert _places(matcher, "The delegation was not turned back at Jarinje.") == {
        "jarinje_crossing": "no incident reported in the sentence"}


def test_some_of_a_crowd_throwing_stones_later_in_the_sentence_makes_it_a_riot(matcher):
    """From the dev half (h03): the gathering's place is in its own clause, the stones come after
    it, thrown by "some people" of the same crowd: a violent demonstration."""
    text = ("A crowd gathered at the northern end of the main bridge over the Ibar, which separates the north "
            "from the south, and some people threw stones at police vehicles.")
    assert _kind(text, "main bridge over the Ibar") == ("Riots", "Violent demonstration")
    assert _kind("Hundreds gathered in Zvečan, and several of them threw rocks at the police.", "Zvečan") == (
        "Riots", "Violent demonstration")
    # stones thrown by others, somewhere the sentence does not tie to the crowd: still a protest
    assert _kind("A crowd gathered in Zvečan, while in Leposavić unknown persons threw stones at a car.",
                 "Zvečan") == ("Protests", "Peaceful protest")


def test_the_sixth_batchs_dev_errors(matcher):
    """Rules made from the dev half of the sixth held-out batch (h57-h65)."""
    pub = dt.date(2024, 6, 10)
    ctx = DateContext(published=pub, max_year=2026)

    def window(text: str) -> tuple:
        (expr,) = find_expressions(text)
        w = resolve(expr, ctx)
        return (w.event_date, w.start, w.end)

    # a weekly update's "On 04/06," (day/month), and "04/06/2024"
    assert window("On 04/06, the KP arrested a man.") == (dt.date(2024, 6, 4),) * 3
    assert window("Tuesday 26/9: a column of APCs") == (dt.date(2023, 9, 26),) * 3  # after publication: a year back
    assert window("On 04/06/2023 police arrested a man.") == (dt.date(2023, 6, 4),) * 3
    assert find_expressions("a 2/3 majority of 10/20 votes") == []
    # a night from one day to the next
    assert window("During the night of 3 to 4 June, unknown perpetrators") == (None, dt.date(2024, 6, 3), dt.date(2024, 6, 4))
    assert window("in the night between November 2 and 3 in Suvi Do") == (None, dt.date(2023, 11, 2), dt.date(2023, 11, 3))
    # administrative context in brackets; a village's name that speaks; a resident of; held in
    found = _places(matcher, "On 03/06, unknown perpetrators set fire to a car in the village of Lipovica "
                             "(Zvečan/Zveçan municipality).")
    assert found["zvecan"] == "administrative unit named as context for a more specific place"
    assert _places(matcher, "Police arrested two men in Zvečan. Petković said that the arrests were illegal.")[
        "geonames_787097"] == "person name (a surname that is also a village)"
    found = _places(matcher, "On Tuesday a car belonging to a resident of Cerajë was stoned by young men near "
                             "the village of Pridvoricë, on the road Leposaviq - Zveçan.")
    assert found["geonames_791990"] == "where people came from, not where it happened"
    assert found["leposavic"] == found["zvecan"] == "end of a road that locates the place named before it"
    assert [v for k, v in found.items() if k not in ("geonames_791990", "leposavic", "zvecan")] == ["Riots"]
    assert _places(matcher, "He was arrested at Jarinje and taken to the detention unit in Pristina.")["pristina"] == (
        "where someone was taken to hospital or is held")
    # "unconfirmed" is unverified
    assert _places(matcher, "According to unconfirmed information, another Serb was detained at the Brnjak "
                            "crossing.") == {"brnjak_crossing": "a claim the text says it could not verify"}
    # weapons named before "seized", a single rifle; the closed branch is not a closure; captions
    # in the present tense; what they rally against is not the event; tombstones damaged
    assert _kind("Kosovo police show rifles, hand grenades and ammunition seized in a house in Žitkovac.",
                 "Žitkovac") == ("Strategic developments", "Disrupted weapons use")
    assert _kind("During a search of his house in Zečeviće, the police found an automatic rifle.", "Zečeviće") == (
        "Strategic developments", "Disrupted weapons use")
    assert _kind("Police used pepper spray to push back pensioners who had gathered in front of the closed "
                 "branch of the bank in Leposavić.", "Leposavić")[0] == "Protests"
    assert _kind("Several hundred Serbs gather in front of the sealed building in North Mitrovica.",
                 "North Mitrovica") == ("Protests", "Peaceful protest")
    assert _kind("Serbs rallied in the centre of Gračanica against the closure of the post office.",
                 "Gračanica") == ("Protests", "Peaceful protest")
    assert _kind("The police closed the post office in Gračanica.", "Gračanica") == ("Strategic developments", "Other")
    assert _kind("Unknown perpetrators damaged eleven tombstones in the cemetery in Parteš.", "Parteš") == (
        "Strategic developments", "Looting/property destruction")


def test_the_seventh_batchs_dev_errors(matcher):
    """Rules made from the dev half of the seventh held-out batch (h67-h75)."""
    ctx = DateContext(published=dt.date(2023, 8, 12), max_year=2026)

    def window(text: str) -> tuple | None:
        (expr,) = find_expressions(text)
        w = resolve(expr, ctx)
        return w and (w.event_date, w.start, w.end)

    # a day or a month "last year", "last December", "this March"
    assert window("on 24 September last year a sergeant was killed") == (dt.date(2022, 9, 24),) * 3
    assert window("on September 24 this year") is None  # after publication
    assert window("last December, when Serbs blocked the road")[1:] == (dt.date(2022, 12, 1), dt.date(2022, 12, 31))
    assert window("in December last year")[1:] == (dt.date(2022, 12, 1), dt.date(2022, 12, 31))
    assert window("last August")[1:] == (dt.date(2022, 8, 1), dt.date(2022, 8, 31))
    assert window("this March")[1:] == (dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    assert window("this December") is None
    # neither ... nor denies; weapons found in a list with grenades; a checkpoint set up
    assert _places(matcher, "No police unit was present in Jelakce, and the man was neither stopped nor "
                            "detained.") == {"geonames_789819": "no incident reported in the sentence"}
    assert _kind("In April we found thirty rifles and two boxes of grenades in a house in Bube.", "Bube") == (
        "Strategic developments", "Disrupted weapons use")
    assert _kind("Police seized two rifles, one hand grenade and ammunition in Zvečan.", "Zvečan") == (
        "Strategic developments", "Disrupted weapons use")
    assert _kind("A hand grenade was thrown at a police patrol in Zvečan.", "Zvečan")[0] == "Explosions/Remote violence"
    assert _kind("On 17 March, the Police set up a checkpoint at the entrance to the village of Lozno.", "Lozno") == (
        "Strategic developments", "Change to group/activity")
    assert _kind("Serbs got stuck on the road below Brnjak when Serbs blocked it with trucks.", "Brnjak")[0] == "Protests"
    # where people live, beside where they did it; a road named by its ends, near a place
    found = _places(matcher, "On Thursday, 21 March, about 60 residents of Kruščica and Majdevo blocked the "
                             "regional road Leposavić – Lešak near Majdevo for about two hours.")
    assert found["geonames_788982"] == "where people came from, not where it happened"  # Kruščica
    assert found["geonames_788352"] == "Protests"  # Majdevo
    found = _places(matcher, "Yesterday about forty residents of Zubin Potok blocked the road leading to the "
                             "Bërnjak crossing for about two hours.")
    assert found == {"zubin_potok": "where people came from, not where it happened", "brnjak_crossing": "Protests"}
    assert _places(matcher, "Residents of Banjska blocked the road on Monday.") == {"banjska": "Protests"}
    assert _places(matcher, "Nine days later, people from Kruščica went out on the road to Lešak and were met by "
                            "armoured vehicles.")["geonames_788982"] == "where people came from, not where it happened"
    # an arrest for an ordinary crime
    assert _places(matcher, "On Wednesday officers at the Jarinjë crossing arrested a man wanted on an "
                            "international warrant for drug trafficking.") == {
        "jarinje_crossing": "an arrest for an ordinary crime, not a political event"}
    assert _places(matcher, "On Wednesday officers at the Jarinjë crossing arrested a man for taking part "
                            "in the attack.") == {"jarinje_crossing": "Strategic developments"}


def test_what_a_search_found_told_in_the_next_sentence(matcher):
    """A police action at a place, and what it found or who it arrested in the next sentence,
    which names no place (the seventh batch's h67)."""
    text = ("On 12.03.2024, the Kosovo Police searched two houses in the village of Kruščica. They "
            "found two automatic rifles, one hand grenade and about 400 rounds of ammunition.")
    art = Article("a", text, "a.txt", published=dt.date(2024, 4, 18))
    (c,) = extract(art, matcher, today=dt.date(2026, 11, 22)).candidates
    assert (c.place.place_id, c.event_type, c.when.event_date) == (
        "geonames_788982", "Strategic developments", dt.date(2024, 3, 12))
    assert c.source.quote == text
    # not when the next sentence names a place of its own, or is not the police's finding
    assert _places(matcher, "Police searched two houses in Kruščica. They found two rifles in Zvečan.")[
        "geonames_788982"] == "no incident reported in the sentence"
    assert _places(matcher, "Police searched two houses in Kruščica. Residents said they found nothing.")[
        "geonames_788982"] == "no incident reported in the sentence"
    assert _places(matcher, "The minister visited Kruščica on Monday. They protested on Tuesday.")[
        "geonames_788982"] == "no incident reported in the sentence"
    assert _places(matcher, "Police searched two houses in Kruščica. Police found that youths had clashed "
                            "with a patrol.")["geonames_788982"] == "no incident reported in the sentence"


def test_shots_fired_towards_police_from_a_barricade_are_a_battle(matcher):
    """The eighth round of dev errors (h61): "fired ... in the direction of a police patrol" is
    an armed clash, and "at the barricade" there only says where it happened."""
    text = ("On 10 December 2022, at around 21:40, at the barricade set up on the regional road at the "
            "entrance to the village of Jabuka, the defendant, together with at least two other persons, "
            "fired several bursts from automatic weapons in the direction of a Kosovo Police patrol.")
    assert _kind(text, "Jabuka") == ("Battles", "Armed clash")
    assert _kind("Masked men fired at KFOR soldiers near Zvečan.", "Zvečan") == ("Battles", "Armed clash")
    assert _kind("Police fired at protesters in Zvečan.", "Zvečan") == ("Protests", "Excessive force against protesters")
    assert _kind("Police arrested two men at the barricade in Rudare.", "Rudare") == ("Strategic developments", "Arrests")
    # a barricade that is the event stays a protest; so does one with nothing else said of it
    assert _kind("Serbs put up a barricade in Rudare and police arrested two men in Zvečan.", "Rudare")[0] == "Protests"
    assert _kind("Hundreds of people gathered at the barricade in Rudare.", "Rudare")[0] == "Protests"
    assert _kind("Speeches were made at the barricade in Rudare.", "Rudare")[0] == "Protests"


def _said(matcher, text: str, reasons: tuple[str, ...]) -> dict[str, str]:
    """What is reported at each place, else which of ``reasons`` dropped it."""
    ext = extract(Article("a", text, "a.txt", published=dt.date(2024, 9, 1)), matcher, today=dt.date(2026, 11, 22))
    said = {c.place.place_id: c.event_type for c in ext.candidates}
    return said | {d.place_id: d.reason for d in ext.dropped if d.reason in reasons and d.place_id not in said}


QUIET = "a police action that passed without incident: no event"
CLOSED = "an institution closed, and nothing else reported: no event"


def test_a_raid_that_passed_without_incident_is_no_event(matcher):
    """The eighth round of dev errors (h03): the guidelines code no police raid that went
    smoothly; a protest that did, an arrest, and a crossing closed without incident stay events."""
    def places(text):
        return _said(matcher, text, (QUIET,))

    text = ("On Friday morning the Kosovo Police raided houses in Zvečan, Leposavić, Zubin Potok and North "
            "Mitrovica. In Zubin Potok and North Mitrovica, by all accounts, it passed without incident. In "
            "Zvečan and Leposavić, the accounts differ.")
    assert places(text) == {"zvecan": "Strategic developments", "leposavic": "Strategic developments",
                            "zubin_potok": QUIET, "north_mitrovica": QUIET}
    # said in the next sentence, which names no place; in the same sentence; in a later paragraph
    assert places("Police raided two houses in Zvečan. The raids passed without incident.") == {"zvecan": QUIET}
    assert places("Police raided two houses in Zvečan, and the operation went smoothly.") == {"zvecan": QUIET}
    assert places("Police raided houses in Zvečan and Zubin Potok on Monday.\n\n"
                  "In Zubin Potok, the action passed without incident, residents said.") == {
        "zvecan": "Strategic developments", "zubin_potok": QUIET}
    # said of all the other places than the next sentence names
    assert places("The raids targeted suspected smugglers in Peja, South Mitrovica and North Mitrovica, police "
                  "said. \"While in all other regions the police operation went smoothly, in North Mitrovica "
                  "criminal groups gathered,\" it said.") == {
        "geonames_787157": QUIET, "south_mitrovica": QUIET, "north_mitrovica": "Strategic developments"}
    # not: a protest, an arrest, a crossing closed, another place's quiet, a next sentence that
    # names a place of its own
    assert places("Hundreds of Serbs rallied in Zvečan. The rally passed without incident.") == {"zvecan": "Protests"}
    assert places("Serbs rallied in Zvečan after police raided two houses. It passed without incident.") == {
        "zvecan": "Protests"}
    assert places("Police arrested two men in Zvečan. It passed without incident.") == {
        "zvecan": "Strategic developments"}
    assert places("Police closed the Jarinje crossing on Friday. The closure passed without incident.") == {
        "jarinje_crossing": "Strategic developments"}
    assert places("Police raided houses in Zvečan and Leposavić. In Leposavić, it passed without incident.")[
        "zvecan"] == "Strategic developments"
    assert places("Police raided a house in Zvečan. In Leposavić, the protest passed without incident.")[
        "zvecan"] == "Strategic developments"
    assert places("Police raided houses in Zvečan and Leposavić. In Leposavić it passed without incident, "
                  "unlike everywhere else.")["zvecan"] == "Strategic developments"


def test_a_serbian_run_institution_closed_with_nothing_else_reported_is_no_event(matcher):
    """The eighth round of dev errors (h43, h63, h73; the guidelines, as in h20 and h26): the
    police closing or sealing the Serbian-run municipalities, post offices or bank branches;
    a crossing closed stays an event, and so does whatever else the sentence reports."""
    def places(text):
        return _said(matcher, text, (CLOSED,))

    assert places("On Friday morning the Kosovo Police closed the branches of the Serbian Post in Zvečan and "
                  "Leposavić.") == {"zvecan": CLOSED, "leposavic": CLOSED}
    assert places("In Zvečan, Kosovo police officers sealed the entrance of the Serbian-run municipal "
                  "building.") == {"zvecan": CLOSED}
    assert places("Police arrested two employees and sealed the Serbian Post branch in Zvečan.") == {
        "zvecan": "Strategic developments"}
    assert CLOSED not in places("Hundreds of Serbs protested as police sealed the Serbian Post branch in Zvečan.").values()
    assert places("In Zvečan, the head of the Serbian Post was turned away from the municipal building.") == {
        "zvecan": "Strategic developments"}
    assert places("Police closed the Jarinje crossing and the post office next to it.") == {
        "jarinje_crossing": "Strategic developments"}
    assert places("Authorities closed the local school in Zvečan after the incident.") == {
        "zvecan": "Strategic developments"}


def test_a_blockade_dated_to_a_day_lasts_as_long_as_the_text_says(matcher):
    """The eighth round of dev errors (h15, h35): the end said later in the paragraph, or at
    the start of the next one when that names no place; a duration; only for a protest."""
    def windows(text: str) -> dict[str, tuple]:
        ext = extract(Article("a", text, "a.txt", published=dt.date(2025, 1, 10)), matcher, today=dt.date(2026, 11, 22))
        return {c.place.place_id: (c.event_type, c.when.start, c.when.end) for c in ext.candidates}

    d = dt.date
    assert windows("On 31 July 2022 Serbs blocked the roads to Jarinje with trucks.\n\n"
                   "The barricades came down on 1 August, after the government postponed the measures.") == {
        "jarinje_crossing": ("Protests", d(2022, 7, 31), d(2022, 8, 1))}
    assert windows("On 20 September 2021 Serbs blocked the roads to Jarinje with trucks for almost two weeks.") == {
        "jarinje_crossing": ("Protests", d(2021, 9, 20), d(2021, 10, 3))}
    # the next paragraph names a place first: its barricades may be others
    assert windows("On 31 July 2022 Serbs blocked the roads to Jarinje with trucks.\n\n"
                   "In Rudare, the barricades came down on 1 August.")["jarinje_crossing"] == (
        "Protests", d(2022, 7, 31), d(2022, 7, 31))
    # told again in the article with how long it lasted: that report is kept
    assert windows("On 31 July 2022 Serbs blocked the road at Rudare.\n\n"
                   "Serbs blocked the road at Rudare from 31 July until 2 August 2022, police said.") == {
        "rudare": ("Protests", d(2022, 7, 31), d(2022, 8, 2))}
    # a next sentence that dates "the incident" does not shorten how long it lasted
    assert windows("Serbs blocked the road at Rudare from 30 July until 2 August 2022. The incident "
                   "occurred on 31 July 2022.") == {"rudare": ("Protests", d(2022, 7, 30), d(2022, 8, 2))}
    # a closure is not widened by the blockade's end
    assert windows("On 31 July 2022 police closed Jarinje. The barricades came down on 1 August.") == {
        "jarinje_crossing": ("Strategic developments", d(2022, 7, 31), d(2022, 7, 31))}


def test_an_incident_named_again_by_what_and_where_with_no_date_is_the_one_before(matcher):
    """The eighth round of dev errors (h59): "The arrest in Ulije ..." in a later, undated
    sentence is the arrest reported before, not another on the day of publication."""
    def reported(text: str) -> list[tuple]:
        ext = extract(Article("a", text, "a.txt", published=dt.date(2024, 6, 10)), matcher, today=dt.date(2026, 11, 22))
        return [(c.place.place_id, c.sub_event_type, c.when.start) for c in ext.candidates]

    first = "On 04/06, the KP arrested a Kosovo Serb man in the village of Ulije on suspicion of an attack.\n\n"
    assert reported(first + "The arrest in Ulije and the protest that followed are the first of this kind.") == [
        ("geonames_784772", "Arrests", dt.date(2024, 6, 4))]
    # a new one: dated, or not named as the one before, or of another kind
    assert len(reported(first + "On 08/06 the KP arrested another man in Ulije.")) == 2
    assert len(reported(first + "The arrest in Ulije on 08/06 of a second suspect angered residents.")) == 2
    assert len(reported(first + "Police arrested two more men in Ulije.")) == 2
    assert [r[1] for r in reported(first + "The protest in Ulije blocked the road.")] == ["Arrests", "Peaceful protest"]


def test_a_place_named_as_where_someone_lives_beside_where_it_happened(matcher):
    """The eighth round of dev errors (h65): "a Cerajë resident" beside the place of the event
    is where they live; alone in its sentence it stays where the event was."""
    origin = "where people came from, not where it happened"
    found = _places(matcher, "On Tuesday a car of a Cerajë resident was stoned near Pridvoricë.")
    assert found == {"geonames_791990": origin, "geonames_786745": "Riots"}
    found = _places(matcher, "On Tuesday two Zvečan residents were arrested at the Jarinje crossing.")
    assert found == {"zvecan": origin, "jarinje_crossing": "Strategic developments"}
    assert _places(matcher, "On Tuesday Zvečan residents blocked the road.") == {"zvecan": "Protests"}


def test_a_venue_word_is_a_whole_word(matcher):
    """"UN" in "Serbian-run", "met" in "helmet": no venue of a statement."""
    venue = "venue of a statement, meeting or visit"
    assert _places(matcher, "On Monday police sealed the Serbian-run municipality in Zvečan.")["zvecan"] != venue
    assert _places(matcher, "On Monday a man fired a gun in Zvečan.")["zvecan"] != venue
    assert _places(matcher, "On Monday the UN envoy said in Zvečan that talks would resume.")["zvecan"] == venue


def test_the_locating_rules_read_whole_words():
    """A rule's word inside another word ("near" in "linear", "around" in "turnaround",
    "region of" in "subregion of", "officials" in "unofficials") is not that word."""
    from pipeline import filters

    for pattern, inside, whole in (
        (filters._NEAR_BEFORE, "a turnaround ", "the roads around "),
        (filters._NEAR_BEFORE, "a linear ", "a village near "),
        (filters._ADMIN_BEFORE, "the subregion of ", "the region of "),
        (filters._GOVERNMENT_BEFORE, "unofficials in ", "officials in "),
        (filters._VENUE_BEFORE, "a gun in ", "the UN in "),
    ):
        assert pattern.search(inside) is None, inside
        assert pattern.search(whole) is not None, whole


def test_whom_it_was_told_to_where_news_came_from_where_someone_was_taken(matcher):
    """The eighth round of dev errors (h53, h65)."""
    found = _places(matcher, "On Tuesday the driver told Mitrovica Sot that a group threw stones at his car near "
                             "Pridvoricë.")
    assert found == {"south_mitrovica": "whom it was told to (an outlet), or where news came from",
                     "geonames_786747": "Riots"}
    found = _places(matcher, "On Wednesday citizens blocked the main road in Zvečan as soon as the news from "
                             "Mitrovica arrived.")
    assert found == {"south_mitrovica": "whom it was told to (an outlet), or where news came from", "zvecan": "Protests"}
    found = _places(matcher, "On Wednesday several Serbs were arrested in Zvečan and taken to the police station "
                             "in Južna Mitrovica.")
    assert found == {"zvecan": "Strategic developments", "south_mitrovica": "where someone was taken to hospital or is held"}
    # a story told in Mitrovica is still a story of Mitrovica
    assert _places(matcher, "On Wednesday police told protesters in Zvečan to leave.")["zvecan"] == "Protests"


def test_a_correction_notice_reports_nothing_new(matcher):
    """The eighth round of dev errors (h55): a wire story's correction restates it."""
    for text in ("This story has been corrected to show that the rally in Zvečan took place on Friday, not Saturday.",
                 "Correction: the rally in Zvečan took place on Friday.",
                 "An earlier version of this story misstated the day of the rally in Zvečan."):
        assert _places(matcher, text) == {"zvecan": "a correction notice: the story reports it already"}, text
    assert _places(matcher, "On Friday the story of the rally in Zvečan was corrected by protesters.")["zvecan"] == "Protests"
    assert _places(matcher, "Correctional officers clashed with protesters in Zvečan on Friday.")["zvecan"] == "Riots"


def test_a_road_closed_with_trucks_is_a_blockade():
    """The eighth batch's h77: residents keeping a road "closed with trucks" block it; the
    police closing a road or a crossing is a closure."""
    text = "Residents kept the road to Brnjak closed with trucks from 20 September to 2 October."
    assert _kind(text, "Brnjak") == ("Protests", "Peaceful protest")
    assert _kind("Serbs blocked off with gravel the road to Jarinje.", "Jarinje")[0] == "Protests"
    assert _kind("Police closed the road to Brnjak with a cordon.", "Brnjak") == ("Strategic developments", "Other")


def test_the_eighth_batchs_dev_errors(matcher):
    """Small rules from the eighth batch's dev half (h79, h85)."""
    # people standing in silence outside a court are a protest there
    assert _places(matcher, "On Thursday, outside the court building in Pristina, about 40 relatives of the "
                            "defendants stood in silence with photographs of the two men.") == {"pristina": "Protests"}
    # "both from Zvečan": where the defendants came from
    found = _places(matcher, "On 31 July 2022 the two defendants, both from Zvečan, fired on the patrol near Valač.")
    assert found["zvecan"] == "where people came from, not where it happened"
    assert found["geonames_784735"] == "Battles"
    # the German name of North Mitrovica, in a translation
    assert _places(matcher, "On Tuesday, the police arrested two men in Nord-Mitrovica.") == {
        "north_mitrovica": "Strategic developments"}


def test_a_device_that_did_not_go_off_is_disrupted_weapons_use(matcher):
    """h01 (and the guidelines): grenades thrown that did not go off, said in the sentence or
    the next one (which names no place), are disrupted weapons use, dated by the first and
    quoted with both; one that went off stays an explosion."""
    text = ("In Zvecan, two hand grenades were thrown overnight at the building of the registry office. "
            "They did not go off, and officers destroyed them on Saturday morning.")
    ext = extract(Article("a", text, "a.txt", published=dt.date(2021, 9, 25)), matcher, today=dt.date(2026, 11, 22))
    (c,) = ext.candidates
    assert (c.event_type, c.sub_event_type) == ("Strategic developments", "Disrupted weapons use")
    assert (c.when.start, c.when.end) == (dt.date(2021, 9, 24), dt.date(2021, 9, 25))  # "overnight", not Saturday
    assert c.source.quote == text
    assert _places(matcher, "On Friday a hand grenade thrown at a patrol in Zvečan failed to explode.") == {
        "zvecan": "Strategic developments"}
    # went off; or the next sentence names a place of its own
    assert _places(matcher, "On Friday a hand grenade was thrown at a patrol in Zvečan. It went off.") == {
        "zvecan": "Explosions/Remote violence"}
    assert _places(matcher, "On Friday a hand grenade was thrown at a patrol in Zvečan. One in Leposavić did not "
                            "go off.")["zvecan"] == "Explosions/Remote violence"


def test_the_ninth_batchs_dev_errors(matcher):
    """Small rules from the ninth batch's dev half (h87, h89, h91)."""
    # a transcript's speaker label after a timestamp: a surname that is also a village
    text = "[00:03:41] GËRVALLA: For the people at the barricade the column was a comfort."
    assert _places(matcher, text) == {"geonames_855493": "a label before a colon (a speaker's name, an item's heading)"}
    # where a jeep was heading, when the sentence says where it happened
    found = _places(matcher, "A police jeep came down from the crossing towards Lešak, and a group of boys threw "
                             "stones at it near the Beluće turn-off.")
    assert found == {"geonames_788727": "where they were going, not where they were", "geonames_792688": "Riots"}
    assert _places(matcher, "A crowd marched towards Lešak on Monday.")["geonames_788727"] == "Protests"
    # soldiers moved to a crossing: a deployment there
    assert _places(matcher, "On Saturday morning KFOR moved soldiers to both crossings, Jarinje and Brnjak.") == {
        "jarinje_crossing": "Strategic developments", "brnjak_crossing": "Strategic developments"}
    # where a unit or a team is based
    found = _places(matcher, "The unit is based at the EULEX compound in Pristina; more units were deployed "
                             "to Zvečan on Friday.")
    assert found == {"pristina": "where someone is based, not where anything happened", "zvecan": "Strategic developments"}
    found = _places(matcher, "It deployed 96 observers, including long-term teams based in Pristina, Pejë/Peć, "
                             "Prizren and Ferizaj/Uroševac.")
    assert set(found.values()) == {"where someone is based, not where anything happened"} and len(found) == 4
    # a municipality in brackets after its village locates it
    found = _places(matcher, "On 28 January, unknown persons set fire to a car outside his house in the village of "
                             "Graničane (Leposavić).")
    assert found == {"geonames_790198": "Strategic developments", "leposavic": "locates the place named before it"}
    # closed meetings close nothing; units stationed somewhere since a year are no new event
    meetings = "Srpska Lista held closed campaign meetings in Zvečan on 1 February."
    assert classify(meetings, 0, len(meetings), meetings.index("Zvečan"), meetings.index("Zvečan") + 6) is None
    assert _places(matcher, "Observers noted KP special units, stationed in the north since 2023, near polling "
                            "centres in Zubin Potok.")["zubin_potok"] == "no incident reported in the sentence"


def test_an_attack_named_in_one_sentence_is_told_in_the_next(matcher):
    """h89: a press release condemns "the attack on" a patrol in Prelez, and its next paragraph,
    naming no place, tells that stones were thrown: a riot in Prelez, dated by the first sentence
    and quoted with both; not when the next sentence names a place of its own."""
    text = ("EULEX strongly condemns the attack on one of its patrols on Wednesday evening, 11 September, in the "
            "village of Prelez.\n\nAt around 20:40, a group of people threw stones and bottles at three EULEX "
            "vehicles as the patrol drove through the village.")
    ext = extract(Article("a", text, "a.txt", published=dt.date(2024, 9, 12)), matcher, today=dt.date(2026, 11, 22))
    (c,) = ext.candidates
    assert (c.place.place_id, c.event_type, c.when.event_date) == ("geonames_786787", "Riots", dt.date(2024, 9, 11))
    assert c.source.quote == text
    other = text.replace("through the village", "through Zupče")
    assert "geonames_786787" not in {c.place.place_id for c in extract(
        Article("a", other, "a.txt", published=dt.date(2024, 9, 12)), matcher, today=dt.date(2026, 11, 22)).candidates}


def test_items_of_a_list_and_rows_of_a_table_are_sentences_of_their_own():
    """h95: a flash update's bullets and table rows, one line each in one paragraph, are read one
    by one (a closure in one row does not reach the places of the others)."""
    text = ("- One blockade was removed on 14 December\n- **Health:** shortages of insulin.\n"
            "| Kijevčiće | Leposavić | 10 Dec | active |\n| Rančiće | Zubin Potok | 10 Dec | fully closed |\n"
            "* and a last item\n• and another")
    assert [text[s.start:s.end] for s in sentences(text)] == [
        "- One blockade was removed on 14 December", "- **Health:** shortages of insulin.",
        "| Kijevčiće | Leposavić | 10 Dec | active |", "| Rančiće | Zubin Potok | 10 Dec | fully closed |",
        "* and a last item", "• and another"]
    # a hyphen inside a line, or a line that is no item, does not split
    assert len(sentences("Police closed the Leposavić -\nZvečan road on Monday.")) == 1


def test_the_ninth_batchs_dev_errors_in_reports_and_reviews(matcher):
    """Small rules from the ninth batch's dev half (h93, h95)."""
    # a municipality in the next cell of a table locates its village; a village beside a
    # village is no locator
    found = _places(matcher, "| Rančiće | Zubin Potok | 10 Dec | shots were fired at a police patrol |")
    assert found == {"geonames_786481": "Battles", "zubin_potok": "locates the place named before it"}
    assert set(_places(matcher, "| Rančiće | Lokva | shots were fired at a police patrol |").values()) == {"Battles"}
    # a patient's origin, and the hospital they were taken to
    found = _places(matcher, "On 13 December an ambulance taking a patient from Leposavić to the hospital in North "
                             "Mitrovica was held for two hours at the Kijevčiće blockade.")
    assert found == {"leposavic": "where people came from, not where it happened",
                     "north_mitrovica": "where someone was taken to hospital or is held",
                     "geonames_789522": "Protests"}
    # a rumour is a claim, not a report
    assert _places(matcher, "He also repeats the rumour that Serbian special forces were hiding in the village of "
                            "Jarinje during the barricades.") == {
        "jarinje_crossing": "a claim the text says it could not verify"}


def test_a_surname_once_named_stays_a_person(matcher):
    """h93: "By Nebojša Tankosić" makes a later "Tankosić writes that shots were fired" the
    author, not the village of Tankosić; but "in Tankosić", or the name with no verb of a
    person after it, is still the place."""
    by = "By Nebojša Tankosić.\n\n"
    later = _places(matcher, by + "Tankosić writes that shots were fired at the barricade on 24 December.",
                    published=dt.date(2023, 1, 5))
    assert set(later.values()) <= {"person name (a surname that is also a village)",
                                   "person name (the article named this person before)"}
    assert "geonames_785130" in later
    assert _places(matcher, by + "Shots were fired at the barricade in Tankosić on 24 December.",
                   published=dt.date(2023, 1, 5))["geonames_785130"] == "Battles"
    assert _places(matcher, "Tankosić writes that shots were fired at the barricade on 24 December.",
                   published=dt.date(2023, 1, 5))["geonames_785130"] == "Battles"  # (named no one before)


def test_the_tenth_batchs_dev_errors(matcher):
    """Small rules from the tenth batch's dev half (h97, h99, h101, h103)."""
    # what videos say is a claim, and so is what a wiki marks as dubious
    found = _places(matcher, "On TikTok there are videos saying there was shooting in Leposavic last night.")
    assert found == {"leposavic": "a claim the text says it could not verify"}
    assert _places(matcher, "Video from Leposavic shows police saying the road was blocked.")["leposavic"] != \
        "a claim the text says it could not verify"
    found = _places(matcher, "| 24 December 2022 || [[Dren (Leposavić)|Dren]] || A barricade on the Dren bend."
                             "{{dubious|date=January 2023}}")
    assert found == {"geonames_791061": "a claim the text says it could not verify",
                     "leposavic": "a wiki link's target (its label names the place)"}
    # wikitext: an infobox's or a citation's field, and a link's target, are no place of an event
    text = ("{{Infobox road\n| terminus_a = [[North Mitrovica]]\n}}\nThe road was blocked many times.<ref>{{cite "
            "news |title=Barikade |location=Zvečan |date=12 December 2022}}</ref> Trucks blocked the road at "
            "[[Slatina, Leposavić|Ibarska Slatina]] on 26 July 2011.")
    assert _places(matcher, text) == {
        "north_mitrovica": "inside a wiki template (an infobox's or a citation's field)",
        "zvecan": "inside a wiki template (an infobox's or a citation's field)",
        "leposavic": "a wiki link's target (its label names the place)",
        "geonames_785813": "Protests",
    }
    assert _places(matcher, "Trucks blocked the road at [[Leposavić]] on 26 July 2011.")["leposavic"] == "Protests"
    # where independence was declared, and where soldiers drove back to
    found = _places(matcher, "When the Assembly declared Kosovo's independence in Pristina on Sunday, 17 February "
                             "2008, Serbs in North Mitrovica gathered in protest.")
    assert (found["pristina"], found["north_mitrovica"]) == ("venue of a statement, meeting or visit", "Protests")
    found = _places(matcher, "A Turkish company took over the building in Leposavić from us, and we drove back to "
                             "Novo Selo.")
    assert found["geonames_787541"] == "where they were going, not where they were"
    assert _places(matcher, "We were driven in buses to Camp Novo Selo, and KFOR deployed soldiers in Zvečan.")[
        "geonames_787541"] == "where they were going, not where they were"
    # a given name before a South Slavic surname, and a footnote's author, are persons
    found = _places(matcher, "Excerpt from: Dea Berisha and Luka Dobrić, on the protest in Zvečan in 2008.")
    assert found["geonames_790486"] == "person name (a surname that is also a village)"
    text = "Police arrested a man in Zvečan on 2 May.\n\n[28] Kastrati, \"Gates and barricades\", op. cit., 112."
    assert _places(matcher, text)["geonames_790546"] == "person name (a surname that is also a village)"
    # a crowd that attacked with stones, bottles and a stun grenade riots
    found = _places(matcher, "Everybody here talks about the 29th of May, when the crowd in Zvečan attacked our "
                             "comrades with stones, bottles and a stun grenade.", published=dt.date(2023, 6, 25))
    assert found == {"zvecan": "Riots"}
    assert _places(matcher, "Someone threw a stun grenade at the building in Zvečan.")["zvecan"] == \
        "Explosions/Remote violence"


def test_a_numbered_sections_dated_title_dates_the_paragraphs_under_it(matcher):
    """h103: a case study's "3. The case: 19 February 2008" dates the day-and-month dates under it."""
    text = ("3. The case: 19 February 2008\n\nAround noon on 19 February, several hundred men burned the "
            "customs containers at Jarinje.")
    found = extract(Article("a", text, "a.txt", published=dt.date(2024, 4, 15)), matcher, today=dt.date(2026, 11, 22))
    assert {(c.place.place_id, c.when.event_date) for c in found.candidates} == {("jarinje_crossing", dt.date(2008, 2, 19))}


def test_a_subtitle_files_cues_do_not_break_its_sentences(matcher):
    from pipeline.ingest import blank_subtitle_cues

    srt = ("date 2024-12-02 Evening news (subtitles)\n\n"
           "1\n00:00:00,000 --> 00:00:03,200\nGood evening.\n\n"
           "2\n00:00:03,400 --> 00:00:07,900\nPolice detained two men on Saturday\nin the village of\n\n"
           "3\n00:00:08,000 --> 00:00:12,600\nVelji Breg, above the lake.\n\n"
           "4\n00:00:12,800 --> 00:00:17,500\nThe men were released on Sunday.\n")
    blanked = blank_subtitle_cues(srt)
    assert len(blanked) == len(srt)  # every other character stays where it was
    assert "-->" not in blanked and "\n\n2\n" not in blanked
    assert blanked.startswith("date 2024-12-02 Evening news (subtitles)\n\n")  # the headline stays apart
    assert "in the village of" + " " * len("\n\n3\n00:00:08,000 --> 00:00:12,600\n") + "Velji Breg" in blanked
    art, _ = parse_text(srt, "a", "a.txt", today=dt.date(2026, 11, 22))
    ext = extract(art, matcher, today=dt.date(2026, 11, 22))
    (found,) = [c for c in ext.candidates if c.place.place_id == "geonames_784508"]
    assert (found.event_type, found.when.event_date) == ("Strategic developments", dt.date(2024, 11, 30))
    assert found.source.quote == "Police detained two men on Saturday\nin the village of Velji Breg, above the lake."
    # WebVTT's timings; and fewer than three cues, or none, are left as they are
    vtt = "WEBVTT\n\n00:01.000 --> 00:04.000\nOne\n\n00:05.000 --> 00:08.000 align:start\nTwo\n\nid-3\n00:09.000 --> 00:10.000\nThree\n"
    blanked = blank_subtitle_cues(vtt)
    assert (len(blanked), blanked.split(), blanked[:8]) == (len(vtt), ["WEBVTT", "One", "Two", "Three"], "WEBVTT\n\n")
    assert "\n" not in blanked[8:-1]
    two = "Text.\n\n1\n00:00:00,000 --> 00:00:03,200\nOne.\n\n2\n00:00:03,400 --> 00:00:07,900\nTwo.\n"
    assert blank_subtitle_cues(two) == two
    assert blank_subtitle_cues("At 10:00 --> the road was closed.\n\nNext.") == "At 10:00 --> the road was closed.\n\nNext."


def test_the_eleventh_batchs_dev_errors(matcher):
    """Small rules from the eleventh batch's dev half (h107, h109, h111, h113, h115)."""
    # soldiers who took over the protection of a place are deployed there
    found = _places(matcher, "KFOR soldiers took over the protection of the Gazivode dam yesterday, two days "
                             "after the explosion.")
    assert found == {"geonames_790752": "Strategic developments"}
    # the day a participle gives the people it speaks of is not the gathering's
    text = ("date 2024-12-02 Protest\n\nAround a hundred people gathered this afternoon in front of the old "
            "police station building on the main street here in Zubin Potok, demanding the release of the men "
            "detained on Saturday.")
    art, _ = parse_text(text, "a", "a.txt", today=dt.date(2026, 11, 22))
    (found,) = extract(art, matcher, today=dt.date(2026, 11, 22)).candidates
    assert (found.event_type, found.when.event_date) == ("Protests", dt.date(2024, 12, 2))
    text = "date 2024-12-02 Arrests\n\nPolice in Zubin Potok detained the men on Saturday, this afternoon's statement said."
    art, _ = parse_text(text, "a", "a.txt", today=dt.date(2026, 11, 22))
    (found,) = extract(art, matcher, today=dt.date(2026, 11, 22)).candidates
    assert found.when.event_date == dt.date(2024, 11, 30)
