"""Give an incident an ACLED event type and sub-event type from its sentence.

Rules are trigger phrases; the trigger nearest the place mention within its clause wins (else
the nearest in the sentence), except that a peaceful protest's word gives way to a clash, mob
violence or tear gas said of the protesters ("police clashed with protesters"), and fire or
blows aimed at protesters are excessive force against them. A trigger that is denied
("without clashes", "no arrests") or only threatened, demanded or hypothetical ("threatened to
send troops", "urged ... dismantling roadblocks", "would allow Serbia to send troops") does
not count. A sentence with no counted trigger reports no incident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.caseless import LiteralStarts, finditer_at, lower_text, twin

EVENT_TYPES = (
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests",
    "Strategic developments",
)

# What a seizure of arms names: "seized automatic weapons" is disrupted weapons use, people
# "seized" an arrest.
_WEAPONS = r"weapons|arms|ammunition|explosives|rifles?|guns?|pistols?|(?:hand\s+)?grenades?"
# (pattern, event type, sub-event type); order only breaks ties at equal distance.
_RULES: list[tuple[str, str, str]] = [
    (r"drone\s+strikes?|air\s*strikes?", "Explosions/Remote violence", "Air/drone strike"),
    (r"shell(?:ing|ed)|artillery|rocket\s+attacks?|mortars?", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    (r"(?:hand\s+)?grenades?|stun\s+grenades?", "Explosions/Remote violence", "Grenade"),
    (r"explosions?|explosive(?:\s+devices?)?|bomb(?:s|ing|ed)?|blasts?|landmines?|IEDs?", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    (r"(?:opened\s+fire|fired|shot)\s+(?:live\s+(?:rounds|ammunition)\s+)?(?:on|at|into)\s+(?:the\s+|a\s+)?(?:\w+\s+)?(?:protesters|demonstrators|crowd)|(?:beat|beaten|shot|killed|wounded)\s+(?:\w+\s+)?(?:protesters|demonstrators)|(?:protesters|demonstrators)\s+(?:were|was)\s+(?:shot(?:\s+at)?|killed|beaten|wounded)", "Protests", "Excessive force against protesters"),
    (r"exchanges?\s+of\s+(?:gun)?fire|exchanged\s+(?:gun)?fire|fire\s*fights?|gun\s*fights?|gun\s+battles?|shoot-?outs?|armed\s+clash(?:es)?|came\s+under\s+fire|opened\s+fire|fired\s+on|gunmen|armed\s+(?:men|group|groups|attackers|Serbs|Albanians|gang)|attack(?:ed|s)?\s+(?:the\s+|a\s+)?(?:\w+\s+)?(?:police|officers|patrol|patrols|KFOR|soldiers)|ambush(?:ed)?|shots\s+(?:(?:were|had\s+been|have\s+been|being)\s+)?fired|fired\s+(?:\w+\s+){0,2}?shots|fired\s+(?:[\w-]+\s+){0,6}?(?:in\s+the\s+direction\s+of|towards|at)\s+(?:a\s+|the\s+|an\s+)?(?:[\w-]+\s+){0,2}?(?:police|patrols?|officers|soldiers|KFOR|troops)\b|gunfire|shooting", "Battles", "Armed clash"),
    (r"abduct(?:ed|ion|s)?|kidnapp(?:ed|ing)", "Violence against civilians", "Abduction/forced disappearance"),
    (r"attack(?:ed|s)?\s+(?:on\s+)?(?:civilians|journalists|reporters|election\s+workers|residents|villagers)|assaulted|beat(?:en)?\s+up", "Violence against civilians", "Attack"),
    (r"riot(?:s|ers|ing)?|violent\s+(?:protests?|demonstrations?)|turned\s+violent|clash(?:es|ed)?|threw\s+(?:stones|rocks|molotov|petrol\s+bombs|bottles)|stone-?throwing|molotov|(?:with|using)\s+stones,?\s+(?:and\s+)?(?:bottles|rocks)", "Riots", "Violent demonstration"),
    (r"(?:was|were|been|being|got)\s+stoned|pelted\s+with\s+stones", "Riots", "Mob violence"),
    (r"mob|lynch", "Riots", "Mob violence"),
    (r"tear\s*gas(?:\s+and\s+stun\s+grenades?)?|stun\s+grenades?\s+and\s+tear\s*gas|pepper\s+spray|water\s+cannons?|dispers(?:e|ed|ing)\s+(?:the\s+)?(?:protesters|demonstrators|crowds?)", "Protests", "Protest with intervention"),
    (r"protest(?:s|ed|ers?|ing)?|demonstrat(?:ion|ions|ors?|ed|ing)|rall(?:y|ies|ied)|(?:peace|silent|protest|memorial|commemorative|candle-?lit)\s+(?:walks?|processions?|marches)|(?:stood|stand|standing|stands)\s+in\s+silence|vigils?|marche[sd]|sit-?ins?|blockad(?:e|es|ed|ing)|block(?:ed|ing)\s+(?:\w+\s+){0,2}?(?:traffic|roads?|highways?|crossings?|bridges?|access|the\s+road)|block(?:ed|ing)\s+(?:it|them)\s+with\b|(?:closed|blocked|shut)\s+(?:off\s+)?with\s+(?:\w+\s+){0,2}?(?:trucks|lorries|tractors|vehicles|cars|buses|gravel|sand|rocks|stones|machinery|barricades)\b|barricades?|barricaded(?!\s+themselves)|(?:park(?:ed|ing)|stopp(?:ed|ing)|plac(?:ed|ing)|put|left|lin(?:ed|ing)\s+up)\s+(?:\w+\s+){0,8}?across\s+(?:the\s+|both\s+)?(?:main\s+)?(?:roads?|streets?|highways?|lanes)(?!\s+from)|roadblocks?|road\s+blocks?|road\s+blockades?|camped|picket(?:s|ed)?|(?:gather(?:ed|s)?|assembled?|massed)\s+(?:\w+\s+){0,3}?(?:outside|in\s+front\s+of|at|near|on|in)", "Protests", "Peaceful protest"),
    (r"arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|apprehended|taken\s+into\s+custody|(?<!air\s)raid(?:ed|s|ing)?(?!\s+sirens?)|seized(?!\s+(?:\w+\s+){0,3}?(?:" + _WEAPONS + r"|drugs|goods|cigarettes|fuel|vehicles|cars|trucks)\b)", "Strategic developments", "Arrests"),
    (r"(?:seiz(?:ed|ure\s+of|ures\s+of)|confiscated|found|discovered)\s+(?:(?!that\b)\w+\s+){0,3}?(?:" + _WEAPONS + r")"
     # and the rest of the list: "found thirty rifles and two boxes of grenades" (not a grenade attack)
     r"(?:,?\s+(?:and\s+)?(?:[\w-]+\s+){0,3}?(?:" + _WEAPONS + r"))*"
     r"|(?:" + _WEAPONS + r")(?:,?\s+(?:and\s+)?(?:[\w-]+\s+){0,2}?(?:" + _WEAPONS + r"))*\s+(?:(?:were|was|had\s+been|have\s+been)\s+)?(?:seized|confiscated)",
     "Strategic developments", "Disrupted weapons use"),
    (r"loot(?:ed|ing)|vandali[sz]ed|desecrat(?:ed|ion)|damaged\s+(?:\w+\s+){0,2}?(?:tombstones|gravestones|graves|monuments?|memorials?|churche?s?|mosques?)|ransacked|demolished|torched|set\s+(?:on\s+)?fire|set\s+(?:\w+\s+){1,4}?on\s+fire|set\s+ablaze|burn(?:ed|t)\s+(?:down\s+)?|arson", "Strategic developments", "Looting/property destruction"),
    (r"(?:armou?red|military)\s+(?:vehicles|cars|convoys?|units)|tanks|convoys?|APCs?|armou?red\s+personnel\s+carriers?|howitzers?|deploy(?:ed|s|ment|ments|ing)?|(?<!been\s)station(?:ed|ing)(?!\s+(?:[\w-]+\s+){0,4}?since\b)|reinforc(?:ed|ement|ements|ing)|(?:increased|expanded|routine|more|joint|additional|stepped[- ]up)\s+(?:\w+\s+){0,4}?patrols|patroll(?:ed|ing)|(?:high|higher|highest|heightened|combat)\s+alert|took\s+up\s+positions|took\s+over\s+(?:the\s+)?(?:protection|security|guarding|control)\s+of|(?:sent|dispatched)\s+(?:\w+\s+){0,3}(?:police|troops|soldiers|forces|officers|units)|moved\s+(?:\w+\s+){0,3}?(?:troops|soldiers|forces|units)\s+(?:in)?to\b|movement\s+of\s+troops|(?:increased|reinforced|stepped\s+up|boosted|strengthened)\s+(?:its|their|the)\s+(?:\w+\s+)?presence|special\s+(?:police\s+)?(?:units|forces)\s+(?:were\s+)?(?:sent|dispatched|deployed|posted)|(?:set|sets|setting)\s+up\s+(?:\w+\s+){0,3}?checkpoints?|(?:established|erected|put\s+up|installed)\s+(?:\w+\s+){0,3}?checkpoints?", "Strategic developments", "Change to group/activity"),
    # forces taking a crossing or a building over ("ROSU occupied the administrative crossings
    # Jarinje and Brnjak"; not "an area predominantly occupied by Serbs")
    (r"(?:occupied|took\s+over|took\s+control\s+of|seized\s+control\s+of)\s+(?:the\s+)?(?:\w+\s+){0,2}?(?:crossings?|checkpoints?|border\s+posts?|buildings?|premises|bridges?)", "Strategic developments", "Non-violent transfer of territory"),
    # someone stopped at a crossing ("Patriarch Porfirije was turned back at the Merdare crossing")
    (r"(?:was|were|been|being)\s+(?:turned\s+back|turned\s+away|denied\s+entry|refused\s+entry|barred\s+from\s+entering)", "Strategic developments", "Other"),
    (r"(?<!remain\s)(?<!remains\s)(?<!remained\s)(?<!\bthe\s)(?<!\bheld\s)(?<!\ba\s)(?<!\bin\s)closed(?!\s+(?:\w+\s+){0,3}?for\s+(?:more\s+than\s+|over\s+|nearly\s+|almost\s+)?(?:a|\d+|two|three|four|five|six|seven|eight|nine|ten|many|several)\s+(?:decades?|years?|months?))|shut(?:\s+down)?|closure|(?<!\bthe\s)sealed(?:\s+off)?|reopened", "Strategic developments", "Other"),
]
_PEACEFUL = ("Protests", "Peaceful protest")
_PROPERTY = ("Strategic developments", "Looting/property destruction")
_ESCALATED = {
    ("Riots", "Violent demonstration"), ("Riots", "Mob violence"),
    ("Protests", "Protest with intervention"),
}
_RULE_ORDER = {(t, s): i for i, (_, t, s) in enumerate(_RULES)}
_TRIGGERS = [(re.compile(rf"\b(?:{p})\b", re.IGNORECASE), t, s) for p, t, s in _RULES]
# "may" the modal, not the month: "on May 29", "29 May", "in May, police clashed", "May 2023".
_MAY = (
    r"(?<!\d\s)(?<!\bin\s)(?<!\bon\s)(?<!\bof\s)(?<!\bby\s)(?<!since\s)(?<!until\s)(?<!\bfrom\s)"
    r"(?<!early\s)(?<!\blate\s)(?<!\bmid\s)(?<!\bmid-)(?<!\blast\s)(?<!\bnext\s)(?<!\bthis\s)"
    r"(?<!during\s)(?<!before\s)(?<!\bafter\s)may(?!\s*(?:\d|,|\.|;|:|\)))"
)
_NOT_REAL = re.compile(
    r"\b(?:threaten(?:s|ed|ing)?\s+to|plan(?:s|ned)?\s+to|allow(?:s|ed)?|"
    r"urg(?:e|es|ed|ing)|encourag(?:e|es|ed)|call(?:s|ed)?\s+(?:on|for)|demand(?:s|ed)?|"
    r"ready\s+to|willing\s+to|intend(?:s|ed)?\s+to|instruct(?:ing|ed|s)?|"
    r"warn(?:s|ed)?\s+(?:of|that)|fear(?:s|ed)?|if|unless|avoid|prevent(?:ed)?|de-escalate)\b[^.;:]*$",
    re.IGNORECASE,
)
# A modal's reach ends where a new clause begins, at a comma before a capital (a name, in news):
# "plates would have to be replaced from 1 August, Serbs again blocked the roads" reports the
# blockade. (The other words above take objects that may run on past commas: "urged Serbs, who
# ..., to remove the barricades".)
_MODAL = re.compile(r"\b(?:would|could|might|" + _MAY + r"|must|should)\b[^.;:]*$", re.IGNORECASE)
_NEW_CLAUSE = re.compile(r",\s+(?=[A-Z])")


# A device that did not go off is disrupted weapons use, not an explosion (the held-out
# guidelines, ACLED's "Disrupted weapons use"): "two hand grenades were thrown ... They did not
# go off, and officers destroyed them"; "destroyed it in a controlled detonation".
_DUD = re.compile(
    r"\b(?:did\s+not|didn['’]t|failed\s+to|never)\s+(?:go\s+off|explode|detonate|went\s+off)"
    r"|\b(?:was|were|been)\s+(?:defused|disarmed|neutrali[sz]ed|destroyed\s+in\s+a\s+controlled\s+detonation)"
    r"|\b(?:destroyed|detonated|neutrali[sz]ed)\s+(?:it|them|the\s+\w+)\s+(?:in|by|with)\s+(?:a\s+)?controlled\s+(?:detonation|explosion)"
    r"|\bunexploded\b")


def went_off_not(low: str, start: int, end: int) -> bool:
    """Whether ``low[start:end]`` (lower-cased text) says a device did not go off, or was
    defused or destroyed before it did."""
    return _DUD.search(low, start, end) is not None


def modal_reach(text: str, start: int, end: int) -> int:
    """Where a modal before ``end`` may still govern it: after the last new clause in
    ``text[start:end]`` (:data:`_NEW_CLAUSE`), else ``start``."""
    found = start
    for m in _NEW_CLAUSE.finditer(text, start, end):
        found = m.end()
    return found
# Denied outright: "ended without clashes", "no clashes were reported", "no one was arrested",
# "the protest had not turned violent", "they were not arrested".
_DENIED = re.compile(
    r"\b(?:(?:without|no|never|neither|nor)\s+(?:any\s+|further\s+|major\s+|serious\s+)?"
    r"|(?:no\s+one|nobody)\s+(?:was|were|has\s+been|had\s+been)\s+"
    r"|(?:had|has|have|was|were|is|are|did|does|do)\s+not\s+(?:yet\s+|been\s+)?"
    r"|(?:hadn|hasn|haven|wasn|weren|isn|aren|didn|doesn|don)['’]t\s+(?:yet\s+|been\s+)?)$",
    re.IGNORECASE,
)
_CLAUSE_BACK = 70
_CROWD = twin(re.compile(r"\b(?:crowds?|rioters)\b", re.IGNORECASE))
# "at the barricade", "from the barricades": the protest's place, not what happened there
_AT_THE_BARRICADE = re.compile(r"\b(?:at|from|near|behind|on)\s+(?:the|a|that)\s+$")
_CLAUSE_BREAK = re.compile(r"[,;:–—]\s|\s(?:when|after|as|because|while|following|before|where|which|who)\s", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class EventType:
    event_type: str
    sub_event_type: str
    trigger: str
    start: int


DISRUPTED = EventType("Strategic developments", "Disrupted weapons use", "", 0)  # (see went_off_not)


# The same rules as case-sensitive twins over the lower-cased text (see pipeline.caseless), and
# where each can start: one Aho-Corasick pass over the sentence finds the positions where a
# rule's literal beginning occurs ("protest", "barric", "tear"...), and each rule is tried there only.
_TWINS = [(twin(p), t, s) for p, t, s in _TRIGGERS]
_STARTS = LiteralStarts([p for p, _, _ in _TWINS])
_NOT_REAL_TWIN = twin(_NOT_REAL)
_MODAL_TWIN = twin(_MODAL)
_DENIED_TWIN = twin(_DENIED)
# What people protest against is not what the sentence reports: "rallied in the centre of
# Gračanica against the closure of the branch of the Serbian Post".
_OPPOSED_TWIN = re.compile(r"\bagainst\s+(?:the\s+|a\s+|an\s+|their\s+|its\s+)?(?:[\w-]+\s+)?$")
_CLAUSE_BREAK_TWIN = twin(_CLAUSE_BREAK)
_last_triggers: list = [None, -1, -1, []]  # the last sentence asked for: (text, start, end, result)


def triggers(text: str, start: int, end: int, *, lowered: str | None = None) -> list[EventType]:
    """Every counted trigger in ``text[start:end]`` (offsets into ``text``).

    ``lowered`` is ``caseless.lower_text(text)`` when the caller has it already.
    """
    last = _last_triggers
    if last[0] is text and last[1] == start and last[2] == end:
        return list(last[3])
    low = lower_text(text) if lowered is None else lowered
    found = []
    tries = _STARTS.positions(low, start, end)
    if tries:
        for order in sorted(tries):
            pattern, etype, sub = _TWINS[order]
            for m in finditer_at(pattern, low, tries[order], start, end):
                ms, me = m.span()
                back = max(start, ms - _CLAUSE_BACK)
                before = low[back:ms]
                if (_NOT_REAL_TWIN.search(before) or _DENIED_TWIN.search(before)
                        or _MODAL_TWIN.search(low, modal_reach(text, back, ms), ms)
                        or (etype == "Strategic developments" and _OPPOSED_TWIN.search(before))):
                    continue
                found.append((order, EventType(etype, sub, text[ms:me], ms)))
    # One span may match several rules ("armed clash" and "clash"): keep the first rule's reading.
    found.sort(key=lambda f: (f[1].start, f[0]))
    out: list[EventType] = []
    taken_until = -1
    for _, ev in found:
        if ev.start >= taken_until:
            out.append(ev)
            taken_until = ev.start + len(ev.trigger)
    last[:] = [text, start, end, out]
    return list(out)


def classify(
    text: str, sentence_start: int, sentence_end: int, mention_start: int, mention_end: int,
    *, lowered: str | None = None,
) -> EventType | None:
    """The ACLED type of what happened at the mention, or None when the sentence reports nothing.

    ``lowered`` is ``caseless.lower_text(text)`` when the caller has it already.
    """
    low = lower_text(text) if lowered is None else lowered
    found = [
        t for t in triggers(text, sentence_start, sentence_end, lowered=low)
        if not (mention_start <= t.start < mention_end)
    ]
    if not found:
        return None
    clause_start, clause_end = _clause(low, sentence_start, sentence_end, mention_start, mention_end)
    in_clause = [t for t in found if clause_start <= t.start < clause_end]
    whole = found
    found = in_clause or found

    def distance(t: EventType) -> int:
        t_end = t.start + len(t.trigger)
        return mention_start - t_end if t_end <= mention_start else t.start - mention_end

    def nearest(triggers: list[EventType]) -> EventType:
        return min(triggers, key=lambda t: (distance(t), t.start))

    best = nearest(found)
    if (best.event_type, best.sub_event_type) == _PEACEFUL and _AT_THE_BARRICADE.search(low, max(0, best.start - 12), best.start):
        # a barricade that only says where ("at the barricade at the entrance to Jabuka, the
        # defendant fired ... at a police patrol"): what the sentence says was done there
        done = [t for t in whole if (t.event_type, t.sub_event_type) != _PEACEFUL]
        if done:
            best = nearest(done)
    if (best.event_type, best.sub_event_type) == _PEACEFUL:
        # A protest that turned violent or was broken up is that, as ACLED codes it, when the
        # words say so of the protesters themselves ("police clashed with protesters in
        # Zvečan", "tear gas at protesters"), not of something else the sentence names
        # ("rallied in Zvečan against the clashes in Leposavić", "ended without clashes").
        worse = [t for t in found if (t.event_type, t.sub_event_type) in _ESCALATED
                 and _said_of(low, best, t, mention_start, mention_end)] or [
            t for t in whole if (t.event_type, t.sub_event_type) in _ESCALATED
            and _by_some_of_them(low, best, t, mention_end)]
        if worse:
            best = nearest(worse)
    if (best.event_type, best.sub_event_type) == _PROPERTY:
        # Property set on fire or wrecked by a crowd is a riot ("an angry mob torched two
        # police vehicles", "protesters threw stones ... and set one on fire"); by no crowd the
        # sentence names ("the fire ... burned down the registration office"), ACLED's
        # property destruction.
        riot = [t for t in found if t.event_type == "Riots"]
        if riot:
            best = nearest(riot)
        elif _CROWD.search(low, sentence_start, best.start):  # "a crowd of masked men set the post on fire"
            return EventType("Riots", "Mob violence", best.trigger, best.start)
        elif any((t.event_type, t.sub_event_type) == _PEACEFUL for t in found):  # "protesters torched"
            return EventType("Riots", "Violent demonstration", best.trigger, best.start)
    # The same kind of event named more specifically nearby ("grenade explosion"): take the
    # more specific rule.
    same_type = [t for t in (found if best in found else whole) if t.event_type == best.event_type]
    return min(same_type, key=lambda t: (_RULE_ORDER[(t.event_type, t.sub_event_type)], distance(t)))


_ESCALATION_GAP_WORDS = 2


def _said_of(text: str, protest: EventType, worse: EventType, m_start: int, m_end: int) -> bool:
    """Whether ``worse`` is said of the protest ``protest`` names: at most two words apart,
    and the place not between them (``text`` lower-cased)."""
    first, second = sorted((protest, worse), key=lambda t: t.start)
    gap_start, gap_end = first.start + len(first.trigger), second.start
    if gap_end < gap_start or (gap_start <= m_start and m_end <= gap_end):
        return False
    return len(text[gap_start:gap_end].split()) <= _ESCALATION_GAP_WORDS


# Some of the same crowd doing it, later in the sentence: "A crowd gathered at the northern end
# of the main bridge ..., and some people threw stones at police vehicles."
_SOME_OF_THEM = re.compile(r"(?:,\s*|\s)and\s+(?:then\s+)?(?:some|several|a\s+few|dozens|many|a\s+group)(?:\s+of)?"
                           r"(?:\s+(?:the|them|people|protesters|demonstrators|participants|youths|young\s+men|men))*\s+$")


def _by_some_of_them(text: str, protest: EventType, worse: EventType, m_end: int) -> bool:
    """Whether ``worse`` comes after the protest and the place, done by some of the crowd the
    sentence names (:data:`_SOME_OF_THEM` just before it; ``text`` lower-cased)."""
    return (protest.start < worse.start and m_end <= worse.start
            and _SOME_OF_THEM.search(text, max(protest.start, worse.start - 40), worse.start) is not None)


def _clause(text: str, start: int, end: int, m_start: int, m_end: int) -> tuple[int, int]:
    """The span between the clause breaks around the mention (``text`` lower-cased)."""
    left, right = start, end
    for b in _CLAUSE_BREAK_TWIN.finditer(text, start, end):
        if b.end() <= m_start:
            left = b.end()
        elif b.start() >= m_end:
            right = b.start()
            break
    return left, right
