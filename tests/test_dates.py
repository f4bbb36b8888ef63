from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.dates import (
    DateContext,
    article_context,
    date_for,
    fallback,
    find_expressions,
    heading,
    heading_window,
    is_heading_line,
    lead_date,
    resolve,
)

SUNDAY = dt.date(2021, 9, 26)
MONDAY = dt.date(2021, 9, 27)
D = dt.date


def one(text: str, ctx: DateContext):
    (expr,) = find_expressions(text)
    return resolve(expr, ctx)


@pytest.mark.parametrize("text, pub, day, precision", [
    ("on Sunday", SUNDAY, D(2021, 9, 26), 1),
    ("on Monday", SUNDAY, D(2021, 9, 20), 1),
    ("earlier Monday", MONDAY, D(2021, 9, 27), 1),
    ("last Monday", MONDAY, D(2021, 9, 20), 1),
    ("Saturday evening", SUNDAY, D(2021, 9, 25), 1),
    ("yesterday", D(2023, 5, 30), D(2023, 5, 29), 1),
    ("on 3 January", D(2024, 1, 8), D(2024, 1, 3), 1),
    ("December 30", D(2024, 1, 8), D(2023, 12, 30), 1),
    ("29 May 2023", D(2024, 1, 8), D(2023, 5, 29), 1),
    ("2023-05-29", None, D(2023, 5, 29), 1),
    ("two days ago", D(2023, 5, 31), D(2023, 5, 29), 1),
    ("A year ago today", D(2024, 9, 24), D(2023, 9, 24), 1),
])
def test_day_expressions(text, pub, day, precision):
    w = one(text, DateContext(pub))
    assert (w.event_date, w.start, w.end, w.precision) == (day, day, day, precision)


def test_weekend_and_windows():
    w = one("at the weekend", MONDAY and DateContext(MONDAY))
    assert (w.start, w.end, w.precision) == (D(2021, 9, 25), D(2021, 9, 26), 2)
    w = one("in 2011", DateContext(MONDAY))
    assert (w.start, w.end, w.precision) == (D(2011, 1, 1), D(2011, 12, 31), 3)
    w = one("for the past seven days", DateContext(MONDAY))
    assert (w.start, w.end) == (D(2021, 9, 20), MONDAY)
    # the end or the beginning of a month: the month (h29: shots "at the end of February", read
    # before as the days before publication in March)
    w = one("At the end of February", DateContext(D(2024, 3, 19)))
    assert (w.start, w.end, w.precision) == (D(2024, 2, 1), D(2024, 2, 29), 3)
    w = one("by the beginning of December", DateContext(D(2024, 3, 19)))
    assert (w.start, w.end) == (D(2023, 12, 1), D(2023, 12, 31))


def test_weekday_with_date_fixes_the_year_without_publication_date():
    body = "Kosovo broke away in 2008. A patrol came under fire, the police said on Friday (December 9)."
    ctx = article_context(body, None, today=D(2026, 11, 22))
    assert ctx.anchor == D(2022, 12, 9)
    assert "2016" in ctx.note  # the other candidate years are reported
    w = one("On Tuesday", ctx)
    assert (w.event_date, w.start, w.end, w.precision) == (D(2022, 12, 6), D(2022, 12, 6), D(2022, 12, 13), 2)


def test_no_date_is_invented():
    ctx = article_context("Serbia put its army on alert on Sunday.", None, today=D(2026, 11, 22))
    assert ctx.anchor is None
    w = date_for(0, 40, 0, "Serbia put its army on alert on Sunday.", ctx)
    assert not w.dated and w.event_date is None


OCT14 = D(2021, 10, 14)


def lead_of(text: str, published: dt.date | None = OCT14) -> dt.date | None:
    return lead_date(text, 0, len(text), DateContext(published))


def test_the_lead_dates_the_undated_sentences_of_its_story():
    assert lead_of("Police fired tear gas in Mitrovica on October 13 as a raid turned violent.") == D(2021, 10, 13)
    # an older day it recalls first does not count
    assert lead_of("A year after the attack of September 24, police in Banjska said on Wednesday that "
                   "they had arrested two men.") == D(2021, 10, 13)
    w = fallback(DateContext(OCT14), lead=D(2021, 10, 13))
    assert (w.event_date, w.start, w.end, w.precision) == (D(2021, 10, 13), D(2021, 10, 13), OCT14, 2)
    assert "lead" in w.note
    w = date_for(0, 20, 5, "A crowd gathered at the bridge.", DateContext(OCT14), lead=lambda: D(2021, 10, 13))
    assert w.event_date == D(2021, 10, 13)
    # a sentence's own date still wins
    w = date_for(0, 40, 5, "A crowd gathered on Monday at the bridge.", DateContext(OCT14), lead=lambda: D(2021, 10, 13))
    assert w.event_date == D(2021, 10, 11) and w.precision == 1
    # without a lead's day: the publication date, as before, in the same window
    w = fallback(DateContext(OCT14))
    assert (w.event_date, w.start, w.end) == (OCT14, D(2021, 10, 13), OCT14)


def test_only_the_day_before_publication_is_a_leads_day():
    # older: more often a round-up of the week or a follow-up than the story that follows
    assert lead_of("Serbs protested last Friday.", D(2024, 1, 8)) is None
    assert lead_of("Serbs protested on September 20.") is None
    assert lead_of("Serbs protested today.") is None
    assert lead_of("Serbs protested in Zvečan.") is None
    assert lead_of("Serbs protested on October 13.", published=None) is None
    # a lead's day never moves a date out of the window it had
    assert fallback(DateContext(OCT14), lead=D(2021, 10, 1)).event_date == OCT14


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.sampled_from([
        "on", "Monday", "Tuesday", "Wednesday", "Sunday", "October", "13", "12", "3", "2021-10-13",
        "13.10.2021", "yesterday", "last", "night", "a", "one", "day", "ago", "earlier", "police", ",", ".",
        "September 24", "Oct.", "13th", "tonight", "today",
    ]), max_size=14),
    published=st.dates(D(2021, 10, 1), D(2021, 10, 31)),
)
def test_the_leads_quick_check_skips_no_lead_that_names_the_day(words, published):
    """lead_date reads only leads holding a word every expression of the day before
    publication holds: the same answers as reading every lead."""
    text = " ".join(words)
    ctx = DateContext(published)
    day = published - dt.timedelta(days=1)
    read_all = next((day for e in find_expressions(text)
                     if (w := resolve(e, ctx)) is not None and w.precision == 1 and w.event_date == day), None)
    assert lead_date(text, 0, len(text), ctx) == read_all


SEP24 = D(2024, 9, 24)


def test_a_paragraphs_heading_gives_its_dates_their_year():
    """A backgrounder heads each paragraph with its time and dates its events by day and month."""
    para = ("December 2022: the barricades. The arrest at Jarinje on 10 December set off roadblocks. "
            "Serbs blocked the roads. When it tried again in November, mayors quit.")
    ctx = DateContext(SEP24)
    h = heading(para, 0, ctx)
    assert (h.start, h.end, h.precision) == (D(2022, 12, 1), D(2022, 12, 31), 3)
    headed = dataclasses.replace(ctx, heading=h)
    start = para.index("The arrest")
    w = date_for(start, start + 60, start + 20, para, headed)
    assert (w.event_date, w.precision) == (D(2022, 12, 10), 1) and "heading" in w.note
    assert date_for(start, start + 60, start + 20, para, ctx).event_date == D(2023, 12, 10)  # without it
    start = para.index("Serbs blocked")
    w = date_for(start, start + 25, start, para, headed)  # no date in the sentence: the heading's month
    assert (w.start, w.end, w.precision) == (D(2022, 12, 1), D(2022, 12, 31), 3)
    start = para.index("When it")
    w = date_for(start, len(para), start + 30, para, headed)
    assert (w.start, w.end) == (D(2022, 11, 1), D(2022, 11, 30))
    # a year alone, or seasons and a year
    w = heading("Summer and autumn 2022: more plates. Police came.", 0, ctx)
    assert (w.start, w.end) == (D(2022, 6, 1), D(2022, 11, 30))
    assert heading("2021: the plates.", 0, ctx).end == D(2021, 12, 31)


def test_what_is_not_a_dated_heading():
    ctx = DateContext(SEP24)
    assert heading('Kurti said on Monday: "We will not allow it."', 0, ctx) is None  # a speaker's day
    assert heading("One Year After Banjska: How the North Lurched", 0, ctx) is None  # no date
    assert heading("In a statement released late on Tuesday evening by the interior ministry: x", 0, ctx) is None
    assert heading("December 2025: plans.", 0, ctx) is None  # after publication
    assert heading("The police said it was calm. December 2022: x", 0, ctx) is None  # not at the start


def test_a_heading_line_is_one_marked_as_a_heading():
    for line in ("## 2022", "### December 2022", "**May 2023:**", "## What comes next", "__Timeline__",
                 "3. The case: 19 February 2008", "4.2. The crossings in 2011"):  # a numbered section's title
        assert is_heading_line(line, 0, len(line)), line
    # unmarked short lines are not: a caption, a dateline, a list item, a page's date line
    for line in ("December 2022", "KFOR soldiers at the Jarinje crossing in May 2023", "PRISTINA, 20 September 2024",
                 "29 May 2023 – KFOR soldiers injured in Zvečan", "24 September 2024", "It was 2022.", "# ",
                 "## December 2022\nPolice came", "## " + "a heading far longer than any heading would be " * 2,
                 "3. Police closed the crossing on 19 February 2008.", "12 May 2008 Police came"):
        assert not is_heading_line(line, 0, len(line)), line
    ctx = DateContext(SEP24)
    assert heading_window("## 2022", 0, 7, ctx).end == D(2022, 12, 31)
    assert heading_window("## What comes next", 0, 18, ctx) is None
    assert heading_window("## December 2025", 0, 16, ctx) is None  # after publication


def test_in_a_month_with_its_year_keeps_the_year():
    """"in June 2023" was read as "in June" (of the publication's year) and the year dropped."""
    ctx = DateContext(SEP24)
    for text, first in (("Police arrested two men in Leposavić in June 2023.", D(2023, 6, 1)),
                        ("It happened during December 2022 in Zvečan.", D(2022, 12, 1)),
                        ("in early June, 2023", D(2023, 6, 1)),
                        ("Serbs protested in June.", D(2024, 6, 1))):
        (w,) = [resolve(e, ctx) for e in find_expressions(text)]
        assert (w.start, w.precision) == (first, 3), text


def test_future_plans_are_not_dates():
    assert one("next Monday", DateContext(MONDAY)) is None


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), pub=st.one_of(st.none(), st.dates(D(1990, 1, 1), D(2030, 12, 31))))
def test_any_text_resolves_inside_its_window(text, pub):
    ctx = article_context(text, pub, today=D(2026, 11, 22))
    for expr in find_expressions(text):
        assert text[expr.start : expr.end] == expr.text
        w = resolve(expr, ctx)
        if w is not None and w.dated:
            assert w.start <= w.end
            assert w.event_date is None or w.start <= w.event_date <= w.end


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(
    ["on", "last", "Monday", "Friday", "(December", "9)", "at", "the", "weekend", "in", "2011", "yesterday",
     "earlier", "Sunday", "for", "past", "seven", "days", "May", "29", "2023", "31", "February", "x."]), max_size=30),
       pub=st.one_of(st.none(), st.dates(D(2000, 1, 1), D(2026, 1, 1))))
def test_date_like_text_resolves_inside_its_window(words, pub):
    test_any_text_resolves_inside_its_window.hypothesis.inner_test(" ".join(words), pub)


def test_counted_back_from_publication():
    pub = D(2023, 6, 14)
    w = one("a week ago", DateContext(pub))
    assert (w.event_date, w.start, w.end, w.precision) == (D(2023, 6, 7), D(2023, 6, 4), D(2023, 6, 10), 2)
    w = one("a year ago", DateContext(D(2024, 2, 29)))  # no 29 February in 2023
    assert (w.event_date, w.precision) == (D(2023, 2, 28), 3) and w.start < w.event_date < w.end
    w = one("last month", DateContext(pub))
    assert (w.start, w.end, w.precision) == (D(2023, 5, 1), D(2023, 5, 31), 3)
    w = one("last month", DateContext(D(2023, 1, 10)))
    assert (w.start, w.end) == (D(2022, 12, 1), D(2022, 12, 31))
    w = one("earlier this month", DateContext(pub))
    assert (w.start, w.end) == (D(2023, 6, 1), pub)
    w = one("last year", DateContext(pub))
    assert (w.start, w.end) == (D(2022, 1, 1), D(2022, 12, 31))
    assert one("two days ago", DateContext(None)) is None  # nothing to count back from
    assert find_expressions("an hour ago") == []


def test_a_range_gives_the_window_from_its_first_day_to_its_last():
    mar29 = DateContext(D(2023, 3, 29))
    text = "Serbs kept barricades on the roads in Rudare from December 10 until December 29."
    w = date_for(0, len(text), text.index("Rudare"), text, mar29)
    assert (w.event_date, w.start, w.end, w.precision) == (D(2022, 12, 10), D(2022, 12, 10), D(2022, 12, 29), 3)
    # whichever end is nearer the place; a range of days within a week is precision 2
    text = "Protests went on between Monday and Wednesday in Zvecan."
    w = date_for(0, len(text), text.index("Zvecan"), text, DateContext(OCT14))
    assert (w.event_date, w.start, w.end, w.precision) == (D(2021, 10, 11), D(2021, 10, 11), D(2021, 10, 13), 2)
    # "from that day": the latest date before it in the paragraph
    para = ("Police arrested a former officer at Jarinje on December 10. His arrest triggered barricades "
            "across northern Kosovo from that day until December 29, when they were removed.")
    start = para.index("His")
    w = date_for(start, len(para), para.index("northern"), para, mar29, paragraph_start=0)
    assert (w.event_date, w.start, w.end) == (D(2022, 12, 10), D(2022, 12, 10), D(2022, 12, 29))
    assert "from" in w.note and "until" in w.note
    w = date_for(start, len(para), para.index("northern"), para, mar29)  # nothing before it to look at
    assert (w.event_date, w.start, w.end) == (D(2022, 12, 29), D(2022, 12, 29), D(2022, 12, 29))
    # not ranges: a start alone, "between" two places, "between" ... "until", reversed ends
    for text, day in (("From 1 February, the euro was the only currency in Zvecan.", D(2023, 2, 1)),
                      ("Talks between Pristina and Belgrade on Monday in Zvecan.", D(2023, 3, 27)),
                      ("Roads were blocked between March 1 until March 3 in Zvecan.", D(2023, 3, 3)),
                      ("Roads were blocked from March 3 until March 1 in Zvecan.", D(2023, 3, 1))):
        w = date_for(0, len(text), text.index("Zvecan"), text, mar29)
        assert (w.event_date, w.start, w.end) == (day, day, day), text


def test_a_ranges_first_end_without_a_year_takes_the_year_of_its_second():
    # a verdict of 2025 on a barricade of 2022: not 10 December 2024, reversed ends, no range
    may2025 = DateContext(D(2025, 5, 14))
    text = "From 10 December until 29 December 2022 the defendant maintained the barricade at Jabuka."
    w = date_for(0, len(text), text.index("Jabuka"), text, may2025)
    assert (w.event_date, w.start, w.end) == (D(2022, 12, 10), D(2022, 12, 10), D(2022, 12, 29))
    assert "in the year of '29 December 2022'" in w.note
    # over a new year; and read from the nearer end as well
    text = "Jabuka kept its barricade from 10 December until 5 January 2023, the court found."
    w = date_for(0, len(text), text.index("Jabuka"), text, may2025)
    assert (w.start, w.end) == (D(2022, 12, 10), D(2023, 1, 5))
    # a first end with its own year is read as given; one without, beside an end without, as before
    text = "Roads were blocked from 10 December 2021 until 29 December 2022 in Zvecan."
    w = date_for(0, len(text), text.index("Zvecan"), text, may2025)
    assert (w.start, w.end) == (D(2021, 12, 10), D(2022, 12, 29))
    text = "Roads were blocked from 10 March until 29 March in Zvecan."
    w = date_for(0, len(text), text.index("Zvecan"), text, may2025)
    assert (w.start, w.end) == (D(2025, 3, 10), D(2025, 3, 29))


def test_days_joined_by_a_dash_are_a_range():
    mar2025 = DateContext(D(2025, 3, 10))

    def window(text: str) -> tuple:
        w = date_for(0, len(text), text.index("Rudare"), text, mar2025)
        return w.event_date, w.start, w.end, w.precision, w.lasting

    # days of one month, as timelines and wiki tables write them; the year after them is theirs
    assert window("| 10–29 December 2022 || Rudare || Barricade of trucks") == (
        D(2022, 12, 10), D(2022, 12, 10), D(2022, 12, 29), 3, True)
    assert window("Serbs blocked the road at Rudare on 26-27 July 2011.") == (
        D(2011, 7, 26), D(2011, 7, 26), D(2011, 7, 27), 2, True)
    assert window("Serbs blocked the road at Rudare on December 10–29, 2022.")[1:3] == (D(2022, 12, 10), D(2022, 12, 29))
    assert window("Serbs blocked the road at Rudare on December 10-12.")[1:3] == (D(2024, 12, 10), D(2024, 12, 12))
    assert window("Rudare was blocked 10 – 12 December.")[1:3] == (D(2024, 12, 10), D(2024, 12, 12))
    # two days with their months: the first in the second's year
    assert window("| 31 July – 1 August 2022 || Rudare || Tractors and trucks")[:3] == (
        D(2022, 7, 31), D(2022, 7, 31), D(2022, 8, 1))
    assert window("Rudare, 30 November - 2 December 2022.")[1:3] == (D(2022, 11, 30), D(2022, 12, 2))
    # not ranges: a time, a number of people, spaced hyphens, reversed days: the day alone
    for text, day in (("At 20:00–29 December in Rudare.", D(2024, 12, 29)),
                      ("In Rudare on December 10 - 12 people were hurt.", D(2024, 12, 10)),
                      ("Roads in Rudare, 3 - 5 December.", D(2024, 12, 5)),
                      ("Rudare, 12–10 December 2022.", D(2022, 12, 10)),
                      ("Rudare, the 2.5-6 December figures.", D(2024, 12, 6))):
        assert window(text) == (day, day, day, 1, False), text


def test_how_long_a_blockade_lasted_widens_its_day():
    from pipeline.dates import lasted
    from pipeline.model import DateWindow as W

    ctx = DateContext(D(2024, 9, 24))
    day = W(D(2021, 9, 20), D(2021, 9, 20), D(2021, 9, 20), 1, "explicit date")

    def widened(text: str, later: str = "") -> tuple:
        whole = text + (" " + later if later else "")
        w = lasted(day, whole, (0, len(text)), [(len(text) + 1, len(whole))] if later else [], ctx)
        return w.event_date, w.start, w.end, w.precision

    # a duration in the sentence: "two weeks" is the start and 13 days after
    assert widened("Serbs blocked the roads to Jarinje for almost two weeks.") == (
        D(2021, 9, 20), D(2021, 9, 20), D(2021, 10, 3), 3)
    assert widened("Serbs blocked the road to Jarinje for three days.")[2:] == (D(2021, 9, 22), 2)
    assert widened("Serbs blocked the road to Jarinje for 10 days.")[2] == D(2021, 9, 29)
    # an end said after it: the day named, in the year after the start (not the publication's)
    assert widened("Serbs blocked the roads to Jarinje.", "The blockade would last until 2 October.")[2] == D(2021, 10, 2)
    assert widened("Serbs blocked the roads.", "The barricades came down on 1 October, after talks.")[2] == D(2021, 10, 1)
    assert widened("Serbs blocked the roads.", "The barricades stayed up until 3 October 2021.")[2] == D(2021, 10, 3)
    # in its own sentence, after it ("they" for the barricades)
    assert widened("Serbs put up barricades at Zupče on 20 September 2021; they stayed until 2 October.")[2] == D(2021, 10, 2)
    # nothing said, an end before the start or months away, a day a weekday names, hours, a day
    # that is no day: as it was
    for text, later in (("Serbs blocked the roads to Jarinje.", "Police closed the crossing on 2 October."),
                        ("Serbs blocked the roads.", "The barricades came down on 1 September."),
                        ("Serbs blocked the roads.", "The barricades came down on 1 March 2022."),
                        ("Serbs blocked the roads.", "The barricades came down on Monday."),
                        ("Serbs blocked the road to Jarinje for two hours.", ""),
                        ("Serbs blocked the road to Jarinje for a day.", "")):
        assert widened(text, later) == (D(2021, 9, 20), D(2021, 9, 20), D(2021, 9, 20), 1), (text, later)
    month = W(None, D(2021, 9, 1), D(2021, 9, 30), 3, "month")
    assert lasted(month, "They blocked it for two weeks.", (0, 30), [], ctx) is month
    # never past the publication
    w = lasted(day, "They blocked it for ten days.", (0, 29), [], DateContext(D(2021, 9, 25)))
    assert w.end == D(2021, 9, 25)


def test_a_day_named_without_its_year_after_one_named_with_it_in_the_sentence():
    jan2025 = DateContext(D(2025, 1, 14))
    # the year named before it in the sentence, and a day of the month the sentence names first
    text = ("During the licence-plate dispute of September 2021, residents kept the road to Brnjak closed "
            "with trucks from 20 September to 2 October.")
    w = date_for(0, len(text), text.index("Brnjak"), text, jan2025)
    assert (w.event_date, w.start, w.end) == (D(2021, 9, 20), D(2021, 9, 20), D(2021, 10, 2))
    text = "Barricades went up on 10 December 2022 across the north and stood in Rudare until 29 December."
    w = date_for(0, len(text), text.index("Rudare"), text, jan2025)
    assert w.event_date == D(2022, 12, 29)
    # not a year named after it ("On 5 March police said the attack of June 2021 ..."), nor one
    # of the publication's year, nor over a day's own year
    text = "On 5 March police in Zvecan said the attack of June 2021 was solved."
    assert date_for(0, len(text), text.index("Zvecan"), text, DateContext(D(2023, 3, 10))).event_date == D(2023, 3, 5)
    text = "In 2021 the office in Zvecan, on 5 March 2020, burned."
    assert date_for(0, len(text), text.index("Zvecan"), text, jan2025).event_date == D(2020, 3, 5)
    # the latest year named; never after publication; "last year" is the publication's
    text = "The wall built in 2017 was removed in June 2021, and on 5 March protesters gathered in Zvecan."
    assert date_for(0, len(text), text.index("Zvecan"), text, jan2025).event_date == D(2021, 3, 5)
    text = "In 2023 the office in Zvecan was hit, and on 5 December it burned."  # (not 5 December 2023: after it)
    w = date_for(0, len(text), text.index("Zvecan"), text, DateContext(D(2023, 3, 10)))
    assert (w.start, w.end) == (D(2023, 1, 1), D(2023, 12, 31))
    text = "After the elections of 2021, on 24 September last year a sergeant was killed in Banjska."
    assert date_for(0, len(text), text.index("Banjska"), text, jan2025).event_date == D(2024, 9, 24)
    # a month alone, with no day of it in the sentence, stays a month
    text = "In September 2021 residents of Zvecan blocked the road; on 2 October 2022 they did again."
    w = date_for(0, len(text), text.index("Zvecan"), text, jan2025)
    assert (w.start, w.end, w.precision) == (D(2021, 9, 1), D(2021, 9, 30), 3)


def test_seasons():
    def window(text: str, published: dt.date) -> tuple | None:
        (expr,) = find_expressions(text)
        w = resolve(expr, DateContext(published))
        return w and (w.start, w.end, w.precision)

    mar = D(2024, 3, 13)
    assert window("Two summers ago, when the roads towards Jarinje were blocked", mar) == (D(2022, 6, 1), D(2022, 8, 31), 3)
    assert window("last summer", mar)[:2] == (D(2023, 6, 1), D(2023, 8, 31))
    assert window("in the summer of 2022", mar)[:2] == (D(2022, 6, 1), D(2022, 8, 31))
    assert window("during summer 2021", mar)[:2] == (D(2021, 6, 1), D(2021, 8, 31))
    assert window("the fall of 2023", mar)[:2] == (D(2023, 9, 1), D(2023, 11, 30))
    # a winter begins in its December; the one just over is "last winter"
    assert window("the winter of 2022", mar)[:2] == (D(2022, 12, 1), D(2023, 2, 28))
    assert window("last winter", mar)[:2] == (D(2023, 12, 1), D(2024, 2, 29))
    assert window("last winter", D(2024, 1, 10))[:2] == (D(2022, 12, 1), D(2023, 2, 28))
    # "this": the season it is in (to publication), or one over earlier that year; none to come
    assert window("this winter", D(2024, 1, 10))[:2] == (D(2023, 12, 1), D(2024, 1, 10))
    assert window("this spring", D(2023, 10, 5))[:2] == (D(2023, 3, 1), D(2023, 5, 31))
    assert window("this summer", mar) is None
    assert window("in the summer of 2025", mar) is None
    # words that are no season's date
    for text in ("a fall in prices", "the summer heat", "spring water", "winter tyres"):
        assert find_expressions(text) == [], text


def test_the_previous_weekday_is_before_publication_like_last():
    tue = DateContext(D(2024, 5, 21))  # a Tuesday
    for text, day in (("On the previous Tuesday, police at the Jarinje crossing arrested a driver", D(2024, 5, 14)),
                      ("last Tuesday", D(2024, 5, 14)), ("on Tuesday", D(2024, 5, 21)),
                      ("the previous Monday", D(2024, 5, 20))):
        (expr,) = find_expressions(text)
        assert resolve(expr, tue).event_date == day, text


def test_a_weekday_with_a_day_of_the_month_and_no_month():
    """h87: "on Saturday the 25th", in a podcast of Thursday 7 October 2021: 25 September, the
    latest Saturday the 25th on or before it; none when no 25th of the last year is that day."""
    thu = DateContext(D(2021, 10, 7))
    (expr,) = find_expressions("Then on Saturday the 25th an army column drove through Raška.")
    assert resolve(expr, thu).event_date == D(2021, 9, 25)
    (expr,) = find_expressions("on Thursday the 7th")
    assert resolve(expr, thu).event_date == D(2021, 10, 7)
    (expr,) = find_expressions("on Monday the 31st")
    assert resolve(expr, thu).event_date == D(2021, 5, 31)
    assert resolve(find_expressions("on Saturday the 25th")[0], DateContext(None)) is None


def test_that_night_is_the_day_a_sentence_before_gave():
    """h93: "on the last day of July 2022 ... The first chapter follows that night in the village
    of Rvatska ... shots were fired ... the same night": the day named before in the paragraph."""
    text = ("The book opens on a plane on the last day of July 2022, when the author learns of the rules. "
            "By the time he reaches the north, the sirens are sounding. The first chapter follows that night in "
            "the village of Rvatska. Tankosić also reports that shots were fired near Zubin Potok the same night.")
    ctx = DateContext(D(2026, 2, 23))
    for place in ("Rvatska", "Zubin Potok"):
        at = text.index(place)
        start = text.rfind(". ", 0, at) + 2
        window = date_for(start, text.index(".", at) + 1, at, text, ctx, paragraph_start=0)
        assert (window.start, window.end) == (D(2022, 7, 31), D(2022, 7, 31)), place
    # with no day before it in the paragraph: the publication's fallback, nothing invented
    lone = "The first chapter follows that night in the village of Rvatska."
    assert date_for(0, len(lone), lone.index("Rvatska"), lone, ctx, paragraph_start=0).start != D(2022, 7, 31)
    # the first and last day of a month
    for words, day in (("on the last day of July 2022", D(2022, 7, 31)), ("the first day of March", D(2025, 3, 1)),
                       ("the last day of February 2024", D(2024, 2, 29))):
        (expr,) = find_expressions(words)
        assert resolve(expr, ctx).event_date == day, words


def test_last_year_gives_a_day_after_it_in_its_sentence_its_year():
    """h99: "That is from last year, from the day of the riots in Zvecan in May (29 May)", posted
    in September 2024: 29 May 2023; without "last year", the last 29 May before publication."""
    ctx = DateContext(D(2024, 9, 13))
    text = "That is from last year, from the day of the riots in Zvecan in May (29 May), you can see the shields."
    window = date_for(0, len(text), text.index("Zvecan"), text, ctx, paragraph_start=0)
    assert window.event_date == D(2023, 5, 29)
    alone = text.replace("from last year, ", "")
    assert date_for(0, len(alone), alone.index("Zvecan"), alone, ctx, paragraph_start=0).event_date == D(2024, 5, 29)
